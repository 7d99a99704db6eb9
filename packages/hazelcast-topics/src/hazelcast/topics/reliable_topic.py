"""The ReliableTopic proxy: a topic whose messages are kept, in order, in the ringbuffer ``_hz_rb_<name>``."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from hazelcast.collections.ringbuffer import MAX_BATCH_SIZE, OVERFLOW_POLICY_FAIL, OVERFLOW_POLICY_OVERWRITE, Ringbuffer
from hazelcast.config import ReliableTopicConfig, TopicOverloadPolicy
from hazelcast.errors import TopicOverloadError
from hazelcast.proxy import Proxy, ProxyContext
from hazelcast.topics.message import ReliableTopicMessageCodec, TopicMessage
from hazelcast.topics.reliable_listener import MessageRunner, ReliableMessageListener, as_reliable_listener

__all__ = ["RINGBUFFER_PREFIX", "ReliableTopic"]

MessageType = TypeVar("MessageType")

#: The ringbuffer of reliable topic ``name`` is named ``RINGBUFFER_PREFIX + name``.
RINGBUFFER_PREFIX = "_hz_rb_"
RINGBUFFER_SERVICE = "hz:impl:ringbufferService"
_INITIAL_BACKOFF = 0.1
_MAX_BACKOFF = 2.0


class ReliableTopic(Proxy, Generic[MessageType]):
    """A topic backed by a ringbuffer: listeners read the stored messages in one global order, at their own pace.

    A listener may start from a stored sequence (a durable subscription, see :class:`ReliableMessageListener`);
    one that falls behind the ringbuffer's head loses messages and, unless it is loss tolerant, is cancelled. When
    the ringbuffer is full of messages younger than its time to live, publishing follows the topic's overload policy
    (``Config.reliable_topics[name].overload_policy``): ``BLOCK`` retries with a growing pause (0.1 s up to 2 s),
    ``ERROR`` raises :class:`~hazelcast.errors.TopicOverloadError`, ``DISCARD_NEWEST`` drops the new message and
    ``DISCARD_OLDEST`` overwrites the oldest one. Without a time to live on the ringbuffer the oldest message is
    always overwritten.

    Not thread-safe: use it from the client's event loop.
    """

    def __init__(
        self, service_name: str, name: str, context: ProxyContext, ringbuffer: Ringbuffer[Any] | None = None
    ) -> None:
        super().__init__(service_name, name, context)
        if ringbuffer is None:
            ringbuffer = Ringbuffer(RINGBUFFER_SERVICE, RINGBUFFER_PREFIX + name, context)
        self._ringbuffer = ringbuffer
        config = context.config.reliable_topics.get(name)
        self._config: ReliableTopicConfig = config if config is not None else ReliableTopicConfig()
        self._codec = ReliableTopicMessageCodec(bool(context.config.is_big_endian))
        self._runners: dict[str, MessageRunner] = {}
        policy = TopicOverloadPolicy(self._config.overload_policy)
        self._add: Callable[[bytes], Any] = {
            TopicOverloadPolicy.DISCARD_OLDEST: self._add_overwriting,
            TopicOverloadPolicy.DISCARD_NEWEST: self._add_or_discard,
            TopicOverloadPolicy.ERROR: self._add_or_fail,
            TopicOverloadPolicy.BLOCK: self._add_with_backoff,
        }[policy]
        self._add_all: Callable[[list[bytes]], Any] = {
            TopicOverloadPolicy.DISCARD_OLDEST: self._add_all_overwriting,
            TopicOverloadPolicy.DISCARD_NEWEST: self._add_all_or_discard,
            TopicOverloadPolicy.ERROR: self._add_all_or_fail,
            TopicOverloadPolicy.BLOCK: self._add_all_with_backoff,
        }[policy]

    async def publish(self, message: MessageType) -> None:
        """Publish ``message`` (not None) to every listener of this topic."""
        if message is None:
            raise ValueError("message must not be None")
        await self._add(self._codec.encode(time.time_ns() // 1_000_000, self._to_data(message)))

    async def publish_all(self, messages: Sequence[MessageType]) -> None:
        """Publish ``messages`` in order (none may be None): one request per :data:`MAX_BATCH_SIZE` messages."""
        if messages is None:
            raise ValueError("messages must not be None")
        now = time.time_ns() // 1_000_000
        encode = self._codec.encode
        to_data = self._to_data
        stored = []
        for message in messages:
            if message is None:
                raise ValueError("messages must not contain None")
            stored.append(encode(now, to_data(message)))
        for start in range(0, len(stored), MAX_BATCH_SIZE):
            await self._add_all(stored[start:start + MAX_BATCH_SIZE])

    async def add_listener(
        self, listener: ReliableMessageListener[MessageType] | Callable[[TopicMessage[MessageType]], Any]
    ) -> str:
        """Start delivering messages to ``listener``: a :class:`ReliableMessageListener` or a plain function (which
        starts with the next message published, is not loss tolerant and keeps going after its own errors).

        Returns the registration id for :meth:`remove_listener`.
        """
        if listener is None:
            raise ValueError("listener must not be None")
        reliable_listener = as_reliable_listener(listener)
        registration_id = str(uuid.uuid4())
        runners = self._runners
        runner = MessageRunner(
            self.name,
            reliable_listener,
            self._ringbuffer,
            self._config.read_batch_size,
            self._codec,
            self._to_object,
            lambda: runners.pop(registration_id, None),
        )
        runners[registration_id] = runner
        try:
            await runner.start(self._loop)
        except BaseException:
            runners.pop(registration_id, None)
            raise
        return registration_id

    async def remove_listener(self, registration_id: str) -> bool:
        """Stop a listener (its ``on_cancel`` is called); False if there was none with that id."""
        if registration_id is None:
            raise ValueError("registration_id must not be None")
        runner = self._runners.get(registration_id)
        if runner is None:
            return False
        runner.cancel()
        return True

    async def destroy(self) -> bool:
        """Stop every listener, then destroy the topic and its ringbuffer with all messages."""
        for runner in list(self._runners.values()):
            runner.cancel()
        destroyed = await super().destroy()
        await self._ringbuffer.destroy()
        return destroyed

    # -- overload policies ------------------------------------------------------------------------------------------

    async def _add_overwriting(self, data: bytes) -> None:
        await self._ringbuffer._add_data(data, OVERFLOW_POLICY_OVERWRITE)

    async def _add_or_discard(self, data: bytes) -> None:
        await self._ringbuffer._add_data(data, OVERFLOW_POLICY_FAIL)

    async def _add_or_fail(self, data: bytes) -> None:
        if await self._ringbuffer._add_data(data, OVERFLOW_POLICY_FAIL) == -1:
            raise TopicOverloadError(f"reliable topic {self.name!r} is full: the message was not published")

    async def _add_with_backoff(self, data: bytes) -> None:
        backoff = _INITIAL_BACKOFF
        while await self._ringbuffer._add_data(data, OVERFLOW_POLICY_FAIL) == -1:
            await asyncio.sleep(backoff)
            backoff = min(_MAX_BACKOFF, backoff * 2)

    async def _add_all_overwriting(self, data_list: list[bytes]) -> None:
        await self._ringbuffer._add_all_data(data_list, OVERFLOW_POLICY_OVERWRITE)

    async def _add_all_or_discard(self, data_list: list[bytes]) -> None:
        await self._ringbuffer._add_all_data(data_list, OVERFLOW_POLICY_FAIL)

    async def _add_all_or_fail(self, data_list: list[bytes]) -> None:
        if await self._ringbuffer._add_all_data(data_list, OVERFLOW_POLICY_FAIL) == -1:
            raise TopicOverloadError(f"reliable topic {self.name!r} is full: the messages were not published")

    async def _add_all_with_backoff(self, data_list: list[bytes]) -> None:
        backoff = _INITIAL_BACKOFF
        while await self._ringbuffer._add_all_data(data_list, OVERFLOW_POLICY_FAIL) == -1:
            await asyncio.sleep(backoff)
            backoff = min(_MAX_BACKOFF, backoff * 2)
