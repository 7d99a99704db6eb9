"""Parked blocking requests in arrival order, each answered later or at its timeout: the member side of ``take``,
``put``, ``poll(timeout)``, ``FencedLock.lock``, ``Semaphore.acquire``, ``CountDownLatch.await``...

A handler that cannot complete its request yet parks it and returns :data:`~hazelcast.embedded.requests.PENDING`.
The waiters are then served in one of two ways:

* **by attempts** (queues): the waiter is parked with an ``attempt(request)`` that either completes its request
  (answering it with ``request.respond``) and returns True, or returns False to keep waiting. Whatever makes the
  wait worth retrying (an offer for takers, a poll for putters) calls :meth:`WaitQueue.notify`, which offers the
  chance to the waiters oldest first until one cannot proceed (nobody behind it may overtake it)::

      def queue_take(request):
          if try_take(request):              # answers the request and returns True when an item was there
              return PENDING
          return waiters_of(request.cluster, ("hz:impl:queueService", name, "take")).park(
              request, -1, None, attempt=try_take)

* **by the structure** (CP structures): the structure walks the waiters (iterating the queue gives them in arrival
  order) when its state changes and answers those it can serve with :meth:`WaitQueue.respond`, looking at what each
  asked for (``payload``) and who asked (``endpoint``).

A waiter leaves when it is answered; when its timeout elapses (``timeout_ms >= 0``): it is answered with its
``timeout_result``, as a Java member answers ``poll(timeout)`` with null and ``offer(timeout)`` with false, after the
queue's ``on_timeout(waiter)`` (for structures that record the outcome); when its client connection closed or its
request was answered otherwise (it is *gone*: dropped without running, so a client that went away never consumes an
item); or with :meth:`WaitQueue.fail_all` (the object was destroyed, a session ended).

A waiter parked with an invocation UUID as its ``key`` can be taken over: a client that retries a parked request (its
connection was lost) sends the same UUID, and :meth:`WaitQueue.retried` puts the retry in the waiter's place instead
of queueing it twice.

Wait queues of partitioned structures belong to the cluster, not to a member (:func:`waiters_of`), keyed by whatever
the service chooses: a partition that moves to another member keeps its waiters, and a waiter woken after the move
works on the new owner's state because :meth:`MemberRequest.state <hazelcast.embedded.requests.MemberRequest.state>`
always reads the current owner's. Every deadline is one ``loop.call_later`` timer; nothing scans periodically.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.requests import PENDING
from hazelcast.errors import WaitKeyCancelledError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.requests import MemberRequest

__all__ = ["Attempt", "WaitQueue", "Waiter", "drop_waiters", "waiters_of"]

#: ``attempt(request) -> bool``: completes (answers) the request and returns True, or returns False to keep waiting.
Attempt = Callable[["MemberRequest"], bool]


class Waiter:
    """One parked request: its ``attempt`` (when :meth:`WaitQueue.notify` serves it), its invocation ``key``, who
    asked (``endpoint``: session and thread ids), what for (``payload``) and its timer."""

    __slots__ = ("request", "attempt", "key", "endpoint", "payload", "timeout_result", "timer", "running")

    def __init__(self, request: MemberRequest, attempt: Attempt | None, key: uuid.UUID | None, endpoint: Any,
                 payload: Any, timeout_result: Any) -> None:
        self.request = request
        self.attempt = attempt
        self.key = key
        self.endpoint = endpoint
        self.payload = payload
        self.timeout_result = timeout_result
        self.timer: asyncio.TimerHandle | None = None
        #: Its attempt is running: a round of :meth:`WaitQueue.notify` started meanwhile passes it over.
        self.running = False

    @property
    def gone(self) -> bool:
        """Whether nobody can receive the answer any more (answered already, or its connection closed)."""
        return self.request.done or self.request.connection.closed


class WaitQueue:
    """The requests waiting for one condition of one object, in arrival order.

    ``on_timeout(waiter)`` (optional) is called when a waiter's time runs out, before it is answered with its
    ``timeout_result``, for structures that record the outcome (exactly-once retries).
    """

    __slots__ = ("_waiters", "_by_key", "_on_timeout")

    def __init__(self, on_timeout: Callable[[Waiter], None] | None = None) -> None:
        # Insertion-ordered: arrival order; by id, so that any waiter leaves in constant time.
        self._waiters: dict[int, Waiter] = {}
        self._by_key: dict[uuid.UUID, Waiter] = {}
        self._on_timeout = on_timeout

    def __len__(self) -> int:
        return len(self._waiters)

    def park(self, request: MemberRequest, timeout_ms: int, timeout_result: Any, *, attempt: Attempt | None = None,
             key: uuid.UUID | None = None, endpoint: Any = None, payload: Any = None) -> Any:
        """Queue ``request``; a negative ``timeout_ms`` waits for ever. Returns PENDING for the handler to return."""
        waiter = Waiter(request, attempt, key, endpoint, payload, timeout_result)
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

    @property
    def has_waiters(self) -> bool:
        """Whether a live request waits (those whose client left are dropped on the way)."""
        waiters = self._waiters
        while waiters:
            waiter = next(iter(waiters.values()))
            if not waiter.gone:
                return True
            self._remove(waiter)
        return False

    def notify(self) -> None:
        """Let the waiters' attempts run, oldest first, until one cannot proceed."""
        waiters = self._waiters
        while waiters:
            # An attempt may notify this queue again (a woken taker frees room, a woken putter fills it...): that
            # nested round starts with the next waiter, passing over those whose attempt is running.
            waiter = next((w for w in waiters.values() if not w.running), None)
            if waiter is None:
                return
            if waiter.gone:
                self._remove(waiter)
                continue
            attempt = waiter.attempt
            assert attempt is not None, "notify serves waiters parked with an attempt"
            waiter.running = True
            try:
                done = attempt(waiter.request)
            finally:
                waiter.running = False
            if not done:
                return
            self._remove(waiter)

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


# Per cluster (by id, dropped when the cluster is collected): key -> wait queue. A plain dict, as every queue offer and
# poll looks here (a WeakKeyDictionary's get is Python code).
_REGISTRIES: dict[int, dict[Hashable, WaitQueue]] = {}


def waiters_of(cluster: EmbeddedCluster, key: Hashable) -> WaitQueue:
    """The cluster's wait queue for ``key`` (created on first use)."""
    registry = _REGISTRIES.get(id(cluster))
    if registry is None:
        registry = _REGISTRIES[id(cluster)] = {}
        weakref.finalize(cluster, _REGISTRIES.pop, id(cluster), None)
    queue = registry.get(key)
    if queue is None:
        queue = registry[key] = WaitQueue()
    return queue


def drop_waiters(cluster: EmbeddedCluster, key: Hashable, error: BaseException | None = None) -> None:
    """Forget the wait queue of ``key``, failing its waiters with ``error`` when given (the object was destroyed)."""
    registry = _REGISTRIES.get(id(cluster))
    queue = registry.pop(key, None) if registry is not None else None
    if queue is not None and error is not None:
        queue.fail_all(lambda: error)
