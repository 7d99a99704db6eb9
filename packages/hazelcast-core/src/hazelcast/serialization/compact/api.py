"""The Compact serialization API: ``CompactSerializer`` and the ``CompactReader`` / ``CompactWriter`` it is given.

Names and semantics follow the official Hazelcast Python client (``hazelcast.serialization.api``), so
serializers written for it work here unchanged. Register one ``CompactSerializer`` instance per class in
``Config.compact_serializers``; objects of that exact class are then written in the Compact format under the
serializer's type name.

A field is written with the ``write_*`` method of its kind and read back with the matching ``read_*`` method.
Readers are lenient the way Java's are: ``read_int32`` also reads a ``NULLABLE_INT32`` field that holds a value,
``read_nullable_int32`` also reads an ``INT32`` field, and the array readers of fixed-size kinds read arrays of
the nullable kind that hold no None. Anything else that does not match the written kind raises
``HazelcastSerializationError``; ``get_field_kind`` tells which fields exist, for classes that evolve.
"""

from __future__ import annotations

import abc
import datetime
import decimal
from typing import Any, Generic, TypeVar

from hazelcast.serialization.field_kind import FieldKind

__all__ = ["CompactReader", "CompactSerializableType", "CompactSerializer", "CompactWriter"]

CompactSerializableType = TypeVar("CompactSerializableType")
"""The class a ``CompactSerializer`` reads and writes."""


class CompactReader(abc.ABC):
    """Reads the fields of one Compact value, by name, in any order."""

    __slots__ = ()

    @abc.abstractmethod
    def get_field_kind(self, field_name: str) -> FieldKind:
        """Kind of the field, or ``FieldKind.NOT_AVAILABLE`` when the value has no such field."""

    @abc.abstractmethod
    def read_boolean(self, field_name: str) -> bool:
        """Read the BOOLEAN field (or a NULLABLE_BOOLEAN field that is not None)."""

    @abc.abstractmethod
    def read_nullable_boolean(self, field_name: str) -> bool | None:
        """Read the NULLABLE_BOOLEAN field (or a BOOLEAN field)."""

    @abc.abstractmethod
    def read_int8(self, field_name: str) -> int:
        """Read the INT8 field (or a NULLABLE_INT8 field that is not None)."""

    @abc.abstractmethod
    def read_nullable_int8(self, field_name: str) -> int | None:
        """Read the NULLABLE_INT8 field (or an INT8 field)."""

    @abc.abstractmethod
    def read_int16(self, field_name: str) -> int:
        """Read the INT16 field (or a NULLABLE_INT16 field that is not None)."""

    @abc.abstractmethod
    def read_nullable_int16(self, field_name: str) -> int | None:
        """Read the NULLABLE_INT16 field (or an INT16 field)."""

    @abc.abstractmethod
    def read_int32(self, field_name: str) -> int:
        """Read the INT32 field (or a NULLABLE_INT32 field that is not None)."""

    @abc.abstractmethod
    def read_nullable_int32(self, field_name: str) -> int | None:
        """Read the NULLABLE_INT32 field (or an INT32 field)."""

    @abc.abstractmethod
    def read_int64(self, field_name: str) -> int:
        """Read the INT64 field (or a NULLABLE_INT64 field that is not None)."""

    @abc.abstractmethod
    def read_nullable_int64(self, field_name: str) -> int | None:
        """Read the NULLABLE_INT64 field (or an INT64 field)."""

    @abc.abstractmethod
    def read_float32(self, field_name: str) -> float:
        """Read the FLOAT32 field (or a NULLABLE_FLOAT32 field that is not None)."""

    @abc.abstractmethod
    def read_nullable_float32(self, field_name: str) -> float | None:
        """Read the NULLABLE_FLOAT32 field (or a FLOAT32 field)."""

    @abc.abstractmethod
    def read_float64(self, field_name: str) -> float:
        """Read the FLOAT64 field (or a NULLABLE_FLOAT64 field that is not None)."""

    @abc.abstractmethod
    def read_nullable_float64(self, field_name: str) -> float | None:
        """Read the NULLABLE_FLOAT64 field (or a FLOAT64 field)."""

    @abc.abstractmethod
    def read_string(self, field_name: str) -> str | None:
        """Read the STRING field."""

    @abc.abstractmethod
    def read_decimal(self, field_name: str) -> decimal.Decimal | None:
        """Read the DECIMAL field."""

    @abc.abstractmethod
    def read_time(self, field_name: str) -> datetime.time | None:
        """Read the TIME field."""

    @abc.abstractmethod
    def read_date(self, field_name: str) -> datetime.date | None:
        """Read the DATE field."""

    @abc.abstractmethod
    def read_timestamp(self, field_name: str) -> datetime.datetime | None:
        """Read the TIMESTAMP field."""

    @abc.abstractmethod
    def read_timestamp_with_timezone(self, field_name: str) -> datetime.datetime | None:
        """Read the TIMESTAMP_WITH_TIMEZONE field."""

    @abc.abstractmethod
    def read_compact(self, field_name: str) -> Any:
        """Read a nested Compact value: an object of the registered class for its type name, or a GenericRecord."""

    @abc.abstractmethod
    def read_array_of_boolean(self, field_name: str) -> list[bool] | None:
        """Read the ARRAY_OF_BOOLEAN field (or an ARRAY_OF_NULLABLE_BOOLEAN field without None items)."""

    @abc.abstractmethod
    def read_array_of_nullable_boolean(self, field_name: str) -> list[bool | None] | None:
        """Read the ARRAY_OF_NULLABLE_BOOLEAN field (or an ARRAY_OF_BOOLEAN field)."""

    @abc.abstractmethod
    def read_array_of_int8(self, field_name: str) -> list[int] | None:
        """Read the ARRAY_OF_INT8 field (or an ARRAY_OF_NULLABLE_INT8 field without None items)."""

    @abc.abstractmethod
    def read_array_of_nullable_int8(self, field_name: str) -> list[int | None] | None:
        """Read the ARRAY_OF_NULLABLE_INT8 field (or an ARRAY_OF_INT8 field)."""

    @abc.abstractmethod
    def read_array_of_int16(self, field_name: str) -> list[int] | None:
        """Read the ARRAY_OF_INT16 field (or an ARRAY_OF_NULLABLE_INT16 field without None items)."""

    @abc.abstractmethod
    def read_array_of_nullable_int16(self, field_name: str) -> list[int | None] | None:
        """Read the ARRAY_OF_NULLABLE_INT16 field (or an ARRAY_OF_INT16 field)."""

    @abc.abstractmethod
    def read_array_of_int32(self, field_name: str) -> list[int] | None:
        """Read the ARRAY_OF_INT32 field (or an ARRAY_OF_NULLABLE_INT32 field without None items)."""

    @abc.abstractmethod
    def read_array_of_nullable_int32(self, field_name: str) -> list[int | None] | None:
        """Read the ARRAY_OF_NULLABLE_INT32 field (or an ARRAY_OF_INT32 field)."""

    @abc.abstractmethod
    def read_array_of_int64(self, field_name: str) -> list[int] | None:
        """Read the ARRAY_OF_INT64 field (or an ARRAY_OF_NULLABLE_INT64 field without None items)."""

    @abc.abstractmethod
    def read_array_of_nullable_int64(self, field_name: str) -> list[int | None] | None:
        """Read the ARRAY_OF_NULLABLE_INT64 field (or an ARRAY_OF_INT64 field)."""

    @abc.abstractmethod
    def read_array_of_float32(self, field_name: str) -> list[float] | None:
        """Read the ARRAY_OF_FLOAT32 field (or an ARRAY_OF_NULLABLE_FLOAT32 field without None items)."""

    @abc.abstractmethod
    def read_array_of_nullable_float32(self, field_name: str) -> list[float | None] | None:
        """Read the ARRAY_OF_NULLABLE_FLOAT32 field (or an ARRAY_OF_FLOAT32 field)."""

    @abc.abstractmethod
    def read_array_of_float64(self, field_name: str) -> list[float] | None:
        """Read the ARRAY_OF_FLOAT64 field (or an ARRAY_OF_NULLABLE_FLOAT64 field without None items)."""

    @abc.abstractmethod
    def read_array_of_nullable_float64(self, field_name: str) -> list[float | None] | None:
        """Read the ARRAY_OF_NULLABLE_FLOAT64 field (or an ARRAY_OF_FLOAT64 field)."""

    @abc.abstractmethod
    def read_array_of_string(self, field_name: str) -> list[str | None] | None:
        """Read the ARRAY_OF_STRING field."""

    @abc.abstractmethod
    def read_array_of_decimal(self, field_name: str) -> list[decimal.Decimal | None] | None:
        """Read the ARRAY_OF_DECIMAL field."""

    @abc.abstractmethod
    def read_array_of_time(self, field_name: str) -> list[datetime.time | None] | None:
        """Read the ARRAY_OF_TIME field."""

    @abc.abstractmethod
    def read_array_of_date(self, field_name: str) -> list[datetime.date | None] | None:
        """Read the ARRAY_OF_DATE field."""

    @abc.abstractmethod
    def read_array_of_timestamp(self, field_name: str) -> list[datetime.datetime | None] | None:
        """Read the ARRAY_OF_TIMESTAMP field."""

    @abc.abstractmethod
    def read_array_of_timestamp_with_timezone(self, field_name: str) -> list[datetime.datetime | None] | None:
        """Read the ARRAY_OF_TIMESTAMP_WITH_TIMEZONE field."""

    @abc.abstractmethod
    def read_array_of_compact(self, field_name: str) -> list[Any] | None:
        """Read an array of nested Compact values."""


class CompactWriter(abc.ABC):
    """Writes the fields of one Compact value; each field is written exactly once, with one kind."""

    __slots__ = ()

    @abc.abstractmethod
    def write_boolean(self, field_name: str, value: bool) -> None:
        """Write the BOOLEAN field."""

    @abc.abstractmethod
    def write_nullable_boolean(self, field_name: str, value: bool | None) -> None:
        """Write the NULLABLE_BOOLEAN field."""

    @abc.abstractmethod
    def write_int8(self, field_name: str, value: int) -> None:
        """Write the INT8 field."""

    @abc.abstractmethod
    def write_nullable_int8(self, field_name: str, value: int | None) -> None:
        """Write the NULLABLE_INT8 field."""

    @abc.abstractmethod
    def write_int16(self, field_name: str, value: int) -> None:
        """Write the INT16 field."""

    @abc.abstractmethod
    def write_nullable_int16(self, field_name: str, value: int | None) -> None:
        """Write the NULLABLE_INT16 field."""

    @abc.abstractmethod
    def write_int32(self, field_name: str, value: int) -> None:
        """Write the INT32 field."""

    @abc.abstractmethod
    def write_nullable_int32(self, field_name: str, value: int | None) -> None:
        """Write the NULLABLE_INT32 field."""

    @abc.abstractmethod
    def write_int64(self, field_name: str, value: int) -> None:
        """Write the INT64 field."""

    @abc.abstractmethod
    def write_nullable_int64(self, field_name: str, value: int | None) -> None:
        """Write the NULLABLE_INT64 field."""

    @abc.abstractmethod
    def write_float32(self, field_name: str, value: float) -> None:
        """Write the FLOAT32 field."""

    @abc.abstractmethod
    def write_nullable_float32(self, field_name: str, value: float | None) -> None:
        """Write the NULLABLE_FLOAT32 field."""

    @abc.abstractmethod
    def write_float64(self, field_name: str, value: float) -> None:
        """Write the FLOAT64 field."""

    @abc.abstractmethod
    def write_nullable_float64(self, field_name: str, value: float | None) -> None:
        """Write the NULLABLE_FLOAT64 field."""

    @abc.abstractmethod
    def write_string(self, field_name: str, value: str | None) -> None:
        """Write the STRING field."""

    @abc.abstractmethod
    def write_decimal(self, field_name: str, value: decimal.Decimal | None) -> None:
        """Write the DECIMAL field."""

    @abc.abstractmethod
    def write_time(self, field_name: str, value: datetime.time | None) -> None:
        """Write the TIME field."""

    @abc.abstractmethod
    def write_date(self, field_name: str, value: datetime.date | None) -> None:
        """Write the DATE field."""

    @abc.abstractmethod
    def write_timestamp(self, field_name: str, value: datetime.datetime | None) -> None:
        """Write the TIMESTAMP field."""

    @abc.abstractmethod
    def write_timestamp_with_timezone(self, field_name: str, value: datetime.datetime | None) -> None:
        """Write the TIMESTAMP_WITH_TIMEZONE field."""

    @abc.abstractmethod
    def write_compact(self, field_name: str, value: Any) -> None:
        """Write a nested Compact value (an object of a class with a registered serializer, or a GenericRecord)."""

    @abc.abstractmethod
    def write_array_of_boolean(self, field_name: str, value: list[bool] | None) -> None:
        """Write the ARRAY_OF_BOOLEAN field."""

    @abc.abstractmethod
    def write_array_of_nullable_boolean(self, field_name: str, value: list[bool | None] | None) -> None:
        """Write the ARRAY_OF_NULLABLE_BOOLEAN field."""

    @abc.abstractmethod
    def write_array_of_int8(self, field_name: str, value: list[int] | None) -> None:
        """Write the ARRAY_OF_INT8 field."""

    @abc.abstractmethod
    def write_array_of_nullable_int8(self, field_name: str, value: list[int | None] | None) -> None:
        """Write the ARRAY_OF_NULLABLE_INT8 field."""

    @abc.abstractmethod
    def write_array_of_int16(self, field_name: str, value: list[int] | None) -> None:
        """Write the ARRAY_OF_INT16 field."""

    @abc.abstractmethod
    def write_array_of_nullable_int16(self, field_name: str, value: list[int | None] | None) -> None:
        """Write the ARRAY_OF_NULLABLE_INT16 field."""

    @abc.abstractmethod
    def write_array_of_int32(self, field_name: str, value: list[int] | None) -> None:
        """Write the ARRAY_OF_INT32 field."""

    @abc.abstractmethod
    def write_array_of_nullable_int32(self, field_name: str, value: list[int | None] | None) -> None:
        """Write the ARRAY_OF_NULLABLE_INT32 field."""

    @abc.abstractmethod
    def write_array_of_int64(self, field_name: str, value: list[int] | None) -> None:
        """Write the ARRAY_OF_INT64 field."""

    @abc.abstractmethod
    def write_array_of_nullable_int64(self, field_name: str, value: list[int | None] | None) -> None:
        """Write the ARRAY_OF_NULLABLE_INT64 field."""

    @abc.abstractmethod
    def write_array_of_float32(self, field_name: str, value: list[float] | None) -> None:
        """Write the ARRAY_OF_FLOAT32 field."""

    @abc.abstractmethod
    def write_array_of_nullable_float32(self, field_name: str, value: list[float | None] | None) -> None:
        """Write the ARRAY_OF_NULLABLE_FLOAT32 field."""

    @abc.abstractmethod
    def write_array_of_float64(self, field_name: str, value: list[float] | None) -> None:
        """Write the ARRAY_OF_FLOAT64 field."""

    @abc.abstractmethod
    def write_array_of_nullable_float64(self, field_name: str, value: list[float | None] | None) -> None:
        """Write the ARRAY_OF_NULLABLE_FLOAT64 field."""

    @abc.abstractmethod
    def write_array_of_string(self, field_name: str, value: list[str | None] | None) -> None:
        """Write the ARRAY_OF_STRING field."""

    @abc.abstractmethod
    def write_array_of_decimal(self, field_name: str, value: list[decimal.Decimal | None] | None) -> None:
        """Write the ARRAY_OF_DECIMAL field."""

    @abc.abstractmethod
    def write_array_of_time(self, field_name: str, value: list[datetime.time | None] | None) -> None:
        """Write the ARRAY_OF_TIME field."""

    @abc.abstractmethod
    def write_array_of_date(self, field_name: str, value: list[datetime.date | None] | None) -> None:
        """Write the ARRAY_OF_DATE field."""

    @abc.abstractmethod
    def write_array_of_timestamp(self, field_name: str, value: list[datetime.datetime | None] | None) -> None:
        """Write the ARRAY_OF_TIMESTAMP field."""

    @abc.abstractmethod
    def write_array_of_timestamp_with_timezone(
        self, field_name: str, value: list[datetime.datetime | None] | None
    ) -> None:
        """Write the ARRAY_OF_TIMESTAMP_WITH_TIMEZONE field."""

    @abc.abstractmethod
    def write_array_of_compact(self, field_name: str, value: list[Any] | None) -> None:
        """Write an array of nested Compact values, all of the same class."""


class CompactSerializer(Generic[CompactSerializableType], abc.ABC):
    """Reads and writes objects of one class in the Compact format.

    ``write`` and ``read`` must agree on the fields' names and kinds. Register an instance in
    ``Config.compact_serializers``.
    """

    @abc.abstractmethod
    def read(self, reader: CompactReader) -> CompactSerializableType:
        """Create an object from the fields ``reader`` holds."""

    @abc.abstractmethod
    def write(self, writer: CompactWriter, obj: CompactSerializableType) -> None:
        """Write the fields of ``obj`` to ``writer``."""

    @abc.abstractmethod
    def get_class(self) -> type[CompactSerializableType]:
        """The class this serializer reads and writes (objects of exactly this class use it)."""

    @abc.abstractmethod
    def get_type_name(self) -> str:
        """The type name the cluster knows the values by; keep it when the class evolves."""
