"""What lists, sets and queues share on the client: routing by the name's partition, and item listeners.

These collections live whole in one partition, the partition of their name (of the text after ``@`` when the name
has one, as on a member), so every request goes to that partition's owner. Item listeners follow the client's
connections: registered on every member (smart routing) or on the connected one, again on reconnection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from hazelcast.protocol import MethodCodec
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext, check_not_none
from hazelcast.proxy.base import ItemEvent, ItemEventType

__all__ = ["ItemEvent", "ItemEventType", "NamePartitionedCollection"]

ItemType = TypeVar("ItemType")


class NamePartitionedCollection(Proxy, Generic[ItemType]):
    """Base of List, Set and Queue: requests go to the owner of the partition of the collection's name."""

    #: The ``<Service>.addListener`` and ``<Service>.removeListener`` codecs of the subclass.
    _ADD_LISTENER: MethodCodec
    _REMOVE_LISTENER: MethodCodec

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        to_object = self._to_object
        self._objects_of = lambda data_list: [to_object(data) for data in data_list]

    def _send(
        self, request: bytearray, decoder: Callable[[Message], Any] | None = None, retryable: bool = False,
        timeout: float | None = None,
    ) -> Any:
        return self._invocations.call(request, self._name_partition, decoder, retryable, timeout)

    def _item_data(self, item: Any) -> bytes:
        check_not_none(item, "item")
        return self._to_data(item)

    def _items_data(self, items: Sequence[Any]) -> list[bytes]:
        check_not_none(items, "items")
        if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
            raise TypeError(f"items must be a sequence of items, not {type(items).__name__}")
        to_data = self._to_data
        data_list = []
        for item in items:
            check_not_none(item, "item")
            data_list.append(to_data(item))
        return data_list

    def _list_decoder(self, codec: MethodCodec) -> Callable[[Message], list[Any]]:
        decode = codec.decode_response
        objects_of = self._objects_of
        return lambda message: objects_of(decode(message))

    async def add_listener(
        self,
        include_value: bool = False,
        item_added_func: Callable[[ItemEvent[ItemType]], Any] | None = None,
        item_removed_func: Callable[[ItemEvent[ItemType]], Any] | None = None,
    ) -> str:
        """Call ``item_added_func(event)`` / ``item_removed_func(event)`` for every item added or removed.

        With ``include_value`` the events carry the item (it travels with each event); without, ``event.item`` is
        None. Callbacks may be coroutine functions; one that raises is logged. Returns the registration id for
        :meth:`remove_listener`.
        """
        if not isinstance(include_value, bool):
            raise TypeError(f"include_value must be a bool, not {type(include_value).__name__}")
        for func, label in ((item_added_func, "item_added_func"), (item_removed_func, "item_removed_func")):
            if func is not None and not callable(func):
                raise TypeError(f"{label} must be callable")
        name = self.name
        add_codec = self._ADD_LISTENER
        remove_codec = self._REMOVE_LISTENER
        encode_add = add_codec.encode_request
        decode_event = add_codec.decode_event[0]
        to_object = self._to_object
        members = self._context.cluster_service
        callbacks = self._context.callbacks

        def handle(message: Message) -> None:
            item_data, member_uuid, event_type = decode_event(message)
            if event_type == ItemEventType.ADDED:
                func, label = item_added_func, "item_added"
            elif event_type == ItemEventType.REMOVED:
                func, label = item_removed_func, "item_removed"
            else:
                return
            if func is None:
                return
            item = to_object(item_data) if include_value and item_data is not None else None
            callbacks.run(label, func, ItemEvent(name, item, event_type, members.get_member(member_uuid)))

        return await self._context.listener_service.register(
            lambda local_only: encode_add(name, include_value, local_only),
            add_codec.decode_response,
            lambda registration_id: remove_codec.encode_request(name, registration_id),
            handle,
        )

    async def remove_listener(self, registration_id: str) -> bool:
        """Remove an item listener; False if there is none with that id."""
        check_not_none(registration_id, "registration_id")
        return await self._context.listener_service.deregister(registration_id)
