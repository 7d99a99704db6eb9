"""The member side of Compact schema replication: Client.sendSchema, Client.sendAllSchemas and Client.fetchSchema.

A client sends the schema of a Compact type before the first value that needs it, and every member reads Compact
values with it (queries, indexes), so schemas are cluster-wide: a schema a client sends is stored on every live
member, a member joining the cluster receives a copy of all of them (as a Java member's pre-join operation does), and
a member that stops loses its copy. Schemas therefore live while at least one member runs; when the last one goes,
they are gone, the cluster re-forms with a new cluster id, and clients re-send theirs with Client.sendAllSchemas.

A schema id (its fingerprint) never names two different schemas: storing a schema under an id that holds another one
is an ``IllegalStateError``, as on a Java member.

Registered by the cluster as a built-in plugin next to the Client service, because these messages are part of the
Client protocol service every member answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec
from hazelcast.errors import IllegalStateError
from hazelcast.serialization.compact import FieldDescriptor, Schema

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = [
    "SCHEMA_SERVICE",
    "SCHEMA_SERVICE_NAME",
    "SchemaRegistry",
    "cluster_schema",
    "hazelcast_embedded_services",
    "schema_registry",
    "store_schemas",
]

#: The key of the schema registry in ``EmbeddedMember.service_states``.
SCHEMA_SERVICE_NAME = "Schema"

_logger = structlog.get_logger("hazelcast.embedded")


class SchemaRegistry:
    """The Compact schemas one member holds, by schema id."""

    __slots__ = ("_schemas",)

    def __init__(self, schemas: Iterable[Schema] = ()) -> None:
        self._schemas: dict[int, Schema] = {schema.schema_id: schema for schema in schemas}

    def get(self, schema_id: int) -> Schema | None:
        """The schema with id ``schema_id``, or None."""
        return self._schemas.get(schema_id)

    def check(self, schema: Schema) -> bool:
        """Whether ``schema`` is new here (False if it is already held).

        Raises:
            IllegalStateError: another schema has the same id.
        """
        existing = self._schemas.get(schema.schema_id)
        if existing is None:
            return True
        if existing.type_name != schema.type_name or existing.fields != schema.fields:
            raise IllegalStateError(
                f"schema id {schema.schema_id} already names {existing!r}; cannot store {schema!r} under it"
            )
        return False

    def add(self, schema: Schema) -> bool:
        """Store ``schema``; True if it was new (see :meth:`check`)."""
        if not self.check(schema):
            return False
        self._schemas[schema.schema_id] = schema
        return True

    def __iter__(self) -> Iterator[Schema]:
        return iter(list(self._schemas.values()))

    def __len__(self) -> int:
        return len(self._schemas)

    def __contains__(self, schema_id: object) -> bool:
        return schema_id in self._schemas


def schema_registry(member: EmbeddedMember) -> SchemaRegistry:
    """The schemas ``member`` holds (an empty registry for a member that has none yet)."""
    registry: SchemaRegistry | None = member.service_states.get(SCHEMA_SERVICE_NAME)
    if registry is None:
        registry = member.service_states[SCHEMA_SERVICE_NAME] = SchemaRegistry()
    return registry


def cluster_schema(cluster: EmbeddedCluster, schema_id: int) -> Schema | None:
    """The schema with id ``schema_id`` from any live member of ``cluster``, or None."""
    for member in cluster.live_members:
        schema = schema_registry(member).get(schema_id)
        if schema is not None:
            return schema
    return None


def _as_schema(value: Any) -> Schema:
    # Decoded messages hold Schema objects once the compact package registered its classes with the codecs; a
    # codec compiled earlier yields named tuples with the same fields, turned into a Schema here.
    if isinstance(value, Schema):
        return value
    return Schema(value.type_name, [FieldDescriptor(field.field_name, field.kind) for field in value.fields])


def _replicate(cluster: EmbeddedCluster, schemas: list[Schema]) -> list[uuid.UUID]:
    """Store ``schemas`` on every live member; all or nothing. Returns the UUIDs of the members holding them."""
    members = list(cluster.live_members)
    registries = [schema_registry(member) for member in members]
    # Check everything first so that a conflict leaves no member with a partial set.
    for registry in registries:
        for schema in schemas:
            registry.check(schema)
    added = 0
    for registry in registries:
        for schema in schemas:
            added += registry.add(schema)
    if added:
        _logger.debug(
            "member.schemas.stored",
            schemas=[f"{schema.type_name}:{schema.schema_id}" for schema in schemas],
            members=len(members),
        )
    return [member.uuid for member in members]


def store_schemas(cluster: EmbeddedCluster, schemas: list[Schema]) -> None:
    """Store schemas the member itself wrote data with (SQL inserts...) on every live member, as a client's
    Client.sendSchema would."""
    _replicate(cluster, schemas)


def send_schema(request: MemberRequest) -> list[uuid.UUID]:
    """Client.sendSchema: store the schema cluster-wide; answer with the members that hold it."""
    return _replicate(request.cluster, [_as_schema(request.params)])


def send_all_schemas(request: MemberRequest) -> None:
    """Client.sendAllSchemas: a client re-sends every schema it knows (after connecting to a new cluster)."""
    _replicate(request.cluster, [_as_schema(value) for value in request.params])


def fetch_schema(request: MemberRequest) -> Schema | None:
    """Client.fetchSchema: the schema with the requested id, or None when no member has it."""
    schema = schema_registry(request.connection.member).get(request.params)
    if schema is None:
        # Every live member holds the same schemas; looking further only matters while one is joining.
        schema = cluster_schema(request.cluster, request.params)
    return schema


def seed_joining_member(cluster: EmbeddedCluster, member: EmbeddedMember) -> None:
    """Give a joining member a copy of the cluster's schemas (every live member holds them all)."""
    if cluster.live_members:
        member.service_states[SCHEMA_SERVICE_NAME] = SchemaRegistry(schema_registry(cluster.live_members[0]))


SCHEMA_SERVICE = MemberServiceSpec(
    name=SCHEMA_SERVICE_NAME,
    handlers={
        "Client.sendSchema": send_schema,
        "Client.sendAllSchemas": send_all_schemas,
        "Client.fetchSchema": fetch_schema,
    },
    member_joining=seed_joining_member,
)


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (SCHEMA_SERVICE,)
