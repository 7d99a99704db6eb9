"""The distributed Queue proxy.

Blocking calls (``put``, ``take``, ``offer`` and ``poll`` with a timeout) wait on the member: the request is parked
there and answered when it can proceed or when its timeout elapses, never by polling from the client. Their client-side
deadline is the wait plus ``invocation_timeout`` (none for ``put`` and ``take``).

``take`` and ``poll`` are not sent again once sent, as the protocol marks them: when the connection to the queue's
owner is lost while they wait, they fail with ``TargetDisconnectedError`` (a member that removed the head and died
before answering would make a retry take the next item, and the first would be lost without a word).

Cancelling a consumer (``take``, ``poll``, ``drain_to``) is safe. Hazelcast's protocol has no message that withdraws
a parked request, so a request the member already holds may still be answered with an item after its caller gave
up; a client that simply dropped that late answer would lose the item (the member removed it from the queue). This
proxy therefore never abandons a consumer's invocation: when its caller is cancelled, the invocation stays pending
(``on_late_result`` of the invocation service) and any item its answer carries goes back into the queue (at the tail,
through ``put``), logging ``queue.cancelled_consumer.items_returned``. The parked request itself ends when it is
answered, when its timeout elapses, or when the connection closes (a member drops the parked requests of a client that
left, and so does the embedded member). Cancelling a producer (``put``, ``offer``) may still let the item in: at least
once, never lost.

To wait for an item at most some time, use ``poll(timeout)`` rather than ``asyncio.wait_for(queue.take(), timeout)``:
the member forgets a timed poll at its timeout, while a cancelled take stays parked there (ahead of later takes)
until an item or the end of the connection answers it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import structlog

from hazelcast.collections.item_listener import NamePartitionedCollection, with_docstring
from hazelcast.errors import IllegalStateError
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import ProxyContext

__all__ = ["Queue"]

ItemType = TypeVar("ItemType")
ResultType = TypeVar("ResultType")

_logger = structlog.get_logger("hazelcast.queue")

_OFFER = method("Queue.offer")
_PUT = method("Queue.put")
_POLL = method("Queue.poll")
_TAKE = method("Queue.take")
_PEEK = method("Queue.peek")
_DRAIN_TO = method("Queue.drainTo")
_DRAIN_TO_MAX_SIZE = method("Queue.drainToMaxSize")
_ITERATOR = method("Queue.iterator")
_REMAINING_CAPACITY = method("Queue.remainingCapacity")
# The catalogue compiles its decoders at import time (typed Any); the response types they produce are declared here.
_OFFER_RESPONSE: Callable[[Message], bool] = _OFFER.decode_response
_REMAINING_CAPACITY_RESPONSE: Callable[[Message], int] = _REMAINING_CAPACITY.decode_response

#: Client-side deadline of requests that may wait on the member for ever (``put``, ``take``): ten years.
_NO_DEADLINE = 10 * 365 * 24 * 3600.0


def _timeout_millis(timeout: Any) -> int:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
    if timeout < 0:
        raise ValueError(f"timeout must not be negative, got {timeout}")
    return int(timeout * 1000)


class Queue(NamePartitionedCollection[ItemType], protocol_service="Queue"):
    """A distributed, blocking FIFO queue; items may not be None.

    The whole queue lives in the partition of its name (on that partition's owner and its backups). A queue with a
    ``max-size`` on the member is bounded: ``offer`` answers False and ``add`` raises ``IllegalStateError`` when it
    is full, ``put`` waits for room. Use it from the client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._decode_item: Callable[[Message], ItemType | None] = self._deserializing(_POLL.decode_response)
        # A take is answered only with an item (it waits for one).
        self._decode_taken: Callable[[Message], ItemType] = self._deserializing(_TAKE.decode_response)
        self._decode_items = self._list_decoder(_ITERATOR)
        self._invocation_timeout = context.config.invocation_timeout
        #: Background puts of items that reached a cancelled consumer.
        self._returning: set[asyncio.Task[None]] = set()

    # -- producers ------------------------------------------------------------------------------------------------

    async def add(self, item: ItemType) -> bool:
        """Add ``item`` at the tail; raises ``IllegalStateError`` if the queue is full."""
        if not await self.offer(item):
            raise IllegalStateError(f"queue {self.name!r} is full")
        return True

    add_all = with_docstring(
        NamePartitionedCollection.add_all,
        """Add ``items`` in order; True if the queue changed (False when they do not all fit).""",
    )

    async def offer(self, item: ItemType, timeout: float = 0) -> bool:
        """Add ``item`` at the tail if there is room; otherwise wait up to ``timeout`` seconds for room.

        Returns False when the queue is still full (at once when ``timeout`` is 0).
        """
        if item is None:
            raise ValueError("item must not be None")
        millis = 0 if timeout == 0 and type(timeout) is int else _timeout_millis(timeout)
        request = _OFFER.encode_request(self.name, self._to_data(item), millis)
        if millis:
            return await self._send(request, _OFFER_RESPONSE, False, timeout + self._invocation_timeout)
        return await self._call(request, self._name_partition, _OFFER_RESPONSE)

    async def put(self, item: ItemType) -> None:
        """Add ``item`` at the tail, waiting as long as it takes for room."""
        await self._send(_PUT.encode_request(self.name, self._item_data(item)), None, False, _NO_DEADLINE)

    # -- consumers ------------------------------------------------------------------------------------------------

    async def poll(self, timeout: float = 0) -> ItemType | None:
        """Remove and return the head; if the queue is empty, wait up to ``timeout`` seconds for an item.

        Returns None when no item came (at once when ``timeout`` is 0). If the connection to the queue's member is
        lost while the call waits, it fails with ``TargetDisconnectedError`` (call again): retrying it silently could
        lose the item a dying member had already removed (unless ``redo_operation`` asks for retries anyway).
        """
        millis = 0 if timeout == 0 and type(timeout) is int else _timeout_millis(timeout)
        request = _POLL.encode_request(self.name, millis)
        deadline = timeout + self._invocation_timeout if millis else None
        # What _consume does (never retried once sent, late items given back), inline: poll is a hot call.
        invocation = self._call(request, self._name_partition, self._decode_item, False, deadline, None,
                                self._return_late_item)
        try:
            return await invocation
        except asyncio.CancelledError:
            self._cancelled_after_answer(invocation, self._return_late_item)
            raise

    async def take(self) -> ItemType:
        """Remove and return the head, waiting as long as it takes for an item."""
        # Not retried after it was sent, for the reason given in poll.
        request = _TAKE.encode_request(self.name)
        invocation = self._consume(request, self._decode_taken, _NO_DEADLINE, self._return_late_item)
        try:
            return await invocation
        except asyncio.CancelledError:
            self._cancelled_after_answer(invocation, self._return_late_item)
            raise

    async def drain_to(self, target_list: list[ItemType], max_size: int = -1) -> int:
        """Remove up to ``max_size`` items from the head (-1: all of them) and append them to ``target_list``.

        Returns how many were moved.
        """
        if not isinstance(target_list, list):
            raise TypeError(f"target_list must be a list, not {type(target_list).__name__}")
        if isinstance(max_size, bool) or not isinstance(max_size, int):
            raise TypeError(f"max_size must be an int, not {type(max_size).__name__}")
        if max_size < -1:
            raise ValueError(f"max_size must be -1 (everything) or >= 0, got {max_size}")
        if max_size == -1:
            request = _DRAIN_TO.encode_request(self.name)
        else:
            request = _DRAIN_TO_MAX_SIZE.encode_request(self.name, max_size)
        invocation = self._consume(request, self._decode_items, None, self._return_late_items)
        try:
            items = await invocation
        except asyncio.CancelledError:
            self._cancelled_after_answer(invocation, self._return_late_items)
            raise
        target_list.extend(items)
        return len(items)

    async def peek(self) -> ItemType | None:
        """The head without removing it, or None if the queue is empty."""
        return await self._send(_PEEK.encode_request(self.name), self._decode_item, True)

    # -- reads ----------------------------------------------------------------------------------------------------

    async def iterator(self) -> list[ItemType]:
        """Every item, head first (a copy; the queue is unchanged)."""
        return await self._send(_ITERATOR.encode_request(self.name), self._decode_items, True)

    async def remaining_capacity(self) -> int:
        """How many more items fit before the queue is full."""
        request = _REMAINING_CAPACITY.encode_request(self.name)
        return await self._send(request, _REMAINING_CAPACITY_RESPONSE, True)

    # -- cancellation safety of consumers -------------------------------------------------------------------------

    def _consume(
        self,
        request: bytearray,
        decoder: Callable[[Message], ResultType],
        timeout: float | None,
        give_back: Callable[[ResultType], None],
    ) -> asyncio.Future[ResultType]:
        """Send a consumer's request, never retried once sent; an answer that comes after its caller was cancelled
        goes to ``give_back`` instead of being dropped."""
        return self._invocations.call(request, self._name_partition, decoder, False, timeout, None, give_back)

    def _cancelled_after_answer(self, invocation: asyncio.Future[Any], give_back: Callable[[Any], None]) -> None:
        """A consumer was cancelled: if the answer had come already (its task had not resumed yet), give it back."""
        if invocation.done() and not invocation.cancelled() and invocation.exception() is None:
            give_back(invocation.result())

    def _return_late_item(self, item: ItemType | None) -> None:
        if item is not None:
            self._return_late([item])

    def _return_late_items(self, items: list[ItemType]) -> None:
        if items:
            self._return_late(list(items))

    def _return_late(self, items: list[Any]) -> None:
        _logger.warning("queue.cancelled_consumer.items_returned", queue=self.name, count=len(items))
        task = self._loop.create_task(self._put_back(items))
        self._returning.add(task)
        task.add_done_callback(self._returning.discard)

    async def _put_back(self, items: list[Any]) -> None:
        try:
            for item in items:
                await self.put(item)
        except Exception:
            _logger.error("queue.cancelled_consumer.return_failed", queue=self.name, count=len(items), exc_info=True)
