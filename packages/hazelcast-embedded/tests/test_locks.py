"""The generic key-lock store (shared by Map and MultiMap): ownership, reentrancy, leases, parked requests."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.embedded.locks import LockStore, deadline_of
from hazelcast.errors import IllegalMonitorStateError

CLIENT_A, CLIENT_B = uuid.uuid4(), uuid.uuid4()
A, A2, B = (CLIENT_A, 1), (CLIENT_A, 2), (CLIENT_B, 1)


class FakeRequest:
    """What the lock store uses of a MemberRequest: re-running, answering, its connection."""

    def __init__(self, on_run: Any = None) -> None:
        self.runs = 0
        self.answers: list[Any] = []
        self.done = False
        self.connection = SimpleNamespace(closed=False)
        self.member = SimpleNamespace(run=self._run)
        self.partition_id = 0
        self.cluster = SimpleNamespace(owner_of=lambda partition_id: self.member)
        self._on_run = on_run

    def _run(self, request: FakeRequest) -> None:
        self.runs += 1
        if self._on_run is not None:
            self._on_run()

    def respond(self, result: Any) -> None:
        self.answers.append(result)
        self.done = True

    def fail(self, error: BaseException) -> None:
        self.answers.append(error)
        self.done = True


def test_ownership_and_reentrancy() -> None:
    store = LockStore(1)
    assert store.acquire(b"k", A, -1) and store.acquire(b"k", A, -1)
    assert not store.acquire(b"k", A2, -1) and not store.acquire(b"k", B, -1)
    assert store.can_write(b"k", A) and not store.can_write(b"k", B) and store.can_write(b"other", B)
    with pytest.raises(IllegalMonitorStateError):
        store.release(b"k", B)
    assert not store.release(b"k", A)
    assert store.is_locked(b"k")
    assert store.release(b"k", A)
    assert not store.is_locked(b"k")
    assert store.acquire(b"k", B, -1) and store.force_release(b"k") and not store.force_release(b"k")


def test_copies_carry_the_locks_and_share_the_waiters() -> None:
    store = LockStore(1)
    store.acquire(b"k", A, -1)
    store.park(b"k", FakeRequest(), B)  # type: ignore[arg-type]
    copy = store.copy()
    assert copy.is_locked(b"k") and copy.waiting(b"k") == 1  # parked requests follow the partition
    backup = store.new_backup()
    backup.set_lock(b"k", store.locks[b"k"].copy())
    assert backup.locks[b"k"].owner == A
    backup.set_lock(b"k", None)
    assert not backup.is_locked(b"k")


async def test_release_runs_parked_requests_again_in_order() -> None:
    store = LockStore(0)
    store.acquire(b"k", A, -1)
    order: list[str] = []
    first = FakeRequest(lambda: order.append("first"))
    second = FakeRequest(lambda: order.append("second"))
    answered = FakeRequest()
    answered.done = True
    store.park(b"k", first, B)  # type: ignore[arg-type]
    store.park(b"k", second, B)  # type: ignore[arg-type]
    store.park(b"k", answered, B)  # type: ignore[arg-type]
    store.release(b"k", A)
    assert order == ["first", "second"] and answered.runs == 0 and store.waiting(b"k") == 0


async def test_lease_ends_the_lock_and_wakes_waiters() -> None:
    store = LockStore(0)
    store.acquire(b"k", A, 50)
    waiter = FakeRequest()
    store.park(b"k", waiter, B)  # type: ignore[arg-type]
    await asyncio.sleep(0.1)
    assert not store.is_locked(b"k") and waiter.runs == 1


async def test_timeout_answers_and_cancel_withdraws() -> None:
    store = LockStore(0)
    store.acquire(b"k", A, -1)
    timed = FakeRequest()
    request: Any = timed
    deadline = deadline_of(request, 30)
    assert deadline_of(request, 5000) == deadline  # fixed at the first run
    store.park(b"k", request, B, deadline, lambda: timed.respond(False))
    await asyncio.sleep(0.06)
    assert timed.answers == [False] and store.waiting(b"k") == 0
    cancelled = FakeRequest()
    store.park(b"k", cancelled, B)  # type: ignore[arg-type]
    assert not store.release(b"k", B)  # not the owner, but it was waiting: the wait is withdrawn
    assert isinstance(cancelled.answers[0], Exception) and store.is_locked(b"k")


async def test_a_leaving_client_releases_its_locks_and_waits() -> None:
    store = LockStore(0)
    store.acquire(b"a", A, -1)
    store.acquire(b"b", B, -1)
    mine = FakeRequest()
    theirs = FakeRequest()
    store.park(b"b", mine, A2)  # type: ignore[arg-type]
    store.park(b"a", theirs, B)  # type: ignore[arg-type]
    assert store.release_client(CLIENT_A) == [b"a"]
    assert theirs.runs == 1 and store.waiting(b"b") == 0 and store.is_locked(b"b")
