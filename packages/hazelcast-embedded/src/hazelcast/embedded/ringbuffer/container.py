"""One ringbuffer's items in its partition on one member: sequences, overflow and time-to-live.

Sequences only grow. ``tail`` is the sequence of the newest item (-1 before the first add), ``head`` the oldest one
still held; an empty ringbuffer has ``head == tail + 1``. Items are the serialized ``Data`` bytes as clients sent
them. With a time to live, each item remembers when it expires (epoch milliseconds) and :meth:`cleanup` moves the
head past the expired ones; since items are added in time order, expired items are always the oldest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hazelcast.embedded.ringbuffer.config import RingbufferConfig

__all__ = ["OVERFLOW_FAIL", "OVERFLOW_OVERWRITE", "RingbufferContainer"]

#: ``Ringbuffer.add`` overflow policies, as the protocol numbers them.
OVERFLOW_OVERWRITE = 0
OVERFLOW_FAIL = 1


class RingbufferContainer:
    """A :class:`~hazelcast.embedded.spec.PartitionState` holding one ringbuffer."""

    __slots__ = ("config", "capacity", "ttl_ms", "backup_count", "head", "tail", "items", "expires")

    def __init__(self, config: RingbufferConfig) -> None:
        self.config = config
        self.capacity = config.capacity
        self.ttl_ms = config.time_to_live_seconds * 1000
        self.backup_count = config.total_backup_count
        self.head = 0
        self.tail = -1
        #: Sequence -> item, for every sequence from head to tail.
        self.items: dict[int, bytes] = {}
        #: Sequence -> expiry instant (ms), only with a time to live.
        self.expires: dict[int, int] = {}

    # -- PartitionState ----------------------------------------------------------------------------------------------

    def copy(self) -> RingbufferContainer:
        clone = RingbufferContainer(self.config)
        clone.head = self.head
        clone.tail = self.tail
        clone.items = dict(self.items)
        clone.expires = dict(self.expires)
        return clone

    def new_backup(self) -> RingbufferContainer:
        return RingbufferContainer(self.config)

    # -- queries -----------------------------------------------------------------------------------------------------

    def size(self) -> int:
        return self.tail - self.head + 1

    def remaining_capacity(self) -> int:
        # Without a time to live nothing ever frees a slot, so Java reports the whole capacity as remaining.
        return self.capacity - self.size() if self.ttl_ms else self.capacity

    # -- writes ------------------------------------------------------------------------------------------------------

    def add(self, items: list[bytes], overflow_policy: int, now: int) -> int:
        """Append ``items``; the sequence of the last one, or -1 when the FAIL policy found too little room."""
        self.cleanup(now)
        if overflow_policy == OVERFLOW_FAIL and self.remaining_capacity() < len(items):
            return -1
        self.store(self.tail + 1, items, now + self.ttl_ms if self.ttl_ms else 0)
        return self.tail

    def store(self, first: int, items: list[bytes], expires_at: int) -> None:
        """Write ``items`` from sequence ``first`` on, dropping the oldest beyond the capacity (backups replay this)."""
        if first > self.tail + 1:
            # A backup that missed earlier items (it had no state yet) starts where it is told.
            self.drop_until(first)
            self.tail = first - 1
        stored = self.items
        expires = self.expires
        sequence = first
        for item in items:
            stored[sequence] = item
            if expires_at:
                expires[sequence] = expires_at
            sequence += 1
        self.tail = max(self.tail, sequence - 1)
        lowest = self.tail - self.capacity + 1
        if self.head < lowest:
            self.drop_until(lowest)

    def drop_until(self, new_head: int) -> None:
        """Forget every item below ``new_head``."""
        stored = self.items
        expires = self.expires
        for sequence in range(self.head, min(new_head, self.tail + 1)):
            stored.pop(sequence, None)
            expires.pop(sequence, None)
        self.head = max(self.head, new_head)

    def cleanup(self, now: int) -> bool:
        """Drop the expired items from the head; True if any was dropped."""
        if not self.ttl_ms or not self.expires:
            return False
        expires = self.expires
        head = self.head
        while head <= self.tail and expires.get(head, now + 1) <= now:
            head += 1
        if head == self.head:
            return False
        self.drop_until(head)
        return True
