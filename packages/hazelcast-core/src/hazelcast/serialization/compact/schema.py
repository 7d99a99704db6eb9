"""Compact schemas: the fields of a type, their layout in the binary form, and the schema id.

A schema names a type and lists its fields (name and kind). Every member and client derives the same layout
from it, so the binary form carries no field names:

* fields are ordered by name (Java ``String`` order, i.e. by UTF-16 code unit);
* fixed-size fields other than booleans come first, largest first (ties keep name order), each at a fixed
  offset of the "fixed section";
* booleans follow as bits, eight to a byte, least significant bit first;
* every other kind (strings, nullable numbers, arrays, nested compacts, ...) is variable-size: the value sits
  after the fixed section and its offset goes into a table at the end, in name order.

The schema id is the 64-bit Rabin fingerprint Java computes (``RabinFingerprint.fingerprint64``) over the type
name, the field count and each field's name and kind. The protocol carries schemas as ``Schema`` and
``FieldDescriptor`` custom types; this module registers these classes with the codecs so that decoded messages
hold them directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from hazelcast.protocol.codec import register_custom_factory
from hazelcast.serialization.field_kind import FieldKind

__all__ = ["FieldDescriptor", "FieldLayout", "Schema", "rabin_fingerprint_64"]

#: Size in bytes of the fixed-size kinds (booleans take one bit and are laid out apart).
FIXED_SIZES: dict[int, int] = {
    FieldKind.BOOLEAN: 0,
    FieldKind.INT8: 1,
    FieldKind.INT16: 2,
    FieldKind.INT32: 4,
    FieldKind.INT64: 8,
    FieldKind.FLOAT32: 4,
    FieldKind.FLOAT64: 8,
}

#: Kinds a Compact schema may hold (CHAR and PORTABLE kinds exist only for Portable records).
COMPACT_KINDS = frozenset(FieldKind) - {
    FieldKind.NOT_AVAILABLE,
    FieldKind.CHAR,
    FieldKind.ARRAY_OF_CHAR,
    FieldKind.PORTABLE,
    FieldKind.ARRAY_OF_PORTABLE,
}


class FieldDescriptor:
    """One field of a schema: its name and kind."""

    __slots__ = ("name", "kind")

    def __init__(self, name: str, kind: FieldKind | int) -> None:
        self.name = name
        self.kind = FieldKind(kind)

    @property
    def field_name(self) -> str:
        """The protocol's name for ``name`` (the ``FieldDescriptor`` custom type's parameter)."""
        return self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldDescriptor) and self.name == other.name and self.kind == other.kind

    def __hash__(self) -> int:
        return hash((self.name, self.kind))

    def __repr__(self) -> str:
        return f"FieldDescriptor({self.name!r}, FieldKind.{self.kind.name})"


class FieldLayout(NamedTuple):
    """Where a field's value is found in the binary form."""

    kind: FieldKind
    offset: int
    """Byte offset in the fixed section (fixed-size kinds and booleans), -1 for variable-size kinds."""
    bit: int
    """Bit of the byte at ``offset`` (booleans), -1 otherwise."""
    # The field hides tuple.index, which nothing calls on a layout; mypy flags any field of that name.
    index: int  # type: ignore[assignment]
    """Index in the offset table (variable-size kinds), -1 otherwise."""


def _java_order(name: str) -> bytes:
    # Java compares strings by UTF-16 code unit; big-endian UTF-16 bytes compare the same way.
    return name.encode("utf-16-be", "surrogatepass")


class Schema:
    """The fields of a compact type and their layout; ``schema_id`` identifies it across the cluster.

    Raises:
        ValueError: two fields share a name, or a field has a kind Compact does not have.
    """

    __slots__ = (
        "type_name",
        "fields",
        "schema_id",
        "layouts",
        "fixed_size",
        "var_count",
        "fixed_zeros",
    )

    def __init__(self, type_name: str, fields: Iterable[FieldDescriptor]) -> None:
        ordered = sorted(fields, key=lambda f: _java_order(f.name))
        names = [f.name for f in ordered]
        if len(set(names)) != len(names):
            duplicates = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"schema {type_name!r} has more than one field named {', '.join(duplicates)}")
        for f in ordered:
            if f.kind not in COMPACT_KINDS:
                raise ValueError(f"field {f.name!r}: Compact has no {f.kind.name} kind")
        self.type_name = type_name
        #: The fields ordered by name, as the binary form and the fingerprint order them.
        self.fields: tuple[FieldDescriptor, ...] = tuple(ordered)

        fixed = sorted((f for f in ordered if FIXED_SIZES.get(f.kind, 0) > 0), key=lambda f: -FIXED_SIZES[f.kind])
        layouts: dict[str, FieldLayout] = {}
        offset = 0
        for f in fixed:
            layouts[f.name] = FieldLayout(f.kind, offset, -1, -1)
            offset += FIXED_SIZES[f.kind]
        bit = 0
        for f in ordered:
            if f.kind == FieldKind.BOOLEAN:
                layouts[f.name] = FieldLayout(f.kind, offset + bit // 8, bit % 8, -1)
                bit += 1
        offset += (bit + 7) // 8
        index = 0
        for f in ordered:
            if f.kind not in FIXED_SIZES:
                layouts[f.name] = FieldLayout(f.kind, -1, -1, index)
                index += 1
        #: Field name -> layout, in name order.
        self.layouts: dict[str, FieldLayout] = {name: layouts[name] for name in names}
        #: Size of the fixed section in bytes.
        self.fixed_size = offset
        #: Number of variable-size fields (entries of the offset table).
        self.var_count = index
        #: A zeroed fixed section, the starting point of every value written with this schema.
        self.fixed_zeros = bytes(offset)
        self.schema_id = rabin_fingerprint_64(self)

    def get_field(self, name: str) -> FieldDescriptor | None:
        layout = self.layouts.get(name)
        return None if layout is None else FieldDescriptor(name, layout.kind)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Schema)
            and self.schema_id == other.schema_id
            and self.type_name == other.type_name
            and self.fields == other.fields
        )

    def __hash__(self) -> int:
        return hash(self.schema_id)

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}: {f.kind.name}" for f in self.fields)
        return f"Schema({self.type_name!r}, id={self.schema_id}, fields=[{fields}])"


# -- the fingerprint ----------------------------------------------------------------------------------------------

_MASK64 = (1 << 64) - 1
_EMPTY = 0xC15D213AA4D7A795
"""Fingerprint of the empty input (Java's ``RabinFingerprint.INIT``, -4513414715797952619 as a signed long)."""


def _build_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        fp = byte
        for _ in range(8):
            fp = (fp >> 1) ^ (_EMPTY if fp & 1 else 0)
        table.append(fp)
    return tuple(table)


_TABLE = _build_table()


def _fold(fp: int, data: bytes) -> int:
    table = _TABLE
    for byte in data:
        fp = (fp >> 8) ^ table[(fp ^ byte) & 0xFF]
    return fp


def _int32_bytes(value: int) -> bytes:
    # The fingerprint takes ints least significant byte first.
    return (value & 0xFFFFFFFF).to_bytes(4, "little")


def rabin_fingerprint_64(schema: Schema) -> int:
    """The schema id: Java's 64-bit Rabin fingerprint of the schema, as a signed int64."""
    name = schema.type_name.encode("utf-8")
    fp = _fold(_EMPTY, _int32_bytes(len(name)) + name + _int32_bytes(len(schema.fields)))
    for f in schema.fields:
        field_name = f.name.encode("utf-8")
        fp = _fold(fp, _int32_bytes(len(field_name)) + field_name + _int32_bytes(f.kind))
    return fp - (1 << 64) if fp >> 63 else fp


# -- protocol custom types ------------------------------------------------------------------------------------------


def _schema_from_protocol(type_name: str, fields: list[FieldDescriptor]) -> Schema:
    return Schema(type_name, fields)


def _field_from_protocol(field_name: str, kind: int) -> Any:
    try:
        return FieldDescriptor(field_name, kind)
    except ValueError:
        # A kind from a newer member: keep the number so that the schema fails with a clear error.
        raise ValueError(f"field {field_name!r} has kind {kind}, which this client does not know") from None


register_custom_factory("Schema", _schema_from_protocol)
register_custom_factory("FieldDescriptor", _field_from_protocol)
