"""``GenericRecord``: a serialized object's fields by name, without the class it was written from.

A GenericRecord reads a Compact or Portable value whose class this process does not have (the embedded
member reads fields of stored values for queries; a client reads values written by other languages), and a
compact GenericRecord can be built and written like any other object. Both formats report their fields with
the same :class:`~hazelcast.serialization.field_kind.FieldKind` values, as Java's ``GenericRecord`` does, so
one set of typed getters serves both.

The typed getters follow Java's rules: a getter of a non-nullable kind also reads the nullable variant of that
kind as long as the value (or no item of an array) is None, and a ``get_nullable_*`` getter also reads the
non-nullable kind.
"""

from __future__ import annotations

import abc
import datetime
import decimal
from typing import Any

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.field_kind import FieldKind

__all__ = ["GenericRecord"]

K = FieldKind


class GenericRecord(abc.ABC):
    """Fields of a Compact or Portable value by name. Subclasses provide the four abstract methods."""

    __slots__ = ()

    @abc.abstractmethod
    def get_type_name(self) -> str:
        """Compact type name, or ``"<factory id>:<class id>"``-like identification of a Portable class."""

    @abc.abstractmethod
    def get_field_names(self) -> list[str]:
        """Names of all fields, in the order the format defines (sorted by name for Compact)."""

    @abc.abstractmethod
    def get_field_kind(self, field_name: str) -> FieldKind:
        """Kind of the field, or ``FieldKind.NOT_AVAILABLE`` when there is no such field."""

    @abc.abstractmethod
    def get(self, field_name: str) -> Any:
        """Value of any field: nested records as GenericRecord, arrays as ``list``, None for null.

        Raises:
            HazelcastSerializationError: there is no such field.
        """

    def has_field(self, field_name: str) -> bool:
        """Whether the record has a field of that name."""
        return self.get_field_kind(field_name) != K.NOT_AVAILABLE

    # -- typed access ----------------------------------------------------------------------------------------------
    # A field's Python type follows from its kind, checked at run time: each getter declares the type on a local
    # (free at run time, where typing.cast would cost a call on every read).

    def _checked(self, field_name: str, kinds: tuple[FieldKind, ...], getter: str) -> Any:
        kind = self.get_field_kind(field_name)
        if kind == K.NOT_AVAILABLE:
            raise HazelcastSerializationError(f"{self.get_type_name()!r} has no field named {field_name!r}")
        if kind not in kinds:
            raise HazelcastSerializationError(
                f"field {field_name!r} of {self.get_type_name()!r} is {kind.name}; {getter} reads "
                f"{' or '.join(k.name for k in kinds)}"
            )
        return self.get(field_name)

    def _non_null(self, field_name: str, kind: FieldKind, nullable: FieldKind, getter: str) -> Any:
        value = self._checked(field_name, (kind, nullable), getter)
        if value is None:
            raise HazelcastSerializationError(
                f"field {field_name!r} is None; read it with get_nullable_{kind.name.lower()}"
            )
        return value

    def _items_non_null(self, field_name: str, kind: FieldKind, nullable: FieldKind, getter: str) -> Any:
        value = self._checked(field_name, (kind, nullable), getter)
        if value is not None and None in value:
            raise HazelcastSerializationError(
                f"array field {field_name!r} holds None items; read it with "
                f"get_array_of_nullable_{kind.name.lower()[len('array_of_'):]}"
            )
        return value

    def get_boolean(self, field_name: str) -> bool:
        value: bool = self._non_null(field_name, K.BOOLEAN, K.NULLABLE_BOOLEAN, "get_boolean")
        return value

    def get_int8(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT8, K.NULLABLE_INT8, "get_int8")
        return value

    def get_char(self, field_name: str) -> str:
        """A Portable char field (Compact has none)."""
        value: str = self._checked(field_name, (K.CHAR,), "get_char")
        return value

    def get_int16(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT16, K.NULLABLE_INT16, "get_int16")
        return value

    def get_int32(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT32, K.NULLABLE_INT32, "get_int32")
        return value

    def get_int64(self, field_name: str) -> int:
        value: int = self._non_null(field_name, K.INT64, K.NULLABLE_INT64, "get_int64")
        return value

    def get_float32(self, field_name: str) -> float:
        value: float = self._non_null(field_name, K.FLOAT32, K.NULLABLE_FLOAT32, "get_float32")
        return value

    def get_float64(self, field_name: str) -> float:
        value: float = self._non_null(field_name, K.FLOAT64, K.NULLABLE_FLOAT64, "get_float64")
        return value

    def get_nullable_boolean(self, field_name: str) -> bool | None:
        value: bool | None = self._checked(field_name, (K.BOOLEAN, K.NULLABLE_BOOLEAN), "get_nullable_boolean")
        return value

    def get_nullable_int8(self, field_name: str) -> int | None:
        value: int | None = self._checked(field_name, (K.INT8, K.NULLABLE_INT8), "get_nullable_int8")
        return value

    def get_nullable_int16(self, field_name: str) -> int | None:
        value: int | None = self._checked(field_name, (K.INT16, K.NULLABLE_INT16), "get_nullable_int16")
        return value

    def get_nullable_int32(self, field_name: str) -> int | None:
        value: int | None = self._checked(field_name, (K.INT32, K.NULLABLE_INT32), "get_nullable_int32")
        return value

    def get_nullable_int64(self, field_name: str) -> int | None:
        value: int | None = self._checked(field_name, (K.INT64, K.NULLABLE_INT64), "get_nullable_int64")
        return value

    def get_nullable_float32(self, field_name: str) -> float | None:
        value: float | None = self._checked(field_name, (K.FLOAT32, K.NULLABLE_FLOAT32), "get_nullable_float32")
        return value

    def get_nullable_float64(self, field_name: str) -> float | None:
        value: float | None = self._checked(field_name, (K.FLOAT64, K.NULLABLE_FLOAT64), "get_nullable_float64")
        return value

    def get_string(self, field_name: str) -> str | None:
        value: str | None = self._checked(field_name, (K.STRING,), "get_string")
        return value

    def get_decimal(self, field_name: str) -> decimal.Decimal | None:
        value: decimal.Decimal | None = self._checked(field_name, (K.DECIMAL,), "get_decimal")
        return value

    def get_time(self, field_name: str) -> datetime.time | None:
        value: datetime.time | None = self._checked(field_name, (K.TIME,), "get_time")
        return value

    def get_date(self, field_name: str) -> datetime.date | None:
        value: datetime.date | None = self._checked(field_name, (K.DATE,), "get_date")
        return value

    def get_timestamp(self, field_name: str) -> datetime.datetime | None:
        value: datetime.datetime | None = self._checked(field_name, (K.TIMESTAMP,), "get_timestamp")
        return value

    def get_timestamp_with_timezone(self, field_name: str) -> datetime.datetime | None:
        value: datetime.datetime | None = self._checked(
            field_name, (K.TIMESTAMP_WITH_TIMEZONE,), "get_timestamp_with_timezone"
        )
        return value

    def get_generic_record(self, field_name: str) -> GenericRecord | None:
        """A nested Compact or Portable value."""
        value: GenericRecord | None = self._checked(field_name, (K.COMPACT, K.PORTABLE), "get_generic_record")
        return value

    def get_array_of_boolean(self, field_name: str) -> list[bool] | None:
        value: list[bool] | None = self._items_non_null(
            field_name, K.ARRAY_OF_BOOLEAN, K.ARRAY_OF_NULLABLE_BOOLEAN, "get_array_of_boolean"
        )
        return value

    def get_array_of_int8(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(
            field_name, K.ARRAY_OF_INT8, K.ARRAY_OF_NULLABLE_INT8, "get_array_of_int8"
        )
        return value

    def get_array_of_char(self, field_name: str) -> list[str] | None:
        """A Portable char array field (Compact has none)."""
        value: list[str] | None = self._checked(field_name, (K.ARRAY_OF_CHAR,), "get_array_of_char")
        return value

    def get_array_of_int16(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(
            field_name, K.ARRAY_OF_INT16, K.ARRAY_OF_NULLABLE_INT16, "get_array_of_int16"
        )
        return value

    def get_array_of_int32(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(
            field_name, K.ARRAY_OF_INT32, K.ARRAY_OF_NULLABLE_INT32, "get_array_of_int32"
        )
        return value

    def get_array_of_int64(self, field_name: str) -> list[int] | None:
        value: list[int] | None = self._items_non_null(
            field_name, K.ARRAY_OF_INT64, K.ARRAY_OF_NULLABLE_INT64, "get_array_of_int64"
        )
        return value

    def get_array_of_float32(self, field_name: str) -> list[float] | None:
        value: list[float] | None = self._items_non_null(
            field_name, K.ARRAY_OF_FLOAT32, K.ARRAY_OF_NULLABLE_FLOAT32, "get_array_of_float32"
        )
        return value

    def get_array_of_float64(self, field_name: str) -> list[float] | None:
        value: list[float] | None = self._items_non_null(
            field_name, K.ARRAY_OF_FLOAT64, K.ARRAY_OF_NULLABLE_FLOAT64, "get_array_of_float64"
        )
        return value

    def get_array_of_nullable_boolean(self, field_name: str) -> list[bool | None] | None:
        value: list[bool | None] | None = self._checked(
            field_name, (K.ARRAY_OF_BOOLEAN, K.ARRAY_OF_NULLABLE_BOOLEAN), "get_array_of_nullable_boolean"
        )
        return value

    def get_array_of_nullable_int8(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._checked(
            field_name, (K.ARRAY_OF_INT8, K.ARRAY_OF_NULLABLE_INT8), "get_array_of_nullable_int8"
        )
        return value

    def get_array_of_nullable_int16(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._checked(
            field_name, (K.ARRAY_OF_INT16, K.ARRAY_OF_NULLABLE_INT16), "get_array_of_nullable_int16"
        )
        return value

    def get_array_of_nullable_int32(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._checked(
            field_name, (K.ARRAY_OF_INT32, K.ARRAY_OF_NULLABLE_INT32), "get_array_of_nullable_int32"
        )
        return value

    def get_array_of_nullable_int64(self, field_name: str) -> list[int | None] | None:
        value: list[int | None] | None = self._checked(
            field_name, (K.ARRAY_OF_INT64, K.ARRAY_OF_NULLABLE_INT64), "get_array_of_nullable_int64"
        )
        return value

    def get_array_of_nullable_float32(self, field_name: str) -> list[float | None] | None:
        value: list[float | None] | None = self._checked(
            field_name, (K.ARRAY_OF_FLOAT32, K.ARRAY_OF_NULLABLE_FLOAT32), "get_array_of_nullable_float32"
        )
        return value

    def get_array_of_nullable_float64(self, field_name: str) -> list[float | None] | None:
        value: list[float | None] | None = self._checked(
            field_name, (K.ARRAY_OF_FLOAT64, K.ARRAY_OF_NULLABLE_FLOAT64), "get_array_of_nullable_float64"
        )
        return value

    def get_array_of_string(self, field_name: str) -> list[str | None] | None:
        value: list[str | None] | None = self._checked(field_name, (K.ARRAY_OF_STRING,), "get_array_of_string")
        return value

    def get_array_of_decimal(self, field_name: str) -> list[decimal.Decimal | None] | None:
        value: list[decimal.Decimal | None] | None = self._checked(
            field_name, (K.ARRAY_OF_DECIMAL,), "get_array_of_decimal"
        )
        return value

    def get_array_of_time(self, field_name: str) -> list[datetime.time | None] | None:
        value: list[datetime.time | None] | None = self._checked(field_name, (K.ARRAY_OF_TIME,), "get_array_of_time")
        return value

    def get_array_of_date(self, field_name: str) -> list[datetime.date | None] | None:
        value: list[datetime.date | None] | None = self._checked(field_name, (K.ARRAY_OF_DATE,), "get_array_of_date")
        return value

    def get_array_of_timestamp(self, field_name: str) -> list[datetime.datetime | None] | None:
        value: list[datetime.datetime | None] | None = self._checked(
            field_name, (K.ARRAY_OF_TIMESTAMP,), "get_array_of_timestamp"
        )
        return value

    def get_array_of_timestamp_with_timezone(self, field_name: str) -> list[datetime.datetime | None] | None:
        value: list[datetime.datetime | None] | None = self._checked(
            field_name, (K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE,), "get_array_of_timestamp_with_timezone"
        )
        return value

    def get_array_of_generic_record(self, field_name: str) -> list[GenericRecord | None] | None:
        """An array of nested Compact or Portable values."""
        value: list[GenericRecord | None] | None = self._checked(
            field_name, (K.ARRAY_OF_COMPACT, K.ARRAY_OF_PORTABLE), "get_array_of_generic_record"
        )
        return value
