"""Event types shared by the proxies of several distributions, at the import path of the official client.

``from hazelcast.proxy.base import EntryEvent, EntryEventType, ItemEvent, ItemEventType`` works as it does with
hazelcast-python-client: entry events for the map-like proxies (Map, MultiMap, ReplicatedMap), item events for the
collections (List, Set, Queue).
"""

from __future__ import annotations

import enum
import uuid
from typing import Any, Generic, TypeVar

__all__ = ["EntryEvent", "EntryEventType", "ItemEvent", "ItemEventType"]

ItemType = TypeVar("ItemType")
KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")


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


class EntryEventType(enum.IntFlag):
    """What happened to an entry (bit flags, as the protocol numbers them)."""

    ADDED = 1
    """A new entry."""
    REMOVED = 2
    """An entry was removed."""
    UPDATED = 4
    """An entry got a new value."""
    EVICTED = 8
    """An entry was evicted (``evict``, or the size bound of the map)."""
    EXPIRED = 16
    """An entry reached its time to live or max idle."""
    EVICT_ALL = 32
    """``evict_all``: every unlocked entry was evicted."""
    CLEAR_ALL = 64
    """``clear``: every unlocked entry was removed."""
    MERGED = 128
    """An entry was merged after a split brain or through WAN replication."""
    INVALIDATION = 256
    """A near cache entry must be dropped (near cache invalidation listeners only)."""
    LOADED = 512
    """An entry was loaded by the map's MapLoader."""


_TYPE_NAMES = {int(event_type): event_type.name for event_type in EntryEventType}


class EntryEvent(Generic[KeyType, ValueType]):
    """One change of a map entry, or of the whole map for ``EVICT_ALL``/``CLEAR_ALL`` (``key`` None).

    ``value`` and ``old_value`` are None unless the listener asked for values (``include_value=True``);
    ``uuid`` is the member that published the event, ``number_of_affected_entries`` the count of entries a map-wide
    event touched (1 for entry events).
    """

    __slots__ = ("key", "value", "old_value", "merging_value", "event_type", "uuid", "number_of_affected_entries")

    def __init__(
        self,
        key: KeyType | None,
        value: ValueType | None,
        old_value: ValueType | None,
        merging_value: ValueType | None,
        event_type: int,
        member_uuid: uuid.UUID | None,
        number_of_affected_entries: int,
    ) -> None:
        self.key = key
        self.value = value
        self.old_value = old_value
        self.merging_value = merging_value
        self.event_type = event_type
        self.uuid = member_uuid
        self.number_of_affected_entries = number_of_affected_entries

    def __repr__(self) -> str:
        type_name = _TYPE_NAMES.get(self.event_type, str(self.event_type))
        return (
            f"EntryEvent(key={self.key!r}, value={self.value!r}, old_value={self.old_value!r}, "
            f"merging_value={self.merging_value!r}, event_type={type_name}, uuid={self.uuid}, "
            f"number_of_affected_entries={self.number_of_affected_entries})"
        )
