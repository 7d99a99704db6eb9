"""The Map proxy of a map that has a near cache (``Config.near_caches`` names it): reads go through the cache,
writes drop the written keys from it before they are sent, and member invalidations keep it fresh.

:func:`create_map_proxy` is the factory of the Map proxy type: it picks this class when the map has a near cache.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from typing import Any

import structlog

from hazelcast.collections.map import Map
from hazelcast.config import InMemoryFormat
from hazelcast.errors import HazelcastError
from hazelcast.lifecycle import LifecycleState
from hazelcast.collections.near_cache import MISS, NearCache, find_near_cache_config
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message, message_type
from hazelcast.proxy import ProxyContext, check_not_none, task_id
from hazelcast.proxy.base import EntryEventType

__all__ = ["NearCachedMap", "create_map_proxy"]

_logger = structlog.get_logger("hazelcast.map")

_GET = method("Map.get")
_CONTAINS_KEY = method("Map.containsKey")
_ADD_INVALIDATION_LISTENER = method("Map.addNearCacheInvalidationListener")
_INVALIDATION = _ADD_INVALIDATION_LISTENER.spec.event_type(0)
_DECODE_INVALIDATION = _ADD_INVALIDATION_LISTENER.decode_event[0]
_DECODE_BATCH_INVALIDATION = _ADD_INVALIDATION_LISTENER.decode_event[1]
_REMOVE_LISTENER = method("Map.removeEntryListener")
_FETCH_METADATA = method("Map.fetchNearCacheInvalidationMetadata")

#: Seconds between two comparisons of the near cache's partition numbers with the cluster's, which catch
#: invalidations lost while a connection was down (a Java client's default reconciliation interval).
RECONCILIATION_INTERVAL_SECONDS = 60.0

#: Map methods whose first argument is the one key they write: the key leaves the near cache before the request.
_KEY_WRITES = (
    "put", "set", "put_if_absent", "remove", "delete", "remove_if_same", "replace", "replace_if_same", "evict",
    "set_ttl", "put_transient", "try_put", "try_remove", "execute_on_key",
)
#: Map methods whose first argument is the keys they write: those keys leave the near cache before the request.
_KEYS_WRITES = ("execute_on_keys",)
#: Map methods that may change any entry: the whole near cache is dropped before the request. An interceptor that
#: comes or goes changes what reads return, so cached values go too.
_MAP_WRITES = (
    "clear", "evict_all", "execute_on_entries", "remove_all", "load_all", "add_interceptor", "remove_interceptor",
)


def create_map_proxy(service_name: str, name: str, context: ProxyContext) -> Map[Any, Any]:
    """The proxy of map ``name``: a :class:`NearCachedMap` when ``Config.near_caches`` configures one for it."""
    config = find_near_cache_config(context.config.near_caches, name)
    if config is None:
        return Map(service_name, name, context)
    return NearCachedMap(service_name, name, context, config)


class NearCachedMap(Map[Any, Any]):
    """A :class:`~hazelcast.collections.Map` with a near cache (see :mod:`hazelcast.collections.near_cache`)."""

    def __init__(self, service_name: str, name: str, context: ProxyContext, config: Any) -> None:
        super().__init__(service_name, name, context)
        self._near_cache = NearCache(name, config, self._to_object, self._partition_of)
        self._cached = self._near_cache.get
        self._invalidation_registration: str | None = None
        # Listening (and the starting numbers) must be in place before anything is cached: the first read waits.
        self._ready: asyncio.Task[None] | None = None
        self._started = False
        #: Seconds between reconciliations with the cluster's partition numbers (see the module constant).
        self.reconciliation_interval = RECONCILIATION_INTERVAL_SECONDS
        self._reconciler: asyncio.Task[None] | None = None
        self._lifecycle_registration: str | None = None
        self._register_statistics()
        # A new cluster (restarted members) has none of the data the cache holds, and new partition numbers.
        self._context.connection_manager.cluster_restarted.append(self._cluster_restarted)

    def _cluster_restarted(self) -> None:
        self._near_cache.clear()
        self._near_cache.forget_metadata()

    @property
    def near_cache(self) -> NearCache:
        """This map's near cache (``near_cache.get_statistics()``)."""
        return self._near_cache

    # -- start ------------------------------------------------------------------------------------------------------

    async def _start(self) -> None:
        if self._started:
            return
        ready = self._ready
        if ready is None:
            ready = self._ready = self._loop.create_task(self._listen())
        try:
            await asyncio.shield(ready)
        except BaseException:
            if ready.done() and self._ready is ready:
                self._ready = None  # failed (the member refused...): the next read tries again
            raise
        self._started = True

    async def _listen(self) -> None:
        near_cache = self._near_cache
        if not near_cache.config.invalidate_on_change:
            return
        name = self.name
        on_invalidation = near_cache.on_invalidation
        on_batch = near_cache.on_batch_invalidation

        def handle(message: Message) -> None:
            if message_type(message) == _INVALIDATION:
                on_invalidation(*_DECODE_INVALIDATION(message))
            else:
                on_batch(*_DECODE_BATCH_INVALIDATION(message))

        self._invalidation_registration = await self._context.listener_service.register(
            lambda local_only: _ADD_INVALIDATION_LISTENER.encode_request(
                name, int(EntryEventType.INVALIDATION), local_only
            ),
            _ADD_INVALIDATION_LISTENER.decode_response,
            lambda registration_id: _REMOVE_LISTENER.encode_request(name, registration_id),
            handle,
        )
        await self.fetch_invalidation_metadata()
        # Owned by this proxy: stopped by destroy() and when the client shuts down.
        self._reconciler = self._loop.create_task(self._reconcile())
        self._lifecycle_registration = self._context.lifecycle_service.add_listener(self._lifecycle_changed)

    async def _reconcile(self) -> None:
        while True:
            await asyncio.sleep(self.reconciliation_interval)
            await self.fetch_invalidation_metadata()

    def _lifecycle_changed(self, state: str) -> None:
        if state == LifecycleState.SHUTTING_DOWN:
            self._stop_reconciling()

    def _stop_reconciling(self) -> None:
        if self._reconciler is not None:
            self._reconciler.cancel()
            self._reconciler = None
        if self._lifecycle_registration is not None:
            self._context.lifecycle_service.remove_listener(self._lifecycle_registration)
            self._lifecycle_registration = None

    async def fetch_invalidation_metadata(self) -> None:
        """Ask the cluster for the partition UUIDs and sequences of this map (done at start; call it to reconcile
        after a long disconnection: partitions whose numbers moved without an invalidation are marked stale)."""
        request = _FETCH_METADATA.encode_request([self.name], self._context.connection_manager.client_uuid)
        try:
            sequences_by_name, partition_uuids = await self._invoke(request, _FETCH_METADATA.decode_response, True)
        except HazelcastError as error:
            # Not fatal: the first invalidation of each partition then teaches the cache its numbers.
            _logger.debug("map.near_cache.metadata_failed", map=self.name, error=repr(error))
            return
        for name, sequences in sequences_by_name:
            if name == self.name:
                self._near_cache.apply_metadata(sequences, partition_uuids)

    def _register_statistics(self) -> None:
        # The client's statistics service reports near caches to the cluster when statistics are enabled.
        statistics = getattr(self._context.client, "_statistics", None)
        register = getattr(statistics, "register_near_cache", None)
        if register is None:
            return
        from hazelcast._internal.statistics import NearCacheStats

        def snapshot() -> NearCacheStats:
            stats = self._near_cache.get_statistics()
            return NearCacheStats(**stats)

        register(self.name, snapshot)

    # -- reads ------------------------------------------------------------------------------------------------------

    async def get(self, key: Any) -> Any:
        """The value of ``key`` from the near cache, else from the cluster (then cached)."""
        if key is None:  # check_not_none, inlined: this is the near cache's hot path
            raise ValueError("key must not be None")
        value = self._cached(key_data := self._to_data(key))
        if value is not MISS:
            return value
        if not self._started:
            await self._start()
        return await self._get_and_cache(key_data)

    async def _get_and_cache(self, key_data: bytes) -> Any:
        near_cache = self._near_cache
        reservation = near_cache.reserve(key_data)
        request = _GET.encode_request(self.name, key_data, task_id(self._loop))
        if not reservation:
            return await self._call(request, self._partition_of(key_data), self._decode_value, True)
        to_object = self._to_object
        binary = near_cache.config.in_memory_format == InMemoryFormat.BINARY

        def decode(message: Message) -> Any:
            data = _GET.decode_response(message)
            value = to_object(data)
            near_cache.publish(key_data, reservation, data if binary else value)
            return value

        try:
            return await self._call(request, self._partition_of(key_data), decode, True)
        except BaseException:
            near_cache.release(key_data, reservation)
            raise

    async def contains_key(self, key: Any) -> bool:
        """Whether ``key`` has a value; a cached key answers without asking the cluster."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        if self._near_cache.get(key_data) is not MISS:
            return True
        request = _CONTAINS_KEY.encode_request(self.name, key_data, task_id(self._loop))
        return await self._call(request, self._partition_of(key_data), _CONTAINS_KEY.decode_response, True)  # type: ignore[no-any-return]

    async def get_all(self, keys: Sequence[Any]) -> dict[Any, Any]:
        """The values of ``keys``: cached ones from the near cache, the others from the cluster (then cached)."""
        check_not_none(keys, "keys")
        near_cache = self._near_cache
        found: dict[Any, Any] = {}
        missing: dict[Any, bytes] = {}
        for key in keys:
            check_not_none(key, "key")
            key_data = self._to_data(key)
            value = near_cache.get(key_data)
            if value is MISS:
                missing[key] = key_data
            else:
                found[key] = value
        if not missing:
            return found
        if not self._started:
            await self._start()
        reservations = {key: near_cache.reserve(key_data) for key, key_data in missing.items()}
        try:
            fetched = await super().get_all(list(missing))
        except BaseException:
            for key, reservation in reservations.items():
                near_cache.release(missing[key], reservation)
            raise
        binary = near_cache.config.in_memory_format == InMemoryFormat.BINARY
        for key, reservation in reservations.items():
            if reservation:
                value = fetched.get(key)
                near_cache.publish(missing[key], reservation, self._to_data(value) if binary and value is not None
                                   else value)
        found.update(fetched)
        return found

    # -- writes -----------------------------------------------------------------------------------------------------

    async def put_all(self, map: dict[Any, Any]) -> None:
        if isinstance(map, dict):
            for key in map:
                if key is not None:
                    self._near_cache.invalidate(self._to_data(key))
        await super().put_all(map)

    async def destroy(self) -> bool:
        """Destroy the map on the cluster; the near cache and its invalidation listener go too."""
        self._stop_reconciling()
        registration = self._invalidation_registration
        if registration is not None:
            self._invalidation_registration = None
            await self._context.listener_service.deregister(registration)
        self._near_cache.clear()
        restarted = self._context.connection_manager.cluster_restarted
        if self._cluster_restarted in restarted:
            restarted.remove(self._cluster_restarted)
        statistics = getattr(self._context.client, "_statistics", None)
        deregister = getattr(statistics, "deregister_near_cache", None)
        if deregister is not None:
            deregister(self.name)
        return await super().destroy()


def _key_write(name: str) -> Any:
    base = getattr(Map, name)

    @functools.wraps(base)
    async def write(self: NearCachedMap, key: Any, *args: Any, **kwargs: Any) -> Any:
        if key is not None:
            self._near_cache.invalidate(self._to_data(key))
        return await base(self, key, *args, **kwargs)

    return write


def _keys_write(name: str) -> Any:
    base = getattr(Map, name)

    @functools.wraps(base)
    async def write(self: NearCachedMap, keys: Any, *args: Any, **kwargs: Any) -> Any:
        if keys is not None:
            for key in keys:
                if key is not None:
                    self._near_cache.invalidate(self._to_data(key))
        return await base(self, keys, *args, **kwargs)

    return write


def _map_write(name: str) -> Any:
    base = getattr(Map, name)

    @functools.wraps(base)
    async def write(self: NearCachedMap, *args: Any, **kwargs: Any) -> Any:
        self._near_cache.clear()
        return await base(self, *args, **kwargs)

    return write


for _name in _KEY_WRITES:
    setattr(NearCachedMap, _name, _key_write(_name))
for _name in _KEYS_WRITES:
    setattr(NearCachedMap, _name, _keys_write(_name))
for _name in _MAP_WRITES:
    setattr(NearCachedMap, _name, _map_write(_name))
del _name
