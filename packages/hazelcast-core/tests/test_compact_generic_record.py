"""Compact GenericRecords: building, typed getters, writing, and reading serialized data without a service."""

from __future__ import annotations

import datetime
import decimal
import struct
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import SerializationService
from hazelcast.serialization.compact import (
    CompactGenericRecord,
    CompactReader,
    CompactSerializer,
    CompactWriter,
    FieldKind,
    GenericRecord,
    GenericRecordBuilder,
    Schema,
    SchemaNotFoundError,
    read_compact_record,
)

K = FieldKind


def address(city: str = "Paris", zip_code: int = 75001) -> CompactGenericRecord:
    return GenericRecordBuilder.compact("Address").set_string("city", city).set_int32("zip", zip_code).build()


def person() -> CompactGenericRecord:
    return (
        GenericRecordBuilder.compact("Person")
        .set_string("name", "Ann")
        .set_int32("age", 42)
        .set_nullable_int64("id", None)
        .set_boolean("active", True)
        .set_float64("score", 9.5)
        .set_decimal("balance", decimal.Decimal("-10.25"))
        .set_date("born", datetime.date(1980, 5, 6))
        .set_time("wakes", datetime.time(6, 30))
        .set_timestamp("seen", datetime.datetime(2024, 1, 2, 3, 4, 5))
        .set_timestamp_with_timezone("zoned", datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC))
        .set_generic_record("home", address())
        .set_array_of_generic_record("past", [address("Lyon", 69001), None])
        .set_array_of_int32("lucky", [3, 7])
        .set_array_of_nullable_int32("maybe", [1, None])
        .set_array_of_string("tags", ["a", None])
        .set_array_of_boolean("bits", [True, False, True])
        .build()
    )


def schema_store(*services: SerializationService) -> dict[int, Schema]:
    store: dict[int, Schema] = {}
    for svc in services:
        store.update(svc.compact_stream_serializer.schemas)
    return store


def test_a_built_record_answers_every_getter() -> None:
    record = person()
    assert isinstance(record, GenericRecord)
    assert record.get_type_name() == "Person"
    assert record.get_field_names() == sorted(record.get_field_names())
    assert record.has_field("age") and not record.has_field("missing")
    assert record.get_field_kind("age") == K.INT32
    assert record.get_field_kind("missing") == K.NOT_AVAILABLE
    assert record.get("age") == 42 and record.get_int32("age") == 42
    assert record.get_nullable_int32("age") == 42
    assert record.get_nullable_int64("id") is None
    assert record.get_boolean("active") is True
    assert record.get_decimal("balance") == decimal.Decimal("-10.25")
    assert record.get_generic_record("home").get_string("city") == "Paris"
    assert record.get_array_of_generic_record("past")[1] is None
    assert record.get_array_of_int32("lucky") == [3, 7]
    assert record.get_array_of_nullable_int32("lucky") == [3, 7]
    assert record.get_array_of_nullable_int32("maybe") == [1, None]
    assert record.get_array_of_boolean("bits") == [True, False, True]


@pytest.mark.parametrize(
    ("getter", "field", "message"),
    [
        ("get_int64", "age", "is INT32"),
        ("get_int64", "id", "is None"),
        ("get_array_of_int32", "maybe", "holds None items"),
        ("get_string", "missing", "no field named 'missing'"),
        ("get", "missing", "no field named 'missing'"),
    ],
)
def test_typed_getters_reject_other_kinds_and_nulls(getter: str, field: str, message: str) -> None:
    with pytest.raises(HazelcastSerializationError, match=message):
        getattr(person(), getter)(field)


def test_builders_reject_misuse() -> None:
    with pytest.raises(HazelcastSerializationError, match="already set"):
        GenericRecordBuilder.compact("T").set_int32("a", 1).set_int32("a", 2)
    with pytest.raises(HazelcastSerializationError, match="cannot be None"):
        GenericRecordBuilder.compact("T").set_int32("a", None)  # type: ignore[arg-type]
    with pytest.raises(HazelcastSerializationError, match="None items"):
        GenericRecordBuilder.compact("T").set_array_of_int8("a", [1, None])  # type: ignore[list-item]
    with pytest.raises(HazelcastSerializationError, match="GenericRecord"):
        GenericRecordBuilder.compact("T").set_generic_record("a", "not a record")  # type: ignore[arg-type]

    bound = address().new_builder()
    with pytest.raises(HazelcastSerializationError, match="is STRING, not INT32"):
        bound.set_int32("city", 1)
    with pytest.raises(HazelcastSerializationError, match="no field named 'street'"):
        bound.set_string("street", "x")
    bound.set_string("city", "Nice")
    with pytest.raises(HazelcastSerializationError, match="'zip'.* not set"):
        bound.build()


def test_schema_bound_builders() -> None:
    original = address()
    other = original.new_builder().set_int32("zip", 6000).set_string("city", "Nice").build()
    assert other.schema == original.schema
    assert (other.get_string("city"), other.get_int32("zip")) == ("Nice", 6000)

    copy = original.new_builder_with_clone().set_int32("zip", 1).build()
    assert (copy.get_string("city"), copy.get_int32("zip")) == ("Paris", 1)
    assert original.get_int32("zip") == 75001
    assert original.new_builder_with_clone().build() == original


@pytest.mark.parametrize("big_endian", [True, False], ids=["BE", "LE"])
def test_records_serialize_as_compact_and_read_back(big_endian: bool) -> None:
    config = Config()
    config.is_big_endian = big_endian
    svc = SerializationService(config)
    record = person()
    data = svc.to_data(record)
    assert struct.unpack_from(">i", data, 4)[0] == -55
    assert {schema.type_name for schema in svc.unreplicated_schemas.values()} == {"Person", "Address"}
    read = svc.to_object(data)
    assert isinstance(read, CompactGenericRecord)
    assert read == record
    assert read.to_dict()["past"][0].get_string("city") == "Lyon"


def test_read_compact_record_needs_no_service() -> None:
    svc = SerializationService(Config())
    data = svc.to_data(person())
    store = schema_store(svc)
    record = read_compact_record(data, 8, store.get)
    assert record.get_string("name") == "Ann"
    assert record.get_generic_record("home").get_int32("zip") == 75001
    assert record.get("tags") == ["a", None]
    # The payload may sit anywhere in a buffer.
    assert read_compact_record(b"junk" + data[8:], 4, store.get).get_int32("age") == 42


def test_read_compact_record_reads_user_classes_data() -> None:
    class Point:
        def __init__(self, x: int, y: int) -> None:
            self.x, self.y = x, y

    class PointSerializer(CompactSerializer[Point]):
        def read(self, reader: CompactReader) -> Point:
            return Point(reader.read_int32("x"), reader.read_int32("y"))

        def write(self, writer: CompactWriter, obj: Point) -> None:
            writer.write_int32("x", obj.x)
            writer.write_int32("y", obj.y)

        def get_class(self) -> type[Point]:
            return Point

        def get_type_name(self) -> str:
            return "Point"

    config = Config()
    config.compact_serializers = [PointSerializer()]
    config.is_big_endian = False
    svc = SerializationService(config)
    data = svc.to_data(Point(3, -4))
    record = read_compact_record(data, 8, schema_store(svc).get, big_endian=False)
    assert (record.get_int32("x"), record.get_int32("y")) == (3, -4)


def test_read_compact_record_errors() -> None:
    svc = SerializationService(Config())
    data = svc.to_data(person())
    with pytest.raises(SchemaNotFoundError):
        read_compact_record(data, 8, lambda schema_id: None)
    only_person = {k: v for k, v in schema_store(svc).items() if v.type_name == "Person"}
    record = read_compact_record(data, 8, only_person.get)
    with pytest.raises(SchemaNotFoundError):
        record.get("home")  # the nested schema is looked up when the field is read
    with pytest.raises(HazelcastSerializationError, match="malformed|overrun"):
        read_compact_record(data[:20], 8, schema_store(svc).get)


def test_record_equality_and_repr() -> None:
    assert address() == address()
    assert address() != address("Lyon")
    assert "Address" in repr(address()) and "'Paris'" in repr(address())
    record: Any = address()
    with pytest.raises(TypeError):
        hash(record)
