"""Map key locks on the member: ``Map.lock``/``tryLock``/``unlock``/``isLocked``/``forceUnlock`` and the guard that
makes writes of other owners wait for a locked key.

The locks themselves are the generic :class:`~hazelcast.embedded.locks.LockStore` of the map's namespace in the key's
partition; the owner of a request is ``(client uuid, threadId)``.

Writes that carry a thread id wait while another owner holds the key's lock: put, set, putIfAbsent, putTransient
(with or without max idle), replace, replaceIfSame, remove, delete, removeIfSame; tryPut and tryRemove wait at most
their timeout. ``evict`` skips a locked key, ``clear`` and ``evictAll`` keep locked entries. Reads never wait;
``setTtl`` and ``putAll`` (no thread id in their messages) do not wait either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hazelcast.embedded.locks import LockStore, Owner, deadline_of, lock_state_key, owned_lock_store
from hazelcast.embedded.requests import PENDING, MemberRequest

__all__ = ["LOCK_HANDLERS", "is_locked", "write_blocked"]

MAP_SERVICE_NAME = "hz:impl:mapService"


def _locks(request: MemberRequest, create: bool) -> LockStore | None:
    name = request.params.name
    backup_count = request.cluster.structure_configs.lookup("map", name).backup_count if create else 0
    return owned_lock_store(request, MAP_SERVICE_NAME, name, backup_count, create)  # type: ignore[no-any-return]


def _owner(request: MemberRequest) -> Owner:
    return request.client_uuid, getattr(request.params, "thread_id", 0)


def write_blocked(request: MemberRequest, timeout_ms: int = -1, on_timeout: Callable[[], None] | None = None) -> bool:
    """Whether the request's key is locked by another owner; if so the request is parked until the lock is released
    (then its handler runs again) or ``timeout_ms`` passes (``on_timeout`` answers), and the handler returns PENDING.
    """
    locks = _locks(request, False)
    if locks is None or not locks.locks:
        return False
    owner = _owner(request)
    key = request.params.key
    if locks.can_write(key, owner):
        return False
    locks.park(key, request, owner, deadline_of(request, timeout_ms), on_timeout)
    return True


def is_locked(request: MemberRequest, key: bytes) -> bool:
    """Whether ``key`` (of the request's map and partition) is locked by anyone."""
    locks = _locks(request, False)
    return locks is not None and bool(locks.locks) and locks.is_locked(key)


def _sync_backups(request: MemberRequest, locks: LockStore, key: bytes) -> None:
    if locks.backup_count:
        state = locks.locks.get(key)
        copy = None if state is None else state.copy()
        request.backup(
            locks, lock_state_key(MAP_SERVICE_NAME, request.params.name), lambda backup: backup.set_lock(key, copy)
        )


def _acquire(request: MemberRequest, lease_ms: int, timeout_ms: int, on_timeout: Callable[[], None] | None) -> Any:
    locks = _locks(request, True)
    assert locks is not None
    owner = _owner(request)
    key = request.params.key
    if locks.acquire(key, owner, lease_ms):
        _sync_backups(request, locks, key)
        return True
    if timeout_ms == 0:
        return False
    locks.park(key, request, owner, deadline_of(request, timeout_ms), on_timeout)
    return PENDING


def map_lock(request: MemberRequest) -> Any:
    result = _acquire(request, request.params.ttl, -1, None)
    return None if result is True else result


def map_try_lock(request: MemberRequest) -> Any:
    params = request.params
    return _acquire(request, params.lease, params.timeout, lambda: request.respond(False))


def map_unlock(request: MemberRequest) -> None:
    locks = _locks(request, True)
    assert locks is not None
    key = request.params.key
    # Backups first: waking the waiters may hand the lock to another owner at once.
    state = locks.holder(key)
    locks.release(key, _owner(request))
    if state is not None:
        _sync_backups(request, locks, key)


def map_force_unlock(request: MemberRequest) -> None:
    locks = _locks(request, False)
    key = request.params.key
    if locks is not None and locks.force_release(key):
        _sync_backups(request, locks, key)


def map_is_locked(request: MemberRequest) -> bool:
    return is_locked(request, request.params.key)


LOCK_HANDLERS = {
    "Map.lock": map_lock,
    "Map.tryLock": map_try_lock,
    "Map.unlock": map_unlock,
    "Map.forceUnlock": map_force_unlock,
    "Map.isLocked": map_is_locked,
}
