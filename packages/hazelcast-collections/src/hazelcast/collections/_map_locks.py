"""Key locks and lock-aware writes of :class:`~hazelcast.collections.Map` (a mixin the proxy inherits).

A lock belongs to the asyncio task that took it (the protocol's thread id is :func:`~hazelcast.proxy.task_id`), is
reentrant, and blocks the writes of other tasks and clients on that key until it is released, its lease ends or its
client leaves the cluster. A task cancelled while it waits for a lock leaves nothing behind: the client withdraws the
waiting request (or releases the lock if the member granted it meanwhile).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.protocol import method
from hazelcast.proxy import check_not_none, task_id, to_millis

if TYPE_CHECKING:
    from hazelcast.proxy import ProxyContext

__all__ = ["MapLocksMixin"]

_logger = structlog.get_logger("hazelcast.map")

_LOCK = method("Map.lock")
_TRY_LOCK = method("Map.tryLock")
_UNLOCK = method("Map.unlock")
_FORCE_UNLOCK = method("Map.forceUnlock")
_IS_LOCKED = method("Map.isLocked")
_TRY_PUT = method("Map.tryPut")
_TRY_REMOVE = method("Map.tryRemove")
#: Invocation timeout of a lock request, which waits as long as the lock is held elsewhere (seconds).
_WAIT_FOREVER = 10.0**9
_REFERENCE_IDS = itertools.count(1)


class MapLocksMixin:
    """``lock``, ``try_lock``, ``unlock``, ``is_locked``, ``force_unlock``, ``lock_context``, ``try_put``,
    ``try_remove``."""

    if TYPE_CHECKING:
        name: str
        _context: ProxyContext
        _loop: asyncio.AbstractEventLoop
        _to_data: Callable[[Any], bytes]
        _call: Callable[..., Any]
        _partition_of: Callable[[bytes], int]


    @staticmethod
    def _reference_id() -> int:
        # Members use reference ids to recognise a retried lock operation; one process-wide counter keeps them unique.
        return next(_REFERENCE_IDS)

    async def lock(self, key: Any, lease_time: float | None = None) -> None:
        """Lock ``key`` for the current task, waiting as long as another task or client holds it.

        The lock is reentrant (as many :meth:`unlock` as locks) and exists whether or not the key has a value.
        ``lease_time`` (seconds) releases it by itself after that time; None keeps it until unlocked.
        """
        check_not_none(key, "key")
        key_data = self._to_data(key)
        thread_id = task_id(self._loop)
        request = _LOCK.encode_request(self.name, key_data, thread_id, to_millis(lease_time), self._reference_id())
        await self._wait_for_lock(key_data, thread_id, self._call(request, self._partition_of(key_data), None, True,
                                                                 _WAIT_FOREVER))

    async def try_lock(self, key: Any, lease_time: float | None = None, timeout: float = 0) -> bool:
        """Lock ``key`` if it is free within ``timeout`` seconds (0: only if free now; negative: wait as long as it
        takes); True if locked. ``lease_time`` as for :meth:`lock`."""
        check_not_none(key, "key")
        check_not_none(timeout, "timeout")
        key_data = self._to_data(key)
        thread_id = task_id(self._loop)
        timeout_ms = to_millis(timeout)
        request = _TRY_LOCK.encode_request(
            self.name, key_data, thread_id, to_millis(lease_time), timeout_ms, self._reference_id()
        )
        invocation_timeout = _WAIT_FOREVER if timeout_ms < 0 else timeout + self._context.config.invocation_timeout
        invocation = self._call(request, self._partition_of(key_data), _TRY_LOCK.decode_response, True,
                                invocation_timeout)
        return await self._wait_for_lock(key_data, thread_id, invocation)  # type: ignore[no-any-return]

    async def _wait_for_lock(self, key_data: bytes, thread_id: int, invocation: Any) -> Any:
        try:
            return await invocation
        except asyncio.CancelledError:
            # The member may still hold the request, or may have granted it: an unlock from the same owner withdraws
            # the waiting request or releases the granted lock.
            request = _UNLOCK.encode_request(self.name, key_data, thread_id, self._reference_id())
            self._call(request, self._partition_of(key_data), None, True).add_done_callback(_log_withdrawal)
            raise

    async def unlock(self, key: Any) -> None:
        """Release one lock of ``key`` held by the current task (IllegalMonitorStateError if it holds none)."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _UNLOCK.encode_request(self.name, key_data, task_id(self._loop), self._reference_id())
        await self._call(request, self._partition_of(key_data), None, True)

    async def force_unlock(self, key: Any) -> None:
        """Release the lock of ``key`` whoever holds it, however many times."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _FORCE_UNLOCK.encode_request(self.name, key_data, self._reference_id())
        await self._call(request, self._partition_of(key_data), None, True)

    async def is_locked(self, key: Any) -> bool:
        """Whether ``key`` is locked, by anyone."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _IS_LOCKED.encode_request(self.name, key_data)
        return await self._call(request, self._partition_of(key_data), _IS_LOCKED.decode_response, True)  # type: ignore[no-any-return]

    def lock_context(self, key: Any) -> AbstractAsyncContextManager[None]:
        """``async with m.lock_context(key):`` locks ``key`` for the block and unlocks it at its end."""
        check_not_none(key, "key")
        return _LockContext(self, key)

    async def try_put(self, key: Any, value: Any, timeout: float = 0) -> bool:
        """Put unless another task keeps ``key`` locked for more than ``timeout`` seconds; True if put."""
        check_not_none(key, "key")
        check_not_none(value, "value")
        check_not_none(timeout, "timeout")
        key_data = self._to_data(key)
        timeout_ms = to_millis(timeout)
        request = _TRY_PUT.encode_request(self.name, key_data, self._to_data(value), task_id(self._loop), timeout_ms)
        return await self._call(  # type: ignore[no-any-return]
            request, self._partition_of(key_data), _TRY_PUT.decode_response, False,
            max(timeout, 0) + self._context.config.invocation_timeout,
        )

    async def try_remove(self, key: Any, timeout: float = 0) -> bool:
        """Remove ``key`` unless another task keeps it locked for more than ``timeout`` seconds; True if removed."""
        check_not_none(key, "key")
        check_not_none(timeout, "timeout")
        key_data = self._to_data(key)
        request = _TRY_REMOVE.encode_request(self.name, key_data, task_id(self._loop), to_millis(timeout))
        return await self._call(  # type: ignore[no-any-return]
            request, self._partition_of(key_data), _TRY_REMOVE.decode_response, False,
            max(timeout, 0) + self._context.config.invocation_timeout,
        )


class _LockContext(AbstractAsyncContextManager[None]):
    __slots__ = ("_map", "_key")

    def __init__(self, map: MapLocksMixin, key: Any) -> None:
        self._map = map
        self._key = key

    async def __aenter__(self) -> None:
        await self._map.lock(self._key)

    async def __aexit__(self, *exc_info: object) -> None:
        await self._map.unlock(self._key)


def _log_withdrawal(future: asyncio.Future[Any]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None:
        _logger.debug("map.lock.withdraw_failed", error=repr(error))


