"""Key locks of partitioned structures (Map, MultiMap...), and the requests waiting for them.

Any service whose keys can be locked keeps, in each partition, one :class:`LockStore` per object under the state key
:func:`lock_state_key` ``(service name, object name)`` (Hazelcast's lock service keeps them the same way, per
*object namespace*). A lock has:

* an **owner**: ``(client uuid, thread id)``: the protocol's ``threadId`` stands for the asyncio task (or thread) of
  the client that locked it; the same task may lock again (**reentrancy**: as many unlocks as locks);
* an optional **lease**: the lock is released by itself at that time (epoch ms, as records' times are);
* a queue of **waiting requests**: a handler that cannot go on because another owner holds the lock (``lock``, a
  ``put`` on a locked key, ``tryLock`` with a timeout...) calls :meth:`LockStore.park` and returns
  :data:`~hazelcast.embedded.requests.PENDING`. When the lock is released (unlock, force unlock, lease end, owner's
  client gone) the parked requests are run again, in arrival order, from the start of their handler, which either
  answers or parks again; a request with a timeout keeps the deadline computed at its first run
  (:func:`deadline_of`) and is answered by its ``on_timeout`` when it passes.

A client that cancels its waiting ``lock`` call sends ``unlock`` with the same thread id: :meth:`LockStore.release`
then withdraws the parked request of that owner instead of failing (see ``cancel_wait``). When a client's last
connection closes, :func:`release_client_locks` releases every lock it held and drops its parked requests, as a
member does when a client leaves.

Lock states are copied to backup replicas by the service (``request.backup(store, key, lambda b: b.set_lock(...))``)
so that a lock survives the loss of its partition's owner. Parked requests follow the partition when it moves to
another member; those parked on a lost owner fail with it and the client retries them on the new owner.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hazelcast.errors import HazelcastError, IllegalMonitorStateError

if TYPE_CHECKING:
    import uuid

    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.requests import MemberRequest

__all__ = [
    "LOCK_SERVICE_NAME",
    "LockState",
    "LockStore",
    "Owner",
    "deadline_of",
    "lock_state_key",
    "connection_closed",
    "release_client_locks",
]

#: The service part of every lock store's state key (Hazelcast's lock service name).
LOCK_SERVICE_NAME = "hz:impl:lockService"
#: ``(client uuid, thread id)``.
Owner = tuple["uuid.UUID | None", int]

# Protocol durations at or above this (Long.MAX_VALUE in practice) mean "forever".
_FOREVER_MS = 2**62


def lock_state_key(service_name: str, name: str) -> tuple[str, str]:
    """Where the locks of object ``name`` of ``service_name`` sit in a partition container."""
    return LOCK_SERVICE_NAME, f"{service_name}/{name}"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


_deadlines: weakref.WeakKeyDictionary[MemberRequest, float | None] = weakref.WeakKeyDictionary()


def deadline_of(request: MemberRequest, timeout_ms: int) -> float | None:
    """The loop-clock deadline of a waiting request with ``timeout_ms`` (negative or huge = none), fixed at its first
    run so that a request run again after a release keeps its original deadline."""
    if request in _deadlines:
        return _deadlines[request]
    if timeout_ms < 0 or timeout_ms >= _FOREVER_MS:
        deadline = None
    else:
        deadline = asyncio.get_running_loop().time() + timeout_ms / 1000
    _deadlines[request] = deadline
    return deadline


class LockState:
    """One held lock."""

    __slots__ = ("owner", "count", "lease_end")

    def __init__(self, owner: Owner, count: int, lease_end: int | None) -> None:
        self.owner = owner
        self.count = count
        #: Epoch ms when the lock releases itself, or None.
        self.lease_end = lease_end

    def copy(self) -> LockState:
        return LockState(self.owner, self.count, self.lease_end)


class _Waiter:
    __slots__ = ("request", "owner", "on_timeout", "timer")

    def __init__(self, request: MemberRequest, owner: Owner, on_timeout: Callable[[], None] | None) -> None:
        self.request = request
        self.owner = owner
        self.on_timeout = on_timeout
        self.timer: asyncio.TimerHandle | None = None


class LockStore:
    """The locks of one object's keys in one partition: a :class:`~hazelcast.embedded.spec.PartitionState`."""

    __slots__ = ("backup_count", "locks", "_waiters", "_lease_timers")

    def __init__(self, backup_count: int, waiters: dict[bytes, list[_Waiter]] | None = None) -> None:
        self.backup_count = backup_count
        self.locks: dict[bytes, LockState] = {}
        # Shared with the copies made when the partition moves: a request parked on the old owner's store is woken
        # by a release on the new owner's, and then runs on the new owner.
        self._waiters: dict[bytes, list[_Waiter]] = {} if waiters is None else waiters
        self._lease_timers: dict[bytes, asyncio.TimerHandle] = {}

    # -- PartitionState ---------------------------------------------------------------------------------------------

    def copy(self) -> LockStore:
        clone = LockStore(self.backup_count, self._waiters)
        clone.locks = {key: state.copy() for key, state in self.locks.items()}
        return clone

    def new_backup(self) -> LockStore:
        return LockStore(self.backup_count)

    # -- queries ----------------------------------------------------------------------------------------------------

    def holder(self, key: bytes) -> LockState | None:
        """The live lock of ``key`` (a lock whose lease ended is dropped on the way), or None."""
        state = self.locks.get(key)
        if state is not None and state.lease_end is not None and state.lease_end <= _now_ms():
            del self.locks[key]
            return None
        return state

    def is_locked(self, key: bytes) -> bool:
        return self.holder(key) is not None

    def can_write(self, key: bytes, owner: Owner) -> bool:
        """Whether ``owner`` may change ``key``: it is unlocked, or locked by ``owner``."""
        if not self.locks:
            return True
        state = self.holder(key)
        return state is None or state.owner == owner

    # -- changes ----------------------------------------------------------------------------------------------------

    def acquire(self, key: bytes, owner: Owner, lease_ms: int) -> bool:
        """Take (or take again) the lock of ``key`` for ``owner`` with a lease of ``lease_ms`` (negative or huge =
        none); False if another owner holds it. A lease releases the lock on time and wakes the waiters."""
        state = self.holder(key)
        if state is not None and state.owner != owner:
            return False
        lease_end = None if lease_ms < 0 or lease_ms >= _FOREVER_MS else _now_ms() + lease_ms
        if state is None:
            self.locks[key] = LockState(owner, 1, lease_end)
        else:
            state.count += 1
            state.lease_end = lease_end
        timer = self._lease_timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        if lease_end is not None:
            self._lease_timers[key] = asyncio.get_running_loop().call_later(lease_ms / 1000, self._lease_ended, key, owner)
        return True

    def release(self, key: bytes, owner: Owner) -> bool:
        """Undo one lock of ``owner``; True when the key became free.

        An owner that does not hold the lock but has a parked request for it withdraws that request (the client
        cancelled its wait); otherwise :class:`~hazelcast.errors.IllegalMonitorStateError` is raised, as by a member.
        """
        state = self.holder(key)
        if state is None or state.owner != owner:
            if self.cancel_wait(key, owner):
                return False
            raise IllegalMonitorStateError("Current thread is not owner of the lock!")
        state.count -= 1
        if state.count > 0:
            return False
        self._free(key)
        return True

    def force_release(self, key: bytes) -> bool:
        """Release the lock of ``key`` whoever holds it; True if it was locked."""
        if self.holder(key) is None:
            return False
        self._free(key)
        return True

    def set_lock(self, key: bytes, state: LockState | None) -> None:
        """Install the owner's lock state of ``key`` (on a backup replica); None removes it."""
        if state is None:
            self.locks.pop(key, None)
        else:
            self.locks[key] = state

    def release_client(self, client_uuid: uuid.UUID) -> list[bytes]:
        """Release every lock ``client_uuid`` holds and drop its parked requests; the keys that became free."""
        freed = [key for key, state in self.locks.items() if state.owner[0] == client_uuid]
        for key, waiters in list(self._waiters.items()):
            kept = [w for w in waiters if w.owner[0] != client_uuid]
            for waiter in waiters:
                if waiter.owner[0] == client_uuid and waiter.timer is not None:
                    waiter.timer.cancel()
            if kept:
                self._waiters[key] = kept
            else:
                del self._waiters[key]
        for key in freed:
            self._free(key)
        return freed

    def _free(self, key: bytes) -> None:
        self.locks.pop(key, None)
        timer = self._lease_timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self.wake(key)

    def _lease_ended(self, key: bytes, owner: Owner) -> None:
        self._lease_timers.pop(key, None)
        state = self.locks.get(key)
        if state is not None and state.owner == owner and state.lease_end is not None and state.lease_end <= _now_ms() + 1:
            self._free(key)

    # -- waiting requests -------------------------------------------------------------------------------------------

    def park(
        self,
        key: bytes,
        request: MemberRequest,
        owner: Owner,
        deadline: float | None = None,
        on_timeout: Callable[[], None] | None = None,
    ) -> None:
        """Keep ``request`` until the lock of ``key`` is released (then its handler runs again) or until the loop
        reaches ``deadline`` (then ``on_timeout()`` answers it)."""
        waiter = _Waiter(request, owner, on_timeout)
        self._waiters.setdefault(key, []).append(waiter)
        state = self.locks.get(key)
        if state is not None and state.lease_end is not None and key not in self._lease_timers:
            # A lock this store did not take (copied from a lost owner) still ends with its lease.
            delay = max(0.0, (state.lease_end - _now_ms()) / 1000)
            self._lease_timers[key] = asyncio.get_running_loop().call_later(
                delay, self._lease_ended, key, state.owner
            )
        if deadline is not None:
            waiter.timer = asyncio.get_running_loop().call_at(deadline, self._timed_out, key, waiter)

    def cancel_wait(self, key: bytes, owner: Owner) -> bool:
        """Withdraw the parked requests of ``owner`` for ``key``; True if there was one."""
        waiters = self._waiters.get(key)
        if not waiters:
            return False
        mine = [w for w in waiters if w.owner == owner]
        if not mine:
            return False
        for waiter in mine:
            waiters.remove(waiter)
            if waiter.timer is not None:
                waiter.timer.cancel()
            waiter.request.fail(HazelcastError("the client cancelled this lock request"))
        if not waiters:
            del self._waiters[key]
        return True

    def wake(self, key: bytes) -> None:
        """Run the requests parked on ``key`` again, in arrival order (those that still cannot go on park again)."""
        waiters = self._waiters.pop(key, None)
        if not waiters:
            return
        for waiter in waiters:
            if waiter.timer is not None:
                waiter.timer.cancel()
            request = waiter.request
            if request.done or request.connection.closed:
                continue
            # The partition may have moved while the request waited: it runs where the partition is now.
            owner = request.cluster.owner_of(request.partition_id)
            request.member = owner
            owner.run(request)

    def _timed_out(self, key: bytes, waiter: _Waiter) -> None:
        waiters = self._waiters.get(key)
        if waiters is None or waiter not in waiters:
            return
        waiters.remove(waiter)
        if not waiters:
            del self._waiters[key]
        if waiter.request.done:
            return
        if waiter.on_timeout is not None:
            waiter.on_timeout()
        else:
            waiter.request.respond(None)

    def waiting(self, key: bytes) -> int:
        """How many requests wait for ``key``."""
        return len(self._waiters.get(key, ()))


def owned_lock_store(request: MemberRequest, service_name: str, name: str, backup_count: int, create: bool) -> Any:
    """The partition owner's lock store of object ``name`` in the request's partition (created if ``create``)."""
    states = request.member.partitions[request.partition_id]
    key = lock_state_key(service_name, name)
    store = states.get(key)
    if store is None and create:
        store = states[key] = LockStore(backup_count)
    return store


def release_client_locks(cluster: EmbeddedCluster, client_uuid: uuid.UUID) -> int:
    """Release every lock ``client_uuid`` holds in the cluster (its last connection closed); how many were freed."""
    freed = 0
    for partition_id, owner in enumerate(cluster.owners):
        for state_key, store in list(owner.partitions[partition_id].items()):
            if state_key[0] != LOCK_SERVICE_NAME:
                continue
            keys = store.release_client(client_uuid)
            freed += len(keys)
            if keys and store.backup_count:
                cluster.apply_to_backups(
                    partition_id, store, state_key, lambda backup, keys=keys: [backup.set_lock(k, None) for k in keys]
                )
    return freed


def connection_closed(cluster: EmbeddedCluster, client_uuid: uuid.UUID | None) -> None:
    """A client connection closed: when it was the client's last one, release the client's locks."""
    if client_uuid is None:
        return
    for member in cluster.live_members:
        for connection in member.connections:
            if connection.client_uuid == client_uuid and not connection.closed:
                return
    release_client_locks(cluster, client_uuid)
