"""Compact GenericRecords: values read without their class, and values built without a class.

``read_compact_record`` opens a serialized Compact value with nothing but a way to look schemas up by id; the
embedded member uses it to read fields of the values it stores, and the serialization service returns such a
record for compact data whose type name has no registered serializer. Fields are decoded when first asked for.

``GenericRecordBuilder.compact(type_name)`` builds a record field by field (the schema follows from the setters
called); ``record.new_builder()`` and ``record.new_builder_with_clone()`` build records of an existing
record's schema. A built record is written in the Compact format like any object with a serializer.
"""

from __future__ import annotations

import datetime
import decimal
import struct
from collections.abc import Callable, Sequence
from typing import Any

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.compact._codecs import KindCodecs, kind_codecs
from hazelcast.serialization.compact._reader import DefaultCompactReader
from hazelcast.serialization.compact.schema import FIXED_SIZES, FieldDescriptor, Schema
from hazelcast.serialization.field_kind import FieldKind
from hazelcast.serialization.generic_record import GenericRecord

__all__ = ["CompactGenericRecord", "GenericRecordBuilder", "SchemaNotFoundError", "read_compact_record"]

K = FieldKind
SchemaLookup = Callable[[int], "Schema | None"]
_DECODE_ERRORS = (EOFError, IndexError, ValueError, OverflowError, UnicodeDecodeError, struct.error)


class SchemaNotFoundError(HazelcastSerializationError):
    """Compact data refers to a schema id that this process does not know."""

    def __init__(self, schema_id: int, message: str | None = None) -> None:
        super().__init__(
            message
            or f"the Compact schema with id {schema_id} is unknown here, and to the cluster when it was asked (data "
            f"must not reach the cluster before its schema)"
        )
        self.schema_id = schema_id


class RecordReader:
    """Opens compact values as lazily read GenericRecords, looking their schemas up by id."""

    __slots__ = ("codecs", "_lookup")

    def __init__(self, codecs: KindCodecs, lookup: SchemaLookup) -> None:
        self.codecs = codecs
        self._lookup = lookup

    def open(self, data: bytes, position: int) -> DefaultCompactReader:
        """The reader of the value whose schema id is at ``position``."""
        schema_id: int = self.codecs.unpack_int64(data, position)[0]
        schema = self._lookup(schema_id)
        if schema is None:
            raise SchemaNotFoundError(schema_id)
        return DefaultCompactReader(self, data, position + 8, schema)

    def read_nested(self, data: bytes, position: int) -> CompactGenericRecord:
        return CompactGenericRecord._from_reader(self.open(data, position))


def read_compact_record(
    payload: bytes, offset: int, schema_lookup: Callable[[int], Schema | None], big_endian: bool = True
) -> CompactGenericRecord:
    """Open the Compact value whose schema id is at ``offset`` of ``payload`` (8 for a whole serialized object).

    ``schema_lookup(schema_id)`` gives the schema of an id, or None when it is unknown; nested values look
    their schemas up the same way when they are read. ``big_endian`` is the payload byte order
    (``Config.is_big_endian`` of the writer).

    Raises:
        HazelcastSerializationError: the schema is unknown (``SchemaNotFoundError``) or the data is malformed.
    """
    try:
        reader = RecordReader(kind_codecs(big_endian), schema_lookup).open(payload, offset)
        return CompactGenericRecord._from_reader(reader)
    except HazelcastSerializationError:
        raise
    except _DECODE_ERRORS as error:
        raise HazelcastSerializationError(f"malformed Compact data at offset {offset}: {error}") from error


class CompactGenericRecord(GenericRecord):
    """A Compact value's fields by name: read lazily from serialized data, or built by ``GenericRecordBuilder``."""

    __slots__ = ("_schema", "_values", "_reader")

    def __init__(self, schema: Schema, values: dict[str, Any]) -> None:
        """A record of ``schema`` with every field's value in ``values`` (use ``GenericRecordBuilder``)."""
        self._schema = schema
        self._values = values
        self._reader: DefaultCompactReader | None = None

    @classmethod
    def _from_reader(cls, reader: DefaultCompactReader) -> CompactGenericRecord:
        record = cls(reader.schema, {})
        record._reader = reader
        return record

    @property
    def schema(self) -> Schema:
        """The schema of the record (its type name, fields and schema id)."""
        return self._schema

    def get_type_name(self) -> str:
        return self._schema.type_name

    def get_field_names(self) -> list[str]:
        return [f.name for f in self._schema.fields]

    def get_field_kind(self, field_name: str) -> FieldKind:
        layout = self._schema.layouts.get(field_name)
        return K.NOT_AVAILABLE if layout is None else layout.kind

    def get(self, field_name: str) -> Any:
        try:
            return self._values[field_name]
        except KeyError:
            pass
        layout = self._schema.layouts.get(field_name)
        if layout is None:
            raise HazelcastSerializationError(f"{self._schema.type_name!r} has no field named {field_name!r}")
        reader = self._reader
        if reader is None:
            raise HazelcastSerializationError(f"field {field_name!r} of {self._schema.type_name!r} was never set")
        try:
            value = reader.value(layout)
        except HazelcastSerializationError:
            raise
        except _DECODE_ERRORS as error:
            raise HazelcastSerializationError(
                f"malformed Compact data in field {field_name!r} of {self._schema.type_name!r}: {error}"
            ) from error
        self._values[field_name] = value
        return value

    def to_dict(self) -> dict[str, Any]:
        """Every field's value by name (nested records stay records)."""
        return {f.name: self.get(f.name) for f in self._schema.fields}

    def new_builder(self) -> GenericRecordBuilder:
        """A builder of another record of this schema; every field must be set before ``build``."""
        return GenericRecordBuilder._bound(self._schema, {}, clone=False)

    def new_builder_with_clone(self) -> GenericRecordBuilder:
        """A builder of a copy of this record; each field may be set (once) to a new value before ``build``."""
        return GenericRecordBuilder._bound(self._schema, self.to_dict(), clone=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompactGenericRecord):
            return NotImplemented
        return self._schema == other._schema and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.to_dict().items())
        return f"CompactGenericRecord({self._schema.type_name!r}, {fields})"


class GenericRecordBuilder:
    """Builds a ``CompactGenericRecord`` field by field; every setter returns the builder.

    ``GenericRecordBuilder.compact(type_name)`` (or the constructor) starts a record of a new schema made of the
    fields set, in any order, each once. ``CompactGenericRecord.new_builder()`` and ``new_builder_with_clone()``
    give builders bound to an existing schema, which accept only its fields with their kinds.
    """

    __slots__ = ("_type_name", "_schema", "_values", "_kinds", "_set_once", "_clone")

    def __init__(self, type_name: str) -> None:
        self._type_name = type_name
        self._schema: Schema | None = None
        self._values: dict[str, Any] = {}
        self._kinds: dict[str, FieldKind] = {}
        self._set_once: set[str] = set()
        self._clone = False

    @classmethod
    def compact(cls, type_name: str) -> GenericRecordBuilder:
        """A builder of a compact record of a new schema named ``type_name``."""
        return cls(type_name)

    @classmethod
    def _bound(cls, schema: Schema, values: dict[str, Any], clone: bool) -> GenericRecordBuilder:
        builder = cls(schema.type_name)
        builder._schema = schema
        builder._values = values
        builder._kinds = {f.name: f.kind for f in schema.fields}
        builder._clone = clone
        return builder

    def _set(self, field_name: str, kind: FieldKind, value: Any) -> GenericRecordBuilder:
        if field_name in self._set_once:
            raise HazelcastSerializationError(f"field {field_name!r} was already set on this builder")
        if self._schema is not None:
            expected = self._kinds.get(field_name)
            if expected is None:
                raise HazelcastSerializationError(
                    f"the schema of {self._type_name!r} has no field named {field_name!r}"
                )
            if expected != kind:
                raise HazelcastSerializationError(
                    f"field {field_name!r} of {self._type_name!r} is {expected.name}, not {kind.name}"
                )
        _check_value(field_name, kind, value)
        self._set_once.add(field_name)
        self._kinds[field_name] = kind
        self._values[field_name] = value
        return self

    def build(self) -> CompactGenericRecord:
        """The record; the builder may not be used afterwards for another record of a new schema.

        Raises:
            HazelcastSerializationError: a builder bound to a schema was not given every field.
        """
        if self._schema is None:
            schema = Schema(self._type_name, [FieldDescriptor(name, kind) for name, kind in self._kinds.items()])
            return CompactGenericRecord(schema, dict(self._values))
        if not self._clone:
            missing = [f.name for f in self._schema.fields if f.name not in self._values]
            if missing:
                raise HazelcastSerializationError(
                    f"fields {', '.join(map(repr, missing))} of {self._type_name!r} were not set"
                )
        return CompactGenericRecord(self._schema, dict(self._values))

    def set_boolean(self, field_name: str, value: bool) -> GenericRecordBuilder:
        return self._set(field_name, K.BOOLEAN, value)

    def set_nullable_boolean(self, field_name: str, value: bool | None) -> GenericRecordBuilder:
        return self._set(field_name, K.NULLABLE_BOOLEAN, value)

    def set_int8(self, field_name: str, value: int) -> GenericRecordBuilder:
        return self._set(field_name, K.INT8, value)

    def set_nullable_int8(self, field_name: str, value: int | None) -> GenericRecordBuilder:
        return self._set(field_name, K.NULLABLE_INT8, value)

    def set_int16(self, field_name: str, value: int) -> GenericRecordBuilder:
        return self._set(field_name, K.INT16, value)

    def set_nullable_int16(self, field_name: str, value: int | None) -> GenericRecordBuilder:
        return self._set(field_name, K.NULLABLE_INT16, value)

    def set_int32(self, field_name: str, value: int) -> GenericRecordBuilder:
        return self._set(field_name, K.INT32, value)

    def set_nullable_int32(self, field_name: str, value: int | None) -> GenericRecordBuilder:
        return self._set(field_name, K.NULLABLE_INT32, value)

    def set_int64(self, field_name: str, value: int) -> GenericRecordBuilder:
        return self._set(field_name, K.INT64, value)

    def set_nullable_int64(self, field_name: str, value: int | None) -> GenericRecordBuilder:
        return self._set(field_name, K.NULLABLE_INT64, value)

    def set_float32(self, field_name: str, value: float) -> GenericRecordBuilder:
        return self._set(field_name, K.FLOAT32, value)

    def set_nullable_float32(self, field_name: str, value: float | None) -> GenericRecordBuilder:
        return self._set(field_name, K.NULLABLE_FLOAT32, value)

    def set_float64(self, field_name: str, value: float) -> GenericRecordBuilder:
        return self._set(field_name, K.FLOAT64, value)

    def set_nullable_float64(self, field_name: str, value: float | None) -> GenericRecordBuilder:
        return self._set(field_name, K.NULLABLE_FLOAT64, value)

    def set_string(self, field_name: str, value: str | None) -> GenericRecordBuilder:
        return self._set(field_name, K.STRING, value)

    def set_decimal(self, field_name: str, value: decimal.Decimal | None) -> GenericRecordBuilder:
        return self._set(field_name, K.DECIMAL, value)

    def set_time(self, field_name: str, value: datetime.time | None) -> GenericRecordBuilder:
        return self._set(field_name, K.TIME, value)

    def set_date(self, field_name: str, value: datetime.date | None) -> GenericRecordBuilder:
        return self._set(field_name, K.DATE, value)

    def set_timestamp(self, field_name: str, value: datetime.datetime | None) -> GenericRecordBuilder:
        return self._set(field_name, K.TIMESTAMP, value)

    def set_timestamp_with_timezone(self, field_name: str, value: datetime.datetime | None) -> GenericRecordBuilder:
        return self._set(field_name, K.TIMESTAMP_WITH_TIMEZONE, value)

    def set_generic_record(self, field_name: str, value: CompactGenericRecord | None) -> GenericRecordBuilder:
        return self._set(field_name, K.COMPACT, value)

    def set_array_of_boolean(self, field_name: str, value: list[bool] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_BOOLEAN, value)

    def set_array_of_nullable_boolean(self, field_name: str, value: list[bool | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_NULLABLE_BOOLEAN, value)

    def set_array_of_int8(self, field_name: str, value: list[int] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_INT8, value)

    def set_array_of_nullable_int8(self, field_name: str, value: list[int | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_NULLABLE_INT8, value)

    def set_array_of_int16(self, field_name: str, value: list[int] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_INT16, value)

    def set_array_of_nullable_int16(self, field_name: str, value: list[int | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_NULLABLE_INT16, value)

    def set_array_of_int32(self, field_name: str, value: list[int] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_INT32, value)

    def set_array_of_nullable_int32(self, field_name: str, value: list[int | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_NULLABLE_INT32, value)

    def set_array_of_int64(self, field_name: str, value: list[int] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_INT64, value)

    def set_array_of_nullable_int64(self, field_name: str, value: list[int | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_NULLABLE_INT64, value)

    def set_array_of_float32(self, field_name: str, value: list[float] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_FLOAT32, value)

    def set_array_of_nullable_float32(self, field_name: str, value: list[float | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_NULLABLE_FLOAT32, value)

    def set_array_of_float64(self, field_name: str, value: list[float] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_FLOAT64, value)

    def set_array_of_nullable_float64(self, field_name: str, value: list[float | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_NULLABLE_FLOAT64, value)

    def set_array_of_string(self, field_name: str, value: list[str | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_STRING, value)

    def set_array_of_decimal(self, field_name: str, value: list[decimal.Decimal | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_DECIMAL, value)

    def set_array_of_time(self, field_name: str, value: list[datetime.time | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_TIME, value)

    def set_array_of_date(self, field_name: str, value: list[datetime.date | None] | None) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_DATE, value)

    def set_array_of_timestamp(
        self, field_name: str, value: list[datetime.datetime | None] | None
    ) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_TIMESTAMP, value)

    def set_array_of_timestamp_with_timezone(
        self, field_name: str, value: list[datetime.datetime | None] | None
    ) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE, value)

    def set_array_of_generic_record(
        self, field_name: str, value: list[CompactGenericRecord | None] | None
    ) -> GenericRecordBuilder:
        return self._set(field_name, K.ARRAY_OF_COMPACT, value)


_ARRAY_KINDS = frozenset(kind for kind in K if kind.name.startswith("ARRAY_OF_"))
_ARRAY_ITEM_NON_NULL = {
    K.ARRAY_OF_BOOLEAN,
    K.ARRAY_OF_INT8,
    K.ARRAY_OF_INT16,
    K.ARRAY_OF_INT32,
    K.ARRAY_OF_INT64,
    K.ARRAY_OF_FLOAT32,
    K.ARRAY_OF_FLOAT64,
}


def _check_value(field_name: str, kind: FieldKind, value: Any) -> None:
    """Reject values that could never be written, at the setter rather than at serialization."""
    if value is None:
        if kind in FIXED_SIZES:
            raise HazelcastSerializationError(
                f"field {field_name!r} of kind {kind.name} cannot be None; use the nullable kind"
            )
        return
    if kind in _ARRAY_KINDS and (isinstance(value, str) or not isinstance(value, Sequence)):
        raise HazelcastSerializationError(
            f"array field {field_name!r} of kind {kind.name} takes a list, not {type(value).__qualname__}"
        )
    if kind == K.COMPACT and not isinstance(value, CompactGenericRecord):
        raise HazelcastSerializationError(f"field {field_name!r} takes a compact GenericRecord, not {type(value)!r}")
    if kind == K.ARRAY_OF_COMPACT and not all(item is None or isinstance(item, CompactGenericRecord) for item in value):
        raise HazelcastSerializationError(f"field {field_name!r} takes compact GenericRecords only")
    if kind in _ARRAY_ITEM_NON_NULL and any(item is None for item in value):
        raise HazelcastSerializationError(
            f"array field {field_name!r} of kind {kind.name} cannot hold None items; use the nullable kind"
        )
