"""Compact serialization through the SerializationService: every field kind, nesting, errors, byte layout."""

from __future__ import annotations

import datetime
import decimal
import struct
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError
from hazelcast.serialization import SerializationService
from hazelcast.serialization.compact import (
    CompactGenericRecord,
    CompactReader,
    CompactSerializer,
    CompactWriter,
    FieldKind,
    SchemaNotFoundError,
)
from hazelcast.serialization.compact.schema import COMPACT_KINDS

K = FieldKind
TZ_PLUS = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
TZ_MINUS = datetime.timezone(datetime.timedelta(hours=-8))


class Record:
    """A class whose fields are a dict: the serializer writes each with the method of its kind."""

    def __init__(self, kinds: dict[str, FieldKind], values: dict[str, Any]) -> None:
        self.kinds = kinds
        self.values = values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self.values == other.values

    def __repr__(self) -> str:
        return f"Record({self.values!r})"


class Nested:
    def __init__(self, name: str | None, number: int) -> None:
        self.name = name
        self.number = number

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Nested) and (self.name, self.number) == (other.name, other.number)

    def __repr__(self) -> str:
        return f"Nested({self.name!r}, {self.number})"


class NestedSerializer(CompactSerializer[Nested]):
    def read(self, reader: CompactReader) -> Nested:
        return Nested(reader.read_string("name"), reader.read_int32("number"))

    def write(self, writer: CompactWriter, obj: Nested) -> None:
        writer.write_string("name", obj.name)
        writer.write_int32("number", obj.number)

    def get_class(self) -> type[Nested]:
        return Nested

    def get_type_name(self) -> str:
        return "test.Nested"


class RecordSerializer(CompactSerializer[Record]):
    """Writes and reads every field with the ``write_<kind>`` / ``read_<kind>`` method of its kind."""

    def __init__(self, kinds: dict[str, FieldKind], type_name: str = "test.Record") -> None:
        self.kinds = kinds
        self.type_name = type_name

    def read(self, reader: CompactReader) -> Record:
        values = {name: getattr(reader, f"read_{kind.name.lower()}")(name) for name, kind in self.kinds.items()}
        return Record(self.kinds, values)

    def write(self, writer: CompactWriter, obj: Record) -> None:
        for name, kind in self.kinds.items():
            getattr(writer, f"write_{kind.name.lower()}")(name, obj.values[name])

    def get_class(self) -> type[Record]:
        return Record

    def get_type_name(self) -> str:
        return self.type_name


def service(*serializers: CompactSerializer[Any], big_endian: bool = True) -> SerializationService:
    config = Config()
    config.compact_serializers = [NestedSerializer(), *serializers]
    config.is_big_endian = big_endian
    return SerializationService(config)


def share_schemas(source: SerializationService, target: SerializationService) -> None:
    """Give ``target`` the schemas ``source`` wrote, as fetching them from the cluster would."""
    for schema in source.compact_stream_serializer.schemas.values():
        target.compact_stream_serializer.register_fetched(schema)


def round_trip(kinds: dict[str, FieldKind], values: dict[str, Any], big_endian: bool = True) -> Any:
    svc = service(RecordSerializer(kinds), big_endian=big_endian)
    data = svc.to_data(Record(kinds, values))
    assert struct.unpack_from(">i", data, 4)[0] == -55
    return svc.to_object(data)


# One or more values per kind: extremes, None, empty, unicode, nesting and arrays with None items.
VALUES: dict[FieldKind, list[Any]] = {
    K.BOOLEAN: [True, False],
    K.INT8: [-128, 127, 0],
    K.INT16: [-32768, 32767],
    K.INT32: [-(2**31), 2**31 - 1],
    K.INT64: [-(2**63), 2**63 - 1],
    K.FLOAT32: [1.5, -0.25, float("inf")],
    K.FLOAT64: [-0.0, 1e308, 3.141592653589793],
    K.STRING: ["", "plain", "ünïcødé ✓ \U0001f600", None],
    K.DECIMAL: [decimal.Decimal("-1.50"), decimal.Decimal("1E+3"), decimal.Decimal("0"),
                decimal.Decimal("123456789012345678901234567890.123456789"), None],
    K.TIME: [datetime.time(0, 0), datetime.time(23, 59, 59, 999999), None],
    K.DATE: [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(2024, 2, 29), None],
    K.TIMESTAMP: [datetime.datetime(2024, 1, 2, 3, 4, 5, 6), None],
    K.TIMESTAMP_WITH_TIMEZONE: [datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=TZ_PLUS),
                                datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=TZ_MINUS),
                                datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), None],
    K.COMPACT: [Nested("inner", 7), Nested(None, -1), None],
    K.ARRAY_OF_BOOLEAN: [[], [True], [True, False] * 4, [False] * 8 + [True], [i % 3 == 0 for i in range(17)], None],
    K.ARRAY_OF_INT8: [[], [-128, 0, 127], None],
    K.ARRAY_OF_INT16: [[-32768, 32767], None],
    K.ARRAY_OF_INT32: [[], [1, -2, 2**31 - 1], None],
    K.ARRAY_OF_INT64: [[-(2**63), 2**63 - 1], None],
    K.ARRAY_OF_FLOAT32: [[0.5, -1.0], None],
    K.ARRAY_OF_FLOAT64: [[1e-300, float("-inf")], None],
    K.ARRAY_OF_STRING: [[], ["a", None, "", "ü"], [None], None],
    K.ARRAY_OF_DECIMAL: [[decimal.Decimal("2.5"), None, decimal.Decimal("-0.001")], None],
    K.ARRAY_OF_TIME: [[datetime.time(1, 2, 3), None], None],
    K.ARRAY_OF_DATE: [[None, datetime.date(2020, 2, 29)], None],
    K.ARRAY_OF_TIMESTAMP: [[datetime.datetime(2000, 1, 1)], None],
    K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE: [[datetime.datetime(2000, 1, 1, tzinfo=TZ_MINUS), None], None],
    K.ARRAY_OF_COMPACT: [[Nested("a", 1), None, Nested("b", 2)], [], None],
    K.NULLABLE_BOOLEAN: [True, False, None],
    K.NULLABLE_INT8: [-5, None],
    K.NULLABLE_INT16: [300, None],
    K.NULLABLE_INT32: [-70000, None],
    K.NULLABLE_INT64: [2**40, None],
    K.NULLABLE_FLOAT32: [2.5, None],
    K.NULLABLE_FLOAT64: [-2.5, None],
    K.ARRAY_OF_NULLABLE_BOOLEAN: [[True, None, False], None],
    K.ARRAY_OF_NULLABLE_INT8: [[1, None, -1], None],
    K.ARRAY_OF_NULLABLE_INT16: [[None], None],
    K.ARRAY_OF_NULLABLE_INT32: [[1, None, 3], [], None],
    K.ARRAY_OF_NULLABLE_INT64: [[None, 2**62], None],
    K.ARRAY_OF_NULLABLE_FLOAT32: [[0.5, None], None],
    K.ARRAY_OF_NULLABLE_FLOAT64: [[None, 1.25], None],
}  # fmt: skip


def test_the_value_table_covers_every_compact_kind() -> None:
    assert set(VALUES) == set(COMPACT_KINDS)


@pytest.mark.parametrize("big_endian", [True, False], ids=["BE", "LE"])
@pytest.mark.parametrize(
    ("kind", "value"),
    [(kind, value) for kind, values in VALUES.items() for value in values],
    ids=lambda v: v.name if isinstance(v, FieldKind) else repr(v)[:40],
)
def test_every_field_kind_round_trips(kind: FieldKind, value: Any, big_endian: bool) -> None:
    kinds = {"field": kind, "after": K.INT32}
    read = round_trip(kinds, {"field": value, "after": 99}, big_endian)
    assert read.values == {"field": value, "after": 99}


@pytest.mark.parametrize("big_endian", [True, False], ids=["BE", "LE"])
def test_one_value_holding_every_kind_round_trips(big_endian: bool) -> None:
    kinds = {f"f_{kind.name.lower()}": kind for kind in VALUES}
    values = {f"f_{kind.name.lower()}": VALUES[kind][0] for kind in VALUES}
    assert round_trip(kinds, values, big_endian).values == values
    nulls = {name: (VALUES[kind][0] if VALUES[kind][-1] is not None else None) for name, kind in kinds.items()}
    assert round_trip(kinds, nulls, big_endian).values == nulls


@pytest.mark.parametrize("size", [10, 300, 70_000], ids=["uint8 offsets", "uint16 offsets", "int32 offsets"])
def test_offset_tables_of_every_width(size: int) -> None:
    kinds = {"big": K.STRING, "items": K.ARRAY_OF_STRING, "tail": K.NULLABLE_INT32, "gap": K.STRING}
    values = {"big": "x" * size, "items": ["é" * size, None, "z"], "tail": 5, "gap": None}
    assert round_trip(kinds, values).values == values


def test_huge_arrays_round_trip() -> None:
    kinds = {"ints": K.ARRAY_OF_INT64, "bits": K.ARRAY_OF_BOOLEAN, "strings": K.ARRAY_OF_NULLABLE_INT32}
    values = {
        "ints": list(range(-50_000, 50_000)),
        "bits": [i % 7 == 0 for i in range(100_001)],
        "strings": [None if i % 5 == 0 else i for i in range(30_000)],
    }
    assert round_trip(kinds, values).values == values


def test_deeply_nested_compact_values_round_trip() -> None:
    kinds = {"child": K.COMPACT, "depth": K.INT32}
    serializer = RecordSerializer(kinds, "test.Tree")
    svc = service(serializer)
    tree: Record | None = None
    for depth in range(30):
        tree = Record(kinds, {"child": tree, "depth": depth})
    assert svc.to_object(svc.to_data(tree)) == tree


def test_fixed_layout_bytes() -> None:
    # Point(x=1, y=-1): the schema id, then the two int32 fields in name order; without variable-size fields
    # there is neither a data length nor an offset table.
    kinds = {"y": K.INT32, "x": K.INT32}
    svc = service(RecordSerializer(kinds, "Point"))
    data = svc.to_data(Record(kinds, {"x": 1, "y": -1}))
    point_schema_id = -9032976094978409635  # computed by the official client
    assert data == bytes.fromhex("00000000ffffffc9") + struct.pack(">qii", point_schema_id, 1, -1)
    little = service(RecordSerializer(kinds, "Point"), big_endian=False).to_data(Record(kinds, {"x": 1, "y": -1}))
    assert little == bytes.fromhex("00000000ffffffc9") + struct.pack("<qii", point_schema_id, 1, -1)


def test_layout_of_mixed_fields() -> None:
    # Fixed fields largest first, booleans as bits after them, then variable-size data and uint8 offsets.
    kinds = {"a_bool": K.BOOLEAN, "b_int8": K.INT8, "c_long": K.INT64, "d_str": K.STRING, "e_bool": K.BOOLEAN}
    svc = service(RecordSerializer(kinds, "Mixed"))
    values = {"a_bool": False, "b_int8": -2, "c_long": 258, "d_str": "hi", "e_bool": True}
    data = svc.to_data(Record(kinds, values))
    body = data[16:]
    data_length = struct.unpack_from(">i", body, 0)[0]
    fixed = body[4:14]
    assert fixed == struct.pack(">qb", 258, -2) + bytes([0b10])
    assert body[14:20] == struct.pack(">i", 2) + b"hi"
    assert data_length == 16
    assert body[20:] == bytes([10])  # the string starts after the 10 fixed bytes


@pytest.mark.parametrize(
    ("read_kind", "written_kind", "value"),
    [
        (K.INT32, K.NULLABLE_INT32, 5),
        (K.NULLABLE_INT32, K.INT32, 5),
        (K.BOOLEAN, K.NULLABLE_BOOLEAN, True),
        (K.NULLABLE_FLOAT64, K.FLOAT64, 2.5),
        (K.ARRAY_OF_INT16, K.ARRAY_OF_NULLABLE_INT16, [1, 2]),
        (K.ARRAY_OF_NULLABLE_INT16, K.ARRAY_OF_INT16, [1, 2]),
        (K.ARRAY_OF_BOOLEAN, K.ARRAY_OF_NULLABLE_BOOLEAN, [True, False]),
    ],
)
def test_readers_accept_the_nullable_counterpart(read_kind: FieldKind, written_kind: FieldKind, value: Any) -> None:
    writer_svc = service(RecordSerializer({"f": written_kind}))
    data = writer_svc.to_data(Record({"f": written_kind}, {"f": value}))
    reader_svc = service(RecordSerializer({"f": read_kind}))
    share_schemas(writer_svc, reader_svc)
    assert reader_svc.to_object(data).values == {"f": value}


@pytest.mark.parametrize(
    ("read_kind", "written_kind", "value", "message"),
    [
        (K.INT32, K.NULLABLE_INT32, None, "read_nullable_int32"),
        (K.ARRAY_OF_INT32, K.ARRAY_OF_NULLABLE_INT32, [1, None], "read_array_of_nullable_int32"),
        (K.INT64, K.INT32, 1, "is INT32, not INT64"),
        (K.STRING, K.ARRAY_OF_STRING, ["a"], "is ARRAY_OF_STRING"),
    ],
)
def test_readers_reject_what_they_cannot_return(
    read_kind: FieldKind, written_kind: FieldKind, value: Any, message: str
) -> None:
    writer_svc = service(RecordSerializer({"f": written_kind}))
    data = writer_svc.to_data(Record({"f": written_kind}, {"f": value}))
    reader_svc = service(RecordSerializer({"f": read_kind}))
    share_schemas(writer_svc, reader_svc)
    with pytest.raises(HazelcastSerializationError, match=message):
        reader_svc.to_object(data)


def test_get_field_kind_supports_evolving_classes() -> None:
    class Old:
        pass

    class OldSerializer(CompactSerializer[Old]):
        def read(self, reader: CompactReader) -> Any:
            present = reader.get_field_kind("added")
            return (reader.read_int32("id"), present, reader.read_string("added") if present == K.STRING else "default")

        def write(self, writer: CompactWriter, obj: Old) -> None:
            writer.write_int32("id", 3)

        def get_class(self) -> type[Old]:
            return Old

        def get_type_name(self) -> str:
            return "Evolving"

    svc = service(OldSerializer())
    assert svc.to_object(svc.to_data(Old())) == (3, K.NOT_AVAILABLE, "default")


def test_reading_a_missing_field_fails_clearly() -> None:
    writer_svc = service(RecordSerializer({"a": K.INT32}))
    data = writer_svc.to_data(Record({"a": K.INT32}, {"a": 1}))
    reader_svc = service(RecordSerializer({"b": K.INT32}))
    share_schemas(writer_svc, reader_svc)
    with pytest.raises(HazelcastSerializationError, match="no field named 'b'"):
        reader_svc.to_object(data)


def test_writing_bad_values_fails_with_the_field_name() -> None:
    svc = service(RecordSerializer({"small": K.INT8}))
    with pytest.raises(HazelcastSerializationError, match="'small'"):
        svc.to_data(Record({"small": K.INT8}, {"small": 1000}))
    svc = service(RecordSerializer({"text": K.STRING}))
    with pytest.raises(HazelcastSerializationError, match="'text'"):
        svc.to_data(Record({"text": K.STRING}, {"text": 12}))


def test_a_serializer_writing_other_fields_than_the_first_time_fails() -> None:
    class Shifty:
        def __init__(self, use_a: bool) -> None:
            self.use_a = use_a

    class ShiftySerializer(CompactSerializer[Shifty]):
        def read(self, reader: CompactReader) -> Shifty:
            return Shifty(True)

        def write(self, writer: CompactWriter, obj: Shifty) -> None:
            writer.write_int32("a" if obj.use_a else "b", 1)

        def get_class(self) -> type[Shifty]:
            return Shifty

        def get_type_name(self) -> str:
            return "Shifty"

    svc = service(ShiftySerializer())
    svc.to_data(Shifty(True))
    with pytest.raises(HazelcastSerializationError, match="no field named 'b'"):
        svc.to_data(Shifty(False))


def test_writing_a_field_twice_fails() -> None:
    class Twice:
        pass

    class TwiceSerializer(CompactSerializer[Twice]):
        def read(self, reader: CompactReader) -> Twice:
            return Twice()

        def write(self, writer: CompactWriter, obj: Twice) -> None:
            writer.write_int32("a", 1)
            writer.write_string("a", "x")

        def get_class(self) -> type[Twice]:
            return Twice

        def get_type_name(self) -> str:
            return "Twice"

    with pytest.raises(HazelcastSerializationError, match="twice"):
        service(TwiceSerializer()).to_data(Twice())


def test_array_of_compact_items_must_share_one_class() -> None:
    kinds = {"items": K.ARRAY_OF_COMPACT}
    inner = Record({"v": K.INT32}, {"v": 1})
    svc = service(RecordSerializer(kinds))
    with pytest.raises(HazelcastSerializationError, match="one class"):
        svc.to_data(Record(kinds, {"items": [Nested("a", 1), inner]}))


def test_nested_values_without_a_serializer_fail_clearly() -> None:
    kinds = {"inner": K.COMPACT}
    svc = service(RecordSerializer(kinds))
    with pytest.raises(HazelcastSerializationError, match="no compact serializer for .*int"):
        svc.to_data(Record(kinds, {"inner": 5}))


def test_unknown_schema_raises_schema_not_found() -> None:
    data = service(RecordSerializer({"a": K.INT32})).to_data(Record({"a": K.INT32}, {"a": 1}))
    with pytest.raises(SchemaNotFoundError) as caught:
        service().to_object(data)
    assert caught.value.schema_id == struct.unpack_from(">q", data, 8)[0]
    assert isinstance(caught.value, HazelcastSerializationError)


def test_data_of_a_type_without_serializer_reads_as_generic_record() -> None:
    kinds = {"a": K.INT32, "inner": K.COMPACT}
    writer = service(RecordSerializer(kinds))
    data = writer.to_data(Record(kinds, {"a": 1, "inner": Nested("n", 2)}))
    reader = service()  # knows Nested but not test.Record
    share_schemas(writer, reader)
    record = reader.to_object(data)
    assert isinstance(record, CompactGenericRecord)
    assert record.get_int32("a") == 1
    # Inside a GenericRecord nested values stay GenericRecords, as in Java.
    assert record.get_generic_record("inner").get_string("name") == "n"


def test_compact_values_inside_lists_and_as_partition_keys() -> None:
    svc = service()
    values = [Nested("a", 1), None, "text", [Nested("b", 2)]]
    assert svc.to_object(svc.to_data(values)) == values

    class Keyed:
        def __init__(self, key: Nested) -> None:
            self.key = key

        def get_partition_key(self) -> Nested:
            return self.key

    class KeyedSerializer(CompactSerializer[Keyed]):
        def read(self, reader: CompactReader) -> Keyed:
            return Keyed(reader.read_compact("key"))

        def write(self, writer: CompactWriter, obj: Keyed) -> None:
            writer.write_compact("key", obj.key)

        def get_class(self) -> type[Keyed]:
            return Keyed

        def get_type_name(self) -> str:
            return "Keyed"

    svc = service(KeyedSerializer())
    key = Nested("k", 9)
    data = svc.to_data(Keyed(key))
    assert struct.unpack_from(">i", data, 0)[0] == svc.partition_hash(svc.to_data(key))


def test_schemas_written_for_the_first_time_are_recorded_once() -> None:
    kinds = {"inner": K.COMPACT}
    svc = service(RecordSerializer(kinds))
    assert svc.unreplicated_schemas == {}
    svc.to_data(Record(kinds, {"inner": Nested("a", 1)}))
    recorded = dict(svc.unreplicated_schemas)
    assert {schema.type_name for schema in recorded.values()} == {"test.Record", "test.Nested"}
    svc.unreplicated_schemas.clear()  # as the runtime does once the cluster confirmed them
    svc.to_data(Record(kinds, {"inner": Nested("b", 2)}))
    assert svc.unreplicated_schemas == {}
    assert set(svc.compact_stream_serializer.schemas) == set(recorded)


def test_fetched_schemas_are_not_recorded_for_replication() -> None:
    kinds = {"a": K.INT32}
    writer = service(RecordSerializer(kinds))
    writer.to_data(Record(kinds, {"a": 1}))
    (schema,) = writer.compact_stream_serializer.schemas.values()
    reader = service(RecordSerializer(kinds))
    reader.compact_stream_serializer.register_fetched(schema)
    reader.to_data(Record(kinds, {"a": 2}))
    assert reader.unreplicated_schemas == {}


@pytest.mark.parametrize(
    ("serializers", "message"),
    [
        ([NestedSerializer()], "more than one compact serializer is registered"),
        ([RecordSerializer({}, "test.Nested")], "type name 'test.Nested'"),
    ],
)
def test_conflicting_registrations_are_rejected(serializers: list[CompactSerializer[Any]], message: str) -> None:
    with pytest.raises(IllegalArgumentError, match=message):
        service(*serializers)


def test_a_compact_serializer_cannot_replace_a_builtin_one() -> None:
    class IntSerializer(CompactSerializer[int]):
        def read(self, reader: CompactReader) -> int:
            return 0

        def write(self, writer: CompactWriter, obj: int) -> None:
            writer.write_int32("v", obj)

        def get_class(self) -> type[int]:
            return int

        def get_type_name(self) -> str:
            return "int"

    with pytest.raises(IllegalArgumentError, match="built-in serializer of int"):
        service(IntSerializer())


def test_malformed_compact_data_raises_serialization_error() -> None:
    svc = service(RecordSerializer({"s": K.STRING}))
    data = svc.to_data(Record({"s": K.STRING}, {"s": "hello"}))
    with pytest.raises(HazelcastSerializationError):
        svc.to_object(data[:-3])
    with pytest.raises(HazelcastSerializationError):
        svc.to_object(data[:12])


def test_the_compact_api_is_importable_where_the_official_client_has_it() -> None:
    from hazelcast.serialization import api

    assert api.CompactSerializer is CompactSerializer
    assert api.CompactReader is CompactReader and api.CompactWriter is CompactWriter
    assert api.FieldKind is FieldKind and api.FieldKind.ARRAY_OF_NULLABLE_FLOAT64 == 46
