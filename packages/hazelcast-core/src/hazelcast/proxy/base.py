"""Event types shared by the proxies of several distributions, at the import path of the official client.

``from hazelcast.proxy.base import ItemEvent, ItemEventType`` works as it does with hazelcast-python-client.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

__all__ = ["ItemEvent", "ItemEventType"]

ItemType = TypeVar("ItemType")


class ItemEventType:
    """What happened to the item of an :class:`ItemEvent` (the protocol's values)."""

    ADDED = 1
    """An item was added."""

    REMOVED = 2
    """An item was removed."""


class ItemEvent(Generic[ItemType]):
    """An item added to or removed from a list, set or queue.

    ``name``: the collection's name. ``item``: the item, or None when the listener was added without
    ``include_value``. ``event_type``: an :class:`ItemEventType` value. ``member``: the
    :class:`~hazelcast.core.MemberInfo` of the member that fired the event (None if the client does not know it yet).
    """

    __slots__ = ("name", "item", "event_type", "member")

    def __init__(self, name: str, item: ItemType | None, event_type: int, member: Any) -> None:
        self.name = name
        self.item = item
        self.event_type = event_type
        self.member = member

    def __repr__(self) -> str:
        return f"ItemEvent(name={self.name!r}, item={self.item!r}, event_type={self.event_type}, member={self.member!r})"
