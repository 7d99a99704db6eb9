"""The two ``PortableReader`` implementations.

``DefaultPortableReader`` reads fields of data written with the class version the reading class has;
``MorphingPortableReader`` reads data of another version of the class, as Java's does: a field the data
lacks reads as the type's default, and a numeric field may be read as a wider type.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import struct
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization._input import BufferObjectDataInput
from hazelcast.serialization.api import ObjectDataInput
from hazelcast.serialization.portable import _values
from hazelcast.serialization.portable.api import PortableReader
from hazelcast.serialization.portable.classdef import ClassDefinition, FieldDefinition, FieldType

__all__ = ["DefaultPortableReader", "MorphingPortableReader", "NestedReading"]

_T = TypeVar("_T")
_NULL_LENGTH = -1
_BIG_ENDIAN_SHORT = struct.Struct(">h").unpack_from
_LITTLE_ENDIAN_SHORT = struct.Struct("<h").unpack_from


@functools.lru_cache(maxsize=512)
def _int32s(big_endian: bool, count: int) -> Callable[[bytes, int], tuple[int, ...]]:
    return struct.Struct(f"{'>' if big_endian else '<'}{count}i").unpack_from


def _buffer_and_position(buffer: bytes, position: int) -> tuple[tuple[bytes, int], int]:
    return (buffer, position), position


class NestedReading(Protocol):
    """What a reader needs to read nested Portables: their class definitions and their values."""

    def read_nested(self, inp: BufferObjectDataInput, factory_id: int, class_id: int) -> Any:
        """Read the version and body at ``inp``'s position; leave the position after the body."""
        ...

    def class_definition(
        self, inp: BufferObjectDataInput, factory_id: int, class_id: int, version: int
    ) -> ClassDefinition:
        """The definition of the body at ``inp``'s position (just after its version), position unchanged."""
        ...


def _check_nested_ids(field: FieldDefinition, factory_id: int, class_id: int) -> None:
    if factory_id != field.factory_id or class_id != field.class_id:
        raise HazelcastSerializationError(
            f"field {field.field_name!r} should hold Portables of factory id {field.factory_id}, class id "
            f"{field.class_id}; the data holds factory id {factory_id}, class id {class_id}"
        )


class DefaultPortableReader(PortableReader):
    """Reads the Portable body at the stream's position, described by ``class_def``."""

    __slots__ = ("_buffer", "_class_def", "_end", "_in", "_nested", "_offsets", "_raw", "_unpack_short")

    def __init__(self, nested: NestedReading, inp: BufferObjectDataInput, class_def: ClassDefinition) -> None:
        self._nested = nested
        self._in = inp
        self._class_def = class_def
        self._end = inp.read_int()
        field_count = inp.read_int()
        if field_count != class_def.get_field_count():
            raise HazelcastSerializationError(
                f"the data has {field_count} fields, its class definition {class_def.factory_id}:"
                f"{class_def.class_id} (version {class_def.version}) has {class_def.get_field_count()}"
            )
        # The offset table (with the raw data's offset last) is read at once; field headers straight from the
        # buffer: a field read costs one stream move.
        big_endian = inp.is_big_endian()
        self._buffer: bytes
        self._buffer, table = inp.read_with(_buffer_and_position)
        self._offsets: tuple[int, ...] = _int32s(big_endian, field_count + 1)(self._buffer, table)
        self._unpack_short = _BIG_ENDIAN_SHORT if big_endian else _LITTLE_ENDIAN_SHORT
        self._raw = False

    def end(self) -> None:
        """Move the stream to the end of the body."""
        self._in.set_position(self._end)

    # -- class definition ------------------------------------------------------------------------------------------

    def get_version(self) -> int:
        return self._class_def.version

    def has_field(self, field_name: str) -> bool:
        return self._class_def.has_field(field_name)

    def get_field_names(self) -> list[str]:
        return self._class_def.get_field_names()

    def get_field_type(self, field_name: str) -> FieldType:
        return self._class_def.get_field_type(field_name)

    def get_field_class_id(self, field_name: str) -> int:
        return self._class_def.get_field_class_id(field_name)

    # -- positioning -----------------------------------------------------------------------------------------------

    def _seek(self, field: FieldDefinition) -> None:
        """Move the stream to the value of ``field`` (past its name length, name and type)."""
        position = self._offsets[field.index]
        self._in.set_position(position + 3 + self._unpack_short(self._buffer, position)[0])

    def _locate(self, field_name: str, field_type: FieldType) -> FieldDefinition:
        """Check the field and move the stream to its value; a dotted name goes through nested Portables."""
        if self._raw:
            raise HazelcastSerializationError("no Portable field can be read after get_raw_data_input()")
        reader = self
        field = self._class_def.field_defs.get(field_name)
        if field is None and "." in field_name:
            *path, last = field_name.split(".")
            for part in path:
                reader = reader._open_nested(part, field_name)
            field = reader._class_def.field_defs.get(last)
        if field is None:
            raise HazelcastSerializationError(
                f"the class definition {self._class_def.factory_id}:{self._class_def.class_id} "
                f"(version {self._class_def.version}) has no field {field_name!r}"
            )
        if field.field_type != field_type:
            raise HazelcastSerializationError(f"field {field_name!r} is {field.field_type.name}, not {field_type.name}")
        reader._seek(field)
        return field

    def _open_nested(self, part: str, path: str) -> DefaultPortableReader:
        field = self._class_def.field_defs.get(part)
        if field is None or field.field_type != FieldType.PORTABLE:
            raise HazelcastSerializationError(f"{part!r} in {path!r} is not a nested Portable field")
        self._seek(field)
        inp = self._in
        if inp.read_boolean():
            raise HazelcastSerializationError(f"{part!r} in {path!r} is null")
        factory_id = inp.read_int()
        class_id = inp.read_int()
        version = inp.read_int()
        class_def = self._nested.class_definition(inp, factory_id, class_id, version)
        return DefaultPortableReader(self._nested, inp, class_def)

    # -- primitives ------------------------------------------------------------------------------------------------

    def read_byte(self, field_name: str) -> int:
        self._locate(field_name, FieldType.BYTE)
        return self._in.read_byte()

    def read_boolean(self, field_name: str) -> bool:
        self._locate(field_name, FieldType.BOOLEAN)
        return self._in.read_boolean()

    def read_char(self, field_name: str) -> str:
        self._locate(field_name, FieldType.CHAR)
        return self._in.read_char()

    def read_short(self, field_name: str) -> int:
        self._locate(field_name, FieldType.SHORT)
        return self._in.read_short()

    def read_int(self, field_name: str) -> int:
        self._locate(field_name, FieldType.INT)
        return self._in.read_int()

    def read_long(self, field_name: str) -> int:
        self._locate(field_name, FieldType.LONG)
        return self._in.read_long()

    def read_float(self, field_name: str) -> float:
        self._locate(field_name, FieldType.FLOAT)
        return self._in.read_float()

    def read_double(self, field_name: str) -> float:
        self._locate(field_name, FieldType.DOUBLE)
        return self._in.read_double()

    def read_string(self, field_name: str) -> str | None:
        self._locate(field_name, FieldType.STRING)
        return self._in.read_string()

    def read_utf(self, field_name: str) -> str | None:
        return self.read_string(field_name)

    # -- nullable objects ------------------------------------------------------------------------------------------

    def _read_nullable(
        self, field_name: str, field_type: FieldType, read: Callable[[ObjectDataInput], _T]
    ) -> _T | None:
        self._locate(field_name, field_type)
        inp = self._in
        if inp.read_boolean():
            return None
        return read(inp)

    def read_decimal(self, field_name: str) -> decimal.Decimal | None:
        return self._read_nullable(field_name, FieldType.DECIMAL, _values.read_decimal)

    def read_time(self, field_name: str) -> datetime.time | None:
        return self._read_nullable(field_name, FieldType.TIME, _values.read_time)

    def read_date(self, field_name: str) -> datetime.date | None:
        return self._read_nullable(field_name, FieldType.DATE, _values.read_date)

    def read_timestamp(self, field_name: str) -> datetime.datetime | None:
        return self._read_nullable(field_name, FieldType.TIMESTAMP, _values.read_timestamp)

    def read_timestamp_with_timezone(self, field_name: str) -> datetime.datetime | None:
        return self._read_nullable(field_name, FieldType.TIMESTAMP_WITH_TIMEZONE, _values.read_timestamp_with_timezone)

    # -- primitive arrays ------------------------------------------------------------------------------------------

    def read_byte_array(self, field_name: str) -> bytes | None:
        self._locate(field_name, FieldType.BYTE_ARRAY)
        return self._in.read_byte_array()

    def read_boolean_array(self, field_name: str) -> list[bool] | None:
        self._locate(field_name, FieldType.BOOLEAN_ARRAY)
        return self._in.read_boolean_array()

    def read_char_array(self, field_name: str) -> list[str] | None:
        self._locate(field_name, FieldType.CHAR_ARRAY)
        return self._in.read_char_array()

    def read_short_array(self, field_name: str) -> list[int] | None:
        self._locate(field_name, FieldType.SHORT_ARRAY)
        return self._in.read_short_array()

    def read_int_array(self, field_name: str) -> list[int] | None:
        self._locate(field_name, FieldType.INT_ARRAY)
        return self._in.read_int_array()

    def read_long_array(self, field_name: str) -> list[int] | None:
        self._locate(field_name, FieldType.LONG_ARRAY)
        return self._in.read_long_array()

    def read_float_array(self, field_name: str) -> list[float] | None:
        self._locate(field_name, FieldType.FLOAT_ARRAY)
        return self._in.read_float_array()

    def read_double_array(self, field_name: str) -> list[float] | None:
        self._locate(field_name, FieldType.DOUBLE_ARRAY)
        return self._in.read_double_array()

    def read_string_array(self, field_name: str) -> list[str | None] | None:
        self._locate(field_name, FieldType.STRING_ARRAY)
        return self._in.read_string_array()

    def read_utf_array(self, field_name: str) -> list[str | None] | None:
        return self.read_string_array(field_name)

    # -- object arrays ---------------------------------------------------------------------------------------------

    def _item_positions(self) -> list[int] | None:
        """Read an item count and its offset table (the stream is at the count)."""
        inp = self._in
        count = inp.read_int()
        if count == _NULL_LENGTH:
            return None
        if count < 0:
            raise HazelcastSerializationError(f"malformed Portable data: array length {count}")
        read_int = inp.read_int
        return [read_int() for _ in range(count)]

    def _read_object_array(
        self, field_name: str, field_type: FieldType, read: Callable[[ObjectDataInput], _T]
    ) -> list[_T] | None:
        self._locate(field_name, field_type)
        positions = self._item_positions()
        if positions is None:
            return None
        inp = self._in
        items = []
        for position in positions:
            inp.set_position(position)
            items.append(read(inp))
        return items

    def read_decimal_array(self, field_name: str) -> list[decimal.Decimal] | None:
        return self._read_object_array(field_name, FieldType.DECIMAL_ARRAY, _values.read_decimal)

    def read_time_array(self, field_name: str) -> list[datetime.time] | None:
        return self._read_object_array(field_name, FieldType.TIME_ARRAY, _values.read_time)

    def read_date_array(self, field_name: str) -> list[datetime.date] | None:
        return self._read_object_array(field_name, FieldType.DATE_ARRAY, _values.read_date)

    def read_timestamp_array(self, field_name: str) -> list[datetime.datetime] | None:
        return self._read_object_array(field_name, FieldType.TIMESTAMP_ARRAY, _values.read_timestamp)

    def read_timestamp_with_timezone_array(self, field_name: str) -> list[datetime.datetime] | None:
        return self._read_object_array(
            field_name, FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY, _values.read_timestamp_with_timezone
        )

    # -- nested Portables --------------------------------------------------------------------------------------------

    def read_portable(self, field_name: str) -> Any | None:
        field = self._locate(field_name, FieldType.PORTABLE)
        inp = self._in
        is_null = inp.read_boolean()
        factory_id = inp.read_int()
        class_id = inp.read_int()
        _check_nested_ids(field, factory_id, class_id)
        if is_null:
            return None
        return self._nested.read_nested(inp, factory_id, class_id)

    def read_portable_array(self, field_name: str) -> list[Any] | None:
        field = self._locate(field_name, FieldType.PORTABLE_ARRAY)
        inp = self._in
        count = inp.read_int()
        factory_id = inp.read_int()
        class_id = inp.read_int()
        if count == _NULL_LENGTH:
            return None
        _check_nested_ids(field, factory_id, class_id)
        if count < 0:
            raise HazelcastSerializationError(f"malformed Portable data: array length {count}")
        read_int = inp.read_int
        positions = [read_int() for _ in range(count)]
        read_nested = self._nested.read_nested
        items = []
        for position in positions:
            inp.set_position(position)
            items.append(read_nested(inp, factory_id, class_id))
        return items

    def get_raw_data_input(self) -> ObjectDataInput:
        inp = self._in
        if not self._raw:
            inp.set_position(self._offsets[-1])
            self._raw = True
        return inp


_Read = Callable[[DefaultPortableReader, str], Any]


def _as_code_unit(read: _Read) -> _Read:
    return lambda reader, name: ord(read(reader, name))


_D = DefaultPortableReader
# Java's MorphingPortableReader: which stored types each numeric read accepts.
_SHORT_SOURCES: dict[FieldType, _Read] = {FieldType.SHORT: _D.read_short, FieldType.BYTE: _D.read_byte}
_INT_SOURCES: dict[FieldType, _Read] = {
    FieldType.INT: _D.read_int,
    **_SHORT_SOURCES,
    FieldType.CHAR: _as_code_unit(_D.read_char),
}
_LONG_SOURCES: dict[FieldType, _Read] = {FieldType.LONG: _D.read_long, **_INT_SOURCES}
_FLOAT_SOURCES: dict[FieldType, _Read] = {FieldType.FLOAT: _D.read_float, **_INT_SOURCES}
_DOUBLE_SOURCES: dict[FieldType, _Read] = {
    FieldType.DOUBLE: _D.read_double,
    FieldType.FLOAT: _D.read_float,
    **_LONG_SOURCES,
}


class MorphingPortableReader(DefaultPortableReader):
    """Reads data written with another version of the class: missing fields read as the type's default
    (0, False, ``"\\x00"`` or None) and numbers widen (byte to short, int, long, float, double; char to int
    and wider as its code unit; int to float; long and float to double)."""

    __slots__ = ()

    def _widened(self, field_name: str, sources: dict[FieldType, _Read], wanted: FieldType, default: Any) -> Any:
        field = self._class_def.field_defs.get(field_name)
        if field is None:
            return default
        read = sources.get(field.field_type)
        if read is None:
            raise self._incompatible(field, wanted)
        return read(self, field_name)

    def _same(self, field_name: str, wanted: FieldType, default: Any, read: _Read) -> Any:
        field = self._class_def.field_defs.get(field_name)
        if field is None:
            return default
        if field.field_type != wanted:
            raise self._incompatible(field, wanted)
        return read(self, field_name)

    def _incompatible(self, field: FieldDefinition, wanted: FieldType) -> HazelcastSerializationError:
        return HazelcastSerializationError(
            f"field {field.field_name!r} is {field.field_type.name} in the data (version {self._class_def.version}) "
            f"and cannot be read as {wanted.name}"
        )

    def read_short(self, field_name: str) -> int:
        value: int = self._widened(field_name, _SHORT_SOURCES, FieldType.SHORT, 0)
        return value

    def read_int(self, field_name: str) -> int:
        value: int = self._widened(field_name, _INT_SOURCES, FieldType.INT, 0)
        return value

    def read_long(self, field_name: str) -> int:
        value: int = self._widened(field_name, _LONG_SOURCES, FieldType.LONG, 0)
        return value

    def read_float(self, field_name: str) -> float:
        return float(self._widened(field_name, _FLOAT_SOURCES, FieldType.FLOAT, 0.0))

    def read_double(self, field_name: str) -> float:
        return float(self._widened(field_name, _DOUBLE_SOURCES, FieldType.DOUBLE, 0.0))

    def read_byte(self, field_name: str) -> int:
        value: int = self._same(field_name, FieldType.BYTE, 0, _D.read_byte)
        return value

    def read_boolean(self, field_name: str) -> bool:
        value: bool = self._same(field_name, FieldType.BOOLEAN, False, _D.read_boolean)
        return value

    def read_char(self, field_name: str) -> str:
        value: str = self._same(field_name, FieldType.CHAR, "\x00", _D.read_char)
        return value

    def read_string(self, field_name: str) -> str | None:
        value: str | None = self._same(field_name, FieldType.STRING, None, _D.read_string)
        return value

    def read_decimal(self, field_name: str) -> decimal.Decimal | None:
        value: decimal.Decimal | None = self._same(field_name, FieldType.DECIMAL, None, _D.read_decimal)
        return value

    def read_time(self, field_name: str) -> datetime.time | None:
        value: datetime.time | None = self._same(field_name, FieldType.TIME, None, _D.read_time)
        return value

    def read_date(self, field_name: str) -> datetime.date | None:
        value: datetime.date | None = self._same(field_name, FieldType.DATE, None, _D.read_date)
        return value

    def read_timestamp(self, field_name: str) -> datetime.datetime | None:
        value: datetime.datetime | None = self._same(field_name, FieldType.TIMESTAMP, None, _D.read_timestamp)
        return value

    def read_timestamp_with_timezone(self, field_name: str) -> datetime.datetime | None:
        value: datetime.datetime | None = self._same(
            field_name, FieldType.TIMESTAMP_WITH_TIMEZONE, None, _D.read_timestamp_with_timezone
        )
        return value

    def read_portable(self, field_name: str) -> Any | None:
        return self._same(field_name, FieldType.PORTABLE, None, _D.read_portable)

    def read_byte_array(self, field_name: str) -> bytes | None:
        value: bytes | None = self._same(field_name, FieldType.BYTE_ARRAY, None, _D.read_byte_array)
        return value

    def read_boolean_array(self, field_name: str) -> list[bool] | None:
        value: list[bool] | None = self._same(field_name, FieldType.BOOLEAN_ARRAY, None, _D.read_boolean_array)
        return value

    def read_char_array(self, field_name: str) -> list[str] | None:
        value: list[str] | None = self._same(field_name, FieldType.CHAR_ARRAY, None, _D.read_char_array)
        return value

    def read_short_array(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._same(field_name, FieldType.SHORT_ARRAY, None, _D.read_short_array)
        return value

    def read_int_array(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._same(field_name, FieldType.INT_ARRAY, None, _D.read_int_array)
        return value

    def read_long_array(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._same(field_name, FieldType.LONG_ARRAY, None, _D.read_long_array)
        return value

    def read_float_array(self, field_name: str) -> list[float] | None:
        value: list[float] | None = self._same(field_name, FieldType.FLOAT_ARRAY, None, _D.read_float_array)
        return value

    def read_double_array(self, field_name: str) -> list[float] | None:
        value: list[float] | None = self._same(field_name, FieldType.DOUBLE_ARRAY, None, _D.read_double_array)
        return value

    def read_string_array(self, field_name: str) -> list[str | None] | None:
        value: list[str | None] | None = self._same(field_name, FieldType.STRING_ARRAY, None, _D.read_string_array)
        return value

    def read_decimal_array(self, field_name: str) -> list[decimal.Decimal] | None:
        value: list[decimal.Decimal] | None = self._same(
            field_name, FieldType.DECIMAL_ARRAY, None, _D.read_decimal_array
        )
        return value

    def read_time_array(self, field_name: str) -> list[datetime.time] | None:
        value: list[datetime.time] | None = self._same(field_name, FieldType.TIME_ARRAY, None, _D.read_time_array)
        return value

    def read_date_array(self, field_name: str) -> list[datetime.date] | None:
        value: list[datetime.date] | None = self._same(field_name, FieldType.DATE_ARRAY, None, _D.read_date_array)
        return value

    def read_timestamp_array(self, field_name: str) -> list[datetime.datetime] | None:
        value: list[datetime.datetime] | None = self._same(
            field_name, FieldType.TIMESTAMP_ARRAY, None, _D.read_timestamp_array
        )
        return value

    def read_timestamp_with_timezone_array(self, field_name: str) -> list[datetime.datetime] | None:
        value: list[datetime.datetime] | None = self._same(
            field_name, FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY, None, _D.read_timestamp_with_timezone_array
        )
        return value

    def read_portable_array(self, field_name: str) -> list[Any] | None:
        value: list[Any] | None = self._same(field_name, FieldType.PORTABLE_ARRAY, None, _D.read_portable_array)
        return value
