"""Compact schemas: fingerprints (schema ids) against the official client, layouts, and the protocol types."""

from __future__ import annotations

import pytest

from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader
from hazelcast.serialization.compact import FieldDescriptor, FieldKind, Schema
from hazelcast.serialization.compact.schema import COMPACT_KINDS

K = FieldKind

_ALL_KINDS = [(f"f{int(kind):02d}", kind) for kind in sorted(COMPACT_KINDS)]

# Schema ids computed by the official hazelcast-python-client 5.7.0 (its RabinFingerprint), offline.
FINGERPRINTS = [
    ("Empty", [], -7824791657517553487),
    ("Point", [("x", K.INT32)], 8958441256622121754),
    ("Point", [("x", K.INT32), ("y", K.INT32)], -9032976094978409635),
    ("ünïcødé.Typ€", [("naïve", K.STRING), ("数量", K.INT64)], 6919853527602344799),
    ("com.example.All", _ALL_KINDS, -8528245353871431473),
    ("Flags", [(f"b{i}", K.BOOLEAN) for i in range(10)], -7156088540911368025),
]


@pytest.mark.parametrize(
    ("type_name", "fields", "expected"), FINGERPRINTS, ids=[f"{name}/{len(fields)}" for name, fields, _ in FINGERPRINTS]
)
def test_schema_id_is_the_official_fingerprint(
    type_name: str, fields: list[tuple[str, FieldKind]], expected: int
) -> None:
    schema = Schema(type_name, [FieldDescriptor(name, kind) for name, kind in fields])
    assert schema.schema_id == expected


def test_schema_id_does_not_depend_on_declaration_order() -> None:
    forward = Schema("T", [FieldDescriptor("a", K.INT32), FieldDescriptor("b", K.STRING)])
    backward = Schema("T", [FieldDescriptor("b", K.STRING), FieldDescriptor("a", K.INT32)])
    assert forward.schema_id == backward.schema_id
    assert forward == backward
    int_field = [FieldDescriptor("a", K.INT32)]
    assert Schema("T", [FieldDescriptor("a", K.INT64)]).schema_id != Schema("T", int_field).schema_id
    assert Schema("U", int_field).schema_id != Schema("T", int_field).schema_id


def test_layout_orders_fixed_fields_by_size_then_name_and_packs_booleans() -> None:
    schema = Schema(
        "Layout",
        [
            FieldDescriptor("z8", K.INT8),
            FieldDescriptor("a64", K.INT64),
            FieldDescriptor("b32", K.INT32),
            FieldDescriptor("a32", K.FLOAT32),
            FieldDescriptor("s", K.STRING),
            *(FieldDescriptor(f"bool{i}", K.BOOLEAN) for i in range(9)),
            FieldDescriptor("n", K.NULLABLE_INT32),
            FieldDescriptor("c16", K.INT16),
        ],
    )
    offsets = {name: layout.offset for name, layout in schema.layouts.items() if layout.offset >= 0}
    assert offsets["a64"] == 0
    assert (offsets["a32"], offsets["b32"]) == (8, 12)  # equal sizes keep name order
    assert offsets["c16"] == 16
    assert offsets["z8"] == 18
    assert [(schema.layouts[f"bool{i}"].offset, schema.layouts[f"bool{i}"].bit) for i in (0, 7, 8)] == [
        (19, 0),
        (19, 7),
        (20, 0),
    ]
    assert schema.fixed_size == 21
    assert (schema.layouts["n"].index, schema.layouts["s"].index) == (0, 1)
    assert schema.var_count == 2
    assert [f.name for f in schema.fields][:3] == ["a32", "a64", "b32"]


def test_fields_are_ordered_as_java_orders_strings() -> None:
    # Java compares UTF-16 code units: a supplementary character (a surrogate pair, 0xD83D...) sorts before
    # U+FF21, although its code point is larger.
    schema = Schema("Order", [FieldDescriptor("\uff21", K.INT32), FieldDescriptor("\U0001f600", K.INT32)])
    assert [f.name for f in schema.fields] == ["\U0001f600", "\uff21"]


def test_invalid_schemas_are_rejected() -> None:
    with pytest.raises(ValueError, match="more than one field named a"):
        Schema("Dup", [FieldDescriptor("a", K.INT32), FieldDescriptor("a", K.STRING)])
    with pytest.raises(ValueError, match="PORTABLE"):
        Schema("P", [FieldDescriptor("p", K.PORTABLE)])
    with pytest.raises(ValueError):
        FieldDescriptor("x", 999)


def test_schemas_travel_in_protocol_messages_as_schema_objects() -> None:
    schema = Schema("com.example.Person", [FieldDescriptor("name", K.STRING), FieldDescriptor("age", K.INT32)])
    send_schema = method("Client.sendSchema")
    (request,) = MessageReader().feed(bytes(send_schema.encode_request(schema)))
    decoded = send_schema.decode_request(request)
    assert isinstance(decoded, Schema)
    assert decoded == schema and decoded.schema_id == schema.schema_id

    fetch = method("Client.fetchSchema")
    (response,) = MessageReader().feed(bytes(fetch.encode_response(schema)))
    assert fetch.decode_response(response) == schema
    (empty,) = MessageReader().feed(bytes(fetch.encode_response(None)))
    assert fetch.decode_response(empty) is None

    send_all = method("Client.sendAllSchemas")
    other = Schema("Other", [])
    (request,) = MessageReader().feed(bytes(send_all.encode_request([schema, other])))
    assert send_all.decode_request(request) == [schema, other]
