"""Portable class definitions: which fields a Portable class has, in which order, with which types.

A Portable payload carries, next to every field, the field's name and type; the class definition says where
each field sits in the payload's offset table (its index) and which Portable class a nested field holds.
Definitions are keyed by factory id, class id and version, as on the Java member.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Iterator

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.field_kind import FieldKind

__all__ = ["ClassDefinition", "ClassDefinitionBuilder", "FieldDefinition", "FieldType"]


class FieldType(enum.IntEnum):
    """Type of a Portable field, as the byte written after the field's name (Java's ``FieldType`` ids)."""

    PORTABLE = 0
    BYTE = 1
    BOOLEAN = 2
    CHAR = 3
    SHORT = 4
    INT = 5
    LONG = 6
    FLOAT = 7
    DOUBLE = 8
    STRING = 9
    UTF = 9
    """Older name of ``STRING``."""
    PORTABLE_ARRAY = 10
    BYTE_ARRAY = 11
    BOOLEAN_ARRAY = 12
    CHAR_ARRAY = 13
    SHORT_ARRAY = 14
    INT_ARRAY = 15
    LONG_ARRAY = 16
    FLOAT_ARRAY = 17
    DOUBLE_ARRAY = 18
    STRING_ARRAY = 19
    UTF_ARRAY = 19
    """Older name of ``STRING_ARRAY``."""
    DECIMAL = 20
    DECIMAL_ARRAY = 21
    TIME = 22
    TIME_ARRAY = 23
    DATE = 24
    DATE_ARRAY = 25
    TIMESTAMP = 26
    TIMESTAMP_ARRAY = 27
    TIMESTAMP_WITH_TIMEZONE = 28
    TIMESTAMP_WITH_TIMEZONE_ARRAY = 29

    @property
    def field_kind(self) -> FieldKind:
        """The GenericRecord kind of a field of this type (Java's ``FieldTypeToFieldKind``)."""
        return _FIELD_KINDS[self]


_FIELD_KINDS: dict[FieldType, FieldKind] = {
    FieldType.PORTABLE: FieldKind.PORTABLE,
    FieldType.BYTE: FieldKind.INT8,
    FieldType.BOOLEAN: FieldKind.BOOLEAN,
    FieldType.CHAR: FieldKind.CHAR,
    FieldType.SHORT: FieldKind.INT16,
    FieldType.INT: FieldKind.INT32,
    FieldType.LONG: FieldKind.INT64,
    FieldType.FLOAT: FieldKind.FLOAT32,
    FieldType.DOUBLE: FieldKind.FLOAT64,
    FieldType.STRING: FieldKind.STRING,
    FieldType.PORTABLE_ARRAY: FieldKind.ARRAY_OF_PORTABLE,
    FieldType.BYTE_ARRAY: FieldKind.ARRAY_OF_INT8,
    FieldType.BOOLEAN_ARRAY: FieldKind.ARRAY_OF_BOOLEAN,
    FieldType.CHAR_ARRAY: FieldKind.ARRAY_OF_CHAR,
    FieldType.SHORT_ARRAY: FieldKind.ARRAY_OF_INT16,
    FieldType.INT_ARRAY: FieldKind.ARRAY_OF_INT32,
    FieldType.LONG_ARRAY: FieldKind.ARRAY_OF_INT64,
    FieldType.FLOAT_ARRAY: FieldKind.ARRAY_OF_FLOAT32,
    FieldType.DOUBLE_ARRAY: FieldKind.ARRAY_OF_FLOAT64,
    FieldType.STRING_ARRAY: FieldKind.ARRAY_OF_STRING,
    FieldType.DECIMAL: FieldKind.DECIMAL,
    FieldType.DECIMAL_ARRAY: FieldKind.ARRAY_OF_DECIMAL,
    FieldType.TIME: FieldKind.TIME,
    FieldType.TIME_ARRAY: FieldKind.ARRAY_OF_TIME,
    FieldType.DATE: FieldKind.DATE,
    FieldType.DATE_ARRAY: FieldKind.ARRAY_OF_DATE,
    FieldType.TIMESTAMP: FieldKind.TIMESTAMP,
    FieldType.TIMESTAMP_ARRAY: FieldKind.ARRAY_OF_TIMESTAMP,
    FieldType.TIMESTAMP_WITH_TIMEZONE: FieldKind.TIMESTAMP_WITH_TIMEZONE,
    FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY: FieldKind.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE,
}


_BIG_ENDIAN_LENGTH = struct.Struct(">h")
_LITTLE_ENDIAN_LENGTH = struct.Struct("<h")


def _field_type(value: int) -> FieldType:
    try:
        return FieldType(value)
    except ValueError:
        raise HazelcastSerializationError(f"{value!r} is not a Portable field type id (0..29)") from None


class FieldDefinition:
    """One field of a class definition.

    ``index`` is the field's slot in the payload's offset table; ``factory_id`` and ``class_id`` name the
    Portable class of a ``PORTABLE`` or ``PORTABLE_ARRAY`` field (0 otherwise) and ``version`` its version.
    """

    __slots__ = ("class_id", "factory_id", "field_name", "field_type", "headers", "index", "version")

    def __init__(
        self, index: int, field_name: str, field_type: int, version: int, factory_id: int = 0, class_id: int = 0
    ) -> None:
        self.index = index
        self.field_name = field_name
        self.field_type = _field_type(field_type)
        self.version = version
        self.factory_id = factory_id
        self.class_id = class_id
        # Java writes a field name as its character count and the low byte of each character (writeBytes).
        name = bytes(ord(char) & 0xFF for char in field_name)
        self.headers = (
            _LITTLE_ENDIAN_LENGTH.pack(len(name)) + name + bytes([self.field_type]),
            _BIG_ENDIAN_LENGTH.pack(len(name)) + name + bytes([self.field_type]),
        )
        """What precedes the value in the payload (name length, name, type), little- and big-endian."""

    @property
    def field_kind(self) -> FieldKind:
        """The GenericRecord kind of this field."""
        return _FIELD_KINDS[self.field_type]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldDefinition) and (
            self.index,
            self.field_name,
            self.field_type,
            self.version,
            self.factory_id,
            self.class_id,
        ) == (other.index, other.field_name, other.field_type, other.version, other.factory_id, other.class_id)

    def __hash__(self) -> int:
        return hash((self.index, self.field_name, self.field_type))

    def __repr__(self) -> str:
        return (
            f"FieldDefinition(index={self.index}, field_name={self.field_name!r}, "
            f"field_type={self.field_type.name}, version={self.version}, factory_id={self.factory_id}, "
            f"class_id={self.class_id})"
        )


class ClassDefinition:
    """Fields of one version of a Portable class, by name and by index."""

    __slots__ = ("_by_index", "class_id", "factory_id", "field_defs", "version")

    def __init__(self, factory_id: int, class_id: int, version: int) -> None:
        self.factory_id = factory_id
        self.class_id = class_id
        self.version = version
        self.field_defs: dict[str, FieldDefinition] = {}
        self._by_index: list[FieldDefinition] | None = None

    def add_field_def(self, field_def: FieldDefinition) -> None:
        """Add a field (class definitions are normally made by ``ClassDefinitionBuilder``)."""
        self.field_defs[field_def.field_name] = field_def
        self._by_index = None

    def fields_by_index(self) -> list[FieldDefinition]:
        """The fields in offset-table order."""
        by_index = self._by_index
        if by_index is None:
            by_index = self._by_index = sorted(self.field_defs.values(), key=lambda fd: fd.index)
        return by_index

    def get_field(self, field_name_or_index: int | str) -> FieldDefinition | None:
        """The field of that name (None when there is none), or of that index.

        Raises:
            IndexError: an index outside ``0 .. get_field_count() - 1``.
        """
        if isinstance(field_name_or_index, int):
            fields = self.fields_by_index()
            if 0 <= field_name_or_index < len(fields):
                return fields[field_name_or_index]
            raise IndexError(f"field index {field_name_or_index} is outside 0..{len(fields) - 1}")
        return self.field_defs.get(field_name_or_index)

    def has_field(self, field_name: str) -> bool:
        return field_name in self.field_defs

    def get_field_names(self) -> list[str]:
        return list(self.field_defs)

    def get_field_type(self, field_name: str) -> FieldType:
        """Type of the field.

        Raises:
            ValueError: there is no such field.
        """
        return self._known(field_name).field_type

    def get_field_class_id(self, field_name: str) -> int:
        """Class id of a nested Portable field (0 for other types).

        Raises:
            ValueError: there is no such field.
        """
        return self._known(field_name).class_id

    def get_field_count(self) -> int:
        return len(self.field_defs)

    def set_version_if_not_set(self, version: int) -> None:
        if self.version < 0:
            self.version = version

    def _known(self, field_name: str) -> FieldDefinition:
        field = self.field_defs.get(field_name)
        if field is None:
            raise ValueError(f"class definition {self.factory_id}:{self.class_id} has no field {field_name!r}")
        return field

    def __iter__(self) -> Iterator[FieldDefinition]:
        return iter(self.fields_by_index())

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ClassDefinition)
            and (self.factory_id, self.class_id, self.version) == (other.factory_id, other.class_id, other.version)
            and self.field_defs == other.field_defs
        )

    def __hash__(self) -> int:
        return hash((self.factory_id, self.class_id, self.version))

    def __repr__(self) -> str:
        fields = ", ".join(f"{fd.field_name}: {fd.field_type.name}" for fd in self.fields_by_index())
        return (
            f"ClassDefinition(factory_id={self.factory_id}, class_id={self.class_id}, version={self.version}, "
            f"fields=[{fields}])"
        )


class ClassDefinitionBuilder:
    """Builds a ``ClassDefinition`` field by field.

    Fields must be added in the order ``write_portable`` writes them; each ``add_*`` method returns the
    builder for chaining.

    Raises (from every ``add_*`` method):
        HazelcastSerializationError: a field of that name was already added, or ``build`` was already called.
    """

    __slots__ = ("_done", "_field_defs", "_field_names", "_index", "class_id", "factory_id", "version")

    def __init__(self, factory_id: int, class_id: int, version: int = 0) -> None:
        self.factory_id = factory_id
        self.class_id = class_id
        self.version = version
        self._index = 0
        self._done = False
        self._field_defs: list[FieldDefinition] = []
        self._field_names: set[str] = set()

    def _add(
        self, field_name: str, field_type: FieldType, version: int, factory_id: int = 0, class_id: int = 0
    ) -> ClassDefinitionBuilder:
        self._check(field_name)
        self._field_defs.append(FieldDefinition(self._index, field_name, field_type, version, factory_id, class_id))
        self._index += 1
        return self

    def _add_nested(self, field_name: str, field_type: FieldType, class_def: ClassDefinition) -> ClassDefinitionBuilder:
        if not class_def.class_id:
            raise ValueError(f"the Portable class of field {field_name!r} has class id 0; class ids must not be 0")
        return self._add(field_name, field_type, class_def.version, class_def.factory_id, class_def.class_id)

    def _check(self, field_name: str) -> None:
        if self._done:
            raise HazelcastSerializationError(
                f"the class definition {self.factory_id}:{self.class_id} is already built; no field can be added"
            )
        if field_name in self._field_names:
            raise HazelcastSerializationError(f"a field named {field_name!r} was already added")
        if not field_name.isascii():
            # Payloads carry a name as one byte per character (Java's writeBytes): other characters would not
            # read back as written, on a member or in any other client.
            raise HazelcastSerializationError(
                f"Portable field name {field_name!r} is not ASCII; Portable payloads hold field names as one "
                f"byte per character, so only ASCII names read back the same everywhere"
            )
        self._field_names.add(field_name)

    def add_portable_field(self, field_name: str, class_def: ClassDefinition) -> ClassDefinitionBuilder:
        """Add a nested Portable field of the class ``class_def`` describes.

        Raises:
            ValueError: ``class_def`` has class id 0.
        """
        return self._add_nested(field_name, FieldType.PORTABLE, class_def)

    def add_portable_array_field(self, field_name: str, class_def: ClassDefinition) -> ClassDefinitionBuilder:
        """Add an array field of Portables of the class ``class_def`` describes.

        Raises:
            ValueError: ``class_def`` has class id 0.
        """
        return self._add_nested(field_name, FieldType.PORTABLE_ARRAY, class_def)

    def add_byte_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.BYTE, self.version)

    def add_boolean_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.BOOLEAN, self.version)

    def add_char_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.CHAR, self.version)

    def add_short_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.SHORT, self.version)

    def add_int_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.INT, self.version)

    def add_long_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.LONG, self.version)

    def add_float_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.FLOAT, self.version)

    def add_double_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.DOUBLE, self.version)

    def add_string_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.STRING, self.version)

    def add_utf_field(self, field_name: str) -> ClassDefinitionBuilder:
        """Same as ``add_string_field`` (the 4.0 name)."""
        return self.add_string_field(field_name)

    def add_decimal_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.DECIMAL, self.version)

    def add_time_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.TIME, self.version)

    def add_date_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.DATE, self.version)

    def add_timestamp_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.TIMESTAMP, self.version)

    def add_timestamp_with_timezone_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.TIMESTAMP_WITH_TIMEZONE, self.version)

    def add_byte_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.BYTE_ARRAY, self.version)

    def add_boolean_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.BOOLEAN_ARRAY, self.version)

    def add_char_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.CHAR_ARRAY, self.version)

    def add_short_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.SHORT_ARRAY, self.version)

    def add_int_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.INT_ARRAY, self.version)

    def add_long_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.LONG_ARRAY, self.version)

    def add_float_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.FLOAT_ARRAY, self.version)

    def add_double_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.DOUBLE_ARRAY, self.version)

    def add_string_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.STRING_ARRAY, self.version)

    def add_utf_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        """Same as ``add_string_array_field`` (the 4.0 name)."""
        return self.add_string_array_field(field_name)

    def add_decimal_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.DECIMAL_ARRAY, self.version)

    def add_time_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.TIME_ARRAY, self.version)

    def add_date_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.DATE_ARRAY, self.version)

    def add_timestamp_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.TIMESTAMP_ARRAY, self.version)

    def add_timestamp_with_timezone_array_field(self, field_name: str) -> ClassDefinitionBuilder:
        return self._add(field_name, FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY, self.version)

    def add_field_def(self, field_def: FieldDefinition) -> ClassDefinitionBuilder:
        """Add a ready-made field definition; its index must be the next one.

        Raises:
            ValueError: the index is not the number of fields added so far.
        """
        if field_def.index != self._index:
            raise ValueError(f"field {field_def.field_name!r} has index {field_def.index}, expected {self._index}")
        self._check(field_def.field_name)
        self._field_defs.append(field_def)
        self._index += 1
        return self

    def build(self) -> ClassDefinition:
        """The class definition; no field can be added afterwards."""
        self._done = True
        class_def = ClassDefinition(self.factory_id, self.class_id, self.version)
        for field_def in self._field_defs:
            class_def.add_field_def(field_def)
        return class_def
