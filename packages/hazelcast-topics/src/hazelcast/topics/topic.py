"""The Topic proxy: publish/subscribe through the members, without storing messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from hazelcast.collections.ringbuffer import name_partition_id
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext
from hazelcast.topics.message import TopicMessage

__all__ = ["Topic"]

MessageType = TypeVar("MessageType")

_PUBLISH = method("Topic.publish")
_PUBLISH_ALL = method("Topic.publishAll")
_ADD_LISTENER = method("Topic.addMessageListener")
_REMOVE_LISTENER = method("Topic.removeMessageListener")
_DECODE_MESSAGE_EVENT = _ADD_LISTENER.decode_event[0]


class Topic(Proxy, Generic[MessageType]):
    """A publish/subscribe channel: every message published reaches every listener registered at that moment.

    Listeners of every client and member receive the messages of all publishers; each listener receives the
    messages of one publisher in the order they were published. Messages are not stored: a listener added later does
    not see earlier messages (use a :class:`~hazelcast.topics.ReliableTopic` for that). Listeners stay registered
    while members come and go.

    Not thread-safe: use it from the client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._partition_id = name_partition_id(context, name)

    async def publish(self, message: MessageType) -> None:
        """Publish ``message`` (not None) to every listener of this topic."""
        if message is None:
            raise ValueError("message must not be None")
        await self._call(_PUBLISH.encode_request(self.name, self._to_data(message)), self._partition_id)

    async def publish_all(self, messages: Sequence[MessageType]) -> None:
        """Publish ``messages`` in order, in one request; none may be None."""
        if messages is None:
            raise ValueError("messages must not be None")
        to_data = self._to_data
        data_list = []
        for message in messages:
            if message is None:
                raise ValueError("messages must not contain None")
            data_list.append(to_data(message))
        await self._call(_PUBLISH_ALL.encode_request(self.name, data_list), self._partition_id)

    async def add_listener(self, on_message: Callable[[TopicMessage[MessageType]], Any] | None = None) -> str:
        """Call ``on_message(TopicMessage)`` for every message published from now on; returns the registration id.

        ``on_message`` may be a plain function or an ``async def`` one; it must not block the event loop.
        """
        if on_message is None:
            raise ValueError("on_message must not be None")
        if not callable(on_message):
            raise TypeError(f"on_message must be callable, not {type(on_message).__name__}")
        name = self.name
        to_object = self._to_object
        get_member = self._context.cluster_service.get_member
        run = self._context.callbacks.run

        def handle(event: Message) -> None:
            item, publish_time, member_uuid = _DECODE_MESSAGE_EVENT(event)
            message = TopicMessage(name, to_object(item), publish_time / 1000.0, get_member(member_uuid))
            run("topic.message", on_message, message)

        return await self._context.listener_service.register(
            lambda local_only: _ADD_LISTENER.encode_request(name, local_only),
            _ADD_LISTENER.decode_response,
            lambda registration_id: _REMOVE_LISTENER.encode_request(name, registration_id),
            handle,
        )

    async def remove_listener(self, registration_id: str) -> bool:
        """Stop a listener added by :meth:`add_listener`; False if there was none with that id."""
        if registration_id is None:
            raise ValueError("registration_id must not be None")
        return await self._context.listener_service.deregister(registration_id)
