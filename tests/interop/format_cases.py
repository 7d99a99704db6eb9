"""Values of every non-Compact format, built the same way by our client and by the official one.

Imports nothing from ``hazelcast``: :func:`build_cases` takes the ``Portable`` and ``IdentifiedDataSerializable``
bases and the ``HazelcastJsonValue`` class of whichever client calls it, so both sides build equal values.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from portable_classes import class_definitions, define

__all__ = ["IDS_FACTORY_ID", "build_cases"]

IDS_FACTORY_ID = 9


def build_cases(
    portable_base: type, ids_base: type, json_value: type, class_definition_builder: type
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(values by case name, the config options both clients need to write and read them)."""

    class Point(ids_base):  # type: ignore[misc, valid-type]
        def __init__(self, x: int = 0, y: int = 0, label: str = "") -> None:
            self.x, self.y, self.label = x, y, label

        def write_data(self, out: Any) -> None:
            out.write_int(self.x)
            out.write_int(self.y)
            out.write_string(self.label)

        def read_data(self, inp: Any) -> None:
            self.x, self.y, self.label = inp.read_int(), inp.read_int(), inp.read_string()

        def get_factory_id(self) -> int:
            return IDS_FACTORY_ID

        def get_class_id(self) -> int:
            return 1

        def __eq__(self, other: object) -> bool:
            return type(other).__name__ == "Point" and vars(self) == vars(other)

    model = define(portable_base)
    cases: dict[str, Any] = {f"portable {name}": value for name, value in model.cases().items()}
    cases.update({
        "json object": json_value('{"name": "Ann", "tags": ["a", "b"], "n": {"deep": 1.5}}'),
        "json array": json_value("[1, 2, null]"),
        "json unicode": json_value('"\\u00e9t\\u00e9 \\u2603"'),
        "ids": Point(3, -4, "here"),
        "ids unicode": Point(0, 2**31 - 1, "\u6771\u4eac"),
        "string": "h\u00e9llo \U0001f600",
        "int": -(2**31),
        "float": 2.5e-300,
        "bool": True,
        "list": [1, "two", 3.5, None, [True]],
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "date": datetime.date(2024, 2, 29),
        "decimal": decimal.Decimal("-1234.5678"),
        "byte array": bytearray(b"\x00\x01\xfe\xff"),
    })
    options = {
        "portable_factories": model.factories(),
        # A null nested Portable can only be written when the enclosing class's definition is known up front.
        "class_definitions": class_definitions(class_definition_builder),
        "data_serializable_factories": {IDS_FACTORY_ID: {1: Point}},
    }
    return cases, options
