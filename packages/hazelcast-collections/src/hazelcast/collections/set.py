"""The distributed Set proxy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from hazelcast.collections.item_listener import NamePartitionedCollection
from hazelcast.protocol import method
from hazelcast.proxy import ProxyContext

__all__ = ["Set"]

ItemType = TypeVar("ItemType")

_ADD = method("Set.add")
_ADD_ALL = method("Set.addAll")
_CLEAR = method("Set.clear")
_CONTAINS = method("Set.contains")
_CONTAINS_ALL = method("Set.containsAll")
_GET_ALL = method("Set.getAll")
_IS_EMPTY = method("Set.isEmpty")
_REMOVE = method("Set.remove")
_COMPARE_AND_REMOVE_ALL = method("Set.compareAndRemoveAll")
_COMPARE_AND_RETAIN_ALL = method("Set.compareAndRetainAll")
_SIZE = method("Set.size")


class Set(NamePartitionedCollection[ItemType]):
    """A distributed set: no duplicates (compared by serialized form), no None items, no order guarantee.

    The whole set lives in the partition of its name. Use it from the client's event loop.
    """

    _ADD_LISTENER = method("Set.addListener")
    _REMOVE_LISTENER = method("Set.removeListener")

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._decode_items = self._list_decoder(_GET_ALL)

    async def add(self, item: ItemType) -> bool:
        """Add ``item``; False if it was there already or the set is at its configured ``max-size``."""
        return await self._send(_ADD.encode_request(self.name, self._item_data(item)), _ADD.decode_response)

    async def add_all(self, items: Sequence[ItemType]) -> bool:
        """Add ``items``; True if the set changed."""
        request = _ADD_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, _ADD_ALL.decode_response)

    async def clear(self) -> None:
        """Remove every item."""
        await self._send(_CLEAR.encode_request(self.name))

    async def contains(self, item: ItemType) -> bool:
        """Whether the set holds ``item``."""
        request = _CONTAINS.encode_request(self.name, self._item_data(item))
        return await self._send(request, _CONTAINS.decode_response, True)

    async def contains_all(self, items: Sequence[ItemType]) -> bool:
        """Whether the set holds every one of ``items``."""
        request = _CONTAINS_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, _CONTAINS_ALL.decode_response, True)

    async def get_all(self) -> list[ItemType]:
        """Every item, as a list."""
        return await self._send(_GET_ALL.encode_request(self.name), self._decode_items, True)

    async def is_empty(self) -> bool:
        """Whether the set has no items."""
        return await self._send(_IS_EMPTY.encode_request(self.name), _IS_EMPTY.decode_response, True)

    async def remove(self, item: ItemType) -> bool:
        """Remove ``item``; True if it was there."""
        return await self._send(_REMOVE.encode_request(self.name, self._item_data(item)), _REMOVE.decode_response)

    async def remove_all(self, items: Sequence[ItemType]) -> bool:
        """Remove each of ``items``; True if the set changed."""
        request = _COMPARE_AND_REMOVE_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, _COMPARE_AND_REMOVE_ALL.decode_response)

    async def retain_all(self, items: Sequence[ItemType]) -> bool:
        """Remove every item that is not one of ``items``; True if the set changed."""
        request = _COMPARE_AND_RETAIN_ALL.encode_request(self.name, self._items_data(items))
        return await self._send(request, _COMPARE_AND_RETAIN_ALL.decode_response)

    async def size(self) -> int:
        """Number of items."""
        return await self._send(_SIZE.encode_request(self.name), _SIZE.decode_response, True)
