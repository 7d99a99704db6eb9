"""The distributed Set proxy."""

from __future__ import annotations

from typing import TypeVar

from hazelcast.collections.item_listener import NamePartitionedCollection, with_docstring
from hazelcast.protocol import method
from hazelcast.proxy import ProxyContext

__all__ = ["Set"]

ItemType = TypeVar("ItemType")

_GET_ALL = method("Set.getAll")


class Set(NamePartitionedCollection[ItemType], protocol_service="Set"):
    """A distributed set: no duplicates (compared by serialized form), no None items, no order guarantee.

    The whole set lives in the partition of its name. Use it from the client's event loop.
    """

    _ADD = method("Set.add")
    _ADD_RESPONSE = staticmethod(_ADD.decode_response)

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
