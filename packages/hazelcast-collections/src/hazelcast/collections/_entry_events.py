"""How the entry listeners of Map, MultiMap and ReplicatedMap turn event messages into calls of the user's callbacks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hazelcast.protocol.frames import Message
from hazelcast.proxy.base import EntryEvent

__all__ = ["entry_event_handler"]


def entry_event_handler(
    decode: Callable[[Message], Any],
    callbacks: Mapping[Any, Callable[[EntryEvent[Any, Any]], Any] | None],
    to_object: Callable[[bytes | None], Any],
    run: Callable[..., None],
    event_name: str,
) -> Callable[[Message], None]:
    """The event handler of one entry listener registration.

    ``decode`` reads an Entry event message (key, value, old value, merging value, type, member, affected count).
    The callback ``callbacks`` holds for the event's type (keys: type numbers or EntryEventType members) gets an
    :class:`EntryEvent` through ``run``, the client's callback runner, which awaits async callbacks and logs failures
    under ``event_name``. Events of a type without a callback are dropped before anything is deserialized.
    """

    def handle(message: Message) -> None:
        key, value, old_value, merging_value, event_type, member_uuid, affected = decode(message)
        function = callbacks.get(event_type)
        if function is None:
            return
        event: EntryEvent[Any, Any] = EntryEvent(
            to_object(key), to_object(value), to_object(old_value), to_object(merging_value), event_type,
            member_uuid, affected,
        )
        run(event_name, function, event)

    return handle
