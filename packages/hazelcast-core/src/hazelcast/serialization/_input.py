"""The ``ObjectDataInput`` implementation: reads from an immutable ``bytes`` with precompiled structs.

As for output, one subclass per payload byte order keeps the structs' ``unpack_from`` as class attributes.
Reads past the end raise ``EOFError`` (the service turns it into ``HazelcastSerializationError``).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from hazelcast.serialization._byte_order import BIG_ENDIAN, LITTLE_ENDIAN, PayloadStructs
from hazelcast.serialization.api import ObjectDataInput

__all__ = ["BufferObjectDataInput", "input_class"]

_NULL_LENGTH = -1

ObjectReader = Callable[["BufferObjectDataInput"], Any]
"""Reads an object's serializer type id and payload (the service's ``read_object``)."""


class _UnpackFrom(Protocol):
    """``struct.Struct.unpack_from`` of a precompiled struct (typed so that it is not taken for a method)."""

    def __call__(self, buffer: bytes, offset: int = 0, /) -> tuple[Any, ...]: ...


class BufferObjectDataInput(ObjectDataInput):
    """Reads a serialized payload from ``buffer`` starting at ``position``."""

    __slots__ = ("_buffer", "_pos", "_read_object")

    _structs: ClassVar[PayloadStructs]
    _unpack_int8: ClassVar[_UnpackFrom]
    _unpack_int16: ClassVar[_UnpackFrom]
    _unpack_uint16: ClassVar[_UnpackFrom]
    _unpack_int32: ClassVar[_UnpackFrom]
    _unpack_int64: ClassVar[_UnpackFrom]
    _unpack_float32: ClassVar[_UnpackFrom]
    _unpack_float64: ClassVar[_UnpackFrom]
    _prefix: ClassVar[str]

    def __init__(self, buffer: bytes, position: int, read_object: ObjectReader) -> None:
        self._buffer = buffer
        self._pos = position
        self._read_object = read_object

    def _eof(self, count: int, position: int) -> EOFError:
        return EOFError(f"cannot read {count} bytes at offset {position} of a {len(self._buffer)}-byte buffer")

    def _read_fixed(self, unpack: _UnpackFrom, size: int) -> Any:
        """One value of ``size`` bytes with ``unpack``, advancing the position."""
        pos = self._pos
        try:
            value = unpack(self._buffer, pos)[0]
        except struct.error:
            raise self._eof(size, pos) from None
        self._pos = pos + size
        return value

    def _take(self, count: int) -> bytes:
        pos = self._pos
        end = pos + count
        if count < 0 or end > len(self._buffer):
            raise self._eof(count, pos)
        self._pos = end
        return self._buffer[pos:end]

    def _read_length(self) -> int:
        length = self.read_int()
        if length < _NULL_LENGTH:
            raise ValueError(f"malformed payload: negative length {length} at offset {self._pos - 4}")
        return length

    def read_into(self, buff: bytearray | memoryview, offset: int | None = None, length: int | None = None) -> None:
        start = 0 if offset is None else offset
        count = len(buff) - start if length is None else length
        if start < 0 or count < 0 or start + count > len(buff):
            raise IndexError(f"range [{start}, {start + count}) is outside a buffer of {len(buff)} bytes")
        buff[start : start + count] = self._take(count)

    def skip_bytes(self, count: int) -> int:
        if count <= 0:
            return 0
        skipped = min(count, len(self._buffer) - self._pos)
        self._pos += skipped
        return skipped

    def read_boolean(self) -> bool:
        return self.read_unsigned_byte() != 0

    def read_byte(self) -> int:
        value: int = self._read_fixed(self._unpack_int8, 1)
        return value

    def read_unsigned_byte(self) -> int:
        pos = self._pos
        try:
            value = self._buffer[pos]
        except IndexError:
            raise self._eof(1, pos) from None
        self._pos = pos + 1
        return value

    def read_short(self) -> int:
        value: int = self._read_fixed(self._unpack_int16, 2)
        return value

    def read_unsigned_short(self) -> int:
        value: int = self._read_fixed(self._unpack_uint16, 2)
        return value

    def read_char(self) -> str:
        return chr(self.read_unsigned_short())

    def read_int(self) -> int:
        value: int = self._read_fixed(self._unpack_int32, 4)
        return value

    def read_long(self) -> int:
        value: int = self._read_fixed(self._unpack_int64, 8)
        return value

    def read_float(self) -> float:
        value: float = self._read_fixed(self._unpack_float32, 4)
        return value

    def read_double(self) -> float:
        value: float = self._read_fixed(self._unpack_float64, 8)
        return value

    def read_string(self) -> str | None:
        length = self._read_length()
        if length == _NULL_LENGTH:
            return None
        return self._take(length).decode()

    def read_utf(self) -> str | None:
        return self.read_string()

    def read_byte_array(self) -> bytes | None:
        length = self._read_length()
        if length == _NULL_LENGTH:
            return None
        return self._take(length)

    def _read_packed_array(self, code: str, item_size: int) -> list[Any] | None:
        count = self._read_length()
        if count == _NULL_LENGTH:
            return None
        raw = self._take(count * item_size)
        return list(struct.unpack(f"{self._prefix}{count}{code}", raw))

    def read_boolean_array(self) -> list[bool] | None:
        count = self._read_length()
        if count == _NULL_LENGTH:
            return None
        return [byte != 0 for byte in self._take(count)]

    def read_char_array(self) -> list[str] | None:
        units = self._read_packed_array("H", 2)
        return None if units is None else [chr(unit) for unit in units]

    def read_int_array(self) -> list[int] | None:
        return self._read_packed_array("i", 4)

    def read_long_array(self) -> list[int] | None:
        return self._read_packed_array("q", 8)

    def read_double_array(self) -> list[float] | None:
        return self._read_packed_array("d", 8)

    def read_float_array(self) -> list[float] | None:
        return self._read_packed_array("f", 4)

    def read_short_array(self) -> list[int] | None:
        return self._read_packed_array("h", 2)

    def read_string_array(self) -> list[str | None] | None:
        count = self._read_length()
        if count == _NULL_LENGTH:
            return None
        read_string = self.read_string
        return [read_string() for _ in range(count)]

    def read_utf_array(self) -> list[str | None] | None:
        return self.read_string_array()

    def read_object(self) -> Any:
        return self._read_object(self)

    def read_with(self, decode: Callable[[bytes, int], tuple[Any, int]]) -> Any:
        """Read a value with ``decode(buffer, offset) -> (value, offset after it)`` and advance past it."""
        value, self._pos = decode(self._buffer, self._pos)
        return value

    def position(self) -> int:
        return self._pos

    def set_position(self, position: int) -> None:
        if not 0 <= position <= len(self._buffer):
            raise ValueError(f"position {position} is outside a buffer of {len(self._buffer)} bytes")
        self._pos = position

    def size(self) -> int:
        return len(self._buffer)

    def get_byte_order(self) -> str:
        return "BIG_ENDIAN" if self._structs.big_endian else "LITTLE_ENDIAN"

    def is_big_endian(self) -> bool:
        return self._structs.big_endian


def _specialise(name: str, structs: PayloadStructs) -> type[BufferObjectDataInput]:
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__doc__": f"``BufferObjectDataInput`` reading a {'big' if structs.big_endian else 'little'}-endian payload.",
        "_structs": structs,
        "_unpack_int8": structs.int8.unpack_from,
        "_unpack_int16": structs.int16.unpack_from,
        "_unpack_uint16": structs.uint16.unpack_from,
        "_unpack_int32": structs.int32.unpack_from,
        "_unpack_int64": structs.int64.unpack_from,
        "_unpack_float32": structs.float32.unpack_from,
        "_unpack_float64": structs.float64.unpack_from,
        "_prefix": structs.prefix,
    }
    return type(name, (BufferObjectDataInput,), namespace)


_BigEndianInput = _specialise("BigEndianObjectDataInput", BIG_ENDIAN)
_LittleEndianInput = _specialise("LittleEndianObjectDataInput", LITTLE_ENDIAN)


def input_class(big_endian: bool) -> type[BufferObjectDataInput]:
    """The input stream class for the given payload byte order."""
    return _BigEndianInput if big_endian else _LittleEndianInput
