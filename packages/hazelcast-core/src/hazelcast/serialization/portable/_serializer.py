"""The Portable serializer (type id -1) and the reading of Portable data as ``PortableGenericRecord``.

A serialized Portable is ``int32 factory id, int32 class id, int32 version`` followed by the body (see
``_writer``); a nested Portable is the version and the body only, its ids being in front of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization._input import BufferObjectDataInput, input_class
from hazelcast.serialization._output import BufferObjectDataOutput
from hazelcast.serialization.api import ObjectDataInput, ObjectDataOutput
from hazelcast.serialization.portable._context import PortableContext, read_class_definition
from hazelcast.serialization.portable._reader import DefaultPortableReader, MorphingPortableReader
from hazelcast.serialization.portable._writer import ClassDefinitionWriter, DefaultPortableWriter
from hazelcast.serialization.portable.classdef import ClassDefinition, ClassDefinitionBuilder, FieldType
from hazelcast.serialization.portable.generic_record import PortableGenericRecord

__all__ = ["PortableFactories", "PortableSerializer", "read_portable_record"]

PortableFactories = Mapping[int, Mapping[int, Callable[[], Any]]]
"""``{factory_id: {class_id: zero-argument constructor}}`` (``Config.portable_factories``)."""

_D = DefaultPortableReader
_W = DefaultPortableWriter


def _signed_bytes(reader: DefaultPortableReader, name: str) -> list[int] | None:
    raw = reader.read_byte_array(name)
    return None if raw is None else list(memoryview(raw).cast("b"))


def _write_signed_bytes(writer: DefaultPortableWriter, name: str, values: list[int] | None) -> None:
    writer.write_byte_array(name, None if values is None else bytes(value & 0xFF for value in values))


# How a PortableGenericRecord holds each field type, as read from and written to a body.
_RECORD_READS: dict[FieldType, Callable[[DefaultPortableReader, str], Any]] = {
    FieldType.PORTABLE: _D.read_portable,
    FieldType.BYTE: _D.read_byte,
    FieldType.BOOLEAN: _D.read_boolean,
    FieldType.CHAR: _D.read_char,
    FieldType.SHORT: _D.read_short,
    FieldType.INT: _D.read_int,
    FieldType.LONG: _D.read_long,
    FieldType.FLOAT: _D.read_float,
    FieldType.DOUBLE: _D.read_double,
    FieldType.STRING: _D.read_string,
    FieldType.PORTABLE_ARRAY: _D.read_portable_array,
    FieldType.BYTE_ARRAY: _signed_bytes,
    FieldType.BOOLEAN_ARRAY: _D.read_boolean_array,
    FieldType.CHAR_ARRAY: _D.read_char_array,
    FieldType.SHORT_ARRAY: _D.read_short_array,
    FieldType.INT_ARRAY: _D.read_int_array,
    FieldType.LONG_ARRAY: _D.read_long_array,
    FieldType.FLOAT_ARRAY: _D.read_float_array,
    FieldType.DOUBLE_ARRAY: _D.read_double_array,
    FieldType.STRING_ARRAY: _D.read_string_array,
    FieldType.DECIMAL: _D.read_decimal,
    FieldType.DECIMAL_ARRAY: _D.read_decimal_array,
    FieldType.TIME: _D.read_time,
    FieldType.TIME_ARRAY: _D.read_time_array,
    FieldType.DATE: _D.read_date,
    FieldType.DATE_ARRAY: _D.read_date_array,
    FieldType.TIMESTAMP: _D.read_timestamp,
    FieldType.TIMESTAMP_ARRAY: _D.read_timestamp_array,
    FieldType.TIMESTAMP_WITH_TIMEZONE: _D.read_timestamp_with_timezone,
    FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY: _D.read_timestamp_with_timezone_array,
}
_RECORD_WRITES: dict[FieldType, Callable[[DefaultPortableWriter, str, Any], None]] = {
    FieldType.PORTABLE: _W.write_portable,
    FieldType.BYTE: _W.write_byte,
    FieldType.BOOLEAN: _W.write_boolean,
    FieldType.CHAR: _W.write_char,
    FieldType.SHORT: _W.write_short,
    FieldType.INT: _W.write_int,
    FieldType.LONG: _W.write_long,
    FieldType.FLOAT: _W.write_float,
    FieldType.DOUBLE: _W.write_double,
    FieldType.STRING: _W.write_string,
    FieldType.PORTABLE_ARRAY: _W.write_portable_array,
    FieldType.BYTE_ARRAY: _write_signed_bytes,
    FieldType.BOOLEAN_ARRAY: _W.write_boolean_array,
    FieldType.CHAR_ARRAY: _W.write_char_array,
    FieldType.SHORT_ARRAY: _W.write_short_array,
    FieldType.INT_ARRAY: _W.write_int_array,
    FieldType.LONG_ARRAY: _W.write_long_array,
    FieldType.FLOAT_ARRAY: _W.write_float_array,
    FieldType.DOUBLE_ARRAY: _W.write_double_array,
    FieldType.STRING_ARRAY: _W.write_string_array,
    FieldType.DECIMAL: _W.write_decimal,
    FieldType.DECIMAL_ARRAY: _W.write_decimal_array,
    FieldType.TIME: _W.write_time,
    FieldType.TIME_ARRAY: _W.write_time_array,
    FieldType.DATE: _W.write_date,
    FieldType.DATE_ARRAY: _W.write_date_array,
    FieldType.TIMESTAMP: _W.write_timestamp,
    FieldType.TIMESTAMP_ARRAY: _W.write_timestamp_array,
    FieldType.TIMESTAMP_WITH_TIMEZONE: _W.write_timestamp_with_timezone,
    FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY: _W.write_timestamp_with_timezone_array,
}


class _RecordReading:
    """Reads Portables, nested ones included, as ``PortableGenericRecord``.

    ``definitions`` finds the class definition of a body: the service's registry, or (for
    ``read_portable_record``) the data alone.
    """

    __slots__ = ("_definitions",)

    def __init__(self, definitions: Callable[[ObjectDataInput, int, int, int], ClassDefinition]) -> None:
        self._definitions = definitions

    def class_definition(
        self, inp: BufferObjectDataInput, factory_id: int, class_id: int, version: int
    ) -> ClassDefinition:
        return self._definitions(inp, factory_id, class_id, version)

    def read_nested(self, inp: BufferObjectDataInput, factory_id: int, class_id: int) -> PortableGenericRecord:
        version = inp.read_int()
        class_def = self._definitions(inp, factory_id, class_id, version)
        reader = DefaultPortableReader(self, inp, class_def)
        values = {field.field_name: _RECORD_READS[field.field_type](reader, field.field_name) for field in class_def}
        reader.end()
        return PortableGenericRecord(class_def, values)


def _definition_from_data(inp: ObjectDataInput, factory_id: int, class_id: int, version: int) -> ClassDefinition:
    return read_class_definition(inp, factory_id, class_id, version)


_FROM_DATA_ONLY = _RecordReading(_definition_from_data)


def _refuse_objects(inp: BufferObjectDataInput) -> Any:
    raise HazelcastSerializationError("Portable fields never hold arbitrary objects")


def read_portable_record(payload: bytes, offset: int, big_endian: bool = True) -> PortableGenericRecord:
    """Read the Portable at ``payload[offset:]`` as a ``PortableGenericRecord``, with no configuration.

    ``offset`` is where the factory id starts: 8 for a whole serialized object (after the partition hash and
    the type id -1). Portable data holds positions counted from the start of the serialized object it was
    written in, so ``payload`` must hold that object from its first byte (a Portable inside a list is read
    from the list's serialized bytes, at the item's offset). The class definitions (of nested Portables too)
    are rebuilt from the data, which carries every field's name and type. ``big_endian`` is the payload byte
    order (``Config.is_big_endian`` of the writer).

    Raises:
        HazelcastSerializationError: the payload is not well-formed Portable data.
    """
    inp = input_class(big_endian)(payload, offset, _refuse_objects)
    try:
        factory_id = inp.read_int()
        class_id = inp.read_int()
        return _FROM_DATA_ONLY.read_nested(inp, factory_id, class_id)
    except HazelcastSerializationError:
        raise
    except Exception as error:
        raise HazelcastSerializationError(f"malformed Portable data at offset {offset}: {error}") from error


class PortableSerializer:
    """Writes Portables and ``PortableGenericRecord``; reads them back with ``Config.portable_factories``.

    Data of a factory id that has no registered factory is read as a ``PortableGenericRecord`` (as the Java
    client does; the official Python client raises instead). A registered factory without the class id is
    a configuration mistake and raises.
    """

    __slots__ = ("_context", "_factories", "_new_output", "_records")

    def __init__(
        self,
        context: PortableContext,
        factories: PortableFactories,
        new_output: Callable[[], ObjectDataOutput],
    ) -> None:
        self._context = context
        self._factories = {factory_id: dict(classes) for factory_id, classes in factories.items()}
        self._new_output = new_output
        self._records = _RecordReading(context.definition_from_data)

    # -- writing ---------------------------------------------------------------------------------------------------

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        class_id = obj.get_class_id()
        if class_id == 0:
            raise HazelcastSerializationError(
                f"{type(obj).__qualname__} has class id 0; Portable class ids must not be 0"
            )
        out.write_int(obj.get_factory_id())
        out.write_int(class_id)
        # The service hands every serializer its own stream class.
        self.write_internal(cast(BufferObjectDataOutput, out), obj)

    def write_internal(self, out: BufferObjectDataOutput, portable: Any) -> None:
        if isinstance(portable, PortableGenericRecord):
            class_def = self._context.register(portable.get_class_definition())
            out.write_int(class_def.version)
            writer = DefaultPortableWriter(self, out, class_def)
            get = portable.get
            for field in class_def:
                _RECORD_WRITES[field.field_type](writer, field.field_name, get(field.field_name))
        else:
            class_def = self._class_definition_of(portable)
            out.write_int(class_def.version)
            writer = DefaultPortableWriter(self, out, class_def)
            portable.write_portable(writer)
        writer.end()

    def _class_definition_of(self, portable: Any) -> ClassDefinition:
        context = self._context
        factory_id = portable.get_factory_id()
        class_id = portable.get_class_id()
        version = context.version_of(portable)
        class_def = context.lookup(factory_id, class_id, version)
        if class_def is None:
            builder = ClassDefinitionBuilder(factory_id, class_id, version)
            definer = ClassDefinitionWriter(context, builder, self._new_output)
            portable.write_portable(definer)
            class_def = definer.register_and_get()
        return class_def

    # -- reading ---------------------------------------------------------------------------------------------------

    def read(self, inp: ObjectDataInput) -> Any:
        factory_id = inp.read_int()
        class_id = inp.read_int()
        # The service hands every serializer its own stream class.
        return self.read_nested(cast(BufferObjectDataInput, inp), factory_id, class_id)

    def read_nested(self, inp: BufferObjectDataInput, factory_id: int, class_id: int) -> Any:
        classes = self._factories.get(factory_id)
        if classes is None:
            return self._records.read_nested(inp, factory_id, class_id)
        constructor = classes.get(class_id)
        if constructor is None:
            raise HazelcastSerializationError(
                f"the Portable factory {factory_id} has no class id {class_id}; add it to "
                f"Config.portable_factories[{factory_id}]"
            )
        version = inp.read_int()
        portable = constructor()
        class_def = self._context.definition_from_data(inp, factory_id, class_id, version)
        # Data of another version than the class's own is read leniently, as Java's morphing reader does.
        same_version = self._context.version_of(portable) == version
        reader = (DefaultPortableReader if same_version else MorphingPortableReader)(self, inp, class_def)
        portable.read_portable(reader)
        reader.end()
        return portable

    def class_definition(
        self, inp: BufferObjectDataInput, factory_id: int, class_id: int, version: int
    ) -> ClassDefinition:
        return self._context.definition_from_data(inp, factory_id, class_id, version)
