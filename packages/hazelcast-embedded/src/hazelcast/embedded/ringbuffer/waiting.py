"""Parked ringbuffer reads: requests answered later, when the items they wait for are added.

A read that cannot be answered yet (``readOne`` of the next sequence, ``readMany`` short of its minimum count) is
returned as PENDING and kept here, per cluster and ringbuffer name, in arrival order: in the member's shared
:class:`~hazelcast.embedded.waiters.WaitQueue`, each waiter carrying its :class:`ReadWaiter` as its payload. Every add wakes the waiters of
its ringbuffer, oldest first. A waiter whose request was answered meanwhile (its member stopped, so it was failed) is
dropped when met, and so is one whose client connection closed (nobody waits for its answer any more). The parked
request keeps the progress of a ``readMany``, so items that arrive one at a time add up
to its minimum count.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.waiters import WaitQueue

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.requests import MemberRequest
    from hazelcast.embedded.ringbuffer.container import RingbufferContainer

__all__ = ["ReadWaiter", "Waiters"]


#: Parked reads of one ringbuffer beyond which (at each power of two) the abandoned ones are dropped on park.
_PRUNE_THRESHOLD = 64


class ReadWaiter:
    """A ``readMany`` (or, with ``single``, a ``readOne``) in progress."""

    __slots__ = ("request", "single", "next_sequence", "min_count", "max_count", "accept", "read_count", "items",
                 "sequences")

    def __init__(
        self,
        request: MemberRequest,
        start: int,
        min_count: int,
        max_count: int,
        accept: Callable[[bytes], bool] | None,
        single: bool = False,
    ) -> None:
        self.request = request
        self.single = single
        self.next_sequence = start
        self.min_count = min_count
        self.max_count = max_count
        #: The client's filter, applied to each serialized item; None reads everything.
        self.accept = accept
        self.read_count = 0
        self.items: list[bytes] = []
        self.sequences: list[int] = []

    def read(self, container: RingbufferContainer) -> bool:
        """Read what is available into the result; True when the request can be answered."""
        if self.single:
            return self.next_sequence <= container.tail
        sequence = max(self.next_sequence, container.head)
        stored = container.items
        items = self.items
        accept = self.accept
        while sequence <= container.tail and len(items) < self.max_count:
            item = stored[sequence]
            self.read_count += 1
            if accept is None or accept(item):
                items.append(item)
                self.sequences.append(sequence)
            sequence += 1
        self.next_sequence = sequence
        return len(items) >= self.min_count

    def result(self) -> tuple[int, list[bytes], list[int], int]:
        """The ``readMany`` response parameters."""
        return self.read_count, self.items, self.sequences, self.next_sequence


class Waiters:
    """The parked reads of every ringbuffer of one cluster."""

    _of_cluster: weakref.WeakKeyDictionary[EmbeddedCluster, Waiters] = weakref.WeakKeyDictionary()

    def __init__(self) -> None:
        self._by_name: dict[str, WaitQueue] = {}

    @classmethod
    def of(cls, cluster: EmbeddedCluster) -> Waiters:
        found = cls._of_cluster.get(cluster)
        if found is None:
            found = cls._of_cluster[cluster] = cls()
        return found

    def park(self, name: str, read: ReadWaiter) -> None:
        queue = self._by_name.get(name)
        if queue is None:
            queue = self._by_name[name] = WaitQueue()
        parked = len(queue)
        if parked >= _PRUNE_THRESHOLD and parked & (parked - 1) == 0:
            # Reads of clients that left pile up on a ringbuffer that gets no items: drop them now and then.
            for waiter in queue:
                if waiter.gone:
                    queue.discard(waiter)
        queue.park(read.request, -1, None, payload=read)

    def wake(self, name: str, container: RingbufferContainer, answer: Callable[[ReadWaiter, RingbufferContainer], Any]
             ) -> None:
        """Offer the ringbuffer's new items to its waiters, oldest first; ``answer`` responds to a satisfied one."""
        queue = self._by_name.get(name)
        if not queue:
            return
        for waiter in queue:
            if waiter.gone:
                queue.discard(waiter)
                continue
            read: ReadWaiter = waiter.payload
            try:
                ready = read.read(container)
            except Exception as error:  # a client's filter failed: that request fails, the others go on
                queue.fail(waiter, error)
                continue
            if ready:
                queue.discard(waiter)
                answer(read, container)
        if not queue:
            del self._by_name[name]

    def fail_all(self, name: str, error: BaseException) -> None:
        """Fail every read parked on ``name`` (the ringbuffer was destroyed)."""
        queue = self._by_name.pop(name, None)
        if queue is not None:
            queue.fail_all(lambda: error)

    def count(self, name: str) -> int:
        """How many reads of ``name`` are parked and not answered yet."""
        return sum(1 for waiter in self._by_name.get(name, ()) if not waiter.gone)
