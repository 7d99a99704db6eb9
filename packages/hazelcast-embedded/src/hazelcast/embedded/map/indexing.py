"""The indexes of the member's maps: which indexes each map has, and the stores that keep them.

``Map.addIndex`` records an :class:`~hazelcast.embedded.query.indexes.IndexDefinition` for the map and builds the
index in every store of the map on every member (owners and backups, so a backup taking over has it ready).
Stores created later get the map's indexes from :func:`attach_indexes` (called where the map service creates
stores); stores copied to another member carry them (``RecordStore.copy``). Destroying the map forgets them.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.query.extraction import ExtractionContext, extraction_context
from hazelcast.embedded.query.indexes import BITMAP, HASH, SORTED, IndexDefinition, StoreIndexes
from hazelcast.embedded.requests import MemberRequest
from hazelcast.errors import IllegalArgumentError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.map.records import RecordStore

__all__ = ["attach_indexes", "forget_indexes", "index_definitions", "map_add_index"]

_MAP_SERVICE_NAME = "hz:impl:mapService"
_TYPE_NAMES = {SORTED: "sorted", HASH: "hash", BITMAP: "bitmap"}
_definitions: weakref.WeakKeyDictionary[Any, dict[str, dict[str, IndexDefinition]]] = weakref.WeakKeyDictionary()
_contexts: weakref.WeakKeyDictionary[Any, ExtractionContext] = weakref.WeakKeyDictionary()


def _context(cluster: EmbeddedCluster) -> ExtractionContext:
    context = _contexts.get(cluster)
    if context is None:
        context = _contexts[cluster] = extraction_context(cluster)
    return context


def index_definitions(cluster: EmbeddedCluster, name: str) -> tuple[IndexDefinition, ...]:
    """The indexes map ``name`` has."""
    return tuple(_definitions.get(cluster, {}).get(name, {}).values())


def attach_indexes(cluster: EmbeddedCluster, store: RecordStore) -> None:
    """Give a new store of a map the map's indexes."""
    definitions = index_definitions(cluster, store.name)
    if definitions:
        store.indexes = StoreIndexes(_context(cluster), definitions)


def forget_indexes(cluster: EmbeddedCluster, service_name: str, name: str | None) -> None:
    """The map ``name`` was destroyed (None: every map, as a new cluster forms): its indexes go with it."""
    if service_name == _MAP_SERVICE_NAME:
        if name is None:
            _definitions.pop(cluster, None)
        else:
            _definitions.get(cluster, {}).pop(name, None)


def _definition(map_name: str, config: Any) -> IndexDefinition:
    index_type = config.type
    if index_type not in _TYPE_NAMES:
        raise IllegalArgumentError(f"unknown index type {index_type}")
    attributes: list[str] = []
    for attribute in config.attributes or ():
        stripped = (attribute or "").strip()
        if not stripped or stripped.endswith("."):
            raise IllegalArgumentError(f"invalid index attribute {attribute!r}")
        if stripped.startswith("this."):
            stripped = stripped[len("this."):]
        if stripped in attributes:
            raise IllegalArgumentError(f"duplicate index attribute {stripped!r}")
        attributes.append(stripped)
    if not attributes:
        raise IllegalArgumentError("an index needs at least one attribute")
    if index_type == BITMAP and len(attributes) > 1:
        raise IllegalArgumentError("composite bitmap indexes are not supported")
    name = config.name if config.name and config.name.strip() else "_".join(
        [map_name, _TYPE_NAMES[index_type], *attributes]
    )
    return IndexDefinition(name, index_type, tuple(attributes))


def map_add_index(request: MemberRequest) -> None:
    """``Map.addIndex``: define the index and build it everywhere; adding the same index again does nothing."""
    params = request.params
    cluster = request.cluster
    definition = _definition(params.name, params.index_config)
    known = _definitions.setdefault(cluster, {}).setdefault(params.name, {})
    existing = known.get(definition.name)
    if existing is not None:
        if existing != definition:
            raise IllegalArgumentError(f"an index named {definition.name!r} with another definition exists")
        return
    known[definition.name] = definition
    state_key = (_MAP_SERVICE_NAME, params.name)
    context = _context(cluster)
    for member in cluster.live_members:
        for states in member.partitions:
            store = states.get(state_key)
            if store is None:
                continue
            if store.indexes is None:  # type: ignore[attr-defined]
                store.indexes = StoreIndexes(context)  # type: ignore[attr-defined]
            store.indexes.add(definition, store.records)  # type: ignore[attr-defined]
