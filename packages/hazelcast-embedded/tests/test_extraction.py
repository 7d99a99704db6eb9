"""Member-side attribute extraction: one test per serialization format and path form.

Keys and values are serialized by the client-side SerializationService exactly as a client would send them, and read
back the way the member's predicates, aggregations, projections and indexes read them.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.map import MAP_SERVICE_NAME
from hazelcast.embedded.query import (
    NON_TERMINAL_JSON_VALUE,
    ExtractionContext,
    MultiResult,
    OpaqueValue,
    extract,
    extraction_context,
    parse_attribute_path,
)
from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError, QueryError
from hazelcast.serialization import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput, SerializationService
from hazelcast.serialization.compact import (
    CompactReader,
    CompactSerializer,
    CompactWriter,
    GenericRecord,
    GenericRecordBuilder,
    SchemaNotFoundError,
)
from hazelcast.serialization.portable import Portable, PortableReader, PortableWriter

# -- Compact classes ----------------------------------------------------------------------------------------------


@dataclass
class Address:
    city: str
    zip_code: int


@dataclass
class Person:
    name: str
    age: int | None
    address: Address | None
    tags: list[str | None] | None
    previous: list[Address | None] | None
    scores: list[int] | None
    bonuses: list[int | None] | None


class AddressSerializer(CompactSerializer[Address]):
    def read(self, reader: CompactReader) -> Address:
        return Address(reader.read_string("city"), reader.read_int32("zip"))

    def write(self, writer: CompactWriter, obj: Address) -> None:
        writer.write_string("city", obj.city)
        writer.write_int32("zip", obj.zip_code)

    def get_class(self) -> type[Address]:
        return Address

    def get_type_name(self) -> str:
        return "Address"


class PersonSerializer(CompactSerializer[Person]):
    def read(self, reader: CompactReader) -> Person:
        return Person(
            reader.read_string("name"),
            reader.read_nullable_int32("age"),
            reader.read_compact("address"),
            reader.read_array_of_string("tags"),
            reader.read_array_of_compact("previous"),
            reader.read_array_of_int32("scores"),
            reader.read_array_of_nullable_int32("bonuses"),
        )

    def write(self, writer: CompactWriter, obj: Person) -> None:
        writer.write_string("name", obj.name)
        writer.write_nullable_int32("age", obj.age)
        writer.write_compact("address", obj.address)
        writer.write_array_of_string("tags", obj.tags)
        writer.write_array_of_compact("previous", obj.previous)
        writer.write_array_of_int32("scores", obj.scores)
        writer.write_array_of_nullable_int32("bonuses", obj.bonuses)

    def get_class(self) -> type[Person]:
        return Person

    def get_type_name(self) -> str:
        return "Person"


# -- Portable classes ---------------------------------------------------------------------------------------------

PORTABLE_FACTORY = 7


class PortableAddress(Portable):
    def __init__(self, city: str = "", zip_code: int = 0) -> None:
        self.city = city
        self.zip_code = zip_code

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_string("city", self.city)
        writer.write_int("zip", self.zip_code)

    def read_portable(self, reader: PortableReader) -> None:
        self.city = reader.read_string("city") or ""
        self.zip_code = reader.read_int("zip")

    def get_factory_id(self) -> int:
        return PORTABLE_FACTORY

    def get_class_id(self) -> int:
        return 1


class PortablePerson(Portable):
    def __init__(
        self,
        name: str = "",
        age: int = 0,
        address: PortableAddress | None = None,
        previous: list[PortableAddress] | None = None,
        tags: list[str] | None = None,
        scores: list[int] | None = None,
    ) -> None:
        self.name = name
        self.age = age
        self.address = address
        self.previous = previous
        self.tags = tags
        self.scores = scores

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_string("name", self.name)
        writer.write_int("age", self.age)
        if self.address is None:
            writer.write_null_portable("address", PORTABLE_FACTORY, 1)
        else:
            writer.write_portable("address", self.address)
        writer.write_portable_array("previous", self.previous)
        writer.write_string_array("tags", self.tags)
        writer.write_int_array("scores", self.scores)

    def read_portable(self, reader: PortableReader) -> None:
        self.name = reader.read_string("name") or ""
        self.age = reader.read_int("age")
        self.address = reader.read_portable("address")  # type: ignore[assignment]
        self.previous = reader.read_portable_array("previous")  # type: ignore[assignment]
        self.tags = reader.read_string_array("tags")  # type: ignore[assignment]
        self.scores = reader.read_int_array("scores")

    def get_factory_id(self) -> int:
        return PORTABLE_FACTORY

    def get_class_id(self) -> int:
        return 2


class Opaque(IdentifiedDataSerializable):
    def __init__(self, value: int = 0) -> None:
        self.value = value

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_int(self.value)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.value = object_data_input.read_int()

    def get_factory_id(self) -> int:
        return 99

    def get_class_id(self) -> int:
        return 1


# -- fixtures -----------------------------------------------------------------------------------------------------


@pytest.fixture
def service() -> SerializationService:
    return SerializationService(
        Config.from_dict(
            {
                "compact_serializers": [AddressSerializer(), PersonSerializer()],
                "portable_factories": {PORTABLE_FACTORY: {1: PortableAddress, 2: PortablePerson}},
            }
        )
    )


@pytest.fixture
def context(service: SerializationService) -> ExtractionContext:
    # The schemas the client wrote are the ones a client replicates to the cluster before the data.
    return ExtractionContext(service.compact_stream_serializer.schemas.get)


class Reader:
    """Serializes a key and a value with the client's service; ``read(path)`` extracts as the member would."""

    def __init__(self, service: SerializationService, context: ExtractionContext, value: Any, key: Any = "k") -> None:
        self.key_data = service.to_data(key)
        self.value_data = service.to_data(value)
        self.entry = context.entry(self.key_data, self.value_data)

    def __call__(self, path: str) -> Any:
        return self.entry.attribute(path)


def multi(values: list[Any], null_or_empty: bool = False) -> tuple[list[Any], bool]:
    return values, null_or_empty


def as_multi(result: Any) -> tuple[list[Any], bool]:
    assert isinstance(result, MultiResult), result
    return list(result), result.null_or_empty_target


# -- JSON ---------------------------------------------------------------------------------------------------------

PERSON_JSON = {
    "name": "Ann",
    "age": 31,
    "height": 1.72,
    "active": True,
    "nick": None,
    "address": {"city": "Oslo", "geo": {"lat": 59.9, "lon": 10.7}},
    "tags": ["a", "b", "c"],
    "orders": [{"id": 1, "total": 5.5}, {"id": 2}, {"id": 3, "total": 7}, "loose", {"id": 4, "total": {"x": 1}}],
    "matrix": [[1, 2], [3]],
    "empty": [],
}


def test_json_nested_objects(service, context) -> None:
    read = Reader(service, context, HazelcastJsonValue(PERSON_JSON))
    assert read("name") == "Ann"
    assert read("this.name") == "Ann"
    assert read("age") == 31 and isinstance(read("age"), int)
    assert read("height") == 1.72
    assert read("active") is True
    assert read("address.city") == "Oslo"
    assert read("address.geo.lat") == 59.9
    # Objects and arrays are there but are not values a condition can hold for.
    assert read("address") is NON_TERMINAL_JSON_VALUE
    assert read("address.geo") is NON_TERMINAL_JSON_VALUE
    assert read("tags") is NON_TERMINAL_JSON_VALUE


def test_json_missing_and_null_attributes_are_none(service, context) -> None:
    read = Reader(service, context, HazelcastJsonValue(PERSON_JSON))
    assert read("nick") is None
    assert read("missing") is None
    assert read("address.missing") is None
    assert read("missing.city") is None
    assert read("name.first") is None
    assert read("nick.first") is None


def test_json_array_index(service, context) -> None:
    read = Reader(service, context, HazelcastJsonValue(PERSON_JSON))
    assert read("tags[0]") == "a"
    assert read("tags[2]") == "c"
    assert read("tags[3]") is None
    assert read("orders[2].total") == 7
    assert read("orders[1].total") is None
    assert read("orders[0]") is NON_TERMINAL_JSON_VALUE
    assert read("name[0]") is None
    assert read("address[0]") is None


def test_json_any_quantifier(service, context) -> None:
    read = Reader(service, context, HazelcastJsonValue(PERSON_JSON))
    assert as_multi(read("tags[any]")) == multi(["a", "b", "c"])
    # Items without the attribute, scalars where an object is expected and non-scalar results are skipped.
    assert as_multi(read("orders[any].total")) == multi([5.5, 7])
    assert as_multi(read("orders[any].id")) == multi([1, 2, 3, 4])
    assert as_multi(read("matrix[any]")) == multi([])
    assert as_multi(read("empty[any]")) == multi([])
    # A missing array or a scalar where the array should be: a null target, as a None the conditions can match.
    assert as_multi(read("missing[any]")) == multi([None], True)
    assert as_multi(read("name[any]")) == multi([None], True)


def test_json_key_and_malformed_or_non_object_json(service, context) -> None:
    read = Reader(service, context, HazelcastJsonValue("{not json"), key=HazelcastJsonValue({"id": 7, "tag": "x"}))
    assert read("__key.id") == 7
    assert read("__key") == HazelcastJsonValue({"id": 7, "tag": "x"})
    assert read("this") == HazelcastJsonValue("{not json")
    assert read("anything") is None
    assert as_multi(read("list[any]")) == multi([None], True)
    array_value = Reader(service, context, HazelcastJsonValue([1, 2, 3]))
    assert array_value("x") is None
    assert array_value("this") == HazelcastJsonValue([1, 2, 3])


# -- Compact ------------------------------------------------------------------------------------------------------

OSLO = Address("Oslo", 150)
ANN = Person(
    name="Ann",
    age=None,
    address=OSLO,
    tags=["a", None, "c"],
    previous=[Address("Bergen", 5003), None, Address("Tromso", 9008)],
    scores=[10, 20, 30],
    bonuses=[4, None],
)


def test_compact_fields_and_nullable(service, context) -> None:
    read = Reader(service, context, ANN)
    assert read("name") == "Ann"
    assert read("this.name") == "Ann"
    assert read("age") is None
    with_age = Reader(service, context, Person("Bob", 40, None, None, None, None, None))
    assert with_age("age") == 40
    assert with_age("tags") is None


def test_compact_nested_compact(service, context) -> None:
    read = Reader(service, context, ANN)
    assert read("address.city") == "Oslo"
    assert read("address.zip") == 150
    address = read("address")
    assert isinstance(address, GenericRecord)
    assert address.get_type_name() == "Address"
    assert address.get_int32("zip") == 150
    # A null nested record on the way reads as null.
    homeless = Reader(service, context, Person("Bob", 40, None, None, None, None, None))
    assert homeless("address") is None
    assert homeless("address.city") is None


def test_compact_arrays_index_and_any(service, context) -> None:
    read = Reader(service, context, ANN)
    assert read("scores") == [10, 20, 30]
    assert read("scores[1]") == 20
    assert read("scores[3]") is None
    assert read("tags[2]") == "c"
    assert read("tags[1]") is None
    assert as_multi(read("scores[any]")) == multi([10, 20, 30])
    # Null items of a nullable array are values, not null targets.
    assert as_multi(read("bonuses[any]")) == multi([4, None])
    assert as_multi(read("tags[any]")) == multi(["a", None, "c"])


def test_compact_arrays_of_compact(service, context) -> None:
    read = Reader(service, context, ANN)
    assert read("previous[0].city") == "Bergen"
    assert read("previous[2].zip") == 9008
    assert read("previous[1].city") is None
    assert read("previous[7].city") is None
    previous = read("previous")
    assert [item.get("city") if item else None for item in previous] == ["Bergen", None, "Tromso"]
    # The null item is a null target: a None leads the values.
    assert as_multi(read("previous[any].city")) == multi([None, "Bergen", "Tromso"], True)
    records = read("previous[any]")
    assert [record.get("city") for record in records if record is not None] == ["Bergen", "Tromso"]


def test_compact_empty_or_null_arrays_under_any_are_null_targets(service, context) -> None:
    read = Reader(service, context, Person("Bob", 1, OSLO, [], None, [], None))
    assert as_multi(read("scores[any]")) == multi([None], True)
    assert as_multi(read("previous[any].city")) == multi([None], True)
    assert as_multi(read("bonuses[any]")) == multi([None], True)


def test_compact_unknown_fields_are_none(service, context) -> None:
    read = Reader(service, context, ANN)
    assert read("unknown") is None
    assert read("address.unknown") is None
    assert read("unknown.city") is None
    assert read("unknown[0]") is None
    assert as_multi(read("unknown[any]")) == multi([None], True)


def test_compact_wrong_kinds_are_query_errors(service, context) -> None:
    read = Reader(service, context, ANN)
    with pytest.raises(QueryError, match="name"):
        read("name.first")
    with pytest.raises(QueryError, match="scores"):
        read("scores.first")
    with pytest.raises(QueryError, match="name"):
        read("name[0]")
    with pytest.raises(QueryError, match="address"):
        read("address[any].city")
    with pytest.raises(QueryError, match="age"):
        read("age[any]")


def test_compact_field_named_like_a_path_is_read_whole(service, context) -> None:
    record = GenericRecordBuilder.compact("Dotted").set_int32("a.b", 5).set_string("c", "x").build()
    read = Reader(service, context, record)
    assert read("a.b") == 5
    assert read("c") == "x"


def test_compact_needs_its_schema(service) -> None:
    value_data = service.to_data(ANN)
    unaware = ExtractionContext({}.get)
    with pytest.raises(SchemaNotFoundError):
        unaware.extract(service.to_data("k"), value_data, "name")


async def test_compact_values_stored_in_the_member_read_with_replicated_schemas(service, connect) -> None:
    async with EmbeddedCluster(member_count=2) as cluster:
        client = await connect(cluster.addresses[0])
        key_data, value_data = service.to_data("ann"), service.to_data(ANN)
        await client.call("Client.sendAllSchemas", list(service.compact_stream_serializer.schemas.values()))
        await client.key_call("Map.set", "people", key_data, value_data, 1, -1)
        pid = cluster.partition_id(key_data)
        owner = cluster.owner_of(pid)
        stored = owner.partitions[pid][(MAP_SERVICE_NAME, "people")].records[key_data].value
        # Stored as sent: the member converts nothing on put.
        assert stored == value_data
        assert extract(owner, key_data, stored, "address.city") == "Oslo"
        assert extract(cluster, key_data, stored, "previous[2].city") == "Tromso"
        other = next(member for member in cluster.members if member is not owner)
        assert extraction_context(other).extract(key_data, stored, "__key") == "ann"


# -- Portable -----------------------------------------------------------------------------------------------------


def _portable_ann() -> PortablePerson:
    return PortablePerson(
        name="Ann",
        age=31,
        address=PortableAddress("Oslo", 150),
        previous=[PortableAddress("Bergen", 5003), PortableAddress("Tromso", 9008)],
        tags=["a", "b"],
        scores=[10, 20, 30],
    )


def test_portable_fields_and_nested_portable(service, context) -> None:
    read = Reader(service, context, _portable_ann())
    assert read("name") == "Ann"
    assert read("this.age") == 31
    assert read("address.city") == "Oslo"
    assert read("address.zip") == 150
    address = read("address")
    assert isinstance(address, GenericRecord)
    assert address.get_string("city") == "Oslo"
    assert isinstance(read("this"), GenericRecord)


def test_portable_arrays_and_portable_arrays(service, context) -> None:
    read = Reader(service, context, _portable_ann())
    assert read("scores") == [10, 20, 30]
    assert read("scores[2]") == 30
    assert read("scores[3]") is None
    assert read("tags[1]") == "b"
    assert as_multi(read("scores[any]")) == multi([10, 20, 30])
    assert as_multi(read("tags[any]")) == multi(["a", "b"])
    assert read("previous[1].city") == "Tromso"
    assert read("previous[5].city") is None
    assert as_multi(read("previous[any].city")) == multi(["Bergen", "Tromso"])
    assert as_multi(read("previous[any].zip")) == multi([5003, 9008])


def test_portable_null_nested_and_null_arrays(service, context) -> None:
    Reader(service, context, _portable_ann())  # the service learns Address's class definition first
    read = Reader(service, context, PortablePerson(name="Bob", age=2))
    assert read("address") is None
    assert read("address.city") is None
    assert read("scores") is None
    assert read("scores[0]") is None
    assert as_multi(read("scores[any]")) == multi([None], True)
    assert as_multi(read("previous[any].city")) == multi([None], True)


def test_portable_unknown_fields_are_none_and_wrong_kinds_are_errors(service, context) -> None:
    read = Reader(service, context, _portable_ann())
    assert read("unknown") is None
    assert read("address.unknown") is None
    assert read("unknown.city") is None
    with pytest.raises(QueryError, match="age"):
        read("age.x")
    with pytest.raises(QueryError, match="address"):
        read("address[0].city")


# -- __key, this and built-in types -------------------------------------------------------------------------------


def test_key_and_this_of_built_in_types(service, context) -> None:
    read = Reader(service, context, 42, key="ann")
    assert read("__key") == "ann"
    assert read("this") == 42
    when = datetime.datetime(2024, 5, 17, 12, 30, tzinfo=datetime.timezone.utc)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    for value in ("text", "", 7, -(2**31), 2.5, True, False, b"\x00\x01", [1, "two", None], ident,
                  decimal.Decimal("12.345"), datetime.date(2024, 5, 17), datetime.time(1, 2, 3), when):
        assert Reader(service, context, value)("this") == value, value


def test_compact_and_portable_keys(service, context) -> None:
    read = Reader(service, context, "value", key=OSLO)
    assert read("__key.city") == "Oslo"
    assert read("__key").get_type_name() == "Address"
    assert read("this") == "value"
    portable_key = Reader(service, context, 1, key=PortableAddress("Oslo", 150))
    assert portable_key("__key.zip") == 150


def test_attributes_of_built_in_values_are_query_errors(service, context) -> None:
    read = Reader(service, context, "text", key=5)
    with pytest.raises(QueryError, match="str"):
        read("length")
    with pytest.raises(QueryError, match="int"):
        read("__key.bits")


def test_null_value_reads_none(service, context) -> None:
    entry = context.entry(service.to_data("k"), None)
    assert entry.attribute("this") is None
    assert entry.attribute("field") is None
    assert as_multi(entry.attribute("items[any]")) == multi([None], True)


def test_values_of_user_classes_stay_opaque(service, context) -> None:
    read = Reader(service, context, Opaque(5), key=Opaque(5))
    value = read("this")
    assert isinstance(value, OpaqueValue)
    assert value.type_id == -2
    assert value == read("__key")
    assert value != Reader(service, context, Opaque(6))("this")
    with pytest.raises(QueryError, match="type id -2"):
        read("value")
    # A built-in list with an item of a user class is opaque as a whole.
    assert isinstance(Reader(service, context, [1, Opaque(1)])("this"), OpaqueValue)


def test_entry_decodes_key_and_value_once(service, context) -> None:
    read = Reader(service, context, ANN)
    assert read.entry.value is read.entry.value
    assert read("this") is read.entry.value


# -- paths ----------------------------------------------------------------------------------------------------------


def test_path_forms() -> None:
    key_path = parse_attribute_path("__key.address.city")
    assert key_path.of_key and key_path.attribute == "address.city" and not key_path.has_any
    assert [step.name for step in key_path.steps] == ["address", "city"]
    assert parse_attribute_path("__key").steps == () and parse_attribute_path("__key").of_key
    assert parse_attribute_path("this").steps == () and not parse_attribute_path("this").of_key
    indexed = parse_attribute_path("this.orders[12].items[any].id")
    assert [(s.name, s.index, s.any) for s in indexed.steps] == [
        ("orders", 12, False), ("items", None, True), ("id", None, False)
    ]
    assert indexed.has_any and not indexed.of_key
    assert parse_attribute_path("name") is parse_attribute_path("name")


@pytest.mark.parametrize("path", ["", "a.", "a..b", "this.", "__key.", "a[-1]", "a[x]", "[0]", "a[1", "a]", "a[1]b",
                                  "a[[1]]"])
def test_malformed_paths_are_refused(path: str) -> None:
    with pytest.raises(IllegalArgumentError):
        parse_attribute_path(path)


def test_malformed_compact_data_is_a_serialization_error(service, context) -> None:
    value_data = service.to_data(ANN)
    with pytest.raises(HazelcastSerializationError):
        context.read_value(value_data[:14])
