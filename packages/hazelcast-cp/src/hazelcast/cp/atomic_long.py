"""AtomicLong: a linearizable 64-bit counter in a CP group."""

from __future__ import annotations

from typing import Any

from hazelcast.cp._base import BaseCPProxy
from hazelcast.cp._checks import check_long
from hazelcast.protocol import method
from hazelcast.proxy import check_not_none

__all__ = ["AtomicLong"]

_ADD_AND_GET = method("AtomicLong.addAndGet")
_GET_AND_ADD = method("AtomicLong.getAndAdd")
_GET_AND_SET = method("AtomicLong.getAndSet")
_COMPARE_AND_SET = method("AtomicLong.compareAndSet")
_GET = method("AtomicLong.get")
_ALTER = method("AtomicLong.alter")
_APPLY = method("AtomicLong.apply")
# What AtomicLong.alter answers with.
_OLD_VALUE = 0
_NEW_VALUE = 1


class AtomicLong(BaseCPProxy):
    """A distributed counter of 64-bit integers (Java's ``long``), kept by the Raft consensus of its CP group.

    It stays consistent through member crashes and network partitions (available on at most one side of a split).
    Calls are executed at least once: a call retried after a CP member failure may be applied twice, unless the
    cluster is set to fail on indeterminate operation states.
    """

    async def add_and_get(self, delta: int) -> int:
        """Add ``delta`` and return the new value."""
        check_long(delta, "delta")
        return await self._send(
            _ADD_AND_GET, _ADD_AND_GET.encode_request(self._group_id, self._object_name, delta),
            _ADD_AND_GET.decode_response,
        )

    async def get_and_add(self, delta: int) -> int:
        """Add ``delta`` and return the value it had before."""
        check_long(delta, "delta")
        return await self._send(
            _GET_AND_ADD, _GET_AND_ADD.encode_request(self._group_id, self._object_name, delta),
            _GET_AND_ADD.decode_response,
        )

    async def compare_and_set(self, expect: int, update: int) -> bool:
        """Set ``update`` if the value is ``expect``; whether it did."""
        check_long(expect, "expect")
        check_long(update, "update")
        return await self._send(
            _COMPARE_AND_SET, _COMPARE_AND_SET.encode_request(self._group_id, self._object_name, expect, update),
            _COMPARE_AND_SET.decode_response,
        )

    async def get(self) -> int:
        """The current value."""
        return await self._send(_GET, _GET.encode_request(self._group_id, self._object_name), _GET.decode_response)

    async def get_and_set(self, new_value: int) -> int:
        """Set ``new_value`` and return the value it replaced."""
        check_long(new_value, "new_value")
        return await self._send(
            _GET_AND_SET, _GET_AND_SET.encode_request(self._group_id, self._object_name, new_value),
            _GET_AND_SET.decode_response,
        )

    async def set(self, new_value: int) -> None:
        """Set ``new_value``."""
        check_long(new_value, "new_value")
        await self._send(_GET_AND_SET, _GET_AND_SET.encode_request(self._group_id, self._object_name, new_value))

    async def increment_and_get(self) -> int:
        """Add one and return the new value."""
        # add_and_get(1) without its argument check and its coroutine: a counter's hottest call.
        request = _ADD_AND_GET.encode_request(self._group_id, self._object_name, 1)
        return await self._send(_ADD_AND_GET, request, _ADD_AND_GET.decode_response)

    async def decrement_and_get(self) -> int:
        """Subtract one and return the new value."""
        return await self.add_and_get(-1)

    async def get_and_increment(self) -> int:
        """Add one and return the value it had before."""
        return await self.get_and_add(1)

    async def get_and_decrement(self) -> int:
        """Subtract one and return the value it had before."""
        return await self.get_and_add(-1)

    async def alter(self, function: Any) -> None:
        """Replace the value with ``function`` applied to it, on the cluster.

        ``function`` is a serializable object (IdentifiedDataSerializable, Compact...) whose counterpart on the members
        implements ``IFunction`` (on the embedded member: a server class with ``apply(value)``).
        """
        await self._send(_ALTER, self._alter_request(function, _NEW_VALUE))

    async def alter_and_get(self, function: Any) -> int:
        """Like :meth:`alter`, returning the new value."""
        return await self._send(_ALTER, self._alter_request(function, _NEW_VALUE), _ALTER.decode_response)

    async def get_and_alter(self, function: Any) -> int:
        """Like :meth:`alter`, returning the value before the function ran."""
        return await self._send(_ALTER, self._alter_request(function, _OLD_VALUE), _ALTER.decode_response)

    async def apply(self, function: Any) -> Any:
        """The result of ``function`` applied to the value on the cluster; the value does not change."""
        check_not_none(function, "function")
        request = _APPLY.encode_request(self._group_id, self._object_name, self._to_data(function))
        return await self._send(_APPLY, request, self._deserializing(_APPLY.decode_response))

    def _alter_request(self, function: Any, return_value_type: int) -> bytearray:
        check_not_none(function, "function")
        return _ALTER.encode_request(self._group_id, self._object_name, self._to_data(function), return_value_type)
