"""Expiry, eviction and entry statistics of :class:`~hazelcast.collections.Map` (a mixin the proxy inherits)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hazelcast.core import SimpleEntryView
from hazelcast.protocol import method
from hazelcast.proxy import check_not_none, task_id, to_millis

if TYPE_CHECKING:
    import asyncio

    from hazelcast.protocol.frames import Message

__all__ = ["MapExpiryMixin"]

_EVICT = method("Map.evict")
_EVICT_ALL = method("Map.evictAll")
_SET_TTL = method("Map.setTtl")
_GET_ENTRY_VIEW = method("Map.getEntryView")


class MapExpiryMixin:
    """``evict``, ``evict_all``, ``set_ttl``, ``get_entry_view`` (``put_transient`` and ``flush``, which concern the
    MapStore, are in the query mixin)."""

    if TYPE_CHECKING:
        name: str
        _loop: asyncio.AbstractEventLoop
        _to_data: Callable[[Any], bytes]
        _to_object: Callable[[Any], Any]
        _call: Callable[..., Any]
        _partition_of: Callable[[bytes], int]

        def _invoke(self, request: bytearray, decoder: Any = None, retryable: bool = False) -> Any: ...

    async def evict(self, key: Any) -> bool:
        """Evict ``key`` from the map (EVICTED event; no MapStore delete); False if absent or locked."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _EVICT.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), _EVICT.decode_response)  # type: ignore[no-any-return]

    async def evict_all(self) -> None:
        """Evict every entry except the locked ones; listeners get one EVICT_ALL event with the count."""
        await self._invoke(_EVICT_ALL.encode_request(self.name))

    async def set_ttl(self, key: Any, ttl: float) -> None:
        """Give ``key`` a new time to live in seconds, counted from now (0: forever); no effect if it is absent."""
        check_not_none(key, "key")
        check_not_none(ttl, "ttl")
        key_data = self._to_data(key)
        request = _SET_TTL.encode_request(self.name, key_data, to_millis(ttl))
        await self._call(request, self._partition_of(key_data), _SET_TTL.decode_response)

    async def get_entry_view(self, key: Any) -> SimpleEntryView[Any, Any] | None:
        """A snapshot of ``key``'s entry and its statistics, or None if absent.

        Times are epoch milliseconds. A member keeps creation/access/update times and hits only with per-entry
        statistics enabled in its map configuration; otherwise they are -1.
        """
        check_not_none(key, "key")
        key_data = self._to_data(key)
        request = _GET_ENTRY_VIEW.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), self._decode_entry_view, True)  # type: ignore[no-any-return]

    def _decode_entry_view(self, message: Message) -> SimpleEntryView[Any, Any] | None:
        view, _max_idle = _GET_ENTRY_VIEW.decode_response(message)
        if view is None:
            return None
        return dataclasses.replace(view, key=self._to_object(view.key), value=self._to_object(view.value))
