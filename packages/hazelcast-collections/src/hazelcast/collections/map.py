"""The distributed Map proxy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from hazelcast.collections._map_events import MapEventsMixin
from hazelcast.collections._map_expiry import MapExpiryMixin
from hazelcast.collections._map_locks import MapLocksMixin
from hazelcast.collections._map_query import MapQueryMixin
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext, await_all, check_not_none, task_id, to_millis

__all__ = ["Map"]

KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")

_PUT = method("Map.put")
_PUT_WITH_MAX_IDLE = method("Map.putWithMaxIdle")
_SET = method("Map.set")
_SET_WITH_MAX_IDLE = method("Map.setWithMaxIdle")
_PUT_IF_ABSENT = method("Map.putIfAbsent")
_PUT_IF_ABSENT_WITH_MAX_IDLE = method("Map.putIfAbsentWithMaxIdle")
_GET = method("Map.get")
_REMOVE = method("Map.remove")
_DELETE = method("Map.delete")
_REMOVE_IF_SAME = method("Map.removeIfSame")
_REPLACE = method("Map.replace")
_REPLACE_IF_SAME = method("Map.replaceIfSame")
_CONTAINS_KEY = method("Map.containsKey")
_CONTAINS_VALUE = method("Map.containsValue")
_PUT_ALL = method("Map.putAll")
_GET_ALL = method("Map.getAll")
_SIZE = method("Map.size")
_IS_EMPTY = method("Map.isEmpty")
_CLEAR = method("Map.clear")
_VALUES = method("Map.values")
_ENTRY_SET = method("Map.entrySet")

# The catalogue compiles its decoders at import time (typed Any); the response types they produce are declared here.
_REMOVE_IF_SAME_RESPONSE: Callable[[Message], bool] = _REMOVE_IF_SAME.decode_response
_REPLACE_IF_SAME_RESPONSE: Callable[[Message], bool] = _REPLACE_IF_SAME.decode_response
_CONTAINS_KEY_RESPONSE: Callable[[Message], bool] = _CONTAINS_KEY.decode_response
_CONTAINS_VALUE_RESPONSE: Callable[[Message], bool] = _CONTAINS_VALUE.decode_response
_SIZE_RESPONSE: Callable[[Message], int] = _SIZE.decode_response
_IS_EMPTY_RESPONSE: Callable[[Message], bool] = _IS_EMPTY.decode_response


class Map(
    MapQueryMixin[KeyType, ValueType],
    MapEventsMixin[KeyType, ValueType],
    MapLocksMixin[KeyType, ValueType],
    MapExpiryMixin[KeyType, ValueType],
    Proxy,
    Generic[KeyType, ValueType],
):
    """A concurrent, distributed map; keys and values may not be None.

    Keys are compared by their serialized form, not by ``__eq__``/``__hash__``. Returned values are copies: change
    one and ``put`` it back to make the change visible. Not thread-safe: use it from the client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        # Every value-returning response has the layout of Map.get's: one nullable Data.
        self._decode_value: Callable[[Message], ValueType | None] = self._deserializing(_GET.decode_response)
        to_object = self._to_object
        decode_data_list = _VALUES.decode_response
        decode_entries = _ENTRY_SET.decode_response
        self._decode_objects = lambda message: [to_object(data) for data in decode_data_list(message)]
        self._decode_entries = lambda message: [(to_object(k), to_object(v)) for k, v in decode_entries(message)]

    # -- single-key operations (routed to the key's partition owner) ------------------------------------------------

    async def put(
        self, key: KeyType, value: ValueType, ttl: float | None = None, max_idle: float | None = None
    ) -> ValueType | None:
        """Map ``key`` to ``value``; returns the previous value or None.

        ``ttl`` / ``max_idle`` are seconds (0 = forever; None = the map's configuration on the member).
        """
        check_not_none(key, "key")
        check_not_none(value, "value")
        key_data = self._to_data(key)
        value_data = self._to_value_data(value)
        if max_idle is None:
            request = _PUT.encode_request(self.name, key_data, value_data, task_id(self._loop), to_millis(ttl))
        else:
            request = _PUT_WITH_MAX_IDLE.encode_request(
                self.name, key_data, value_data, task_id(self._loop), to_millis(ttl), to_millis(max_idle)
            )
        return await self._call(request, self._partition_of(key_data), self._decode_value)

    async def set(self, key: KeyType, value: ValueType, ttl: float | None = None, max_idle: float | None = None) -> None:
        """Map ``key`` to ``value`` without returning the previous value (cheaper than :meth:`put`)."""
        if key is None or value is None:
            check_not_none(key, "key")
            check_not_none(value, "value")
        key_data = self._to_data(key)
        value_data = self._to_value_data(value)
        if max_idle is None:
            millis = -1 if ttl is None else to_millis(ttl)
            request = _SET.encode_request(self.name, key_data, value_data, task_id(self._loop), millis)
        else:
            request = _SET_WITH_MAX_IDLE.encode_request(
                self.name, key_data, value_data, task_id(self._loop), to_millis(ttl), to_millis(max_idle)
            )
        await self._call(request, self._partition_of(key_data))

    async def put_if_absent(
        self, key: KeyType, value: ValueType, ttl: float | None = None, max_idle: float | None = None
    ) -> ValueType | None:
        """Map ``key`` to ``value`` only if it has no value; returns the existing value, or None if it was put."""
        check_not_none(key, "key")
        check_not_none(value, "value")
        key_data = self._to_data(key)
        value_data = self._to_data(value)
        if max_idle is None:
            request = _PUT_IF_ABSENT.encode_request(self.name, key_data, value_data, task_id(self._loop), to_millis(ttl))
        else:
            request = _PUT_IF_ABSENT_WITH_MAX_IDLE.encode_request(
                self.name, key_data, value_data, task_id(self._loop), to_millis(ttl), to_millis(max_idle)
            )
        return await self._call(request, self._partition_of(key_data), self._decode_value)

    async def get(self, key: KeyType) -> ValueType | None:
        """The value of ``key``, or None."""
        if key is None:
            check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _GET.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), self._decode_value, True)

    async def remove(self, key: KeyType) -> ValueType | None:
        """Remove the mapping of ``key``; returns the removed value or None."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _REMOVE.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), self._decode_value)

    async def delete(self, key: KeyType) -> None:
        """Remove the mapping of ``key`` without returning the value (cheaper than :meth:`remove`)."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        await self._call(_DELETE.encode_request(self.name, key_data, task_id(self._loop)), self._partition_of(key_data))

    async def remove_if_same(self, key: KeyType, value: ValueType) -> bool:
        """Remove ``key`` only if it maps to ``value``; True if it was removed."""
        check_not_none(key, "key")
        check_not_none(value, "value")
        key_data = self._to_data(key)
        request = _REMOVE_IF_SAME.encode_request(self.name, key_data, self._to_data(value), task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), _REMOVE_IF_SAME_RESPONSE)

    async def replace(self, key: KeyType, value: ValueType) -> ValueType | None:
        """Set ``key`` to ``value`` only if it has a value; returns the previous value or None."""
        check_not_none(key, "key")
        check_not_none(value, "value")
        key_data = self._to_data(key)
        request = _REPLACE.encode_request(self.name, key_data, self._to_data(value), task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), self._decode_value)

    async def replace_if_same(self, key: KeyType, old_value: ValueType, new_value: ValueType) -> bool:
        """Set ``key`` to ``new_value`` only if it maps to ``old_value``; True if it was replaced."""
        check_not_none(key, "key")
        check_not_none(old_value, "old_value")
        check_not_none(new_value, "new_value")
        key_data = self._to_data(key)
        request = _REPLACE_IF_SAME.encode_request(
            self.name, key_data, self._to_data(old_value), self._to_data(new_value), task_id(self._loop)
        )
        return await self._call(request, self._partition_of(key_data), _REPLACE_IF_SAME_RESPONSE)

    async def contains_key(self, key: KeyType) -> bool:
        """Whether ``key`` has a value."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _CONTAINS_KEY.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), _CONTAINS_KEY_RESPONSE, True)

    # -- whole-map operations ----------------------------------------------------------------------------------------

    async def contains_value(self, value: ValueType) -> bool:
        """Whether any key maps to ``value``."""
        check_not_none(value, "value")
        request = _CONTAINS_VALUE.encode_request(self.name, self._to_data(value))
        return await self._invoke(request, _CONTAINS_VALUE_RESPONSE, True)

    async def put_all(self, map: dict[KeyType, ValueType]) -> None:
        """Copy every mapping of ``map`` into this map: one request per partition, sent concurrently.

        Not atomic: if a request fails, the mappings of other partitions may have been written.
        """
        check_not_none(map, "map")
        if not isinstance(map, dict):
            raise TypeError(f"map must be a dict, not {type(map).__name__}")
        by_partition: dict[int, list[tuple[bytes, bytes]]] = {}
        to_data, partition_of = self._to_data, self._partition_of
        for key, value in map.items():
            if key is None or value is None:
                check_not_none(key, "key")
                check_not_none(value, "value")
            key_data = to_data(key)
            partition_id = partition_of(key_data)
            entries = by_partition.get(partition_id)
            if entries is None:
                entries = by_partition[partition_id] = []
            entries.append((key_data, to_data(value)))
        if by_partition:
            await await_all([
                self._call(_PUT_ALL.encode_request(self.name, entries, True), partition_id)
                for partition_id, entries in by_partition.items()
            ])

    async def get_all(self, keys: Sequence[KeyType]) -> dict[KeyType, ValueType]:
        """The values of ``keys`` that have one, as a dict: one request per partition, sent concurrently."""
        check_not_none(keys, "keys")
        by_partition: dict[int, list[bytes]] = {}
        to_data, partition_of = self._to_data, self._partition_of
        for key in keys:
            if key is None:
                check_not_none(key, "key")
            key_data = to_data(key)
            partition_id = partition_of(key_data)
            key_list = by_partition.get(partition_id)
            if key_list is None:
                key_list = by_partition[partition_id] = []
            key_list.append(key_data)
        if not by_partition:
            return {}
        responses = await await_all([
            self._call(_GET_ALL.encode_request(self.name, key_list), partition_id, self._decode_entries)
            for partition_id, key_list in by_partition.items()
        ])
        found: dict[KeyType, ValueType] = {}
        for entries in responses:
            found.update(entries)
        return found

    async def size(self) -> int:
        """Number of entries."""
        return await self._invoke(_SIZE.encode_request(self.name), _SIZE_RESPONSE, True)

    async def is_empty(self) -> bool:
        """Whether the map has no entries."""
        return await self._invoke(_IS_EMPTY.encode_request(self.name), _IS_EMPTY_RESPONSE, True)

    async def clear(self) -> None:
        """Remove every entry."""
        await self._invoke(_CLEAR.encode_request(self.name))
