"""Encoders and decoders of the built-in types (serializer type ids below zero).

Going through an ``ObjectDataOutput`` costs a Python method call per field, so every built-in type is
instead encoded by straight-line code around one precompiled struct call. Each encoder is built in two
flavours from one definition:

* top level (``to_data``): the constant 8-byte big-endian header (partition hash 0, type id) is packed as
  an ``8s`` field in front of the payload;
* item (inside a list, or written by ``ObjectDataOutput.write_object``): the type id is an int32 in the
  payload byte order, as Java's ``writeObject`` writes it.

Item decoders read the payload that starts at an offset and return the value and the offset after it;
they serve values nested in lists and ``read_object``, and, at offset 8, whole serialized objects.
``list`` is encoded and decoded by the service itself, since its items may need user serializers.
"""

from __future__ import annotations

import datetime
import decimal
import struct
import uuid
from collections.abc import Callable
from typing import Any

from hazelcast.core import HazelcastJsonValue
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization._byte_order import HEADER, PayloadStructs
from hazelcast.serialization.type_ids import SerializerTypeId
from hazelcast.serialization._temporal import offset_seconds, offset_timezone

__all__ = [
    "Encoder",
    "ItemDecoder",
    "big_integer_to_bytes",
    "build_encoders",
    "build_item_decoders",
    "build_top_level_decoders",
    "decimal_from_java",
    "decimal_to_java",
    "int_out_of_range",
]

Encoder = Callable[[Any], bytes]
ItemDecoder = Callable[[bytes, int], tuple[Any, int]]
"""Reads the payload that starts at the given offset; returns the value and the offset after the payload."""

_UINT64_MASK = (1 << 64) - 1

_INT_RANGES: dict[int, tuple[str, int, int]] = {
    SerializerTypeId.BYTE: ("byte", -(2**7), 2**7 - 1),
    SerializerTypeId.SHORT: ("short", -(2**15), 2**15 - 1),
    SerializerTypeId.INTEGER: ("int", -(2**31), 2**31 - 1),
    SerializerTypeId.LONG: ("long", -(2**63), 2**63 - 1),
}


def int_out_of_range(value: int, type_id: int) -> HazelcastSerializationError:
    """The error for an ``int`` that does not fit the width ``Config.default_int_type`` selects."""
    java_name, low, high = _INT_RANGES[type_id]
    return HazelcastSerializationError(
        f"int {value} does not fit in a Java {java_name} ({low}..{high}), the width Config.default_int_type "
        f"selects; use a wider IntType, IntType.VAR (the smallest width that fits) or IntType.BIG_INT"
    )


def big_integer_to_bytes(value: int) -> bytes:
    """Minimal big-endian two's complement, as Java's ``BigInteger.toByteArray``."""
    magnitude = value if value >= 0 else ~value
    return value.to_bytes(magnitude.bit_length() // 8 + 1, "big", signed=True)


def decimal_to_java(value: decimal.Decimal) -> tuple[bytes, int]:
    """The unscaled value (as ``big_integer_to_bytes``) and the scale of the Java ``BigDecimal`` equal to ``value``.

    Every format (built-in, Compact, Portable) writes a decimal as these two parts.

    Raises:
        ValueError: ``value`` is NaN or infinite, which a ``BigDecimal`` cannot be.
    """
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"Decimal {value} has no Java BigDecimal equivalent")
    unscaled = int("".join(map(str, digits)))
    return big_integer_to_bytes(-unscaled if sign else unscaled), -exponent


def decimal_from_java(unscaled: bytes, scale: int) -> decimal.Decimal:
    """The ``Decimal`` of a Java ``BigDecimal`` read as its unscaled value's bytes and its scale."""
    value = int.from_bytes(unscaled, "big", signed=True)
    # Built from the digits: Decimal arithmetic would round to the context precision.
    return decimal.Decimal((1 if value < 0 else 0, tuple(map(int, str(abs(value)))), -scale))


def build_encoders(structs: PayloadStructs, int_type_id: int | None, *, top_level: bool) -> dict[type, Encoder]:
    """Encoders by exact Python type, for the payload byte order of ``structs``.

    ``int_type_id`` is the type id ``Config.default_int_type`` selects, or None for ``IntType.VAR``.
    ``top_level`` selects the 8-byte header flavour, otherwise the item flavour (int32 type id).
    """
    p = structs.prefix
    lead_format = "8s" if top_level else "i"

    def lead(type_id: int) -> bytes | int:
        return HEADER.pack(0, type_id) if top_level else int(type_id)

    def packer(payload_format: str) -> Callable[..., bytes]:
        return struct.Struct(p + lead_format + payload_format).pack

    pack_length = packer("i")
    pack_double = packer("d")
    pack_uuid = packer("QQ")
    pack_date = packer("ibb")
    pack_time = packer("bbbi")
    pack_offset_date_time = packer("ibbbbbii")
    pack_scale = structs.int32.pack
    null_data = b"" if top_level else packer("")(lead(SerializerTypeId.NULL))
    true_data = packer("?")(lead(SerializerTypeId.BOOLEAN), True)
    false_data = packer("?")(lead(SerializerTypeId.BOOLEAN), False)
    double_lead = lead(SerializerTypeId.DOUBLE)
    string_lead = lead(SerializerTypeId.STRING)
    bytes_lead = lead(SerializerTypeId.BYTE_ARRAY)
    uuid_lead = lead(SerializerTypeId.UUID)
    decimal_lead = lead(SerializerTypeId.BIG_DECIMAL)
    date_lead = lead(SerializerTypeId.LOCAL_DATE)
    time_lead = lead(SerializerTypeId.LOCAL_TIME)
    date_time_lead = lead(SerializerTypeId.OFFSET_DATE_TIME)
    json_lead = lead(SerializerTypeId.JSON)

    def encode_none(value: None) -> bytes:
        return null_data

    def encode_bool(value: bool) -> bytes:
        return true_data if value else false_data

    def encode_float(value: float) -> bytes:
        return pack_double(double_lead, value)

    def encode_str(value: str) -> bytes:
        raw = value.encode()
        return pack_length(string_lead, len(raw)) + raw

    def encode_bytes(value: bytes | bytearray) -> bytes:
        return pack_length(bytes_lead, len(value)) + value

    def encode_uuid(value: uuid.UUID) -> bytes:
        bits = value.int
        return pack_uuid(uuid_lead, bits >> 64, bits & _UINT64_MASK)

    def encode_decimal(value: decimal.Decimal) -> bytes:
        raw, scale = decimal_to_java(value)
        return pack_length(decimal_lead, len(raw)) + raw + pack_scale(scale)

    def encode_date(value: datetime.date) -> bytes:
        return pack_date(date_lead, value.year, value.month, value.day)

    def encode_time(value: datetime.time) -> bytes:
        return pack_time(time_lead, value.hour, value.minute, value.second, value.microsecond * 1000)

    def encode_datetime(value: datetime.datetime) -> bytes:
        return pack_offset_date_time(
            date_time_lead,
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond * 1000,
            offset_seconds(value),
        )

    def encode_json(value: HazelcastJsonValue) -> bytes:
        raw = value.to_string().encode()
        return pack_length(json_lead, len(raw)) + raw

    return {
        type(None): encode_none,
        bool: encode_bool,
        int: _int_encoder(packer, lead, int_type_id),
        float: encode_float,
        str: encode_str,
        bytes: encode_bytes,
        bytearray: encode_bytes,
        uuid.UUID: encode_uuid,
        decimal.Decimal: encode_decimal,
        datetime.date: encode_date,
        datetime.time: encode_time,
        datetime.datetime: encode_datetime,
        HazelcastJsonValue: encode_json,
    }


def _int_encoder(
    packer: Callable[[str], Callable[..., bytes]], lead: Callable[[int], bytes | int], int_type_id: int | None
) -> Encoder:
    """Encoder of ``int`` for a fixed type id, or for ``IntType.VAR`` when ``int_type_id`` is None."""
    pack_byte = packer("b")
    pack_short = packer("h")
    pack_int = packer("i")
    pack_long = packer("q")
    byte_lead = lead(SerializerTypeId.BYTE)
    short_lead = lead(SerializerTypeId.SHORT)
    int_lead = lead(SerializerTypeId.INTEGER)
    long_lead = lead(SerializerTypeId.LONG)
    big_lead = lead(SerializerTypeId.BIG_INTEGER)

    def encode_big_integer(value: int) -> bytes:
        raw = big_integer_to_bytes(value)
        return pack_int(big_lead, len(raw)) + raw

    if int_type_id is None:

        def encode_var(value: int) -> bytes:
            if -128 <= value <= 127:
                return pack_byte(byte_lead, value)
            if -32768 <= value <= 32767:
                return pack_short(short_lead, value)
            if -2147483648 <= value <= 2147483647:
                return pack_int(int_lead, value)
            if -9223372036854775808 <= value <= 9223372036854775807:
                return pack_long(long_lead, value)
            return encode_big_integer(value)

        return encode_var

    if int_type_id == SerializerTypeId.BIG_INTEGER:
        return encode_big_integer

    pack, type_lead = {
        SerializerTypeId.BYTE: (pack_byte, byte_lead),
        SerializerTypeId.SHORT: (pack_short, short_lead),
        SerializerTypeId.INTEGER: (pack_int, int_lead),
        SerializerTypeId.LONG: (pack_long, long_lead),
    }[SerializerTypeId(int_type_id)]

    def encode_fixed(value: int) -> bytes:
        try:
            return pack(type_lead, value)
        except struct.error:
            raise int_out_of_range(value, int_type_id) from None

    return encode_fixed


def build_item_decoders(structs: PayloadStructs) -> dict[int, ItemDecoder]:
    """Payload decoders by type id for every built-in type but lists, for the payload byte order of ``structs``."""
    p = structs.prefix
    unpack_int8 = structs.int8.unpack_from
    unpack_int16 = structs.int16.unpack_from
    unpack_uint16 = structs.uint16.unpack_from
    unpack_int32 = structs.int32.unpack_from
    unpack_int64 = structs.int64.unpack_from
    unpack_float32 = structs.float32.unpack_from
    unpack_float64 = structs.float64.unpack_from
    unpack_uint64_pair = structs.uint64_pair.unpack_from
    unpack_date = structs.date.unpack_from
    unpack_time = structs.time.unpack_from
    unpack_date_time = structs.date_time.unpack_from
    unpack_offset_date_time = structs.offset_date_time.unpack_from
    date_size = structs.date.size
    time_size = structs.time.size
    date_time_size = structs.date_time.size
    offset_date_time_size = structs.offset_date_time.size
    date_type = datetime.date
    time_type = datetime.time
    datetime_type = datetime.datetime
    uuid_type = uuid.UUID

    def sized(data: bytes, pos: int) -> tuple[bytes | None, int]:
        length = unpack_int32(data, pos)[0]
        start = pos + 4
        if length == -1:
            return None, start
        end = start + length
        if length < 0 or end > len(data):
            raise EOFError(f"a payload of {length} bytes at offset {start} overruns a {len(data)}-byte buffer")
        return data[start:end], end

    def decode_null(data: bytes, pos: int) -> tuple[None, int]:
        return None, pos

    def decode_bool(data: bytes, pos: int) -> tuple[bool, int]:
        return data[pos] != 0, pos + 1

    def decode_byte(data: bytes, pos: int) -> tuple[int, int]:
        return unpack_int8(data, pos)[0], pos + 1

    def decode_char(data: bytes, pos: int) -> tuple[str, int]:
        return chr(unpack_uint16(data, pos)[0]), pos + 2

    def decode_short(data: bytes, pos: int) -> tuple[int, int]:
        return unpack_int16(data, pos)[0], pos + 2

    def decode_int(data: bytes, pos: int) -> tuple[int, int]:
        return unpack_int32(data, pos)[0], pos + 4

    def decode_long(data: bytes, pos: int) -> tuple[int, int]:
        return unpack_int64(data, pos)[0], pos + 8

    def decode_float(data: bytes, pos: int) -> tuple[float, int]:
        return unpack_float32(data, pos)[0], pos + 4

    def decode_double(data: bytes, pos: int) -> tuple[float, int]:
        return unpack_float64(data, pos)[0], pos + 8

    def decode_str(data: bytes, pos: int) -> tuple[str | None, int]:
        raw, end = sized(data, pos)
        return (None if raw is None else raw.decode()), end

    def big_integer_bytes(data: bytes, pos: int) -> tuple[bytes, int]:
        raw, end = sized(data, pos)
        if raw is None:
            raise EOFError("a BigInteger payload has no bytes")
        return raw, end

    def decode_big_integer(data: bytes, pos: int) -> tuple[int, int]:
        raw, end = big_integer_bytes(data, pos)
        return int.from_bytes(raw, "big", signed=True), end

    def decode_big_decimal(data: bytes, pos: int) -> tuple[decimal.Decimal, int]:
        raw, end = big_integer_bytes(data, pos)
        return decimal_from_java(raw, unpack_int32(data, end)[0]), end + 4

    def decode_uuid(data: bytes, pos: int) -> tuple[uuid.UUID, int]:
        most, least = unpack_uint64_pair(data, pos)
        return uuid_type(int=(most << 64) | least), pos + 16

    def decode_date(data: bytes, pos: int) -> tuple[datetime.date, int]:
        return date_type(*unpack_date(data, pos)), pos + date_size

    def decode_time(data: bytes, pos: int) -> tuple[datetime.time, int]:
        hour, minute, second, nano = unpack_time(data, pos)
        return time_type(hour, minute, second, nano // 1000), pos + time_size

    def decode_local_date_time(data: bytes, pos: int) -> tuple[datetime.datetime, int]:
        year, month, day, hour, minute, second, nano = unpack_date_time(data, pos)
        return datetime_type(year, month, day, hour, minute, second, nano // 1000), pos + date_time_size

    def decode_offset_date_time(data: bytes, pos: int) -> tuple[datetime.datetime, int]:
        year, month, day, hour, minute, second, nano, offset = unpack_offset_date_time(data, pos)
        value = datetime_type(year, month, day, hour, minute, second, nano // 1000, offset_timezone(offset))
        return value, pos + offset_date_time_size

    def decode_json(data: bytes, pos: int) -> tuple[HazelcastJsonValue, int]:
        raw, end = sized(data, pos)
        if raw is None:
            raise EOFError("a HazelcastJsonValue payload has no text")
        return HazelcastJsonValue(raw.decode()), end

    def counted(data: bytes, pos: int, item_size: int) -> tuple[int, int, int]:
        count = unpack_int32(data, pos)[0]
        start = pos + 4
        end = start + max(count, 0) * item_size
        if count < -1 or end > len(data):
            raise EOFError(f"an array of {count} items at offset {start} overruns a {len(data)}-byte buffer")
        return count, start, end

    def packed_array(code: str, item_size: int) -> ItemDecoder:
        def decode_array(data: bytes, pos: int) -> tuple[list[Any] | None, int]:
            count, start, end = counted(data, pos, item_size)
            if count == -1:
                return None, start
            return list(struct.unpack_from(f"{p}{count}{code}", data, start)), end

        return decode_array

    def decode_boolean_array(data: bytes, pos: int) -> tuple[list[bool] | None, int]:
        count, start, end = counted(data, pos, 1)
        if count == -1:
            return None, start
        return [byte != 0 for byte in data[start:end]], end

    decode_char_units = packed_array("H", 2)

    def decode_char_array(data: bytes, pos: int) -> tuple[list[str] | None, int]:
        units, end = decode_char_units(data, pos)
        return (None if units is None else [chr(unit) for unit in units]), end

    def decode_string_array(data: bytes, pos: int) -> tuple[list[str | None] | None, int]:
        count, pos, _ = counted(data, pos, 0)
        if count == -1:
            return None, pos
        items = []
        for _ in range(count):
            item, pos = decode_str(data, pos)
            items.append(item)
        return items, pos

    decoders: dict[SerializerTypeId, ItemDecoder] = {
        SerializerTypeId.NULL: decode_null,
        SerializerTypeId.BOOLEAN: decode_bool,
        SerializerTypeId.BYTE: decode_byte,
        SerializerTypeId.CHAR: decode_char,
        SerializerTypeId.SHORT: decode_short,
        SerializerTypeId.INTEGER: decode_int,
        SerializerTypeId.LONG: decode_long,
        SerializerTypeId.FLOAT: decode_float,
        SerializerTypeId.DOUBLE: decode_double,
        SerializerTypeId.STRING: decode_str,
        SerializerTypeId.BYTE_ARRAY: sized,
        SerializerTypeId.BOOLEAN_ARRAY: decode_boolean_array,
        SerializerTypeId.CHAR_ARRAY: decode_char_array,
        SerializerTypeId.SHORT_ARRAY: packed_array("h", 2),
        SerializerTypeId.INTEGER_ARRAY: packed_array("i", 4),
        SerializerTypeId.LONG_ARRAY: packed_array("q", 8),
        SerializerTypeId.FLOAT_ARRAY: packed_array("f", 4),
        SerializerTypeId.DOUBLE_ARRAY: packed_array("d", 8),
        SerializerTypeId.STRING_ARRAY: decode_string_array,
        SerializerTypeId.UUID: decode_uuid,
        SerializerTypeId.JAVA_CLASS: decode_str,
        SerializerTypeId.BIG_INTEGER: decode_big_integer,
        SerializerTypeId.BIG_DECIMAL: decode_big_decimal,
        SerializerTypeId.LOCAL_DATE: decode_date,
        SerializerTypeId.LOCAL_TIME: decode_time,
        SerializerTypeId.LOCAL_DATE_TIME: decode_local_date_time,
        SerializerTypeId.OFFSET_DATE_TIME: decode_offset_date_time,
        SerializerTypeId.JSON: decode_json,
    }
    return {int(type_id): decode for type_id, decode in decoders.items()}


def build_top_level_decoders(structs: PayloadStructs) -> dict[int, Callable[[bytes], Any]]:
    """Decoders of whole serialized objects for the hottest type ids.

    The same reads as the item decoders at offset 8, minus a call and a tuple per value: ``to_object`` of a
    ``str`` or ``int`` is on every map read.
    """
    unpack_int32 = structs.int32.unpack_from
    unpack_int64 = structs.int64.unpack_from
    unpack_float64 = structs.float64.unpack_from

    # A large value's Data may be the bytearray its frame was received into (see MessageReader.receive_large): the
    # value is then made from a memoryview of it, in one copy (bytes) or one decoding pass (str).

    def payload(data: bytes) -> bytes | None:
        length = unpack_int32(data, 8)[0]
        if length == -1:
            return None
        end = 12 + length
        if length < 0 or end > len(data):
            raise EOFError(f"a payload of {length} bytes at offset 12 overruns a {len(data)}-byte buffer")
        if data.__class__ is bytes:
            return data[12:end]
        return bytes(memoryview(data)[12:end])

    def decode_str(data: bytes) -> str | None:
        length = unpack_int32(data, 8)[0]
        if length == -1:
            return None
        end = 12 + length
        if length < 0 or end > len(data):
            raise EOFError(f"a payload of {length} bytes at offset 12 overruns a {len(data)}-byte buffer")
        if data.__class__ is bytes:
            return data[12:end].decode()
        return str(memoryview(data)[12:end], "utf-8")

    def decode_bool(data: bytes) -> bool:
        return data[8] != 0

    def decode_int(data: bytes) -> int:
        value: int = unpack_int32(data, 8)[0]
        return value

    def decode_long(data: bytes) -> int:
        value: int = unpack_int64(data, 8)[0]
        return value

    def decode_double(data: bytes) -> float:
        value: float = unpack_float64(data, 8)[0]
        return value

    return {
        int(SerializerTypeId.STRING): decode_str,
        int(SerializerTypeId.BYTE_ARRAY): payload,
        int(SerializerTypeId.BOOLEAN): decode_bool,
        int(SerializerTypeId.INTEGER): decode_int,
        int(SerializerTypeId.LONG): decode_long,
        int(SerializerTypeId.DOUBLE): decode_double,
    }
