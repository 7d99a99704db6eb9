"""Parked ringbuffer reads: requests answered later, when the items they wait for are added.

A read that cannot be answered yet (``readOne`` of the next sequence, ``readMany`` short of its minimum count) is
returned as PENDING and kept here, per cluster and ringbuffer name, in arrival order. Every add wakes the waiters of
its ringbuffer, oldest first. A waiter whose request was answered meanwhile (its member stopped, so it was failed) is
dropped when met, and so is one whose client connection closed (nobody waits for its answer any more). The parked
request keeps the progress of a ``readMany``, so items that arrive one at a time add up
to its minimum count.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.requests import MemberRequest
    from hazelcast.embedded.ringbuffer.container import RingbufferContainer

__all__ = ["ReadWaiter", "Waiters"]


#: Parked reads of one ringbuffer beyond which (at each power of two) the abandoned ones are dropped on park.
_PRUNE_THRESHOLD = 64


def _abandoned(waiter: ReadWaiter) -> bool:
    request = waiter.request
    return request.done or request.connection.closed


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
        self._by_name: dict[str, list[ReadWaiter]] = {}

    @classmethod
    def of(cls, cluster: EmbeddedCluster) -> Waiters:
        found = cls._of_cluster.get(cluster)
        if found is None:
            found = cls._of_cluster[cluster] = cls()
        return found

    def park(self, name: str, waiter: ReadWaiter) -> None:
        waiting = self._by_name.setdefault(name, [])
        if len(waiting) >= _PRUNE_THRESHOLD and len(waiting) & (len(waiting) - 1) == 0:
            # Reads of clients that left pile up on a ringbuffer that gets no items: drop them now and then.
            waiting[:] = [w for w in waiting if not _abandoned(w)]
        waiting.append(waiter)

    def wake(self, name: str, container: RingbufferContainer, answer: Callable[[ReadWaiter, RingbufferContainer], Any]
             ) -> None:
        """Offer the ringbuffer's new items to its waiters, oldest first; ``answer`` responds to a satisfied one."""
        waiting = self._by_name.get(name)
        if not waiting:
            return
        still: list[ReadWaiter] = []
        for waiter in waiting:
            if _abandoned(waiter):
                continue
            try:
                ready = waiter.read(container)
            except Exception as error:  # a client's filter failed: that request fails, the others go on
                waiter.request.fail(error)
                continue
            if ready:
                answer(waiter, container)
            else:
                still.append(waiter)
        if still:
            self._by_name[name] = still
        else:
            self._by_name.pop(name, None)

    def fail_all(self, name: str, error: BaseException) -> None:
        """Fail every read parked on ``name`` (the ringbuffer was destroyed)."""
        for waiter in self._by_name.pop(name, []):
            waiter.request.fail(error)

    def count(self, name: str) -> int:
        """How many reads of ``name`` are parked and not answered yet."""
        return sum(1 for waiter in self._by_name.get(name, ()) if not _abandoned(waiter))
