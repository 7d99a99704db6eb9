"""The two ``PortableWriter`` implementations: one that writes a Portable body, one that derives a class
definition from the fields ``write_portable`` writes.

Layout of a Portable body (Java's ``DefaultPortableWriter``), every number in the payload byte order::

    int32 end of the body
    int32 field count n
    int32 x (n + 1)   offset of each field, by field index; the last one is the raw data's (0 when none)
    fields            int16 name length, name (one byte per character), int8 field type, value

Offsets are positions in the whole serialized buffer (header included), as Java writes them.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import struct
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization._output import BufferObjectDataOutput
from hazelcast.serialization.api import ObjectDataOutput
from hazelcast.serialization.portable import _values
from hazelcast.serialization.portable.api import PortableWriter
from hazelcast.serialization.portable.classdef import (
    ClassDefinition,
    ClassDefinitionBuilder,
    FieldDefinition,
    FieldType,
)

if TYPE_CHECKING:
    from hazelcast.serialization.portable._context import PortableContext

__all__ = ["ClassDefinitionWriter", "DefaultPortableWriter", "NestedWriting"]

_T = TypeVar("_T")
_NULL_LENGTH = -1


class NestedWriting(Protocol):
    """What a writer needs from the serializer to write nested Portables (``PortableSerializer`` has it)."""

    def write_internal(self, out: BufferObjectDataOutput, portable: Any) -> None:
        """Write the version and body of a Portable or ``PortableGenericRecord``."""
        ...


@functools.lru_cache(maxsize=512)
def _int32s(big_endian: bool, count: int) -> Callable[..., bytes]:
    return struct.Struct(f"{'>' if big_endian else '<'}{count}i").pack


def _patch_ints(out: BufferObjectDataOutput, at: int, values: Sequence[int]) -> None:
    """Overwrite the int32s reserved at ``at`` (offsets known only once what they point at is written)."""
    end = out.position()
    out.set_position(at)
    out.write_raw(_int32s(out.is_big_endian(), len(values))(*values))
    out.set_position(end)


def _check_nested_ids(field: FieldDefinition, portable: Any) -> None:
    factory_id = portable.get_factory_id()
    class_id = portable.get_class_id()
    if factory_id != field.factory_id or class_id != field.class_id:
        raise HazelcastSerializationError(
            f"field {field.field_name!r} holds Portables of factory id {field.factory_id}, class id "
            f"{field.class_id}; got one of factory id {factory_id}, class id {class_id}"
        )


class DefaultPortableWriter(PortableWriter):
    """Writes the body of a Portable of the class ``class_def`` describes."""

    __slots__ = ("_begin", "_big_endian", "_class_def", "_nested", "_offsets", "_out", "_raw")

    def __init__(self, nested: NestedWriting, out: BufferObjectDataOutput, class_def: ClassDefinition) -> None:
        self._nested = nested
        self._out = out
        self._class_def = class_def
        self._begin = out.position()
        self._big_endian = out.is_big_endian()
        count = class_def.get_field_count()
        # End offset, field count and the offset table are filled in by end().
        out.write_zero_bytes(8 + 4 * (count + 1))
        self._offsets = [0] * (count + 1)
        self._raw = False

    def _field(self, field_name: str, field_type: FieldType) -> FieldDefinition:
        """Check the field, record its offset and write its header; the value follows."""
        if self._raw:
            raise HazelcastSerializationError("no Portable field can be written after get_raw_data_output()")
        class_def = self._class_def
        field = class_def.field_defs.get(field_name)
        if field is None:
            raise HazelcastSerializationError(
                f"the class definition {class_def.factory_id}:{class_def.class_id} (version {class_def.version}) "
                f"has no field {field_name!r}"
            )
        if field.field_type != field_type:
            raise HazelcastSerializationError(
                f"field {field_name!r} is {field.field_type.name} in the class definition "
                f"{class_def.factory_id}:{class_def.class_id}, not {field_type.name}"
            )
        out = self._out
        offsets = self._offsets
        # Offsets include the 8-byte header, so a recorded offset is never 0.
        if offsets[field.index]:
            raise HazelcastSerializationError(f"field {field_name!r} was already written")
        offsets[field.index] = out.position()
        out.write_raw(field.headers[self._big_endian])
        return field

    def end(self) -> None:
        """Fill in the end offset, field count and offset table.

        Raises:
            HazelcastSerializationError: a field of the class definition was not written (readers would take
                garbage for it).
        """
        offsets = self._offsets
        count = len(offsets) - 1
        if not all(offsets[:count]):
            missing = [field.field_name for field in self._class_def.fields_by_index() if not offsets[field.index]]
            raise HazelcastSerializationError(
                f"write_portable of class {self._class_def.factory_id}:{self._class_def.class_id} did not write "
                f"the fields {missing} of its class definition"
            )
        out = self._out
        _patch_ints(out, self._begin, [out.position(), count, *offsets])

    # -- primitives ------------------------------------------------------------------------------------------------

    def write_byte(self, field_name: str, value: int) -> None:
        self._field(field_name, FieldType.BYTE)
        self._out.write_byte(value)

    def write_boolean(self, field_name: str, value: bool) -> None:
        self._field(field_name, FieldType.BOOLEAN)
        self._out.write_boolean(value)

    def write_char(self, field_name: str, value: str) -> None:
        self._field(field_name, FieldType.CHAR)
        self._out.write_char(value)

    def write_short(self, field_name: str, value: int) -> None:
        self._field(field_name, FieldType.SHORT)
        self._out.write_short(value)

    def write_int(self, field_name: str, value: int) -> None:
        self._field(field_name, FieldType.INT)
        self._out.write_int(value)

    def write_long(self, field_name: str, value: int) -> None:
        self._field(field_name, FieldType.LONG)
        self._out.write_long(value)

    def write_float(self, field_name: str, value: float) -> None:
        self._field(field_name, FieldType.FLOAT)
        self._out.write_float(value)

    def write_double(self, field_name: str, value: float) -> None:
        self._field(field_name, FieldType.DOUBLE)
        self._out.write_double(value)

    def write_string(self, field_name: str, value: str | None) -> None:
        self._field(field_name, FieldType.STRING)
        self._out.write_string(value)

    def write_utf(self, field_name: str, value: str | None) -> None:
        self.write_string(field_name, value)

    # -- nullable objects ------------------------------------------------------------------------------------------

    def _write_nullable(
        self, field_name: str, field_type: FieldType, value: _T | None, write: Callable[[ObjectDataOutput, _T], None]
    ) -> None:
        self._field(field_name, field_type)
        out = self._out
        out.write_boolean(value is None)
        if value is not None:
            write(out, value)

    def write_decimal(self, field_name: str, value: decimal.Decimal | None) -> None:
        self._write_nullable(field_name, FieldType.DECIMAL, value, _values.write_decimal)

    def write_time(self, field_name: str, value: datetime.time | None) -> None:
        self._write_nullable(field_name, FieldType.TIME, value, _values.write_time)

    def write_date(self, field_name: str, value: datetime.date | None) -> None:
        self._write_nullable(field_name, FieldType.DATE, value, _values.write_date)

    def write_timestamp(self, field_name: str, value: datetime.datetime | None) -> None:
        self._write_nullable(field_name, FieldType.TIMESTAMP, value, _values.write_timestamp)

    def write_timestamp_with_timezone(self, field_name: str, value: datetime.datetime | None) -> None:
        self._write_nullable(
            field_name, FieldType.TIMESTAMP_WITH_TIMEZONE, value, _values.write_timestamp_with_timezone
        )

    # -- primitive arrays ------------------------------------------------------------------------------------------

    def write_byte_array(self, field_name: str, values: bytes | bytearray | None) -> None:
        self._field(field_name, FieldType.BYTE_ARRAY)
        self._out.write_byte_array(values)

    def write_boolean_array(self, field_name: str, values: Sequence[bool] | None) -> None:
        self._field(field_name, FieldType.BOOLEAN_ARRAY)
        self._out.write_boolean_array(values)

    def write_char_array(self, field_name: str, values: Sequence[str] | None) -> None:
        self._field(field_name, FieldType.CHAR_ARRAY)
        self._out.write_char_array(values)

    def write_short_array(self, field_name: str, values: Sequence[int] | None) -> None:
        self._field(field_name, FieldType.SHORT_ARRAY)
        self._out.write_short_array(values)

    def write_int_array(self, field_name: str, values: Sequence[int] | None) -> None:
        self._field(field_name, FieldType.INT_ARRAY)
        self._out.write_int_array(values)

    def write_long_array(self, field_name: str, values: Sequence[int] | None) -> None:
        self._field(field_name, FieldType.LONG_ARRAY)
        self._out.write_long_array(values)

    def write_float_array(self, field_name: str, values: Sequence[float] | None) -> None:
        self._field(field_name, FieldType.FLOAT_ARRAY)
        self._out.write_float_array(values)

    def write_double_array(self, field_name: str, values: Sequence[float] | None) -> None:
        self._field(field_name, FieldType.DOUBLE_ARRAY)
        self._out.write_double_array(values)

    def write_string_array(self, field_name: str, values: Sequence[str | None] | None) -> None:
        self._field(field_name, FieldType.STRING_ARRAY)
        self._out.write_string_array(values)

    def write_utf_array(self, field_name: str, values: Sequence[str | None] | None) -> None:
        self.write_string_array(field_name, values)

    # -- object arrays: count, an offset per item, then the items ---------------------------------------------------

    def _write_object_array(
        self,
        field_name: str,
        field_type: FieldType,
        values: Sequence[_T] | None,
        write: Callable[[ObjectDataOutput, _T], None],
    ) -> None:
        self._field(field_name, field_type)
        out = self._out
        if values is None:
            out.write_int(_NULL_LENGTH)
            return
        out.write_int(len(values))
        if not values:
            return
        table = out.position()
        out.write_zero_bytes(4 * len(values))
        positions = []
        for value in values:
            if value is None:
                raise HazelcastSerializationError(f"array field {field_name!r} cannot hold None items")
            positions.append(out.position())
            write(out, value)
        _patch_ints(out, table, positions)

    def write_decimal_array(self, field_name: str, values: Sequence[decimal.Decimal] | None) -> None:
        self._write_object_array(field_name, FieldType.DECIMAL_ARRAY, values, _values.write_decimal)

    def write_time_array(self, field_name: str, values: Sequence[datetime.time] | None) -> None:
        self._write_object_array(field_name, FieldType.TIME_ARRAY, values, _values.write_time)

    def write_date_array(self, field_name: str, values: Sequence[datetime.date] | None) -> None:
        self._write_object_array(field_name, FieldType.DATE_ARRAY, values, _values.write_date)

    def write_timestamp_array(self, field_name: str, values: Sequence[datetime.datetime] | None) -> None:
        self._write_object_array(field_name, FieldType.TIMESTAMP_ARRAY, values, _values.write_timestamp)

    def write_timestamp_with_timezone_array(self, field_name: str, values: Sequence[datetime.datetime] | None) -> None:
        self._write_object_array(
            field_name,
            FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY,
            values,
            _values.write_timestamp_with_timezone,
        )

    # -- nested Portables --------------------------------------------------------------------------------------------

    def write_portable(self, field_name: str, portable: Any | None) -> None:
        field = self._field(field_name, FieldType.PORTABLE)
        out = self._out
        out.write_boolean(portable is None)
        out.write_int(field.factory_id)
        out.write_int(field.class_id)
        if portable is not None:
            _check_nested_ids(field, portable)
            self._nested.write_internal(out, portable)

    def write_null_portable(self, field_name: str, factory_id: int, class_id: int) -> None:
        self._field(field_name, FieldType.PORTABLE)
        out = self._out
        out.write_boolean(True)
        out.write_int(factory_id)
        out.write_int(class_id)

    def write_portable_array(self, field_name: str, values: Sequence[Any] | None) -> None:
        field = self._field(field_name, FieldType.PORTABLE_ARRAY)
        out = self._out
        out.write_int(_NULL_LENGTH if values is None else len(values))
        out.write_int(field.factory_id)
        out.write_int(field.class_id)
        if not values:
            return
        table = out.position()
        out.write_zero_bytes(4 * len(values))
        positions = []
        write_internal = self._nested.write_internal
        for portable in values:
            if portable is None:
                raise HazelcastSerializationError(f"Portable array field {field_name!r} cannot hold None items")
            _check_nested_ids(field, portable)
            positions.append(out.position())
            write_internal(out, portable)
        _patch_ints(out, table, positions)

    def get_raw_data_output(self) -> ObjectDataOutput:
        if not self._raw:
            self._offsets[-1] = self._out.position()
            self._raw = True
        return self._out


class ClassDefinitionWriter(PortableWriter):
    """Builds the class definition of a Portable from the fields its ``write_portable`` writes; writes no data.

    Nested Portables get their definitions built (and registered) the same way; a null nested Portable and
    an empty Portable array need their class definition registered beforehand (``Config.class_definitions``),
    since no object tells which fields it has.
    """

    __slots__ = ("_builder", "_context", "_new_output")

    def __init__(
        self, context: PortableContext, builder: ClassDefinitionBuilder, new_output: Callable[[], ObjectDataOutput]
    ) -> None:
        self._context = context
        self._builder = builder
        self._new_output = new_output

    def register_and_get(self) -> ClassDefinition:
        return self._context.register(self._builder.build())

    def _nested_definition(self, portable: Any) -> ClassDefinition:
        get_class_definition = getattr(portable, "get_class_definition", None)
        if get_class_definition is not None:
            # A PortableGenericRecord carries its own definition.
            record_class_def: ClassDefinition = get_class_definition()
            return self._context.register(record_class_def)
        context = self._context
        factory_id = portable.get_factory_id()
        class_id = portable.get_class_id()
        version = context.version_of(portable)
        registered = context.lookup(factory_id, class_id, version)
        if registered is not None:
            return registered
        nested = ClassDefinitionWriter(context, ClassDefinitionBuilder(factory_id, class_id, version), self._new_output)
        portable.write_portable(nested)
        return nested.register_and_get()

    def _registered(self, field_name: str, factory_id: int, class_id: int) -> ClassDefinition:
        class_def = self._context.lookup(factory_id, class_id, self._context.portable_version)
        if class_def is None:
            raise HazelcastSerializationError(
                f"field {field_name!r} holds a null Portable or an empty Portable array of factory id "
                f"{factory_id}, class id {class_id}, whose class definition is unknown: register it in "
                f"Config.class_definitions"
            )
        return class_def

    def write_portable(self, field_name: str, portable: Any | None) -> None:
        if portable is None:
            raise HazelcastSerializationError(
                f"field {field_name!r}: a null Portable can only be written with write_null_portable, or when the "
                f"class definition of the enclosing class is registered in Config.class_definitions"
            )
        self._builder.add_portable_field(field_name, self._nested_definition(portable))

    def write_null_portable(self, field_name: str, factory_id: int, class_id: int) -> None:
        self._builder.add_portable_field(field_name, self._registered(field_name, factory_id, class_id))

    def write_portable_array(self, field_name: str, values: Sequence[Any] | None) -> None:
        if not values:
            raise HazelcastSerializationError(
                f"field {field_name!r}: a null or empty Portable array can only be written when the class "
                f"definition of the enclosing class is registered in Config.class_definitions"
            )
        first = values[0]
        ids = (first.get_factory_id(), first.get_class_id())
        if any(item is None or (item.get_factory_id(), item.get_class_id()) != ids for item in values):
            raise HazelcastSerializationError(
                f"Portable array field {field_name!r} must hold Portables of one class and no None items"
            )
        self._builder.add_portable_array_field(field_name, self._nested_definition(first))

    def get_raw_data_output(self) -> ObjectDataOutput:
        # The raw data is not part of the class definition; it goes to a stream that is thrown away.
        return self._new_output()

    def write_byte(self, field_name: str, value: int) -> None:
        self._builder.add_byte_field(field_name)

    def write_boolean(self, field_name: str, value: bool) -> None:
        self._builder.add_boolean_field(field_name)

    def write_char(self, field_name: str, value: str) -> None:
        self._builder.add_char_field(field_name)

    def write_short(self, field_name: str, value: int) -> None:
        self._builder.add_short_field(field_name)

    def write_int(self, field_name: str, value: int) -> None:
        self._builder.add_int_field(field_name)

    def write_long(self, field_name: str, value: int) -> None:
        self._builder.add_long_field(field_name)

    def write_float(self, field_name: str, value: float) -> None:
        self._builder.add_float_field(field_name)

    def write_double(self, field_name: str, value: float) -> None:
        self._builder.add_double_field(field_name)

    def write_string(self, field_name: str, value: str | None) -> None:
        self._builder.add_string_field(field_name)

    def write_utf(self, field_name: str, value: str | None) -> None:
        self._builder.add_string_field(field_name)

    def write_decimal(self, field_name: str, value: decimal.Decimal | None) -> None:
        self._builder.add_decimal_field(field_name)

    def write_time(self, field_name: str, value: datetime.time | None) -> None:
        self._builder.add_time_field(field_name)

    def write_date(self, field_name: str, value: datetime.date | None) -> None:
        self._builder.add_date_field(field_name)

    def write_timestamp(self, field_name: str, value: datetime.datetime | None) -> None:
        self._builder.add_timestamp_field(field_name)

    def write_timestamp_with_timezone(self, field_name: str, value: datetime.datetime | None) -> None:
        self._builder.add_timestamp_with_timezone_field(field_name)

    def write_byte_array(self, field_name: str, values: bytes | bytearray | None) -> None:
        self._builder.add_byte_array_field(field_name)

    def write_boolean_array(self, field_name: str, values: Sequence[bool] | None) -> None:
        self._builder.add_boolean_array_field(field_name)

    def write_char_array(self, field_name: str, values: Sequence[str] | None) -> None:
        self._builder.add_char_array_field(field_name)

    def write_short_array(self, field_name: str, values: Sequence[int] | None) -> None:
        self._builder.add_short_array_field(field_name)

    def write_int_array(self, field_name: str, values: Sequence[int] | None) -> None:
        self._builder.add_int_array_field(field_name)

    def write_long_array(self, field_name: str, values: Sequence[int] | None) -> None:
        self._builder.add_long_array_field(field_name)

    def write_float_array(self, field_name: str, values: Sequence[float] | None) -> None:
        self._builder.add_float_array_field(field_name)

    def write_double_array(self, field_name: str, values: Sequence[float] | None) -> None:
        self._builder.add_double_array_field(field_name)

    def write_string_array(self, field_name: str, values: Sequence[str | None] | None) -> None:
        self._builder.add_string_array_field(field_name)

    def write_utf_array(self, field_name: str, values: Sequence[str | None] | None) -> None:
        self._builder.add_string_array_field(field_name)

    def write_decimal_array(self, field_name: str, values: Sequence[decimal.Decimal] | None) -> None:
        self._builder.add_decimal_array_field(field_name)

    def write_time_array(self, field_name: str, values: Sequence[datetime.time] | None) -> None:
        self._builder.add_time_array_field(field_name)

    def write_date_array(self, field_name: str, values: Sequence[datetime.date] | None) -> None:
        self._builder.add_date_array_field(field_name)

    def write_timestamp_array(self, field_name: str, values: Sequence[datetime.datetime] | None) -> None:
        self._builder.add_timestamp_array_field(field_name)

    def write_timestamp_with_timezone_array(self, field_name: str, values: Sequence[datetime.datetime] | None) -> None:
        self._builder.add_timestamp_with_timezone_array_field(field_name)
