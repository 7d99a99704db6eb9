"""The member side of ReplicatedMap: every member holds every entry; writes replicate to all members.

Each member keeps, in ``member.service_states["hz:impl:replicatedMapService"]``, one
:class:`~hazelcast.embedded.map.RecordStore` per replicated map (the IMap's records, with their TTL machinery). A write
(put, remove, putAll, clear) runs on the key's partition owner, which applies it to the store of every live member
before it answers, so a read served by any member (the protocol sends whole-map reads to a random partition) sees it.
A joining member copies the stores of the oldest member, as a Java member fills up from an older one; the data
survives the loss of members as long as one stays.

An entry put with a TTL expires on every member at once: a read that meets it treats it as absent, and a sweep every
:data:`EXPIRY_SWEEP_INTERVAL_SECONDS` removes expired entries, each with one ``EVICTED`` event.

Entry events originate on the key's partition owner (``ADDED``, ``UPDATED`` with the old value, ``REMOVED`` and
``EVICTED`` with the old value); ``CLEAR_ALL`` comes once from the member that handled the clear. A listener may
filter on a key and on a predicate: the member deserializes the predicate with the server classes plugins register
(:func:`~hazelcast.embedded.query.compile_predicate`) and evaluates it with :func:`predicate_matches`, the one place
that runs a predicate here.
Each listener's events have the event message type of the message that registered it, which clients check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.events import EventRegistration
from hazelcast.embedded.map.config import MapConfig
from hazelcast.embedded.map.records import RecordStore
from hazelcast.embedded.query import Predicate, QueryableEntry, compile_predicate, extraction_context
from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec, PeriodicTask

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = [
    "EXPIRY_SWEEP_INTERVAL_SECONDS",
    "REPLICATED_MAP_SERVICE",
    "REPLICATED_MAP_SERVICE_NAME",
    "predicate_matches",
    "sweep_expired_entries",
]

#: The distributed-object service name of replicated maps.
REPLICATED_MAP_SERVICE_NAME = "hz:impl:replicatedMapService"
EXPIRY_SWEEP_INTERVAL_SECONDS = 0.25

ADDED = 1
REMOVED = 2
UPDATED = 4
EVICTED = 8
CLEAR_ALL = 64

_STORE_CONFIG = MapConfig(backup_count=0, per_entry_stats_enabled=False)


def _now() -> int:
    return time.time_ns() // 1_000_000


def _stores(member: EmbeddedMember) -> dict[str, RecordStore]:
    stores: dict[str, RecordStore] | None = member.service_states.get(REPLICATED_MAP_SERVICE_NAME)
    if stores is None:
        stores = member.service_states[REPLICATED_MAP_SERVICE_NAME] = {}
    return stores


def _store(member: EmbeddedMember, name: str) -> RecordStore:
    stores = _stores(member)
    store = stores.get(name)
    if store is None:
        store = stores[name] = RecordStore(name, _STORE_CONFIG)
    return store


def _topic(name: str) -> tuple[str, str]:
    return (REPLICATED_MAP_SERVICE_NAME, name)


# -- predicates -----------------------------------------------------------------------------------------------------


def predicate_matches(predicate: Predicate, entry: QueryableEntry) -> bool:
    """Whether a listener's predicate selects ``entry``.

    ``predicate`` is what :func:`~hazelcast.embedded.query.compile_predicate` made of the predicate a client sent:
    one of the query engine's predicates, or a user's predicate class registered as a server class (the member calls
    its ``apply(entry)``); ``entry`` reads key and value attributes (``entry.attribute("age")``).
    """
    return predicate.matches(entry)


# -- events ---------------------------------------------------------------------------------------------------------


def _publish_entry(
    cluster: EmbeddedCluster, name: str, key: bytes, event_type: int, value: bytes | None, old_value: bytes | None
) -> None:
    topic = _topic(name)
    events = cluster.events
    if not events.has_listeners(topic):
        return
    origin = cluster.owner_of(cluster.partition_id(key))
    entry: list[QueryableEntry] = []

    def encode(registration: EventRegistration) -> bytearray | None:
        encode_event: Callable[..., bytearray]  # the event codec's encoder this service registered the listener with
        listen_key, predicate, encode_event = registration.options
        if listen_key is not None and listen_key != key:
            return None
        if predicate is not None:
            if not entry:
                entry.append(extraction_context(origin).entry(key, value if value is not None else old_value))
            if not predicate_matches(predicate, entry[0]):
                return None
        return encode_event(key, value, old_value, None, event_type, origin.uuid, 1)

    events.publish(topic, origin, encode)


# -- writes (on the key's owner, applied to every member) -----------------------------------------------------------


def _evict(cluster: EmbeddedCluster, name: str, keys: list[bytes], values: list[bytes]) -> None:
    for member in cluster.live_members:
        store = _stores(member).get(name)
        if store is not None:
            store.remove_keys(keys)
    for key, value in zip(keys, values):
        _publish_entry(cluster, name, key, EVICTED, None, value)


def _live_value(cluster: EmbeddedCluster, member: EmbeddedMember, name: str, key: bytes, now: int) -> bytes | None:
    store = _stores(member).get(name)
    if store is None:
        return None
    record = store.records.get(key)
    if record is None:
        return None
    if record.expiration_time <= now:
        _evict(cluster, name, [key], [record.value])
        return None
    return record.value


def _put(cluster: EmbeddedCluster, owner: EmbeddedMember, name: str, key: bytes, value: bytes, ttl: int) -> bytes | None:
    now = _now()
    old_value = _live_value(cluster, owner, name, key, now)
    ttl = max(ttl, 0)
    for member in cluster.live_members:
        _store(member, name).put(key, value, now, ttl, 0)
    if old_value is None:
        _publish_entry(cluster, name, key, ADDED, value, None)
    else:
        _publish_entry(cluster, name, key, UPDATED, value, old_value)
    return old_value


def replicated_map_put(request: MemberRequest) -> bytes | None:
    params = request.params
    return _put(request.cluster, request.member, params.name, params.key, params.value, params.ttl)


def replicated_map_put_all(request: MemberRequest) -> None:
    params = request.params
    cluster = request.cluster
    for key, value in params.entries:
        _put(cluster, cluster.owner_of(cluster.partition_id(key)), params.name, key, value, 0)


def replicated_map_remove(request: MemberRequest) -> bytes | None:
    params = request.params
    cluster = request.cluster
    old_value = _live_value(cluster, request.member, params.name, params.key, _now())
    if old_value is None:
        return None
    for member in cluster.live_members:
        store = _stores(member).get(params.name)
        if store is not None:
            store.records.pop(params.key, None)
    _publish_entry(cluster, params.name, params.key, REMOVED, None, old_value)
    return old_value


def replicated_map_clear(request: MemberRequest) -> None:
    name = request.params
    cluster = request.cluster
    live = _live_store(request, name)
    count = len(live.records) if live is not None else 0
    for member in cluster.live_members:
        store = _stores(member).get(name)
        if store is not None:
            store.records.clear()
    topic = _topic(name)
    if cluster.events.has_listeners(topic):
        origin = request.member
        cluster.events.publish(
            topic, origin,
            lambda registration: registration.options[2](None, None, None, None, CLEAR_ALL, origin.uuid, count),
        )


# -- reads (served by whichever member runs the request) ------------------------------------------------------------


def _live_store(request: MemberRequest, name: str) -> RecordStore | None:
    """The executing member's store of ``name``, its expired entries evicted first."""
    store = _stores(request.member).get(name)
    if store is not None and store.may_expire:
        now = _now()
        expired = store.expired_keys(now)
        if expired:
            _evict(request.cluster, name, expired, [store.records[key].value for key in expired])
    return store


def replicated_map_get(request: MemberRequest) -> bytes | None:
    params = request.params
    return _live_value(request.cluster, request.member, params.name, params.key, _now())


def replicated_map_contains_key(request: MemberRequest) -> bool:
    return replicated_map_get(request) is not None


def replicated_map_size(request: MemberRequest) -> int:
    store = _live_store(request, request.params)
    return 0 if store is None else len(store.records)


def replicated_map_is_empty(request: MemberRequest) -> bool:
    return replicated_map_size(request) == 0


def replicated_map_contains_value(request: MemberRequest) -> bool:
    params = request.params
    store = _live_store(request, params.name)
    return store is not None and any(record.value == params.value for record in store.records.values())


def replicated_map_key_set(request: MemberRequest) -> list[bytes]:
    store = _live_store(request, request.params)
    return [] if store is None else list(store.records)


def replicated_map_values(request: MemberRequest) -> list[bytes]:
    store = _live_store(request, request.params)
    return [] if store is None else [record.value for record in store.records.values()]


def replicated_map_entry_set(request: MemberRequest) -> list[tuple[bytes, bytes]]:
    store = _live_store(request, request.params)
    return [] if store is None else [(key, record.value) for key, record in store.records.items()]


# -- listeners ------------------------------------------------------------------------------------------------------


def _add_listener(request: MemberRequest, key: bytes | None, predicate_data: bytes | None) -> Any:
    params = request.params
    predicate = compile_predicate(request.cluster, predicate_data) if predicate_data is not None else None
    return request.cluster.events.add(request, _topic(params.name), params.local_only, (key, predicate, request.route.codec.encode_event[0]))


def replicated_map_add_entry_listener(request: MemberRequest) -> Any:
    return _add_listener(request, None, None)


def replicated_map_add_entry_listener_to_key(request: MemberRequest) -> Any:
    return _add_listener(request, request.params.key, None)


def replicated_map_add_entry_listener_with_predicate(request: MemberRequest) -> Any:
    return _add_listener(request, None, request.params.predicate)


def replicated_map_add_entry_listener_to_key_with_predicate(request: MemberRequest) -> Any:
    return _add_listener(request, request.params.key, request.params.predicate)


def replicated_map_remove_entry_listener(request: MemberRequest) -> bool:
    return request.cluster.events.remove(request, request.params.registration_id)


# -- cluster hooks --------------------------------------------------------------------------------------------------


def sweep_expired_entries(cluster: EmbeddedCluster) -> None:
    """Evict every expired entry (the members hold the same entries: the oldest member's stores say which)."""
    if not cluster.live_members:
        return
    now = _now()
    for name, store in list(_stores(cluster.live_members[0]).items()):
        if store.may_expire:
            expired = store.expired_keys(now)
            if expired:
                _evict(cluster, name, expired, [store.records[key].value for key in expired])


def _member_joining(cluster: EmbeddedCluster, member: EmbeddedMember) -> None:
    if cluster.live_members:
        source = _stores(cluster.live_members[0])
        member.service_states[REPLICATED_MAP_SERVICE_NAME] = {name: store.copy() for name, store in source.items()}


def _destroy(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
    for member in cluster.live_members:
        _stores(member).pop(name, None)
    cluster.events.remove_topic(_topic(name))


REPLICATED_MAP_SERVICE = MemberServiceSpec(
    name="ReplicatedMap",
    handlers={
        "ReplicatedMap.put": replicated_map_put,
        "ReplicatedMap.putAll": replicated_map_put_all,
        "ReplicatedMap.get": replicated_map_get,
        "ReplicatedMap.remove": replicated_map_remove,
        "ReplicatedMap.clear": replicated_map_clear,
        "ReplicatedMap.size": replicated_map_size,
        "ReplicatedMap.isEmpty": replicated_map_is_empty,
        "ReplicatedMap.containsKey": replicated_map_contains_key,
        "ReplicatedMap.containsValue": replicated_map_contains_value,
        "ReplicatedMap.keySet": replicated_map_key_set,
        "ReplicatedMap.values": replicated_map_values,
        "ReplicatedMap.entrySet": replicated_map_entry_set,
        "ReplicatedMap.addEntryListener": replicated_map_add_entry_listener,
        "ReplicatedMap.addEntryListenerToKey": replicated_map_add_entry_listener_to_key,
        "ReplicatedMap.addEntryListenerWithPredicate": replicated_map_add_entry_listener_with_predicate,
        "ReplicatedMap.addEntryListenerToKeyWithPredicate": replicated_map_add_entry_listener_to_key_with_predicate,
        "ReplicatedMap.removeEntryListener": replicated_map_remove_entry_listener,
    },
    object_service_names=(REPLICATED_MAP_SERVICE_NAME,),
    destroy_object=_destroy,
    periodic_tasks=(PeriodicTask("replicated_map.expiry", EXPIRY_SWEEP_INTERVAL_SECONDS, sweep_expired_entries),),
    member_joining=_member_joining,
)
