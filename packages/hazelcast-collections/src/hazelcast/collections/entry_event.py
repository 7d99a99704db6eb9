"""Entry events of the map-like structures (MultiMap, ReplicatedMap...), as their entry listeners receive them."""

from __future__ import annotations

import uuid
from typing import Generic, TypeVar

__all__ = ["EntryEvent", "EntryEventType"]

KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")


class EntryEventType:
    """What happened to an entry: the protocol's event type flags."""

    ADDED = 1
    REMOVED = 2
    UPDATED = 4
    EVICTED = 8
    EXPIRED = 16
    EVICT_ALL = 32
    CLEAR_ALL = 64
    MERGED = 128
    INVALIDATION = 256
    LOADED = 512


class EntryEvent(Generic[KeyType, ValueType]):
    """One change of an entry, or of the whole structure (``CLEAR_ALL``: no key, ``number_of_affected_entries`` set).

    ``value`` / ``old_value`` are None when the listener did not ask for values or the change has none (a removal has
    only the old value). ``uuid`` is the UUID of the member that sent the event.
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
        return (
            f"EntryEvent(event_type={self.event_type}, key={self.key!r}, value={self.value!r}, "
            f"old_value={self.old_value!r}, number_of_affected_entries={self.number_of_affected_entries}, "
            f"uuid={self.uuid})"
        )
