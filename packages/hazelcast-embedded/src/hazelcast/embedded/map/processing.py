"""Entry processors on the member: ``Map.executeOnKey``, ``submitToKey``, ``executeOnKeys``, ``executeOnAllKeys``
and ``executeWithPredicate``.

A client sends its entry processor as an IdentifiedDataSerializable object; the member runs the Python server class
registered for its factory and class id (hook ``hazelcast_embedded_server_classes``). For each entry the member
calls::

    result = processor.process(entry)

where ``entry`` is a :class:`ProcessedEntry`: ``entry.key`` is the key, ``entry.value`` the value (None when the key
has no entry). Assigning ``entry.value`` changes the entry (or creates it); assigning None removes it. The change is
written to the backups and published like any write (entry events, near-cache invalidations); ``executeOnKey`` waits
while another owner holds the key's lock. ``result`` is sent back to the client (for the multi-entry operations, the results that are
not None, by key). Keys and values are given as Python objects when the member can deserialize them (built-in types
and server classes), as a :class:`~hazelcast.serialization.generic_record.GenericRecord` for Compact and Portable
values, and as an :class:`~hazelcast.embedded.query.values.OpaqueValue` otherwise; an ``OpaqueValue`` or
``GenericRecord`` may be assigned back as the value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hazelcast.embedded.map.events import ADDED, REMOVED, UPDATED, entry_changed
from hazelcast.embedded.map.locks import write_blocked
from hazelcast.embedded.map.records import RecordStore
from hazelcast.embedded.query.aggregation import result_data
from hazelcast.embedded.query.extraction import ExtractionContext, extraction_context
from hazelcast.embedded.query.predicates import compile_predicate, server_object
from hazelcast.embedded.query.values import OpaqueValue
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["PROCESSING_HANDLERS", "ProcessedEntry"]

_MAP_SERVICE_NAME = "hz:impl:mapService"
_UNREAD = object()


def _service() -> Any:
    from hazelcast.embedded.map import service

    return service


class ProcessedEntry:
    """The entry an entry processor works on: ``key``, and ``value`` to read or assign (None removes the entry)."""

    __slots__ = ("_cluster", "_context", "key_data", "value_data", "_key", "_value", "changed")

    def __init__(
        self, cluster: EmbeddedCluster, context: ExtractionContext, key_data: bytes, value_data: bytes | None
    ) -> None:
        self._cluster = cluster
        self._context = context
        self.key_data = key_data
        self.value_data = value_data
        self._key: Any = _UNREAD
        self._value: Any = _UNREAD
        #: Whether the processor assigned a value.
        self.changed = False

    def _read(self, data: bytes | None) -> Any:
        if data is None:
            return None
        try:
            return self._cluster.to_object(data)
        except HazelcastSerializationError:
            return self._context.read_value(data)

    @property
    def key(self) -> Any:
        if self._key is _UNREAD:
            self._key = self._read(self.key_data)
        return self._key

    @property
    def value(self) -> Any:
        if self._value is _UNREAD:
            self._value = self._read(self.value_data)
        return self._value

    @value.setter
    def value(self, new_value: Any) -> None:
        self._value = new_value
        self.changed = True

    def new_value_data(self) -> bytes | None:
        value = self._value
        if value is None:
            return None
        if isinstance(value, OpaqueValue):
            return value.data
        return result_data(self._cluster, value)


def _processor(cluster: EmbeddedCluster, data: bytes) -> Any:
    processor = server_object(cluster, data)
    if not callable(getattr(processor, "process", None)):
        raise IllegalArgumentError(f"{processor!r} is not an entry processor (it has no process(entry))")
    return processor


def _process_keys(
    request: MemberRequest,
    partition_id: int,
    processor: Any,
    keys: list[bytes],
    context: ExtractionContext,
) -> list[tuple[bytes, Any]]:
    """Run ``processor`` on the entries of ``keys`` in one partition; (key, result) pairs."""
    service = _service()
    cluster = request.cluster
    name = request.params.name
    store, state_key = service._partition_store(cluster, partition_id, name, True)
    now = service._now()
    results = []
    for key in keys:
        record = service._live(cluster, partition_id, store, state_key, key, now)
        entry = ProcessedEntry(cluster, context, key, None if record is None else record.value)
        result = processor.process(entry)
        if entry.changed:
            _write(request, partition_id, store, state_key, key, entry.new_value_data(), record is not None, now)
        results.append((key, result))
    return results


def _write(
    request: MemberRequest,
    partition_id: int,
    store: RecordStore,
    state_key: Any,
    key: bytes,
    value: bytes | None,
    existed: bool,
    now: int,
) -> None:
    """Apply a processor's change of ``key`` to the store (indexes follow), its backups, listeners and near caches."""
    cluster = request.cluster
    if value is None:
        if existed:
            removed = store.remove(key)
            if store.backup_count:
                request.backup(store, state_key, lambda backup: backup.remove(key), partition_id=partition_id)
            if removed is not None:
                entry_changed(cluster, partition_id, store, REMOVED, key, None, removed.value, request.client_uuid)
        return
    record = store.records.get(key) if existed else None
    if record is not None:
        old_value: bytes | None = record.value
        store.update_value(key, record, value, now)
    else:
        old_value = None
        record = store.put(key, value, now, store.default_ttl, store.default_max_idle)
    if store.backup_count:
        copy = record.copy()
        request.backup(store, state_key, lambda backup: backup.set_record(key, copy), partition_id=partition_id)
    event_type = ADDED if old_value is None else UPDATED
    entry_changed(cluster, partition_id, store, event_type, key, value, old_value, request.client_uuid)


def map_execute_on_key(request: MemberRequest) -> Any:
    """Run the processor on one entry; it waits while another owner holds the key's lock, as a write does."""
    if request.partition_id >= 0 and write_blocked(request):
        return PENDING
    params = request.params
    cluster = request.cluster
    processor = _processor(cluster, params.entry_processor)
    partition_id = request.partition_id if request.partition_id >= 0 else cluster.partition_id(params.key)
    [(_, result)] = _process_keys(request, partition_id, processor, [params.key], extraction_context(cluster))
    return result_data(cluster, result)


def _entry_results(cluster: EmbeddedCluster, results: list[tuple[bytes, Any]]) -> list[tuple[bytes, bytes | None]]:
    return [(key, result_data(cluster, result)) for key, result in results if result is not None]


def map_execute_on_keys(request: MemberRequest) -> list[tuple[bytes, bytes | None]]:
    params = request.params
    cluster = request.cluster
    processor = _processor(cluster, params.entry_processor)
    context = extraction_context(cluster)
    groups: dict[int, list[bytes]] = {}
    for key in dict.fromkeys(params.keys):
        groups.setdefault(cluster.partition_id(key), []).append(key)
    results = []
    for partition_id, keys in groups.items():
        results.extend(_process_keys(request, partition_id, processor, keys, context))
    return _entry_results(cluster, results)


def _execute_where(request: MemberRequest, predicate_data: bytes | None) -> list[tuple[bytes, bytes | None]]:
    from hazelcast.embedded.map.query_handlers import select

    params = request.params
    cluster = request.cluster
    processor = _processor(cluster, params.entry_processor)
    context = extraction_context(cluster)
    groups: dict[int, list[bytes]] = {}
    predicate = compile_predicate(cluster, predicate_data)
    for partition_id, _, entry in select(request, params.name, predicate, context):
        groups.setdefault(partition_id, []).append(entry.key_data)
    results = []
    for partition_id, keys in groups.items():
        results.extend(_process_keys(request, partition_id, processor, keys, context))
    return _entry_results(cluster, results)


def map_execute_on_all_keys(request: MemberRequest) -> list[tuple[bytes, bytes | None]]:
    return _execute_where(request, None)


def map_execute_with_predicate(request: MemberRequest) -> list[tuple[bytes, bytes | None]]:
    return _execute_where(request, request.params.predicate)


PROCESSING_HANDLERS = {
    "Map.executeOnKey": map_execute_on_key,
    "Map.submitToKey": map_execute_on_key,
    "Map.executeOnKeys": map_execute_on_keys,
    "Map.executeOnAllKeys": map_execute_on_all_keys,
    "Map.executeWithPredicate": map_execute_with_predicate,
}
