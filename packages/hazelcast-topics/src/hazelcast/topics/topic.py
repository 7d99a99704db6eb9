"""The Topic proxy: publish/subscribe through the members, without storing messages."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

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

    The listeners of one proxy share one registration on the members: a message crosses the network once per client
    and is handed to each listener in the order they were added (each gets its own deserialized copy). The first
    :meth:`add_listener` registers with the members and the last :meth:`remove_listener` deregisters.

    Not thread-safe: use it from the client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        #: Listener id -> function, in the order they were added.
        self._listeners: dict[str, Callable[[TopicMessage[MessageType]], Any]] = {}
        #: The listeners as the event handler iterates them, replaced (never changed) on each add and remove.
        self._listener_snapshot: tuple[Callable[[TopicMessage[MessageType]], Any], ...] = ()
        #: The members' registration shared by the listeners; None while there are none.
        self._registration: str | None = None
        # Serializes registering and deregistering with the members, so that concurrent calls see one registration.
        self._registration_lock = asyncio.Lock()

    async def publish(self, message: MessageType) -> None:
        """Publish ``message`` (not None) to every listener of this topic."""
        if message is None:
            raise ValueError("message must not be None")
        await self._call(_PUBLISH.encode_request(self.name, self._to_data(message)), self._name_partition)

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
        await self._call(_PUBLISH_ALL.encode_request(self.name, data_list), self._name_partition)

    async def add_listener(self, on_message: Callable[[TopicMessage[MessageType]], Any] | None = None) -> str:
        """Call ``on_message(TopicMessage)`` for every message published from now on; returns the registration id.

        ``on_message`` may be a plain function or an ``async def`` one; it must not block the event loop.
        """
        if on_message is None:
            raise ValueError("on_message must not be None")
        if not callable(on_message):
            raise TypeError(f"on_message must be callable, not {type(on_message).__name__}")
        listener_id = str(uuid.uuid4())
        async with self._registration_lock:
            if self._registration is None:
                self._registration = await self._register()
            self._listeners[listener_id] = on_message
            self._listener_snapshot = tuple(self._listeners.values())
        return listener_id

    def _register(self) -> Any:
        name = self.name
        to_object = self._to_object
        get_member = self._context.cluster_service.get_member
        run = self._context.callbacks.run

        def handle(event: Message) -> None:
            item, publish_time, member_uuid = _DECODE_MESSAGE_EVENT(event)
            seconds = publish_time / 1000.0
            member = get_member(member_uuid)
            for on_message in self._listener_snapshot:
                run("topic.message", on_message, TopicMessage(name, to_object(item), seconds, member))

        return self._context.listener_service.register(
            lambda local_only: _ADD_LISTENER.encode_request(name, local_only),
            _ADD_LISTENER.decode_response,
            lambda registration_id: _REMOVE_LISTENER.encode_request(name, registration_id),
            handle,
        )

    async def remove_listener(self, registration_id: str) -> bool:
        """Stop a listener added by :meth:`add_listener`; False if there was none with that id."""
        if registration_id is None:
            raise ValueError("registration_id must not be None")
        async with self._registration_lock:
            if self._listeners.pop(registration_id, None) is None:
                return False
            self._listener_snapshot = tuple(self._listeners.values())
            if not self._listeners and self._registration is not None:
                registration, self._registration = self._registration, None
                await self._context.listener_service.deregister(registration)
        return True
