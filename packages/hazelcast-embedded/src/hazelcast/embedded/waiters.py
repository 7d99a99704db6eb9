"""Parked blocking requests, woken in FIFO order: the member side of ``take``, ``put``, ``poll(timeout)``, lock waits...

A handler that cannot complete its request yet parks it and returns :data:`~hazelcast.embedded.requests.PENDING`::

    def queue_take(request):
        done = try_take(request)           # answers the request and returns True when an item was there
        if done:
            return PENDING
        return waiters_of(request.cluster, ("hz:impl:queueService", name, "take")).park(request, try_take, -1, None)

and whatever makes the wait worth retrying (an offer for takers, a poll for putters) calls
``waiters_of(cluster, key).notify()``. ``notify`` offers the chance to the waiters in the order they parked: each
one's ``attempt(request)`` either completes its request (answering it with ``request.respond``) and returns True,
so the next waiter gets its turn, or returns False, which ends the round (the head could not proceed, so nobody
behind it may overtake it).

A waiter leaves:

* when its attempt succeeds;
* when its timeout elapses (``timeout_ms >= 0``): it is answered with its ``on_timeout`` value, as a Java member
  answers ``poll(timeout)`` with null and ``offer(timeout)`` with false;
* when its client connection closes: it is dropped without running, so that a client that went away never consumes
  an item (a Java member likewise cancels the parked operations of a disconnected client);
* when its request was already answered otherwise (the member that executed it stopped and failed it);
* with :meth:`WaitQueue.fail_all` (the object was destroyed).

Wait queues belong to the cluster, not to a member, keyed by whatever the service chooses: a partition that moves
to another member keeps its waiters, and a waiter woken after the move works on the new owner's state because
:meth:`MemberRequest.state <hazelcast.embedded.requests.MemberRequest.state>` always reads the current owner's.
Every deadline is one ``loop.call_later`` timer; nothing scans periodically.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.requests import PENDING

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.requests import MemberRequest

__all__ = ["WaitQueue", "Waiter", "drop_waiters", "waiters_of"]

#: ``attempt(request) -> bool``: completes (answers) the request and returns True, or returns False to keep waiting.
Attempt = Callable[["MemberRequest"], bool]


class Waiter:
    """One parked request."""

    __slots__ = ("request", "attempt", "on_timeout", "timer")

    def __init__(self, request: MemberRequest, attempt: Attempt, on_timeout: Any) -> None:
        self.request = request
        self.attempt = attempt
        self.on_timeout = on_timeout
        self.timer: asyncio.TimerHandle | None = None

    @property
    def gone(self) -> bool:
        """Answered already, or its client is gone: it must never run."""
        return self.request.done or self.request.connection.closed


class WaitQueue:
    """The FIFO of requests waiting for one condition of one object."""

    __slots__ = ("_waiters",)

    def __init__(self) -> None:
        self._waiters: deque[Waiter] = deque()

    def __len__(self) -> int:
        self._drop_gone()
        return len(self._waiters)

    def park(self, request: MemberRequest, attempt: Attempt, timeout_ms: int, on_timeout: Any) -> Any:
        """Park ``request`` until ``attempt`` completes it or ``timeout_ms`` elapses (negative: no timeout).

        Returns :data:`PENDING`, for the handler to return.
        """
        waiter = Waiter(request, attempt, on_timeout)
        if timeout_ms >= 0:
            waiter.timer = asyncio.get_running_loop().call_later(timeout_ms / 1000, self._expire, waiter)
        self._waiters.append(waiter)
        return PENDING

    @property
    def has_waiters(self) -> bool:
        """Whether a live request waits (those whose client left are dropped on the way)."""
        self._drop_gone()
        return bool(self._waiters)

    def notify(self) -> None:
        """Let the waiters try again, oldest first, until one cannot proceed."""
        waiters = self._waiters
        while waiters:
            # Out of the queue while it runs: an attempt may notify this queue again (a woken taker frees room, a
            # woken putter fills it...), and that nested round must start with the next waiter.
            waiter = waiters.popleft()
            if waiter.gone:
                self._leave(waiter)
                continue
            if not waiter.attempt(waiter.request):
                waiters.appendleft(waiter)
                return
            self._leave(waiter)

    def fail_all(self, error: BaseException) -> None:
        """Answer every waiter with ``error`` and empty the queue."""
        waiters, self._waiters = self._waiters, deque()
        for waiter in waiters:
            self._leave(waiter)
            waiter.request.fail(error)

    def _drop_gone(self) -> None:
        waiters = self._waiters
        while waiters and waiters[0].gone:
            self._leave(waiters.popleft())

    def _expire(self, waiter: Waiter) -> None:
        waiter.timer = None
        try:
            self._waiters.remove(waiter)
        except ValueError:
            return
        waiter.request.respond(waiter.on_timeout)

    @staticmethod
    def _leave(waiter: Waiter) -> None:
        if waiter.timer is not None:
            waiter.timer.cancel()
            waiter.timer = None


_REGISTRIES: weakref.WeakKeyDictionary[EmbeddedCluster, dict[Hashable, WaitQueue]] = weakref.WeakKeyDictionary()


def waiters_of(cluster: EmbeddedCluster, key: Hashable) -> WaitQueue:
    """The cluster's wait queue for ``key`` (created on first use)."""
    registry = _REGISTRIES.get(cluster)
    if registry is None:
        registry = _REGISTRIES[cluster] = {}
    queue = registry.get(key)
    if queue is None:
        queue = registry[key] = WaitQueue()
    return queue


def drop_waiters(cluster: EmbeddedCluster, key: Hashable, error: BaseException | None = None) -> None:
    """Forget the wait queue of ``key``, failing its waiters with ``error`` when given (the object was destroyed)."""
    registry = _REGISTRIES.get(cluster)
    queue = registry.pop(key, None) if registry is not None else None
    if queue is not None and error is not None:
        queue.fail_all(error)
