"""AtomicReference: a linearizable object reference in a CP group, compared by serialized bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from hazelcast.cp._base import BaseCPProxy
from hazelcast.protocol import method
from hazelcast.proxy import ProxyContext, check_not_none

__all__ = ["AtomicReference"]

ElementType = TypeVar("ElementType")

_GET = method("AtomicRef.get")
_SET = method("AtomicRef.set")
_COMPARE_AND_SET = method("AtomicRef.compareAndSet")
_CONTAINS = method("AtomicRef.contains")
_APPLY = method("AtomicRef.apply")
# What AtomicRef.apply answers with.
_NO_VALUE = 0
_OLD_VALUE = 1
_NEW_VALUE = 2


class AtomicReference(BaseCPProxy, Generic[ElementType]):
    """A distributed reference to one value (or None), kept by the Raft consensus of its CP group.

    Values are compared by their serialized bytes, not ``__eq__``: do not change a value you will pass to
    :meth:`compare_and_set`. Returned values are private copies. Calls are executed at least once (see ``AtomicLong``).
    """

    def __init__(self, context: ProxyContext, group_id: Any, service_name: str, proxy_name: str,
                 object_name: str) -> None:
        super().__init__(context, group_id, service_name, proxy_name, object_name)
        self._decode_value = self._deserializing(_GET.decode_response)
        to_data = self._to_data
        # None travels as a null Data, as the official clients send it.
        self._nullable_data: Callable[[ElementType | None], bytes | None] = lambda value: None if value is None else to_data(value)

    async def get(self) -> ElementType | None:
        """The current value."""
        return await self._send(_GET, _GET.encode_request(self._group_id, self._object_name), self._decode_value)

    async def set(self, new_value: ElementType | None) -> None:
        """Set ``new_value`` (None clears)."""
        request = _SET.encode_request(self._group_id, self._object_name, self._nullable_data(new_value), False)
        await self._send(_SET, request)

    async def get_and_set(self, new_value: ElementType | None) -> ElementType | None:
        """Set ``new_value`` and return the value it replaced."""
        request = _SET.encode_request(self._group_id, self._object_name, self._nullable_data(new_value), True)
        return await self._send(_SET, request, self._decode_value)

    async def compare_and_set(self, expect: ElementType | None, update: ElementType | None) -> bool:
        """Set ``update`` if the value is ``expect`` (by serialized bytes); whether it did."""
        request = _COMPARE_AND_SET.encode_request(
            self._group_id, self._object_name, self._nullable_data(expect), self._nullable_data(update)
        )
        return await self._send(_COMPARE_AND_SET, request, _COMPARE_AND_SET.decode_response)

    async def contains(self, value: ElementType | None) -> bool:
        """Whether the value is ``value`` (None allowed)."""
        request = _CONTAINS.encode_request(self._group_id, self._object_name, self._nullable_data(value))
        return await self._send(_CONTAINS, request, _CONTAINS.decode_response)

    async def is_none(self) -> bool:
        """Whether the value is None."""
        return await self.contains(None)

    async def clear(self) -> None:
        """Set the value to None."""
        await self.set(None)

    async def alter(self, function: Any) -> None:
        """Replace the value with ``function`` applied to it, on the cluster.

        ``function`` is a serializable object whose counterpart on the members implements ``IFunction`` (on the
        embedded member: a server class with ``apply(value)``).
        """
        await self._send(_APPLY, self._apply_request(function, _NO_VALUE, True))

    async def alter_and_get(self, function: Any) -> ElementType | None:
        """Like :meth:`alter`, returning the new value."""
        return await self._send(_APPLY, self._apply_request(function, _NEW_VALUE, True), self._decode_value)

    async def get_and_alter(self, function: Any) -> ElementType | None:
        """Like :meth:`alter`, returning the value before the function ran."""
        return await self._send(_APPLY, self._apply_request(function, _OLD_VALUE, True), self._decode_value)

    async def apply(self, function: Any) -> Any:
        """The result of ``function`` applied to the value on the cluster; the value does not change."""
        return await self._send(_APPLY, self._apply_request(function, _NEW_VALUE, False), self._decode_value)

    def _apply_request(self, function: Any, return_value_type: int, alter: bool) -> bytearray:
        check_not_none(function, "function")
        return _APPLY.encode_request(
            self._group_id, self._object_name, self._to_data(function), return_value_type, alter
        )
