"""PortableGenericRecord: building records, writing them, reading Portable data as records with and without a
configuration (``read_portable_record``), and the typed getters shared with Compact records."""

from __future__ import annotations

import datetime
import decimal
import struct
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import SerializationService
from hazelcast.serialization.field_kind import FieldKind
from hazelcast.serialization.generic_record import GenericRecord
from hazelcast.serialization.portable import (
    ClassDefinition,
    ClassDefinitionBuilder,
    FieldType,
    Portable,
    PortableGenericRecord,
    PortableGenericRecordBuilder,
    PortableReader,
    PortableWriter,
    read_portable_record,
)

FACTORY_ID = 4
CITY_ID = 1
SHOP_ID = 2


class City(Portable):
    def __init__(self, name: str | None = "", zip_code: int = 0) -> None:
        self.name = name
        self.zip_code = zip_code

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_string("name", self.name)
        writer.write_int("zip", self.zip_code)

    def read_portable(self, reader: PortableReader) -> None:
        self.name = reader.read_string("name")
        self.zip_code = reader.read_int("zip")

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return CITY_ID

    def __eq__(self, other: object) -> bool:
        return isinstance(other, City) and (self.name, self.zip_code) == (other.name, other.zip_code)


# (field name, ClassDefinitionBuilder suffix, builder setter suffix, PortableWriter suffix, value as held in a record)
_SHOP_FIELDS: list[tuple[str, str, str, str, Any]] = [
    ("open", "boolean", "boolean", "boolean", True),
    ("grade", "byte", "int8", "byte", -7),
    ("letter", "char", "char", "char", "\u00df"),
    ("floor", "short", "int16", "short", -2),
    ("staff", "int", "int32", "int", 40),
    ("revenue", "long", "int64", "long", 2**60),
    ("rating", "float", "float32", "float", 4.5),
    ("area", "double", "float64", "double", 123.25),
    ("name", "string", "string", "string", "Caf\u00e9 \U0001f375"),
    ("capital", "decimal", "decimal", "decimal", decimal.Decimal("1000.50")),
    ("opens", "time", "time", "time", datetime.time(8, 30)),
    ("since", "date", "date", "date", datetime.date(1999, 9, 9)),
    ("audited", "timestamp", "timestamp", "timestamp", datetime.datetime(2023, 5, 6, 7, 8, 9)),
    (
        "updated",
        "timestamp_with_timezone",
        "timestamp_with_timezone",
        "timestamp_with_timezone",
        datetime.datetime(2023, 5, 6, 7, 8, 9, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
    ),
    ("codes", "byte_array", "array_of_int8", "byte_array", [-128, 0, 127]),
    ("flags", "boolean_array", "array_of_boolean", "boolean_array", [False, True]),
    ("letters", "char_array", "array_of_char", "char_array", ["x", "\u00fc"]),
    ("floors", "short_array", "array_of_int16", "short_array", [1, 2]),
    ("ids", "int_array", "array_of_int32", "int_array", [3, -4]),
    ("serials", "long_array", "array_of_int64", "long_array", []),
    ("ratings", "float_array", "array_of_float32", "float_array", [0.5]),
    ("areas", "double_array", "array_of_float64", "double_array", None),
    ("tags", "string_array", "array_of_string", "string_array", ["a", None]),
    ("prices", "decimal_array", "array_of_decimal", "decimal_array", [decimal.Decimal("-0.01")]),
    ("slots", "time_array", "array_of_time", "time_array", [datetime.time(9, 0), datetime.time(17, 0)]),
    ("holidays", "date_array", "array_of_date", "date_array", [datetime.date(2024, 12, 25)]),
    ("visits", "timestamp_array", "array_of_timestamp", "timestamp_array", [datetime.datetime(2024, 1, 1)]),
    (
        "deliveries",
        "timestamp_with_timezone_array",
        "array_of_timestamp_with_timezone",
        "timestamp_with_timezone_array",
        [datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)],
    ),
]


def city_definition() -> ClassDefinition:
    return ClassDefinitionBuilder(FACTORY_ID, CITY_ID).add_string_field("name").add_int_field("zip").build()


def shop_definition() -> ClassDefinition:
    builder = ClassDefinitionBuilder(FACTORY_ID, SHOP_ID)
    for name, kind, _, _, _ in _SHOP_FIELDS:
        getattr(builder, f"add_{kind}_field")(name)
    builder.add_portable_field("city", city_definition())
    builder.add_portable_array_field("branches", city_definition())
    return builder.build()


def city_record(name: str | None, zip_code: int) -> PortableGenericRecord:
    return PortableGenericRecordBuilder(city_definition()).set_string("name", name).set_int32("zip", zip_code).build()


def shop_record(city: PortableGenericRecord | None = None) -> PortableGenericRecord:
    builder = PortableGenericRecordBuilder(shop_definition())
    for name, _, setter, _, value in _SHOP_FIELDS:
        getattr(builder, f"set_{setter}")(name, value)
    builder.set_generic_record("city", city)
    builder.set_array_of_generic_record("branches", [city_record("B1", 1), city_record(None, 2)])
    return builder.build()


class Shop(Portable):
    """The Portable class whose definition is ``shop_definition()``."""

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values = dict(values or {})

    def write_portable(self, writer: PortableWriter) -> None:
        for name, _, _, kind, _ in _SHOP_FIELDS:
            value = self.values[name]
            getattr(writer, f"write_{kind}")(name, bytes(b & 0xFF for b in value) if kind == "byte_array" else value)
        writer.write_portable("city", self.values["city"])
        writer.write_portable_array("branches", self.values["branches"])

    def read_portable(self, reader: PortableReader) -> None:
        self.values = {name: getattr(reader, f"read_{kind}")(name) for name, _, _, kind, _ in _SHOP_FIELDS}
        self.values["city"] = reader.read_portable("city")
        self.values["branches"] = reader.read_portable_array("branches")

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return SHOP_ID


def shop_object(city: City | None = None) -> Shop:
    values = {name: value for name, _, _, _, value in _SHOP_FIELDS}
    values.update(city=city, branches=[City("B1", 1), City(None, 2)])
    return Shop(values)


def make_service(*, factories: bool = False, big_endian: bool = True) -> SerializationService:
    config = Config()
    config.is_big_endian = big_endian
    config.class_definitions = [city_definition(), shop_definition()]
    if factories:
        config.portable_factories = {FACTORY_ID: {CITY_ID: City, SHOP_ID: Shop}}
    return SerializationService(config)


# ---------------------------------------------------------------------------------------------- writing records


@pytest.mark.parametrize("big_endian", [True, False])
@pytest.mark.parametrize("with_city", [True, False])
def test_a_record_has_the_bytes_of_the_portable_it_describes(big_endian: bool, with_city: bool) -> None:
    record = shop_record(city_record("Oslo", 150) if with_city else None)
    portable = shop_object(City("Oslo", 150) if with_city else None)
    data = make_service(big_endian=big_endian).to_data(record)
    assert struct.unpack_from(">i", data, 4)[0] == -1
    assert data == make_service(factories=True, big_endian=big_endian).to_data(portable)


def test_a_record_reads_back_as_the_object_or_the_record() -> None:
    data = make_service().to_data(shop_record(city_record("Oslo", 150)))
    shop = make_service(factories=True).to_object(data)
    assert isinstance(shop, Shop)
    assert shop.values["city"] == City("Oslo", 150)
    assert shop.values["codes"] == bytes([0x80, 0, 0x7F])
    assert make_service().to_object(data) == shop_record(city_record("Oslo", 150))


def test_a_record_without_configured_definitions_registers_its_own() -> None:
    data = SerializationService(Config()).to_data(shop_record())
    assert SerializationService(Config()).to_object(data) == shop_record()


# ---------------------------------------------------------------------------------------------- read_portable_record


@pytest.mark.parametrize("big_endian", [True, False])
def test_read_portable_record_rebuilds_everything_from_the_data(big_endian: bool) -> None:
    data = make_service(factories=True, big_endian=big_endian).to_data(shop_object(City("Rome", 100)))
    record = read_portable_record(data, 8, big_endian)
    assert isinstance(record, GenericRecord)
    assert record == shop_record(city_record("Rome", 100))
    assert record.get_class_definition() == shop_definition()
    city = record.get_generic_record("city")
    assert isinstance(city, PortableGenericRecord) and city.get_string("name") == "Rome"
    branches = record.get_array_of_generic_record("branches")
    assert branches is not None and [branch and branch.get_string("name") for branch in branches] == ["B1", None]


def test_read_portable_record_at_an_offset_inside_a_larger_buffer() -> None:
    data = make_service(factories=True).to_data(City("Kyiv", 1000))
    # Offsets inside Portable data count from the start of the serialized object, so the object keeps its place.
    record = read_portable_record(data + b"trailing", 8)
    assert (record.get_string("name"), record.get_int32("zip")) == ("Kyiv", 1000)


def test_read_portable_record_of_a_null_nested_portable() -> None:
    data = make_service(factories=True).to_data(shop_object(None))
    record = read_portable_record(data, 8)
    assert record.get_generic_record("city") is None
    assert record.get_field_kind("city") == FieldKind.PORTABLE
    city_field = record.get_class_definition().get_field("city")
    assert city_field is not None and (city_field.factory_id, city_field.class_id) == (FACTORY_ID, CITY_ID)


@pytest.mark.parametrize("cut", [0, 4, 12, 20, 30, -1])
def test_read_portable_record_of_truncated_data_raises_a_serialization_error(cut: int) -> None:
    data = make_service(factories=True).to_data(City("Kyiv", 1000))
    with pytest.raises(HazelcastSerializationError, match="malformed Portable data"):
        read_portable_record(data[: 8 + cut] if cut >= 0 else data[:-1], 8)


def test_read_portable_record_refuses_an_unknown_field_type() -> None:
    data = bytearray(make_service(factories=True).to_data(City("K", 1)))
    type_at = data.index(b"name") + 4
    data[type_at] = 99
    with pytest.raises(HazelcastSerializationError, match="99 is not a Portable field type"):
        read_portable_record(bytes(data), 8)


# ---------------------------------------------------------------------------------------------- getters


def test_record_reports_names_kinds_and_typed_values() -> None:
    record = shop_record(city_record("Oslo", 1))
    assert record.get_field_names() == [name for name, *_ in _SHOP_FIELDS] + ["city", "branches"]
    assert record.get_type_name() == "4:2"
    assert (record.get_factory_id(), record.get_class_id(), record.get_class_version()) == (FACTORY_ID, SHOP_ID, 0)
    assert record.get_field_kind("staff") == FieldKind.INT32
    assert record.get_field_kind("codes") == FieldKind.ARRAY_OF_INT8
    assert record.get_field_kind("branches") == FieldKind.ARRAY_OF_PORTABLE
    assert record.get_field_kind("nope") == FieldKind.NOT_AVAILABLE
    assert record.get_field_type("letters") is FieldType.CHAR_ARRAY
    assert record.has_field("since") and not record.has_field("nope")
    assert record.get_int32("staff") == 40
    assert record.get_nullable_int32("staff") == 40
    assert record.get_int64("revenue") == 2**60
    assert record.get_char("letter") == "\u00df"
    assert record.get_array_of_nullable_int16("floors") == [1, 2]
    assert record.get_array_of_float64("areas") is None
    assert record.get("name") == "Caf\u00e9 \U0001f375"
    with pytest.raises(HazelcastSerializationError, match="'staff' of '4:2' is INT32; get_string reads STRING"):
        record.get_string("staff")
    with pytest.raises(HazelcastSerializationError, match="no field named 'nope'"):
        record.get_int32("nope")
    with pytest.raises(HazelcastSerializationError, match="no field named 'nope'"):
        record.get("nope")


def test_records_compare_by_definition_and_values() -> None:
    assert shop_record() == shop_record() and hash(shop_record()) == hash(shop_record())
    assert shop_record() != shop_record(city_record("x", 1))
    assert "staff=40" in repr(shop_record())


# ---------------------------------------------------------------------------------------------- builder


def test_builder_refuses_unknown_fields_other_kinds_and_second_sets() -> None:
    builder = PortableGenericRecordBuilder(city_definition())
    with pytest.raises(HazelcastSerializationError, match="has no field 'street'"):
        builder.set_string("street", "x")
    with pytest.raises(HazelcastSerializationError, match="'zip' is INT32; it cannot be set as INT64"):
        builder.set_int64("zip", 1)
    builder.set_int32("zip", 1)
    with pytest.raises(HazelcastSerializationError, match="'zip' is already set"):
        builder.set_int32("zip", 2)
    with pytest.raises(HazelcastSerializationError, match=r"fields \['name'\] .* are not set"):
        builder.build()


@pytest.mark.parametrize(
    ("setter", "field", "value", "message"),
    [
        ("set_int32", "staff", 2**31, "outside the 32-bit range"),
        ("set_int8", "grade", 128, "outside the 8-bit range"),
        ("set_int32", "staff", True, "expected an int, got bool"),
        ("set_boolean", "open", 1, "expected a bool"),
        ("set_char", "letter", "ab", "one character"),
        ("set_float64", "area", "1.0", "expected a float"),
        ("set_string", "name", 5, "expected str"),
        ("set_date", "since", "2020-01-01", "expected date"),
        ("set_array_of_int32", "ids", [1, None], "cannot hold None"),
        ("set_array_of_int32", "ids", "123", "expected a list"),
        ("set_array_of_int16", "floors", [1, 2**20], "outside the 16-bit range"),
        ("set_array_of_decimal", "prices", [None], "cannot hold None"),
        ("set_generic_record", "city", object(), "expected a PortableGenericRecord"),
    ],
)
def test_builder_checks_values(setter: str, field: str, value: Any, message: str) -> None:
    builder = PortableGenericRecordBuilder(shop_definition())
    with pytest.raises(HazelcastSerializationError, match=message):
        getattr(builder, setter)(field, value)


def test_nested_records_must_be_of_the_fields_class() -> None:
    other_definition = ClassDefinitionBuilder(FACTORY_ID, 9).add_int_field("n").build()
    other = PortableGenericRecordBuilder(other_definition).set_int32("n", 1).build()
    builder = PortableGenericRecordBuilder(shop_definition())
    with pytest.raises(HazelcastSerializationError, match="factory id 4, class id 1; the record is of 4:9"):
        builder.set_generic_record("city", other)
    with pytest.raises(HazelcastSerializationError, match="the record is of 4:9"):
        builder.set_array_of_generic_record("branches", [city_record("a", 1), other])


def test_byte_arrays_can_be_set_from_bytes_and_read_back_signed() -> None:
    definition = ClassDefinitionBuilder(1, 1).add_byte_array_field("raw").build()
    record = PortableGenericRecordBuilder(definition).set_array_of_int8("raw", b"\x00\xff\x80").build()
    assert record.get_array_of_int8("raw") == [0, -1, -128]


def test_clone_builder_changes_some_fields_and_keeps_the_others() -> None:
    original = shop_record(city_record("Oslo", 1))
    changed = original.new_builder_with_clone().set_int32("staff", 41).set_int32("staff", 42).build()
    assert changed.get_int32("staff") == 42
    assert changed.get_string("name") == original.get_string("name")
    assert original.get_int32("staff") == 40
    fresh = original.new_builder()
    with pytest.raises(HazelcastSerializationError, match="are not set"):
        fresh.build()
