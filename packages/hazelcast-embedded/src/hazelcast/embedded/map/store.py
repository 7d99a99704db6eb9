"""MapStore and MapLoader on the member: maps backed by a Python class, configured per map in the member YAML::

    map:
      orders:
        map-store:
          enabled: true
          class-name: my_package.stores:OrderStore   # or factory-id + class-id of a registered server class
          write-delay-seconds: 0                       # 0: write-through; > 0: write-behind
          write-batch-size: 100
          initial-load-mode: LAZY                      # or EAGER

One store object serves the map for the whole cluster. The member calls these methods, each one optional (a loader
without ``store`` methods is a MapLoader):

* ``load_all_keys() -> iterable of keys``, then ``load_all(keys) -> {key: value}``: the initial load, on the map's
  first use (both modes), and ``Map.loadAll``; ``load_all`` also serves ``Map.loadGivenKeys``.
* ``load(key) -> value or None``: a ``get`` or ``containsKey`` that finds no entry reads through.
* ``store(key, value)`` / ``store_all({key: value})``: every ``put``, ``set``, ``putIfAbsent``, ``replace``,
  ``putAll``... (not ``putTransient`` nor loaded entries). With write-through the store is called before the entry
  changes, so an exception fails the operation and leaves the entry as it was.
* ``delete(key)`` / ``delete_all(keys)``: ``remove``/``delete`` and ``clear`` (not ``evict``/``evictAll``, which only
  drop entries from memory and keep the stored ones for a later load).

With ``write-delay-seconds`` above 0, changes queue up (the last change per key, with ``write-coalescing``) and are
written with ``store_all``/``delete_all`` in batches of ``write-batch-size`` after the delay, or at once on
``Map.flush``; a failing write-behind batch is logged and dropped. Keys and values reach the store as Python objects
when the member can deserialize them (else ``GenericRecord``/``OpaqueValue``); loaded keys and values are serialized
as a client with default settings serializes them. Calls run on the member's event loop: a slow store slows the
member down, as a blocking store would on a partition thread.
"""

from __future__ import annotations

import asyncio
import importlib
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.embedded.map.config import MapStoreConfig
from hazelcast.embedded.map.events import LOADED, entry_changed
from hazelcast.embedded.map.locks import must_wait
from hazelcast.embedded.query.aggregation import result_data
from hazelcast.embedded.query.extraction import extraction_context
from hazelcast.embedded.requests import MemberRequest
from hazelcast.errors import HazelcastSerializationError, InvalidConfigurationError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["forget_map_store", "with_map_store"]

_logger = structlog.get_logger("hazelcast.embedded.map.store")
_MAP_SERVICE_NAME = "hz:impl:mapService"


def _service() -> Any:
    from hazelcast.embedded.map import service

    return service


class _BoundStore:
    """A map's store object with the member-side state: initial load done, write-behind queue."""

    def __init__(self, cluster: EmbeddedCluster, name: str, config: MapStoreConfig) -> None:
        self.cluster = cluster
        self.name = name
        self.config = config
        self.target = _instantiate(cluster, config)
        self.loaded = False
        #: key data -> (key data, value data or None for a deletion), in order of the changes.
        self.pending: dict[bytes, bytes | None] = {}
        self.flush_handle: asyncio.TimerHandle | None = None

    def call(self, method: str, *args: Any) -> Any:
        function = getattr(self.target, method, None)
        return None if function is None else function(*args)

    def has(self, method: str) -> bool:
        return callable(getattr(self.target, method, None))

    def read(self, data: bytes | None) -> Any:
        if data is None:
            return None
        try:
            return self.cluster.to_object(data)
        except HazelcastSerializationError:
            return extraction_context(self.cluster).read_value(data)

    def to_data(self, value: Any) -> bytes | None:
        try:
            return self.cluster.to_data(value)
        except HazelcastSerializationError:
            return result_data(self.cluster, value)

    # -- loading ------------------------------------------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        if self.has("load_all_keys"):
            self.load_keys(list(self.call("load_all_keys") or ()), replace_existing=True)

    def load_keys(self, keys: list[Any], replace_existing: bool) -> None:
        if not keys:
            return
        loaded = self.call("load_all", keys) if self.has("load_all") else {key: self.call("load", key) for key in keys}
        for key, value in (loaded or {}).items():
            if value is not None:
                self.install(self.to_data(key), self.to_data(value), replace_existing)  # type: ignore[arg-type]

    def install(self, key_data: bytes, value_data: bytes, replace_existing: bool = True) -> None:
        """Put a loaded entry in memory (owner and backups) without writing it back; listeners get a LOADED event
        (and near caches an invalidation)."""
        service = _service()
        cluster = self.cluster
        partition_id = cluster.partition_id(key_data)
        store, state_key = service._partition_store(cluster, partition_id, self.name, True)
        now = service._now()
        current = service._live(cluster, partition_id, store, state_key, key_data, now)
        if current is not None and not replace_existing:
            return
        old_value = None if current is None else current.value
        record = store.put(key_data, value_data, now, store.default_ttl, store.default_max_idle)
        if store.backup_count:
            copy = record.copy()
            cluster.apply_to_backups(partition_id, store, state_key, lambda backup: backup.set_record(key_data, copy))
        entry_changed(cluster, partition_id, store, LOADED, key_data, value_data, old_value)

    # -- writing ------------------------------------------------------------------------------------------------------

    def write(self, key_data: bytes, value_data: bytes | None) -> None:
        """Store (or, with None, delete) one entry: now, or queued for write-behind."""
        if self.config.write_delay_seconds == 0:
            if value_data is None:
                self.call("delete", self.read(key_data))
            else:
                self.call("store", self.read(key_data), self.read(value_data))
            return
        if not self.config.write_coalescing and key_data in self.pending:
            # Without coalescing every change is written: write the earlier one before queueing this one.
            self.flush_pending()
        self.pending.pop(key_data, None)
        self.pending[key_data] = value_data
        if self.flush_handle is None:
            loop = asyncio.get_running_loop()
            self.flush_handle = loop.call_later(self.config.write_delay_seconds, self._flush_later)

    def _flush_later(self) -> None:
        self.flush_handle = None
        try:
            self.flush_pending()
        except Exception:
            _logger.error("map.store.write_behind_failed", map=self.name, exc_info=True)

    def flush_pending(self) -> None:
        if self.flush_handle is not None:
            self.flush_handle.cancel()
            self.flush_handle = None
        pending, self.pending = self.pending, {}
        size = self.config.write_batch_size
        stores = [(key, value) for key, value in pending.items() if value is not None]
        deletes = [key for key, value in pending.items() if value is None]
        for start in range(0, len(stores), size):
            batch = {self.read(key): self.read(value) for key, value in stores[start : start + size]}
            if self.has("store_all"):
                self.call("store_all", batch)
            else:
                for key, value in batch.items():
                    self.call("store", key, value)
        for start in range(0, len(deletes), size):
            keys = [self.read(key) for key in deletes[start : start + size]]
            if self.has("delete_all"):
                self.call("delete_all", keys)
            else:
                for key in keys:
                    self.call("delete", key)


def _instantiate(cluster: EmbeddedCluster, config: MapStoreConfig) -> Any:
    if config.class_name:
        module_name, _, attribute = config.class_name.replace(":", ".").rpartition(".")
        try:
            factory = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError, ValueError) as error:
            raise InvalidConfigurationError(f"map-store class-name {config.class_name!r}: {error}") from error
        return factory()
    factory = cluster.plugins.server_classes.get(config.factory_id, {}).get(config.class_id)
    if factory is None:
        raise InvalidConfigurationError(
            f"map-store: no server class with factory id {config.factory_id} and class id {config.class_id}"
        )
    return factory()


# Per cluster (by id, dropped when the cluster is collected): map name -> its store, None when it has none. A plain
# dict, as every map request looks here first.
_bound: dict[int, dict[str, _BoundStore | None]] = {}


def _store_of(request: MemberRequest) -> _BoundStore | None:
    cluster = request.cluster
    params = request.params
    name = params if isinstance(params, str) else params.name
    per_cluster = _bound.get(id(cluster))
    if per_cluster is None:
        per_cluster = _bound[id(cluster)] = {}
        weakref.finalize(cluster, _bound.pop, id(cluster), None)
    if name in per_cluster:
        bound = per_cluster[name]
    else:
        config = cluster.structure_configs.lookup("map", name).map_store
        bound = per_cluster[name] = _BoundStore(cluster, name, config) if config and config.enabled else None
    if bound is not None:
        bound.ensure_loaded()
    return bound


def forget_map_store(cluster: EmbeddedCluster, name: str | None) -> None:
    """The map ``name`` was destroyed (None: every map, as a new cluster forms): write what is pending, and load
    again on the map's next use."""
    per_cluster = _bound.get(id(cluster), {})
    for map_name in list(per_cluster) if name is None else [name]:
        bound = per_cluster.pop(map_name, None)
        if bound is not None and bound.pending:
            bound.flush_pending()


def _current(request: MemberRequest, key: bytes) -> bytes | None:
    service = _service()
    cluster = request.cluster
    partition_id = cluster.partition_id(key)
    store, state_key = service._partition_store(cluster, partition_id, request.params.name, False)
    if store is None:
        return None
    record = service._live(cluster, partition_id, store, state_key, key, service._now())
    return None if record is None else record.value


# -- what each message does with the store ----------------------------------------------------------------------------


def _read_through(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    result = original(request)
    if result is None or result is False:
        key = request.params.key
        value = bound.call("load", bound.read(key))
        if value is not None:
            value_data = bound.to_data(value)
            bound.install(key, value_data)  # type: ignore[arg-type]
            return True if result is False else value_data
    return result


def _write_value(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    if must_wait(request):
        return original(request)  # it waits for the key's lock, then runs again through here
    params = request.params
    bound.write(params.key, params.value)
    return original(request)


def _write_if_changed(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    # putIfAbsent, replace, replaceIfSame: the store sees the entry only when memory changed.
    params = request.params
    before = _current(request, params.key)
    result = original(request)
    after = _current(request, params.key)
    if after is not None and after != before:
        bound.write(params.key, after)
    return result


def _write_all(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    entries = request.params.entries
    if bound.config.write_delay_seconds == 0 and bound.has("store_all"):
        bound.call("store_all", {bound.read(key): bound.read(value) for key, value in entries})
    else:
        for key, value in entries:
            bound.write(key, value)
    return original(request)


def _delete(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    if must_wait(request):
        return original(request)  # it waits for the key's lock, then runs again through here
    bound.write(request.params.key, None)
    return original(request)


def _delete_if_removed(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    result = original(request)
    if result:
        bound.write(request.params.key, None)
    return result


def _clear(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    keys = [key for _, store in _service()._stores(request, request.params) for key in store.records]
    if bound.config.write_delay_seconds == 0 and bound.has("delete_all"):
        bound.call("delete_all", [bound.read(key) for key in keys])
    else:
        for key in keys:
            bound.write(key, None)
    return original(request)


def _flush(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    bound.flush_pending()
    return original(request)


def _load_all(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    keys = list(bound.call("load_all_keys") or ()) if bound.has("load_all_keys") else []
    bound.load_keys(keys, request.params.replace_existing_values)


def _load_given_keys(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    params = request.params
    bound.load_keys([bound.read(key) for key in params.keys], params.replace_existing_values)


def _loaded_first(bound: _BoundStore, request: MemberRequest, original: Callable[[MemberRequest], Any]) -> Any:
    return original(request)


_BEHAVIOURS: dict[str, Callable[[_BoundStore, MemberRequest, Callable[[MemberRequest], Any]], Any]] = {
    "Map.get": _read_through,
    "Map.containsKey": _read_through,
    "Map.put": _write_value,
    "Map.putWithMaxIdle": _write_value,
    "Map.set": _write_value,
    "Map.setWithMaxIdle": _write_value,
    "Map.tryPut": _write_value,
    "Map.putIfAbsent": _write_if_changed,
    "Map.putIfAbsentWithMaxIdle": _write_if_changed,
    "Map.replace": _write_if_changed,
    "Map.replaceIfSame": _write_if_changed,
    "Map.putAll": _write_all,
    "Map.remove": _delete,
    "Map.delete": _delete,
    "Map.tryRemove": _delete,
    "Map.removeIfSame": _delete_if_removed,
    "Map.clear": _clear,
    "Map.flush": _flush,
    "Map.loadAll": _load_all,
    "Map.loadGivenKeys": _load_given_keys,
}


def _no_store_handler(request: MemberRequest) -> None:
    """``Map.loadAll``/``loadGivenKeys`` on a map without a store: nothing to load."""


def with_map_store(handlers: dict[str, Callable[[MemberRequest], Any]]) -> dict[str, Callable[[MemberRequest], Any]]:
    """The map service's handlers, each first making sure the map's store (if it has one) did its initial load,
    and those of :data:`_BEHAVIOURS` also loading or writing through the store."""
    handlers = {"Map.loadAll": _no_store_handler, "Map.loadGivenKeys": _no_store_handler, **handlers}
    wrapped: dict[str, Callable[[MemberRequest], Any]] = {}
    for name, handler in handlers.items():
        if not name.startswith("Map.") or name in ("Map.addIndex", "Map.addInterceptor", "Map.removeInterceptor"):
            wrapped[name] = handler
            continue
        wrapped[name] = _wrap(handler, _BEHAVIOURS.get(name, _loaded_first))
    return wrapped


def _wrap(
    handler: Callable[[MemberRequest], Any],
    behaviour: Callable[[_BoundStore, MemberRequest, Callable[[MemberRequest], Any]], Any],
) -> Callable[[MemberRequest], Any]:
    def with_store(request: MemberRequest) -> Any:
        bound = _store_of(request)
        if bound is None:
            return handler(request)
        return behaviour(bound, request, handler)

    with_store.__name__ = getattr(handler, "__name__", "handler")
    return with_store
