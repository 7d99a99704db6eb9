"""What lists, sets and queues share on the client: routing by the name's partition, the methods they all have, and
item listeners.

These collections live whole in one partition, the partition of their name (of the text after ``@`` when the name
has one, as on a member), so every request goes to that partition's owner. The methods the three have in common send
the same parameters and decode the same answers, each through its own service's message (``List.size``,
``Set.size``, ``Queue.size``...): the base class holds them, and each subclass names its codecs as class attributes.
Item listeners follow the client's connections: registered on every member (smart routing) or on the connected one,
again on reconnection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from types import FunctionType
from typing import Any, Generic, TypeVar, overload

from hazelcast.protocol import MethodCodec, method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext, check_not_none
from hazelcast.proxy.base import ItemEvent, ItemEventType

__all__ = ["ItemEvent", "ItemEventType", "NamePartitionedCollection"]

ItemType = TypeVar("ItemType")
ResultType = TypeVar("ResultType")
FunctionT = TypeVar("FunctionT", bound=Callable[..., Any])


def with_docstring(function: FunctionT, docstring: str) -> FunctionT:
    """A copy of the inherited method ``function`` under a subclass's own docstring.

    Where one class's method means something more precise than the shared one (a list removes the *first*
    occurrence), the subclass states it in its docstring without a wrapper: the copy runs the same code, with no
    extra call per use.
    """
    assert isinstance(function, FunctionType)
    copy = FunctionType(function.__code__, function.__globals__, function.__name__, function.__defaults__,
                        function.__closure__)
    copy.__kwdefaults__ = function.__kwdefaults__
    copy.__annotations__ = function.__annotations__
    copy.__doc__ = docstring
    return copy  # type: ignore[return-value]


#: The class attributes of :class:`NamePartitionedCollection`, the messages they are the codecs of, and the class
#: attribute of the response decoder the proxy sends with (None where it sends none or hands the codec on).
_SHARED_MESSAGES = (
    ("_ADD_ALL", "addAll", "_ADD_ALL_RESPONSE"),
    ("_CLEAR", "clear", None),
    ("_CONTAINS", "contains", "_CONTAINS_RESPONSE"),
    ("_CONTAINS_ALL", "containsAll", "_CONTAINS_ALL_RESPONSE"),
    ("_IS_EMPTY", "isEmpty", "_IS_EMPTY_RESPONSE"),
    ("_REMOVE", "remove", "_REMOVE_RESPONSE"),
    ("_COMPARE_AND_REMOVE_ALL", "compareAndRemoveAll", "_COMPARE_AND_REMOVE_ALL_RESPONSE"),
    ("_COMPARE_AND_RETAIN_ALL", "compareAndRetainAll", "_COMPARE_AND_RETAIN_ALL_RESPONSE"),
    ("_SIZE", "size", "_SIZE_RESPONSE"),
    ("_ADD_LISTENER", "addListener", None),
    ("_REMOVE_LISTENER", "removeListener", None),
)


class NamePartitionedCollection(Proxy, Generic[ItemType]):
    """Base of List, Set and Queue: requests go to the owner of the partition of the collection's name."""

    #: The codecs of the messages every collection has, named after its protocol service (``List.addAll``,
    #: ``Set.size``...): a subclass names that service as ``protocol_service=`` in its class statement.
    _ADD_ALL: MethodCodec
    _CLEAR: MethodCodec
    _CONTAINS: MethodCodec
    _CONTAINS_ALL: MethodCodec
    _IS_EMPTY: MethodCodec
    _REMOVE: MethodCodec
    _COMPARE_AND_REMOVE_ALL: MethodCodec
    _COMPARE_AND_RETAIN_ALL: MethodCodec
    _SIZE: MethodCodec
    _ADD_LISTENER: MethodCodec
    _REMOVE_LISTENER: MethodCodec
    #: ``<Service>.add`` and its decoder, which a subclass whose :meth:`add` sends it sets itself (a queue's offers
    #: instead).
    _ADD: MethodCodec
    _ADD_RESPONSE: Callable[[Message], bool]
    # The decoders the methods send with. The catalogue compiles them at import time (typed Any); the response types
    # they produce are declared here. Each is a staticmethod on the class, so that reading it is not binding it.
    _ADD_ALL_RESPONSE: Callable[[Message], bool]
    _CONTAINS_RESPONSE: Callable[[Message], bool]
    _CONTAINS_ALL_RESPONSE: Callable[[Message], bool]
    _IS_EMPTY_RESPONSE: Callable[[Message], bool]
    _REMOVE_RESPONSE: Callable[[Message], bool]
    _COMPARE_AND_REMOVE_ALL_RESPONSE: Callable[[Message], bool]
    _COMPARE_AND_RETAIN_ALL_RESPONSE: Callable[[Message], bool]
    _SIZE_RESPONSE: Callable[[Message], int]

    def __init_subclass__(cls, protocol_service: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if protocol_service:
            for attribute, message, response_attribute in _SHARED_MESSAGES:
                codec = method(f"{protocol_service}.{message}")
                setattr(cls, attribute, codec)
                if response_attribute is not None:
                    setattr(cls, response_attribute, staticmethod(codec.decode_response))

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        to_object = self._to_object
        self._objects_of: Callable[[list[bytes]], list[ItemType]] = lambda data_list: [
            to_object(data) for data in data_list
        ]

    @overload
    def _send(
        self, request: bytearray, decoder: None = None, retryable: bool = False, timeout: float | None = None
    ) -> asyncio.Future[None]: ...

    @overload
    def _send(
        self, request: bytearray, decoder: Callable[[Message], ResultType], retryable: bool = False,
        timeout: float | None = None,
    ) -> asyncio.Future[ResultType]: ...

    def _send(
        self, request: bytearray, decoder: Callable[[Message], Any] | None = None, retryable: bool = False,
        timeout: float | None = None,
    ) -> asyncio.Future[Any]:
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

    def _list_decoder(self, codec: MethodCodec) -> Callable[[Message], list[ItemType]]:
        decode = codec.decode_response
        objects_of = self._objects_of
        return lambda message: objects_of(decode(message))

    async def add(self, item: ItemType) -> bool:
        """Add ``item``; False if the collection did not take it."""
        if item is None:
            raise ValueError("item must not be None")
        request = self._ADD.encode_request(self.name, self._to_data(item))
        return await self._call(request, self._name_partition, self._ADD_RESPONSE)

    async def add_all(self, items: Sequence[ItemType]) -> bool:
        """Add ``items``; True if the collection changed (False when they do not all fit in its ``max-size``)."""
        request = self._ADD_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, self._ADD_ALL_RESPONSE)

    async def clear(self) -> None:
        """Remove every item."""
        await self._send(self._CLEAR.encode_request(self.name))

    async def contains(self, item: ItemType) -> bool:
        """Whether the collection holds ``item``."""
        request = self._CONTAINS.encode_request(self.name, self._item_data(item))
        return await self._send(request, self._CONTAINS_RESPONSE, True)

    async def contains_all(self, items: Sequence[ItemType]) -> bool:
        """Whether the collection holds every one of ``items``."""
        request = self._CONTAINS_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, self._CONTAINS_ALL_RESPONSE, True)

    async def is_empty(self) -> bool:
        """Whether the collection has no items."""
        request = self._IS_EMPTY.encode_request(self.name)
        return await self._send(request, self._IS_EMPTY_RESPONSE, True)

    async def remove(self, item: ItemType) -> bool:
        """Remove one occurrence of ``item``; True if there was one."""
        request = self._REMOVE.encode_request(self.name, self._item_data(item))
        return await self._send(request, self._REMOVE_RESPONSE)

    async def remove_all(self, items: Sequence[ItemType]) -> bool:
        """Remove every occurrence of each of ``items``; True if the collection changed."""
        request = self._COMPARE_AND_REMOVE_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, self._COMPARE_AND_REMOVE_ALL_RESPONSE)

    async def retain_all(self, items: Sequence[ItemType]) -> bool:
        """Remove every item that is not one of ``items``; True if the collection changed."""
        request = self._COMPARE_AND_RETAIN_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, self._COMPARE_AND_RETAIN_ALL_RESPONSE)

    async def size(self) -> int:
        """Number of items."""
        request = self._SIZE.encode_request(self.name)
        return await self._send(request, self._SIZE_RESPONSE, True)

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
