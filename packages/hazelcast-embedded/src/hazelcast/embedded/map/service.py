"""The member side of IMap: handlers of the Map protocol messages over per-partition record stores.

Key operations run on the partition owner and copy each change into the backup replicas (so the client receives
backup acknowledgements when it asked for them). Whole-map operations (size, keySet, clear...) visit every partition's
owner. Expired entries are removed when an operation meets them and by a sweep every
:data:`EXPIRY_SWEEP_INTERVAL_SECONDS`, on the owner and its backups alike.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from hazelcast.core import SimpleEntryView
from hazelcast.embedded.locks import fail_waiters
from hazelcast.embedded.map import events
from hazelcast.embedded.map.events import EVENT_HANDLERS, entry_changed
from hazelcast.embedded.map.eviction import evict_to_size
from hazelcast.embedded.map.indexing import attach_indexes, forget_indexes, map_add_index
from hazelcast.embedded.map.interception import forget_interceptors, with_interceptors
from hazelcast.embedded.map.locks import LOCK_HANDLERS, is_locked, write_blocked
from hazelcast.embedded.map.processing import PROCESSING_HANDLERS
from hazelcast.embedded.map.query_handlers import QUERY_HANDLERS
from hazelcast.embedded.map.records import NEVER, Record, RecordStore
from hazelcast.embedded.map.store import forget_map_store, with_map_store
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec, PeriodicTask, StateKey
from hazelcast.errors import DistributedObjectDestroyedError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = [
    "EXPIRY_SWEEP_INTERVAL_SECONDS",
    "MAP_SERVICE",
    "MAP_SERVICE_NAME",
    "partition_store",
    "sweep_expired_entries",
]

#: The distributed-object service name of maps (``Client.createProxy``/``destroyProxy``).
MAP_SERVICE_NAME = "hz:impl:mapService"
EXPIRY_SWEEP_INTERVAL_SECONDS = 1.0


#: What a member reports for an entry statistic it does not keep.
UNSET = -1


def _now() -> int:
    return time.time_ns() // 1_000_000


def _new_store(cluster: EmbeddedCluster, name: str) -> RecordStore:
    store = RecordStore(name, cluster.structure_configs.lookup("map", name))
    attach_indexes(cluster, store)
    return store


def _owned_store(request: MemberRequest, name: str, create: bool) -> tuple[RecordStore | None, StateKey]:
    """The owner's store of map ``name`` in the request's partition."""
    key = (MAP_SERVICE_NAME, name)
    states = request.member.partitions[request.partition_id]
    store = states.get(key)
    if store is None and create:
        store = states[key] = _new_store(request.cluster, name)
    return store, key  # type: ignore[return-value]


def _partition_store(
    cluster: EmbeddedCluster, partition_id: int, name: str, create: bool
) -> tuple[RecordStore | None, StateKey]:
    key = (MAP_SERVICE_NAME, name)
    states = cluster.owners[partition_id].partitions[partition_id]
    store = states.get(key)
    if store is None and create:
        store = states[key] = _new_store(cluster, name)
    return store, key  # type: ignore[return-value]


def partition_store(cluster: EmbeddedCluster, partition_id: int, name: str) -> RecordStore:
    """The owner's store of map ``name`` in ``partition_id``, created when missing."""
    store, _ = _partition_store(cluster, partition_id, name, True)
    assert store is not None
    return store


def _expire(cluster: EmbeddedCluster, partition_id: int, store: RecordStore, key: StateKey, keys: list[bytes]) -> None:
    records = store.records
    for expired_key in keys:
        record = records.get(expired_key)
        if record is not None:
            entry_changed(cluster, partition_id, store, events.EXPIRED, expired_key, None, record.value)
    store.remove_keys(keys)
    if store.backup_count:
        cluster.apply_to_backups(partition_id, store, key, lambda backup: backup.remove_keys(keys))


def _live(
    cluster: EmbeddedCluster, partition_id: int, store: RecordStore, state_key: StateKey, key: bytes, now: int
) -> Record | None:
    """The entry for ``key`` if it exists and has not expired; an expired one is removed on the way."""
    record = store.records.get(key)
    if record is not None and record.expiration_time <= now:
        _expire(cluster, partition_id, store, state_key, [key])
        return None
    return record


def _owned_live_record(request: MemberRequest) -> tuple[RecordStore, StateKey, Record, int] | None:
    """The owner's live entry of the request's key, with its store, state key and the time used; None if absent."""
    params = request.params
    store, state_key = _owned_store(request, params.name, False)
    if store is None:
        return None
    now = _now()
    record = _live(request.cluster, request.partition_id, store, state_key, params.key, now)
    return None if record is None else (store, state_key, record, now)


def _backup_record(request: MemberRequest, store: RecordStore, state_key: StateKey, key: bytes, record: Record) -> None:
    if request.has_backups(store):
        request.backup(store, state_key, lambda backup: backup.set_record(key, record.copy()))


def _backup_removal(request: MemberRequest, store: RecordStore, state_key: StateKey, key: bytes) -> None:
    if request.has_backups(store):
        request.backup(store, state_key, lambda backup: backup.remove(key))


# -- writes ---------------------------------------------------------------------------------------------------------


def _changed(request: MemberRequest, store: RecordStore, event_type: int, value: bytes | None,
             old_value: bytes | None) -> None:
    entry_changed(request.cluster, request.partition_id, store, event_type, request.params.key, value, old_value,
                  request.client_uuid)


def _put(request: MemberRequest, ttl: int, max_idle: int, only_if_absent: bool = False) -> Any:
    """Write the request's entry; returns the previous value (or PENDING while another owner locks the key)."""
    params = request.params
    store, state_key = _owned_store(request, params.name, True)
    assert store is not None
    if store.locks.locks and write_blocked(request):
        return PENDING
    now = _now()
    current = _live(request.cluster, request.partition_id, store, state_key, params.key, now)
    if current is not None:
        if only_if_absent:
            return current.value
        old_value: bytes | None = current.value
    else:
        old_value = None
    record = store.put(params.key, params.value, now, store.ttl_for(ttl), store.max_idle_for(max_idle))
    _backup_record(request, store, state_key, params.key, record)
    _changed(request, store, events.ADDED if old_value is None else events.UPDATED, params.value, old_value)
    if current is None and store.size_bounded:
        evict_to_size(request, store, state_key, request.partition_id, params.key)
    return old_value


def map_put(request: MemberRequest) -> Any:
    return _put(request, request.params.ttl, -1)


def map_put_with_max_idle(request: MemberRequest) -> Any:
    return _put(request, request.params.ttl, request.params.max_idle)


def map_set(request: MemberRequest) -> Any:
    return PENDING if _put(request, request.params.ttl, -1) is PENDING else None


def map_set_with_max_idle(request: MemberRequest) -> Any:
    return PENDING if _put(request, request.params.ttl, request.params.max_idle) is PENDING else None


def map_try_put(request: MemberRequest) -> Any:
    """Put unless another owner keeps the key locked for longer than the timeout (then False)."""
    if write_blocked(request, request.params.timeout, lambda: request.respond(False)):
        return PENDING
    _put(request, -1, -1)
    return True


def map_put_if_absent(request: MemberRequest) -> Any:
    return _put(request, request.params.ttl, -1, only_if_absent=True)


def map_put_if_absent_with_max_idle(request: MemberRequest) -> Any:
    return _put(request, request.params.ttl, request.params.max_idle, only_if_absent=True)


def map_replace(request: MemberRequest) -> Any:
    if write_blocked(request):
        return PENDING
    params = request.params
    found = _owned_live_record(request)
    if found is None:
        return None
    store, state_key, record, now = found
    old_value = record.value
    store.update_value(params.key, record, params.value, now)
    _backup_record(request, store, state_key, params.key, record)
    _changed(request, store, events.UPDATED, params.value, old_value)
    return old_value


def map_replace_if_same(request: MemberRequest) -> Any:
    if write_blocked(request):
        return PENDING
    params = request.params
    store, state_key = _owned_store(request, params.name, False)
    if store is None:
        return False
    now = _now()
    record = _live(request.cluster, request.partition_id, store, state_key, params.key, now)
    if record is None or record.value != params.test_value:
        return False
    old_value = record.value
    store.update_value(params.key, record, params.value, now)
    _backup_record(request, store, state_key, params.key, record)
    _changed(request, store, events.UPDATED, params.value, old_value)
    return True


def _remove(
    request: MemberRequest, expected: bytes | None = None, event_type: int = events.REMOVED, with_old: bool = True
) -> Any:
    """Remove the entry (only if its value is ``expected``, when given); the removed record, None, or PENDING while
    another owner locks the key. The event carries the old value only ``with_old`` (``delete`` sends none)."""
    if write_blocked(request):
        return PENDING
    params = request.params
    store, state_key = _owned_store(request, params.name, False)
    if store is None:
        return None
    record = _live(request.cluster, request.partition_id, store, state_key, params.key, _now())
    if record is None or (expected is not None and record.value != expected):
        return None
    store.remove(params.key)
    _backup_removal(request, store, state_key, params.key)
    _changed(request, store, event_type, None, record.value if with_old else None)
    return record


def map_remove(request: MemberRequest) -> Any:
    record = _remove(request)
    return record if record is None or record is PENDING else record.value


def map_delete(request: MemberRequest) -> Any:
    record = _remove(request, with_old=False)
    return PENDING if record is PENDING else record is not None


def map_remove_if_same(request: MemberRequest) -> Any:
    record = _remove(request, expected=request.params.value)
    return PENDING if record is PENDING else record is not None


def map_try_remove(request: MemberRequest) -> Any:
    """Remove unless another owner keeps the key locked for longer than the timeout (then False)."""
    if write_blocked(request, request.params.timeout, lambda: request.respond(False)):
        return PENDING
    return _remove(request) is not None


def map_evict(request: MemberRequest) -> bool:
    """Evict the entry unless it is locked (by anyone), publishing EVICTED."""
    if is_locked(request, request.params.key):
        return False
    return _remove(request, event_type=events.EVICTED) is not None


def map_set_ttl(request: MemberRequest) -> bool:
    params = request.params
    found = _owned_live_record(request)
    if found is None:
        return False
    store, state_key, record, now = found
    store.set_ttl(record, store.ttl_for(params.ttl), now)
    _backup_record(request, store, state_key, params.key, record)
    # The value is unchanged, but a near cache must learn the new expiry from the member.
    events.entries_invalidated(request.cluster, request.partition_id, store, [params.key])
    return True


def _group_by_partition(request: MemberRequest, items: list[Any], key_of: Any) -> dict[int, list[Any]]:
    """Items of a multi-key request per partition: the header's partition when the client grouped them already."""
    if request.partition_id >= 0:
        return {request.partition_id: items}
    groups: dict[int, list[Any]] = {}
    partition_of = request.cluster.partition_id
    for item in items:
        groups.setdefault(partition_of(key_of(item)), []).append(item)
    return groups


def map_put_all(request: MemberRequest) -> None:
    params = request.params
    cluster = request.cluster
    now = _now()
    for partition_id, entries in _group_by_partition(request, params.entries, lambda entry: entry[0]).items():
        store, state_key = _partition_store(cluster, partition_id, params.name, True)
        assert store is not None
        ttl, max_idle = store.default_ttl, store.default_max_idle
        written = []
        for key, value in entries:
            current = _live(cluster, partition_id, store, state_key, key, now)
            record = store.put(key, value, now, ttl, max_idle)
            written.append((key, record))
            entry_changed(cluster, partition_id, store, events.ADDED if current is None else events.UPDATED, key,
                          value, None if current is None else current.value, request.client_uuid)
        if store.backup_count:

            def apply(backup: RecordStore, written: list[tuple[bytes, Record]] = written) -> None:
                for key, record in written:
                    backup.set_record(key, record.copy())

            request.backup(store, state_key, apply, partition_id=partition_id)
        if store.size_bounded:
            evict_to_size(request, store, state_key, partition_id, None)


# -- reads ----------------------------------------------------------------------------------------------------------


def map_get(request: MemberRequest) -> bytes | None:
    found = _owned_live_record(request)
    if found is None:
        return None
    store, _, record, now = found
    store.touch(record, now)
    return record.value


def map_contains_key(request: MemberRequest) -> bool:
    params = request.params
    store, state_key = _owned_store(request, params.name, False)
    if store is None:
        return False
    return _live(request.cluster, request.partition_id, store, state_key, params.key, _now()) is not None


def map_get_all(request: MemberRequest) -> list[tuple[bytes, bytes]]:
    params = request.params
    cluster = request.cluster
    now = _now()
    found: list[tuple[bytes, bytes]] = []
    for partition_id, keys in _group_by_partition(request, params.keys, lambda key: key).items():
        store, state_key = _partition_store(cluster, partition_id, params.name, False)
        if store is None:
            continue
        for key in keys:
            record = _live(cluster, partition_id, store, state_key, key, now)
            if record is not None:
                store.touch(record, now)
                found.append((key, record.value))
    return found


def map_get_entry_view(request: MemberRequest) -> tuple[SimpleEntryView[bytes, bytes] | None, int]:
    params = request.params
    store, state_key = _owned_store(request, params.name, False)
    if store is None:
        return None, -1
    record = _live(request.cluster, request.partition_id, store, state_key, params.key, _now())
    if record is None:
        return None, -1
    max_idle = record.max_idle if record.max_idle > 0 else NEVER
    # Without per-entry statistics a member keeps no times nor hits for the entry and reports them as -1 (unset).
    stats = store.stats_enabled
    view = SimpleEntryView(
        key=params.key,
        value=record.value,
        cost=len(params.key) + len(record.value),
        creation_time=record.creation_time if stats else UNSET,
        expiration_time=record.expiration_time,
        hits=record.hits if stats else UNSET,
        last_access_time=record.last_access_time if stats else UNSET,
        last_stored_time=UNSET,
        last_update_time=record.last_update_time if stats else UNSET,
        version=record.version,
        ttl=record.ttl if record.ttl > 0 else NEVER,
        max_idle=max_idle,
    )
    return view, max_idle


# -- whole-map operations -------------------------------------------------------------------------------------------


def _stores(request: MemberRequest, name: str) -> Iterator[tuple[int, RecordStore]]:
    """Every partition owner's store of map ``name``, with expired entries already removed."""
    cluster = request.cluster
    state_key = (MAP_SERVICE_NAME, name)
    now = _now()
    for partition_id, store in list(cluster.owned_states(state_key)):
        if store.may_expire:
            expired = store.expired_keys(now)
            if expired:
                _expire(cluster, partition_id, store, state_key, expired)
        yield partition_id, store


def map_size(request: MemberRequest) -> int:
    return sum(len(store.records) for _, store in _stores(request, request.params))


def map_is_empty(request: MemberRequest) -> bool:
    return not any(store.records for _, store in _stores(request, request.params))


def map_contains_value(request: MemberRequest) -> bool:
    params = request.params
    value = params.value
    return any(
        record.value == value for _, store in _stores(request, params.name) for record in store.records.values()
    )


def map_key_set(request: MemberRequest) -> list[bytes]:
    return [key for _, store in _stores(request, request.params) for key in store.records]


def map_values(request: MemberRequest) -> list[bytes]:
    return [record.value for _, store in _stores(request, request.params) for record in store.records.values()]


def map_entry_set(request: MemberRequest) -> list[tuple[bytes, bytes]]:
    return [
        (key, record.value)
        for _, store in _stores(request, request.params)
        for key, record in store.records.items()
    ]


def _remove_all(request: MemberRequest, event_type: int) -> None:
    """``clear``/``evictAll``: remove every entry except the locked ones, then publish one map-wide event with the
    count, from the member that ran the operation."""
    cluster = request.cluster
    name = request.params
    state_key = (MAP_SERVICE_NAME, name)
    affected = 0
    stores = []
    for partition_id, store in _stores(request, name):
        stores.append(store)
        if not store.records:
            continue
        locks = store.locks
        removed = [key for key in store.records if not locks.locks or not locks.is_locked(key)]
        if not removed:
            continue
        affected += len(removed)
        if len(removed) == len(store.records):
            store.clear()
            if store.backup_count:
                cluster.apply_to_backups(partition_id, store, state_key, lambda backup: backup.clear())
            continue
        store.remove_keys(removed)
        if store.backup_count:

            def remove_from(backup: RecordStore, removed: list[bytes] = removed) -> None:
                backup.remove_keys(removed)

            cluster.apply_to_backups(partition_id, store, state_key, remove_from)
    events.map_wide_event(cluster, request.connection.member, name, event_type, affected, stores)


def map_clear(request: MemberRequest) -> None:
    _remove_all(request, events.CLEAR_ALL)


def map_evict_all(request: MemberRequest) -> None:
    _remove_all(request, events.EVICT_ALL)


def map_flush(request: MemberRequest) -> None:
    """Maps without a MapStore have nothing to flush."""


# -- expiry sweep ---------------------------------------------------------------------------------------------------


def sweep_expired_entries(cluster: EmbeddedCluster) -> None:
    """Remove every expired entry from every owner (and its backups); suspended owners are left alone."""
    now = _now()
    for partition_id, owner in enumerate(cluster.owners):
        if owner.suspended:
            continue
        for state_key, store in list(owner.partitions[partition_id].items()):
            if state_key[0] != MAP_SERVICE_NAME or not store.may_expire:  # type: ignore[attr-defined]
                continue
            expired = store.expired_keys(now)  # type: ignore[attr-defined]
            if expired:
                _expire(cluster, partition_id, store, state_key, expired)  # type: ignore[arg-type]


def _forget_map(cluster: EmbeddedCluster, service_name: str, name: str | None) -> None:
    """A destroyed map's indexes, interceptors, store state, listeners and lock waiters go with it (name None: every
    map's); its entries and locks go with its record stores."""
    forget_indexes(cluster, service_name, name)
    if service_name != MAP_SERVICE_NAME:
        return
    forget_interceptors(cluster, name)
    forget_map_store(cluster, name)
    if name is not None:
        cluster.events.remove_topic(events.entry_topic(name))
        cluster.events.remove_topic(events.invalidation_topic(name))
        fail_waiters(
            cluster,
            lambda request: request.route.name.startswith("Map.") and getattr(request.params, "name", None) == name,
            DistributedObjectDestroyedError(f"Map {name!r} was destroyed"),
        )


def _member_joining(cluster: EmbeddedCluster, member: Any) -> None:
    if not cluster.live_members:
        # Every member had gone and this one forms a new cluster, without the old one's maps.
        _forget_map(cluster, MAP_SERVICE_NAME, None)


MAP_SERVICE = MemberServiceSpec(
    name="Map",
    # Every handler first lets the map's MapStore (if configured) load, and some write through it (store.py); the
    # map's interceptors run around gets, puts and removals (interception.py).
    handlers=with_map_store(with_interceptors({
        "Map.put": map_put,
        "Map.get": map_get,
        "Map.set": map_set,
        "Map.remove": map_remove,
        "Map.delete": map_delete,
        "Map.containsKey": map_contains_key,
        "Map.containsValue": map_contains_value,
        "Map.putAll": map_put_all,
        "Map.getAll": map_get_all,
        "Map.putIfAbsent": map_put_if_absent,
        "Map.replace": map_replace,
        "Map.replaceIfSame": map_replace_if_same,
        "Map.removeIfSame": map_remove_if_same,
        "Map.size": map_size,
        "Map.isEmpty": map_is_empty,
        "Map.clear": map_clear,
        "Map.keySet": map_key_set,
        "Map.values": map_values,
        "Map.entrySet": map_entry_set,
        "Map.getEntryView": map_get_entry_view,
        "Map.setTtl": map_set_ttl,
        "Map.evict": map_evict,
        "Map.evictAll": map_evict_all,
        "Map.flush": map_flush,
        "Map.putTransient": map_set,
        "Map.putTransientWithMaxIdle": map_set_with_max_idle,
        "Map.tryPut": map_try_put,
        "Map.tryRemove": map_try_remove,
        "Map.putWithMaxIdle": map_put_with_max_idle,
        "Map.putIfAbsentWithMaxIdle": map_put_if_absent_with_max_idle,
        "Map.setWithMaxIdle": map_set_with_max_idle,
        # Queries, indexes and entry processors (query_handlers.py, indexing.py, processing.py).
        "Map.addIndex": map_add_index,
        **QUERY_HANDLERS,
        **PROCESSING_HANDLERS,
    })) | EVENT_HANDLERS | LOCK_HANDLERS,  # listeners (events.py) and key locks (locks.py) load nothing
    object_service_names=(MAP_SERVICE_NAME,),
    destroy_object=_forget_map,
    member_joining=_member_joining,
    periodic_tasks=(PeriodicTask("map.expiry", EXPIRY_SWEEP_INTERVAL_SECONDS, sweep_expired_entries),),
)
