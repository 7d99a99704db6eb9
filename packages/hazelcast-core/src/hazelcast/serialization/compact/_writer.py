"""The ``CompactWriter``s: one that writes a value's binary form, one that learns a class's schema.

Writing a value takes the schema of its class: a first ``SchemaWriter`` pass over the user's ``write``
records each field's name and kind (once per class), then ``DefaultCompactWriter`` writes straight into the
output ``bytearray``: fixed-size fields into the zeroed fixed section at their offsets, variable-size fields
appended after it, their offsets collected for the table that ends the value.
"""

from __future__ import annotations

import datetime
import decimal
import struct
from collections.abc import Sequence
from typing import Any, Protocol

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.compact._codecs import NULL_OFFSET, KindCodecs
from hazelcast.serialization.compact.api import CompactWriter
from hazelcast.serialization.compact.schema import FieldDescriptor, FieldLayout, Schema
from hazelcast.serialization.field_kind import FieldKind

__all__ = ["DefaultCompactWriter", "NestedWriter", "SchemaWriter"]

K = FieldKind
_DATA_LENGTH_PLACEHOLDER = b"\x00\x00\x00\x00"
_BAD_VALUE_ERRORS = (struct.error, TypeError, ValueError, AttributeError, OverflowError)


class NestedWriter(Protocol):
    """Writes nested compact values (schema id and fields) for the writer."""

    codecs: KindCodecs

    def append_nested(self, buf: bytearray, value: Any) -> None: ...

    def append_nested_array(self, buf: bytearray, values: Sequence[Any]) -> None: ...


class DefaultCompactWriter(CompactWriter):
    """Writes one value of ``schema`` at the end of ``buf``; call ``finish`` after the last field."""

    __slots__ = ("_nested", "_codecs", "_buf", "_schema", "_layouts", "_start", "_offsets")

    def __init__(self, nested: NestedWriter, buf: bytearray, schema: Schema) -> None:
        self._nested = nested
        self._codecs = nested.codecs
        self._buf = buf
        self._schema = schema
        self._layouts = schema.layouts
        if schema.var_count:
            buf += _DATA_LENGTH_PLACEHOLDER
        self._start = len(buf)
        buf += schema.fixed_zeros
        self._offsets = [NULL_OFFSET] * schema.var_count

    def finish(self) -> None:
        """Write the offset table and the data length (values with variable-size fields only)."""
        if self._schema.var_count:
            buf = self._buf
            start = self._start
            data_length = len(buf) - start
            self._codecs.append_offsets(buf, data_length, self._offsets)
            self._codecs.pack_int32_into(buf, start - 4, data_length)

    def write_field(self, field_name: str, kind: FieldKind, value: Any) -> None:
        """Write a field of any kind (GenericRecords write their fields through this)."""
        if kind == K.BOOLEAN:
            self._boolean(field_name, value)
        elif kind in self._codecs.fixed_pack:
            self._fixed(field_name, kind, value)
        else:
            self._var(field_name, kind, value)

    def _layout(self, field_name: str, kind: FieldKind) -> FieldLayout:
        layout = self._layouts.get(field_name)
        if layout is None:
            raise HazelcastSerializationError(
                f"there is no field named {field_name!r} in the schema of {self._schema.type_name!r}: a serializer "
                f"must write the same fields for every object of its class"
            )
        if layout.kind != kind:
            raise HazelcastSerializationError(
                f"field {field_name!r} of {self._schema.type_name!r} is {layout.kind.name} in its schema; it cannot "
                f"be written as {kind.name}"
            )
        return layout

    def _bad_value(self, field_name: str, kind: FieldKind, value: Any, error: Exception) -> HazelcastSerializationError:
        return HazelcastSerializationError(
            f"cannot write {type(value).__name__} {value!r:.80} as {kind.name} field {field_name!r} of "
            f"{self._schema.type_name!r}: {error}"
        )

    def _boolean(self, field_name: str, value: bool) -> None:
        layout = self._layout(field_name, K.BOOLEAN)
        if value:
            self._buf[self._start + layout.offset] |= 1 << layout.bit

    def _fixed(self, field_name: str, kind: FieldKind, value: Any) -> None:
        layout = self._layout(field_name, kind)
        try:
            self._codecs.fixed_pack[kind](self._buf, self._start + layout.offset, value)
        except _BAD_VALUE_ERRORS as error:
            raise self._bad_value(field_name, kind, value, error) from error

    def _var(self, field_name: str, kind: FieldKind, value: Any) -> None:
        layout = self._layout(field_name, kind)
        if value is None:
            self._offsets[layout.index] = NULL_OFFSET
            return
        buf = self._buf
        self._offsets[layout.index] = len(buf) - self._start
        append = self._codecs.append.get(kind)
        try:
            if append is not None:
                append(buf, value)
            elif kind == K.COMPACT:
                self._nested.append_nested(buf, value)
            else:
                self._nested.append_nested_array(buf, value)
        except HazelcastSerializationError:
            raise
        except _BAD_VALUE_ERRORS as error:
            raise self._bad_value(field_name, kind, value, error) from error

    # -- CompactWriter ---------------------------------------------------------------------------------------------

    def write_boolean(self, field_name: str, value: bool) -> None:
        self._boolean(field_name, value)

    def write_nullable_boolean(self, field_name: str, value: bool | None) -> None:
        self._var(field_name, K.NULLABLE_BOOLEAN, value)

    def write_int8(self, field_name: str, value: int) -> None:
        self._fixed(field_name, K.INT8, value)

    def write_nullable_int8(self, field_name: str, value: int | None) -> None:
        self._var(field_name, K.NULLABLE_INT8, value)

    def write_int16(self, field_name: str, value: int) -> None:
        self._fixed(field_name, K.INT16, value)

    def write_nullable_int16(self, field_name: str, value: int | None) -> None:
        self._var(field_name, K.NULLABLE_INT16, value)

    def write_int32(self, field_name: str, value: int) -> None:
        self._fixed(field_name, K.INT32, value)

    def write_nullable_int32(self, field_name: str, value: int | None) -> None:
        self._var(field_name, K.NULLABLE_INT32, value)

    def write_int64(self, field_name: str, value: int) -> None:
        self._fixed(field_name, K.INT64, value)

    def write_nullable_int64(self, field_name: str, value: int | None) -> None:
        self._var(field_name, K.NULLABLE_INT64, value)

    def write_float32(self, field_name: str, value: float) -> None:
        self._fixed(field_name, K.FLOAT32, value)

    def write_nullable_float32(self, field_name: str, value: float | None) -> None:
        self._var(field_name, K.NULLABLE_FLOAT32, value)

    def write_float64(self, field_name: str, value: float) -> None:
        self._fixed(field_name, K.FLOAT64, value)

    def write_nullable_float64(self, field_name: str, value: float | None) -> None:
        self._var(field_name, K.NULLABLE_FLOAT64, value)

    def write_string(self, field_name: str, value: str | None) -> None:
        self._var(field_name, K.STRING, value)

    def write_decimal(self, field_name: str, value: decimal.Decimal | None) -> None:
        self._var(field_name, K.DECIMAL, value)

    def write_time(self, field_name: str, value: datetime.time | None) -> None:
        self._var(field_name, K.TIME, value)

    def write_date(self, field_name: str, value: datetime.date | None) -> None:
        self._var(field_name, K.DATE, value)

    def write_timestamp(self, field_name: str, value: datetime.datetime | None) -> None:
        self._var(field_name, K.TIMESTAMP, value)

    def write_timestamp_with_timezone(self, field_name: str, value: datetime.datetime | None) -> None:
        self._var(field_name, K.TIMESTAMP_WITH_TIMEZONE, value)

    def write_compact(self, field_name: str, value: Any) -> None:
        self._var(field_name, K.COMPACT, value)

    def write_array_of_boolean(self, field_name: str, value: list[bool] | None) -> None:
        self._var(field_name, K.ARRAY_OF_BOOLEAN, value)

    def write_array_of_nullable_boolean(self, field_name: str, value: list[bool | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_NULLABLE_BOOLEAN, value)

    def write_array_of_int8(self, field_name: str, value: list[int] | None) -> None:
        self._var(field_name, K.ARRAY_OF_INT8, value)

    def write_array_of_nullable_int8(self, field_name: str, value: list[int | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_NULLABLE_INT8, value)

    def write_array_of_int16(self, field_name: str, value: list[int] | None) -> None:
        self._var(field_name, K.ARRAY_OF_INT16, value)

    def write_array_of_nullable_int16(self, field_name: str, value: list[int | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_NULLABLE_INT16, value)

    def write_array_of_int32(self, field_name: str, value: list[int] | None) -> None:
        self._var(field_name, K.ARRAY_OF_INT32, value)

    def write_array_of_nullable_int32(self, field_name: str, value: list[int | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_NULLABLE_INT32, value)

    def write_array_of_int64(self, field_name: str, value: list[int] | None) -> None:
        self._var(field_name, K.ARRAY_OF_INT64, value)

    def write_array_of_nullable_int64(self, field_name: str, value: list[int | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_NULLABLE_INT64, value)

    def write_array_of_float32(self, field_name: str, value: list[float] | None) -> None:
        self._var(field_name, K.ARRAY_OF_FLOAT32, value)

    def write_array_of_nullable_float32(self, field_name: str, value: list[float | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_NULLABLE_FLOAT32, value)

    def write_array_of_float64(self, field_name: str, value: list[float] | None) -> None:
        self._var(field_name, K.ARRAY_OF_FLOAT64, value)

    def write_array_of_nullable_float64(self, field_name: str, value: list[float | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_NULLABLE_FLOAT64, value)

    def write_array_of_string(self, field_name: str, value: list[str | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_STRING, value)

    def write_array_of_decimal(self, field_name: str, value: list[decimal.Decimal | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_DECIMAL, value)

    def write_array_of_time(self, field_name: str, value: list[datetime.time | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_TIME, value)

    def write_array_of_date(self, field_name: str, value: list[datetime.date | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_DATE, value)

    def write_array_of_timestamp(self, field_name: str, value: list[datetime.datetime | None] | None) -> None:
        self._var(field_name, K.ARRAY_OF_TIMESTAMP, value)

    def write_array_of_timestamp_with_timezone(
        self, field_name: str, value: list[datetime.datetime | None] | None
    ) -> None:
        self._var(field_name, K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE, value)

    def write_array_of_compact(self, field_name: str, value: list[Any] | None) -> None:
        self._var(field_name, K.ARRAY_OF_COMPACT, value)


class SchemaWriter(CompactWriter):
    """Records the name and kind of every field a serializer writes, to build the schema of its class."""

    __slots__ = ("_type_name", "_fields")

    def __init__(self, type_name: str) -> None:
        self._type_name = type_name
        self._fields: dict[str, FieldDescriptor] = {}

    def build(self) -> Schema:
        return Schema(self._type_name, list(self._fields.values()))

    def _add(self, field_name: str, kind: FieldKind) -> None:
        if field_name in self._fields:
            raise HazelcastSerializationError(
                f"the serializer of {self._type_name!r} writes the field {field_name!r} twice"
            )
        self._fields[field_name] = FieldDescriptor(field_name, kind)

    def write_boolean(self, field_name: str, value: bool) -> None:
        self._add(field_name, K.BOOLEAN)

    def write_nullable_boolean(self, field_name: str, value: bool | None) -> None:
        self._add(field_name, K.NULLABLE_BOOLEAN)

    def write_int8(self, field_name: str, value: int) -> None:
        self._add(field_name, K.INT8)

    def write_nullable_int8(self, field_name: str, value: int | None) -> None:
        self._add(field_name, K.NULLABLE_INT8)

    def write_int16(self, field_name: str, value: int) -> None:
        self._add(field_name, K.INT16)

    def write_nullable_int16(self, field_name: str, value: int | None) -> None:
        self._add(field_name, K.NULLABLE_INT16)

    def write_int32(self, field_name: str, value: int) -> None:
        self._add(field_name, K.INT32)

    def write_nullable_int32(self, field_name: str, value: int | None) -> None:
        self._add(field_name, K.NULLABLE_INT32)

    def write_int64(self, field_name: str, value: int) -> None:
        self._add(field_name, K.INT64)

    def write_nullable_int64(self, field_name: str, value: int | None) -> None:
        self._add(field_name, K.NULLABLE_INT64)

    def write_float32(self, field_name: str, value: float) -> None:
        self._add(field_name, K.FLOAT32)

    def write_nullable_float32(self, field_name: str, value: float | None) -> None:
        self._add(field_name, K.NULLABLE_FLOAT32)

    def write_float64(self, field_name: str, value: float) -> None:
        self._add(field_name, K.FLOAT64)

    def write_nullable_float64(self, field_name: str, value: float | None) -> None:
        self._add(field_name, K.NULLABLE_FLOAT64)

    def write_string(self, field_name: str, value: str | None) -> None:
        self._add(field_name, K.STRING)

    def write_decimal(self, field_name: str, value: decimal.Decimal | None) -> None:
        self._add(field_name, K.DECIMAL)

    def write_time(self, field_name: str, value: datetime.time | None) -> None:
        self._add(field_name, K.TIME)

    def write_date(self, field_name: str, value: datetime.date | None) -> None:
        self._add(field_name, K.DATE)

    def write_timestamp(self, field_name: str, value: datetime.datetime | None) -> None:
        self._add(field_name, K.TIMESTAMP)

    def write_timestamp_with_timezone(self, field_name: str, value: datetime.datetime | None) -> None:
        self._add(field_name, K.TIMESTAMP_WITH_TIMEZONE)

    def write_compact(self, field_name: str, value: Any) -> None:
        self._add(field_name, K.COMPACT)

    def write_array_of_boolean(self, field_name: str, value: list[bool] | None) -> None:
        self._add(field_name, K.ARRAY_OF_BOOLEAN)

    def write_array_of_nullable_boolean(self, field_name: str, value: list[bool | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_NULLABLE_BOOLEAN)

    def write_array_of_int8(self, field_name: str, value: list[int] | None) -> None:
        self._add(field_name, K.ARRAY_OF_INT8)

    def write_array_of_nullable_int8(self, field_name: str, value: list[int | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_NULLABLE_INT8)

    def write_array_of_int16(self, field_name: str, value: list[int] | None) -> None:
        self._add(field_name, K.ARRAY_OF_INT16)

    def write_array_of_nullable_int16(self, field_name: str, value: list[int | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_NULLABLE_INT16)

    def write_array_of_int32(self, field_name: str, value: list[int] | None) -> None:
        self._add(field_name, K.ARRAY_OF_INT32)

    def write_array_of_nullable_int32(self, field_name: str, value: list[int | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_NULLABLE_INT32)

    def write_array_of_int64(self, field_name: str, value: list[int] | None) -> None:
        self._add(field_name, K.ARRAY_OF_INT64)

    def write_array_of_nullable_int64(self, field_name: str, value: list[int | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_NULLABLE_INT64)

    def write_array_of_float32(self, field_name: str, value: list[float] | None) -> None:
        self._add(field_name, K.ARRAY_OF_FLOAT32)

    def write_array_of_nullable_float32(self, field_name: str, value: list[float | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_NULLABLE_FLOAT32)

    def write_array_of_float64(self, field_name: str, value: list[float] | None) -> None:
        self._add(field_name, K.ARRAY_OF_FLOAT64)

    def write_array_of_nullable_float64(self, field_name: str, value: list[float | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_NULLABLE_FLOAT64)

    def write_array_of_string(self, field_name: str, value: list[str | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_STRING)

    def write_array_of_decimal(self, field_name: str, value: list[decimal.Decimal | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_DECIMAL)

    def write_array_of_time(self, field_name: str, value: list[datetime.time | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_TIME)

    def write_array_of_date(self, field_name: str, value: list[datetime.date | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_DATE)

    def write_array_of_timestamp(self, field_name: str, value: list[datetime.datetime | None] | None) -> None:
        self._add(field_name, K.ARRAY_OF_TIMESTAMP)

    def write_array_of_timestamp_with_timezone(
        self, field_name: str, value: list[datetime.datetime | None] | None
    ) -> None:
        self._add(field_name, K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE)

    def write_array_of_compact(self, field_name: str, value: list[Any] | None) -> None:
        self._add(field_name, K.ARRAY_OF_COMPACT)
