"""Layouts of the Portable field values that are not plain stream primitives.

They differ from the top-level serializers of the same types: a Portable date has a 16-bit year (Java's
``PortableUtil``), and decimals, times, dates and timestamps are nullable, with a boolean "is null" byte
in front when they are single fields.
"""

from __future__ import annotations

import datetime
import decimal

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization._builtin_codecs import decimal_from_java, decimal_to_java
from hazelcast.serialization.api import ObjectDataInput, ObjectDataOutput
from hazelcast.serialization._temporal import offset_seconds, offset_timezone

__all__ = [
    "read_date",
    "read_decimal",
    "read_time",
    "read_timestamp",
    "read_timestamp_with_timezone",
    "write_date",
    "write_decimal",
    "write_time",
    "write_timestamp",
    "write_timestamp_with_timezone",
]


def write_decimal(out: ObjectDataOutput, value: decimal.Decimal) -> None:
    """Unscaled value as Java ``BigInteger.toByteArray`` bytes (with their count), then the int32 scale."""
    raw, scale = decimal_to_java(value)
    out.write_byte_array(raw)
    out.write_int(scale)


def read_decimal(inp: ObjectDataInput) -> decimal.Decimal:
    raw = inp.read_byte_array()
    if raw is None:
        raise HazelcastSerializationError("a Portable decimal has no unscaled value")
    return decimal_from_java(raw, inp.read_int())


def write_date(out: ObjectDataOutput, value: datetime.date) -> None:
    out.write_short(value.year)
    out.write_byte(value.month)
    out.write_byte(value.day)


def read_date(inp: ObjectDataInput) -> datetime.date:
    year = inp.read_short()
    month = inp.read_byte()
    return datetime.date(year, month, inp.read_byte())


def write_time(out: ObjectDataOutput, value: datetime.time | datetime.datetime) -> None:
    out.write_byte(value.hour)
    out.write_byte(value.minute)
    out.write_byte(value.second)
    out.write_int(value.microsecond * 1000)


def read_time(inp: ObjectDataInput) -> datetime.time:
    hour = inp.read_byte()
    minute = inp.read_byte()
    second = inp.read_byte()
    return datetime.time(hour, minute, second, inp.read_int() // 1000)


def write_timestamp(out: ObjectDataOutput, value: datetime.datetime) -> None:
    write_date(out, value)
    write_time(out, value)


def read_timestamp(inp: ObjectDataInput) -> datetime.datetime:
    return datetime.datetime.combine(read_date(inp), read_time(inp))


def write_timestamp_with_timezone(out: ObjectDataOutput, value: datetime.datetime) -> None:
    write_timestamp(out, value)
    out.write_int(offset_seconds(value))


def read_timestamp_with_timezone(inp: ObjectDataInput) -> datetime.datetime:
    timestamp = read_timestamp(inp)
    return timestamp.replace(tzinfo=offset_timezone(inp.read_int()))


