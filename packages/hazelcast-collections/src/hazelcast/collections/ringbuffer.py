"""The Ringbuffer proxy: an append-only ring of items read by sequence, held in the partition of its name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext

__all__ = [
    "MAX_BATCH_SIZE",
    "OVERFLOW_POLICY_FAIL",
    "OVERFLOW_POLICY_OVERWRITE",
    "ReadResult",
    "Ringbuffer",
]

ItemType = TypeVar("ItemType")
ResultType = TypeVar("ResultType")

#: When the ringbuffer is full, overwrite its oldest item (the default).
OVERFLOW_POLICY_OVERWRITE = 0
#: When the ringbuffer is full of items that have not outlived its time to live, do not add: ``add`` returns -1.
#: Without a time to live on the member nothing ever counts as full, so this policy then overwrites too; retry with a
#: back-off to wait for room.
OVERFLOW_POLICY_FAIL = 1
#: Most items one ``add_all`` may add and one ``read_many`` may return.
MAX_BATCH_SIZE = 1000

_SIZE = method("Ringbuffer.size")
_TAIL_SEQUENCE = method("Ringbuffer.tailSequence")
_HEAD_SEQUENCE = method("Ringbuffer.headSequence")
_CAPACITY = method("Ringbuffer.capacity")
_REMAINING_CAPACITY = method("Ringbuffer.remainingCapacity")
_ADD = method("Ringbuffer.add")
_ADD_ALL = method("Ringbuffer.addAll")
_READ_ONE = method("Ringbuffer.readOne")
_READ_MANY = method("Ringbuffer.readMany")
_DECODE_SEQUENCE: Callable[[Message], int] = _ADD.decode_response
# The catalogue compiles its decoders at import time (typed Any); the response types they produce are declared here.
_SIZE_RESPONSE: Callable[[Message], int] = _SIZE.decode_response
_TAIL_SEQUENCE_RESPONSE: Callable[[Message], int] = _TAIL_SEQUENCE.decode_response
_HEAD_SEQUENCE_RESPONSE: Callable[[Message], int] = _HEAD_SEQUENCE.decode_response
_CAPACITY_RESPONSE: Callable[[Message], int] = _CAPACITY.decode_response
_REMAINING_CAPACITY_RESPONSE: Callable[[Message], int] = _REMAINING_CAPACITY.decode_response
_ADD_ALL_RESPONSE: Callable[[Message], int] = _ADD_ALL.decode_response
# Read many: (read count, items, their sequences, next sequence), as a sequence the proxy turns into a tuple.
_READ_MANY_RESPONSE: Callable[[Message], Sequence[Any]] = _READ_MANY.decode_response


class InvalidArgumentError(ValueError, AssertionError):
    """A call's arguments break a rule of the ringbuffer (counts out of range...).

    A ``ValueError``, as for every bad argument of this client; also an ``AssertionError``, which the official client
    raises for the same checks, so code written against it keeps catching them.
    """


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgumentError(message)


def _check_int(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")


def _check_overflow_policy(overflow_policy: Any) -> None:
    if type(overflow_policy) is int and 0 <= overflow_policy <= 1:  # the common case, checked first
        return
    _check_int(overflow_policy, "overflow_policy")
    if overflow_policy not in (OVERFLOW_POLICY_OVERWRITE, OVERFLOW_POLICY_FAIL):
        raise ValueError(
            f"overflow_policy must be OVERFLOW_POLICY_OVERWRITE (0) or OVERFLOW_POLICY_FAIL (1), got {overflow_policy}"
        )


class ReadResult(Sequence[ItemType]):
    """What :meth:`Ringbuffer.read_many` returns: the items (indexable, sized) and their sequences.

    ``read_count`` counts the items read before filtering: continue from :attr:`next_sequence_to_read_from` (or
    add ``read_count`` to the start sequence), not from ``size``. :attr:`next_sequence_to_read_from` is the sequence
    after the last item read; when the start sequence was below the head (those items were overwritten),
    ``next_sequence_to_read_from - read_count`` is where the read really started.
    """

    #: The sequence value meaning "not known".
    SEQUENCE_UNAVAILABLE = -1

    __slots__ = ("_read_count", "_next_seq", "_item_seqs", "_items")

    def __init__(self, read_count: int, next_seq: int, item_seqs: list[int] | None, items: list[ItemType]) -> None:
        self._read_count = read_count
        self._next_seq = next_seq
        self._item_seqs = item_seqs
        self._items = items

    @property
    def read_count(self) -> int:
        """How many items were read, including the ones the filter left out."""
        return self._read_count

    @property
    def size(self) -> int:
        """How many items the result holds."""
        return len(self._items)

    @property
    def next_sequence_to_read_from(self) -> int:
        """The sequence following the last item read."""
        return self._next_seq

    def get_sequence(self, index: int) -> int:
        """The sequence of the item at ``index`` (:data:`SEQUENCE_UNAVAILABLE` if the member did not say)."""
        if self._item_seqs is None:
            return self.SEQUENCE_UNAVAILABLE
        return self._item_seqs[index]

    @overload
    def __getitem__(self, index: int) -> ItemType: ...

    @overload
    def __getitem__(self, index: slice) -> list[ItemType]: ...

    def __getitem__(self, index: int | slice) -> ItemType | list[ItemType]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[ItemType]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReadResult):
            return NotImplemented
        return (
            self._read_count == other._read_count
            and self._next_seq == other._next_seq
            and self._item_seqs == other._item_seqs
            and self._items == other._items
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"ReadResult(read_count={self._read_count}, next_sequence_to_read_from={self._next_seq}, "
            f"items={self._items!r})"
        )


class Ringbuffer(Proxy, Generic[ItemType]):
    """A bounded, append-only ring of items, each found by its sequence.

    Two sequences only grow: the *tail*, the sequence of the newest item (-1 while empty), and the *head*, the
    oldest item still held (the tail + 1 when empty). Adding beyond the capacity overwrites the oldest item (see the
    overflow policies); reading a sequence below the head raises :class:`hazelcast.errors.StaleSequenceError`.
    Reads are not destructive: any number of readers may read the same items. The whole ringbuffer lives in one
    partition (the one of its name), with backups on other members.

    Not thread-safe: use it from the client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._capacity: int | None = None
        self._decode_item: Callable[[Message], ItemType] = self._deserializing(_READ_ONE.decode_response)

    def _send(
        self, request: bytearray, decoder: Callable[[Message], ResultType], retryable: bool = False
    ) -> Awaitable[ResultType]:
        return self._call(request, self._name_partition, decoder, retryable)

    async def capacity(self) -> int:
        """The most items this ringbuffer holds (asked once, then remembered: it never changes)."""
        if self._capacity is None:
            self._capacity = await self._send(_CAPACITY.encode_request(self.name), _CAPACITY_RESPONSE, True)
        return self._capacity

    async def size(self) -> int:
        """How many items it holds now."""
        return await self._send(_SIZE.encode_request(self.name), _SIZE_RESPONSE, True)

    async def tail_sequence(self) -> int:
        """The sequence of the newest item; -1 before the first add."""
        return await self._send(_TAIL_SEQUENCE.encode_request(self.name), _TAIL_SEQUENCE_RESPONSE, True)

    async def head_sequence(self) -> int:
        """The sequence of the oldest item still held; the tail + 1 when empty (0 at first)."""
        return await self._send(_HEAD_SEQUENCE.encode_request(self.name), _HEAD_SEQUENCE_RESPONSE, True)

    async def remaining_capacity(self) -> int:
        """Free slots before an add overwrites a live item; the whole capacity when the member sets no time to live."""
        request = _REMAINING_CAPACITY.encode_request(self.name)
        return await self._send(request, _REMAINING_CAPACITY_RESPONSE, True)

    async def add(self, item: ItemType, overflow_policy: int = OVERFLOW_POLICY_OVERWRITE) -> int:
        """Add ``item`` at the tail; returns its sequence, or -1 when ``OVERFLOW_POLICY_FAIL`` found no room."""
        if item is None:
            raise ValueError("item must not be None")
        if type(overflow_policy) is not int or not 0 <= overflow_policy <= 1:
            _check_overflow_policy(overflow_policy)
        request = _ADD.encode_request(self.name, overflow_policy, self._to_data(item))
        return await self._call(request, self._name_partition, _DECODE_SEQUENCE)

    async def add_all(self, items: Sequence[ItemType], overflow_policy: int = OVERFLOW_POLICY_OVERWRITE) -> int:
        """Add ``items`` in order, in one request; returns the sequence of the last one, or -1 when
        ``OVERFLOW_POLICY_FAIL`` found too little room for them all (then none is added).

        At most :data:`MAX_BATCH_SIZE` items; none may be None.
        """
        if items is None:
            raise ValueError("items must not be None")
        _check(len(items) > 0, "items must not be empty")
        _check(len(items) <= MAX_BATCH_SIZE, f"at most {MAX_BATCH_SIZE} items may be added at once, got {len(items)}")
        _check_overflow_policy(overflow_policy)
        to_data = self._to_data
        data_list = []
        for item in items:
            if item is None:
                raise ValueError("items must not contain None")
            data_list.append(to_data(item))
        return await self._add_all_data(data_list, overflow_policy)

    async def read_one(self, sequence: int) -> ItemType:
        """The item at ``sequence``; for the sequence after the tail, waits (on the member) until it is added.

        Raises :class:`hazelcast.errors.StaleSequenceError` below the head, and
        :class:`hazelcast.errors.IllegalArgumentError` beyond the tail + 1.
        """
        _check_int(sequence, "sequence")
        _check(sequence >= 0, f"sequence must not be negative, got {sequence}")
        return await self._send(_READ_ONE.encode_request(self.name, sequence), self._decode_item, True)

    async def read_many(
        self, start_sequence: int, min_count: int, max_count: int, filter: Any = None
    ) -> ReadResult[ItemType]:
        """Read up to ``max_count`` items from ``start_sequence`` on, waiting on the member until at least
        ``min_count`` are available.

        A start below the head reads from the head; a start beyond the tail reads from the tail + 1. ``filter``, an
        object the member knows how to run (an IdentifiedDataSerializable whose class the member has), selects the
        items returned; items it rejects still count in ``read_count``. ``max_count`` may not exceed
        :data:`MAX_BATCH_SIZE` nor the capacity.
        """
        for value, name in ((start_sequence, "start_sequence"), (min_count, "min_count"), (max_count, "max_count")):
            _check_int(value, name)
        _check(start_sequence >= 0, f"start_sequence must not be negative, got {start_sequence}")
        _check(min_count >= 0, f"min_count must not be negative, got {min_count}")
        _check(max_count >= min_count, f"max_count ({max_count}) must not be smaller than min_count ({min_count})")
        _check(max_count <= MAX_BATCH_SIZE, f"max_count must not exceed {MAX_BATCH_SIZE}, got {max_count}")
        filter_data = None if filter is None else self._to_data(filter)
        capacity = await self.capacity()
        _check(max_count <= capacity, f"max_count ({max_count}) must not exceed the capacity ({capacity})")
        read_count, items, item_seqs, next_seq = await self._read_many_data(
            start_sequence, min_count, max_count, filter_data
        )
        to_object = self._to_object
        return ReadResult(read_count, next_seq, item_seqs, [to_object(item) for item in items])

    # -- serialized forms, for the reliable topic that keeps its own message format in a ringbuffer ------------------

    async def _add_data(self, data: bytes, overflow_policy: int) -> int:
        return await self._send(_ADD.encode_request(self.name, overflow_policy, data), _DECODE_SEQUENCE)

    async def _add_all_data(self, data_list: list[bytes], overflow_policy: int) -> int:
        request = _ADD_ALL.encode_request(self.name, data_list, overflow_policy)
        return await self._send(request, _ADD_ALL_RESPONSE)

    async def _read_many_data(
        self, start_sequence: int, min_count: int, max_count: int, filter_data: bytes | None = None
    ) -> tuple[int, list[bytes], list[int] | None, int]:
        """``(read_count, serialized items, their sequences, next sequence)``."""
        request = _READ_MANY.encode_request(self.name, start_sequence, min_count, max_count, filter_data)
        return tuple(await self._send(request, _READ_MANY_RESPONSE, True))
