"""The generic wait queue of parked requests, with stand-in requests."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace
from typing import Any

from hazelcast.embedded.cp.waiters import WaitQueue
from hazelcast.embedded.requests import PENDING


class FakeRequest:
    """Records how a parked request was answered."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, Any]] = []
        self.connection = SimpleNamespace(closed=False)

    @property
    def done(self) -> bool:
        return bool(self.answers)

    def respond(self, result: Any) -> None:
        if not self.done:
            self.answers.append(("respond", result))

    def fail(self, error: BaseException) -> None:
        if not self.done:
            self.answers.append(("fail", type(error).__name__))


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
