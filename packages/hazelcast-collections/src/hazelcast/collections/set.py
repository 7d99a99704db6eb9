"""The distributed Set proxy."""

from __future__ import annotations

from typing import TypeVar

from hazelcast.collections.item_listener import NamePartitionedCollection, with_docstring
from hazelcast.protocol import method
from hazelcast.proxy import ProxyContext

__all__ = ["Set"]

ItemType = TypeVar("ItemType")

_GET_ALL = method("Set.getAll")


class Set(NamePartitionedCollection[ItemType]):
    """A distributed set: no duplicates (compared by serialized form), no None items, no order guarantee.

    The whole set lives in the partition of its name. Use it from the client's event loop.
    """

    # The messages behind the methods every collection has (NamePartitionedCollection).
    _ADD = method("Set.add")
    _ADD_ALL = method("Set.addAll")
    _CLEAR = method("Set.clear")
    _CONTAINS = method("Set.contains")
    _CONTAINS_ALL = method("Set.containsAll")
    _IS_EMPTY = method("Set.isEmpty")
    _REMOVE = method("Set.remove")
    _COMPARE_AND_REMOVE_ALL = method("Set.compareAndRemoveAll")
    _COMPARE_AND_RETAIN_ALL = method("Set.compareAndRetainAll")
    _SIZE = method("Set.size")
    _ADD_LISTENER = method("Set.addListener")
    _REMOVE_LISTENER = method("Set.removeListener")

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._decode_items = self._list_decoder(_GET_ALL)

    add = with_docstring(
        NamePartitionedCollection.add,
        """Add ``item``; False if it was there already or the set is at its configured ``max-size``.""",
    )

    async def get_all(self) -> list[ItemType]:
        """Every item, as a list."""
        return await self._send(_GET_ALL.encode_request(self.name), self._decode_items, True)
