"""Aggregators: computations the cluster runs over map entries (``Map.aggregate(aggregator, predicate)``).

Each member aggregates the entries it owns and the results are combined, so only the result travels to the client.
An aggregator reads one attribute of every entry (``None``: the value itself), with the attribute paths of
:mod:`hazelcast.predicate`; a path with ``[any]`` contributes every item it reaches. Result types are Java's:
sums of ints are ints, averages are floats, ``count`` counts entries (with an attribute, every value read, nulls
included), ``distinct`` gives a set, ``max_by``/``min_by`` the whole entry (a :class:`~hazelcast.core.MapEntry`)
with the greatest or least attribute. The numeric aggregators skip null attribute values.

Every aggregator is an ``IdentifiedDataSerializable`` object with the factory id (-29), class ids and fields a Java
member reads.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from hazelcast.core import MapEntry
from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = [
    "Aggregator",
    "count",
    "distinct",
    "double_avg",
    "double_sum",
    "fixed_point_sum",
    "floating_point_sum",
    "int_avg",
    "int_sum",
    "long_avg",
    "long_sum",
    "max_",
    "max_by",
    "min_",
    "min_by",
    "number_avg",
]

AGGREGATOR_FACTORY_ID = -29

AggregatorResultType = TypeVar("AggregatorResultType")


class Aggregator(IdentifiedDataSerializable, Generic[AggregatorResultType]):
    """A computation over map entries; build one with the functions of :mod:`hazelcast.aggregator`."""

    _CLASS_ID = -1
    # What follows the attribute path in Java's serialized form: the aggregator's initial state.
    _STATE: tuple[str, ...] = ()

    def __init__(self, attribute_path: str | None = None) -> None:
        if attribute_path is not None and not isinstance(attribute_path, str):
            raise TypeError(f"attribute_path must be a str or None, not {type(attribute_path).__name__}")
        self.attribute_path = attribute_path

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.attribute_path)
        for kind in self._STATE:
            if kind == "long":
                object_data_output.write_long(0)
            elif kind == "int":
                object_data_output.write_int(0)
            elif kind == "double":
                object_data_output.write_double(0.0)
            else:
                object_data_output.write_object(None)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        raise NotImplementedError("aggregators are written by clients and read by members")

    def get_factory_id(self) -> int:
        return AGGREGATOR_FACTORY_ID

    def get_class_id(self) -> int:
        return self._CLASS_ID

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.attribute_path == other.attribute_path

    def __hash__(self) -> int:
        return hash((type(self), self.attribute_path))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(attribute_path={self.attribute_path!r})"


def _aggregator(name: str, class_id: int, state: tuple[str, ...]) -> type[Aggregator[Any]]:
    return type(name, (Aggregator,), {"_CLASS_ID": class_id, "_STATE": state, "__module__": __name__})


_Count = _aggregator("CountAggregator", 4, ("long",))
_Distinct = _aggregator("DistinctValuesAggregator", 5, ("int",))
_DoubleAverage = _aggregator("DoubleAverageAggregator", 6, ("double", "long"))
_DoubleSum = _aggregator("DoubleSumAggregator", 7, ("double",))
_FixedPointSum = _aggregator("FixedPointSumAggregator", 8, ("long",))
_FloatingPointSum = _aggregator("FloatingPointSumAggregator", 9, ("double",))
_IntegerAverage = _aggregator("IntegerAverageAggregator", 10, ("long", "long"))
_IntegerSum = _aggregator("IntegerSumAggregator", 11, ("long",))
_LongAverage = _aggregator("LongAverageAggregator", 12, ("long", "long"))
_LongSum = _aggregator("LongSumAggregator", 13, ("long",))
_Max = _aggregator("MaxAggregator", 14, ("object",))
_Min = _aggregator("MinAggregator", 15, ("object",))
_NumberAverage = _aggregator("NumberAverageAggregator", 16, ("double", "long"))
_MaxBy = _aggregator("MaxByAggregator", 17, ("object", "object"))
_MinBy = _aggregator("MinByAggregator", 18, ("object", "object"))


def count(attribute_path: str | None = None) -> Aggregator[int]:
    """Number of entries (or of values read from ``attribute_path``)."""
    return _Count(attribute_path)


def distinct(attribute_path: str | None = None) -> Aggregator[set[Any]]:
    """The set of distinct values (of ``attribute_path``)."""
    return _Distinct(attribute_path)


def double_avg(attribute_path: str | None = None) -> Aggregator[float]:
    """Average of float values, as a float (None when there is none)."""
    return _DoubleAverage(attribute_path)


def double_sum(attribute_path: str | None = None) -> Aggregator[float]:
    """Sum of float values, as a float."""
    return _DoubleSum(attribute_path)


def fixed_point_sum(attribute_path: str | None = None) -> Aggregator[int]:
    """Sum of numbers of any kind, each truncated to an integer, as an int."""
    return _FixedPointSum(attribute_path)


def floating_point_sum(attribute_path: str | None = None) -> Aggregator[float]:
    """Sum of numbers of any kind, as a float."""
    return _FloatingPointSum(attribute_path)


def int_avg(attribute_path: str | None = None) -> Aggregator[float]:
    """Average of int values, as a float (None when there is none)."""
    return _IntegerAverage(attribute_path)


def int_sum(attribute_path: str | None = None) -> Aggregator[int]:
    """Sum of int values, as an int."""
    return _IntegerSum(attribute_path)


def long_avg(attribute_path: str | None = None) -> Aggregator[float]:
    """Average of long values, as a float (None when there is none)."""
    return _LongAverage(attribute_path)


def long_sum(attribute_path: str | None = None) -> Aggregator[int]:
    """Sum of long values, as an int."""
    return _LongSum(attribute_path)


def max_(attribute_path: str | None = None) -> Aggregator[Any]:
    """The greatest value (None when there is none)."""
    return _Max(attribute_path)


def min_(attribute_path: str | None = None) -> Aggregator[Any]:
    """The least value (None when there is none)."""
    return _Min(attribute_path)


def number_avg(attribute_path: str | None = None) -> Aggregator[float]:
    """Average of numbers of any kind, as a float (None when there is none)."""
    return _NumberAverage(attribute_path)


def _required_path(attribute_path: Any) -> str:
    if attribute_path is None:
        raise ValueError("attribute_path must not be None")
    return attribute_path  # type: ignore[no-any-return]


def max_by(attribute_path: str) -> Aggregator[MapEntry[Any, Any]]:
    """The entry whose ``attribute_path`` is the greatest, as a :class:`~hazelcast.core.MapEntry` (None if none)."""
    return _MaxBy(_required_path(attribute_path))


def min_by(attribute_path: str) -> Aggregator[MapEntry[Any, Any]]:
    """The entry whose ``attribute_path`` is the least, as a :class:`~hazelcast.core.MapEntry` (None if none)."""
    return _MinBy(_required_path(attribute_path))
