"""Compact schema replication on the member: Client.sendSchema, Client.sendAllSchemas, Client.fetchSchema.

Driven over raw sockets. Schemas are cluster-wide: every live member holds them, a joining member gets a copy, and
they last while at least one member runs.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.schemas import SchemaRegistry, schema_registry
from hazelcast.errors import IllegalStateError
from hazelcast.serialization.compact import FieldDescriptor, FieldKind, Schema

ADDRESS = Schema(
    "Address",
    [FieldDescriptor("city", FieldKind.STRING), FieldDescriptor("zip", FieldKind.INT32)],
)
PERSON = Schema(
    "Person",
    [
        FieldDescriptor("name", FieldKind.STRING),
        FieldDescriptor("age", FieldKind.NULLABLE_INT32),
        FieldDescriptor("address", FieldKind.COMPACT),
        FieldDescriptor("tags", FieldKind.ARRAY_OF_STRING),
    ],
)
ORDER = Schema("Order", [FieldDescriptor("total", FieldKind.FLOAT64)])


def _same(fetched: Schema | None, expected: Schema) -> None:
    assert fetched is not None
    assert fetched.type_name == expected.type_name
    assert [(f.name, f.kind) for f in fetched.fields] == [(f.name, f.kind) for f in expected.fields]
    assert fetched.schema_id == expected.schema_id


async def test_send_schema_replicates_to_every_member_and_any_member_answers_fetch(
    cluster3: EmbeddedCluster, connect
) -> None:
    first = await connect(cluster3.addresses[0])
    replicated = await first.call("Client.sendSchema", PERSON)
    assert set(replicated) == {member.uuid for member in cluster3.members}
    assert len(replicated) == 3
    for address in cluster3.addresses:
        client = await connect(address)
        _same(await client.call("Client.fetchSchema", PERSON.schema_id), PERSON)
    assert await first.call("Client.fetchSchema", ADDRESS.schema_id) is None


async def test_sending_a_schema_again_is_accepted(cluster3: EmbeddedCluster, connect) -> None:
    client = await connect(cluster3.addresses[1])
    await client.call("Client.sendSchema", ADDRESS)
    again = await client.call("Client.sendSchema", ADDRESS)
    assert set(again) == {member.uuid for member in cluster3.members}
    assert len(schema_registry(cluster3.members[2])) == 1


async def test_send_all_schemas_stores_each_of_them(cluster3: EmbeddedCluster, connect) -> None:
    client = await connect(cluster3.addresses[0])
    assert await client.call("Client.sendAllSchemas", [ADDRESS, PERSON, ORDER]) is None
    other = await connect(cluster3.addresses[2])
    for schema in (ADDRESS, PERSON, ORDER):
        _same(await other.call("Client.fetchSchema", schema.schema_id), schema)


async def test_schemas_survive_the_kill_of_the_member_that_received_them(
    cluster3: EmbeddedCluster, connect
) -> None:
    receiver = await connect(cluster3.addresses[0])
    await receiver.call("Client.sendSchema", PERSON)
    await cluster3.members[0].kill()
    survivor = await connect(cluster3.addresses[1])
    _same(await survivor.call("Client.fetchSchema", PERSON.schema_id), PERSON)
    # A schema sent now goes to the members that are alive.
    replicated = await survivor.call("Client.sendSchema", ORDER)
    assert set(replicated) == {cluster3.members[1].uuid, cluster3.members[2].uuid}


async def test_a_restarted_or_added_member_receives_the_cluster_schemas(cluster3: EmbeddedCluster, connect) -> None:
    client = await connect(cluster3.addresses[2])
    await client.call("Client.sendAllSchemas", [ADDRESS, PERSON])
    await cluster3.members[0].kill()
    await cluster3.members[0].restart()
    added = await cluster3.add_member()
    for member in (cluster3.members[0], added):
        fresh = await connect(member.address)
        _same(await fresh.call("Client.fetchSchema", PERSON.schema_id), PERSON)
        _same(await fresh.call("Client.fetchSchema", ADDRESS.schema_id), ADDRESS)
    replicated = await client.call("Client.sendSchema", ORDER)
    assert set(replicated) == {member.uuid for member in cluster3.live_members}
    assert len(replicated) == 4


async def test_schemas_end_with_the_last_member_and_the_reformed_cluster_has_a_new_id(connect) -> None:
    async with EmbeddedCluster(member_count=2) as cluster:
        client = await connect(cluster.addresses[0])
        await client.call("Client.sendSchema", PERSON)
        old_cluster_id = cluster.cluster_id
        await cluster.members[0].kill()
        await cluster.members[1].kill()
        await cluster.members[1].restart()
        fresh = await connect(cluster.addresses[1], authenticate=False)
        response = await fresh.authenticate()
        assert response.cluster_id == cluster.cluster_id != old_cluster_id
        assert await fresh.call("Client.fetchSchema", PERSON.schema_id) is None


async def test_a_different_schema_under_a_held_id_is_refused_everywhere(
    cluster3: EmbeddedCluster, connect, wire: SimpleNamespace
) -> None:
    # Fingerprints of real schemas do not collide; plant a different schema under ORDER's id on one member.
    impostor = Schema("Impostor", [FieldDescriptor("x", FieldKind.INT8)])
    impostor.schema_id = ORDER.schema_id
    schema_registry(cluster3.members[1]).add(impostor)
    client = await connect(cluster3.addresses[0])
    with pytest.raises(wire.ProtocolError) as raised:
        await client.call("Client.sendAllSchemas", [ADDRESS, ORDER])
    assert raised.value.class_name == "java.lang.IllegalStateException"
    # All or nothing: not even the schema that conflicted with nothing was stored anywhere.
    for member in cluster3.members:
        assert ADDRESS.schema_id not in schema_registry(member)
    assert schema_registry(cluster3.members[0]).get(ORDER.schema_id) is None


def test_registry_accepts_the_same_schema_twice_and_refuses_a_collision() -> None:
    registry = SchemaRegistry([ADDRESS])
    assert registry.add(Schema("Address", list(ADDRESS.fields))) is False
    assert registry.add(PERSON) is True
    assert registry.get(PERSON.schema_id) is PERSON
    impostor = Schema("Impostor", [FieldDescriptor("x", FieldKind.INT8)])
    impostor.schema_id = PERSON.schema_id
    with pytest.raises(IllegalStateError):
        registry.add(impostor)
    assert registry.get(PERSON.schema_id) is PERSON
    assert sorted(schema.type_name for schema in registry) == ["Address", "Person"]
