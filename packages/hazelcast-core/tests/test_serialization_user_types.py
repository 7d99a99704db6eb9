"""IdentifiedDataSerializable, custom and global serializers, lookup order, errors and partition-aware keys."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError
from hazelcast.serialization import (
    IdentifiedDataSerializable,
    ObjectDataInput,
    ObjectDataOutput,
    SerializationService,
    StreamSerializer,
    partition_hash,
)

FACTORY_ID = 66
EMPLOYEE_CLASS_ID = 1
TEAM_CLASS_ID = 2


class Employee(IdentifiedDataSerializable):
    def __init__(self, name: str = "", age: int = 0) -> None:
        self.name = name
        self.age = age

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.name)
        object_data_output.write_int(self.age)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.name = object_data_input.read_string() or ""
        self.age = object_data_input.read_int()

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return EMPLOYEE_CLASS_ID

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Employee) and (self.name, self.age) == (other.name, other.age)


class Team(IdentifiedDataSerializable):
    """Exercises nested objects, lists and arrays inside an IdentifiedDataSerializable."""

    def __init__(self, lead: Employee | None = None, members: list[Any] | None = None) -> None:
        self.lead = lead
        self.members = members or []
        self.scores = [1.5, -2.0]
        self.tags: list[str | None] = ["a", None]

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_object(self.lead)
        object_data_output.write_object(self.members)
        object_data_output.write_double_array(self.scores)
        object_data_output.write_string_array(self.tags)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.lead = object_data_input.read_object()
        self.members = object_data_input.read_object()
        self.scores = object_data_input.read_double_array() or []
        self.tags = object_data_input.read_string_array() or []

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return TEAM_CLASS_ID


FACTORIES = {FACTORY_ID: {EMPLOYEE_CLASS_ID: Employee, TEAM_CLASS_ID: Team}}


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (self.x, self.y) == (other.x, other.y)


class Point3(Point):
    pass


class PointSerializer(StreamSerializer):
    destroyed = 0

    def write(self, out: ObjectDataOutput, obj: Point) -> None:
        out.write_int(obj.x)
        out.write_int(obj.y)

    def read(self, inp: ObjectDataInput) -> Point:
        return Point(inp.read_int(), inp.read_int())

    def get_type_id(self) -> int:
        return 10

    def destroy(self) -> None:
        PointSerializer.destroyed += 1


class Unregistered:
    def __init__(self, value: Any) -> None:
        self.value = value


class ReprGlobalSerializer(StreamSerializer):
    """Writes any object as its type name and the repr of its ``__dict__``; reads back a (name, repr) tuple."""

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        out.write_string(type(obj).__name__)
        out.write_string(repr(vars(obj)))

    def read(self, inp: ObjectDataInput) -> Any:
        return (inp.read_string(), inp.read_string())

    def get_type_id(self) -> int:
        return 99


def make_service(**options: Any) -> SerializationService:
    config = Config()
    for name, value in options.items():
        setattr(config, name, value)
    return SerializationService(config)


# ------------------------------------------------------------------------------------- IdentifiedDataSerializable


def test_identified_layout_is_header_factory_class_then_fields() -> None:
    data = make_service(data_serializable_factories=FACTORIES).to_data(Employee("Al", 40))
    assert data.hex() == (
        "00000000" "fffffffe" "01" "00000042" "00000001" "00000002" "416c" "00000028"
    )  # fmt: skip


@pytest.mark.parametrize("big_endian", [True, False])
def test_identified_round_trip_with_nested_objects(big_endian: bool) -> None:
    service = make_service(data_serializable_factories=FACTORIES, is_big_endian=big_endian)
    team = Team(Employee("Al", 40), [Employee("Bo", 30), 7, "x", None, [Employee("Cy", 20)]])
    result = service.to_object(service.to_data(team))
    assert isinstance(result, Team)
    assert result.lead == Employee("Al", 40)
    assert result.members == [Employee("Bo", 30), 7, "x", None, [Employee("Cy", 20)]]
    assert result.scores == [1.5, -2.0]
    assert result.tags == ["a", None]
    assert service.to_object(service.to_data([team]))[0].lead == Employee("Al", 40)


def test_missing_factory_is_a_clear_error() -> None:
    data = make_service(data_serializable_factories=FACTORIES).to_data(Employee("Al", 40))
    with pytest.raises(HazelcastSerializationError, match=r"factory id 66 .*Config\.data_serializable_factories"):
        make_service().to_object(data)


def test_missing_class_id_is_a_clear_error() -> None:
    data = make_service(data_serializable_factories=FACTORIES).to_data(Team())
    service = make_service(data_serializable_factories={FACTORY_ID: {EMPLOYEE_CLASS_ID: Employee}})
    with pytest.raises(HazelcastSerializationError, match=r"factory 66 has no class id 2"):
        service.to_object(data)


def test_versioned_identified_data_from_enterprise_members_is_read() -> None:
    # Header bit 1 set: a factory version byte and a class version byte follow the class id.
    raw = bytes.fromhex(
        "00000000" "fffffffe" "03" "00000042" "00000001" "07" "09" "00000002" "416c" "00000028"
    )  # fmt: skip
    result = make_service(data_serializable_factories=FACTORIES).to_object(raw)
    assert result == Employee("Al", 40)


def test_plain_java_data_serializable_is_refused() -> None:
    raw = bytes.fromhex("00000000" "fffffffe" "00" "00000003" + b"abc".hex())  # fmt: skip
    with pytest.raises(HazelcastSerializationError, match="IdentifiedDataSerializable"):
        make_service(data_serializable_factories=FACTORIES).to_object(raw)


def test_extra_factories_are_used_and_configured_ones_win() -> None:
    class OtherEmployee(Employee):
        pass

    config = Config()
    service = SerializationService(config, extra_factories={FACTORY_ID: {EMPLOYEE_CLASS_ID: OtherEmployee}})
    assert type(service.to_object(service.to_data(Employee("A", 1)))) is OtherEmployee

    config.data_serializable_factories = FACTORIES
    service = SerializationService(config, extra_factories={FACTORY_ID: {EMPLOYEE_CLASS_ID: OtherEmployee}})
    assert type(service.to_object(service.to_data(Employee("A", 1)))) is Employee


def test_config_is_read_once_at_construction() -> None:
    config = Config()
    config.data_serializable_factories = FACTORIES
    service = SerializationService(config)
    config.data_serializable_factories = {}
    config.is_big_endian = False
    assert service.to_object(service.to_data(Employee("A", 1))) == Employee("A", 1)
    assert service.to_data(1).hex() == "00000000fffffff900000001"


def test_errors_of_user_code_are_wrapped_with_their_cause() -> None:
    class Broken(Employee):
        def write_data(self, object_data_output: ObjectDataOutput) -> None:
            raise KeyError("boom")

    with pytest.raises(HazelcastSerializationError, match="Broken") as caught:
        make_service().to_data(Broken())
    assert isinstance(caught.value.__cause__, KeyError)


# ---------------------------------------------------------------------------------------------- custom serializers


def test_custom_serializer_writes_its_type_id_and_payload() -> None:
    service = make_service(custom_serializers={Point: PointSerializer})
    data = service.to_data(Point(1, -1))
    assert data.hex() == "00000000" "0000000a" "00000001" "ffffffff"  # fmt: skip
    assert service.to_object(data) == Point(1, -1)


def test_custom_serializer_applies_to_subclasses_through_the_mro() -> None:
    service = make_service(custom_serializers={Point: PointSerializer})
    assert struct.unpack_from(">i", service.to_data(Point3(1, 2)), 4)[0] == 10
    assert service.to_object(service.to_data([Point3(1, 2), Point(3, 4)])) == [Point(1, 2), Point(3, 4)]


def test_the_nearest_class_of_the_mro_wins() -> None:
    class Point3Serializer(PointSerializer):
        def write(self, out: ObjectDataOutput, obj: Point) -> None:
            super().write(out, obj)
            out.write_int(3)

        def get_type_id(self) -> int:
            return 11

    service = make_service(custom_serializers={Point: PointSerializer, Point3: Point3Serializer})
    assert service.to_data(Point3(1, 2)).hex() == "00000000" "0000000b" "00000001" "00000002" "00000003"  # fmt: skip
    assert service.to_data(Point(1, 2)).hex() == "00000000" "0000000a" "00000001" "00000002"  # fmt: skip


def test_destroy_reaches_each_user_serializer_once() -> None:
    PointSerializer.destroyed = 0
    service = make_service(custom_serializers={Point: PointSerializer, Point3: PointSerializer})
    service.destroy()
    service.destroy()
    assert PointSerializer.destroyed == 1


@pytest.mark.parametrize("builtin_type", [int, str, list, bytes, type(None), bool])
def test_built_in_serializers_cannot_be_replaced(builtin_type: type) -> None:
    with pytest.raises(IllegalArgumentError, match="cannot replace"):
        make_service(custom_serializers={builtin_type: PointSerializer})


@pytest.mark.parametrize("type_id", [0, -5])
def test_user_type_ids_must_be_positive(type_id: int) -> None:
    class BadSerializer(PointSerializer):
        def get_type_id(self) -> int:
            return type_id

    with pytest.raises(IllegalArgumentError, match="above 0"):
        make_service(custom_serializers={Point: BadSerializer})
    with pytest.raises(IllegalArgumentError, match="above 0"):
        make_service(global_serializer=BadSerializer)


def test_two_serializer_classes_cannot_share_a_type_id() -> None:
    class Clash(ReprGlobalSerializer):
        def get_type_id(self) -> int:
            return 10

    with pytest.raises(IllegalArgumentError, match="both use type id 10"):
        make_service(custom_serializers={Point: PointSerializer}, global_serializer=Clash)


# ---------------------------------------------------------------------------------------------- global serializer


def test_global_serializer_takes_types_without_another_serializer() -> None:
    service = make_service(
        global_serializer=ReprGlobalSerializer,
        custom_serializers={Point: PointSerializer},
        data_serializable_factories=FACTORIES,
    )
    data = service.to_data(Unregistered(5))
    assert struct.unpack_from(">i", data, 4)[0] == 99
    assert service.to_object(data) == ("Unregistered", "{'value': 5}")
    # Built-in, IdentifiedDataSerializable and custom-registered types keep their own serializers.
    assert service.to_data("s") == make_service().to_data("s")
    assert struct.unpack_from(">i", service.to_data(Employee()), 4)[0] == -2
    assert struct.unpack_from(">i", service.to_data(Point(0, 0)), 4)[0] == 10
    assert service.to_object(service.to_data([Unregistered(1)])) == [("Unregistered", "{'value': 1}")]


def test_global_serializer_reads_its_type_id_before_writing_anything() -> None:
    raw = bytes.fromhex("00000000" "00000063" "00000001" "41" "00000002" "7b7d")  # fmt: skip
    assert make_service(global_serializer=ReprGlobalSerializer).to_object(raw) == ("A", "{}")


def test_no_serializer_error_names_every_option() -> None:
    with pytest.raises(HazelcastSerializationError) as caught:
        make_service().to_data(Unregistered(1))
    message = str(caught.value)
    assert "Unregistered" in message
    for option in ("IdentifiedDataSerializable", "custom serializer", "global serializer", "compact serialization"):
        assert option in message
    with pytest.raises(HazelcastSerializationError, match=r"no serializer for .*Unregistered"):
        make_service().to_data([1, Unregistered(1)])


# ---------------------------------------------------------------------------------------------- partition-aware keys


class OrderKey(IdentifiedDataSerializable):
    def __init__(self, order_id: int = 0, customer: Any = None) -> None:
        self.order_id = order_id
        self.customer = customer

    def get_partition_key(self) -> Any:
        return self.customer

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_int(self.order_id)
        object_data_output.write_object(self.customer)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.order_id = object_data_input.read_int()
        self.customer = object_data_input.read_object()

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return 3


def test_partition_aware_key_carries_the_hash_of_its_partition_key() -> None:
    service = make_service(data_serializable_factories={FACTORY_ID: {3: OrderKey}})
    data = service.to_data(OrderKey(1, "key-1"))
    assert struct.unpack_from(">i", data, 0)[0] == 2132451398  # hash of "key-1" (wire-protocol.md §8)
    assert partition_hash(data) == partition_hash(service.to_data("key-1"))
    other = service.to_data(OrderKey(2, "key-1"))
    assert data != other and partition_hash(other) == partition_hash(data)
    restored = service.to_object(data)
    assert (restored.order_id, restored.customer) == (1, "key-1")


def test_partition_key_of_a_user_type_is_serialized_by_its_serializer() -> None:
    service = make_service(
        data_serializable_factories={FACTORY_ID: {3: OrderKey}}, custom_serializers={Point: PointSerializer}
    )
    data = service.to_data(OrderKey(1, Point(4, 5)))
    assert partition_hash(data) == partition_hash(service.to_data(Point(4, 5)))


def test_partition_key_none_or_self_leaves_the_header_zero() -> None:
    class SelfKey(OrderKey):
        def get_partition_key(self) -> Any:
            return self

    service = make_service()
    assert service.to_data(OrderKey(1, None))[:4] == bytes(4)
    assert service.to_data(SelfKey(1, "x"))[:4] == bytes(4)


def test_partition_key_is_ignored_inside_collections() -> None:
    service = make_service()
    item = service.to_data([OrderKey(1, "key-1")])
    assert item[:4] == bytes(4)
