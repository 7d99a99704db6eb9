"""EntryEvent and EntryEventType at the official client's import path."""

from __future__ import annotations

import uuid

from hazelcast.proxy.base import EntryEvent, EntryEventType


def test_event_types_are_the_protocol_flags() -> None:
    assert [int(t) for t in EntryEventType] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    assert EntryEventType.ADDED == 1 and EntryEventType.LOADED == 512


def test_entry_event_fields_and_repr() -> None:
    member = uuid.UUID(int=5)
    event = EntryEvent("k", "v", "old", None, 4, member, 1)
    assert (event.key, event.value, event.old_value, event.merging_value) == ("k", "v", "old", None)
    assert (event.event_type, event.uuid, event.number_of_affected_entries) == (EntryEventType.UPDATED, member, 1)
    assert "event_type=UPDATED" in repr(event) and "key='k'" in repr(event)
    assert "event_type=12345" in repr(EntryEvent(None, None, None, None, 12345, None, 0))
