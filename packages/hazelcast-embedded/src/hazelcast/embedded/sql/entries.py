"""Between map entries and SQL rows: scanning a map's entries, reading columns, and writing keys and values.

Columns are read with the member's extraction machinery (:mod:`hazelcast.embedded.query`), so JSON, Compact,
Portable and built-in keys and values are read as predicates read them. Writes produce the serialized ``Data`` a
client of the same format would: built-in Java types for primitive formats, HazelcastJsonValue for ``json`` and
``json-flat``, Compact records whose schemas are stored cluster-wide first, Portable records of the mapping's factory
and class ids (a new value gets a class definition made of the mapping's fields, an updated one keeps its own).
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import struct
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from hazelcast.config import Config
from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded.map.records import Record, RecordStore
from hazelcast.embedded.map.service import MAP_SERVICE_NAME
from hazelcast.embedded.query import NonTerminalJsonValue, OpaqueValue, QueryableEntry, parse_attribute_path
from hazelcast.embedded.schemas import store_schemas
from hazelcast.embedded.spec import PartitionState, StateKey
from hazelcast.embedded.sql import types as t
from hazelcast.embedded.sql.catalog import Column, Format, Mapping
from hazelcast.embedded.sql.types import ErrorCode, SqlFailure, data_error
from hazelcast.errors import HazelcastError
from hazelcast.serialization import SerializationService
from hazelcast.serialization.compact import CompactGenericRecord, GenericRecordBuilder

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["EntryRef", "column_reader", "encode_side", "scan", "store_entries"]


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class EntryRef:
    """One live entry met by a scan: enough to read it and to change it in place."""

    __slots__ = ("partition_id", "store", "key", "record")

    def __init__(self, partition_id: int, store: RecordStore, key: bytes, record: Record) -> None:
        self.partition_id = partition_id
        self.store = store
        self.key = key
        self.record = record


def _store(states: dict[StateKey, PartitionState], state_key: StateKey) -> RecordStore | None:
    """A map's record store among a partition's states (the map service keeps RecordStores there)."""
    return cast("RecordStore | None", states.get(state_key))


def scan(
    cluster: EmbeddedCluster, map_name: str, candidates: Callable[[RecordStore], set[bytes] | None] | None = None
) -> Iterator[EntryRef]:
    """The live entries of ``map_name``, partition by partition, read lazily from each partition's owner.

    Each partition's entries are listed when the scan reaches it, so a long query sees writes to partitions it has
    not visited yet, as a member's scan does. ``candidates(store)`` may narrow a partition to some keys (an index
    lookup, see :mod:`hazelcast.embedded.sql.access`); None from it means every entry.
    """
    state_key = (MAP_SERVICE_NAME, map_name)
    for partition_id in range(cluster.partition_count):
        owners = cluster.owners
        if not owners:
            return
        store = _store(owners[partition_id].partitions[partition_id], state_key)
        if store is None or not store.records:
            continue
        now = now_ms()
        keys = candidates(store) if candidates is not None else None
        if keys is None:
            entries = list(store.records.items())
        else:
            records = store.records
            entries = [(key, records[key]) for key in keys if key in records]
        for key, record in entries:
            if record.expiration_time > now:
                yield EntryRef(partition_id, store, key, record)


def column_reader(column: Column) -> Callable[[QueryableEntry], Any]:
    """Reads ``column`` from an entry, as a value of the column's type (DATA_EXCEPTION when it is not one)."""
    type_id = column.type_id
    name = column.name
    if column.field is None:
        of_key = column.of_key
        if type_id == t.OBJECT:
            # The whole key or value as it is stored: sent to the client as the same Data.
            def read_whole(entry: QueryableEntry) -> Any:
                data = entry.key_data if of_key else entry.value_data
                return OpaqueValue(data) if data else None

            return read_whole

        def read_primitive(entry: QueryableEntry) -> Any:
            value = entry.key if of_key else entry.value
            return _as_column_type(value, type_id, name)

        return read_primitive
    path = parse_attribute_path(column.path)

    def read_field(entry: QueryableEntry) -> Any:
        try:
            value = entry.attribute(path)
        except HazelcastError as error:
            raise data_error(f"Failed to extract map entry {column.path!r} field: {error}") from None
        return _as_column_type(value, type_id, name)

    return read_field


# Python types a column of each SQL type takes as they are (integers still get their range checked).
_NATIVE_TYPES = {t.VARCHAR: str, t.BOOLEAN: bool, t.DOUBLE: float, t.REAL: float}


def _as_column_type(value: Any, type_id: int, name: str) -> Any:
    if value is None:
        return None
    if type(value) is _NATIVE_TYPES.get(type_id):
        return value
    if isinstance(value, NonTerminalJsonValue):
        return None
    if type_id == t.OBJECT:
        return value
    try:
        return t.convert(value, type_id)
    except SqlFailure:
        raise data_error(
            f"Cannot convert the value of column '{name}' ({type(value).__name__} {_short(value)}) to "
            f"{t.type_name(type_id)}"
        ) from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


# -- writing ----------------------------------------------------------------------------------------------------------

_HEADER = struct.Struct(">ii")
_JAVA_PRIMITIVES: dict[int, tuple[int, struct.Struct]] = {
    t.TINYINT: (-3, struct.Struct(">b")),
    t.BOOLEAN: (-4, struct.Struct(">?")),
    t.SMALLINT: (-6, struct.Struct(">h")),
    t.INTEGER: (-7, struct.Struct(">i")),
    t.BIGINT: (-8, struct.Struct(">q")),
    t.REAL: (-9, struct.Struct(">f")),
    t.DOUBLE: (-10, struct.Struct(">d")),
}


@functools.cache
def _service() -> SerializationService:
    return SerializationService(Config())


def serialize_typed(value: Any, type_id: int) -> bytes:
    """``value`` (already of SQL type ``type_id``) serialized as the Java type a member would store."""
    primitive = _JAVA_PRIMITIVES.get(type_id)
    if primitive is not None:
        java_type_id, layout = primitive
        return _HEADER.pack(0, java_type_id) + layout.pack(value)
    if isinstance(value, OpaqueValue):
        return value.data
    if type_id == t.JSON and isinstance(value, str):
        value = HazelcastJsonValue(value)
    try:
        return _service().to_data(value)
    except HazelcastError as error:
        raise data_error(f"Cannot serialize a {type(value).__name__} value: {error}") from None


def _json_default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, HazelcastJsonValue):
        return json.loads(value.to_string())
    raise TypeError(f"{type(value).__name__} cannot be written to a JSON field")


_COMPACT_SETTERS = {
    t.VARCHAR: "set_string", t.BOOLEAN: "set_nullable_boolean", t.TINYINT: "set_nullable_int8",
    t.SMALLINT: "set_nullable_int16", t.INTEGER: "set_nullable_int32", t.BIGINT: "set_nullable_int64",
    t.REAL: "set_nullable_float32", t.DOUBLE: "set_nullable_float64", t.DECIMAL: "set_decimal", t.DATE: "set_date",
    t.TIME: "set_time", t.TIMESTAMP: "set_timestamp", t.TIMESTAMP_WITH_TIME_ZONE: "set_timestamp_with_timezone",
}


def encode_side(
    cluster: EmbeddedCluster,
    mapping: Mapping,
    of_key: bool,
    values: dict[str, Any],
    existing: Any = None,
) -> bytes:
    """The serialized key (``of_key``) or value of an entry whose columns of that side have ``values``.

    ``values`` maps column names to values of their types; for an UPDATE, ``existing`` is the current key or value
    object (its other fields are kept).
    """
    side_format: Format = mapping.key_format if of_key else mapping.value_format
    whole = "__key" if of_key else "this"
    side_columns = [column for column in mapping.columns if column.of_key == of_key]
    whole_column = next(column for column in side_columns if column.path == whole)
    if whole_column.name in values and values[whole_column.name] is not None:
        if side_format.is_object and any(c.name in values for c in side_columns if c.field is not None):
            raise data_error(f"Cannot assign to both '{whole}' and its fields")
        return serialize_typed(values[whole_column.name], whole_column.type_id)
    if not side_format.is_object:
        if existing is not None and whole_column.name not in values:
            return serialize_typed(existing, whole_column.type_id)
        raise data_error(f"Cannot write NULL to '{whole}' field")
    # A new key or value has every mapped field (null unless given); an updated one keeps its other fields.
    fields: dict[str, tuple[Column, Any]] = {}
    for column in side_columns:
        field_name = column.field
        if field_name is not None and (existing is None or column.name in values):
            fields[field_name] = (column, values.get(column.name))
    if side_format.kind == "json-flat":
        document: dict[str, Any] = {}
        if isinstance(existing, HazelcastJsonValue):
            try:
                loaded = json.loads(existing.to_string())
                if isinstance(loaded, dict):
                    document = loaded
            except ValueError:
                pass
        for field_name, (_column, value) in fields.items():
            document[field_name] = value
        return _service().to_data(HazelcastJsonValue(json.dumps(document, default=_json_default)))
    if side_format.kind == "compact":
        record = _compact_record(side_format, side_columns, fields, existing)
        store_schemas(cluster, [record.schema])
        return _service().to_data(record)
    return _service().to_data(_portable_record(side_format, side_columns, fields, existing))


def _compact_record(
    side_format: Format, side_columns: list[Column], fields: dict[str, tuple[Column, Any]], existing: Any
) -> CompactGenericRecord:
    if isinstance(existing, CompactGenericRecord) and existing.get_type_name() == side_format.type_name:
        builder = existing.new_builder_with_clone()
        for field_name, (column, value) in fields.items():
            assert field_name is not None
            kind = existing.get_field_kind(field_name)
            setter = getattr(builder, "set_" + kind.name.lower(), None)
            if setter is None:
                raise data_error(f"Cannot write field {field_name!r} of kind {kind.name}")
            try:
                setter(field_name, value)
            except (HazelcastError, TypeError, ValueError) as error:
                raise data_error(f"Cannot write {field_name!r}: {error}") from None
        return builder.build()
    builder = GenericRecordBuilder.compact(side_format.type_name or "")
    for column in side_columns:
        if column.field is None:
            continue
        setter_name = _COMPACT_SETTERS.get(column.type_id)
        if setter_name is None:
            raise SqlFailure(ErrorCode.GENERIC, f"Cannot write a {t.type_name(column.type_id)} Compact field")
        value = fields.get(column.field, (column, None))[1]
        getattr(builder, setter_name)(column.field, value)
    return builder.build()


# SQL type -> (ClassDefinitionBuilder method, PortableGenericRecordBuilder setter); primitives cannot hold NULL.
_PORTABLE_FIELDS = {
    t.VARCHAR: ("add_string_field", "set_string"), t.BOOLEAN: ("add_boolean_field", "set_boolean"),
    t.TINYINT: ("add_byte_field", "set_int8"), t.SMALLINT: ("add_short_field", "set_int16"),
    t.INTEGER: ("add_int_field", "set_int32"), t.BIGINT: ("add_long_field", "set_int64"),
    t.REAL: ("add_float_field", "set_float32"), t.DOUBLE: ("add_double_field", "set_float64"),
    t.DECIMAL: ("add_decimal_field", "set_decimal"), t.DATE: ("add_date_field", "set_date"),
    t.TIME: ("add_time_field", "set_time"), t.TIMESTAMP: ("add_timestamp_field", "set_timestamp"),
    t.TIMESTAMP_WITH_TIME_ZONE: ("add_timestamp_with_timezone_field", "set_timestamp_with_timezone"),
}
_NULLABLE_PORTABLE = {t.VARCHAR, t.DECIMAL, t.DATE, t.TIME, t.TIMESTAMP, t.TIMESTAMP_WITH_TIME_ZONE}


def _portable_record(
    side_format: Format, side_columns: list[Column], fields: dict[str, tuple[Column, Any]], existing: Any
) -> Any:
    from hazelcast.serialization.portable import ClassDefinitionBuilder, PortableGenericRecordBuilder
    from hazelcast.serialization.portable.generic_record import PortableGenericRecord

    if isinstance(existing, PortableGenericRecord):
        builder = existing.new_builder_with_clone()
        record_fields = existing.get_field_names()
        for field_name, (_column, value) in fields.items():
            if field_name not in record_fields:
                raise data_error(f"The Portable value has no field {field_name!r}")
            kind = existing.get_field_kind(field_name)
            _set(builder, "set_" + kind.name.lower(), field_name, value)
        return builder.build()
    class_builder = ClassDefinitionBuilder(side_format.factory_id, side_format.class_id, side_format.class_version)
    setters = []
    for column in side_columns:
        if column.field is None:
            continue
        methods = _PORTABLE_FIELDS.get(column.type_id)
        if methods is None:
            raise SqlFailure(ErrorCode.GENERIC, f"Cannot write a {t.type_name(column.type_id)} Portable field")
        getattr(class_builder, methods[0])(column.field)
        value = fields.get(column.field, (column, None))[1]
        if value is None and column.type_id not in _NULLABLE_PORTABLE:
            raise data_error(f"Cannot set NULL to the primitive Portable field '{column.field}'")
        setters.append((methods[1], column.field, value))
    builder = PortableGenericRecordBuilder(class_builder.build())
    for setter, field_name, value in setters:
        _set(builder, setter, field_name, value)
    return builder.build()


def _set(builder: Any, setter: str, field_name: str, value: Any) -> None:
    method = getattr(builder, setter, None)
    if method is None:
        raise data_error(f"Cannot write field {field_name!r} with {setter}")
    try:
        method(field_name, value)
    except (HazelcastError, TypeError, ValueError) as error:
        raise data_error(f"Cannot write {field_name!r}: {error}") from None


def store_entries(cluster: EmbeddedCluster, map_name: str, entries: list[tuple[bytes, bytes]]) -> None:
    """Put the entries into the map (on the partition owners and their backups), creating the map if needed."""
    from hazelcast.embedded.map.service import _partition_store

    now = now_ms()
    for key, value in entries:
        partition_id = cluster.partition_id(key)
        store, state_key = _partition_store(cluster, partition_id, map_name, True)
        assert store is not None
        record = store.put(key, value, now, store.ttl_for(-1), store.max_idle_for(-1))
        if store.backup_count:
            copy = record.copy()
            cluster.apply_to_backups(partition_id, store, state_key, lambda backup: backup.set_record(key, copy.copy()))


def remove_entries(cluster: EmbeddedCluster, map_name: str, keys: list[bytes]) -> None:
    state_key = (MAP_SERVICE_NAME, map_name)
    for key in keys:
        partition_id = cluster.partition_id(key)
        store = _store(cluster.owners[partition_id].partitions[partition_id], state_key)
        if store is None:
            continue
        store.remove(key)
        if store.backup_count:
            cluster.apply_to_backups(partition_id, store, state_key, lambda backup: backup.remove(key))


def entry_exists(cluster: EmbeddedCluster, map_name: str, key: bytes) -> bool:
    partition_id = cluster.partition_id(key)
    store = _store(cluster.owners[partition_id].partitions[partition_id], (MAP_SERVICE_NAME, map_name))
    if store is None:
        return False
    record = store.records.get(key)
    return record is not None and record.expiration_time > now_ms()


def sample_entry(cluster: EmbeddedCluster, map_name: str, read: Callable[[bytes], Any]) -> tuple[Any, Any] | None:
    """A (key, value) of some entry of ``map_name`` as objects, None when the map is empty."""
    for entry in scan(cluster, map_name):
        try:
            return read(entry.key), read(entry.record.value)
        except HazelcastError:
            return None
    return None
