"""Portable serialization: layout, round trips of every field type, nesting, arrays, nulls, versions, raw data and
the errors of class definitions, writers and readers."""

from __future__ import annotations

import datetime
import decimal
import struct
from typing import Any, ClassVar

import pytest

from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput, SerializationService
from hazelcast.serialization.portable import (
    ClassDefinition,
    ClassDefinitionBuilder,
    FieldDefinition,
    FieldType,
    Portable,
    PortableGenericRecord,
    PortableReader,
    PortableWriter,
)

FACTORY_ID = 3


class Point(Portable):
    CLASS_ID = 1

    def __init__(self, x: int = 0, y: int = 0) -> None:
        self.x = x
        self.y = y

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_int("x", self.x)
        writer.write_int("y", self.y)

    def read_portable(self, reader: PortableReader) -> None:
        self.x = reader.read_int("x")
        self.y = reader.read_int("y")

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __repr__(self) -> str:
        return f"Point({self.x}, {self.y})"


# Name, writer/reader suffix, a value, and the same value as read back.
_FIELDS: list[tuple[str, str, Any]] = [
    ("byte", "byte", -128),
    ("boolean", "boolean", True),
    ("char", "char", "\u20ac"),
    ("short", "short", -32768),
    ("int", "int", -(2**31)),
    ("long", "long", 2**63 - 1),
    ("float", "float", -1.5),
    ("double", "double", 1e-300),
    ("string", "string", "h\u00e9llo \U0001f600"),
    ("decimal", "decimal", decimal.Decimal("-3.14159265358979323846264338327950288")),
    ("time", "time", datetime.time(23, 59, 59, 999999)),
    ("date", "date", datetime.date(9999, 12, 31)),
    ("timestamp", "timestamp", datetime.datetime(1, 1, 1, 0, 0, 0, 1)),
    (
        "timestamp_tz",
        "timestamp_with_timezone",
        datetime.datetime(2024, 6, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-9, minutes=-30))),
    ),
    ("point", "portable", Point(1, -1)),
    ("bytes", "byte_array", b"\x00\x01\xff"),
    ("booleans", "boolean_array", [True, False]),
    ("chars", "char_array", ["a", "\u00e9", "\u20ac"]),
    ("shorts", "short_array", [-1, 32767]),
    ("ints", "int_array", [1, -(2**31)]),
    ("longs", "long_array", [-(2**63)]),
    ("floats", "float_array", [0.5, float("inf")]),
    ("doubles", "double_array", [-0.0, 2.5]),
    ("strings", "string_array", ["", None, "\u6771\u4eac"]),
    ("decimals", "decimal_array", [decimal.Decimal("1E+10"), decimal.Decimal("-0.5")]),
    ("times", "time_array", [datetime.time(0, 0), datetime.time(1, 2, 3, 4)]),
    ("dates", "date_array", [datetime.date(2000, 2, 29)]),
    ("timestamps", "timestamp_array", [datetime.datetime(2020, 1, 1, 1, 1, 1)]),
    ("timestamps_tz", "timestamp_with_timezone_array", [datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)]),
    ("points", "portable_array", [Point(1, 2), Point(3, 4)]),
]
_NULLABLE = {"string", "decimal", "time", "date", "timestamp", "timestamp_tz", "point"}
ALL_VALUES = {name: value for name, _, value in _FIELDS}


class Everything(Portable):
    """One field of every type; ``values`` maps field names to values."""

    CLASS_ID = 2

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values = dict(values or {})

    def write_portable(self, writer: PortableWriter) -> None:
        for name, kind, _ in _FIELDS:
            getattr(writer, f"write_{kind}")(name, self.values[name])

    def read_portable(self, reader: PortableReader) -> None:
        self.values = {name: getattr(reader, f"read_{kind}")(name) for name, kind, _ in _FIELDS}

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID


class Line(Portable):
    """A nested Portable that may be null and a Portable array that may be empty or null."""

    CLASS_ID = 3

    def __init__(self, start: Point | None = None, stops: list[Point] | None = None) -> None:
        self.start = start
        self.stops = stops

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_portable("start", self.start)
        writer.write_portable_array("stops", self.stops)

    def read_portable(self, reader: PortableReader) -> None:
        self.start = reader.read_portable("start")
        self.stops = reader.read_portable_array("stops")

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID


FACTORIES: dict[int, dict[int, type]] = {FACTORY_ID: {Point.CLASS_ID: Point, Everything.CLASS_ID: Everything}}


def point_definition(version: int = 0) -> ClassDefinition:
    return ClassDefinitionBuilder(FACTORY_ID, Point.CLASS_ID, version).add_int_field("x").add_int_field("y").build()


def line_definition() -> ClassDefinition:
    point = point_definition()
    builder = ClassDefinitionBuilder(FACTORY_ID, Line.CLASS_ID)
    return builder.add_portable_field("start", point).add_portable_array_field("stops", point).build()


def make_service(**options: Any) -> SerializationService:
    config = Config()
    config.portable_factories = FACTORIES
    for name, value in options.items():
        setattr(config, name, value)
    return SerializationService(config)


def round_trip(obj: Any, **options: Any) -> Any:
    service = make_service(**options)
    return service.to_object(service.to_data(obj))


# ---------------------------------------------------------------------------------------------- layout


def test_layout_is_ids_version_offsets_then_named_fields() -> None:
    class One(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_int("n", 5)

    data = make_service().to_data(One())
    assert data.hex() == (
        "00000000" "ffffffff"  # partition hash, type id -1
        "00000003" "00000001" "00000000"  # factory id, class id, version
        "0000002c" "00000001"  # end of the body (offset 44), field count
        "00000024" "00000000"  # offset of field "n" (36), no raw data
        "0001" "6e" "05" "00000005"  # name length, name, type INT, value
    )  # fmt: skip


def test_little_endian_payload_keeps_the_header_big_endian() -> None:
    data = make_service(is_big_endian=False).to_data(Point(1, 2))
    assert data[:8].hex() == "00000000ffffffff"
    assert struct.unpack_from("<iii", data, 8) == (FACTORY_ID, Point.CLASS_ID, 0)


# ---------------------------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("big_endian", [True, False])
def test_every_field_type_round_trips(big_endian: bool) -> None:
    result = round_trip(Everything(ALL_VALUES), is_big_endian=big_endian)
    assert isinstance(result, Everything)
    assert result.values == ALL_VALUES


def test_null_values_and_null_or_empty_arrays_round_trip() -> None:
    values = dict(ALL_VALUES)
    for name, kind, _ in _FIELDS:
        if name in _NULLABLE and name != "point":
            values[name] = None
        elif kind.endswith("_array") and kind != "portable_array":
            values[name] = None if len(name) % 2 else []
    # A null nested Portable needs the class definition of its field: registered up front.
    definition = _everything_definition()
    values["point"] = None
    result = round_trip(Everything(values), class_definitions=[point_definition(), definition])
    assert result.values == values


def _everything_definition() -> ClassDefinition:
    builder = ClassDefinitionBuilder(FACTORY_ID, Everything.CLASS_ID)
    for name, kind, _ in _FIELDS:
        if kind in ("portable", "portable_array"):
            getattr(builder, f"add_{kind}_field")(name, point_definition())
        else:
            getattr(builder, f"add_{kind}_field")(name)
    return builder.build()


def test_the_registered_class_definition_and_the_derived_one_give_the_same_bytes() -> None:
    value = Everything(ALL_VALUES)
    derived = make_service().to_data(value)
    registered = make_service(class_definitions=[point_definition(), _everything_definition()]).to_data(value)
    assert derived == registered


def test_extreme_values_round_trip() -> None:
    values = dict(ALL_VALUES)
    values["string"] = "x" * 100_000
    values["ints"] = list(range(-50_000, 50_000))
    values["points"] = [Point(i, -i) for i in range(500)]
    values["decimal"] = decimal.Decimal("-" + "9" * 400 + "E-1000")
    values["date"] = datetime.date(1, 1, 1)
    result = round_trip(Everything(values))
    assert result.values == values


def test_portables_nest_in_lists_and_identified_data_serializables() -> None:
    class Box(IdentifiedDataSerializable):
        def __init__(self, content: Any = None) -> None:
            self.content = content

        def write_data(self, object_data_output: ObjectDataOutput) -> None:
            object_data_output.write_object(self.content)

        def read_data(self, object_data_input: ObjectDataInput) -> None:
            self.content = object_data_input.read_object()

        def get_factory_id(self) -> int:
            return 90

        def get_class_id(self) -> int:
            return 1

    service = make_service(data_serializable_factories={90: {1: Box}})
    assert service.to_object(service.to_data([Point(1, 2), "x", Point(3, 4)])) == [Point(1, 2), "x", Point(3, 4)]
    assert service.to_object(service.to_data(Box(Point(5, 6)))).content == Point(5, 6)


def test_a_registered_class_need_not_subclass_portable() -> None:
    class Plain:
        def __init__(self, name: str = "") -> None:
            self.name = name

        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_string("name", self.name)

        def read_portable(self, reader: PortableReader) -> None:
            self.name = reader.read_string("name") or ""

        def get_factory_id(self) -> int:
            return 8

        def get_class_id(self) -> int:
            return 1

    service = make_service(portable_factories={8: {1: Plain}})
    data = service.to_data(Plain("p"))
    assert struct.unpack_from(">i", data, 4)[0] == -1
    assert service.to_object(data).name == "p"


def test_partition_aware_portable_carries_the_hash_of_its_partition_key() -> None:
    class Keyed(Point):
        def get_partition_key(self) -> str:
            return "key-1"

    data = make_service().to_data(Keyed(1, 2))
    assert struct.unpack_from(">i", data, 0)[0] == 2132451398  # hash of "key-1" (wire-protocol.md §8)


# ---------------------------------------------------------------------------------------------- nested and null


def test_null_nested_portable_and_empty_array_with_registered_definitions() -> None:
    options = {
        "portable_factories": {FACTORY_ID: {1: Point, 3: Line}},
        "class_definitions": [point_definition(), line_definition()],
    }
    for line in (Line(None, []), Line(Point(1, 1), None), Line(None, None), Line(Point(0, 0), [Point(2, 2)])):
        result = round_trip(line, **options)
        assert (result.start, result.stops) == (line.start, line.stops)


def test_null_nested_portable_without_a_definition_is_a_clear_error() -> None:
    with pytest.raises(HazelcastSerializationError, match="write_null_portable.*Config.class_definitions"):
        make_service().to_data(Line(None, [Point()]))
    with pytest.raises(HazelcastSerializationError, match="empty Portable array.*Config.class_definitions"):
        make_service().to_data(Line(Point(), []))


def test_write_null_portable_needs_the_nested_definition() -> None:
    class WithNull(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_null_portable("p", FACTORY_ID, Point.CLASS_ID)

        def read_portable(self, reader: PortableReader) -> None:
            self.x = 7 if reader.read_portable("p") is None else -7

        def get_class_id(self) -> int:
            return 11

    options = {"portable_factories": {FACTORY_ID: {11: WithNull}}}
    with pytest.raises(HazelcastSerializationError, match="class definition is unknown"):
        make_service(**options).to_data(WithNull())
    assert round_trip(WithNull(), class_definitions=[point_definition()], **options).x == 7


def test_portable_arrays_hold_one_class_and_no_none() -> None:
    class Other(Point):
        def get_class_id(self) -> int:
            return 9

    options = {"class_definitions": [point_definition(), line_definition()]}
    with pytest.raises(HazelcastSerializationError, match="class id 1; got one of factory id 3, class id 9"):
        make_service(**options).to_data(Line(None, [Point(), Other()]))
    with pytest.raises(HazelcastSerializationError, match="cannot hold None"):
        make_service(**options).to_data(Line(None, [Point(), None]))  # type: ignore[list-item]
    with pytest.raises(HazelcastSerializationError, match="one class"):
        make_service().to_data(Line(Point(), [Point(), Other()]))


def test_object_arrays_cannot_hold_none() -> None:
    values = dict(ALL_VALUES, decimals=[decimal.Decimal(1), None])
    with pytest.raises(HazelcastSerializationError, match="'decimals' cannot hold None"):
        make_service().to_data(Everything(values))


# ---------------------------------------------------------------------------------------------- reader API


class Inspector(Portable):
    """Reads a Point's data and records what the reader reports."""

    seen: ClassVar[dict[str, Any]] = {}

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_int("x", 1)
        writer.write_portable("inner", Point(5, 6))

    def read_portable(self, reader: PortableReader) -> None:
        Inspector.seen = {
            "names": reader.get_field_names(),
            "has_x": reader.has_field("x"),
            "has_z": reader.has_field("z"),
            "type": reader.get_field_type("inner"),
            "class_id": reader.get_field_class_id("inner"),
            "version": reader.get_version(),
            "nested_y": reader.read_int("inner.y"),
            "x": reader.read_int("x"),
        }

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return 5


def test_reader_reports_the_class_definition_and_reads_dotted_paths() -> None:
    round_trip(Inspector(), portable_factories={FACTORY_ID: {5: Inspector, 1: Point}}, portable_version=4)
    assert Inspector.seen == {
        "names": ["x", "inner"],
        "has_x": True,
        "has_z": False,
        "type": FieldType.PORTABLE,
        "class_id": Point.CLASS_ID,
        "version": 4,
        "nested_y": 6,
        "x": 1,
    }


@pytest.mark.parametrize(
    ("read", "message"),
    [
        (lambda reader: reader.read_int("missing"), "has no field 'missing'"),
        (lambda reader: reader.read_long("x"), "'x' is INT, not LONG"),
        (lambda reader: reader.read_int("x.y"), "'x' in 'x.y' is not a nested Portable"),
        (lambda reader: reader.read_portable("y"), "'y' is INT, not PORTABLE"),
    ],
)
def test_reading_a_wrong_field_is_a_clear_error(read: Any, message: str) -> None:
    class Misread(Point):
        def read_portable(self, reader: PortableReader) -> None:
            read(reader)

    service = make_service(portable_factories={FACTORY_ID: {1: Misread}})
    with pytest.raises(HazelcastSerializationError, match=message):
        service.to_object(service.to_data(Misread()))


def test_raw_data_follows_the_named_fields() -> None:
    class WithRaw(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_int("x", self.x)
            raw = writer.get_raw_data_output()
            raw.write_string("tail")
            raw.write_object(Point(8, 9))

        def read_portable(self, reader: PortableReader) -> None:
            self.x = reader.read_int("x")
            raw = reader.get_raw_data_input()
            self.y = (raw.read_string(), raw.read_object())  # type: ignore[assignment]

        def get_class_id(self) -> int:
            return 12

    result = round_trip(WithRaw(3), portable_factories={FACTORY_ID: {12: WithRaw, 1: Point}})
    assert (result.x, result.y) == (3, ("tail", Point(8, 9)))


def test_no_field_after_raw_data() -> None:
    class Late(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.get_raw_data_output()
            writer.write_int("x", 1)

    service = make_service(class_definitions=[point_definition()])
    with pytest.raises(HazelcastSerializationError, match="after get_raw_data_output"):
        service.to_data(Late())


# ---------------------------------------------------------------------------------------------- versions


class PointV2(Point):
    """Version 2 of Point: y became a long, z was added."""

    def __init__(self, x: int = 0, y: int = 0, z: str | None = "") -> None:
        super().__init__(x, y)
        self.z = z

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_int("x", self.x)
        writer.write_long("y", self.y)
        writer.write_string("z", self.z)

    def read_portable(self, reader: PortableReader) -> None:
        self.x = reader.read_int("x")
        self.y = reader.read_long("y")
        self.z = reader.read_string("z")

    def get_class_version(self) -> int:
        return 2


def test_class_version_is_written_and_overrides_the_configured_one() -> None:
    assert struct.unpack_from(">i", make_service(portable_version=5).to_data(Point()), 16)[0] == 5
    assert struct.unpack_from(">i", make_service(portable_version=5).to_data(PointV2()), 16)[0] == 2


def test_a_newer_class_reads_older_data_with_defaults_and_widening() -> None:
    old_data = make_service().to_data(Point(7, -8))
    newer = make_service(portable_factories={FACTORY_ID: {1: PointV2}})
    result = newer.to_object(old_data)
    assert (result.x, result.y, result.z) == (7, -8, None)


def test_an_older_class_reads_newer_data_ignoring_new_fields() -> None:
    class ReadsOnlyX(Point):
        def read_portable(self, reader: PortableReader) -> None:
            self.x = reader.read_int("x")
            self.y = -1 if reader.has_field("z") else 0

    new_data = make_service(portable_factories={FACTORY_ID: {1: PointV2}}).to_data(PointV2(3, 2**40, "z"))
    result = make_service(portable_factories={FACTORY_ID: {1: ReadsOnlyX}}).to_object(new_data)
    assert (result.x, result.y) == (3, -1)


def test_morphing_reader_widens_numbers_and_refuses_narrowing() -> None:
    class Widest(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_byte("b", -3)
            writer.write_char("c", "A")
            writer.write_float("f", 0.5)
            writer.write_long("l", 2**40)

        def get_class_id(self) -> int:
            return 7

    class Reads(Widest):
        def read_portable(self, reader: PortableReader) -> None:
            self.widened = (
                reader.read_short("b"),
                reader.read_int("c"),
                reader.read_double("f"),
                reader.read_double("l"),
                reader.read_float("c"),
                reader.read_boolean("gone"),
                reader.read_char("gone"),
            )

        def get_class_version(self) -> int:
            return 1

    data = make_service().to_data(Widest())
    result = make_service(portable_factories={FACTORY_ID: {7: Reads}}).to_object(data)
    assert result.widened == (-3, 65, 0.5, float(2**40), 65.0, False, "\x00")

    class Narrows(Reads):
        def read_portable(self, reader: PortableReader) -> None:
            reader.read_int("l")

    with pytest.raises(HazelcastSerializationError, match="'l' is LONG .* cannot be read as INT"):
        make_service(portable_factories={FACTORY_ID: {7: Narrows}}).to_object(data)


# ---------------------------------------------------------------------------------------------- class definitions


def test_writing_against_a_registered_definition_checks_each_field() -> None:
    class Mismatch(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_long("x", 1)

    class Unknown(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_int("w", 1)

    class Twice(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_int("x", 1)
            writer.write_int("x", 1)

    class Partial(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_int("x", 1)

    service = make_service(class_definitions=[point_definition()])
    for value, message in [
        (Mismatch(), "'x' is INT in the class definition 3:1, not LONG"),
        (Unknown(), "has no field 'w'"),
        (Twice(), "'x' was already written"),
        (Partial(), r"did not write the fields \['y'\]"),
    ]:
        with pytest.raises(HazelcastSerializationError, match=message):
            service.to_data(value)


def test_a_class_whose_fields_change_needs_a_new_version() -> None:
    class Shrunk(Point):
        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_int("x", 1)

    service = make_service()
    service.to_data(Point())
    # The definition of (factory 3, class 1, version 0) is known now: the other fields do not match it.
    with pytest.raises(HazelcastSerializationError, match=r"did not write the fields \['y'\]"):
        service.to_data(Shrunk())
    shrunk = ClassDefinitionBuilder(FACTORY_ID, Point.CLASS_ID).add_int_field("x").build()
    record = PortableGenericRecord(shrunk, {"x": 1})
    with pytest.raises(HazelcastSerializationError, match="incompatible class definitions .* new version"):
        service.to_data(record)
    assert struct.unpack_from(">i", service.to_data(PointV2(1, 2)), 16)[0] == 2


def test_configured_definitions_are_checked_at_start() -> None:
    with pytest.raises(HazelcastSerializationError, match="two definitions of factory id 3, class id 1"):
        make_service(class_definitions=[point_definition(), point_definition(1)])
    with pytest.raises(HazelcastSerializationError, match="field 'start' .* factory id 3, class id 1"):
        make_service(class_definitions=[line_definition()])
    # Without the check the incomplete list is accepted.
    make_service(class_definitions=[line_definition()], check_class_definition_errors=False)


def test_class_id_zero_is_refused() -> None:
    class Zero(Point):
        def get_class_id(self) -> int:
            return 0

    with pytest.raises(HazelcastSerializationError, match="class id 0"):
        make_service().to_data(Zero())
    with pytest.raises(ValueError, match="class id 0"):
        ClassDefinitionBuilder(1, 1).add_portable_field("p", ClassDefinition(1, 0, 0))


def test_missing_factory_reads_a_generic_record_and_missing_class_id_is_an_error() -> None:
    data = make_service().to_data(Point(1, 2))
    record = make_service(portable_factories={}).to_object(data)
    assert isinstance(record, PortableGenericRecord)
    assert (record.get_int32("x"), record.get_int32("y")) == (1, 2)
    with pytest.raises(HazelcastSerializationError, match=r"factory 3 has no class id 1.*portable_factories\[3\]"):
        make_service(portable_factories={FACTORY_ID: {2: Everything}}).to_object(data)


def test_malformed_portable_data_raises_a_serialization_error() -> None:
    data = make_service().to_data(Point(1, 2))
    for broken in (data[:20], data[:-3], data[:24] + b"\x00\x00\x00\x09" + data[28:]):
        with pytest.raises(HazelcastSerializationError):
            make_service().to_object(broken)


def test_builder_refuses_duplicates_late_fields_and_non_ascii_names() -> None:
    builder = ClassDefinitionBuilder(1, 2).add_int_field("a")
    with pytest.raises(HazelcastSerializationError, match="'a' was already added"):
        builder.add_long_field("a")
    with pytest.raises(HazelcastSerializationError, match="not ASCII"):
        builder.add_string_field("n\u00e4me")
    builder.build()
    with pytest.raises(HazelcastSerializationError, match="already built"):
        builder.add_int_field("b")
    with pytest.raises(ValueError, match="index 5, expected 0"):
        ClassDefinitionBuilder(1, 2).add_field_def(FieldDefinition(5, "x", FieldType.INT, 0))


def test_class_definition_accessors() -> None:
    definition = line_definition()
    assert definition.get_field_names() == ["start", "stops"]
    assert definition.get_field(1) == definition.get_field("stops")
    assert definition.get_field("nope") is None
    with pytest.raises(IndexError):
        definition.get_field(2)
    assert definition.get_field_type("stops") is FieldType.PORTABLE_ARRAY
    assert definition.get_field_class_id("start") == Point.CLASS_ID
    with pytest.raises(ValueError, match="no field 'nope'"):
        definition.get_field_type("nope")
    assert definition == line_definition() and hash(definition) == hash(line_definition())
    assert definition != point_definition()
    assert FieldType["UTF"] is FieldType.STRING and FieldType["UTF_ARRAY"] is FieldType.STRING_ARRAY
    assert ClassDefinitionBuilder(1, 1).add_utf_field("s").build().get_field_type("s") is FieldType.STRING
