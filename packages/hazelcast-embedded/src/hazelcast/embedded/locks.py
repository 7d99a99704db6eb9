"""Key locks of partitioned data structures (IMap, MultiMap...): a generic per-partition lock store.

A structure's partition state holds one :class:`LockStore` as its ``locks`` attribute, so locks move, are copied to
backups and are dropped with the structure's data. The rules follow a Hazelcast member's lock service:

* the owner of a lock is ``(client uuid, thread id)``: the client's thread id is its task id, so a lock belongs to the
  asyncio task that took it;
* locks are reentrant: the owner may lock again, and must unlock as many times;
* a lease (ms) releases the lock by itself when it runs out; 0 or less (or Long.MAX_VALUE) is no lease;
* a request that must wait (``lock``, ``tryLock`` with a timeout, a write on a key another owner locked) is parked as
  a :class:`Waiter` of the key and answered later (``PENDING``); waiters are woken first in, first out whenever the
  key's lock goes (unlock, force unlock, lease expiry, the owner's client leaving); a waiter whose connection closed
  is dropped (its client retries the call elsewhere);
* a client that cancels its waiting ``lock`` sends ``unlock`` with the same thread id: the service then withdraws the
  owner's parked request with :meth:`LockStore.cancel_wait` instead of answering IllegalMonitorState;
* the locks of a client that has had no connection to any member for :data:`CLIENT_RELEASE_GRACE_SECONDS` are released
  by :func:`release_locks_of_departed_clients`, which :data:`LOCK_SERVICE` runs periodically.

``reference_id`` makes a retried lock or unlock idempotent: a repeated request with the reference id of the owner's
last successful one does not count twice.

Waiters live only on the owner's store object; a copy (migration, backup) carries the locks, not the waiters. A
waiter parked on a member that stops is failed with ``MemberLeftError`` (the client retries it on the new owner); one
parked on a member that is still running but no longer owns the partition (a member joined and took it) is run again
from the start on the new owner by the periodic task, where it parks again if it still has to wait.
"""

from __future__ import annotations

import asyncio
import time
import uuid
import weakref
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from hazelcast.embedded.spec import MemberServiceSpec, PeriodicTask
from hazelcast.errors import HazelcastError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.requests import MemberRequest

__all__ = [
    "CLIENT_RELEASE_GRACE_SECONDS",
    "LOCK_SERVICE",
    "LockOwner",
    "LockRecord",
    "LockStore",
    "Waiter",
    "fail_waiters",
    "lock_owner",
    "release_locks_of_departed_clients",
    "remaining_timeout",
]

#: (client uuid, thread id): who holds a lock.
LockOwner: TypeAlias = "tuple[uuid.UUID | None, int]"
#: How long a client may be without any connection before its locks are released (a Java member waits
#: ``hazelcast.client.endpoint.remove.delay.seconds``; this member is quicker so that tests see it).
CLIENT_RELEASE_GRACE_SECONDS = 1.0
_SWEEP_INTERVAL_SECONDS = 0.25
# Protocol durations at or above this (Long.MAX_VALUE in practice) mean "forever".
_FOREVER_MS = 2**62


def _now() -> int:
    return time.time_ns() // 1_000_000


def lock_owner(request: MemberRequest, thread_id: int) -> LockOwner:
    """The lock owner a request with ``thread_id`` acts for."""
    return (request.connection.client_uuid, thread_id)


_deadlines: weakref.WeakKeyDictionary[MemberRequest, float | None] = weakref.WeakKeyDictionary()


def remaining_timeout(request: MemberRequest, timeout_ms: int) -> int:
    """What is left (ms, -1 = no limit) of the ``timeout_ms`` a request asked to wait at most.

    The deadline is fixed at the request's first run, so that a request run again from the start (its partition
    moved while it waited) keeps the original deadline instead of waiting its whole timeout again.
    """
    if request in _deadlines:
        deadline = _deadlines[request]
    else:
        forever = timeout_ms < 0 or timeout_ms >= _FOREVER_MS
        deadline = _deadlines[request] = None if forever else time.monotonic() + timeout_ms / 1000
    if deadline is None:
        return -1
    return max(0, int((deadline - time.monotonic()) * 1000))


class LockRecord:
    """One held lock."""

    __slots__ = ("owner", "count", "lease_until", "reference_id")

    def __init__(self, owner: LockOwner, lease_until: int | None, reference_id: int) -> None:
        self.owner = owner
        self.count = 1
        #: Epoch ms when the lease runs out; None = held until unlocked.
        self.lease_until = lease_until
        self.reference_id = reference_id

    def copy(self) -> LockRecord:
        clone = LockRecord(self.owner, self.lease_until, self.reference_id)
        clone.count = self.count
        return clone


class Waiter:
    """A parked request waiting for a key's lock to go.

    ``attempt()`` tries the operation again and returns True when it completed (answered its request); ``expired()``
    answers the request when its timeout elapses first. ``owner`` is the lock owner the request acts for, if any (so
    that the owner can withdraw it).
    """

    __slots__ = ("request", "attempt", "expired", "owner", "timer")

    def __init__(
        self,
        request: MemberRequest,
        attempt: Callable[[], bool],
        expired: Callable[[], None] | None,
        owner: LockOwner | None = None,
    ) -> None:
        self.request = request
        self.attempt = attempt
        self.expired = expired
        self.owner = owner
        self.timer: asyncio.TimerHandle | None = None


class LockStore:
    """The locks of one structure's keys in one partition (a part of the structure's partition state)."""

    __slots__ = ("locks", "waiters", "__weakref__")

    def __init__(self) -> None:
        self.locks: dict[bytes, LockRecord] = {}
        #: Key -> parked requests, oldest first (owner only; never copied).
        self.waiters: dict[bytes, deque[Waiter]] = {}

    def copy(self) -> LockStore:
        clone = LockStore()
        clone.locks = {key: record.copy() for key, record in self.locks.items()}
        return clone

    # -- queries --------------------------------------------------------------------------------------------------

    def holder(self, key: bytes, now: int | None = None) -> LockRecord | None:
        """The live lock of ``key``; a lock whose lease ran out is dropped on the way."""
        record = self.locks.get(key)
        if record is None:
            return None
        if record.lease_until is not None and record.lease_until <= (_now() if now is None else now):
            del self.locks[key]
            return None
        return record

    def is_locked(self, key: bytes) -> bool:
        return self.holder(key) is not None

    def is_locked_by(self, key: bytes, owner: LockOwner) -> bool:
        record = self.holder(key)
        return record is not None and record.owner == owner

    def can_acquire(self, key: bytes, owner: LockOwner) -> bool:
        """Whether ``owner`` may lock ``key`` or write it: nobody else holds its lock."""
        record = self.holder(key)
        return record is None or record.owner == owner

    def locked_keys(self) -> set[bytes]:
        now = _now()
        return {key for key in list(self.locks) if self.holder(key, now) is not None}

    # -- changes (owner and backups apply the same ones) ----------------------------------------------------------

    def acquire(self, key: bytes, owner: LockOwner, lease_ms: int, reference_id: int) -> bool:
        """Lock ``key`` for ``owner`` (again, if it holds it); False when another owner holds it."""
        record = self.holder(key)
        lease_until = _now() + lease_ms if 0 < lease_ms < _FOREVER_MS else None
        if record is None:
            self.locks[key] = LockRecord(owner, lease_until, reference_id)
            return True
        if record.owner != owner:
            return False
        if record.reference_id != reference_id:
            record.count += 1
            record.reference_id = reference_id
        record.lease_until = lease_until
        return True

    def release(self, key: bytes, owner: LockOwner, reference_id: int) -> bool:
        """Undo one ``acquire`` of ``owner``; False when ``owner`` does not hold the lock."""
        record = self.holder(key)
        if record is None or record.owner != owner:
            return False
        if record.reference_id == -reference_id - 1:
            return True  # a retry of the unlock that already counted
        record.count -= 1
        record.reference_id = -reference_id - 1
        if record.count <= 0:
            del self.locks[key]
        return True

    def force_release(self, key: bytes) -> bool:
        return self.locks.pop(key, None) is not None

    def set_record(self, key: bytes, record: LockRecord | None) -> None:
        """Install the owner's lock state of ``key`` (on a backup replica); None removes it."""
        if record is None:
            self.locks.pop(key, None)
        else:
            self.locks[key] = record

    def release_clients(self, connected: set[uuid.UUID | None]) -> list[bytes]:
        """Release every lock whose client is not in ``connected``; returns their keys."""
        gone = [key for key, record in self.locks.items() if record.owner[0] not in connected]
        for key in gone:
            del self.locks[key]
        return gone

    # -- waiting --------------------------------------------------------------------------------------------------

    def park(
        self,
        key: bytes,
        request: MemberRequest,
        attempt: Callable[[], bool],
        timeout_ms: int = -1,
        expired: Callable[[], None] | None = None,
        owner: LockOwner | None = None,
    ) -> None:
        """Park ``request`` until ``attempt()`` succeeds after the key's lock goes, or ``timeout_ms`` (<0: never)."""
        waiter = Waiter(request, attempt, expired, owner)
        self.waiters.setdefault(key, deque()).append(waiter)
        _parked.add(self)
        if 0 <= timeout_ms < _FOREVER_MS:
            waiter.timer = asyncio.get_running_loop().call_later(timeout_ms / 1000, self._time_out, key, waiter)
        # Wake the waiters when the lease runs out (also for a lock this store received by migration).
        self.schedule_lease_expiry(key)

    def schedule_lease_expiry(self, key: bytes) -> None:
        """Wake ``key``'s waiters when the lease of its current lock runs out."""
        record = self.locks.get(key)
        if record is None or record.lease_until is None:
            return
        delay = max(0.0, (record.lease_until - _now()) / 1000) + 0.001
        asyncio.get_running_loop().call_later(delay, _wake_later, weakref.ref(self), key)

    def wake(self, key: bytes) -> None:
        """Retry the key's waiters in arrival order; those that complete leave the queue."""
        queue = self.waiters.get(key)
        if not queue:
            return
        for waiter in list(queue):
            if waiter.request.done or waiter.request.connection.closed:
                self._discard(key, waiter)
                continue
            if waiter.attempt():
                self._discard(key, waiter)

    def cancel_wait(self, key: bytes, owner: LockOwner) -> bool:
        """Withdraw the requests ``owner`` parked on ``key`` (its client cancelled the wait); True if there was one."""
        mine = [waiter for waiter in self.waiters.get(key, ()) if waiter.owner == owner]
        for waiter in mine:
            self._discard(key, waiter)
            if not waiter.request.done:
                waiter.request.fail(HazelcastError("the client cancelled this lock request"))
        return bool(mine)

    def waiting(self, key: bytes) -> int:
        """How many requests wait for ``key``."""
        return len(self.waiters.get(key, ()))

    def _time_out(self, key: bytes, waiter: Waiter) -> None:
        if self._discard(key, waiter) and not waiter.request.done and waiter.expired is not None:
            waiter.expired()

    def _discard(self, key: bytes, waiter: Waiter) -> bool:
        queue = self.waiters.get(key)
        if queue is None or waiter not in queue:
            return False
        queue.remove(waiter)
        if waiter.timer is not None:
            waiter.timer.cancel()
        if not queue:
            del self.waiters[key]
        return True


def _move_waiters_of_migrated_partitions(cluster: EmbeddedCluster) -> None:
    """Run again, on the partition's current owner, the waiters parked on a member that no longer owns it."""
    owners = cluster.owners
    for store in list(_parked):
        if not store.waiters:
            _parked.discard(store)
            continue
        for key, queue in list(store.waiters.items()):
            for waiter in list(queue):
                request = waiter.request
                if request.done:
                    store._discard(key, waiter)
                    continue
                if request.cluster is not cluster:
                    continue
                pid = request.partition_id
                if pid < 0 or not owners or owners[pid] is request.member:
                    continue
                store._discard(key, waiter)
                owner = owners[pid]
                request.member = owner
                if owner.suspended:
                    owner._deferred.append(request)
                else:
                    owner.run(request)


def fail_waiters(cluster: EmbeddedCluster, belongs: Callable[[MemberRequest], bool], error: BaseException) -> None:
    """Answer with ``error`` every parked request of ``cluster`` for which ``belongs(request)`` (its object was
    destroyed, say)."""
    for store in list(_parked):
        for key, queue in list(store.waiters.items()):
            for waiter in list(queue):
                request = waiter.request
                if request.cluster is cluster and belongs(request):
                    store._discard(key, waiter)
                    request.fail(error)


#: Lock stores with parked requests (weak: a dropped store takes its waiters with it).
_parked: weakref.WeakSet[LockStore] = weakref.WeakSet()


def _wake_later(store_ref: weakref.ref[LockStore], key: bytes) -> None:
    store = store_ref()
    if store is not None and key in store.waiters and not store.is_locked(key):
        store.wake(key)


# -- clients that left ----------------------------------------------------------------------------------------------

_missing_since: weakref.WeakKeyDictionary[Any, dict[uuid.UUID, float]] = weakref.WeakKeyDictionary()


def release_locks_of_departed_clients(cluster: EmbeddedCluster) -> None:
    """Release the locks of clients without a connection to any live member for the grace period, and wake waiters;
    first move the waiters of partitions that changed owner to the new owner.

    Finds locks in every partition state that has a ``locks`` :class:`LockStore`; backups drop the same locks.
    """
    _move_waiters_of_migrated_partitions(cluster)
    connected: set[uuid.UUID | None] = {
        connection.client_uuid
        for member in cluster.live_members
        for connection in member.connections
        if connection.authenticated and not connection.closed
    }
    now = time.monotonic()
    missing = _missing_since.setdefault(cluster, {})
    for client in [client for client in missing if client in connected]:
        del missing[client]
    owners = cluster.owners
    departed: set[uuid.UUID] | None = None
    for pid, owner in enumerate(owners):
        if owner.suspended:
            continue
        for state_key, state in list(owner.partitions[pid].items()):
            locks = getattr(state, "locks", None)
            if not isinstance(locks, LockStore) or not locks.locks:
                continue
            strangers = {record.owner[0] for record in locks.locks.values()} - connected
            if not strangers:
                continue
            for stranger in strangers:
                if stranger is not None:
                    missing.setdefault(stranger, now)
            if departed is None:
                departed = {c for c, since in missing.items() if now - since >= CLIENT_RELEASE_GRACE_SECONDS}
            keep = connected | (strangers - departed)
            released = locks.release_clients(keep)
            if not released:
                continue

            def drop_released(backup: Any, keys: list[bytes] = released) -> None:
                for released_key in keys:
                    backup.locks.set_record(released_key, None)

            cluster.apply_to_backups(pid, state, state_key, drop_released)
            for key in released:
                locks.wake(key)
    # Departed clients hold no more locks: forget them (one that comes back starts a new grace period).
    for client in departed or ():
        missing.pop(client, None)


#: Runs the release of departed clients' locks; it handles no messages of its own.
LOCK_SERVICE = MemberServiceSpec(
    name="Locks",
    handlers={},
    periodic_tasks=(PeriodicTask("locks.departed_clients", _SWEEP_INTERVAL_SECONDS, release_locks_of_departed_clients),),
)
