"""The member side of MultiMap: handlers of the MultiMap protocol messages over per-partition containers.

Key operations run on the key's partition owner and copy the key's new state (its value collection or its lock) into
the backup replicas. Whole-map operations (size, keySet, clear...) visit every partition owner.

Locks use the generic :mod:`hazelcast.embedded.locks` store held by each container: a write of a key (put, remove,
removeEntry, delete) that another owner (client, thread) locked waits, as on a member, until the lock goes.

Entry events originate on the key's partition owner (:meth:`EventRegistry.publish_on_partition`): ``ADDED`` with the
value, ``REMOVED`` with the removed value as the old value (one event per value removed), and one ``CLEAR_ALL`` per
``clear`` from the member that handled it, carrying the number of keys removed. Values travel only to listeners that
asked for them (``includeValue``). Each listener's events have the event message type of the message that registered
it (``addEntryListener`` or ``addEntryListenerToKey``), which clients check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from hazelcast.embedded.events import EventRegistration
from hazelcast.embedded.locks import fail_waiters, lock_owner, remaining_timeout
from hazelcast.embedded.multimap.container import MultiMapContainer
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec, StateKey
from hazelcast.errors import DistributedObjectDestroyedError, IllegalMonitorStateError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["MULTIMAP_SERVICE", "MULTIMAP_SERVICE_NAME"]

#: The distributed-object service name of MultiMaps.
MULTIMAP_SERVICE_NAME = "hz:impl:multiMapService"

# EntryEventType values of the protocol.
ADDED = 1
REMOVED = 2
CLEAR_ALL = 64



# -- containers -----------------------------------------------------------------------------------------------------


def _container(cluster: EmbeddedCluster, partition_id: int, name: str, create: bool) -> MultiMapContainer | None:
    """The partition owner's container of MultiMap ``name``."""
    states = cluster.owners[partition_id].partitions[partition_id]
    key = (MULTIMAP_SERVICE_NAME, name)
    # Only this service keeps states under its keys, so the state found is one of its containers.
    container = cast("MultiMapContainer | None", states.get(key))
    if container is None and create:
        container = states[key] = MultiMapContainer(name, cluster.structure_configs.lookup("multimap", name))
    return container


def _key_partition(request: MemberRequest) -> int:
    """The request's partition, or the key's for a keyed message the protocol routes anywhere (valueCount)."""
    if request.partition_id >= 0:
        return request.partition_id
    return request.cluster.partition_id(request.params.key)


def _state_key(name: str) -> StateKey:
    return (MULTIMAP_SERVICE_NAME, name)


def _backup_key(request: MemberRequest, container: MultiMapContainer, key: bytes, partition_id: int) -> None:
    """Copy ``key``'s collection as it is now into the backup replicas."""
    if container.backup_count:
        collection = container.values.get(key)
        snapshot = collection.copy() if collection else None
        request.backup(
            container, _state_key(container.name), lambda backup: backup.set_values(key, snapshot),
            partition_id=partition_id,
        )


def _backup_lock(request: MemberRequest, container: MultiMapContainer, key: bytes) -> None:
    if container.backup_count:
        record = container.locks.locks.get(key)
        snapshot = record.copy() if record is not None else None
        request.backup(container, _state_key(container.name), lambda backup: backup.locks.set_record(key, snapshot))


# -- events ---------------------------------------------------------------------------------------------------------


def _publish_entry(
    request: MemberRequest, partition_id: int, name: str, key: bytes, event_type: int,
    value: bytes | None, old_value: bytes | None,
) -> None:
    events = request.cluster.events
    topic = _state_key(name)
    if not events.has_listeners(topic):
        return
    origin = request.cluster.owner_of(partition_id)

    def encode(registration: EventRegistration) -> bytearray | None:
        encode_event: Callable[..., bytearray]  # the event codec's encoder this service registered the listener with
        listen_key, include_value, encode_event = registration.options
        if listen_key is not None and listen_key != key:
            return None
        if include_value:
            return encode_event(key, value, old_value, None, event_type, origin.uuid, 1)
        return encode_event(key, None, None, None, event_type, origin.uuid, 1)

    events.publish(topic, origin, encode)


def _publish_removals(request: MemberRequest, partition_id: int, name: str, key: bytes, removed: list[bytes]) -> None:
    for value in removed:
        _publish_entry(request, partition_id, name, key, REMOVED, None, value)


# -- writes (wait while another owner holds the key's lock) ---------------------------------------------------------


def _when_unlocked(request: MemberRequest, container: MultiMapContainer, key: bytes, run: Callable[[], Any]) -> Any:
    """``run()`` now if the request's (client, thread) may write ``key``, else once the key's lock goes."""
    owner = lock_owner(request, request.params.thread_id)
    locks = container.locks
    if not locks.locks or locks.can_acquire(key, owner):
        return run()

    def attempt() -> bool:
        if not locks.can_acquire(key, owner):
            return False
        try:
            result = run()
        except Exception as error:
            request.fail(error)
        else:
            request.respond(result)
        return True

    locks.park(key, request, attempt)
    return PENDING


def multimap_put(request: MemberRequest) -> Any:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, True)
    assert container is not None

    def run() -> bool:
        if not container.add(params.key, params.value):
            return False
        _backup_key(request, container, params.key, request.partition_id)
        _publish_entry(request, request.partition_id, params.name, params.key, ADDED, params.value, None)
        return True

    return _when_unlocked(request, container, params.key, run)


def _remove_all(request: MemberRequest, respond_values: bool) -> Any:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    if container is None:
        return [] if respond_values else None

    def run() -> list[bytes] | None:
        removed = container.pop_key(params.key)
        if removed:
            _backup_key(request, container, params.key, request.partition_id)
            _publish_removals(request, request.partition_id, params.name, params.key, removed)
        return removed if respond_values else None

    return _when_unlocked(request, container, params.key, run)


def multimap_remove(request: MemberRequest) -> Any:
    return _remove_all(request, respond_values=True)


def multimap_delete(request: MemberRequest) -> Any:
    return _remove_all(request, respond_values=False)


def multimap_remove_entry(request: MemberRequest) -> Any:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    if container is None:
        return False

    def run() -> bool:
        if not container.remove_value(params.key, params.value):
            return False
        _backup_key(request, container, params.key, request.partition_id)
        _publish_entry(request, request.partition_id, params.name, params.key, REMOVED, None, params.value)
        return True

    return _when_unlocked(request, container, params.key, run)


def _group_by_partition(request: MemberRequest, entries: list[Any]) -> dict[int, list[Any]]:
    if request.partition_id >= 0:
        return {request.partition_id: entries}
    groups: dict[int, list[Any]] = {}
    partition_of = request.cluster.partition_id
    for entry in entries:
        groups.setdefault(partition_of(entry[0]), []).append(entry)
    return groups


def multimap_put_all(request: MemberRequest) -> None:
    params = request.params
    cluster = request.cluster
    for partition_id, entries in _group_by_partition(request, params.entries).items():
        container = _container(cluster, partition_id, params.name, True)
        assert container is not None
        for key, values in entries:
            added = [value for value in values if container.add(key, value)]
            if added:
                _backup_key(request, container, key, partition_id)
                for value in added:
                    _publish_entry(request, partition_id, params.name, key, ADDED, value, None)


# -- reads ----------------------------------------------------------------------------------------------------------


def multimap_get(request: MemberRequest) -> list[bytes]:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    return [] if container is None else container.values_of(params.key)


def multimap_value_count(request: MemberRequest) -> int:
    params = request.params
    container = _container(request.cluster, _key_partition(request), params.name, False)
    if container is None:
        return 0
    collection = container.values.get(params.key)
    return len(collection) if collection else 0


def multimap_contains_key(request: MemberRequest) -> bool:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    return container is not None and params.key in container.values


def multimap_contains_entry(request: MemberRequest) -> bool:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    if container is None:
        return False
    collection = container.values.get(params.key)
    return collection is not None and params.value in collection


def _containers(request: MemberRequest, name: str) -> Iterator[tuple[int, MultiMapContainer]]:
    return request.cluster.owned_states(_state_key(name))


def multimap_size(request: MemberRequest) -> int:
    return sum(len(c) for _, container in _containers(request, request.params) for c in container.values.values())


def multimap_contains_value(request: MemberRequest) -> bool:
    params = request.params
    return any(
        params.value in collection
        for _, container in _containers(request, params.name)
        for collection in container.values.values()
    )


def multimap_key_set(request: MemberRequest) -> list[bytes]:
    return [key for _, container in _containers(request, request.params) for key in container.values]


def multimap_values(request: MemberRequest) -> list[bytes]:
    return [
        value
        for _, container in _containers(request, request.params)
        for collection in container.values.values()
        for value in collection
    ]


def multimap_entry_set(request: MemberRequest) -> list[tuple[bytes, bytes]]:
    return [
        (key, value)
        for _, container in _containers(request, request.params)
        for key, collection in container.values.items()
        for value in collection
    ]


def multimap_clear(request: MemberRequest) -> None:
    name = request.params
    cluster = request.cluster
    state_key = _state_key(name)
    removed = 0
    for partition_id, container in list(_containers(request, name)):
        if container.values:
            cleared = container.clear_unlocked()
            if cleared and container.backup_count:
                cluster.apply_to_backups(partition_id, container, state_key, lambda backup: backup.clear_unlocked())
            removed += cleared
    events = cluster.events
    if events.has_listeners(state_key):
        origin = request.member
        events.publish(
            state_key, origin,
            lambda registration: registration.options[2](None, None, None, None, CLEAR_ALL, origin.uuid, removed),
        )


# -- locks ----------------------------------------------------------------------------------------------------------


def _lock_container(request: MemberRequest) -> MultiMapContainer:
    container = _container(request.cluster, request.partition_id, request.params.name, True)
    assert container is not None
    return container


def _try_acquire(request: MemberRequest, container: MultiMapContainer, lease_ms: int) -> bool:
    params = request.params
    key = params.key
    if not container.locks.acquire(key, lock_owner(request, params.thread_id), lease_ms, params.reference_id):
        return False
    _backup_lock(request, container, key)
    if lease_ms > 0:
        container.locks.schedule_lease_expiry(key)
    return True


def multimap_lock(request: MemberRequest) -> Any:
    container = _lock_container(request)
    lease_ms = request.params.ttl
    if _try_acquire(request, container, lease_ms):
        return None

    def attempt() -> bool:
        if not _try_acquire(request, container, lease_ms):
            return False
        request.respond(None)
        return True

    container.locks.park(request.params.key, request, attempt, owner=lock_owner(request, request.params.thread_id))
    return PENDING


def multimap_try_lock(request: MemberRequest) -> Any:
    params = request.params
    container = _lock_container(request)
    if _try_acquire(request, container, params.lease):
        return True
    if params.timeout <= 0:
        return False
    timeout_ms = remaining_timeout(request, params.timeout)

    def attempt() -> bool:
        if not _try_acquire(request, container, params.lease):
            return False
        request.respond(True)
        return True

    container.locks.park(
        params.key, request, attempt, timeout_ms, lambda: request.respond(False), lock_owner(request, params.thread_id)
    )
    return PENDING


def multimap_is_locked(request: MemberRequest) -> bool:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    return container is not None and container.locks.is_locked(params.key)


def _released(request: MemberRequest, container: MultiMapContainer, key: bytes) -> None:
    _backup_lock(request, container, key)
    if not container.locks.is_locked(key):
        container.locks.wake(key)


def multimap_unlock(request: MemberRequest) -> None:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    owner = lock_owner(request, params.thread_id)
    if container is None or not container.locks.release(params.key, owner, params.reference_id):
        # An unlock from an owner that is still waiting withdraws its wait (the client cancelled its lock call).
        if container is None or not container.locks.cancel_wait(params.key, owner):
            raise IllegalMonitorStateError("Current thread is not owner of the lock!")
        return
    _released(request, container, params.key)


def multimap_force_unlock(request: MemberRequest) -> None:
    params = request.params
    container = _container(request.cluster, request.partition_id, params.name, False)
    if container is not None and container.locks.force_release(params.key):
        _released(request, container, params.key)


# -- listeners ------------------------------------------------------------------------------------------------------


def multimap_add_entry_listener(request: MemberRequest) -> Any:
    params = request.params
    return request.cluster.events.add(
        request, _state_key(params.name), params.local_only, (None, params.include_value, request.route.codec.encode_event[0])
    )


def multimap_add_entry_listener_to_key(request: MemberRequest) -> Any:
    params = request.params
    return request.cluster.events.add(
        request, _state_key(params.name), params.local_only, (params.key, params.include_value, request.route.codec.encode_event[0])
    )


def multimap_remove_entry_listener(request: MemberRequest) -> bool:
    return request.cluster.events.remove(request, request.params.registration_id)


def _destroy(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
    # As on a member, destroying the object drops its listeners and answers the requests waiting for its locks.
    cluster.events.remove_topic(_state_key(name))
    fail_waiters(
        cluster,
        lambda request: request.route.name.startswith("MultiMap.") and request.params.name == name,
        DistributedObjectDestroyedError(f"MultiMap {name!r} was destroyed"),
    )


MULTIMAP_SERVICE = MemberServiceSpec(
    name="MultiMap",
    handlers={
        "MultiMap.put": multimap_put,
        "MultiMap.get": multimap_get,
        "MultiMap.remove": multimap_remove,
        "MultiMap.removeEntry": multimap_remove_entry,
        "MultiMap.delete": multimap_delete,
        "MultiMap.putAll": multimap_put_all,
        "MultiMap.keySet": multimap_key_set,
        "MultiMap.values": multimap_values,
        "MultiMap.entrySet": multimap_entry_set,
        "MultiMap.containsKey": multimap_contains_key,
        "MultiMap.containsValue": multimap_contains_value,
        "MultiMap.containsEntry": multimap_contains_entry,
        "MultiMap.size": multimap_size,
        "MultiMap.clear": multimap_clear,
        "MultiMap.valueCount": multimap_value_count,
        "MultiMap.lock": multimap_lock,
        "MultiMap.tryLock": multimap_try_lock,
        "MultiMap.isLocked": multimap_is_locked,
        "MultiMap.unlock": multimap_unlock,
        "MultiMap.forceUnlock": multimap_force_unlock,
        "MultiMap.addEntryListener": multimap_add_entry_listener,
        "MultiMap.addEntryListenerToKey": multimap_add_entry_listener_to_key,
        "MultiMap.removeEntryListener": multimap_remove_entry_listener,
    },
    object_service_names=(MULTIMAP_SERVICE_NAME,),
    destroy_object=_destroy,
)
