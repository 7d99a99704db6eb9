"""Edge cases of IdentifiedDataSerializable, HazelcastJsonValue, custom and global serializers (empty, null, huge,
unicode, nested), and of pickle, which is used only when ``Config.pickle_enabled`` is set."""

from __future__ import annotations

import json
import pickle
import struct
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.core import HazelcastJsonValue
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import (
    IdentifiedDataSerializable,
    ObjectDataInput,
    ObjectDataOutput,
    SerializationService,
    StreamSerializer,
)

FACTORY_ID = 21
UNICODE = "a\u00e9\u20ac\U0001f600\u6771\u4eac\u0000z"
"""One character of each UTF-8 length, and NUL."""


def make_service(**options: Any) -> SerializationService:
    config = Config()
    for name, value in options.items():
        setattr(config, name, value)
    return SerializationService(config)


def type_id_of(data: bytes) -> int:
    value: int = struct.unpack_from(">i", data, 4)[0]
    return value


# ---------------------------------------------------------------------------------------------- identified objects


class Empty(IdentifiedDataSerializable):
    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        return None

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        return None

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return type(other) is Empty


class Node(IdentifiedDataSerializable):
    """A tree node: a label, an optional payload object and child nodes."""

    def __init__(self, label: str | None = "", payload: Any = None, children: list[Any] | None = None) -> None:
        self.label = label
        self.payload = payload
        self.children = children

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.label)
        object_data_output.write_object(self.payload)
        object_data_output.write_object(self.children)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.label = object_data_input.read_string()
        self.payload = object_data_input.read_object()
        self.children = object_data_input.read_object()

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return 2

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and (self.label, self.payload, self.children) == (
            other.label,
            other.payload,
            other.children,
        )


class Arrays(IdentifiedDataSerializable):
    """Every array type, any of them None."""

    NAMES = ("byte", "boolean", "char", "short", "int", "long", "float", "double", "string")

    def __init__(self, **arrays: Any) -> None:
        self.arrays = {name: arrays.get(name) for name in self.NAMES}

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        for name in self.NAMES:
            getattr(object_data_output, f"write_{name}_array")(self.arrays[name])

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.arrays = {name: getattr(object_data_input, f"read_{name}_array")() for name in self.NAMES}

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return 3


class ExtremeIds(Empty):
    def get_factory_id(self) -> int:
        return -(2**31)

    def get_class_id(self) -> int:
        return 2**31 - 1


IDS_FACTORIES: dict[int, dict[int, type]] = {
    FACTORY_ID: {1: Empty, 2: Node, 3: Arrays},
    -(2**31): {2**31 - 1: ExtremeIds},
}


def ids_service(**options: Any) -> SerializationService:
    return make_service(data_serializable_factories=IDS_FACTORIES, **options)


def test_identified_object_without_fields_is_its_header_only() -> None:
    service = ids_service()
    data = service.to_data(Empty())
    assert data.hex() == "00000000" "fffffffe" "01" "00000015" "00000001"  # fmt: skip
    assert service.to_object(data) == Empty()


def test_extreme_factory_and_class_ids() -> None:
    service = ids_service()
    data = service.to_data(ExtremeIds())
    assert data[9:17].hex() == "80000000" "7fffffff"  # fmt: skip
    assert type(service.to_object(data)) is ExtremeIds


@pytest.mark.parametrize("big_endian", [True, False])
def test_identified_null_fields_and_null_or_empty_arrays(big_endian: bool) -> None:
    service = ids_service(is_big_endian=big_endian)
    assert service.to_object(service.to_data(Node(None, None, None))) == Node(None, None, None)
    for arrays in (Arrays(), Arrays(**{name: [] for name in Arrays.NAMES})):
        result = service.to_object(service.to_data(arrays))
        assert result.arrays == {name: (None if value is None else ([] if name != "byte" else b""))
                                 for name, value in arrays.arrays.items()}  # fmt: skip


def test_identified_unicode_strings_and_chars() -> None:
    service = ids_service()
    arrays = Arrays(string=[UNICODE, "", None], char=["\u00e9", "\u20ac", "\uffff"])
    result = service.to_object(service.to_data(arrays))
    assert result.arrays["string"] == [UNICODE, "", None]
    assert result.arrays["char"] == ["\u00e9", "\u20ac", "\uffff"]
    assert service.to_object(service.to_data(Node(UNICODE))).label == UNICODE


def test_identified_huge_values() -> None:
    service = ids_service()
    big = Arrays(byte=bytes(range(256)) * 8192, int=list(range(-100_000, 100_000)), string=["x" * 70_000] * 20)
    result = service.to_object(service.to_data(big))
    assert result.arrays["byte"] == big.arrays["byte"]
    assert result.arrays["int"] == big.arrays["int"]
    assert result.arrays["string"] == big.arrays["string"]
    wide = Node("root", None, [Node(str(i), i) for i in range(5_000)])
    assert service.to_object(service.to_data(wide)) == wide


def test_identified_deep_nesting_through_objects_and_lists() -> None:
    service = ids_service()
    tree: Node = Node("leaf", HazelcastJsonValue({"k": [1, None]}))
    for depth in range(60):
        tree = Node(f"level {depth}", [depth, None, Empty()], [tree, Node("sibling")])
    assert service.to_object(service.to_data(tree)) == tree
    assert service.to_object(service.to_data([tree, [tree]])) == [tree, [tree]]


def test_identified_read_errors_keep_their_cause() -> None:
    class Failing(Node):
        def read_data(self, object_data_input: ObjectDataInput) -> None:
            raise ValueError("cannot read")

    data = ids_service().to_data(Node("x"))
    service = make_service(data_serializable_factories={FACTORY_ID: {2: Failing}})
    with pytest.raises(HazelcastSerializationError, match="cannot read") as caught:
        service.to_object(data)
    assert isinstance(caught.value.__cause__, ValueError)


def test_identified_object_reading_past_its_payload_is_a_serialization_error() -> None:
    class Greedy(Node):
        def read_data(self, object_data_input: ObjectDataInput) -> None:
            super().read_data(object_data_input)
            object_data_input.read_long()

    data = ids_service().to_data(Node("x"))
    with pytest.raises(HazelcastSerializationError):
        make_service(data_serializable_factories={FACTORY_ID: {2: Greedy}}).to_object(data)


# ---------------------------------------------------------------------------------------------- HazelcastJsonValue


def test_json_length_counts_utf8_bytes() -> None:
    data = make_service().to_data(HazelcastJsonValue(json.dumps({"k": "\u20ac"}, ensure_ascii=False)))
    text = '{"k": "\u20ac"}'.encode()
    assert data.hex() == "00000000" "ffffff7e" + struct.pack(">i", len(text)).hex() + text.hex()  # fmt: skip


@pytest.mark.parametrize(
    "value",
    [
        HazelcastJsonValue(""),
        HazelcastJsonValue("null"),
        HazelcastJsonValue({}),
        HazelcastJsonValue([]),
        HazelcastJsonValue({"a": None, "b": [1.5, "\u00e9", {"c": True}]}),
        HazelcastJsonValue(f'{{"s": "{UNICODE}"}}'),
        HazelcastJsonValue("not json at all"),
        HazelcastJsonValue(" " * 3),
    ],
    ids=repr,
)
@pytest.mark.parametrize("big_endian", [True, False])
def test_json_values_round_trip_as_given(value: HazelcastJsonValue, big_endian: bool) -> None:
    service = make_service(is_big_endian=big_endian)
    result = service.to_object(service.to_data(value))
    assert type(result) is HazelcastJsonValue and result.to_string() == value.to_string()


def test_huge_and_deeply_nested_json() -> None:
    service = make_service()
    nested: Any = "bottom"
    for _ in range(200):
        nested = {"n": [nested]}
    for value in (HazelcastJsonValue({"items": list(range(200_000))}), HazelcastJsonValue(nested)):
        result = service.to_object(service.to_data(value))
        assert result == value and result.loads() == value.loads()


def test_json_inside_lists_and_identified_objects() -> None:
    service = ids_service()
    values = [HazelcastJsonValue("{}"), None, [HazelcastJsonValue('"x"')], Node("j", HazelcastJsonValue("[1]"))]
    assert service.to_object(service.to_data(values)) == values


def test_json_value_of_none_is_refused() -> None:
    with pytest.raises(TypeError, match="not None"):
        HazelcastJsonValue(None)


# ---------------------------------------------------------------------------------------------- custom serializers


class Blob:
    """Anything the custom serializer below handles: a possibly empty or None payload."""

    def __init__(self, payload: Any = None) -> None:
        self.payload = payload

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Blob) and self.payload == other.payload


class EmptyBlob(Blob):
    pass


class BlobSerializer(StreamSerializer):
    """Writes the payload as an object; an EmptyBlob writes nothing at all."""

    def write(self, out: ObjectDataOutput, obj: Blob) -> None:
        out.write_boolean(isinstance(obj, EmptyBlob))
        if not isinstance(obj, EmptyBlob):
            out.write_object(obj.payload)

    def read(self, inp: ObjectDataInput) -> Blob:
        if inp.read_boolean():
            return EmptyBlob()
        return Blob(inp.read_object())

    def get_type_id(self) -> int:
        return 2**31 - 1


class NothingSerializer(StreamSerializer):
    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        return None

    def read(self, inp: ObjectDataInput) -> Any:
        return EmptyBlob()

    def get_type_id(self) -> int:
        return 1


def blob_service(**options: Any) -> SerializationService:
    return make_service(custom_serializers={Blob: BlobSerializer}, data_serializable_factories=IDS_FACTORIES, **options)


def test_custom_serializer_with_an_empty_payload() -> None:
    service = make_service(custom_serializers={EmptyBlob: NothingSerializer})
    data = service.to_data(EmptyBlob())
    assert data.hex() == "00000000" "00000001"  # fmt: skip
    assert service.to_object(data) == EmptyBlob()
    assert service.to_object(service.to_data([EmptyBlob(), EmptyBlob()])) == [EmptyBlob(), EmptyBlob()]


@pytest.mark.parametrize(
    "payload",
    [None, "", b"", [], UNICODE, [None, [None]], b"\x00" * 3_000_000, list(range(100_000)), "\U0001f600" * 100_000],
    ids=lambda payload: repr(payload)[:30],
)
@pytest.mark.parametrize("big_endian", [True, False])
def test_custom_serializer_payloads(payload: Any, big_endian: bool) -> None:
    service = blob_service(is_big_endian=big_endian)
    data = service.to_data(Blob(payload))
    assert type_id_of(data) == 2**31 - 1
    assert service.to_object(data) == Blob(payload)


def test_custom_serialized_objects_nest_in_each_other_and_in_identified_objects() -> None:
    service = blob_service()
    value: Any = Blob("core")
    for depth in range(100):
        value = Blob([depth, value, EmptyBlob()]) if depth % 2 else Blob(Node(str(depth), value))
    assert service.to_object(service.to_data(value)) == value


def test_custom_serializer_errors_keep_their_cause() -> None:
    class Broken(BlobSerializer):
        def read(self, inp: ObjectDataInput) -> Blob:
            raise KeyError("lost")

    data = blob_service().to_data(Blob(1))
    with pytest.raises(HazelcastSerializationError, match="lost") as caught:
        make_service(custom_serializers={Blob: Broken}).to_object(data)
    assert isinstance(caught.value.__cause__, KeyError)


# ---------------------------------------------------------------------------------------------- global serializer


class Anything:
    def __init__(self, value: Any = None) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Anything) and self.value == other.value


class JsonGlobalSerializer(StreamSerializer):
    """Writes ``value`` of any object as JSON text; dicts, tuples and sets come here too."""

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        value = obj.value if isinstance(obj, Anything) else obj
        out.write_string(json.dumps([type(obj).__name__, list(value) if isinstance(value, (set, tuple)) else value]))

    def read(self, inp: ObjectDataInput) -> Any:
        name, value = json.loads(inp.read_string() or "null")
        return {"Anything": Anything, "tuple": tuple, "set": set}.get(name, lambda v: v)(value)

    def get_type_id(self) -> int:
        return 500


@pytest.mark.parametrize(
    "value",
    [Anything(), Anything(""), Anything(UNICODE), Anything("x" * 1_000_000), Anything({"a": [1, {"b": None}]}),
     (1, "t"), {3}, {"k": "v"}],
    ids=lambda value: repr(value)[:30],
)  # fmt: skip
def test_global_serializer_takes_any_other_value(value: Any) -> None:
    service = make_service(global_serializer=JsonGlobalSerializer)
    data = service.to_data(value)
    assert type_id_of(data) == 500
    assert service.to_object(data) == value


def test_global_serializer_values_nest_in_lists_and_identified_objects() -> None:
    service = ids_service(global_serializer=JsonGlobalSerializer)
    value = [Anything(1), Node("n", Anything([None])), [(), {"d": 1}]]
    assert service.to_object(service.to_data(value)) == value


def test_global_serializer_wins_over_pickle() -> None:
    service = make_service(global_serializer=JsonGlobalSerializer, pickle_enabled=True)
    assert type_id_of(service.to_data({"a": 1})) == 500


# ---------------------------------------------------------------------------------------------- pickle

_CALLS: list[str] = []


def _record_call(tag: str) -> str:
    _CALLS.append(tag)
    return tag


class RunsCodeWhenUnpickled:
    """Unpickling calls ``_record_call``: what a malicious payload would do with a harmful function."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_record_call, ("ran",))


def test_objects_without_a_serializer_need_pickle_to_be_enabled() -> None:
    with pytest.raises(HazelcastSerializationError) as caught:
        make_service().to_data({"a": 1})
    message = str(caught.value)
    for option in ("IdentifiedDataSerializable", "Portable", "Config.custom_serializers", "Config.global_serializer",
                   "compact serialization", "Config.pickle_enabled"):  # fmt: skip
        assert option in message
    with pytest.raises(HazelcastSerializationError, match="pickle_enabled"):
        make_service().to_data([1, (2, 3)])


@pytest.mark.parametrize(
    "value",
    [{"a": 1, "b": [None, 2.5]}, (1, "two"), {1, 2, 3}, frozenset({"x"}), complex(1, -1), {"k": "caf\u00e9"},
     {"e": UNICODE}, (), {"big": "x" * 500_000}],
    ids=lambda value: repr(value)[:30],
)  # fmt: skip
@pytest.mark.parametrize("big_endian", [True, False])
def test_pickle_round_trip_when_enabled(value: Any, big_endian: bool) -> None:
    service = make_service(pickle_enabled=True, is_big_endian=big_endian)
    data = service.to_data(value)
    assert type_id_of(data) == -120
    assert service.to_object(data) == value


def test_pickle_layout_is_a_length_prefixed_protocol_0_pickle() -> None:
    value = {"a": (1, 2)}
    raw = pickle.dumps(value, 0)
    assert (
        make_service(pickle_enabled=True).to_data(value)
        == bytes.fromhex("00000000ffffff88") + struct.pack(">i", len(raw)) + raw
    )
    assert make_service(pickle_enabled=True, is_big_endian=False).to_data(value)[8:12] == struct.pack("<i", len(raw))


def test_pickled_values_nest_in_lists_and_identified_objects() -> None:
    service = ids_service(pickle_enabled=True)
    value = [(1,), Node("p", {"d": {2}}), [{"x"}]]
    assert service.to_object(service.to_data(value)) == value


def test_built_in_and_registered_types_are_not_pickled() -> None:
    service = ids_service(pickle_enabled=True)
    assert type_id_of(service.to_data("s")) == -11
    assert type_id_of(service.to_data(Node())) == -2
    assert type_id_of(service.to_data([1])) == -29


def test_pickle_data_is_refused_without_running_it() -> None:
    _CALLS.clear()
    data = make_service(pickle_enabled=True).to_data(RunsCodeWhenUnpickled())
    for service in (make_service(), ids_service()):
        with pytest.raises(HazelcastSerializationError, match="runs code.*Config.pickle_enabled"):
            service.to_object(data)
        with pytest.raises(HazelcastSerializationError, match="pickle_enabled"):
            service.to_object(make_service(pickle_enabled=True).to_data([1, (2,)]))
    assert _CALLS == []
    # What enabling means: the payload's code runs when it is read.
    assert make_service(pickle_enabled=True).to_object(data) == "ran"
    assert _CALLS == ["ran"]


def test_null_pickle_payload_reads_as_none() -> None:
    assert make_service(pickle_enabled=True).to_object(bytes.fromhex("00000000ffffff88ffffffff")) is None
