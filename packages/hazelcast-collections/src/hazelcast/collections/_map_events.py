"""Entry listeners of :class:`~hazelcast.collections.Map` (a mixin the proxy inherits)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from hazelcast.collections._entry_events import entry_event_handler
from hazelcast.protocol import method
from hazelcast.proxy import Proxy
from hazelcast.proxy.base import EntryEvent, EntryEventType

if TYPE_CHECKING:
    from hazelcast.predicate import Predicate

__all__ = ["MapEventsMixin"]

_ADD = method("Map.addEntryListener")
_ADD_TO_KEY = method("Map.addEntryListenerToKey")
_ADD_WITH_PREDICATE = method("Map.addEntryListenerWithPredicate")
_ADD_TO_KEY_WITH_PREDICATE = method("Map.addEntryListenerToKeyWithPredicate")
_REMOVE = method("Map.removeEntryListener")



KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")

#: A user function called with each entry event (it may be a coroutine function).
EntryEventCallable = Callable[[EntryEvent[KeyType, ValueType]], Any]


class MapEventsMixin(Proxy, Generic[KeyType, ValueType]):
    """``add_entry_listener`` / ``remove_entry_listener``."""

    async def add_entry_listener(
        self,
        include_value: bool = False,
        key: KeyType | None = None,
        predicate: Predicate | None = None,
        added_func: EntryEventCallable[KeyType, ValueType] | None = None,
        removed_func: EntryEventCallable[KeyType, ValueType] | None = None,
        updated_func: EntryEventCallable[KeyType, ValueType] | None = None,
        evicted_func: EntryEventCallable[KeyType, ValueType] | None = None,
        evict_all_func: EntryEventCallable[KeyType, ValueType] | None = None,
        clear_all_func: EntryEventCallable[KeyType, ValueType] | None = None,
        merged_func: EntryEventCallable[KeyType, ValueType] | None = None,
        expired_func: EntryEventCallable[KeyType, ValueType] | None = None,
        loaded_func: EntryEventCallable[KeyType, ValueType] | None = None,
    ) -> str:
        """Call the given functions on the changes of this map; returns the registration id.

        Only the events whose function is given are sent by the members. ``key`` limits the events to one key,
        ``predicate`` to the entries it selects (the members evaluate it). Without ``include_value`` the events carry
        no values. A function may be a coroutine function; a function that raises is logged and keeps receiving
        events. The listener follows the client through member losses and reconnections.
        """
        by_type: dict[int, EntryEventCallable[KeyType, ValueType]] = {}
        for event_type, function in (
            (EntryEventType.ADDED, added_func),
            (EntryEventType.REMOVED, removed_func),
            (EntryEventType.UPDATED, updated_func),
            (EntryEventType.EVICTED, evicted_func),
            (EntryEventType.EVICT_ALL, evict_all_func),
            (EntryEventType.CLEAR_ALL, clear_all_func),
            (EntryEventType.MERGED, merged_func),
            (EntryEventType.EXPIRED, expired_func),
            (EntryEventType.LOADED, loaded_func),
        ):
            if function is not None:
                if not callable(function):
                    raise TypeError(f"the listener function for {event_type.name} must be callable")
                by_type[int(event_type)] = function
        if not by_type:
            raise ValueError("add_entry_listener needs at least one listener function")
        if not isinstance(include_value, bool):
            raise TypeError("include_value must be a bool")
        flags = sum(by_type)
        name = self.name
        key_data = None if key is None else self._to_data(key)
        predicate_data = None if predicate is None else self._to_data(predicate)
        if key_data is not None and predicate_data is not None:
            codec = _ADD_TO_KEY_WITH_PREDICATE

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, key_data, predicate_data, include_value, flags, local_only)
        elif key_data is not None:
            codec = _ADD_TO_KEY

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, key_data, include_value, flags, local_only)
        elif predicate_data is not None:
            codec = _ADD_WITH_PREDICATE

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, predicate_data, include_value, flags, local_only)
        else:
            codec = _ADD

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, include_value, flags, local_only)

        handle = entry_event_handler(
            codec.decode_event[0], by_type, self._to_object, self._context.callbacks.run, "entry_listener"
        )

        return await self._context.listener_service.register(
            add_request,
            codec.decode_response,
            lambda registration_id: _REMOVE.encode_request(name, registration_id),
            handle,
        )

    async def remove_entry_listener(self, registration_id: str) -> bool:
        """Remove an entry listener; False if there is none with this id."""
        if not isinstance(registration_id, str):
            raise TypeError("registration_id must be the str add_entry_listener returned")
        return await self._context.listener_service.deregister(registration_id)
