"""The distributed ReplicatedMap proxy: a map every member holds in full."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from hazelcast.collections._entry_events import entry_event_handler
from hazelcast.protocol import method
from hazelcast.proxy import Proxy, ProxyContext, check_not_none, to_millis
from hazelcast.proxy.base import EntryEvent, EntryEventType

__all__ = ["ReplicatedMap"]

KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")

_PUT = method("ReplicatedMap.put")
_PUT_ALL = method("ReplicatedMap.putAll")
_GET = method("ReplicatedMap.get")
_REMOVE = method("ReplicatedMap.remove")
_CLEAR = method("ReplicatedMap.clear")
_SIZE = method("ReplicatedMap.size")
_IS_EMPTY = method("ReplicatedMap.isEmpty")
_CONTAINS_KEY = method("ReplicatedMap.containsKey")
_CONTAINS_VALUE = method("ReplicatedMap.containsValue")
_KEY_SET = method("ReplicatedMap.keySet")
_VALUES = method("ReplicatedMap.values")
_ENTRY_SET = method("ReplicatedMap.entrySet")
_ADD_LISTENER = method("ReplicatedMap.addEntryListener")
_ADD_LISTENER_TO_KEY = method("ReplicatedMap.addEntryListenerToKey")
_ADD_LISTENER_WITH_PREDICATE = method("ReplicatedMap.addEntryListenerWithPredicate")
_ADD_LISTENER_TO_KEY_WITH_PREDICATE = method("ReplicatedMap.addEntryListenerToKeyWithPredicate")
_REMOVE_LISTENER = method("ReplicatedMap.removeEntryListener")
_decode_entry_event = _ADD_LISTENER.decode_event[0]

EntryEventCallable = Callable[[EntryEvent[KeyType, ValueType]], Any]


def _check_callback(func: Any, name: str) -> None:
    if func is not None and not callable(func):
        raise TypeError(f"{name} must be callable, not {type(func).__name__}")


class ReplicatedMap(Proxy, Generic[KeyType, ValueType]):
    """A map whose entries every member holds; keys and values may not be None.

    Writes go to the key's partition owner, which replicates them to all members; whole-map reads are served by one
    member, chosen at random per proxy (any member holds everything). Keys and values are compared by their serialized
    form. Not thread-safe: use it from the client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._decode_value = self._deserializing(_GET.decode_response)
        to_object = self._to_object
        decode_list = _VALUES.decode_response
        decode_entries = _ENTRY_SET.decode_response
        self._decode_objects = lambda message: [to_object(data) for data in decode_list(message)]
        self._decode_entries = lambda message: [(to_object(k), to_object(v)) for k, v in decode_entries(message)]
        self._read_partition: int | None = None

    def _reads_partition(self) -> int:
        """The partition whose owner serves this proxy's whole-map reads (random, fixed once the count is known)."""
        partition_id = self._read_partition
        if partition_id is None:
            count = self._context.partition_service.get_partition_count()
            if count <= 0:
                return -1
            partition_id = self._read_partition = random.randrange(count)
        return partition_id

    def _key(self, key: Any) -> tuple[bytes, int]:
        check_not_none(key, "key")
        key_data = self._to_data(key)
        return key_data, self._partition_of(key_data)

    # -- writes ----------------------------------------------------------------------------------------------------

    async def put(self, key: KeyType, value: ValueType, ttl: float = 0) -> ValueType | None:
        """Map ``key`` to ``value``; returns the previous value or None.

        ``ttl`` (seconds, 0 = forever) evicts the entry from every member that long after the put.
        """
        key_data, partition_id = self._key(key)
        check_not_none(value, "value")
        check_not_none(ttl, "ttl")
        ttl_ms = to_millis(ttl)
        if ttl_ms < 0:
            raise ValueError(f"ttl must not be negative, got {ttl}")
        request = _PUT.encode_request(self.name, key_data, self._to_data(value), ttl_ms)
        return await self._call(request, partition_id, self._decode_value)

    async def put_all(self, source: dict[KeyType, ValueType]) -> None:
        """Copy every mapping of ``source`` into this map (not atomic: a failure may leave some written)."""
        check_not_none(source, "source")
        if not isinstance(source, dict):
            raise TypeError(f"source must be a dict, not {type(source).__name__}")
        entries = []
        for key, value in source.items():
            check_not_none(key, "key")
            check_not_none(value, "value")
            entries.append((self._to_data(key), self._to_data(value)))
        if entries:
            await self._invoke(_PUT_ALL.encode_request(self.name, entries))

    async def remove(self, key: KeyType) -> ValueType | None:
        """Remove the mapping of ``key``; returns the removed value or None."""
        key_data, partition_id = self._key(key)
        return await self._call(_REMOVE.encode_request(self.name, key_data), partition_id, self._decode_value)

    async def clear(self) -> None:
        """Remove every entry, from every member."""
        await self._invoke(_CLEAR.encode_request(self.name))

    # -- reads -----------------------------------------------------------------------------------------------------

    async def get(self, key: KeyType) -> ValueType | None:
        """The value of ``key``, or None."""
        key_data, partition_id = self._key(key)
        return await self._call(_GET.encode_request(self.name, key_data), partition_id, self._decode_value, True)

    async def contains_key(self, key: KeyType) -> bool:
        """Whether ``key`` has a value."""
        key_data, partition_id = self._key(key)
        request = _CONTAINS_KEY.encode_request(self.name, key_data)
        return await self._call(request, partition_id, _CONTAINS_KEY.decode_response, True)

    async def contains_value(self, value: ValueType) -> bool:
        """Whether any key maps to ``value``."""
        check_not_none(value, "value")
        request = _CONTAINS_VALUE.encode_request(self.name, self._to_data(value))
        return await self._call(request, self._reads_partition(), _CONTAINS_VALUE.decode_response, True)

    async def size(self) -> int:
        """Number of entries."""
        return await self._call(_SIZE.encode_request(self.name), self._reads_partition(), _SIZE.decode_response, True)

    async def is_empty(self) -> bool:
        """Whether the map has no entries."""
        request = _IS_EMPTY.encode_request(self.name)
        return await self._call(request, self._reads_partition(), _IS_EMPTY.decode_response, True)

    async def key_set(self) -> list[KeyType]:
        """The keys."""
        request = _KEY_SET.encode_request(self.name)
        return await self._call(request, self._reads_partition(), self._decode_objects, True)

    async def values(self) -> list[ValueType]:
        """The values."""
        request = _VALUES.encode_request(self.name)
        return await self._call(request, self._reads_partition(), self._decode_objects, True)

    async def entry_set(self) -> list[tuple[KeyType, ValueType]]:
        """The (key, value) pairs."""
        request = _ENTRY_SET.encode_request(self.name)
        return await self._call(request, self._reads_partition(), self._decode_entries, True)

    # -- listeners -------------------------------------------------------------------------------------------------

    async def add_entry_listener(
        self,
        key: KeyType | None = None,
        predicate: Any = None,
        added_func: EntryEventCallable[KeyType, ValueType] | None = None,
        removed_func: EntryEventCallable[KeyType, ValueType] | None = None,
        updated_func: EntryEventCallable[KeyType, ValueType] | None = None,
        evicted_func: EntryEventCallable[KeyType, ValueType] | None = None,
        clear_all_func: EntryEventCallable[KeyType, ValueType] | None = None,
    ) -> str:
        """Call the given functions on entry changes, of ``key`` only and/or of the entries ``predicate`` selects.

        Events always carry the new value (``value``) and the previous one (``old_value``) where they exist. Returns
        the registration id for :meth:`remove_entry_listener`.
        """
        for func, label in (
            (added_func, "added_func"), (removed_func, "removed_func"), (updated_func, "updated_func"),
            (evicted_func, "evicted_func"), (clear_all_func, "clear_all_func"),
        ):
            _check_callback(func, label)
        name = self.name
        key_data = None if key is None else self._to_data(key)
        predicate_data = None if predicate is None else self._to_data(predicate)
        add_request: Callable[[bool], bytearray]
        if key_data is not None and predicate_data is not None:
            codec = _ADD_LISTENER_TO_KEY_WITH_PREDICATE

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, key_data, predicate_data, local_only)
        elif key_data is not None:
            codec = _ADD_LISTENER_TO_KEY

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, key_data, local_only)
        elif predicate_data is not None:
            codec = _ADD_LISTENER_WITH_PREDICATE

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, predicate_data, local_only)
        else:
            codec = _ADD_LISTENER

            def add_request(local_only: bool) -> bytearray:
                return codec.encode_request(name, local_only)

        callbacks = {
            EntryEventType.ADDED: added_func,
            EntryEventType.REMOVED: removed_func,
            EntryEventType.UPDATED: updated_func,
            EntryEventType.EVICTED: evicted_func,
            EntryEventType.CLEAR_ALL: clear_all_func,
        }
        handle = entry_event_handler(
            _decode_entry_event, callbacks, self._to_object, self._context.callbacks.run, "replicated_map.entry"
        )

        return await self._context.listener_service.register(
            add_request,
            codec.decode_response,
            lambda registration_id: _REMOVE_LISTENER.encode_request(name, registration_id),
            handle,
        )

    async def remove_entry_listener(self, registration_id: str) -> bool:
        """Remove an entry listener; False if there was none with that id."""
        check_not_none(registration_id, "registration_id")
        return await self._context.listener_service.deregister(registration_id)
