"""Portable classes and values shared by our tests and the official client's script.

The module imports nothing from ``hazelcast``: ``define(portable_base)`` builds the classes on the ``Portable``
base of whichever client imports it (ours, or the official one in its own venv), so both serialize the very same
classes. Values stay within what the official client can write (its ``write_byte`` takes 0..255 only).
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = ["FACTORY_ID", "PICKLE_EXPRESSIONS", "PortableModel", "class_definitions", "define"]

FACTORY_ID = 7
PERSON_ID, ADDRESS_ID, ALL_TYPES_ID, VERSIONED_ID, WITH_RAW_ID, HOLDER_ID = 1, 2, 3, 4, 5, 6

PICKLE_EXPRESSIONS = [
    "{'a': 1, 'b': [1, 2.5, None, 'x']}",
    "(1, 'two', 3.0, None, True)",
    "{1: (2, 3), 'k': {'n': None}}",
    "complex(1.5, -2)",
    "frozenset({1, 2, 3})",
    "((),)",
]
"""Values without another serializer, pickled identically by both clients (no text beyond ASCII, no hash order)."""


class _Fields:
    """Equality and repr by instance attributes, so that a read-back object compares with the original."""

    def __eq__(self, other: object) -> bool:
        return type(other).__name__ == type(self).__name__ and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({vars(self)!r})"


@dataclass
class PortableModel:
    """The Portable classes built on one client's base, and the factories to register them."""

    address: Any
    person: Any
    all_types: Any
    versioned: Any
    with_raw: Any
    holder: Any

    def factories(self) -> dict[int, dict[int, Any]]:
        classes = (self.person, self.address, self.all_types, self.versioned, self.with_raw, self.holder)
        return {FACTORY_ID: {cls.CLASS_ID: cls for cls in classes}}

    def cases(self) -> dict[str, Any]:
        """The values compared byte for byte, by case id."""
        address = self.address
        tz = datetime.timezone(datetime.timedelta(hours=-3, minutes=-30))
        all_values = {
            "byte": 127, "boolean": True, "char": "\u20ac", "short": -32768, "int": 2**31 - 1, "long": -(2**63),
            "float": 0.25, "double": -1e-300, "string": "h\u00e9llo \U0001f600",
            "decimal": decimal.Decimal("-123456789012345678901234567890.5"), "time": datetime.time(23, 59, 59, 999999),
            "date": datetime.date(2024, 2, 29), "timestamp": datetime.datetime(1999, 12, 31, 23, 59, 59, 1000),
            "timestamp_tz": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=tz),
            "portable": address("Main", 1, 10),
            "bytes": bytearray(b"\x00\x7f\x80\xff"), "booleans": [True, False, True], "chars": ["a", "\u00fc"],
            "shorts": [1, -1], "ints": [0, 2**31 - 1], "longs": [2**40, -1], "floats": [1.5, -0.0],
            "doubles": [2.5], "strings": ["x", None, ""],
            "decimals": [decimal.Decimal("0"), decimal.Decimal("1E+5"), decimal.Decimal("-0.001")],
            "times": [datetime.time(0, 0), datetime.time(12, 30, 1, 5)], "dates": [datetime.date(1, 1, 1)],
            "timestamps": [datetime.datetime(2020, 2, 2, 2, 2, 2)],
            "timestamps_tz": [datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)],
            "portables": [address("A", 1, 1), address("B", 2, 2)],
        }  # fmt: skip
        empty_values = {
            **all_values,
            "string": "", "decimal": None, "time": None, "date": None, "timestamp": None, "timestamp_tz": None,
            "bytes": None, "booleans": [], "chars": None, "shorts": [], "ints": None, "longs": [], "floats": None,
            "doubles": [], "strings": None, "decimals": [], "times": None, "dates": [], "timestamps": None,
            "timestamps_tz": [],
        }  # fmt: skip
        return {
            "address": address("Baker Street", 221, 2),
            "person": self.person("Ann", 37, address("Elm", 5, 99), [address("Oak", 1, 1)]),
            "person with unicode": self.person("\u00c5sa \u6771\u4eac", 0, address("", 0, 0), [address("Q", 1, 1)]),
            "all types": self.all_types(all_values),
            "all types, null and empty values": self.all_types(empty_values),
            "versioned": self.versioned(2**62, "v3"),
            "raw data": self.with_raw(3, [1, 2], "tail"),
            "null nested portable": self.holder(None, []),
            "nested portable": self.holder(address("X", 9, 9), [address("Y", 8, 8)]),
            # Offsets in a Portable count from the start of the whole serialized object, here the list's.
            "list of portables": [
                address("L", 1, 1),
                [self.person("P", 2, address("M", 3, 3), [address("N", 4, 4)])],
                "s",
                5,
            ],
        }


def define(portable_base: type) -> PortableModel:
    """Build the classes on ``portable_base`` (``Portable`` of ours or of the official client)."""

    class Address(portable_base, _Fields):  # type: ignore[misc]
        CLASS_ID = ADDRESS_ID

        def __init__(self, street: str = "", number: int = 0, zip_code: int = 0) -> None:
            self.street = street
            self.number = number
            self.zip_code = zip_code

        def write_portable(self, writer: Any) -> None:
            writer.write_string("street", self.street)
            writer.write_int("number", self.number)
            writer.write_short("zip", self.zip_code)

        def read_portable(self, reader: Any) -> None:
            self.street = reader.read_string("street")
            self.number = reader.read_int("number")
            self.zip_code = reader.read_short("zip")

        def get_factory_id(self) -> int:
            return FACTORY_ID

        def get_class_id(self) -> int:
            return ADDRESS_ID

    class Person(portable_base, _Fields):  # type: ignore[misc]
        CLASS_ID = PERSON_ID

        def __init__(self, name: str = "", age: int = 0, address: Any = None, past: Any = None) -> None:
            self.name = name
            self.age = age
            self.address = address
            self.past = past

        def write_portable(self, writer: Any) -> None:
            writer.write_string("name", self.name)
            writer.write_int("age", self.age)
            writer.write_portable("address", self.address)
            writer.write_portable_array("past", self.past)

        def read_portable(self, reader: Any) -> None:
            self.name = reader.read_string("name")
            self.age = reader.read_int("age")
            self.address = reader.read_portable("address")
            self.past = reader.read_portable_array("past")

        def get_factory_id(self) -> int:
            return FACTORY_ID

        def get_class_id(self) -> int:
            return PERSON_ID

    class AllTypes(portable_base, _Fields):  # type: ignore[misc]
        """One field of every Portable type, in the order of the names below."""

        CLASS_ID = ALL_TYPES_ID
        WRITES: ClassVar[list[tuple[str, str]]] = [
            ("byte", "byte"), ("boolean", "boolean"), ("char", "char"), ("short", "short"), ("int", "int"),
            ("long", "long"), ("float", "float"), ("double", "double"), ("string", "string"),
            ("decimal", "decimal"), ("time", "time"), ("date", "date"), ("timestamp", "timestamp"),
            ("timestamp_tz", "timestamp_with_timezone"), ("portable", "portable"), ("bytes", "byte_array"),
            ("booleans", "boolean_array"), ("chars", "char_array"), ("shorts", "short_array"), ("ints", "int_array"),
            ("longs", "long_array"), ("floats", "float_array"), ("doubles", "double_array"),
            ("strings", "string_array"), ("decimals", "decimal_array"), ("times", "time_array"),
            ("dates", "date_array"), ("timestamps", "timestamp_array"),
            ("timestamps_tz", "timestamp_with_timezone_array"), ("portables", "portable_array"),
        ]  # fmt: skip

        def __init__(self, values: dict[str, Any] | None = None) -> None:
            self.values = dict(values or {})

        def write_portable(self, writer: Any) -> None:
            for name, kind in self.WRITES:
                getattr(writer, f"write_{kind}")(name, self.values[name])

        def read_portable(self, reader: Any) -> None:
            self.values = {name: getattr(reader, f"read_{kind}")(name) for name, kind in self.WRITES}

        def get_factory_id(self) -> int:
            return FACTORY_ID

        def get_class_id(self) -> int:
            return ALL_TYPES_ID

    class Versioned(portable_base, _Fields):  # type: ignore[misc]
        CLASS_ID = VERSIONED_ID

        def __init__(self, key: int = 0, label: str = "") -> None:
            self.key = key
            self.label = label

        def write_portable(self, writer: Any) -> None:
            writer.write_long("key", self.key)
            writer.write_string("label", self.label)

        def read_portable(self, reader: Any) -> None:
            self.key = reader.read_long("key")
            self.label = reader.read_string("label")

        def get_factory_id(self) -> int:
            return FACTORY_ID

        def get_class_id(self) -> int:
            return VERSIONED_ID

        def get_class_version(self) -> int:
            return 3

    class WithRaw(portable_base, _Fields):  # type: ignore[misc]
        CLASS_ID = WITH_RAW_ID

        def __init__(self, count: int = 0, numbers: list[int] | None = None, tail: str = "") -> None:
            self.count = count
            self.numbers = numbers
            self.tail = tail

        def write_portable(self, writer: Any) -> None:
            writer.write_int("count", self.count)
            raw = writer.get_raw_data_output()
            raw.write_int_array(self.numbers)
            raw.write_string(self.tail)

        def read_portable(self, reader: Any) -> None:
            self.count = reader.read_int("count")
            raw = reader.get_raw_data_input()
            self.numbers = raw.read_int_array()
            self.tail = raw.read_string()

        def get_factory_id(self) -> int:
            return FACTORY_ID

        def get_class_id(self) -> int:
            return WITH_RAW_ID

    class Holder(portable_base, _Fields):  # type: ignore[misc]
        """Writes a possibly null Portable and a possibly empty Portable array: needs registered definitions."""

        CLASS_ID = HOLDER_ID

        def __init__(self, inner: Any = None, inners: Any = None) -> None:
            self.inner = inner
            self.inners = inners

        def write_portable(self, writer: Any) -> None:
            writer.write_portable("inner", self.inner)
            writer.write_portable_array("inners", self.inners)

        def read_portable(self, reader: Any) -> None:
            self.inner = reader.read_portable("inner")
            self.inners = reader.read_portable_array("inners")

        def get_factory_id(self) -> int:
            return FACTORY_ID

        def get_class_id(self) -> int:
            return HOLDER_ID

    return PortableModel(Address, Person, AllTypes, Versioned, WithRaw, Holder)


def class_definitions(builder_class: type) -> list[Any]:
    """Definitions of Address and Holder built with ``builder_class`` (``ClassDefinitionBuilder`` of a client)."""
    address = (
        builder_class(FACTORY_ID, ADDRESS_ID).add_string_field("street").add_int_field("number").add_short_field("zip")
    ).build()
    holder = (
        builder_class(FACTORY_ID, HOLDER_ID)
        .add_portable_field("inner", address)
        .add_portable_array_field("inners", address)
        .build()
    )
    return [address, holder]
