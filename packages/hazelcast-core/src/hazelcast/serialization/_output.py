"""The ``ObjectDataOutput`` implementation: a growing bytearray written with precompiled structs.

There is one subclass per payload byte order, each holding its structs' ``pack_into`` as class
attributes: creating a stream costs a bytearray and three attribute stores, and no write branches on the
byte order.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Protocol

from hazelcast.serialization._byte_order import BIG_ENDIAN, HEADER, LITTLE_ENDIAN, PayloadStructs
from hazelcast.serialization.api import ObjectDataOutput

__all__ = ["BufferObjectDataOutput", "output_class"]

_NULL_LENGTH = -1
_INITIAL_SIZE = 128
_pack_header = HEADER.pack_into

ObjectWriter = Callable[["BufferObjectDataOutput", Any], None]
"""Writes an object's serializer type id and payload (the service's ``write_object``)."""


class _PackInto(Protocol):
    """``struct.Struct.pack_into`` of a precompiled struct (typed so that it is not taken for a method)."""

    def __call__(self, buffer: bytearray, offset: int, /, *values: Any) -> None: ...


class BufferObjectDataOutput(ObjectDataOutput):
    """Writes into a bytearray that doubles when full; ``to_byte_array`` returns the bytes up to ``position()``."""

    __slots__ = ("_buffer", "_pos", "_write_object")

    _structs: ClassVar[PayloadStructs]
    _pack_int16: ClassVar[_PackInto]
    _pack_int32: ClassVar[_PackInto]
    _pack_int64: ClassVar[_PackInto]
    _pack_float32: ClassVar[_PackInto]
    _pack_float64: ClassVar[_PackInto]
    _utf16: ClassVar[str]
    _prefix: ClassVar[str]

    def __init__(self, write_object: ObjectWriter, initial_size: int = _INITIAL_SIZE) -> None:
        self._buffer = bytearray(initial_size)
        self._pos = 0
        self._write_object = write_object

    def _grow(self, end: int) -> None:
        buffer = self._buffer
        buffer += bytes(max(len(buffer), end - len(buffer)))

    def write_header(self, partition_hash: int, type_id: int) -> None:
        """Write the 8-byte header of a serialized object, big-endian whatever the payload order."""
        pos = self._pos
        end = pos + 8
        if end > len(self._buffer):
            self._grow(end)
        _pack_header(self._buffer, pos, partition_hash, type_id)
        self._pos = end

    def write_from(
        self, buff: bytes | bytearray | memoryview, offset: int | None = None, length: int | None = None
    ) -> None:
        start = 0 if offset is None else offset
        count = len(buff) - start if length is None else length
        if start < 0 or count < 0 or start + count > len(buff):
            raise IndexError(f"range [{start}, {start + count}) is outside a buffer of {len(buff)} bytes")
        self.write_raw(memoryview(buff)[start : start + count])

    def write_raw(self, raw: bytes | bytearray | memoryview) -> None:
        """Append ``raw`` as is (no length prefix)."""
        pos = self._pos
        end = pos + len(raw)
        if end > len(self._buffer):
            self._grow(end)
        self._buffer[pos:end] = raw
        self._pos = end

    def write_boolean(self, val: bool) -> None:
        pos = self._pos
        if pos >= len(self._buffer):
            self._grow(pos + 1)
        self._buffer[pos] = 1 if val else 0
        self._pos = pos + 1

    def write_byte(self, val: int) -> None:
        pos = self._pos
        if pos >= len(self._buffer):
            self._grow(pos + 1)
        # Accept both Java's signed bytes and unsigned 0..255; bytearray rejects anything else.
        self._buffer[pos] = val + 256 if -128 <= val < 0 else val
        self._pos = pos + 1

    def write_short(self, val: int) -> None:
        pos = self._pos
        end = pos + 2
        if end > len(self._buffer):
            self._grow(end)
        self._pack_int16(self._buffer, pos, val)
        self._pos = end

    def write_char(self, val: str) -> None:
        self.write_raw(val.encode(self._utf16, "surrogatepass"))

    def write_int(self, val: int) -> None:
        pos = self._pos
        end = pos + 4
        if end > len(self._buffer):
            self._grow(end)
        self._pack_int32(self._buffer, pos, val)
        self._pos = end

    def write_long(self, val: int) -> None:
        pos = self._pos
        end = pos + 8
        if end > len(self._buffer):
            self._grow(end)
        self._pack_int64(self._buffer, pos, val)
        self._pos = end

    def write_float(self, val: float) -> None:
        pos = self._pos
        end = pos + 4
        if end > len(self._buffer):
            self._grow(end)
        self._pack_float32(self._buffer, pos, val)
        self._pos = end

    def write_double(self, val: float) -> None:
        pos = self._pos
        end = pos + 8
        if end > len(self._buffer):
            self._grow(end)
        self._pack_float64(self._buffer, pos, val)
        self._pos = end

    def write_bytes(self, val: str) -> None:
        self.write_raw(bytes([ord(c) & 0xFF for c in val]))

    def write_chars(self, val: str) -> None:
        self.write_raw(val.encode(self._utf16, "surrogatepass"))

    def write_string(self, val: str | None) -> None:
        if val is None:
            self.write_int(_NULL_LENGTH)
            return
        encoded = val.encode()
        pos = self._pos
        start = pos + 4
        end = start + len(encoded)
        if end > len(self._buffer):
            self._grow(end)
        buffer = self._buffer
        self._pack_int32(buffer, pos, len(encoded))
        buffer[start:end] = encoded
        self._pos = end

    def write_utf(self, val: str | None) -> None:
        self.write_string(val)

    def write_byte_array(self, val: bytes | bytearray | memoryview | None) -> None:
        if val is None:
            self.write_int(_NULL_LENGTH)
            return
        length = len(val)
        pos = self._pos
        start = pos + 4
        end = start + length
        if end > len(self._buffer):
            self._grow(end)
        buffer = self._buffer
        self._pack_int32(buffer, pos, length)
        buffer[start:end] = val
        self._pos = end

    def _write_packed_array(self, val: Sequence[Any] | None, code: str, item_size: int) -> None:
        if val is None:
            self.write_int(_NULL_LENGTH)
            return
        count = len(val)
        pos = self._pos
        end = pos + 4 + count * item_size
        if end > len(self._buffer):
            self._grow(end)
        struct.pack_into(f"{self._prefix}i{count}{code}", self._buffer, pos, count, *val)
        self._pos = end

    def write_boolean_array(self, val: Sequence[bool] | None) -> None:
        self._write_packed_array(val, "?", 1)

    def write_char_array(self, val: Sequence[str] | None) -> None:
        if val is None:
            self.write_int(_NULL_LENGTH)
            return
        encoded = "".join(val).encode(self._utf16, "surrogatepass")
        # The count is of UTF-16 code units, the array a reader gets: an item beyond U+FFFF takes two.
        self.write_int(len(encoded) // 2)
        self.write_raw(encoded)

    def write_int_array(self, val: Sequence[int] | None) -> None:
        self._write_packed_array(val, "i", 4)

    def write_long_array(self, val: Sequence[int] | None) -> None:
        self._write_packed_array(val, "q", 8)

    def write_double_array(self, val: Sequence[float] | None) -> None:
        self._write_packed_array(val, "d", 8)

    def write_float_array(self, val: Sequence[float] | None) -> None:
        self._write_packed_array(val, "f", 4)

    def write_short_array(self, val: Sequence[int] | None) -> None:
        self._write_packed_array(val, "h", 2)

    def write_string_array(self, val: Sequence[str | None] | None) -> None:
        if val is None:
            self.write_int(_NULL_LENGTH)
            return
        self.write_int(len(val))
        for item in val:
            self.write_string(item)

    def write_utf_array(self, val: Sequence[str | None] | None) -> None:
        self.write_string_array(val)

    def write_object(self, val: Any) -> None:
        self._write_object(self, val)

    def write_zero_bytes(self, count: int) -> None:
        self.write_raw(bytes(count))

    def to_byte_array(self) -> bytes:
        return bytes(memoryview(self._buffer)[: self._pos])

    def position(self) -> int:
        return self._pos

    def set_position(self, position: int) -> None:
        if position < 0:
            raise ValueError(f"position must not be negative, got {position}")
        if position > len(self._buffer):
            self._grow(position)
        self._pos = position

    def get_byte_order(self) -> str:
        return "BIG_ENDIAN" if self._structs.big_endian else "LITTLE_ENDIAN"

    def is_big_endian(self) -> bool:
        return self._structs.big_endian


def _specialise(name: str, structs: PayloadStructs) -> type[BufferObjectDataOutput]:
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__doc__": f"``BufferObjectDataOutput`` writing a {'big' if structs.big_endian else 'little'}-endian payload.",
        "_structs": structs,
        "_pack_int16": structs.int16.pack_into,
        "_pack_int32": structs.int32.pack_into,
        "_pack_int64": structs.int64.pack_into,
        "_pack_float32": structs.float32.pack_into,
        "_pack_float64": structs.float64.pack_into,
        "_utf16": "utf-16-be" if structs.big_endian else "utf-16-le",
        "_prefix": structs.prefix,
    }
    return type(name, (BufferObjectDataOutput,), namespace)


_BigEndianOutput = _specialise("BigEndianObjectDataOutput", BIG_ENDIAN)
_LittleEndianOutput = _specialise("LittleEndianObjectDataOutput", LITTLE_ENDIAN)


def output_class(big_endian: bool) -> type[BufferObjectDataOutput]:
    """The output stream class for the given payload byte order."""
    return _BigEndianOutput if big_endian else _LittleEndianOutput
