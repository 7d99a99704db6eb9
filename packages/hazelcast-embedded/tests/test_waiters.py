"""The FIFO wait queues of blocking requests (``hazelcast.embedded.waiters``), with stand-in requests."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from hazelcast.embedded.requests import PENDING
from hazelcast.embedded.waiters import WaitQueue, drop_waiters, waiters_of


class FakeRequest:
    def __init__(self, name: str) -> None:
        self.name = name
        self.connection = SimpleNamespace(closed=False)
        self.done = False
        self.answer: Any = None
        self.error: BaseException | None = None

    def respond(self, value: Any) -> None:
        self.done, self.answer = True, value

    def fail(self, error: BaseException) -> None:
        self.done, self.error = True, error


def _serving(stock: list[str]) -> Any:
    def attempt(request: FakeRequest) -> bool:
        if not stock:
            return False
        request.respond(stock.pop(0))
        return True

    return attempt


async def test_waiters_are_served_oldest_first_until_one_cannot_proceed() -> None:
    stock: list[str] = []
    queue = WaitQueue()
    requests = [FakeRequest(f"r{i}") for i in range(3)]
    for request in requests:
        assert queue.park(request, _serving(stock), -1, None) is PENDING  # type: ignore[arg-type]
    stock.extend(["a", "b"])
    queue.notify()
    assert [r.answer for r in requests] == ["a", "b", None]
    assert len(queue) == 1
    stock.append("c")
    queue.notify()
    assert requests[2].answer == "c" and len(queue) == 0


async def test_timeout_answers_with_the_timeout_value() -> None:
    queue = WaitQueue()
    request = FakeRequest("r")
    queue.park(request, _serving([]), 20, False)  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    assert request.done and request.answer is False
    assert not queue.has_waiters


async def test_a_waiter_whose_client_left_is_skipped_and_consumes_nothing() -> None:
    stock: list[str] = []
    queue = WaitQueue()
    gone, alive = FakeRequest("gone"), FakeRequest("alive")
    queue.park(gone, _serving(stock), -1, None)  # type: ignore[arg-type]
    queue.park(alive, _serving(stock), -1, None)  # type: ignore[arg-type]
    gone.connection.closed = True
    stock.append("item")
    queue.notify()
    assert not gone.done and alive.answer == "item"


async def test_an_attempt_may_notify_the_same_queue_again() -> None:
    stock: list[str] = []
    queue = WaitQueue()
    first, second = FakeRequest("1"), FakeRequest("2")

    def reentrant(request: FakeRequest) -> bool:
        if not stock:
            return False
        request.respond(stock.pop(0))
        stock.append("refill")
        queue.notify()  # a woken waiter's action wakes the queue it sits in
        return True

    queue.park(first, reentrant, -1, None)  # type: ignore[arg-type]
    queue.park(second, _serving(stock), -1, None)  # type: ignore[arg-type]
    stock.append("x")
    queue.notify()
    assert first.answer == "x" and second.answer == "refill" and len(queue) == 0


async def test_fail_all_and_the_cluster_registry() -> None:
    class Owner:
        """Stands for the cluster (held weakly by the registry)."""

    owner = Owner()
    request = FakeRequest("r")
    queue = waiters_of(owner, "key")  # type: ignore[arg-type]
    assert waiters_of(owner, "key") is queue  # type: ignore[arg-type]
    queue.park(request, _serving([]), 10_000, None)  # type: ignore[arg-type]
    drop_waiters(owner, "key", RuntimeError("destroyed"))  # type: ignore[arg-type]
    assert isinstance(request.error, RuntimeError)
    assert waiters_of(owner, "key") is not queue  # type: ignore[arg-type]
