"""User-facing serialization API: streams, IdentifiedDataSerializable and StreamSerializer.

Method names and semantics follow the official Hazelcast Python client, so serializers written for it work
here unchanged. Numbers are written in the payload byte order (``Config.is_big_endian``), with Java widths:
byte 8 bits, short and char 16, int 32, long 64, float 32, double 64. Strings are an int32 count of UTF-8
bytes followed by the bytes (``-1`` for ``None``); arrays are an int32 item count (``-1`` for ``None``)
followed by the items.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

__all__ = ["IdentifiedDataSerializable", "ObjectDataInput", "ObjectDataOutput", "StreamSerializer"]


class ObjectDataOutput(abc.ABC):
    """A stream that turns values into bytes; handed to ``write_data`` and ``StreamSerializer.write``."""

    __slots__ = ()

    @abc.abstractmethod
    def write_from(
        self, buff: bytes | bytearray | memoryview, offset: int | None = None, length: int | None = None
    ) -> None:
        """Copy ``length`` raw bytes of ``buff`` starting at ``offset`` (default: all of it) to the stream."""

    @abc.abstractmethod
    def write_boolean(self, val: bool) -> None:
        """Write one byte: 1 for true, 0 for false."""

    @abc.abstractmethod
    def write_byte(self, val: int) -> None:
        """Write one byte; ``val`` may be signed (-128..127) or unsigned (0..255)."""

    @abc.abstractmethod
    def write_short(self, val: int) -> None:
        """Write a signed 16-bit integer."""

    @abc.abstractmethod
    def write_char(self, val: str) -> None:
        """Write one character as a UTF-16 code unit (a surrogate pair for characters beyond U+FFFF)."""

    @abc.abstractmethod
    def write_int(self, val: int) -> None:
        """Write a signed 32-bit integer."""

    @abc.abstractmethod
    def write_long(self, val: int) -> None:
        """Write a signed 64-bit integer."""

    @abc.abstractmethod
    def write_float(self, val: float) -> None:
        """Write a 32-bit IEEE 754 float."""

    @abc.abstractmethod
    def write_double(self, val: float) -> None:
        """Write a 64-bit IEEE 754 float."""

    @abc.abstractmethod
    def write_bytes(self, val: str) -> None:
        """Write the low 8 bits of each character of ``val``, without a length (Java ``writeBytes``)."""

    @abc.abstractmethod
    def write_chars(self, val: str) -> None:
        """Write each character of ``val`` as a UTF-16 code unit, without a length (Java ``writeChars``)."""

    @abc.abstractmethod
    def write_string(self, val: str | None) -> None:
        """Write a string as its UTF-8 byte count and bytes; ``None`` is written as count -1."""

    @abc.abstractmethod
    def write_utf(self, val: str | None) -> None:
        """Same as ``write_string`` (kept for serializers written against the 4.0 API)."""

    @abc.abstractmethod
    def write_byte_array(self, val: bytes | bytearray | memoryview | None) -> None:
        """Write a byte array: its length, then the bytes."""

    @abc.abstractmethod
    def write_boolean_array(self, val: Sequence[bool] | None) -> None:
        """Write a boolean array: its length, then one byte per item."""

    @abc.abstractmethod
    def write_char_array(self, val: Sequence[str] | None) -> None:
        """Write a char array: its length in UTF-16 code units, then the code units (two for an item beyond
        U+FFFF, which reads back as its surrogate pair)."""

    @abc.abstractmethod
    def write_int_array(self, val: Sequence[int] | None) -> None:
        """Write an int array: its length, then one int32 per item."""

    @abc.abstractmethod
    def write_long_array(self, val: Sequence[int] | None) -> None:
        """Write a long array: its length, then one int64 per item."""

    @abc.abstractmethod
    def write_double_array(self, val: Sequence[float] | None) -> None:
        """Write a double array: its length, then one 64-bit float per item."""

    @abc.abstractmethod
    def write_float_array(self, val: Sequence[float] | None) -> None:
        """Write a float array: its length, then one 32-bit float per item."""

    @abc.abstractmethod
    def write_short_array(self, val: Sequence[int] | None) -> None:
        """Write a short array: its length, then one int16 per item."""

    @abc.abstractmethod
    def write_string_array(self, val: Sequence[str | None] | None) -> None:
        """Write a string array: its length, then each item as ``write_string`` does."""

    @abc.abstractmethod
    def write_utf_array(self, val: Sequence[str | None] | None) -> None:
        """Same as ``write_string_array`` (kept for serializers written against the 4.0 API)."""

    @abc.abstractmethod
    def write_object(self, val: Any) -> None:
        """Write any serializable object (or ``None``) as its serializer type id followed by its payload."""

    @abc.abstractmethod
    def write_zero_bytes(self, count: int) -> None:
        """Write ``count`` zero bytes (reserve room to fill in later with ``set_position``)."""

    @abc.abstractmethod
    def to_byte_array(self) -> bytes:
        """A copy of the bytes written so far (up to ``position()``)."""

    @abc.abstractmethod
    def position(self) -> int:
        """Offset at which the next write goes."""

    @abc.abstractmethod
    def set_position(self, position: int) -> None:
        """Move the write offset; later writes overwrite what is there, and ``to_byte_array`` stops at it."""

    @abc.abstractmethod
    def get_byte_order(self) -> str:
        """``"BIG_ENDIAN"`` or ``"LITTLE_ENDIAN"``: the order numbers are written in."""

    @abc.abstractmethod
    def is_big_endian(self) -> bool:
        """Whether numbers are written big-endian."""


class ObjectDataInput(abc.ABC):
    """A stream that reads values back from bytes; handed to ``read_data`` and ``StreamSerializer.read``."""

    __slots__ = ()

    @abc.abstractmethod
    def read_into(self, buff: bytearray | memoryview, offset: int | None = None, length: int | None = None) -> None:
        """Fill ``buff[offset:offset + length]`` (default: all of ``buff``) with the next raw bytes."""

    @abc.abstractmethod
    def skip_bytes(self, count: int) -> int:
        """Skip up to ``count`` bytes; return how many were skipped (fewer at the end of the stream)."""

    @abc.abstractmethod
    def read_boolean(self) -> bool:
        """Read one byte; any non-zero value is true."""

    @abc.abstractmethod
    def read_byte(self) -> int:
        """Read a signed 8-bit integer."""

    @abc.abstractmethod
    def read_unsigned_byte(self) -> int:
        """Read an unsigned 8-bit integer."""

    @abc.abstractmethod
    def read_short(self) -> int:
        """Read a signed 16-bit integer."""

    @abc.abstractmethod
    def read_unsigned_short(self) -> int:
        """Read an unsigned 16-bit integer."""

    @abc.abstractmethod
    def read_char(self) -> str:
        """Read one UTF-16 code unit as a one-character string."""

    @abc.abstractmethod
    def read_int(self) -> int:
        """Read a signed 32-bit integer."""

    @abc.abstractmethod
    def read_long(self) -> int:
        """Read a signed 64-bit integer."""

    @abc.abstractmethod
    def read_float(self) -> float:
        """Read a 32-bit IEEE 754 float."""

    @abc.abstractmethod
    def read_double(self) -> float:
        """Read a 64-bit IEEE 754 float."""

    @abc.abstractmethod
    def read_string(self) -> str | None:
        """Read a string written by ``write_string``."""

    @abc.abstractmethod
    def read_utf(self) -> str | None:
        """Same as ``read_string`` (kept for serializers written against the 4.0 API)."""

    @abc.abstractmethod
    def read_byte_array(self) -> bytes | None:
        """Read a byte array written by ``write_byte_array``."""

    @abc.abstractmethod
    def read_boolean_array(self) -> list[bool] | None:
        """Read a boolean array."""

    @abc.abstractmethod
    def read_char_array(self) -> list[str] | None:
        """Read a char array as a list of one-character strings."""

    @abc.abstractmethod
    def read_int_array(self) -> list[int] | None:
        """Read an int array."""

    @abc.abstractmethod
    def read_long_array(self) -> list[int] | None:
        """Read a long array."""

    @abc.abstractmethod
    def read_double_array(self) -> list[float] | None:
        """Read a double array."""

    @abc.abstractmethod
    def read_float_array(self) -> list[float] | None:
        """Read a float array."""

    @abc.abstractmethod
    def read_short_array(self) -> list[int] | None:
        """Read a short array."""

    @abc.abstractmethod
    def read_string_array(self) -> list[str | None] | None:
        """Read a string array."""

    @abc.abstractmethod
    def read_utf_array(self) -> list[str | None] | None:
        """Same as ``read_string_array`` (kept for serializers written against the 4.0 API)."""

    @abc.abstractmethod
    def read_object(self) -> Any:
        """Read an object written by ``write_object``."""

    @abc.abstractmethod
    def position(self) -> int:
        """Offset of the next read in the underlying buffer."""

    @abc.abstractmethod
    def set_position(self, position: int) -> None:
        """Move the read offset."""

    @abc.abstractmethod
    def size(self) -> int:
        """Size of the underlying buffer."""

    @abc.abstractmethod
    def get_byte_order(self) -> str:
        """``"BIG_ENDIAN"`` or ``"LITTLE_ENDIAN"``: the order numbers are read in."""

    @abc.abstractmethod
    def is_big_endian(self) -> bool:
        """Whether numbers are read big-endian."""


class IdentifiedDataSerializable(abc.ABC):
    """An object that writes and reads its own fields and is re-created by a registered factory.

    The pair (``get_factory_id()``, ``get_class_id()``) names the class on every side: a Java member
    creates its ``IdentifiedDataSerializable`` counterpart from its ``DataSerializableFactory`` for that
    factory id, and this client creates the Python class from ``Config.data_serializable_factories``,
    a mapping ``{factory_id: {class_id: zero-argument constructor}}``.
    """

    __slots__ = ()

    @abc.abstractmethod
    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        """Write this object's fields, in the order ``read_data`` reads them."""

    @abc.abstractmethod
    def read_data(self, object_data_input: ObjectDataInput) -> None:
        """Fill this freshly created object from the stream."""

    @abc.abstractmethod
    def get_factory_id(self) -> int:
        """Id of the factory that creates this class."""

    @abc.abstractmethod
    def get_class_id(self) -> int:
        """Id of this class, unique within its factory."""


class StreamSerializer(abc.ABC):
    """A serializer for a type the user does not control (registered in ``Config.custom_serializers``),
    or for every otherwise unserializable type (``Config.global_serializer``).

    The serializer class is instantiated once, without arguments, by the serialization service.
    """

    @abc.abstractmethod
    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        """Write ``obj`` to ``out``."""

    @abc.abstractmethod
    def read(self, inp: ObjectDataInput) -> Any:
        """Read an object written by ``write``."""

    @abc.abstractmethod
    def get_type_id(self) -> int:
        """Type id written with every object of this serializer; must be greater than zero and unique."""

    def destroy(self) -> None:
        """Release resources when the client shuts down; the default has nothing to release."""


# The official client offers the Compact and Portable APIs from this module too; code written for it imports them
# from here. They come last because their modules build on the classes above.
from hazelcast.serialization.compact.api import CompactReader, CompactSerializer, CompactWriter  # noqa: E402
from hazelcast.serialization.field_kind import FieldKind  # noqa: E402
from hazelcast.serialization.portable.api import Portable, PortableReader, PortableWriter  # noqa: E402

__all__ += [
    "CompactReader", "CompactSerializer", "CompactWriter", "FieldKind", "Portable", "PortableReader", "PortableWriter"
]
