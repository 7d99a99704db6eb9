"""Exact bytes of serialized values: the layouts of wire-protocol.md §7 that a Java member reads."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import pytest

from hazelcast.config import Config, IntType
from hazelcast.core import HazelcastJsonValue
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import SerializationService


def make_service(**options: Any) -> SerializationService:
    config = Config()
    for name, value in options.items():
        setattr(config, name, value)
    return SerializationService(config)


def hex_of(service: SerializationService, value: Any) -> str:
    return service.to_data(value).hex()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # The examples of wire-protocol.md §7, produced by the official client 5.7.0.
        ("key-1", "00000000" "fffffff5" "00000005" "6b65792d31"),
        (54, "00000000" "fffffff9" "00000036"),
        (True, "00000000" "fffffffc" "01"),
        (1.5, "00000000" "fffffff6" "3ff8000000000000"),
        (
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "00000000" "ffffffeb" "1234567812345678" "1234567812345678",
        ),
        (datetime.date(2024, 1, 2), "00000000" "ffffffcd" "000007e8" "01" "02"),
        ([1, "a"], "00000000" "ffffffe3" "00000002" "fffffff9" "00000001" "fffffff5" "00000001" "61"),
        (HazelcastJsonValue('{"a":1}'), "00000000" "ffffff7e" "00000007" "7b2261223a317d"),
    ],
)  # fmt: skip
def test_wire_protocol_examples(value: Any, expected: str) -> None:
    assert hex_of(make_service(), value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (False, "00000000" "fffffffc" "00"),
        ("", "00000000" "fffffff5" "00000000"),
        # The length is the UTF-8 byte count, not the character count: "a😀b" is 3 characters, 6 bytes.
        ("a\U0001f600b", "00000000" "fffffff5" "00000006" "61f09f988062"),
        ("é", "00000000" "fffffff5" "00000002" "c3a9"),
        (-0.0, "00000000" "fffffff6" "8000000000000000"),
        (float("inf"), "00000000" "fffffff6" "7ff0000000000000"),
        (float("nan"), "00000000" "fffffff6" "7ff8000000000000"),
        (b"", "00000000" "fffffff4" "00000000"),
        (b"\x00\xff", "00000000" "fffffff4" "00000002" "00ff"),
        (bytearray(b"ab"), "00000000" "fffffff4" "00000002" "6162"),
        ([], "00000000" "ffffffe3" "00000000"),
        ([None], "00000000" "ffffffe3" "00000001" "00000000"),
        ([[2.5]], "00000000" "ffffffe3" "00000001" "ffffffe3" "00000001" "fffffff6" "4004000000000000"),
        (uuid.UUID(int=(1 << 128) - 1), "00000000" "ffffffeb" + "ff" * 16),
        (datetime.time(23, 59, 58, 999_999), "00000000" "ffffffcc" "17" "3b" "3a" "3b9ac618"),
        # A naive datetime is written with offset 0.
        (
            datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
            "00000000" "ffffffca" "000007e8" "01" "02" "03" "04" "05" "00001770" "00000000",
        ),
        (
            datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))),
            "00000000" "ffffffca" "000007e8" "01" "02" "03" "04" "05" "00000000" "ffffb2a8",
        ),
        # BigDecimal: BigInteger(unscaled) then int32 scale.
        (decimal.Decimal("-1.50"), "00000000" "ffffffe5" "00000002" "ff6a" "00000002"),
        (decimal.Decimal("1E+3"), "00000000" "ffffffe5" "00000001" "01" "fffffffd"),
        (decimal.Decimal("0"), "00000000" "ffffffe5" "00000001" "00" "00000000"),
        (decimal.Decimal("128"), "00000000" "ffffffe5" "00000002" "0080" "00000000"),
    ],
)  # fmt: skip
def test_layouts_of_built_in_types(value: Any, expected: str) -> None:
    assert hex_of(make_service(), value) == expected


def test_none_is_the_empty_data_and_back() -> None:
    service = make_service()
    assert service.to_data(None) == b""
    assert service.to_object(b"") is None
    assert service.to_object(None) is None
    assert service.to_object(bytes.fromhex("0000000000000000")) is None


def test_serialized_objects_are_plain_bytes_usable_as_dict_keys() -> None:
    service = make_service()
    data = service.to_data("key-1")
    assert type(data) is bytes
    assert {data: 1}[service.to_data("key-1")] == 1
    assert type(service.to_data([1, "a", decimal.Decimal(1)])) is bytes
    assert type(service.to_data(decimal.Decimal(1))) is bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "fffffffd" "00"),
        (127, "fffffffd" "7f"),
        (-1, "fffffffd" "ff"),
        (-128, "fffffffd" "80"),
        (128, "fffffffa" "0080"),
        (-129, "fffffffa" "ff7f"),
        (32767, "fffffffa" "7fff"),
        (32768, "fffffff9" "00008000"),
        (-32769, "fffffff9" "ffff7fff"),
        (2**31 - 1, "fffffff9" "7fffffff"),
        (2**31, "fffffff8" "0000000080000000"),
        (-(2**31) - 1, "fffffff8" "ffffffff7fffffff"),
        (2**63 - 1, "fffffff8" "7fffffffffffffff"),
        (2**63, "ffffffe6" "00000009" "008000000000000000"),
        (-(2**63) - 1, "ffffffe6" "00000009" "ff7fffffffffffffff"),
    ],
)  # fmt: skip
def test_var_int_picks_the_narrowest_java_type(value: int, expected: str) -> None:
    assert hex_of(make_service(default_int_type=IntType.VAR), value) == "00000000" + expected


@pytest.mark.parametrize(
    ("int_type", "value", "expected"),
    [
        (IntType.BYTE, -1, "fffffffd" "ff"),
        (IntType.SHORT, -2, "fffffffa" "fffe"),
        (IntType.INT, -2, "fffffff9" "fffffffe"),
        (IntType.LONG, 1, "fffffff8" "0000000000000001"),
        (IntType.BIG_INT, 0, "ffffffe6" "00000001" "00"),
        (IntType.BIG_INT, 255, "ffffffe6" "00000002" "00ff"),
        (IntType.BIG_INT, -1, "ffffffe6" "00000001" "ff"),
        (IntType.BIG_INT, -128, "ffffffe6" "00000001" "80"),
        (IntType.BIG_INT, -129, "ffffffe6" "00000002" "ff7f"),
    ],
)  # fmt: skip
def test_fixed_int_types(int_type: IntType, value: int, expected: str) -> None:
    assert hex_of(make_service(default_int_type=int_type), value) == "00000000" + expected


@pytest.mark.parametrize(
    ("int_type", "value"),
    [
        (IntType.BYTE, 128),
        (IntType.BYTE, -129),
        (IntType.SHORT, 2**15),
        (IntType.INT, 2**31),
        (IntType.INT, -(2**31) - 1),
        (IntType.LONG, 2**63),
    ],
)
def test_ints_outside_the_configured_width_are_refused(int_type: IntType, value: int) -> None:
    service = make_service(default_int_type=int_type)
    with pytest.raises(HazelcastSerializationError, match=rf"int {value} does not fit .*IntType"):
        service.to_data(value)
    with pytest.raises(HazelcastSerializationError, match=rf"int {value} does not fit"):
        service.to_data(["ok", value])


def test_little_endian_payload_keeps_a_big_endian_header() -> None:
    service = make_service(is_big_endian=False)
    assert hex_of(service, 54) == "00000000" "fffffff9" "36000000"  # fmt: skip
    assert hex_of(service, "ab") == "00000000" "fffffff5" "02000000" "6162"  # fmt: skip
    assert hex_of(service, 1.5) == "00000000" "fffffff6" "000000000000f83f"  # fmt: skip
    assert hex_of(service, uuid.UUID("12345678-1234-5678-1234-567812345678")) == (
        "00000000" "ffffffeb" "7856341278563412" "7856341278563412"
    )  # fmt: skip
    assert hex_of(service, datetime.date(2024, 1, 2)) == "00000000" "ffffffcd" "e8070000" "01" "02"  # fmt: skip
    # Items of a list carry their type id in the payload byte order.
    assert hex_of(service, [1, None]) == "00000000" "ffffffe3" "02000000" "f9ffffff" "01000000" "00000000"  # fmt: skip
    # BigInteger bytes are big-endian two's complement whatever the payload order; the count is not.
    assert hex_of(make_service(is_big_endian=False, default_int_type=IntType.BIG_INT), 255) == (
        "00000000" "ffffffe6" "02000000" "00ff"
    )  # fmt: skip
    assert hex_of(service, decimal.Decimal("-1.50")) == "00000000" "ffffffe5" "02000000" "ff6a" "02000000"  # fmt: skip


def test_items_of_a_list_are_written_as_type_id_and_payload_of_the_top_level_form() -> None:
    service = make_service()
    values: list[Any] = [
        None,
        True,
        7,
        2.0,
        "x",
        b"y",
        uuid.UUID(int=5),
        decimal.Decimal("3.25"),
        datetime.date(2000, 2, 29),
        datetime.time(1, 2),
        datetime.datetime(2001, 1, 1),
        HazelcastJsonValue("[]"),
        [1],
    ]
    for value in values:
        whole = service.to_data([value])
        top_level = service.to_data(value)
        item = whole[12:]
        if value is None:
            assert item == bytes(4)
        else:
            assert item == top_level[4:], value
