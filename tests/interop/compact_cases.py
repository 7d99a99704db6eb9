"""Compact values shared by the interoperability tests: type definitions, cases, and serializers for either client.

``PRELUDE`` is source text that both our interpreter and the official client's venv execute: it defines
``make_serializers(types, base)``, which returns one generic serializer per type name in ``TYPES`` (subclassing
``base``, the ``CompactSerializer`` of whichever client runs it) and ``obj(type_name, **values)`` to build values.
Each serializer writes every field with the ``write_<kind>`` method of its kind, in the declared order.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

__all__ = ["CASES", "PRELUDE", "TYPES", "build_value", "make_our_serializers"]

# Field kinds by type name, as FieldKind member names; the declared order is the write order.
TYPES: dict[str, dict[str, str]] = {
    "Point": {"x": "INT32", "y": "INT32"},
    "AllFixed": {
        "b0": "BOOLEAN", "i8": "INT8", "b1": "BOOLEAN", "i16": "INT16", "i32": "INT32", "i64": "INT64",
        "f32": "FLOAT32", "f64": "FLOAT64", "b2": "BOOLEAN", "b3": "BOOLEAN", "b4": "BOOLEAN", "b5": "BOOLEAN",
        "b6": "BOOLEAN", "b7": "BOOLEAN", "b8": "BOOLEAN", "b9": "BOOLEAN",
    },
    "Scalars": {
        "name": "STRING", "nick": "STRING", "nb": "NULLABLE_BOOLEAN", "n8": "NULLABLE_INT8",
        "n16": "NULLABLE_INT16", "n32": "NULLABLE_INT32", "n64": "NULLABLE_INT64", "nf32": "NULLABLE_FLOAT32",
        "nf64": "NULLABLE_FLOAT64", "dec": "DECIMAL", "big": "DECIMAL", "time": "TIME", "date": "DATE",
        "ts": "TIMESTAMP", "tz": "TIMESTAMP_WITH_TIMEZONE", "none_date": "DATE",
    },
    "Arrays": {
        "bools": "ARRAY_OF_BOOLEAN", "i8s": "ARRAY_OF_INT8", "i16s": "ARRAY_OF_INT16", "i32s": "ARRAY_OF_INT32",
        "i64s": "ARRAY_OF_INT64", "f32s": "ARRAY_OF_FLOAT32", "f64s": "ARRAY_OF_FLOAT64",
        "nbools": "ARRAY_OF_NULLABLE_BOOLEAN", "n8s": "ARRAY_OF_NULLABLE_INT8", "n16s": "ARRAY_OF_NULLABLE_INT16",
        "n32s": "ARRAY_OF_NULLABLE_INT32", "n64s": "ARRAY_OF_NULLABLE_INT64", "nf32s": "ARRAY_OF_NULLABLE_FLOAT32",
        "nf64s": "ARRAY_OF_NULLABLE_FLOAT64", "strs": "ARRAY_OF_STRING", "decs": "ARRAY_OF_DECIMAL",
        "times": "ARRAY_OF_TIME", "dates": "ARRAY_OF_DATE", "tss": "ARRAY_OF_TIMESTAMP",
        "tzs": "ARRAY_OF_TIMESTAMP_WITH_TIMEZONE", "empty": "ARRAY_OF_INT32", "missing": "ARRAY_OF_STRING",
    },
    "Address": {"city": "STRING", "zip": "INT32"},
    "Person": {"name": "STRING", "age": "INT32", "home": "COMPACT", "past": "ARRAY_OF_COMPACT", "boss": "COMPACT"},
    "Blob": {"text": "STRING", "items": "ARRAY_OF_STRING", "tail": "INT32"},
    "Edge": {"text": "STRING", "items": "ARRAY_OF_STRING", "tail": "INT32"},
}  # fmt: skip

_TZ_EXPR = "datetime.timezone(datetime.timedelta(hours=5, minutes=30))"
CASES: dict[str, str] = {
    "point": "obj('Point', x=1, y=-1)",
    "all fixed": (
        "obj('AllFixed', b0=True, i8=-128, b1=False, i16=32767, i32=-2**31, i64=2**63-1, f32=1.5, f64=-0.0,"
        " b2=True, b3=True, b4=False, b5=True, b6=False, b7=True, b8=True, b9=False)"
    ),
    "scalars": (
        "obj('Scalars', name='ünïcødé ✓ \U0001f600', nick=None, nb=False, n8=-1, n16=None, n32=70000, n64=None,"
        " nf32=2.5, nf64=None, dec=decimal.Decimal('-1.50'),"
        " big=decimal.Decimal('123456789012345678901234567890.123456789'), time=datetime.time(23, 59, 59, 999999),"
        " date=datetime.date(2024, 2, 29), ts=datetime.datetime(2024, 1, 2, 3, 4, 5, 6),"
        f" tz=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo={_TZ_EXPR}), none_date=None)"
    ),
    "arrays": (
        "obj('Arrays', bools=[i % 3 == 0 for i in range(17)], i8s=[-128, 0, 127], i16s=[1, -1], i32s=[2**31-1],"
        " i64s=[-2**63, 5], f32s=[0.5, -1.0], f64s=[1e-300], nbools=[True, None, False], n8s=[None, 1],"
        " n16s=[2, None], n32s=[None], n64s=[1, None, 3], nf32s=[0.25, None], nf64s=[None, 2.0],"
        " strs=['a', None, '', 'ü'], decs=[decimal.Decimal('2.5'), None], times=[datetime.time(1, 2, 3), None],"
        " dates=[None, datetime.date(2020, 2, 29)], tss=[datetime.datetime(2000, 1, 1)],"
        f" tzs=[datetime.datetime(2000, 1, 1, tzinfo={_TZ_EXPR}), None], empty=[], missing=None)"
    ),
    "nested": (
        "obj('Person', name='Ann', age=42, home=obj('Address', city='Paris', zip=75001),"
        " past=[obj('Address', city='Lyon', zip=69001), None, obj('Address', city='', zip=0)], boss=None)"
    ),
    "uint16 offsets": "obj('Blob', text='x' * 300, items=['é' * 100, None, 'z'], tail=7)",
    "int32 offsets": "obj('Blob', text='x' * 70000, items=['é' * 40000, None, 'z'], tail=7)",
    # Data lengths at the limits of each offset width: int32 tail + int32 length + text = 254, 255, 65534, 65535;
    # and an array whose items take 254 and 255 bytes.
    "254 bytes": "obj('Edge', text='x' * 246, items=None, tail=1)",
    "255 bytes": "obj('Edge', text='x' * 247, items=None, tail=1)",
    "65534 bytes": "obj('Edge', text='x' * 65526, items=None, tail=1)",
    "65535 bytes": "obj('Edge', text='x' * 65527, items=None, tail=1)",
    "254 item bytes": "obj('Edge', text=None, items=['y' * 250], tail=1)",
    "255 item bytes": "obj('Edge', text=None, items=['y' * 251], tail=1)",
}

# Defines obj() and the serializers from TYPES with whichever client's API is importable; shared by both sides.
PRELUDE = r"""
import datetime, decimal


class Obj:
    type_name = ""

    def __init__(self, values):
        self.values = values

    def __eq__(self, other):
        return type(self) is type(other) and self.values == other.values

    def __repr__(self):
        return f"{self.type_name}({self.values!r})"


def make_serializers(types, base):
    classes = {name: type("C_" + name, (Obj,), {"type_name": name}) for name in types}

    class Generic(base):
        def __init__(self, type_name):
            self.type_name = type_name
            self.kinds = types[type_name]

        def read(self, reader):
            values = {f: getattr(reader, "read_" + k.lower())(f) for f, k in self.kinds.items()}
            return classes[self.type_name](values)

        def write(self, writer, obj):
            for f, k in self.kinds.items():
                getattr(writer, "write_" + k.lower())(f, obj.values[f])

        def get_class(self):
            return classes[self.type_name]

        def get_type_name(self):
            return self.type_name

    def obj(type_name, **values):
        return classes[type_name](values)

    return [Generic(name) for name in types], obj
"""



def make_our_serializers() -> tuple[list[Any], Any]:
    """Our serializers for ``TYPES`` and the matching ``obj`` factory."""
    from hazelcast.serialization.compact import CompactSerializer

    namespace: dict[str, Any] = {}
    exec(PRELUDE, namespace)  # the same definitions the official side runs
    serializers, obj = namespace["make_serializers"](TYPES, CompactSerializer)
    return serializers, obj


def build_value(name: str, obj: Any) -> Any:
    """The value of case ``name``, built with ``obj``."""
    return eval(CASES[name], {"obj": obj, "datetime": datetime, "decimal": decimal})
