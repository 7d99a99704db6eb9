"""The ``CompactReader`` over a serialized Compact value: reads fields where the schema's layout puts them.

Nothing is read until asked for: opening a value finds its fixed section and offset table, and each read
decodes one field. The reader is shared by user serializers (``CompactSerializer.read``) and by
GenericRecords, which differ only in what a nested compact value becomes; that is the ``NestedReader``'s
business.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any, Protocol

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.compact._codecs import NULL_OFFSET, KindCodecs, OffsetReader
from hazelcast.serialization.compact.api import CompactReader
from hazelcast.serialization.compact.schema import FieldLayout, Schema
from hazelcast.serialization.field_kind import FieldKind

__all__ = ["DefaultCompactReader", "NestedReader"]

K = FieldKind


class NestedReader(Protocol):
    """Turns a nested compact value (its schema id at ``position``) into a Python value."""

    codecs: KindCodecs

    def read_nested(self, data: bytes, position: int) -> Any: ...


class DefaultCompactReader(CompactReader):
    """Reads the fields of the value whose schema id ends at ``position`` of ``data`` (see ``open``)."""

    __slots__ = ("_nested", "_codecs", "_data", "schema", "_layouts", "_start", "_table", "_offset_at", "end")

    def __init__(self, nested: NestedReader, data: bytes, position: int, schema: Schema) -> None:
        codecs = nested.codecs
        self._nested = nested
        self._codecs = codecs
        self._data = data
        self.schema = schema
        self._layouts = schema.layouts
        if schema.var_count:
            data_length = codecs.unpack_int32(data, position)[0]
            if data_length < schema.fixed_size:
                raise EOFError(f"a {schema.type_name!r} value at offset {position} has data length {data_length}")
            start = position + 4
            self._table = start + data_length
            self._offset_at: OffsetReader | None = codecs.offset_reader(data_length)
            #: Offset just past the value (where whatever follows it starts).
            self.end = self._table + codecs.offset_table_size(data_length, schema.var_count)
        else:
            start = position
            self._table = 0
            self._offset_at = None
            self.end = start + schema.fixed_size
        self._start = start
        if self.end > len(data):
            raise EOFError(
                f"a {schema.type_name!r} value at offset {position} overruns the {len(data)}-byte buffer"
            )

    def get_field_kind(self, field_name: str) -> FieldKind:
        layout = self._layouts.get(field_name)
        return K.NOT_AVAILABLE if layout is None else layout.kind

    # -- decoding ----------------------------------------------------------------------------------------------------

    def value(self, layout: FieldLayout) -> Any:
        """The value of a field of this value's schema, whatever its kind."""
        kind = layout.kind
        data = self._data
        if layout.index < 0:
            position = self._start + layout.offset
            if kind == K.BOOLEAN:
                return (data[position] >> layout.bit) & 1 == 1
            return self._codecs.fixed_unpack[kind](data, position)[0]
        assert self._offset_at is not None
        offset = self._offset_at(data, self._table, layout.index)
        if offset == NULL_OFFSET:
            return None
        position = self._start + offset
        decode = self._codecs.decode.get(kind)
        if decode is not None:
            return decode(data, position)
        if kind == K.COMPACT:
            return self._nested.read_nested(data, position)
        return self._codecs.decode_items(data, position, self._nested.read_nested)

    def _layout(self, field_name: str, kind: FieldKind, other: FieldKind | None = None) -> FieldLayout:
        layout = self._layouts.get(field_name)
        if layout is None:
            raise HazelcastSerializationError(
                f"there is no field named {field_name!r} in the schema of {self.schema.type_name!r}"
            )
        if layout.kind != kind and layout.kind != other:
            raise HazelcastSerializationError(
                f"field {field_name!r} of {self.schema.type_name!r} is {layout.kind.name}, not {kind.name}"
            )
        return layout

    def _exact(self, field_name: str, kind: FieldKind) -> Any:
        return self.value(self._layout(field_name, kind))

    def _either(self, field_name: str, kind: FieldKind, other: FieldKind) -> Any:
        return self.value(self._layout(field_name, kind, other))

    def _non_null(self, field_name: str, kind: FieldKind, nullable: FieldKind) -> Any:
        value = self.value(self._layout(field_name, kind, nullable))
        if value is None:
            raise HazelcastSerializationError(
                f"field {field_name!r} of {self.schema.type_name!r} is None; read it with "
                f"read_nullable_{kind.name.lower()}"
            )
        return value

    def _items_non_null(self, field_name: str, kind: FieldKind, nullable: FieldKind) -> Any:
        layout = self._layout(field_name, kind, nullable)
        value = self.value(layout)
        if layout.kind == nullable and value is not None and None in value:
            raise HazelcastSerializationError(
                f"array field {field_name!r} of {self.schema.type_name!r} holds None items; read it with "
                f"read_{nullable.name.lower()}"
            )
        return value

    # -- CompactReader ---------------------------------------------------------------------------------------------
    # A field's Python type follows from its kind, checked at run time: each reader declares the type on a local
    # (free at run time, where typing.cast would cost a call on every read).

    def read_boolean(self, field_name: str) -> bool:
        value: bool = self._non_null(field_name, K.BOOLEAN, K.NULLABLE_BOOLEAN)
        return value

    def read_nullable_boolean(self, field_name: str) -> bool | None:
        value: bool | None = self._either(field_name, K.NULLABLE_BOOLEAN, K.BOOLEAN)
        return value

    def read_int8(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT8, K.NULLABLE_INT8)
        return value

    def read_nullable_int8(self, field_name: str) -> int | None:
        value: int | None = self._either(field_name, K.NULLABLE_INT8, K.INT8)
        return value

    def read_int16(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT16, K.NULLABLE_INT16)
        return value

    def read_nullable_int16(self, field_name: str) -> int | None:
        value: int | None = self._either(field_name, K.NULLABLE_INT16, K.INT16)
        return value

    def read_int32(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT32, K.NULLABLE_INT32)
        return value

    def read_nullable_int32(self, field_name: str) -> int | None:
        value: int | None = self._either(field_name, K.NULLABLE_INT32, K.INT32)
        return value

    def read_int64(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT64, K.NULLABLE_INT64)
        return value

    def read_nullable_int64(self, field_name: str) -> int | None:
        value: int | None = self._either(field_name, K.NULLABLE_INT64, K.INT64)
        return value

    def read_float32(self, field_name: str) -> float:
        value: float = self._non_null(field_name, K.FLOAT32, K.NULLABLE_FLOAT32)
        return value

    def read_nullable_float32(self, field_name: str) -> float | None:
        value: float | None = self._either(field_name, K.NULLABLE_FLOAT32, K.FLOAT32)
        return value

    def read_float64(self, field_name: str) -> float:
        value: float = self._non_null(field_name, K.FLOAT64, K.NULLABLE_FLOAT64)
        return value

    def read_nullable_float64(self, field_name: str) -> float | None:
        value: float | None = self._either(field_name, K.NULLABLE_FLOAT64, K.FLOAT64)
        return value

    def read_string(self, field_name: str) -> str | None:
        value: str | None = self._exact(field_name, K.STRING)
        return value

    def read_decimal(self, field_name: str) -> decimal.Decimal | None:
        value: decimal.Decimal | None = self._exact(field_name, K.DECIMAL)
        return value

    def read_time(self, field_name: str) -> datetime.time | None:
        value: datetime.time | None = self._exact(field_name, K.TIME)
        return value

    def read_date(self, field_name: str) -> datetime.date | None:
        value: datetime.date | None = self._exact(field_name, K.DATE)
        return value

    def read_timestamp(self, field_name: str) -> datetime.datetime | None:
        value: datetime.datetime | None = self._exact(field_name, K.TIMESTAMP)
        return value

    def read_timestamp_with_timezone(self, field_name: str) -> datetime.datetime | None:
        value: datetime.datetime | None = self._exact(field_name, K.TIMESTAMP_WITH_TIMEZONE)
        return value

    def read_compact(self, field_name: str) -> Any:
        return self._exact(field_name, K.COMPACT)

    def read_array_of_boolean(self, field_name: str) -> list[bool] | None:
        value: list[bool] | None = self._items_non_null(field_name, K.ARRAY_OF_BOOLEAN, K.ARRAY_OF_NULLABLE_BOOLEAN)
        return value

    def read_array_of_nullable_boolean(self, field_name: str) -> list[bool | None] | None:
        value: list[bool | None] | None = self._either(field_name, K.ARRAY_OF_NULLABLE_BOOLEAN, K.ARRAY_OF_BOOLEAN)
        return value

    def read_array_of_int8(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(field_name, K.ARRAY_OF_INT8, K.ARRAY_OF_NULLABLE_INT8)
        return value

    def read_array_of_nullable_int8(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._either(field_name, K.ARRAY_OF_NULLABLE_INT8, K.ARRAY_OF_INT8)
        return value

    def read_array_of_int16(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(field_name, K.ARRAY_OF_INT16, K.ARRAY_OF_NULLABLE_INT16)
        return value

    def read_array_of_nullable_int16(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._either(field_name, K.ARRAY_OF_NULLABLE_INT16, K.ARRAY_OF_INT16)
        return value

    def read_array_of_int32(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(field_name, K.ARRAY_OF_INT32, K.ARRAY_OF_NULLABLE_INT32)
        return value

    def read_array_of_nullable_int32(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._either(field_name, K.ARRAY_OF_NULLABLE_INT32, K.ARRAY_OF_INT32)
        return value

    def read_array_of_int64(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(field_name, K.ARRAY_OF_INT64, K.ARRAY_OF_NULLABLE_INT64)
        return value

    def read_array_of_nullable_int64(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._either(field_name, K.ARRAY_OF_NULLABLE_INT64, K.ARRAY_OF_INT64)
        return value

    def read_array_of_float32(self, field_name: str) -> list[float] | None:
        value: list[float] | None = self._items_non_null(field_name, K.ARRAY_OF_FLOAT32, K.ARRAY_OF_NULLABLE_FLOAT32)
        return value

    def read_array_of_nullable_float32(self, field_name: str) -> list[float | None] | None:
        value: list[float | None] | None = self._either(field_name, K.ARRAY_OF_NULLABLE_FLOAT32, K.ARRAY_OF_FLOAT32)
        return value

    def read_array_of_float64(self, field_name: str) -> list[float] | None:
        value: list[float] | None = self._items_non_null(field_name, K.ARRAY_OF_FLOAT64, K.ARRAY_OF_NULLABLE_FLOAT64)
        return value

    def read_array_of_nullable_float64(self, field_name: str) -> list[float | None] | None:
        value: list[float | None] | None = self._either(field_name, K.ARRAY_OF_NULLABLE_FLOAT64, K.ARRAY_OF_FLOAT64)
        return value

    def read_array_of_string(self, field_name: str) -> list[str | None] | None:
        value: list[str | None] | None = self._exact(field_name, K.ARRAY_OF_STRING)
        return value

    def read_array_of_decimal(self, field_name: str) -> list[decimal.Decimal | None] | None:
        value: list[decimal.Decimal | None] | None = self._exact(field_name, K.ARRAY_OF_DECIMAL)
        return value

    def read_array_of_time(self, field_name: str) -> list[datetime.time | None] | None:
        value: list[datetime.time | None] | None = self._exact(field_name, K.ARRAY_OF_TIME)
        return value

    def read_array_of_date(self, field_name: str) -> list[datetime.date | None] | None:
        value: list[datetime.date | None] | None = self._exact(field_name, K.ARRAY_OF_DATE)
        return value

    def read_array_of_timestamp(self, field_name: str) -> list[datetime.datetime | None] | None:
        value: list[datetime.datetime | None] | None = self._exact(field_name, K.ARRAY_OF_TIMESTAMP)
        return value

    def read_array_of_timestamp_with_timezone(self, field_name: str) -> list[datetime.datetime | None] | None:
        value: list[datetime.datetime | None] | None = self._exact(field_name, K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE)
        return value

    def read_array_of_compact(self, field_name: str) -> list[Any] | None:
        value: list[Any] | None = self._exact(field_name, K.ARRAY_OF_COMPACT)
        return value
