"""Aggregators (factory id -29) and projections (factory id -30) as clients send them, run by the member.

Both are registered as server classes of the embedded member, so ``cluster.to_object(data)`` gives an object ready
to run. The member API::

    aggregator = cluster.to_object(aggregator_data)
    for entry in entries: aggregator.accumulate(entry)     # entry: QueryableEntry
    result_data(cluster, aggregator.result())

    projection = cluster.to_object(projection_data)
    result_data(cluster, projection.project(entry))

Results follow Java's types: counts and integral sums are ints (written as Java longs), averages floats (None with
no value), ``distinct`` a set, ``max_by``/``min_by`` and the identity projection map entries carrying the stored key
and value as they are. Numeric aggregators skip null values; ``count`` with an attribute counts every value read.
A value that is not a number for a numeric aggregator is an :class:`~hazelcast.errors.IllegalArgumentError`.
Ordering (``max``, ``min``, ``max_by``, ``min_by``) is that of :func:`~hazelcast.embedded.query.compare.sort_key`.
"""

from __future__ import annotations

import abc
import decimal
import struct
import weakref
from typing import TYPE_CHECKING, Any

from hazelcast.config import Config, IntType
from hazelcast.embedded.query.compare import sort_key
from hazelcast.embedded.query.extraction import QueryableEntry
from hazelcast.embedded.query.paths import parse_attribute_path
from hazelcast.embedded.query.values import MultiResult, NonTerminalJsonValue, OpaqueValue
from hazelcast.embedded.spec import ServerClass
from hazelcast.errors import IllegalArgumentError
from hazelcast.serialization import SerializationService
from hazelcast.serialization._runtime_objects import QueryResultSet
from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = [
    "AGGREGATION_SERVER_CLASSES",
    "Aggregation",
    "Projection",
    "StoredEntry",
    "result_data",
]

AGGREGATOR_FACTORY_ID = -29
PROJECTION_FACTORY_ID = -30

# An IdentifiedDataSerializable map entry (factory -4, class 120) as Data, up to its key and value.
_ENTRY_HEADER = struct.pack(">iibii", 0, -2, 1, -4, 120)
_NULL_OBJECT = struct.pack(">i", 0)


class StoredEntry:
    """An entry as stored (serialized key and value); written back to clients as a map entry."""

    __slots__ = ("key_data", "value_data")

    def __init__(self, key_data: bytes, value_data: bytes | None) -> None:
        self.key_data = key_data
        self.value_data = value_data

    def to_data(self) -> bytes:
        value = self.value_data[4:] if self.value_data else _NULL_OBJECT
        return _ENTRY_HEADER + self.key_data[4:] + value


_results_services: weakref.WeakKeyDictionary[Any, SerializationService] = weakref.WeakKeyDictionary()


def result_data(cluster: EmbeddedCluster, value: Any) -> bytes | None:
    """``value`` (a query result) serialized for a client; ints are written as Java longs."""
    if value is None:
        return None
    if isinstance(value, StoredEntry):
        return value.to_data()
    if isinstance(value, OpaqueValue):
        return value.data
    service = _results_services.get(cluster)
    if service is None:
        config = Config()
        config.default_int_type = IntType.LONG
        service = _results_services[cluster] = SerializationService(
            config, extra_factories=cluster.plugins.server_classes
        )
    return service.to_data(value)


def _read_path(object_data_input: ObjectDataInput) -> Any:
    text = object_data_input.read_string()
    return None if text is None else parse_attribute_path(text)


class Aggregation(IdentifiedDataSerializable):
    """A member-side aggregator: reads the attribute of each entry and folds the values into a result."""

    CLASS_ID = -1
    # Java's serialized state after the attribute path, read and ignored (clients send initial states).
    STATE: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.path: Any = None

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.path = _read_path(object_data_input)
        for kind in self.STATE:
            if kind == "long":
                object_data_input.read_long()
            elif kind == "double":
                object_data_input.read_double()
            elif kind == "values":
                for _ in range(object_data_input.read_int()):
                    object_data_input.read_object()
            else:
                object_data_input.read_object()
        self.reset()

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        raise NotImplementedError("the member does not send aggregators")

    def get_factory_id(self) -> int:
        return AGGREGATOR_FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID

    def reset(self) -> None:
        """Start a new aggregation."""

    def accumulate(self, entry: QueryableEntry) -> None:
        if self.path is None:
            self.add(entry, entry.value)
            return
        extracted = entry.attribute(self.path)
        if isinstance(extracted, MultiResult):
            # The None standing for a null or empty array on the way is not a value.
            items = extracted[1:] if extracted.null_or_empty_target else extracted
            for item in items:
                self.add(entry, item)
        else:
            self.add(entry, extracted)

    @abc.abstractmethod
    def add(self, entry: QueryableEntry, value: Any) -> None:
        """Take one extracted value of ``entry`` into the aggregation."""

    @abc.abstractmethod
    def result(self) -> Any:
        """The aggregation's value, in the type Java's aggregator gives."""


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal)):
        raise IllegalArgumentError(f"cannot aggregate {value!r} as a number")
    return value


class _Count(Aggregation):
    CLASS_ID = 4
    STATE = ("long",)

    def reset(self) -> None:
        self.count = 0

    def add(self, entry: QueryableEntry, value: Any) -> None:
        self.count += 1

    def result(self) -> Any:
        return self.count


class _Distinct(Aggregation):
    CLASS_ID = 5
    STATE = ("values",)

    def reset(self) -> None:
        self.values: QueryResultSet = QueryResultSet()

    def add(self, entry: QueryableEntry, value: Any) -> None:
        if not isinstance(value, NonTerminalJsonValue):
            self.values.add(tuple(value) if isinstance(value, list) else value)

    def result(self) -> Any:
        return self.values


class _Sum(Aggregation):
    """Sums; ``integral`` truncates each value (and the result) to an int."""

    STATE = ("long",)
    INTEGRAL = True

    def reset(self) -> None:
        self.total: Any = 0 if self.INTEGRAL else 0.0

    def add(self, entry: QueryableEntry, value: Any) -> None:
        if value is not None:
            self.total += int(_number(value)) if self.INTEGRAL else float(_number(value))

    def result(self) -> Any:
        return self.total


class _Average(Aggregation):
    STATE = ("double", "long")

    def reset(self) -> None:
        self.total: Any = 0
        self.count = 0

    def add(self, entry: QueryableEntry, value: Any) -> None:
        if value is not None:
            self.total += _number(value)
            self.count += 1

    def result(self) -> Any:
        return None if self.count == 0 else float(self.total) / self.count


class _Extreme(Aggregation):
    """Max or min of the values; ``BY`` keeps the entry that has it."""

    STATE: tuple[str, ...] = ("object",)
    GREATEST = True

    def reset(self) -> None:
        self.best: Any = None
        self.best_key: Any = None
        self.best_entry: StoredEntry | None = None

    def add(self, entry: QueryableEntry, value: Any) -> None:
        if value is None or isinstance(value, NonTerminalJsonValue):
            return
        key = sort_key(value)
        if self.best_key is None or (key > self.best_key if self.GREATEST else key < self.best_key):
            self.best, self.best_key = value, key
            self.best_entry = StoredEntry(entry.key_data, entry.value_data)

    def result(self) -> Any:
        return self.best


class _ExtremeBy(_Extreme):
    STATE = ("object", "object")

    def result(self) -> Any:
        return self.best_entry


def _aggregation(name: str, base: type[Aggregation], class_id: int, **attributes: Any) -> type[Aggregation]:
    return type(name, (base,), {"CLASS_ID": class_id, "__module__": __name__, **attributes})


_AGGREGATIONS: tuple[type[Aggregation], ...] = (
    _Count,
    _Distinct,
    _aggregation("DoubleAverage", _Average, 6),
    _aggregation("DoubleSum", _Sum, 7, STATE=("double",), INTEGRAL=False),
    _aggregation("FixedPointSum", _Sum, 8),
    _aggregation("FloatingPointSum", _Sum, 9, STATE=("double",), INTEGRAL=False),
    _aggregation("IntegerAverage", _Average, 10, STATE=("long", "long")),
    _aggregation("IntegerSum", _Sum, 11),
    _aggregation("LongAverage", _Average, 12, STATE=("long", "long")),
    _aggregation("LongSum", _Sum, 13),
    _aggregation("Max", _Extreme, 14),
    _aggregation("Min", _Extreme, 15, GREATEST=False),
    _aggregation("NumberAverage", _Average, 16),
    _aggregation("MaxBy", _ExtremeBy, 17),
    _aggregation("MinBy", _ExtremeBy, 18, GREATEST=False),
)


class Projection(IdentifiedDataSerializable):
    """A member-side projection: ``project(entry)`` gives what the client receives for the entry."""

    CLASS_ID = -1

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        raise NotImplementedError("the member does not send projections")

    def get_factory_id(self) -> int:
        return PROJECTION_FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID

    @abc.abstractmethod
    def project(self, entry: QueryableEntry) -> Any:
        """What the projection makes of ``entry``."""


def _projected(value: Any) -> Any:
    if isinstance(value, MultiResult):
        raise IllegalArgumentError("a projection cannot use an [any] attribute path")
    return None if isinstance(value, NonTerminalJsonValue) else value


class _SingleAttribute(Projection):
    CLASS_ID = 0

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.path = _read_path(object_data_input)
        if self.path is None:
            raise IllegalArgumentError("a projection needs an attribute path")

    def project(self, entry: QueryableEntry) -> Any:
        return _projected(entry.attribute(self.path))


class _MultiAttribute(Projection):
    CLASS_ID = 1

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.paths = [parse_attribute_path(text or "") for text in object_data_input.read_string_array() or ()]
        if not self.paths:
            raise IllegalArgumentError("a projection needs at least one attribute path")

    def project(self, entry: QueryableEntry) -> Any:
        return [_projected(entry.attribute(path)) for path in self.paths]


class _Identity(Projection):
    CLASS_ID = 2

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        """No fields."""

    def project(self, entry: QueryableEntry) -> Any:
        return StoredEntry(entry.key_data, entry.value_data)


#: The built-in aggregators and projections, registered by the embedded member's own plugin.
AGGREGATION_SERVER_CLASSES: tuple[ServerClass, ...] = (
    *(ServerClass(AGGREGATOR_FACTORY_ID, cls.CLASS_ID, cls) for cls in _AGGREGATIONS),
    *(ServerClass(PROJECTION_FACTORY_ID, cls.CLASS_ID, cls) for cls in (_SingleAttribute, _MultiAttribute, _Identity)),
)
