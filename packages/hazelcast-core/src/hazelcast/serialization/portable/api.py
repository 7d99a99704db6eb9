"""User-facing Portable API: ``Portable`` and the field-by-field ``PortableReader`` / ``PortableWriter``.

Names and semantics follow the official Hazelcast Python client, so Portable classes written for it work here
unchanged. A Portable is created by the factory registered in ``Config.portable_factories`` as
``{factory_id: {class_id: class}}``; a Java member (or any client) holding the same ids and class definition
reads the same fields, and queries them without the class.
"""

from __future__ import annotations

import abc
import datetime
import decimal
from collections.abc import Sequence
from typing import Any

from hazelcast.serialization.api import ObjectDataInput, ObjectDataOutput
from hazelcast.serialization.portable.classdef import FieldType

__all__ = ["Portable", "PortableReader", "PortableWriter"]


class Portable(abc.ABC):
    """An object that writes and reads its own named fields, re-created by a registered factory.

    The version of the class is ``Config.portable_version`` unless the class defines a
    ``get_class_version() -> int`` method; data written with another version is read with a reader that
    returns defaults for missing fields and widens numeric ones (Java's morphing reader).
    """

    __slots__ = ()

    @abc.abstractmethod
    def write_portable(self, writer: PortableWriter) -> None:
        """Write every field of this object to ``writer``, always in the same order."""

    @abc.abstractmethod
    def read_portable(self, reader: PortableReader) -> None:
        """Fill this freshly created object from ``reader``."""

    @abc.abstractmethod
    def get_factory_id(self) -> int:
        """Id of the factory that creates this class."""

    @abc.abstractmethod
    def get_class_id(self) -> int:
        """Id of this class within its factory; must not be 0."""


class PortableReader(abc.ABC):
    """Reads the fields of a Portable by name, in any order.

    Every ``read_*`` method raises ``HazelcastSerializationError`` when there is no field of that name or it
    has another type. A name with dots (``"address.city"``) reads a field of a nested Portable.
    """

    __slots__ = ()

    @abc.abstractmethod
    def get_version(self) -> int:
        """Version of the class definition the data was written with."""

    @abc.abstractmethod
    def has_field(self, field_name: str) -> bool:
        """Whether the data has a field of that name (no nested paths)."""

    @abc.abstractmethod
    def get_field_names(self) -> list[str]:
        """Names of the fields of the data."""

    @abc.abstractmethod
    def get_field_type(self, field_name: str) -> FieldType:
        """Type of the field; ``ValueError`` when there is no such field."""

    @abc.abstractmethod
    def get_field_class_id(self, field_name: str) -> int:
        """Class id of a nested Portable field (0 for other fields)."""

    @abc.abstractmethod
    def read_byte(self, field_name: str) -> int:
        """Read a signed 8-bit integer."""

    @abc.abstractmethod
    def read_boolean(self, field_name: str) -> bool:
        """Read a boolean."""

    @abc.abstractmethod
    def read_char(self, field_name: str) -> str:
        """Read a UTF-16 code unit as a one-character string."""

    @abc.abstractmethod
    def read_short(self, field_name: str) -> int:
        """Read a signed 16-bit integer."""

    @abc.abstractmethod
    def read_int(self, field_name: str) -> int:
        """Read a signed 32-bit integer."""

    @abc.abstractmethod
    def read_long(self, field_name: str) -> int:
        """Read a signed 64-bit integer."""

    @abc.abstractmethod
    def read_float(self, field_name: str) -> float:
        """Read a 32-bit float."""

    @abc.abstractmethod
    def read_double(self, field_name: str) -> float:
        """Read a 64-bit float."""

    @abc.abstractmethod
    def read_string(self, field_name: str) -> str | None:
        """Read a string."""

    @abc.abstractmethod
    def read_utf(self, field_name: str) -> str | None:
        """Same as ``read_string`` (the 4.0 name)."""

    @abc.abstractmethod
    def read_decimal(self, field_name: str) -> decimal.Decimal | None:
        """Read a decimal (Java ``BigDecimal``)."""

    @abc.abstractmethod
    def read_time(self, field_name: str) -> datetime.time | None:
        """Read a time (Java ``LocalTime``)."""

    @abc.abstractmethod
    def read_date(self, field_name: str) -> datetime.date | None:
        """Read a date (Java ``LocalDate``)."""

    @abc.abstractmethod
    def read_timestamp(self, field_name: str) -> datetime.datetime | None:
        """Read a naive timestamp (Java ``LocalDateTime``)."""

    @abc.abstractmethod
    def read_timestamp_with_timezone(self, field_name: str) -> datetime.datetime | None:
        """Read a timestamp with a fixed UTC offset (Java ``OffsetDateTime``)."""

    @abc.abstractmethod
    def read_portable(self, field_name: str) -> Any:
        """Read a nested Portable (a ``PortableGenericRecord`` when its class has no registered factory)."""

    @abc.abstractmethod
    def read_byte_array(self, field_name: str) -> bytes | None:
        """Read a byte array."""

    @abc.abstractmethod
    def read_boolean_array(self, field_name: str) -> list[bool] | None:
        """Read a boolean array."""

    @abc.abstractmethod
    def read_char_array(self, field_name: str) -> list[str] | None:
        """Read a char array."""

    @abc.abstractmethod
    def read_short_array(self, field_name: str) -> list[int] | None:
        """Read a short array."""

    @abc.abstractmethod
    def read_int_array(self, field_name: str) -> list[int] | None:
        """Read an int array."""

    @abc.abstractmethod
    def read_long_array(self, field_name: str) -> list[int] | None:
        """Read a long array."""

    @abc.abstractmethod
    def read_float_array(self, field_name: str) -> list[float] | None:
        """Read a float array."""

    @abc.abstractmethod
    def read_double_array(self, field_name: str) -> list[float] | None:
        """Read a double array."""

    @abc.abstractmethod
    def read_string_array(self, field_name: str) -> list[str | None] | None:
        """Read a string array."""

    @abc.abstractmethod
    def read_utf_array(self, field_name: str) -> list[str | None] | None:
        """Same as ``read_string_array`` (the 4.0 name)."""

    @abc.abstractmethod
    def read_decimal_array(self, field_name: str) -> list[decimal.Decimal] | None:
        """Read a decimal array."""

    @abc.abstractmethod
    def read_time_array(self, field_name: str) -> list[datetime.time] | None:
        """Read a time array."""

    @abc.abstractmethod
    def read_date_array(self, field_name: str) -> list[datetime.date] | None:
        """Read a date array."""

    @abc.abstractmethod
    def read_timestamp_array(self, field_name: str) -> list[datetime.datetime] | None:
        """Read a timestamp array."""

    @abc.abstractmethod
    def read_timestamp_with_timezone_array(self, field_name: str) -> list[datetime.datetime] | None:
        """Read an array of timestamps with UTC offsets."""

    @abc.abstractmethod
    def read_portable_array(self, field_name: str) -> list[Any] | None:
        """Read an array of nested Portables."""

    @abc.abstractmethod
    def get_raw_data_input(self) -> ObjectDataInput:
        """The stream after the named fields, holding what ``get_raw_data_output`` wrote; no named field can be
        read afterwards."""


class PortableWriter(abc.ABC):
    """Writes the named fields of a Portable, in the order of its class definition.

    Every ``write_*`` method raises ``HazelcastSerializationError`` when the field is not in the class
    definition, has another type there, or was already written.
    """

    __slots__ = ()

    @abc.abstractmethod
    def write_byte(self, field_name: str, value: int) -> None:
        """Write a signed 8-bit integer."""

    @abc.abstractmethod
    def write_boolean(self, field_name: str, value: bool) -> None:
        """Write a boolean."""

    @abc.abstractmethod
    def write_char(self, field_name: str, value: str) -> None:
        """Write one character as a UTF-16 code unit."""

    @abc.abstractmethod
    def write_short(self, field_name: str, value: int) -> None:
        """Write a signed 16-bit integer."""

    @abc.abstractmethod
    def write_int(self, field_name: str, value: int) -> None:
        """Write a signed 32-bit integer."""

    @abc.abstractmethod
    def write_long(self, field_name: str, value: int) -> None:
        """Write a signed 64-bit integer."""

    @abc.abstractmethod
    def write_float(self, field_name: str, value: float) -> None:
        """Write a 32-bit float."""

    @abc.abstractmethod
    def write_double(self, field_name: str, value: float) -> None:
        """Write a 64-bit float."""

    @abc.abstractmethod
    def write_string(self, field_name: str, value: str | None) -> None:
        """Write a string (None allowed)."""

    @abc.abstractmethod
    def write_utf(self, field_name: str, value: str | None) -> None:
        """Same as ``write_string`` (the 4.0 name)."""

    @abc.abstractmethod
    def write_decimal(self, field_name: str, value: decimal.Decimal | None) -> None:
        """Write a decimal (Java ``BigDecimal``; None allowed)."""

    @abc.abstractmethod
    def write_time(self, field_name: str, value: datetime.time | None) -> None:
        """Write a time (Java ``LocalTime``; None allowed)."""

    @abc.abstractmethod
    def write_date(self, field_name: str, value: datetime.date | None) -> None:
        """Write a date (Java ``LocalDate``; years -32768..32767 as Java's Portable format allows)."""

    @abc.abstractmethod
    def write_timestamp(self, field_name: str, value: datetime.datetime | None) -> None:
        """Write a timestamp without its time zone (Java ``LocalDateTime``; None allowed)."""

    @abc.abstractmethod
    def write_timestamp_with_timezone(self, field_name: str, value: datetime.datetime | None) -> None:
        """Write a timestamp and its UTC offset (Java ``OffsetDateTime``; a naive one gets offset 0)."""

    @abc.abstractmethod
    def write_portable(self, field_name: str, portable: Any) -> None:
        """Write a nested Portable (or ``PortableGenericRecord``) of the field's class; None needs the
        field's class definition to be registered (or use ``write_null_portable``)."""

    @abc.abstractmethod
    def write_null_portable(self, field_name: str, factory_id: int, class_id: int) -> None:
        """Write a null nested Portable of the given class."""

    @abc.abstractmethod
    def write_byte_array(self, field_name: str, values: bytes | bytearray | None) -> None:
        """Write a byte array."""

    @abc.abstractmethod
    def write_boolean_array(self, field_name: str, values: Sequence[bool] | None) -> None:
        """Write a boolean array."""

    @abc.abstractmethod
    def write_char_array(self, field_name: str, values: Sequence[str] | None) -> None:
        """Write a char array."""

    @abc.abstractmethod
    def write_short_array(self, field_name: str, values: Sequence[int] | None) -> None:
        """Write a short array."""

    @abc.abstractmethod
    def write_int_array(self, field_name: str, values: Sequence[int] | None) -> None:
        """Write an int array."""

    @abc.abstractmethod
    def write_long_array(self, field_name: str, values: Sequence[int] | None) -> None:
        """Write a long array."""

    @abc.abstractmethod
    def write_float_array(self, field_name: str, values: Sequence[float] | None) -> None:
        """Write a float array."""

    @abc.abstractmethod
    def write_double_array(self, field_name: str, values: Sequence[float] | None) -> None:
        """Write a double array."""

    @abc.abstractmethod
    def write_string_array(self, field_name: str, values: Sequence[str | None] | None) -> None:
        """Write a string array."""

    @abc.abstractmethod
    def write_utf_array(self, field_name: str, values: Sequence[str | None] | None) -> None:
        """Same as ``write_string_array`` (the 4.0 name)."""

    @abc.abstractmethod
    def write_decimal_array(self, field_name: str, values: Sequence[decimal.Decimal] | None) -> None:
        """Write a decimal array (items must not be None)."""

    @abc.abstractmethod
    def write_time_array(self, field_name: str, values: Sequence[datetime.time] | None) -> None:
        """Write a time array (items must not be None)."""

    @abc.abstractmethod
    def write_date_array(self, field_name: str, values: Sequence[datetime.date] | None) -> None:
        """Write a date array (items must not be None)."""

    @abc.abstractmethod
    def write_timestamp_array(self, field_name: str, values: Sequence[datetime.datetime] | None) -> None:
        """Write a timestamp array (items must not be None)."""

    @abc.abstractmethod
    def write_timestamp_with_timezone_array(self, field_name: str, values: Sequence[datetime.datetime] | None) -> None:
        """Write an array of timestamps with UTC offsets (items must not be None)."""

    @abc.abstractmethod
    def write_portable_array(self, field_name: str, values: Sequence[Any] | None) -> None:
        """Write an array of nested Portables, all of the field's class (items must not be None)."""

    @abc.abstractmethod
    def get_raw_data_output(self) -> ObjectDataOutput:
        """A stream for data after the named fields (read back with ``get_raw_data_input``); no named field
        can be written afterwards."""
