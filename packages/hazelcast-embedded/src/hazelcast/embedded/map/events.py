"""Map events on the member: entry listeners, near-cache invalidations and their metadata.

Every change of a map entry goes through :func:`entry_changed` (one entry) or :func:`map_wide_event` (``clear``,
``evictAll``); they publish, through the cluster's shared :class:`~hazelcast.embedded.events.EventRegistry`:

* an **entry event** (``ADDED``, ``UPDATED``, ``REMOVED``, ``EVICTED``, ``EXPIRED``, ``EVICT_ALL``, ``CLEAR_ALL``...)
  to the entry listeners of the map, originating on the partition's owner, so that a smart client (registered
  ``local_only`` on every member) receives it once and in change order per key. A registration keeps the listener's
  flags (event types it wants), ``include_value``, its key and its predicate; the member filters on them;
* a **near-cache invalidation** (``IMapInvalidation``; ``key = None`` clears the whole near cache) to the map's
  invalidation listeners. Each store carries its partition's ``partition_uuid`` and a sequence that grows with every
  change, which clients read with ``Map.fetchNearCacheInvalidationMetadata`` and compare with the events they
  receive to detect missed invalidations.

Predicate listeners: the predicate arrives as ``Data``; :func:`compile_listener_predicate` turns it, once at
registration, into ``matches(key_data, value_data) -> bool`` with the query engine
(:func:`~hazelcast.embedded.query.compile_predicate`): one of the engine's predicates (``hazelcast.predicate``), or a
user's predicate class registered as a server class, whose ``apply(entry)`` the member calls with a
:class:`~hazelcast.embedded.query.QueryableEntry`. An object that is no predicate is refused at registration with an
``IllegalArgumentException``; a class the member does not know, with a serialization error. A removal or an expiry
is matched against the old value.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.embedded.events import EventRegistration
from hazelcast.embedded.query import compile_predicate, extraction_context
from hazelcast.protocol import method
from hazelcast.proxy.base import EntryEventType

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.map.records import RecordStore
    from hazelcast.embedded.member import EmbeddedMember
    from hazelcast.embedded.requests import MemberRequest

__all__ = [
    "ADDED",
    "CLEAR_ALL",
    "EVICTED",
    "EVICT_ALL",
    "EXPIRED",
    "INVALIDATION",
    "REMOVED",
    "UPDATED",
    "EVENT_HANDLERS",
    "compile_listener_predicate",
    "entry_changed",
    "entries_invalidated",
    "map_wide_event",
]

MAP_SERVICE_NAME = "hz:impl:mapService"

# Entry event types, as plain ints for the hot path (the protocol's bit flags, defined once in EntryEventType).
ADDED = int(EntryEventType.ADDED)
REMOVED = int(EntryEventType.REMOVED)
UPDATED = int(EntryEventType.UPDATED)
EVICTED = int(EntryEventType.EVICTED)
EXPIRED = int(EntryEventType.EXPIRED)
EVICT_ALL = int(EntryEventType.EVICT_ALL)
CLEAR_ALL = int(EntryEventType.CLEAR_ALL)
MERGED = int(EntryEventType.MERGED)
INVALIDATION = int(EntryEventType.INVALIDATION)
LOADED = int(EntryEventType.LOADED)

_logger = structlog.get_logger("hazelcast.embedded")

#: The source and partition UUID of invalidations that have none (map-wide clears, changes without a client).
_NIL_UUID = uuid.UUID(int=0)

_ADD = method("Map.addEntryListener")
_ADD_TO_KEY = method("Map.addEntryListenerToKey")
_ADD_WITH_PREDICATE = method("Map.addEntryListenerWithPredicate")
_ADD_TO_KEY_WITH_PREDICATE = method("Map.addEntryListenerToKeyWithPredicate")
_ADD_INVALIDATION = method("Map.addNearCacheInvalidationListener")
_ENCODE_INVALIDATION = _ADD_INVALIDATION.encode_event[0]
_ENCODE_BATCH_INVALIDATION = _ADD_INVALIDATION.encode_event[1]


def entry_topic(name: str) -> tuple[str, str]:
    return MAP_SERVICE_NAME, name


def invalidation_topic(name: str) -> tuple[str, str]:
    return "hz:impl:mapService/invalidation", name


class _EntryListener:
    """What an entry listener registration asked for."""

    __slots__ = ("encode", "include_value", "flags", "key", "matches")

    def __init__(
        self,
        encode: Callable[..., bytearray],
        include_value: bool,
        flags: int,
        key: bytes | None,
        matches: Callable[[bytes, bytes | None], bool] | None,
    ) -> None:
        self.encode = encode
        self.include_value = include_value
        self.flags = flags
        self.key = key
        self.matches = matches


def compile_listener_predicate(cluster: EmbeddedCluster, predicate: bytes) -> Callable[[bytes, bytes | None], bool]:
    """``matches(key_data, value_data)`` for a listener's predicate (see the module docstring for the errors)."""
    matches = compile_predicate(cluster, predicate).matches
    context = extraction_context(cluster)
    return lambda key, value: bool(matches(context.entry(key, value)))


def _matches(listener: _EntryListener, key: bytes, value: bytes | None) -> bool:
    """A listener predicate that fails skips the event for that listener, never the change that caused it."""
    try:
        return listener.matches(key, value)  # type: ignore[misc]
    except Exception:
        _logger.warning("map.listener.predicate_failed", exc_info=True)
        return False


# -- publication ----------------------------------------------------------------------------------------------------


def entry_changed(
    cluster: EmbeddedCluster,
    partition_id: int,
    store: RecordStore,
    event_type: int,
    key: bytes,
    value: bytes | None,
    old_value: bytes | None,
    source: uuid.UUID | None = None,
) -> None:
    """Publish the change of one entry: entry event and near-cache invalidation."""
    store.invalidation_sequence += 1
    events = cluster.events
    if not events.listened:
        return
    name = store.name
    topic = invalidation_topic(name)
    if events.has_listeners(topic):
        sequence = store.invalidation_sequence
        partition_uuid = store.partition_uuid
        source_uuid = source or _NIL_UUID
        events.publish_on_partition(
            topic, partition_id, lambda _: _ENCODE_INVALIDATION(key, source_uuid, partition_uuid, sequence)
        )
    topic = entry_topic(name)
    if not events.has_listeners(topic):
        return
    origin = cluster.owner_of(partition_id)
    member_uuid = origin.uuid

    def encode(registration: EventRegistration) -> bytearray | None:
        listener: _EntryListener = registration.options
        if not listener.flags & event_type:
            return None
        if listener.key is not None and listener.key != key:
            return None
        if listener.matches is not None and not _matches(listener, key, value if value is not None else old_value):
            return None
        if listener.include_value:
            return listener.encode(key, value, old_value, None, event_type, member_uuid, 1)
        return listener.encode(key, None, None, None, event_type, member_uuid, 1)

    events.publish(topic, origin, encode)


def entries_invalidated(cluster: EmbeddedCluster, partition_id: int, store: RecordStore, keys: list[bytes]) -> None:
    """Invalidate several keys of one partition at once (one batch event), without entry events."""
    store.invalidation_sequence += len(keys)
    topic = invalidation_topic(store.name)
    if not keys or not cluster.events.has_listeners(topic):
        return
    last = store.invalidation_sequence
    sequences = list(range(last - len(keys) + 1, last + 1))
    count = len(keys)
    partition_uuid = store.partition_uuid
    cluster.events.publish_on_partition(
        topic,
        partition_id,
        lambda _: _ENCODE_BATCH_INVALIDATION(keys, [_NIL_UUID] * count, [partition_uuid] * count, sequences),
    )


def map_wide_event(
    cluster: EmbeddedCluster, origin: EmbeddedMember, name: str, event_type: int, affected: int,
    stores: list[RecordStore],
) -> None:
    """Publish ``CLEAR_ALL``/``EVICT_ALL`` for ``affected`` entries, from the member that ran the operation, and
    clear the near caches (an invalidation without key)."""
    for store in stores:
        store.invalidation_sequence += 1
    events = cluster.events
    topic = invalidation_topic(name)
    if events.has_listeners(topic):
        # Near caches drop everything on a key-less invalidation; partition sequences are checked on later events.
        events.publish(topic, origin, lambda _: _ENCODE_INVALIDATION(None, _NIL_UUID, _NIL_UUID, 0))
    if affected <= 0:
        return
    topic = entry_topic(name)
    member_uuid = origin.uuid

    def encode(registration: EventRegistration) -> bytearray | None:
        listener: _EntryListener = registration.options
        if not listener.flags & event_type:
            return None
        return listener.encode(None, None, None, None, event_type, member_uuid, affected)

    events.publish(topic, origin, encode)


# -- handlers -------------------------------------------------------------------------------------------------------


def _register(request: MemberRequest, codec: Any, key: bytes | None, predicate: bytes | None) -> uuid.UUID:
    params = request.params
    matches = compile_listener_predicate(request.cluster, predicate) if predicate is not None else None
    listener = _EntryListener(codec.encode_event[0], params.include_value, params.listener_flags, key, matches)
    return request.cluster.events.add(request, entry_topic(params.name), params.local_only, listener)


def map_add_entry_listener(request: MemberRequest) -> uuid.UUID:
    return _register(request, _ADD, None, None)


def map_add_entry_listener_to_key(request: MemberRequest) -> uuid.UUID:
    return _register(request, _ADD_TO_KEY, request.params.key, None)


def map_add_entry_listener_with_predicate(request: MemberRequest) -> uuid.UUID:
    return _register(request, _ADD_WITH_PREDICATE, None, request.params.predicate)


def map_add_entry_listener_to_key_with_predicate(request: MemberRequest) -> uuid.UUID:
    params = request.params
    return _register(request, _ADD_TO_KEY_WITH_PREDICATE, params.key, params.predicate)


def map_remove_entry_listener(request: MemberRequest) -> bool:
    # Entry and invalidation listeners share Map.removeEntryListener.
    return request.cluster.events.remove(request, request.params.registration_id)


def map_add_near_cache_invalidation_listener(request: MemberRequest) -> uuid.UUID:
    params = request.params
    return request.cluster.events.add(request, invalidation_topic(params.name), params.local_only)


def map_fetch_near_cache_invalidation_metadata(
    request: MemberRequest,
) -> tuple[list[tuple[str, list[tuple[int, int]]]], list[tuple[int, uuid.UUID]]]:
    """The sequences of the named maps and the partition UUIDs.

    A Java member answers for the partitions it owns and clients ask every member; the embedded cluster sees every
    owner at once and answers for all partitions, so that a unisocket client (one connection) learns them all too.
    """
    from hazelcast.embedded.map.service import partition_store

    cluster = request.cluster
    sequences = []
    partition_uuids: dict[int, uuid.UUID] = {}
    for name in request.params.names:
        per_partition = []
        for pid in range(cluster.partition_count):
            store = partition_store(cluster, pid, name)
            per_partition.append((pid, store.invalidation_sequence))
            partition_uuids.setdefault(pid, store.partition_uuid)
        sequences.append((name, per_partition))
    return sequences, list(partition_uuids.items())


EVENT_HANDLERS = {
    "Map.addEntryListener": map_add_entry_listener,
    "Map.addEntryListenerToKey": map_add_entry_listener_to_key,
    "Map.addEntryListenerWithPredicate": map_add_entry_listener_with_predicate,
    "Map.addEntryListenerToKeyWithPredicate": map_add_entry_listener_to_key_with_predicate,
    "Map.removeEntryListener": map_remove_entry_listener,
    "Map.addNearCacheInvalidationListener": map_add_near_cache_invalidation_listener,
    "Map.fetchNearCacheInvalidationMetadata": map_fetch_near_cache_invalidation_metadata,
}
