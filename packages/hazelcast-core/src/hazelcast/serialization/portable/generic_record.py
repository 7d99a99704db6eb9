"""``PortableGenericRecord``: a Portable value as named fields, without its class.

A record is what the client returns for Portable data whose factory id has no registered factory, and what
``read_portable_record`` returns; one can also be built with ``PortableGenericRecordBuilder`` from a class
definition and written like a Portable (type id -1), bytes identical to those of the Portable class.

Values are kept as the typed getters of ``GenericRecord`` return them: a nested Portable is a
``PortableGenericRecord``, arrays are lists (a byte array is a list of signed ints), a char is a
one-character string. Raw data a Portable wrote after its named fields (``get_raw_data_output``) is not
part of a record, as in Java.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.field_kind import FieldKind
from hazelcast.serialization.generic_record import GenericRecord
from hazelcast.serialization.portable.classdef import ClassDefinition, FieldDefinition, FieldType

__all__ = ["PortableGenericRecord", "PortableGenericRecordBuilder"]


class PortableGenericRecord(GenericRecord):
    """The fields of one Portable value, described by its class definition.

    Build one with ``PortableGenericRecordBuilder`` (or ``new_builder()`` / ``new_builder_with_clone()`` of an
    existing record); the constructor takes values that are already checked.
    """

    __slots__ = ("_class_def", "_values")

    def __init__(self, class_def: ClassDefinition, values: Mapping[str, Any]) -> None:
        self._class_def = class_def
        self._values = dict(values)

    def get_class_definition(self) -> ClassDefinition:
        return self._class_def

    def get_factory_id(self) -> int:
        return self._class_def.factory_id

    def get_class_id(self) -> int:
        return self._class_def.class_id

    def get_class_version(self) -> int:
        return self._class_def.version

    def get_type_name(self) -> str:
        return f"{self._class_def.factory_id}:{self._class_def.class_id}"

    def get_field_names(self) -> list[str]:
        return [field.field_name for field in self._class_def.fields_by_index()]

    def get_field_kind(self, field_name: str) -> FieldKind:
        field = self._class_def.field_defs.get(field_name)
        return FieldKind.NOT_AVAILABLE if field is None else field.field_kind

    def get_field_type(self, field_name: str) -> FieldType:
        """Portable type of the field.

        Raises:
            ValueError: there is no such field.
        """
        return self._class_def.get_field_type(field_name)

    def get(self, field_name: str) -> Any:
        try:
            return self._values[field_name]
        except KeyError:
            raise HazelcastSerializationError(
                f"the Portable record {self.get_type_name()} has no field named {field_name!r}"
            ) from None

    def new_builder(self) -> PortableGenericRecordBuilder:
        """A builder of another record of the same class definition, with no field set."""
        return PortableGenericRecordBuilder(self._class_def)

    def new_builder_with_clone(self) -> PortableGenericRecordBuilder:
        """A builder holding this record's values; any field may be set again before ``build()``."""
        return PortableGenericRecordBuilder(self._class_def, _cloned_values=self._values)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PortableGenericRecord)
            and self._class_def == other._class_def
            and self._values == other._values
        )

    def __hash__(self) -> int:
        return hash(self._class_def)

    def __repr__(self) -> str:
        class_def = self._class_def
        fields = ", ".join(f"{name}={self._values[name]!r}" for name in self.get_field_names())
        return (
            f"PortableGenericRecord(factory_id={class_def.factory_id}, class_id={class_def.class_id}, "
            f"version={class_def.version}, {fields})"
        )


# -- value checks ------------------------------------------------------------------------------------------------

_Check = Callable[[FieldDefinition, Any], Any]
"""Returns the value as the record stores it, or raises ``TypeError``/``ValueError`` explaining what is wrong."""


def _integer(bits: int) -> Callable[[Any], int]:
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected an int, got {type(value).__qualname__}")
        if not low <= value <= high:
            raise ValueError(f"{value} is outside the {bits}-bit range {low}..{high}")
        return value

    return check


def _number(value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"expected a float, got {type(value).__qualname__}")
    return float(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected a bool, got {type(value).__qualname__}")
    return value


def _char(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 1 or ord(value) > 0xFFFF:
        raise TypeError(f"expected one character of the Basic Multilingual Plane, got {value!r}")
    return value


def _instance(*types: type) -> Callable[[Any], Any]:
    names = " or ".join(t.__qualname__ for t in types)

    def check(value: Any) -> Any:
        if not isinstance(value, types):
            raise TypeError(f"expected {names}, got {type(value).__qualname__}")
        return value

    return check


def _optional(check: Callable[[Any], Any]) -> _Check:
    return lambda field, value: None if value is None else check(value)


def _required(check: Callable[[Any], Any]) -> _Check:
    return lambda field, value: check(value)


def _array(check: Callable[[Any], Any], none_items: bool = False) -> Callable[[FieldDefinition, Any], list[Any] | None]:
    def check_array(field: FieldDefinition, values: Any) -> list[Any] | None:
        if values is None:
            return None
        if isinstance(values, (str, bytes, bytearray, Mapping)) or not isinstance(values, Iterable):
            raise TypeError(f"expected a list, got {type(values).__qualname__}")
        if none_items:
            return [None if value is None else check(value) for value in values]
        items = list(values)
        if any(value is None for value in items):
            raise ValueError("the array cannot hold None items")
        return [check(value) for value in items]

    return check_array


def _byte_array(field: FieldDefinition, values: Any) -> list[Any] | None:
    if isinstance(values, (bytes, bytearray)):
        return list(memoryview(values).cast("b"))
    return _array(_integer(8))(field, values)


def _nested_record(field: FieldDefinition, value: Any) -> PortableGenericRecord:
    if not isinstance(value, PortableGenericRecord):
        raise TypeError(f"expected a PortableGenericRecord, got {type(value).__qualname__}")
    if (value.get_factory_id(), value.get_class_id()) != (field.factory_id, field.class_id):
        raise ValueError(
            f"the field holds Portables of factory id {field.factory_id}, class id {field.class_id}; the record "
            f"is of {value.get_type_name()}"
        )
    return value


def _portable_array(field: FieldDefinition, values: Any) -> list[Any] | None:
    return _array(lambda value: _nested_record(field, value))(field, values)


_time = _instance(datetime.time)
_date = _instance(datetime.date)
_datetime = _instance(datetime.datetime)
_decimal = _instance(decimal.Decimal)

_CHECKS: dict[FieldType, _Check] = {
    FieldType.PORTABLE: lambda field, value: None if value is None else _nested_record(field, value),
    FieldType.BYTE: _required(_integer(8)),
    FieldType.BOOLEAN: _required(_boolean),
    FieldType.CHAR: _required(_char),
    FieldType.SHORT: _required(_integer(16)),
    FieldType.INT: _required(_integer(32)),
    FieldType.LONG: _required(_integer(64)),
    FieldType.FLOAT: _required(_number),
    FieldType.DOUBLE: _required(_number),
    FieldType.STRING: _optional(_instance(str)),
    FieldType.PORTABLE_ARRAY: _portable_array,
    FieldType.BYTE_ARRAY: _byte_array,
    FieldType.BOOLEAN_ARRAY: _array(_boolean),
    FieldType.CHAR_ARRAY: _array(_char),
    FieldType.SHORT_ARRAY: _array(_integer(16)),
    FieldType.INT_ARRAY: _array(_integer(32)),
    FieldType.LONG_ARRAY: _array(_integer(64)),
    FieldType.FLOAT_ARRAY: _array(_number),
    FieldType.DOUBLE_ARRAY: _array(_number),
    FieldType.STRING_ARRAY: _array(_instance(str), none_items=True),
    FieldType.DECIMAL: _optional(_decimal),
    FieldType.DECIMAL_ARRAY: _array(_decimal),
    FieldType.TIME: _optional(_time),
    FieldType.TIME_ARRAY: _array(_time),
    FieldType.DATE: _optional(_date),
    FieldType.DATE_ARRAY: _array(_date),
    FieldType.TIMESTAMP: _optional(_datetime),
    FieldType.TIMESTAMP_ARRAY: _array(_datetime),
    FieldType.TIMESTAMP_WITH_TIMEZONE: _optional(_datetime),
    FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY: _array(_datetime),
}


class PortableGenericRecordBuilder:
    """Builds a ``PortableGenericRecord`` of the class ``class_def`` describes.

    Every field of the class definition must be set, once, with the setter of its kind (``set_int32`` for an
    ``INT`` field, ``set_generic_record`` for a nested Portable, ...). Setters return the builder.

    Raises (from the setters):
        HazelcastSerializationError: the class definition has no such field, the field has another kind, it
            was already set, or the value does not fit the field.
    """

    __slots__ = ("_class_def", "_is_clone", "_values")

    def __init__(self, class_def: ClassDefinition, *, _cloned_values: Mapping[str, Any] | None = None) -> None:
        self._class_def = class_def
        self._is_clone = _cloned_values is not None
        self._values: dict[str, Any] = dict(_cloned_values or {})

    def build(self) -> PortableGenericRecord:
        """The record.

        Raises:
            HazelcastSerializationError: a field of the class definition was not set.
        """
        missing = [name for name in self._class_def.field_defs if name not in self._values]
        if missing:
            raise HazelcastSerializationError(
                f"fields {missing} of the Portable class {self._class_def.factory_id}:{self._class_def.class_id} "
                f"are not set; every field must be set before build()"
            )
        return PortableGenericRecord(self._class_def, self._values)

    def _set(self, field_name: str, kind: FieldKind, value: Any) -> PortableGenericRecordBuilder:
        class_def = self._class_def
        field = class_def.field_defs.get(field_name)
        if field is None:
            raise HazelcastSerializationError(
                f"the class definition {class_def.factory_id}:{class_def.class_id} has no field {field_name!r}"
            )
        if field.field_kind != kind:
            raise HazelcastSerializationError(
                f"field {field_name!r} is {field.field_kind.name}; it cannot be set as {kind.name}"
            )
        if not self._is_clone and field_name in self._values:
            raise HazelcastSerializationError(f"field {field_name!r} is already set")
        try:
            self._values[field_name] = _CHECKS[field.field_type](field, value)
        except (TypeError, ValueError) as error:
            raise HazelcastSerializationError(f"field {field_name!r}: {error}") from None
        return self

    def set_boolean(self, field_name: str, value: bool) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.BOOLEAN, value)

    def set_int8(self, field_name: str, value: int) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.INT8, value)

    def set_char(self, field_name: str, value: str) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.CHAR, value)

    def set_int16(self, field_name: str, value: int) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.INT16, value)

    def set_int32(self, field_name: str, value: int) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.INT32, value)

    def set_int64(self, field_name: str, value: int) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.INT64, value)

    def set_float32(self, field_name: str, value: float) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.FLOAT32, value)

    def set_float64(self, field_name: str, value: float) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.FLOAT64, value)

    def set_string(self, field_name: str, value: str | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.STRING, value)

    def set_decimal(self, field_name: str, value: decimal.Decimal | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.DECIMAL, value)

    def set_time(self, field_name: str, value: datetime.time | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.TIME, value)

    def set_date(self, field_name: str, value: datetime.date | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.DATE, value)

    def set_timestamp(self, field_name: str, value: datetime.datetime | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.TIMESTAMP, value)

    def set_timestamp_with_timezone(
        self, field_name: str, value: datetime.datetime | None
    ) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.TIMESTAMP_WITH_TIMEZONE, value)

    def set_generic_record(self, field_name: str, value: PortableGenericRecord | None) -> PortableGenericRecordBuilder:
        """Set a nested Portable field; the record must be of the field's factory and class id."""
        return self._set(field_name, FieldKind.PORTABLE, value)

    def set_array_of_boolean(self, field_name: str, value: Iterable[bool] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_BOOLEAN, value)

    def set_array_of_int8(
        self, field_name: str, value: Iterable[int] | bytes | bytearray | None
    ) -> PortableGenericRecordBuilder:
        """Set a byte array field, from signed ints or from ``bytes``."""
        return self._set(field_name, FieldKind.ARRAY_OF_INT8, value)

    def set_array_of_char(self, field_name: str, value: Iterable[str] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_CHAR, value)

    def set_array_of_int16(self, field_name: str, value: Iterable[int] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_INT16, value)

    def set_array_of_int32(self, field_name: str, value: Iterable[int] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_INT32, value)

    def set_array_of_int64(self, field_name: str, value: Iterable[int] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_INT64, value)

    def set_array_of_float32(self, field_name: str, value: Iterable[float] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_FLOAT32, value)

    def set_array_of_float64(self, field_name: str, value: Iterable[float] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_FLOAT64, value)

    def set_array_of_string(self, field_name: str, value: Iterable[str | None] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_STRING, value)

    def set_array_of_decimal(
        self, field_name: str, value: Iterable[decimal.Decimal] | None
    ) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_DECIMAL, value)

    def set_array_of_time(self, field_name: str, value: Iterable[datetime.time] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_TIME, value)

    def set_array_of_date(self, field_name: str, value: Iterable[datetime.date] | None) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_DATE, value)

    def set_array_of_timestamp(
        self, field_name: str, value: Iterable[datetime.datetime] | None
    ) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_TIMESTAMP, value)

    def set_array_of_timestamp_with_timezone(
        self, field_name: str, value: Iterable[datetime.datetime] | None
    ) -> PortableGenericRecordBuilder:
        return self._set(field_name, FieldKind.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE, value)

    def set_array_of_generic_record(
        self, field_name: str, value: Iterable[PortableGenericRecord] | None
    ) -> PortableGenericRecordBuilder:
        """Set a Portable array field; every record must be of the field's factory and class id."""
        return self._set(field_name, FieldKind.ARRAY_OF_PORTABLE, value)
