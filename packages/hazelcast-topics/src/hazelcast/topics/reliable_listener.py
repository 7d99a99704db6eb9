"""Reliable-topic listeners, and the runner that feeds one listener from the topic's ringbuffer."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import structlog

from hazelcast.errors import (
    ClientOfflineError,
    DistributedObjectDestroyedError,
    HazelcastClientNotActiveError,
    HazelcastInstanceNotActiveError,
    IllegalArgumentError,
    OperationTimeoutError,
)
from hazelcast.topics.message import ReliableTopicMessageCodec, TopicMessage

if TYPE_CHECKING:
    from hazelcast.collections.ringbuffer import Ringbuffer

__all__ = ["ReliableMessageListener"]

MessageType = TypeVar("MessageType")

_logger = structlog.get_logger("hazelcast.topic")
#: Seconds to wait before reading again after the client lost its connections.
_OFFLINE_RETRY_DELAY = 0.1


class ReliableMessageListener(Generic[MessageType]):
    """A reliable-topic listener that controls where it starts, what it remembers and how it meets errors and loss.

    Subclass it and implement every method (:meth:`on_cancel` may be left as it is: it does nothing). A listener is never called concurrently with itself, and receives the
    messages of the topic in one global order, without duplicates; it misses messages only when it falls so far
    behind that the ringbuffer overwrote them (see :meth:`is_loss_tolerant`).

    Durable subscriptions: :meth:`store_sequence` is called with each message's sequence before
    :meth:`on_message`; return the stored sequence from :meth:`retrieve_initial_sequence` to process the last message
    again after a restart (at least once), or the stored sequence + 1 to continue after it (at most once).
    """

    def on_message(self, message: TopicMessage[MessageType]) -> Any:
        """Handle one message; an ``async def`` implementation is awaited before the next message is handled."""
        raise NotImplementedError("on_message")

    def retrieve_initial_sequence(self) -> int:
        """The sequence of the first message to receive, or -1 to start with the next message published."""
        raise NotImplementedError("retrieve_initial_sequence")

    def store_sequence(self, sequence: int) -> None:
        """Remember ``sequence``, the sequence of the message about to be handled."""
        raise NotImplementedError("store_sequence")

    def is_loss_tolerant(self) -> bool:
        """Whether to go on from the oldest message still available after messages were lost; False cancels the
        listener when that happens."""
        raise NotImplementedError("is_loss_tolerant")

    def is_terminal(self, error: Exception) -> bool:
        """Whether ``error``, raised by :meth:`on_message`, cancels the listener (False: go on with the next one)."""
        raise NotImplementedError("is_terminal")

    def on_cancel(self) -> None:
        """Called once when the listener stops: removed, cancelled after loss or a terminal error, topic destroyed,
        or client shut down."""


class _FunctionListener(ReliableMessageListener[MessageType]):
    """A plain function as a listener: starts with the next message, keeps going after errors, not loss tolerant."""

    __slots__ = ("_function",)

    def __init__(self, function: Callable[[TopicMessage[MessageType]], Any]) -> None:
        self._function = function

    def on_message(self, message: TopicMessage[MessageType]) -> Any:
        return self._function(message)

    def retrieve_initial_sequence(self) -> int:
        return -1

    def store_sequence(self, sequence: int) -> None:
        """A function keeps no position."""

    def is_loss_tolerant(self) -> bool:
        return False

    def is_terminal(self, error: Exception) -> bool:
        return False

    def __repr__(self) -> str:
        return f"FunctionListener({self._function!r})"


def as_reliable_listener(listener: Any) -> ReliableMessageListener[Any]:
    if isinstance(listener, ReliableMessageListener):
        return listener
    if not callable(listener):
        raise TypeError(f"listener must be a ReliableMessageListener or a callable, not {type(listener).__name__}")
    return _FunctionListener(listener)


class MessageRunner:
    """Reads batches from the ringbuffer and hands the messages to one listener, in order, until cancelled."""

    def __init__(
        self,
        topic_name: str,
        listener: ReliableMessageListener[Any],
        ringbuffer: Ringbuffer[Any],
        read_batch_size: int,
        codec: ReliableTopicMessageCodec,
        to_object: Callable[[bytes | None], Any],
        on_stop: Callable[[], object],
    ) -> None:
        self._topic_name = topic_name
        self._listener = listener
        self._ringbuffer = ringbuffer
        self._read_batch_size = read_batch_size
        self._codec = codec
        self._to_object = to_object
        self._on_stop = on_stop
        self._sequence = -1
        self._task: asyncio.Task[None] | None = None
        self._stopped = False
        self._log = _logger.bind(topic=topic_name, listener=repr(listener))

    async def start(self, loop: asyncio.AbstractEventLoop) -> None:
        sequence = self._listener.retrieve_initial_sequence()
        if sequence < 0:
            sequence = await self._ringbuffer.tail_sequence() + 1
        self._sequence = sequence
        self._task = loop.create_task(self._run())

    def cancel(self) -> None:
        """Stop the runner (the listener's ``on_cancel`` runs now)."""
        task = self._task
        self._stop()
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    def _stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._on_stop()
        try:
            self._listener.on_cancel()
        except Exception:
            self._log.exception("topic.listener.on_cancel_failed")

    async def _run(self) -> None:
        try:
            while not self._stopped and await self._next_batch():
                pass
        finally:
            self._stop()

    async def _next_batch(self) -> bool:
        """Read and deliver one batch; False when the listener must stop."""
        try:
            read_count, items, sequences, next_sequence = await self._ringbuffer._read_many_data(
                self._sequence, 1, self._read_batch_size
            )
        except asyncio.CancelledError:
            raise
        except Exception as error:
            return await self._recover(error)
        first = next_sequence - read_count
        lost = first - self._sequence
        if lost and not self._tolerates_loss(lost):
            return False
        listener = self._listener
        codec = self._codec
        for index, data in enumerate(items):
            try:
                listener.store_sequence(sequences[index] if sequences else first + index)
                publish_time, address, payload = codec.decode(data)
                message = TopicMessage(
                    self._topic_name, self._to_object(payload), publish_time, codec.member_of(address)
                )
                result = listener.on_message(message)
                if inspect.isawaitable(result):
                    await result
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self._stopped or self._is_terminal(error):
                    return False
        self._sequence = next_sequence
        return True

    def _tolerates_loss(self, lost: int) -> bool:
        if self._listener.is_loss_tolerant():
            self._log.debug("topic.listener.messages_lost", lost=lost, sequence=self._sequence)
            return True
        self._log.warning("topic.listener.cancelled_after_loss", lost=lost, sequence=self._sequence)
        return False

    def _is_terminal(self, error: Exception) -> bool:
        try:
            terminal = bool(self._listener.is_terminal(error))
        except Exception:
            self._log.warning("topic.listener.is_terminal_failed", exc_info=True)
            return True
        if terminal:
            self._log.warning("topic.listener.terminated", exc_info=error)
        else:
            self._log.debug("topic.listener.error", exc_info=error)
        return terminal

    async def _recover(self, error: Exception) -> bool:
        """Whether reading may go on after ``error``; adjusts the sequence when the listener tolerates loss."""
        if isinstance(error, (ClientOfflineError, OperationTimeoutError)):
            self._log.debug("topic.listener.retrying", error=repr(error), sequence=self._sequence)
            await asyncio.sleep(_OFFLINE_RETRY_DELAY)
            return True
        if isinstance(error, IllegalArgumentError) and self._listener.is_loss_tolerant():
            # The sequence is beyond the ringbuffer's tail (its data was lost): start again from its head.
            try:
                self._sequence = await self._ringbuffer.head_sequence()
            except Exception:
                self._log.warning("topic.listener.head_sequence_failed", exc_info=True)
                return False
            return True
        if isinstance(
            error, (HazelcastClientNotActiveError, HazelcastInstanceNotActiveError, DistributedObjectDestroyedError)
        ):
            self._log.debug("topic.listener.stopped", reason=type(error).__name__)
        else:
            self._log.warning("topic.listener.read_failed", exc_info=error)
        return False
