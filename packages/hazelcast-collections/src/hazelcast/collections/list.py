"""The distributed List proxy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hazelcast.collections.item_listener import NamePartitionedCollection, with_docstring
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import ProxyContext

__all__ = ["List"]

ItemType = TypeVar("ItemType")

_ADD_WITH_INDEX = method("List.addWithIndex")
_ADD_ALL_WITH_INDEX = method("List.addAllWithIndex")
_GET = method("List.get")
_GET_ALL = method("List.getAll")
_ITERATOR = method("List.iterator")
_LIST_ITERATOR = method("List.listIterator")
_INDEX_OF = method("List.indexOf")
_LAST_INDEX_OF = method("List.lastIndexOf")
_REMOVE_WITH_INDEX = method("List.removeWithIndex")
_SET = method("List.set")
_SUB = method("List.sub")
# The catalogue compiles its decoders at import time (typed Any); the response types they produce are declared here.
_ADD_ALL_WITH_INDEX_RESPONSE: Callable[[Message], bool] = _ADD_ALL_WITH_INDEX.decode_response
_INDEX_OF_RESPONSE: Callable[[Message], int] = _INDEX_OF.decode_response
_LAST_INDEX_OF_RESPONSE: Callable[[Message], int] = _LAST_INDEX_OF.decode_response


def _check_index(index: Any, name: str = "index") -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"{name} must be an int, not {type(index).__name__}")
    return index


class List(NamePartitionedCollection[ItemType], protocol_service="List"):
    """A distributed, ordered list that allows duplicates; items may not be None.

    The whole list lives in the partition of its name (on that partition's owner and its backups), so it does not
    grow with the cluster. Items are compared by their serialized form. Use it from the client's event loop.
    """

    _ADD = method("List.add")
    _ADD_RESPONSE = staticmethod(_ADD.decode_response)

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._decode_item: Callable[[Message], ItemType] = self._deserializing(_GET.decode_response)
        self._decode_items = self._list_decoder(_GET_ALL)

    add = with_docstring(
        NamePartitionedCollection.add, """Append ``item``; False if the list is at its configured ``max-size``."""
    )
    add_all = with_docstring(
        NamePartitionedCollection.add_all,
        """Append ``items`` in their order; True if the list changed (False when they do not all fit).""",
    )
    remove = with_docstring(
        NamePartitionedCollection.remove, """Remove the first occurrence of ``item``; True if there was one."""
    )

    async def add_at(self, index: int, item: ItemType) -> None:
        """Insert ``item`` at ``index``, shifting the items from there on to the right.

        Raises ``IndexOutOfBoundsError`` unless ``0 <= index <= size``.
        """
        request = _ADD_WITH_INDEX.encode_request(self.name, _check_index(index), self._item_data(item))
        await self._send(request)

    async def add_all_at(self, index: int, items: Sequence[ItemType]) -> bool:
        """Insert ``items`` at ``index`` in their order; True if the list changed."""
        request = _ADD_ALL_WITH_INDEX.encode_request(self.name, _check_index(index), self._items_data(items))
        return await self._send(request, _ADD_ALL_WITH_INDEX_RESPONSE)

    async def get(self, index: int) -> ItemType:
        """The item at ``index``; ``IndexOutOfBoundsError`` unless ``0 <= index < size``."""
        request = _GET.encode_request(self.name, _check_index(index))
        return await self._call(request, self._name_partition, self._decode_item, True)

    async def get_all(self) -> list[ItemType]:
        """Every item, in order."""
        return await self._send(_GET_ALL.encode_request(self.name), self._decode_items, True)

    async def iterator(self) -> list[ItemType]:
        """Every item, in order (as :meth:`get_all`)."""
        return await self._send(_ITERATOR.encode_request(self.name), self._decode_items, True)

    async def list_iterator(self, index: int = 0) -> list[ItemType]:
        """The items from ``index`` on, in order."""
        request = _LIST_ITERATOR.encode_request(self.name, _check_index(index))
        return await self._send(request, self._decode_items, True)

    async def index_of(self, item: ItemType) -> int:
        """The index of the first occurrence of ``item``, or -1."""
        request = _INDEX_OF.encode_request(self.name, self._item_data(item))
        return await self._send(request, _INDEX_OF_RESPONSE, True)

    async def last_index_of(self, item: ItemType) -> int:
        """The index of the last occurrence of ``item``, or -1."""
        request = _LAST_INDEX_OF.encode_request(self.name, self._item_data(item))
        return await self._send(request, _LAST_INDEX_OF_RESPONSE, True)

    async def remove_at(self, index: int) -> ItemType:
        """Remove and return the item at ``index``, shifting the following items to the left."""
        request = _REMOVE_WITH_INDEX.encode_request(self.name, _check_index(index))
        return await self._send(request, self._decode_item)

    async def set_at(self, index: int, item: ItemType) -> ItemType:
        """Replace the item at ``index`` with ``item``; returns the previous item."""
        request = _SET.encode_request(self.name, _check_index(index), self._item_data(item))
        return await self._send(request, self._decode_item)

    async def sub_list(self, from_index: int, to_index: int) -> list[ItemType]:
        """The items from ``from_index`` (inclusive) to ``to_index`` (exclusive), as a copy."""
        request = _SUB.encode_request(self.name, _check_index(from_index, "from_index"), _check_index(to_index, "to_index"))
        return await self._send(request, self._decode_items, True)
