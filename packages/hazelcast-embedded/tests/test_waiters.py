"""The wait queues of parked blocking requests (``hazelcast.embedded.waiters``), with stand-in requests: served by
attempts (queues) or walked by their structure (CP), timeouts, retries that take a waiter's place, and the cluster's
registry."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace
from typing import Any

from hazelcast.embedded.requests import PENDING
from hazelcast.embedded.waiters import WaitQueue, drop_waiters, waiters_of


class FakeRequest:
    """Records how a parked request was answered (only its first answer counts, as on a real request)."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, Any]] = []
        self.connection = SimpleNamespace(closed=False)

    @property
    def done(self) -> bool:
        return bool(self.answers)

    @property
    def answer(self) -> Any:
        """The value it was answered with, None while unanswered."""
        return self.answers[0][1] if self.answers else None

    def respond(self, result: Any) -> None:
        if not self.done:
            self.answers.append(("respond", result))

    def fail(self, error: BaseException) -> None:
        if not self.done:
            self.answers.append(("fail", type(error).__name__))


def _serving(stock: list[str]) -> Any:
    def attempt(request: FakeRequest) -> bool:
        if not stock:
            return False
        request.respond(stock.pop(0))
        return True

    return attempt


# -- served by attempts (queues) --------------------------------------------------------------------------------------


async def test_waiters_are_served_oldest_first_until_one_cannot_proceed() -> None:
    stock: list[str] = []
    queue = WaitQueue()
    requests = [FakeRequest() for _ in range(3)]
    for request in requests:
        assert queue.park(request, -1, None, attempt=_serving(stock)) is PENDING  # type: ignore[arg-type]
    stock.extend(["a", "b"])
    queue.notify()
    assert [r.answer for r in requests] == ["a", "b", None]
    assert len(queue) == 1
    stock.append("c")
    queue.notify()
    assert requests[2].answer == "c" and len(queue) == 0


async def test_timeout_answers_with_the_timeout_value() -> None:
    queue = WaitQueue()
    request = FakeRequest()
    queue.park(request, 20, False, attempt=_serving([]))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    assert request.answers == [("respond", False)]
    assert not queue.has_waiters


async def test_a_waiter_whose_client_left_is_skipped_and_consumes_nothing() -> None:
    stock: list[str] = []
    queue = WaitQueue()
    gone, alive = FakeRequest(), FakeRequest()
    queue.park(gone, -1, None, attempt=_serving(stock))  # type: ignore[arg-type]
    queue.park(alive, -1, None, attempt=_serving(stock))  # type: ignore[arg-type]
    gone.connection.closed = True
    assert queue.has_waiters
    stock.append("item")
    queue.notify()
    assert not gone.done and alive.answer == "item"
    assert len(queue) == 0


async def test_has_waiters_drops_the_waiters_whose_client_left() -> None:
    queue = WaitQueue()
    gone = FakeRequest()
    queue.park(gone, -1, None, attempt=_serving([]))  # type: ignore[arg-type]
    gone.connection.closed = True
    assert not queue.has_waiters and len(queue) == 0


async def test_an_attempt_may_notify_the_same_queue_again() -> None:
    stock: list[str] = []
    queue = WaitQueue()
    first, second = FakeRequest(), FakeRequest()

    def reentrant(request: FakeRequest) -> bool:
        if not stock:
            return False
        request.respond(stock.pop(0))
        stock.append("refill")
        queue.notify()  # a woken waiter's action wakes the queue it sits in
        return True

    queue.park(first, -1, None, attempt=reentrant)  # type: ignore[arg-type]
    queue.park(second, -1, None, attempt=_serving(stock))  # type: ignore[arg-type]
    stock.append("x")
    queue.notify()
    assert first.answer == "x" and second.answer == "refill" and len(queue) == 0


async def test_a_nested_round_that_cannot_serve_leaves_the_running_waiter_at_the_head() -> None:
    queue = WaitQueue()
    first, second = FakeRequest(), FakeRequest()
    tries: list[str] = []

    def refusing_after_a_nested_round(request: FakeRequest) -> bool:
        tries.append("first")
        queue.notify()  # passes over this running waiter; the second cannot proceed either
        return False

    def refusing(request: FakeRequest) -> bool:
        tries.append("second")
        return False

    queue.park(first, -1, None, attempt=refusing_after_a_nested_round)  # type: ignore[arg-type]
    queue.park(second, -1, None, attempt=refusing)  # type: ignore[arg-type]
    queue.notify()
    assert tries == ["first", "second"]
    assert [w.request for w in queue] == [first, second]


async def test_fail_all_and_the_cluster_registry() -> None:
    class Owner:
        """Stands for the cluster (held weakly by the registry)."""

    owner = Owner()
    request = FakeRequest()
    queue = waiters_of(owner, "key")  # type: ignore[arg-type]
    assert waiters_of(owner, "key") is queue  # type: ignore[arg-type]
    queue.park(request, 10_000, None, attempt=_serving([]))  # type: ignore[arg-type]
    drop_waiters(owner, "key", RuntimeError("destroyed"))  # type: ignore[arg-type]
    assert request.answers == [("fail", "RuntimeError")]
    assert waiters_of(owner, "key") is not queue  # type: ignore[arg-type]


# -- walked by their structure (CP) -----------------------------------------------------------------------------------


async def test_waiters_come_out_in_arrival_order_and_are_answered() -> None:
    queue = WaitQueue()
    requests = [FakeRequest() for _ in range(3)]
    for index, request in enumerate(requests):
        assert queue.park(request, -1, False, payload=index) is PENDING  # type: ignore[arg-type]
    assert [w.payload for w in queue] == [0, 1, 2]
    first, second, third = queue.waiters()
    queue.respond(second, "yes")
    queue.fail(first, ValueError("no"))
    queue.discard(third)
    assert len(queue) == 0
    assert [r.answers for r in requests] == [[("fail", "ValueError")], [("respond", "yes")], []]


async def test_a_waiter_is_answered_at_its_timeout_once() -> None:
    timed_out: list[Any] = []
    queue = WaitQueue(on_timeout=timed_out.append)
    request = FakeRequest()
    queue.park(request, 30, "too late", key=uuid.uuid4())  # type: ignore[arg-type]
    await asyncio.sleep(0.1)
    assert request.answers == [("respond", "too late")]
    assert len(queue) == 0 and len(timed_out) == 1
    answered = FakeRequest()
    queue.park(answered, 30, "too late")  # type: ignore[arg-type]
    queue.respond(queue.waiters()[0], "in time")
    await asyncio.sleep(0.1)
    assert answered.answers == [("respond", "in time")]


async def test_a_retry_takes_the_place_of_its_waiter() -> None:
    queue = WaitQueue()
    key = uuid.uuid4()
    original, retry, other = FakeRequest(), FakeRequest(), FakeRequest()
    queue.park(original, -1, None, key=key)  # type: ignore[arg-type]
    queue.park(other, -1, None, key=uuid.uuid4())  # type: ignore[arg-type]
    assert queue.retried(retry, key) is True  # type: ignore[arg-type]
    assert queue.retried(FakeRequest(), uuid.uuid4()) is False  # type: ignore[arg-type]
    assert original.answers == [("fail", "WaitKeyCancelledError")]
    [first, _] = queue.waiters()
    assert first.request is retry
    queue.respond(first, 1)
    assert retry.answers == [("respond", 1)]
    assert queue.retried(FakeRequest(), key) is False  # type: ignore[arg-type]


async def test_fail_all_selects_and_gone_waiters_are_recognized() -> None:
    queue = WaitQueue()
    requests = [FakeRequest() for _ in range(4)]
    for index, request in enumerate(requests):
        queue.park(request, -1, None, endpoint=(index % 2, 0))  # type: ignore[arg-type]
    requests[2].connection.closed = True
    assert [w.gone for w in queue] == [False, False, True, False]
    queue.fail_all(lambda: RuntimeError("session ended"), lambda w: w.endpoint[0] == 1)
    assert [len(r.answers) for r in requests] == [0, 1, 0, 1]
    queue.fail_all(lambda: RuntimeError("destroyed"))
    assert len(queue) == 0
