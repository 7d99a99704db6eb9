"""Parked blocking requests: a FIFO of waiters, each answered later by the structure or at its timeout.

A blocking CP operation (``FencedLock.lock``, ``Semaphore.acquire``, ``CountDownLatch.await``...) that cannot complete
at once parks its request here and returns :data:`~hazelcast.embedded.requests.PENDING`. The structure walks
:meth:`WaitQueue.waiters` in arrival order when its state changes and answers the waiters it can serve; a waiter with a
timeout is answered with its ``timeout_result`` when the time runs out, by one timer of the event loop.

Waiters are keyed by the invocation UUID the client sent: a client that retries a parked request (its connection was
lost) sends the same UUID, and the retry takes the parked waiter's place instead of queueing twice.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.errors import WaitKeyCancelledError

__all__ = ["WaitQueue", "Waiter"]


class Waiter:
    """One parked request: who asked (``endpoint``: session and thread ids), what for (``payload``) and its timer."""

    __slots__ = ("request", "key", "endpoint", "payload", "timeout_result", "timer")

    def __init__(self, request: MemberRequest, key: uuid.UUID | None, endpoint: Any, payload: Any,
                 timeout_result: Any) -> None:
        self.request = request
        self.key = key
        self.endpoint = endpoint
        self.payload = payload
        self.timeout_result = timeout_result
        self.timer: asyncio.TimerHandle | None = None

    @property
    def gone(self) -> bool:
        """Whether nobody can receive the answer any more (answered already, or its connection closed)."""
        return self.request.done or self.request.connection.closed


class WaitQueue:
    """The waiters of one structure, in arrival order.

    ``on_timeout(waiter)`` (optional) is called when a waiter's time runs out, before it is answered with its
    ``timeout_result``, for structures that record the outcome (exactly-once retries).
    """

    __slots__ = ("_waiters", "_by_key", "_on_timeout")

    def __init__(self, on_timeout: Callable[[Waiter], None] | None = None) -> None:
        # Insertion-ordered: arrival order.
        self._waiters: dict[int, Waiter] = {}
        self._by_key: dict[uuid.UUID, Waiter] = {}
        self._on_timeout = on_timeout

    def __len__(self) -> int:
        return len(self._waiters)

    def park(self, request: MemberRequest, timeout_ms: int, timeout_result: Any, *, key: uuid.UUID | None = None,
             endpoint: Any = None, payload: Any = None) -> Any:
        """Queue ``request``; a negative ``timeout_ms`` waits for ever. Returns PENDING for the handler to return."""
        waiter = Waiter(request, key, endpoint, payload, timeout_result)
        if timeout_ms >= 0:
            waiter.timer = asyncio.get_running_loop().call_later(timeout_ms / 1000, self._expire, waiter)
        self._waiters[id(waiter)] = waiter
        if key is not None:
            self._by_key[key] = waiter
        return PENDING

    def retried(self, request: MemberRequest, key: uuid.UUID) -> bool:
        """If a waiter with invocation ``key`` is parked, ``request`` (its retry) takes its place: True."""
        waiter = self._by_key.get(key)
        if waiter is None:
            return False
        previous, waiter.request = waiter.request, request
        if not previous.done:
            previous.fail(_superseded())
        return True

    def waiters(self) -> list[Waiter]:
        """A snapshot of the waiters in arrival order (the structure may answer and remove them while walking it)."""
        return list(self._waiters.values())

    def __iter__(self) -> Iterator[Waiter]:
        return iter(self.waiters())

    def respond(self, waiter: Waiter, result: Any) -> None:
        """Remove ``waiter`` and answer it with ``result``."""
        self._remove(waiter)
        waiter.request.respond(result)

    def fail(self, waiter: Waiter, error: BaseException) -> None:
        """Remove ``waiter`` and answer it with ``error``."""
        self._remove(waiter)
        waiter.request.fail(error)

    def discard(self, waiter: Waiter) -> None:
        """Remove ``waiter`` without answering it (nobody is listening any more)."""
        self._remove(waiter)

    def fail_all(self, error: Callable[[], BaseException], where: Callable[[Waiter], bool] | None = None) -> None:
        """Answer every waiter (those ``where`` selects) with a fresh ``error()``."""
        for waiter in self.waiters():
            if where is None or where(waiter):
                self.fail(waiter, error())

    def _remove(self, waiter: Waiter) -> None:
        self._waiters.pop(id(waiter), None)
        if waiter.key is not None and self._by_key.get(waiter.key) is waiter:
            del self._by_key[waiter.key]
        if waiter.timer is not None:
            waiter.timer.cancel()
            waiter.timer = None

    def _expire(self, waiter: Waiter) -> None:
        waiter.timer = None
        if id(waiter) not in self._waiters:
            return
        self._remove(waiter)
        if self._on_timeout is not None:
            self._on_timeout(waiter)
        waiter.request.respond(waiter.timeout_result)


def _superseded() -> BaseException:
    return WaitKeyCancelledError("the request was sent again; the retry waits in its place")
