"""Byte-level encoders and decoders of every Compact field kind, one set per payload byte order.

Encoders append a value to a ``bytearray``; decoders read the value that starts at an offset of a ``bytes``.
Nested compact values (``COMPACT`` and ``ARRAY_OF_COMPACT``) are not here: how they are written and read
depends on who reads them (a user class or a GenericRecord), so the reader and the writer handle them.

Layouts (numbers in the payload byte order):

* nullable numbers and booleans: the value as its fixed-size form (a boolean is one byte);
* string: int32 UTF-8 byte count, the bytes;
* decimal: int32 byte count and the unscaled value as Java ``BigInteger.toByteArray``, then int32 scale;
* time: int8 hour, minute, second, int32 nanosecond; date: int32 year, int8 month, day; timestamp: date then
  time; timestamp with timezone: timestamp then int32 offset seconds;
* array of booleans: int32 count, then the items as bits, eight to a byte, least significant bit first;
* array of a fixed-size number kind: int32 count, the items;
* any other array: int32 byte length of the items, int32 count, the items, then an offset table with one
  entry per item (-1 for None) relative to the first item.

Offset tables (of a value's variable-size fields and of such arrays) hold uint8 entries when the data they
index is shorter than 255 bytes, uint16 when shorter than 65535, int32 otherwise; the all-ones entry means
None.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import struct
from collections.abc import Callable, Sequence
from typing import Any

from hazelcast.serialization._builtin_codecs import decimal_from_java, decimal_to_java
from hazelcast.serialization._byte_order import PayloadStructs, payload_structs
from hazelcast.serialization.field_kind import FieldKind
from hazelcast.serialization._temporal import offset_seconds, offset_timezone

__all__ = ["NULL_OFFSET", "KindCodecs", "kind_codecs"]

K = FieldKind
NULL_OFFSET = -1
_UINT8_RANGE = 255
_UINT16_RANGE = 65535

Appender = Callable[[bytearray, Any], None]
Decoder = Callable[[bytes, int], Any]
OffsetReader = Callable[[bytes, int, int], int]
"""``(data, table position, index) -> offset`` (-1 for None)."""

# Item kind of each array of a nullable fixed-size kind or of a variable-size kind.
_ITEM_KINDS: dict[FieldKind, FieldKind] = {
    K.ARRAY_OF_NULLABLE_BOOLEAN: K.NULLABLE_BOOLEAN,
    K.ARRAY_OF_NULLABLE_INT8: K.NULLABLE_INT8,
    K.ARRAY_OF_NULLABLE_INT16: K.NULLABLE_INT16,
    K.ARRAY_OF_NULLABLE_INT32: K.NULLABLE_INT32,
    K.ARRAY_OF_NULLABLE_INT64: K.NULLABLE_INT64,
    K.ARRAY_OF_NULLABLE_FLOAT32: K.NULLABLE_FLOAT32,
    K.ARRAY_OF_NULLABLE_FLOAT64: K.NULLABLE_FLOAT64,
    K.ARRAY_OF_STRING: K.STRING,
    K.ARRAY_OF_DECIMAL: K.DECIMAL,
    K.ARRAY_OF_TIME: K.TIME,
    K.ARRAY_OF_DATE: K.DATE,
    K.ARRAY_OF_TIMESTAMP: K.TIMESTAMP,
    K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE: K.TIMESTAMP_WITH_TIMEZONE,
}
_STRUCT_CODES: dict[FieldKind, str] = {
    K.INT8: "b",
    K.INT16: "h",
    K.INT32: "i",
    K.INT64: "q",
    K.FLOAT32: "f",
    K.FLOAT64: "d",
}
_NULLABLE_OF: dict[FieldKind, FieldKind] = {
    K.NULLABLE_INT8: K.INT8,
    K.NULLABLE_INT16: K.INT16,
    K.NULLABLE_INT32: K.INT32,
    K.NULLABLE_INT64: K.INT64,
    K.NULLABLE_FLOAT32: K.FLOAT32,
    K.NULLABLE_FLOAT64: K.FLOAT64,
}
_PACKED_ARRAYS: dict[FieldKind, FieldKind] = {
    K.ARRAY_OF_INT8: K.INT8,
    K.ARRAY_OF_INT16: K.INT16,
    K.ARRAY_OF_INT32: K.INT32,
    K.ARRAY_OF_INT64: K.INT64,
    K.ARRAY_OF_FLOAT32: K.FLOAT32,
    K.ARRAY_OF_FLOAT64: K.FLOAT64,
}


def _overrun(count: int, position: int, data: bytes) -> EOFError:
    return EOFError(f"{count} bytes at offset {position} overrun a {len(data)}-byte buffer")


class KindCodecs:
    """Encoders and decoders of one payload byte order (see the module docstring for the layouts)."""

    def __init__(self, big_endian: bool) -> None:
        structs = payload_structs(big_endian)
        p = structs.prefix
        self.big_endian = big_endian
        self.prefix = p
        pair = struct.Struct(p + "ii")
        self.pack_int32 = structs.int32.pack
        self.pack_int32_into = structs.int32.pack_into
        self.unpack_int32 = structs.int32.unpack_from
        self.pack_int64 = structs.int64.pack
        self.unpack_int64 = structs.int64.unpack_from
        self._pack_pair_into = pair.pack_into
        self._unpack_pair = pair.unpack_from
        self._unpack_uint16 = structs.uint16.unpack_from

        #: Fixed-size kinds (booleans aside): ``pack_into(buffer, offset, value)`` and ``unpack_from``.
        self.fixed_pack: dict[FieldKind, Callable[..., None]] = {}
        self.fixed_unpack: dict[FieldKind, Callable[..., tuple[Any, ...]]] = {}
        for kind, code in _STRUCT_CODES.items():
            packer = struct.Struct(p + code)
            self.fixed_pack[kind] = packer.pack_into
            self.fixed_unpack[kind] = packer.unpack_from

        #: Variable-size kinds other than nested compacts: ``append(buffer, value)`` and ``decode(data, offset)``.
        self.append: dict[FieldKind, Appender] = {}
        self.decode: dict[FieldKind, Decoder] = {}
        self._build_scalars(structs)
        self._build_arrays(p)

    # -- scalars ---------------------------------------------------------------------------------------------------

    def _build_scalars(self, structs: PayloadStructs) -> None:
        p = structs.prefix
        pack_int32 = self.pack_int32
        unpack_int32 = self.unpack_int32
        # Compact lays dates and times out as the built-in serializers do.
        pack_time, unpack_time = structs.time.pack, structs.time.unpack_from
        pack_date, unpack_date = structs.date.pack, structs.date.unpack_from
        pack_timestamp, unpack_timestamp = structs.date_time.pack, structs.date_time.unpack_from
        pack_zoned, unpack_zoned = structs.offset_date_time.pack, structs.offset_date_time.unpack_from

        def append_boolean(buf: bytearray, value: bool) -> None:
            buf.append(1 if value else 0)

        def decode_boolean(data: bytes, pos: int) -> bool:
            return data[pos] != 0

        self.append[K.NULLABLE_BOOLEAN] = append_boolean
        self.decode[K.NULLABLE_BOOLEAN] = decode_boolean
        for nullable, kind in _NULLABLE_OF.items():
            packer = struct.Struct(p + _STRUCT_CODES[kind])
            self.append[nullable] = _number_appender(packer.pack)
            self.decode[nullable] = _number_decoder(packer.unpack_from)

        def sized(data: bytes, pos: int) -> tuple[bytes, int]:
            count = unpack_int32(data, pos)[0]
            start = pos + 4
            end = start + count
            if count < 0 or end > len(data):
                raise _overrun(count, start, data)
            return data[start:end], end

        def append_string(buf: bytearray, value: str) -> None:
            raw = value.encode("utf-8")
            buf += pack_int32(len(raw))
            buf += raw

        def decode_string(data: bytes, pos: int) -> str:
            return sized(data, pos)[0].decode("utf-8")

        def append_decimal(buf: bytearray, value: decimal.Decimal) -> None:
            raw, scale = decimal_to_java(value)
            buf += pack_int32(len(raw))
            buf += raw
            buf += pack_int32(scale)

        def decode_decimal(data: bytes, pos: int) -> decimal.Decimal:
            raw, end = sized(data, pos)
            return decimal_from_java(raw, unpack_int32(data, end)[0])

        def append_time(buf: bytearray, value: datetime.time) -> None:
            buf += pack_time(value.hour, value.minute, value.second, value.microsecond * 1000)

        def decode_time(data: bytes, pos: int) -> datetime.time:
            hour, minute, second, nano = unpack_time(data, pos)
            return datetime.time(hour, minute, second, nano // 1000)

        def append_date(buf: bytearray, value: datetime.date) -> None:
            buf += pack_date(value.year, value.month, value.day)

        def decode_date(data: bytes, pos: int) -> datetime.date:
            return datetime.date(*unpack_date(data, pos))

        def append_timestamp(buf: bytearray, value: datetime.datetime) -> None:
            buf += pack_timestamp(
                value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond * 1000
            )

        def decode_timestamp(data: bytes, pos: int) -> datetime.datetime:
            year, month, day, hour, minute, second, nano = unpack_timestamp(data, pos)
            return datetime.datetime(year, month, day, hour, minute, second, nano // 1000)

        def append_zoned(buf: bytearray, value: datetime.datetime) -> None:
            buf += pack_zoned(
                value.year,
                value.month,
                value.day,
                value.hour,
                value.minute,
                value.second,
                value.microsecond * 1000,
                offset_seconds(value),
            )

        def decode_zoned(data: bytes, pos: int) -> datetime.datetime:
            year, month, day, hour, minute, second, nano, offset = unpack_zoned(data, pos)
            return datetime.datetime(year, month, day, hour, minute, second, nano // 1000, offset_timezone(offset))

        for kind, append, decode in (
            (K.STRING, append_string, decode_string),
            (K.DECIMAL, append_decimal, decode_decimal),
            (K.TIME, append_time, decode_time),
            (K.DATE, append_date, decode_date),
            (K.TIMESTAMP, append_timestamp, decode_timestamp),
            (K.TIMESTAMP_WITH_TIMEZONE, append_zoned, decode_zoned),
        ):
            self.append[kind] = append
            self.decode[kind] = decode

    # -- arrays ----------------------------------------------------------------------------------------------------

    def _build_arrays(self, p: str) -> None:
        pack_int32 = self.pack_int32
        unpack_int32 = self.unpack_int32

        def append_booleans(buf: bytearray, values: Sequence[bool]) -> None:
            count = len(values)
            buf += pack_int32(count)
            packed = bytearray((count + 7) // 8)
            for index, value in enumerate(values):
                if value:
                    packed[index >> 3] |= 1 << (index & 7)
            buf += packed

        def decode_booleans(data: bytes, pos: int) -> list[bool]:
            count = unpack_int32(data, pos)[0]
            start = pos + 4
            end = start + (count + 7) // 8
            if count < 0 or end > len(data):
                raise _overrun(end - start, start, data)
            return [(data[start + (index >> 3)] >> (index & 7)) & 1 == 1 for index in range(count)]

        self.append[K.ARRAY_OF_BOOLEAN] = append_booleans
        self.decode[K.ARRAY_OF_BOOLEAN] = decode_booleans

        for array_kind, item_kind in _PACKED_ARRAYS.items():
            code = _STRUCT_CODES[item_kind]
            self.append[array_kind] = _packed_appender(p, code)
            self.decode[array_kind] = _packed_decoder(p, code, unpack_int32)

        for array_kind, item_kind in _ITEM_KINDS.items():
            self.append[array_kind] = functools.partial(self.append_items, append_item=self.append[item_kind])
            self.decode[array_kind] = functools.partial(self.decode_items, decode_item=self.decode[item_kind])

    def append_items(self, buf: bytearray, items: Sequence[Any], append_item: Appender) -> None:
        """Append an array of variable-size items (None items allowed) with its offset table."""
        head = len(buf)
        buf += b"\x00" * 8
        start = head + 8
        offsets = []
        for item in items:
            if item is None:
                offsets.append(NULL_OFFSET)
            else:
                offsets.append(len(buf) - start)
                append_item(buf, item)
        data_length = len(buf) - start
        self._pack_pair_into(buf, head, data_length, len(items))
        self.append_offsets(buf, data_length, offsets)

    def decode_items(self, data: bytes, pos: int, decode_item: Decoder) -> list[Any]:
        """Read an array written by ``append_items``."""
        data_length, count = self._unpack_pair(data, pos)
        start = pos + 8
        table = start + data_length
        offset_at = self.offset_reader(data_length)
        items = []
        for index in range(count):
            offset = offset_at(data, table, index)
            items.append(None if offset == NULL_OFFSET else decode_item(data, start + offset))
        return items

    # -- offset tables ---------------------------------------------------------------------------------------------

    def append_offsets(self, buf: bytearray, data_length: int, offsets: Sequence[int]) -> None:
        """Append an offset table for data of ``data_length`` bytes, entries as narrow as that length allows."""
        if data_length < _UINT8_RANGE:
            buf += bytes([offset & 0xFF for offset in offsets])
        elif data_length < _UINT16_RANGE:
            buf += struct.pack(f"{self.prefix}{len(offsets)}H", *[offset & 0xFFFF for offset in offsets])
        else:
            buf += struct.pack(f"{self.prefix}{len(offsets)}i", *offsets)

    def offset_table_size(self, data_length: int, count: int) -> int:
        """Size in bytes of an offset table of ``count`` entries for data of ``data_length`` bytes."""
        if data_length < _UINT8_RANGE:
            return count
        if data_length < _UINT16_RANGE:
            return count * 2
        return count * 4

    def offset_reader(self, data_length: int) -> OffsetReader:
        """The reader of entries of an offset table for data of ``data_length`` bytes."""
        if data_length < _UINT8_RANGE:
            return _uint8_offset
        if data_length < _UINT16_RANGE:
            unpack_uint16 = self._unpack_uint16

            def uint16_offset(data: bytes, table: int, index: int) -> int:
                offset: int = unpack_uint16(data, table + index * 2)[0]
                return NULL_OFFSET if offset == 0xFFFF else offset

            return uint16_offset
        unpack_int32 = self.unpack_int32

        def int32_offset(data: bytes, table: int, index: int) -> int:
            offset: int = unpack_int32(data, table + index * 4)[0]
            return offset

        return int32_offset


def _uint8_offset(data: bytes, table: int, index: int) -> int:
    offset = data[table + index]
    return NULL_OFFSET if offset == 0xFF else offset


def _number_appender(pack: Callable[..., bytes]) -> Appender:
    def append(buf: bytearray, value: Any) -> None:
        buf += pack(value)

    return append


def _number_decoder(unpack_from: Callable[..., tuple[Any, ...]]) -> Decoder:
    def decode(data: bytes, pos: int) -> Any:
        return unpack_from(data, pos)[0]

    return decode


def _packed_appender(prefix: str, code: str) -> Appender:
    def append(buf: bytearray, values: Sequence[Any]) -> None:
        count = len(values)
        buf += struct.pack(f"{prefix}i{count}{code}", count, *values)

    return append


def _packed_decoder(prefix: str, code: str, unpack_int32: Callable[..., tuple[Any, ...]]) -> Decoder:
    def decode(data: bytes, pos: int) -> list[Any]:
        count = unpack_int32(data, pos)[0]
        if count < 0:
            raise EOFError(f"negative array length {count} at offset {pos}")
        return list(struct.unpack_from(f"{prefix}{count}{code}", data, pos + 4))

    return decode


_BIG_ENDIAN = KindCodecs(True)
_LITTLE_ENDIAN = KindCodecs(False)


def kind_codecs(big_endian: bool) -> KindCodecs:
    """The shared codecs of the given payload byte order."""
    return _BIG_ENDIAN if big_endian else _LITTLE_ENDIAN
