"""Map key locks on the member: ``Map.lock``/``tryLock``/``unlock``/``isLocked``/``forceUnlock`` and the guard that
makes writes of other owners wait for a locked key.

The locks themselves are the generic :class:`~hazelcast.embedded.locks.LockStore` that each partition's
:class:`~hazelcast.embedded.map.records.RecordStore` holds as ``locks`` (so they move, are copied to backups and go
with the map's data, as MultiMap's do); the owner of a request is ``(client uuid, threadId)``.

Writes that carry a thread id wait while another owner holds the key's lock: put, set, putIfAbsent, putTransient
(with or without max idle), replace, replaceIfSame, remove, delete, removeIfSame, executeOnKey; tryPut and tryRemove
wait at most their timeout. A waiting write is run again from the start of its handler once the lock goes. ``evict``
skips a locked key, ``clear`` and ``evictAll`` keep locked entries. Reads never wait; ``setTtl`` and ``putAll`` (no
thread id in their messages) do not wait either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from hazelcast.embedded.locks import LockOwner, lock_owner, remaining_timeout
from hazelcast.embedded.map.records import RecordStore
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.errors import IllegalMonitorStateError

__all__ = ["LOCK_HANDLERS", "is_locked", "must_wait", "write_blocked"]

MAP_SERVICE_NAME = "hz:impl:mapService"


def _store(request: MemberRequest, create: bool) -> RecordStore | None:
    """The partition owner's store of the request's map (created when missing if ``create``)."""
    states = request.member.partitions[request.partition_id]
    store = cast("RecordStore | None", states.get((MAP_SERVICE_NAME, request.params.name)))
    if store is None and create:
        from hazelcast.embedded.map.service import partition_store  # the service imports this module

        store = partition_store(request.cluster, request.partition_id, request.params.name)
    return store


def _owner(request: MemberRequest) -> LockOwner:
    return lock_owner(request, getattr(request.params, "thread_id", 0))


def _run_again(request: MemberRequest) -> None:
    """Run the request's handler again from the start, where its partition lives now."""
    owner = request.cluster.owner_of(request.partition_id)
    request.member = owner
    owner.run(request)


def write_blocked(request: MemberRequest, timeout_ms: int = -1, on_timeout: Callable[[], None] | None = None) -> bool:
    """Whether the request's key is locked by another owner; if so the request is parked until the lock goes (then
    its handler runs again) or ``timeout_ms`` passes (``on_timeout`` answers), and the handler returns PENDING."""
    store = _store(request, False)
    if store is None or not store.locks.locks:
        return False
    locks = store.locks
    owner = _owner(request)
    key = request.params.key
    if locks.can_acquire(key, owner):
        return False

    def attempt() -> bool:
        if not locks.can_acquire(key, owner):
            return False
        _run_again(request)
        return True

    locks.park(key, request, attempt, remaining_timeout(request, timeout_ms), on_timeout, owner)
    return True


def must_wait(request: MemberRequest) -> bool:
    """Whether the request's key is locked by another owner (a write would wait); nothing is parked."""
    store = _store(request, False)
    return store is not None and bool(store.locks.locks) and not store.locks.can_acquire(request.params.key, _owner(request))


def is_locked(request: MemberRequest, key: bytes) -> bool:
    """Whether ``key`` (of the request's map and partition) is locked by anyone."""
    store = _store(request, False)
    return store is not None and bool(store.locks.locks) and store.locks.is_locked(key)


def _sync_backups(request: MemberRequest, store: RecordStore, key: bytes) -> None:
    if store.backup_count:
        record = store.locks.locks.get(key)
        snapshot = None if record is None else record.copy()
        request.backup(
            store, (MAP_SERVICE_NAME, request.params.name), lambda backup: backup.locks.set_record(key, snapshot)
        )


def _try_acquire(request: MemberRequest, store: RecordStore, lease_ms: int) -> bool:
    params = request.params
    if not store.locks.acquire(params.key, _owner(request), lease_ms, params.reference_id):
        return False
    _sync_backups(request, store, params.key)
    store.locks.schedule_lease_expiry(params.key)
    return True


def _acquire(request: MemberRequest, lease_ms: int, timeout_ms: int, granted: Any) -> Any:
    """Lock the request's key, or park until it can (at most ``timeout_ms``, negative = no limit); the handler's
    answer: ``granted`` when locked now, False when the timeout is 0, else PENDING."""
    store = _store(request, True)
    assert store is not None
    if _try_acquire(request, store, lease_ms):
        return granted
    timeout_ms = remaining_timeout(request, timeout_ms)
    if timeout_ms == 0:
        return False

    def attempt() -> bool:
        if not _try_acquire(request, store, lease_ms):
            return False
        request.respond(granted)
        return True

    store.locks.park(request.params.key, request, attempt, timeout_ms, lambda: request.respond(False), _owner(request))
    return PENDING


def map_lock(request: MemberRequest) -> Any:
    return _acquire(request, request.params.ttl, -1, None)


def map_try_lock(request: MemberRequest) -> Any:
    params = request.params
    return _acquire(request, params.lease, params.timeout, True)


def _released(request: MemberRequest, store: RecordStore, key: bytes) -> None:
    # Backups first: waking the waiters may hand the lock to another owner at once.
    _sync_backups(request, store, key)
    if not store.locks.is_locked(key):
        store.locks.wake(key)


def map_unlock(request: MemberRequest) -> None:
    params = request.params
    store = _store(request, False)
    owner = _owner(request)
    if store is None or not store.locks.release(params.key, owner, params.reference_id):
        # An unlock from an owner that is still waiting withdraws its wait (the client cancelled its lock call).
        if store is None or not store.locks.cancel_wait(params.key, owner):
            raise IllegalMonitorStateError("Current thread is not owner of the lock!")
        return
    _released(request, store, params.key)


def map_force_unlock(request: MemberRequest) -> None:
    store = _store(request, False)
    key = request.params.key
    if store is not None and store.locks.force_release(key):
        _released(request, store, key)


def map_is_locked(request: MemberRequest) -> bool:
    return is_locked(request, request.params.key)


LOCK_HANDLERS = {
    "Map.lock": map_lock,
    "Map.tryLock": map_try_lock,
    "Map.unlock": map_unlock,
    "Map.forceUnlock": map_force_unlock,
    "Map.isLocked": map_is_locked,
}
