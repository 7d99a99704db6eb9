"""Event types that map-like proxies deliver to listeners, at the import path the official client uses
(``from hazelcast.proxy.base import EntryEvent, EntryEventType``)."""

from __future__ import annotations

import enum
import uuid
from typing import Generic, TypeVar

__all__ = ["EntryEvent", "EntryEventType"]

KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")


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
