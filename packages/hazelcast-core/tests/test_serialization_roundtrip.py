"""Round trips of every built-in type, reading of the types only Java writes, and malformed input."""

from __future__ import annotations

import datetime
import decimal
import enum
import math
import struct
import uuid
from typing import Any

import pytest

from hazelcast.config import Config, IntType
from hazelcast.core import HazelcastJsonValue
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import SerializationService

BYTE_ORDERS = pytest.mark.parametrize("big_endian", [True, False], ids=["big-endian", "little-endian"])

IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
WEST = datetime.timezone(datetime.timedelta(hours=-9, minutes=-15, seconds=-7))


def make_service(**options: Any) -> SerializationService:
    config = Config()
    for name, value in options.items():
        setattr(config, name, value)
    return SerializationService(config)


def round_trip(service: SerializationService, value: Any) -> Any:
    return service.to_object(service.to_data(value))


SAME_VALUES: list[Any] = [
    True,
    False,
    0,
    -1,
    2**31 - 1,
    -(2**31),
    0.0,
    1.5,
    -1e308,
    5e-324,
    math.inf,
    -math.inf,
    "",
    "key-1",
    "ünïcödé",
    "\U0001f600 surrogate pair \U00010348 in Java",
    "\x00 nul and \uffff",
    "x" * 100_000,
    b"",
    b"\x00\x01\xfe\xff",
    bytes(range(256)) * 40,
    [],
    [None],
    [1, "a", 2.5, True, None, b"raw"],
    [[], [[]], [[1, [2, [3]]]]],
    [decimal.Decimal("1.1"), uuid.UUID(int=1), datetime.date(2020, 2, 29), HazelcastJsonValue("{}")],
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    uuid.UUID(int=0),
    uuid.UUID(int=(1 << 128) - 1),
    uuid.UUID("ffffffff-0000-0000-8000-000000000000"),
    datetime.date(1, 1, 1),
    datetime.date(9999, 12, 31),
    datetime.time(0, 0),
    datetime.time(23, 59, 59, 999_999),
    datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
    datetime.datetime(2024, 6, 30, 23, 59, 59, 999_999, tzinfo=IST),
    datetime.datetime(1, 1, 1, tzinfo=WEST),
    decimal.Decimal("0"),
    decimal.Decimal("-1.50"),
    decimal.Decimal("1E+3"),
    decimal.Decimal("123456789012345678901234567890.123456789012345678901234567890"),
    decimal.Decimal("-0.000000000000000000000000000000000001"),
    HazelcastJsonValue('{"a": [1, 2, {"b": null}]}'),
    HazelcastJsonValue(""),
]


@BYTE_ORDERS
@pytest.mark.parametrize("value", SAME_VALUES, ids=lambda v: type(v).__name__)
def test_round_trip_gives_an_equal_value_of_the_same_type(big_endian: bool, value: Any) -> None:
    result = round_trip(make_service(is_big_endian=big_endian), value)
    assert result == value
    assert type(result) is type(value)


@BYTE_ORDERS
def test_negative_zero_keeps_its_sign(big_endian: bool) -> None:
    result = round_trip(make_service(is_big_endian=big_endian), -0.0)
    assert result == 0.0 and math.copysign(1.0, result) == -1.0


@BYTE_ORDERS
def test_nan_stays_nan(big_endian: bool) -> None:
    assert math.isnan(round_trip(make_service(is_big_endian=big_endian), math.nan))


@BYTE_ORDERS
def test_bytes_like_values_come_back_as_bytes(big_endian: bool) -> None:
    service = make_service(is_big_endian=big_endian)
    result = round_trip(service, bytearray(b"abc"))
    assert result == b"abc" and type(result) is bytes
    assert round_trip(service, [bytearray(b"\x01")]) == [b"\x01"]


@BYTE_ORDERS
def test_naive_datetime_comes_back_in_utc(big_endian: bool) -> None:
    naive = datetime.datetime(2024, 1, 2, 3, 4, 5, 6)
    result = round_trip(make_service(is_big_endian=big_endian), naive)
    assert result == naive.replace(tzinfo=datetime.UTC)
    assert result.utcoffset() == datetime.timedelta(0)


class _SummerTime(datetime.tzinfo):
    """A zone whose offset depends on the date, as named zones with daylight saving do (no zone database needed)."""

    def utcoffset(self, dt: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(hours=2 if dt is not None and 4 <= dt.month <= 9 else 1)

    def dst(self, dt: datetime.datetime | None) -> datetime.timedelta:
        return datetime.timedelta(hours=1 if dt is not None and 4 <= dt.month <= 9 else 0)

    def tzname(self, dt: datetime.datetime | None) -> str:
        return "SUMMER-TIME"


def test_datetime_with_a_date_dependent_zone_keeps_its_offset() -> None:
    for month, hours in ((7, 2), (1, 1)):
        local = datetime.datetime(2024, month, 1, 12, 0, tzinfo=_SummerTime())
        result = round_trip(make_service(), local)
        assert result == local
        assert result.utcoffset() == datetime.timedelta(hours=hours)


def test_time_zone_info_of_a_time_is_not_written() -> None:
    assert round_trip(make_service(), datetime.time(1, 2, 3, tzinfo=IST)) == datetime.time(1, 2, 3)


def test_negative_zero_decimal_comes_back_as_zero() -> None:
    # Java's BigDecimal has no negative zero.
    assert round_trip(make_service(), decimal.Decimal("-0.00")) == decimal.Decimal("0.00")
    assert str(round_trip(make_service(), decimal.Decimal("-0.00"))) == "0.00"


def test_decimal_precision_is_not_rounded_to_the_context() -> None:
    value = decimal.Decimal("9" * 80 + "." + "1" * 40)
    result = round_trip(make_service(), value)
    assert str(result) == str(value)


@BYTE_ORDERS
@pytest.mark.parametrize(
    ("int_type", "values"),
    [
        (IntType.VAR, [0, 127, -128, 128, -129, 2**15, 2**31, -(2**63), 2**63 - 1, 2**63, -(2**200), 10**50]),
        (IntType.BYTE, [-128, 0, 127]),
        (IntType.SHORT, [-(2**15), 2**15 - 1]),
        (IntType.INT, [-(2**31), 2**31 - 1]),
        (IntType.LONG, [-(2**63), 2**63 - 1]),
        (IntType.BIG_INT, [0, -1, 255, -(2**1000), 2**1000]),
    ],
)
def test_ints_round_trip_under_every_int_type(big_endian: bool, int_type: IntType, values: list[int]) -> None:
    service = make_service(is_big_endian=big_endian, default_int_type=int_type)
    for value in values:
        assert round_trip(service, value) == value
    assert round_trip(service, values) == values


@BYTE_ORDERS
def test_deeply_nested_lists(big_endian: bool) -> None:
    value: list[Any] = []
    for depth in range(50):
        value = [depth, value, str(depth)]
    assert round_trip(make_service(is_big_endian=big_endian), value) == value


def test_lone_surrogates_cannot_be_serialized() -> None:
    with pytest.raises(HazelcastSerializationError, match="str"):
        make_service().to_data("\ud800")


@pytest.mark.parametrize("value", [decimal.Decimal("NaN"), decimal.Decimal("-Infinity"), decimal.Decimal("sNaN")])
def test_decimals_without_a_java_equivalent_are_refused(value: decimal.Decimal) -> None:
    with pytest.raises(HazelcastSerializationError, match="BigDecimal"):
        make_service().to_data(value)


def test_str_subclasses_are_written_as_strings() -> None:
    class Color(enum.StrEnum):
        RED = "red"

    class Name(str):
        pass

    service = make_service()
    assert service.to_data(Color.RED) == service.to_data("red")
    assert service.to_data(Name("bob")) == service.to_data("bob")
    assert service.to_data([Name("bob")]) == service.to_data(["bob"])
    assert round_trip(service, Color.RED) == "red"


def test_subclasses_of_other_built_in_types_need_a_serializer() -> None:
    class Flag(enum.IntEnum):
        ON = 1

    class Names(list[str]):
        pass

    service = make_service()
    for value in (Flag.ON, Names(["a"]), {"a": 1}, (1, 2), {1}):
        with pytest.raises(HazelcastSerializationError, match="there is no serializer"):
            service.to_data(value)


# ---------------------------------------------------------------------------------------------- Java-only types


def data(type_id: int, payload: str) -> bytes:
    return struct.pack(">ii", 0, type_id) + bytes.fromhex(payload)


@pytest.mark.parametrize(
    ("type_id", "payload", "expected"),
    [
        (-3, "80", -128),  # Byte
        (-5, "20ac", "€"),  # Character
        (-5, "d83d", "\ud83d"),  # Character: half of a surrogate pair
        (-6, "8000", -32768),  # Short
        (-8, "8000000000000000", -(2**63)),  # Long
        (-9, "3fc00000", 1.5),  # Float
        (-13, "00000003010001", [True, False, True]),  # boolean[]
        (-14, "00000002004100e9", ["A", "é"]),  # char[]
        (-15, "00000002ffff7fff", [-1, 32767]),  # short[]
        (-16, "000000028000000000000001", [-(2**31), 1]),  # int[]
        (-17, "00000001ffffffffffffffff", [-1]),  # long[]
        (-18, "000000013fc00000", [1.5]),  # float[]
        (-19, "000000023ff8000000000000c000000000000000", [1.5, -2.0]),  # double[]
        (-20, "000000020000000161ffffffff", ["a", None]),  # String[]
        (-16, "00000000", []),  # empty int[]
        (-16, "ffffffff", None),  # null int[]
        (-24, "00000010" + b"java.lang.String".hex(), "java.lang.String"),  # Class
        (-26, "00000009008000000000000000", 2**63),  # BigInteger
        (-26, "00000001ff", -1),  # BigInteger
        (-28, "00000002fffffff900000001fffffff50000000162", [1, "b"]),  # Object[]
        (-29, "ffffffff", None),  # null ArrayList
        (-30, "00000002fffffffd0500000000", [5, None]),  # LinkedList
        (-53, "000007e80c1f173b3b3b9ac9ff", datetime.datetime(2024, 12, 31, 23, 59, 59, 999_999)),
        (
            -54,
            "000007e801020304050000000000000e10",
            datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        ),
        (-11, "ffffffff", None),  # null String
    ],
)
def test_reads_types_only_java_writes(type_id: int, payload: str, expected: Any) -> None:
    result = make_service().to_object(data(type_id, payload))
    assert result == expected
    assert type(result) is type(expected)


def test_reads_java_only_types_nested_in_a_list() -> None:
    payload = "00000003" "fffffff7" "3fc00000" "fffffff0" "00000001" "00000007" "ffffffe8" "00000001" "41"  # fmt: skip
    assert make_service().to_object(data(-29, payload)) == [1.5, [7], "A"]


def test_reads_java_only_types_in_little_endian_payloads() -> None:
    service = make_service(is_big_endian=False)
    assert service.to_object(data(-8, "0100000000000080")) == -(2**63) + 1
    assert service.to_object(data(-16, "02000000" "01000000" "feffffff")) == [1, -2]  # fmt: skip
    assert service.to_object(data(-14, "01000000" "4100")) == ["A"]  # fmt: skip


# ---------------------------------------------------------------------------------------------- malformed input


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00",
        b"\x00" * 7,
        data(-11, "000000056162"),  # String shorter than its length
        data(-11, "fffffffe"),  # negative length other than -1
        data(-7, "0000"),  # truncated int
        data(-12, "7fffffff"),  # byte[] length beyond the buffer
        data(-29, "00000002fffffff900000001"),  # list missing an item
        data(-16, "0000000400000001"),  # int[] shorter than its count
        data(-21, "00"),  # truncated UUID
        data(-51, "000007e80d01"),  # month 13
        data(-11, "00000001ff"),  # invalid UTF-8
    ],
    ids=lambda raw: raw.hex(),
)
def test_malformed_data_raises_a_serialization_error(raw: bytes) -> None:
    with pytest.raises(HazelcastSerializationError):
        make_service().to_object(raw)


def test_unknown_type_ids_raise_a_serialization_error_that_names_them() -> None:
    service = make_service()
    with pytest.raises(HazelcastSerializationError, match=r"type id -101 \(JAVA_EXTERNALIZABLE\)"):
        service.to_object(data(-101, "00000000"))
    with pytest.raises(HazelcastSerializationError, match="type id -999"):
        service.to_object(data(-999, ""))
    with pytest.raises(HazelcastSerializationError, match=r"type id 42: .*Config\.custom_serializers"):
        service.to_object(data(42, ""))
    with pytest.raises(HazelcastSerializationError, match="type id -100"):
        service.to_object(data(-29, "00000001" "ffffff9c"))  # fmt: skip
