"""The ObjectDataOutput/ObjectDataInput handed to user serializers: every method, both byte orders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import ObjectDataInput, ObjectDataOutput, SerializationService, StreamSerializer

BYTE_ORDERS = pytest.mark.parametrize("big_endian", [True, False], ids=["big-endian", "little-endian"])


class Script:
    """A value whose serializer runs ``write`` on the output and ``read`` on the input."""

    def __init__(self, write: Callable[[ObjectDataOutput], None], read: Callable[[ObjectDataInput], Any]) -> None:
        self.write = write
        self.read = read


def run(
    write: Callable[[ObjectDataOutput], None], read: Callable[[ObjectDataInput], Any], *, big_endian: bool = True
) -> tuple[bytes, Any]:
    """Serialize a Script; return the payload bytes and what ``read`` returned when deserializing them."""
    script = Script(write, read)

    class ScriptSerializer(StreamSerializer):
        def write(self, out: ObjectDataOutput, obj: Script) -> None:
            obj.write(out)

        def read(self, inp: ObjectDataInput) -> Any:
            return script.read(inp)

        def get_type_id(self) -> int:
            return 500

    config = Config()
    config.is_big_endian = big_endian
    config.custom_serializers = {Script: ScriptSerializer}
    service = SerializationService(config)
    data = service.to_data(script)
    assert data[:8].hex() == "00000000000001f4"
    return data[8:], service.to_object(data)


def test_numbers_have_java_widths_in_big_endian() -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_boolean(True)
        out.write_byte(-2)
        out.write_byte(254)
        out.write_short(-2)
        out.write_char("A")
        out.write_int(-2)
        out.write_long(-2)
        out.write_float(1.5)
        out.write_double(1.5)

    def read(inp: ObjectDataInput) -> list[Any]:
        return [
            inp.read_boolean(),
            inp.read_byte(),
            inp.read_unsigned_byte(),
            inp.read_short(),
            inp.read_char(),
            inp.read_int(),
            inp.read_long(),
            inp.read_float(),
            inp.read_double(),
        ]

    payload, result = run(write, read)
    assert payload.hex() == (
        "01" "fe" "fe" "fffe" "0041" "fffffffe" "fffffffffffffffe" "3fc00000" "3ff8000000000000"
    )  # fmt: skip
    assert result == [True, -2, 254, -2, "A", -2, -2, 1.5, 1.5]


def test_numbers_in_little_endian() -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_short(1)
        out.write_char("A")
        out.write_int(1)
        out.write_long(1)
        out.write_float(1.5)

    payload, result = run(write, lambda inp: [inp.read_unsigned_short(), inp.read_char()], big_endian=False)
    assert payload.hex() == "0100" "4100" "01000000" "0100000000000000" "0000c03f"  # fmt: skip
    assert result == [1, "A"]


@BYTE_ORDERS
def test_strings_and_byte_arrays(big_endian: bool) -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_string("h\u00e9\U0001f600")
        out.write_utf("")
        out.write_string(None)
        out.write_byte_array(b"\x00\xff")
        out.write_byte_array(bytearray())
        out.write_byte_array(None)

    def read(inp: ObjectDataInput) -> list[Any]:
        return [
            inp.read_string(),
            inp.read_utf(),
            inp.read_string(),
            inp.read_byte_array(),
            inp.read_byte_array(),
            inp.read_byte_array(),
        ]

    payload, result = run(write, read, big_endian=big_endian)
    assert result == ["h\u00e9\U0001f600", "", None, b"\x00\xff", b"", None]
    length = b"\x00\x00\x00\x07" if big_endian else b"\x07\x00\x00\x00"
    assert payload.startswith(length + "h\u00e9\U0001f600".encode())


@BYTE_ORDERS
def test_arrays(big_endian: bool) -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_boolean_array([True, False])
        out.write_char_array(["a", "\u20ac"])
        out.write_short_array([-(2**15), 2**15 - 1])
        out.write_int_array([-(2**31), 2**31 - 1])
        out.write_long_array([-(2**63), 2**63 - 1])
        out.write_float_array([0.5, -0.25])
        out.write_double_array([1e300, -0.0])
        out.write_string_array(["x", None, ""])
        out.write_utf_array(["y"])
        out.write_int_array([])
        out.write_long_array(None)

    def read(inp: ObjectDataInput) -> list[Any]:
        return [
            inp.read_boolean_array(),
            inp.read_char_array(),
            inp.read_short_array(),
            inp.read_int_array(),
            inp.read_long_array(),
            inp.read_float_array(),
            inp.read_double_array(),
            inp.read_string_array(),
            inp.read_utf_array(),
            inp.read_int_array(),
            inp.read_long_array(),
        ]

    payload, result = run(write, read, big_endian=big_endian)
    assert result == [
        [True, False],
        ["a", "\u20ac"],
        [-(2**15), 2**15 - 1],
        [-(2**31), 2**31 - 1],
        [-(2**63), 2**63 - 1],
        [0.5, -0.25],
        [1e300, -0.0],
        ["x", None, ""],
        ["y"],
        [],
        None,
    ]
    if big_endian:
        assert payload[:14].hex() == "00000002" "0100" "00000002" "0061" "20ac"  # fmt: skip


def test_bytes_and_chars_without_length() -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_bytes("AB\u0141")  # Java writeBytes keeps the low 8 bits of each char
        out.write_chars("A\U0001f600")  # an astral character is a surrogate pair
        out.write_char("\U0001f600")

    payload, result = run(write, lambda inp: [inp.read_char() for _ in range(3)])
    assert payload.hex() == "414241" "0041" "d83d" "de00" "d83d" "de00"  # fmt: skip
    assert result == ["\u4142", "\u4100", "\u41d8"]


def test_objects_inside_a_stream() -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_object("s")
        out.write_object(None)
        out.write_object([1, [2]])
        out.write_object(7)

    def read(inp: ObjectDataInput) -> list[Any]:
        return [inp.read_object() for _ in range(4)]

    payload, result = run(write, read)
    assert result == ["s", None, [1, [2]], 7]
    assert payload[:9].hex() == "fffffff5" "00000001" "73"  # fmt: skip


def test_byte_order_is_reported() -> None:
    seen: list[Any] = []

    def write(out: ObjectDataOutput) -> None:
        seen.extend([out.get_byte_order(), out.is_big_endian()])

    def read(inp: ObjectDataInput) -> list[Any]:
        return [inp.get_byte_order(), inp.is_big_endian()]

    _, result = run(write, read, big_endian=False)
    assert seen == ["LITTLE_ENDIAN", False] and result == ["LITTLE_ENDIAN", False]
    seen.clear()
    _, result = run(write, read, big_endian=True)
    assert seen == ["BIG_ENDIAN", True] and result == ["BIG_ENDIAN", True]


def test_output_positions_reserve_and_fill_in() -> None:
    def write(out: ObjectDataOutput) -> None:
        start = out.position()
        assert start == 8  # after the header of the serialized object
        out.write_zero_bytes(4)
        out.write_string("body")
        end = out.position()
        out.set_position(start)
        out.write_int(end - start - 4)
        out.set_position(end)

    payload, result = run(write, lambda inp: (inp.read_int(), inp.read_string()))
    assert payload.hex() == "00000008" "00000004" + b"body".hex()  # fmt: skip
    assert result == (8, "body")


def test_to_byte_array_stops_at_the_position() -> None:
    captured: list[bytes] = []

    def write(out: ObjectDataOutput) -> None:
        out.write_int(1)
        out.write_int(2)
        out.set_position(12)
        captured.append(out.to_byte_array())
        out.set_position(10_000)  # grows the buffer with zeros
        out.set_position(16)

    payload, _ = run(write, lambda inp: None)
    assert captured == [bytes.fromhex("00000000000001f4" "00000001")]  # fmt: skip
    assert payload.hex() == "00000001" "00000002"  # fmt: skip


def test_write_from_copies_a_slice() -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_from(b"abcdef", 1, 3)
        out.write_from(bytearray(b"xy"))
        with pytest.raises(IndexError):
            out.write_from(b"abc", 2, 5)

    payload, _ = run(write, lambda inp: None)
    assert payload == b"bcdxy"


def test_write_byte_accepts_signed_and_unsigned_values_only() -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_byte(-128)
        out.write_byte(255)
        with pytest.raises(ValueError):
            out.write_byte(256)
        with pytest.raises(ValueError):
            out.write_byte(-129)

    payload, _ = run(write, lambda inp: None)
    assert payload == b"\x80\xff"


def test_input_positions_skip_and_read_into() -> None:
    def write(out: ObjectDataOutput) -> None:
        out.write_from(bytes(range(10)))

    def read(inp: ObjectDataInput) -> list[Any]:
        results: list[Any] = [inp.size(), inp.position()]
        results.append(inp.skip_bytes(2))
        target = bytearray(5)
        inp.read_into(target, 1, 3)
        results.append(bytes(target))
        results.append(inp.skip_bytes(-1))
        results.append(inp.skip_bytes(100))
        results.append(inp.position())
        inp.set_position(8)
        results.append(inp.read_byte())
        with pytest.raises(ValueError):
            inp.set_position(19)
        return results

    _, result = run(write, read)
    assert result == [18, 8, 2, b"\x00\x02\x03\x04\x00", 0, 5, 18, 0]


@pytest.mark.parametrize(
    "read",
    [
        lambda inp: inp.read_long(),
        lambda inp: [inp.read_int(), inp.read_boolean()],
        lambda inp: inp.read_string(),
        lambda inp: inp.read_byte_array(),
        lambda inp: inp.read_int_array(),
        lambda inp: inp.read_into(bytearray(5)),
    ],
)
def test_reading_past_the_end_raises_eof_inside_the_serializer(read: Callable[[ObjectDataInput], Any]) -> None:
    errors: list[BaseException] = []

    def guarded(inp: ObjectDataInput) -> None:
        try:
            read(inp)
        except EOFError as error:
            errors.append(error)
            raise

    with pytest.raises(HazelcastSerializationError) as caught:
        run(lambda out: out.write_int(4), guarded)
    assert len(errors) == 1 and caught.value.__cause__ is errors[0]
