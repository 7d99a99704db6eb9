"""The distributed MultiMap proxy: a map whose keys hold several values."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from hazelcast.collections._entry_events import entry_event_handler
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext, await_all, check_not_none, task_id, to_millis
from hazelcast.proxy.base import EntryEvent, EntryEventType

__all__ = ["MultiMap"]

KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")

_PUT = method("MultiMap.put")
_GET = method("MultiMap.get")
_REMOVE_ALL = method("MultiMap.remove")
_REMOVE_ENTRY = method("MultiMap.removeEntry")
_PUT_ALL = method("MultiMap.putAll")
_KEY_SET = method("MultiMap.keySet")
_VALUES = method("MultiMap.values")
_ENTRY_SET = method("MultiMap.entrySet")
_CONTAINS_KEY = method("MultiMap.containsKey")
_CONTAINS_VALUE = method("MultiMap.containsValue")
_CONTAINS_ENTRY = method("MultiMap.containsEntry")
_SIZE = method("MultiMap.size")
_CLEAR = method("MultiMap.clear")
_VALUE_COUNT = method("MultiMap.valueCount")
_LOCK = method("MultiMap.lock")
_TRY_LOCK = method("MultiMap.tryLock")
_IS_LOCKED = method("MultiMap.isLocked")
_UNLOCK = method("MultiMap.unlock")
_FORCE_UNLOCK = method("MultiMap.forceUnlock")
_ADD_LISTENER = method("MultiMap.addEntryListener")
_ADD_LISTENER_TO_KEY = method("MultiMap.addEntryListenerToKey")
_REMOVE_LISTENER = method("MultiMap.removeEntryListener")
_decode_entry_event = _ADD_LISTENER.decode_event[0]

#: Reference ids of lock requests: a member recognises a retried lock or unlock by its id and does not count it twice.
_reference_ids = itertools.count(1)

EntryEventCallable = Callable[[EntryEvent[KeyType, ValueType]], Any]


def _check_callback(func: Any, name: str) -> None:
    if func is not None and not callable(func):
        raise TypeError(f"{name} must be callable, not {type(func).__name__}")


def _lease_millis(lease_time: float | None) -> int:
    """A lock lease in ms; None means until unlocked (-1)."""
    if lease_time is None:
        return -1
    millis = to_millis(lease_time)
    if millis <= 0:
        raise ValueError(f"lease_time must be positive, got {lease_time}")
    return millis


class MultiMap(Proxy, Generic[KeyType, ValueType]):
    """A distributed map whose keys each hold a collection of values; keys and values may not be None.

    Whether a key holds each value once (``SET``, the default) or keeps duplicates in order (``LIST``) is the
    ``value-collection-type`` of the MultiMap's configuration on the members. Keys and values are compared by their
    serialized form. Locks are per key and owned by the asyncio task that takes them. Not thread-safe: use it from the
    client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        to_object = self._to_object
        decode_list = _GET.decode_response
        decode_entries = _ENTRY_SET.decode_response
        self._decode_objects = lambda message: [to_object(data) for data in decode_list(message)]
        self._decode_entries = lambda message: [(to_object(k), to_object(v)) for k, v in decode_entries(message)]

        def decode_values_or_none(message: Message) -> list[Any] | None:
            values = decode_list(message)
            return [to_object(data) for data in values] if values else None

        self._decode_values_or_none = decode_values_or_none

    def _key(self, key: Any) -> tuple[bytes, int]:
        check_not_none(key, "key")
        key_data = self._to_data(key)
        return key_data, self._partition_of(key_data)

    # -- single-key operations -----------------------------------------------------------------------------------

    async def put(self, key: KeyType, value: ValueType) -> bool:
        """Add ``value`` to the values of ``key``; False if the key already holds it and keeps values as a set."""
        key_data, partition_id = self._key(key)
        check_not_none(value, "value")
        request = _PUT.encode_request(self.name, key_data, self._to_data(value), task_id(self._loop))
        return await self._call(request, partition_id, _PUT.decode_response)

    async def get(self, key: KeyType) -> list[ValueType] | None:
        """A copy of the values of ``key``, or None when the key has none."""
        key_data, partition_id = self._key(key)
        request = _GET.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, partition_id, self._decode_values_or_none, True)

    async def remove(self, key: KeyType, value: ValueType) -> bool:
        """Remove ``value`` from the values of ``key``; True if the MultiMap changed."""
        key_data, partition_id = self._key(key)
        check_not_none(value, "value")
        request = _REMOVE_ENTRY.encode_request(self.name, key_data, self._to_data(value), task_id(self._loop))
        return await self._call(request, partition_id, _REMOVE_ENTRY.decode_response)

    async def remove_all(self, key: KeyType) -> list[ValueType]:
        """Remove ``key`` with all its values; returns the values removed (empty if there were none)."""
        key_data, partition_id = self._key(key)
        request = _REMOVE_ALL.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, partition_id, self._decode_objects)

    async def contains_key(self, key: KeyType) -> bool:
        """Whether ``key`` holds at least one value."""
        key_data, partition_id = self._key(key)
        request = _CONTAINS_KEY.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, partition_id, _CONTAINS_KEY.decode_response, True)

    async def contains_entry(self, key: KeyType, value: ValueType) -> bool:
        """Whether ``key`` holds ``value``."""
        key_data, partition_id = self._key(key)
        check_not_none(value, "value")
        request = _CONTAINS_ENTRY.encode_request(self.name, key_data, self._to_data(value), task_id(self._loop))
        return await self._call(request, partition_id, _CONTAINS_ENTRY.decode_response, True)

    async def value_count(self, key: KeyType) -> int:
        """How many values ``key`` holds."""
        key_data, partition_id = self._key(key)
        request = _VALUE_COUNT.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, partition_id, _VALUE_COUNT.decode_response, True)

    # -- whole-MultiMap operations -------------------------------------------------------------------------------

    async def put_all(self, multimap: dict[KeyType, Sequence[ValueType]]) -> None:
        """Add every key's values of ``multimap``: one request per partition, sent concurrently.

        Not atomic: if a request fails, the values of other partitions may have been written.
        """
        check_not_none(multimap, "multimap")
        if not isinstance(multimap, dict):
            raise TypeError(f"multimap must be a dict, not {type(multimap).__name__}")
        by_partition: dict[int, list[tuple[bytes, list[bytes]]]] = {}
        to_data = self._to_data
        for key, values in multimap.items():
            key_data, partition_id = self._key(key)
            check_not_none(values, "values")
            if isinstance(values, (str, bytes, bytearray, Mapping)) or not isinstance(values, Iterable):
                raise TypeError(f"the values of a key must be a list or another iterable, not {type(values).__name__}")
            value_list = []
            for value in values:
                check_not_none(value, "value")
                value_list.append(to_data(value))
            by_partition.setdefault(partition_id, []).append((key_data, value_list))
        if by_partition:
            await await_all([
                self._call(_PUT_ALL.encode_request(self.name, entries), partition_id)
                for partition_id, entries in by_partition.items()
            ])

    async def contains_value(self, value: ValueType) -> bool:
        """Whether any key holds ``value``."""
        check_not_none(value, "value")
        request = _CONTAINS_VALUE.encode_request(self.name, self._to_data(value))
        return await self._invoke(request, _CONTAINS_VALUE.decode_response, True)

    async def size(self) -> int:
        """The number of values of all keys together."""
        return await self._invoke(_SIZE.encode_request(self.name), _SIZE.decode_response, True)

    async def clear(self) -> None:
        """Remove every key with its values (keys another task has locked stay)."""
        await self._invoke(_CLEAR.encode_request(self.name))

    async def key_set(self) -> list[KeyType]:
        """The keys."""
        return await self._invoke(_KEY_SET.encode_request(self.name), self._decode_objects, True)

    async def values(self) -> list[ValueType]:
        """The values of every key."""
        return await self._invoke(_VALUES.encode_request(self.name), self._decode_objects, True)

    async def entry_set(self) -> list[tuple[KeyType, ValueType]]:
        """A (key, value) pair per value."""
        return await self._invoke(_ENTRY_SET.encode_request(self.name), self._decode_entries, True)

    # -- locks -----------------------------------------------------------------------------------------------------

    async def lock(self, key: KeyType, lease_time: float | None = None) -> None:
        """Lock ``key`` for the current task, waiting as long as another task holds it.

        Reentrant: a key locked N times is free after N :meth:`unlock`. ``lease_time`` (seconds) releases the lock
        by itself after that long. While locked, other tasks' writes of the key wait.
        """
        key_data, partition_id = self._key(key)
        request = _LOCK.encode_request(
            self.name, key_data, task_id(self._loop), _lease_millis(lease_time), next(_reference_ids)
        )
        await self._call(request, partition_id, None, True)

    async def try_lock(self, key: KeyType, lease_time: float | None = None, timeout: float = 0) -> bool:
        """Lock ``key`` if it is free now or within ``timeout`` seconds; True if the current task holds it."""
        key_data, partition_id = self._key(key)
        lease = _lease_millis(lease_time)
        check_not_none(timeout, "timeout")
        timeout_ms = to_millis(timeout)
        if timeout_ms < 0:
            raise ValueError(f"timeout must not be negative, got {timeout}")
        request = _TRY_LOCK.encode_request(
            self.name, key_data, task_id(self._loop), lease, timeout_ms, next(_reference_ids)
        )
        return await self._call(request, partition_id, _TRY_LOCK.decode_response, True)

    async def unlock(self, key: KeyType) -> None:
        """Release one hold of the current task on ``key``'s lock.

        Raises :class:`~hazelcast.errors.IllegalMonitorStateError` if the current task does not hold it.
        """
        key_data, partition_id = self._key(key)
        request = _UNLOCK.encode_request(self.name, key_data, task_id(self._loop), next(_reference_ids))
        await self._call(request, partition_id, None, True)

    async def is_locked(self, key: KeyType) -> bool:
        """Whether any task holds ``key``'s lock."""
        key_data, partition_id = self._key(key)
        request = _IS_LOCKED.encode_request(self.name, key_data)
        return await self._call(request, partition_id, _IS_LOCKED.decode_response, True)

    async def force_unlock(self, key: KeyType) -> None:
        """Release ``key``'s lock whoever holds it, however many times."""
        key_data, partition_id = self._key(key)
        request = _FORCE_UNLOCK.encode_request(self.name, key_data, next(_reference_ids))
        await self._call(request, partition_id, None, True)

    @contextlib.asynccontextmanager
    async def lock_context(self, key: KeyType) -> AsyncIterator[MultiMap[KeyType, ValueType]]:
        """``async with multimap.lock_context(key):`` holds ``key``'s lock for the block."""
        await self.lock(key)
        try:
            yield self
        finally:
            await self.unlock(key)

    # -- listeners -------------------------------------------------------------------------------------------------

    async def add_entry_listener(
        self,
        include_value: bool = False,
        key: KeyType | None = None,
        added_func: EntryEventCallable[KeyType, ValueType] | None = None,
        removed_func: EntryEventCallable[KeyType, ValueType] | None = None,
        clear_all_func: EntryEventCallable[KeyType, ValueType] | None = None,
    ) -> str:
        """Call the given functions on each value added or removed (of ``key`` only, when given) and on clear.

        Events carry values only with ``include_value``. Returns the registration id for
        :meth:`remove_entry_listener`.
        """
        if not isinstance(include_value, bool):
            raise TypeError(f"include_value must be a bool, not {type(include_value).__name__}")
        _check_callback(added_func, "added_func")
        _check_callback(removed_func, "removed_func")
        _check_callback(clear_all_func, "clear_all_func")
        name = self.name
        if key is None:
            def add_request(local_only: bool) -> bytearray:
                return _ADD_LISTENER.encode_request(name, include_value, local_only)

            decode_response = _ADD_LISTENER.decode_response
        else:
            key_data = self._to_data(key)

            def add_request(local_only: bool) -> bytearray:
                return _ADD_LISTENER_TO_KEY.encode_request(name, key_data, include_value, local_only)

            decode_response = _ADD_LISTENER_TO_KEY.decode_response
        callbacks = {
            EntryEventType.ADDED: added_func,
            EntryEventType.REMOVED: removed_func,
            EntryEventType.CLEAR_ALL: clear_all_func,
        }
        handle = entry_event_handler(
            _decode_entry_event, callbacks, self._to_object, self._context.callbacks.run, "multi_map.entry"
        )

        return await self._context.listener_service.register(
            add_request,
            decode_response,
            lambda registration_id: _REMOVE_LISTENER.encode_request(name, registration_id),
            handle,
        )

    async def remove_entry_listener(self, registration_id: str) -> bool:
        """Remove an entry listener; False if there was none with that id."""
        check_not_none(registration_id, "registration_id")
        return await self._context.listener_service.deregister(registration_id)
