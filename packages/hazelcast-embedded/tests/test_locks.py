"""The generic key lock store (shared by Map and MultiMap): ownership, reentrancy, leases, waiters, clients that
leave."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.locks import LockStore, remaining_timeout
from hazelcast.errors import HazelcastError

ALICE = (uuid.uuid4(), 1)
ALICE_OTHER_TASK = (ALICE[0], 2)
BOB = (uuid.uuid4(), 1)


class FakeRequest:
    """What a waiter needs of a request: whether it was answered, its connection, failing it."""

    def __init__(self) -> None:
        self.done = False
        self.connection = SimpleNamespace(closed=False)
        self.failures: list[BaseException] = []

    def fail(self, error: BaseException) -> None:
        self.failures.append(error)
        self.done = True


def test_a_lock_is_reentrant_and_needs_as_many_releases() -> None:
    store = LockStore()
    assert store.acquire(b"k", ALICE, -1, 1)
    assert store.acquire(b"k", ALICE, -1, 2)
    assert not store.acquire(b"k", BOB, -1, 3)
    assert not store.acquire(b"k", ALICE_OTHER_TASK, -1, 4)
    assert store.release(b"k", ALICE, 5)
    assert store.is_locked_by(b"k", ALICE)
    assert store.release(b"k", ALICE, 6)
    assert not store.is_locked(b"k")
    assert not store.release(b"k", ALICE, 7)


def test_a_retried_request_does_not_count_twice() -> None:
    store = LockStore()
    assert store.acquire(b"k", ALICE, -1, 1)
    assert store.acquire(b"k", ALICE, -1, 1)  # the same lock request again
    assert store.release(b"k", ALICE, 2)
    assert not store.is_locked(b"k")
    assert store.acquire(b"k", ALICE, -1, 3)
    assert store.acquire(b"k", ALICE, -1, 4)
    assert store.release(b"k", ALICE, 5)
    assert store.release(b"k", ALICE, 5)  # the same unlock again: succeeds without counting
    assert store.is_locked_by(b"k", ALICE)
    assert store.release(b"k", ALICE, 6)
    assert not store.is_locked(b"k")


def test_only_the_owner_may_release_and_force_release_frees_any() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, -1, 1)
    assert not store.release(b"k", BOB, 2)
    assert store.can_acquire(b"k", ALICE)
    assert not store.can_acquire(b"k", BOB)
    assert store.force_release(b"k")
    assert not store.force_release(b"k")
    assert store.can_acquire(b"k", BOB)


async def test_a_lease_runs_out_by_itself() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, 50, 1)
    assert store.is_locked(b"k")
    await asyncio.sleep(0.08)
    assert not store.is_locked(b"k")
    assert store.acquire(b"k", BOB, -1, 2)


def test_copies_hold_the_locks_but_not_the_waiters() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, -1, 1)
    store.acquire(b"k", ALICE, -1, 2)
    clone = store.copy()
    assert clone.is_locked_by(b"k", ALICE)
    assert clone.release(b"k", ALICE, 3) and clone.is_locked(b"k")
    assert store.locks[b"k"].count == 2
    assert clone.waiters == {}


async def test_waiters_are_woken_in_arrival_order() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, -1, 1)
    granted: list[str] = []

    def attempt_for(name: str, owner: Any) -> Any:
        def attempt() -> bool:
            if not store.acquire(b"k", owner, -1, 10):
                return False
            granted.append(name)
            return True

        return attempt

    store.park(b"k", FakeRequest(), attempt_for("bob", BOB))  # type: ignore[arg-type]
    store.park(b"k", FakeRequest(), attempt_for("alice-2", ALICE_OTHER_TASK))  # type: ignore[arg-type]
    store.wake(b"k")
    assert granted == []  # still held
    store.release(b"k", ALICE, 2)
    store.wake(b"k")
    assert granted == ["bob"]
    store.release(b"k", BOB, 11)
    store.wake(b"k")
    assert granted == ["bob", "alice-2"]
    assert store.waiters == {}


async def test_a_waiter_times_out_and_an_answered_one_is_dropped() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, -1, 1)
    timed_out = asyncio.Event()
    store.park(b"k", FakeRequest(), lambda: store.acquire(b"k", BOB, -1, 2), 30, timed_out.set)  # type: ignore[arg-type]
    await asyncio.wait_for(timed_out.wait(), 2)
    assert store.waiters == {}
    answered = FakeRequest()
    attempts: list[int] = []
    store.park(b"k", answered, lambda: attempts.append(1) or True)  # type: ignore[arg-type]
    answered.done = True
    store.release(b"k", ALICE, 3)
    store.wake(b"k")
    assert attempts == [] and store.waiters == {}


async def test_a_lease_ending_wakes_the_waiters() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, 50, 1)
    woken = asyncio.Event()

    def attempt() -> bool:
        if store.acquire(b"k", BOB, -1, 2):
            woken.set()
            return True
        return False

    store.park(b"k", FakeRequest(), attempt)  # type: ignore[arg-type]
    await asyncio.wait_for(woken.wait(), 2)
    assert store.is_locked_by(b"k", BOB)


def test_release_clients_drops_the_locks_of_clients_not_connected() -> None:
    store = LockStore()
    store.acquire(b"a", ALICE, -1, 1)
    store.acquire(b"b", BOB, -1, 2)
    assert store.release_clients({BOB[0]}) == [b"a"]
    assert not store.is_locked(b"a")
    assert store.is_locked_by(b"b", BOB)


async def test_locks_of_a_raw_client_that_disconnects_are_released(connect: Any, wire: SimpleNamespace) -> None:
    async with EmbeddedCluster(member_count=3) as cluster:
        holder = await connect(cluster.addresses[0])
        other = await connect(cluster.addresses[1])
        key = wire.data_str("k")
        await holder.key_call("MultiMap.lock", "locked", key, 1, -1, 1)
        assert await other.key_call("MultiMap.isLocked", "locked", key) is True
        # A waiting lock request of the other client is answered once the holder is gone.
        correlation, request = other.encode(
            "MultiMap.lock", "locked", key, 7, -1, 2, partition_id=other.partition_of(key)
        )
        other.write(request)
        await holder.close()
        await other.response(correlation, timeout=5)
        assert await other.key_call("MultiMap.tryLock", "locked", key, 8, -1, 0, 3) is False
        assert await other.key_call("MultiMap.tryLock", "locked", key, 7, -1, 0, 4) is True


async def test_unlock_by_a_stranger_is_illegal_monitor_state(cluster: EmbeddedCluster, connect: Any,
                                                             wire: SimpleNamespace) -> None:
    client = await connect(cluster.addresses[0])
    with pytest.raises(wire.ProtocolError) as raised:
        await client.key_call("MultiMap.unlock", "m", wire.data_str("k"), 1, 1)
    assert "IllegalMonitorState" in raised.value.class_name


def test_an_unlock_from_a_waiting_owner_withdraws_its_wait() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, -1, 1)
    cancelled = FakeRequest()
    store.park(b"k", cancelled, lambda: True, owner=BOB)  # type: ignore[arg-type]
    assert store.waiting(b"k") == 1
    assert not store.cancel_wait(b"k", ALICE_OTHER_TASK)
    assert store.cancel_wait(b"k", BOB)
    assert isinstance(cancelled.failures[0], HazelcastError) and store.waiting(b"k") == 0
    assert store.is_locked_by(b"k", ALICE)


async def test_a_waiter_whose_connection_closed_is_dropped_when_woken() -> None:
    store = LockStore()
    store.acquire(b"k", ALICE, -1, 1)
    gone = FakeRequest()
    attempts: list[int] = []
    store.park(b"k", gone, lambda: attempts.append(1) or True)  # type: ignore[arg-type]
    gone.connection.closed = True
    store.release(b"k", ALICE, 2)
    store.wake(b"k")
    assert attempts == [] and store.waiters == {}


async def test_a_request_run_again_keeps_its_first_deadline() -> None:
    request: Any = FakeRequest()
    first = remaining_timeout(request, 10_000)
    assert 9_000 < first <= 10_000
    await asyncio.sleep(0.05)
    again = remaining_timeout(request, 10_000)
    assert again < first
    assert remaining_timeout(FakeRequest(), -1) == -1  # type: ignore[arg-type]
    assert remaining_timeout(FakeRequest(), 2**63 - 1) == -1  # type: ignore[arg-type]


def test_a_lease_of_long_max_value_is_no_lease() -> None:
    store = LockStore()
    assert store.acquire(b"k", ALICE, 2**63 - 1, 1)
    assert store.locks[b"k"].lease_until is None
