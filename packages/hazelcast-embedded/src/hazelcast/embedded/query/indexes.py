"""Indexes of one map's entries in one partition, kept up to date by every write, and used by predicates.

``Map.addIndex`` defines an index for a map (:class:`IndexDefinition`); every partition store of the map, on owners
and backups alike, then holds a :class:`StoreIndexes` with one :class:`PartitionIndex` per definition. The record
store calls :meth:`StoreIndexes.put` and :meth:`StoreIndexes.remove` on every mutation, so an index always holds the
current values (an expired entry leaves it when the store removes it).

* ``HASH`` and ``BITMAP`` indexes map each attribute value to the keys of the entries that have it: they answer
  equality and ``in`` predicates. (A bitmap index behaves as a hash index here; its options are accepted.)
* ``SORTED`` indexes also keep their distinct values in order, answering ranges (``<``, ``>=``, ``between``...).
* A composite index (several attributes) answers an ``and`` of equalities on all its attributes.

An attribute with an ``[any]`` path puts an entry under each value it reads. An entry whose attribute cannot be read
(a value of another shape, an unknown class) is kept aside as *unindexed*: every lookup returns it too, and the
predicate decides. Lookups convert the predicate's value as comparisons do (``"30"`` finds 30), so a lookup may
return more keys than match, never fewer; the caller evaluates the predicate on the keys it gets.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from typing import Any

from hazelcast.embedded.query.compare import sort_key
from hazelcast.embedded.query.extraction import ExtractionContext
from hazelcast.embedded.query.paths import AttributePath, parse_attribute_path
from hazelcast.embedded.query.values import MultiResult, NonTerminalJsonValue
from hazelcast.errors import HazelcastError

__all__ = ["HASH", "SORTED", "BITMAP", "IndexDefinition", "PartitionIndex", "StoreIndexes"]

SORTED = 0
HASH = 1
BITMAP = 2


@dataclass(frozen=True, slots=True)
class IndexDefinition:
    """An index of a map, as ``Map.addIndex`` defined it (attributes normalized: no ``this.`` prefix)."""

    name: str
    type: int
    attributes: tuple[str, ...]

    @property
    def key(self) -> str:
        """What predicates look the index up by: its attribute (or attributes, comma-separated)."""
        return ",".join(self.attributes)


def _lookup_values(value: Any) -> list[Any]:
    """``value`` and what it may stand for once converted to an attribute's type."""
    values = [value]
    if isinstance(value, str):
        text = value.strip()
        lowered = text.lower()
        if lowered in ("true", "false"):
            values.append(lowered == "true")
        try:
            values.append(int(text))
        except ValueError:
            try:
                values.append(float(text))
            except ValueError:
                pass
    elif isinstance(value, bool):
        values.append("true" if value else "false")
    elif value is not None:
        values.append(str(value))
    return values


class PartitionIndex:
    """One index over the entries of one partition store."""

    __slots__ = ("definition", "paths", "ordered", "by_value", "by_key", "unindexed", "_sorted_values")

    def __init__(self, definition: IndexDefinition) -> None:
        self.definition = definition
        self.paths: tuple[AttributePath, ...] = tuple(parse_attribute_path(a) for a in definition.attributes)
        self.ordered = definition.type == SORTED
        #: attribute value -> keys of the entries with that value.
        self.by_value: dict[Any, set[bytes]] = {}
        #: key -> the values it is indexed under.
        self.by_key: dict[bytes, tuple[Any, ...]] = {}
        self.unindexed: set[bytes] = set()
        # Distinct values in sort_key order, rebuilt on the first range lookup after a new value came in.
        self._sorted_values: tuple[list[tuple[int, Any]], list[Any], bool] | None = None

    def _values_of(self, context: ExtractionContext, key: bytes, value: bytes) -> tuple[Any, ...] | None:
        entry = context.entry(key, value)
        try:
            if len(self.paths) > 1:
                return (tuple(_hashable(entry.attribute(path)) for path in self.paths),)
            result = entry.attribute(self.paths[0])
        except (HazelcastError, ValueError, TypeError):
            return None
        if isinstance(result, MultiResult):
            return tuple({_hashable(item) for item in result})
        return (_hashable(result),)

    def put(self, context: ExtractionContext, key: bytes, value: bytes) -> None:
        self.remove(key)
        values = self._values_of(context, key, value)
        if values is None:
            self.unindexed.add(key)
            return
        self.by_key[key] = values
        by_value = self.by_value
        for item in values:
            keys = by_value.get(item)
            if keys is None:
                by_value[item] = {key}
                self._sorted_values = None
            else:
                keys.add(key)

    def remove(self, key: bytes) -> None:
        values = self.by_key.pop(key, None)
        if values is None:
            self.unindexed.discard(key)
            return
        by_value = self.by_value
        for item in values:
            keys = by_value.get(item)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del by_value[item]
                    self._sorted_values = None

    def clear(self) -> None:
        self.by_value.clear()
        self.by_key.clear()
        self.unindexed.clear()
        self._sorted_values = None

    def equal_keys(self, value: Any) -> set[bytes]:
        """Keys whose attribute may equal ``value``."""
        found = set(self.unindexed)
        by_value = self.by_value
        for candidate in _lookup_values(value):
            try:
                keys = by_value.get(candidate)
            except TypeError:
                continue
            if keys:
                found |= keys
        return found

    def composite_keys(self, values: list[Any]) -> set[bytes]:
        """Keys whose attributes (of a composite index) may equal ``values``, in the index's attribute order."""
        found = set(self.unindexed)
        by_value = self.by_value
        for candidate in itertools.product(*(_lookup_values(value) for value in values)):
            try:
                keys = by_value.get(candidate)
            except TypeError:
                continue
            if keys:
                found |= keys
        return found

    def range_keys(self, low: Any, low_inclusive: bool, high: Any, high_inclusive: bool) -> set[bytes] | None:
        """Keys whose attribute may lie between ``low`` and ``high`` (None: unbounded); None if not a sorted index.

        The bounds are looked up as numbers when they read as numbers, so the text ``"30"`` of an SQL predicate
        bounds a numeric attribute; keys of values of other types are included for the predicate to decide.
        """
        if not self.ordered:
            return None
        if self._sorted_values is None:
            ordered_pairs = sorted(
                ((sort_key(value), value) for value in self.by_value if not isinstance(value, NonTerminalJsonValue)),
                key=lambda item: item[0],
            )
            keys = [pair[0] for pair in ordered_pairs]
            has_strings = bool(keys) and _type_start(keys, 3) < _type_end(keys, 3)
            self._sorted_values = (keys, [pair[1] for pair in ordered_pairs], has_strings)
        keys_only, ordered, has_strings = self._sorted_values
        if not keys_only:
            return set(self.unindexed)
        found = set(self.unindexed)
        by_value = self.by_value
        # Each interpretation of the bounds (as given, as numbers) selects a slice of the ordered values.
        for low_value, high_value in _bound_pairs(low, high, has_strings):
            start = 0
            end = len(ordered)
            if low_value is not None:
                low_key = sort_key(low_value)
                start = (bisect.bisect_left if low_inclusive else bisect.bisect_right)(keys_only, low_key)
                if high_value is None:
                    end = _type_end(keys_only, low_key[0])
            if high_value is not None:
                high_key = sort_key(high_value)
                end = (bisect.bisect_right if high_inclusive else bisect.bisect_left)(keys_only, high_key)
                if low_value is None:
                    start = _type_start(keys_only, high_key[0])
            for value in ordered[start:end]:
                found |= by_value[value]
        return found


def _bound_pairs(low: Any, high: Any, has_strings: bool) -> list[tuple[Any, Any]]:
    pairs = [(low, high)]
    low_number = _as_number(low)
    high_number = _as_number(high)
    if (low_number, high_number) != (low, high):
        pairs.append((low_number, high_number))
    for bound in (low, high) if has_strings else ():
        # A number bounding a string attribute compares as its text.
        if bound is not None and not isinstance(bound, str):
            pairs.append((None if low is None else str(low), None if high is None else str(high)))
            break
    return pairs


def _as_number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            try:
                return float(value.strip())
            except ValueError:
                return value
    return value


def _type_start(keys: list[tuple[int, Any]], rank: int) -> int:
    return bisect.bisect_left(keys, (rank,))


def _type_end(keys: list[tuple[int, Any]], rank: int) -> int:
    return bisect.bisect_left(keys, (rank + 1,))


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class StoreIndexes:
    """The indexes of one partition store; the store reports every mutation here."""

    __slots__ = ("context", "indexes", "_by_attribute")

    def __init__(self, context: ExtractionContext, definitions: tuple[IndexDefinition, ...] = ()) -> None:
        self.context = context
        self.indexes: dict[str, PartitionIndex] = {}
        self._by_attribute: dict[str, PartitionIndex] = {}
        for definition in definitions:
            self.add(definition, {})

    def add(self, definition: IndexDefinition, records: dict[bytes, Any]) -> None:
        """Add an index (if it has no index of that name yet) and fill it from ``records`` (key -> Record)."""
        if definition.name in self.indexes:
            return
        index = PartitionIndex(definition)
        for key, record in records.items():
            index.put(self.context, key, record.value)
        self.indexes[definition.name] = index
        current = self._by_attribute.get(definition.key)
        # For one attribute a sorted index answers more than a hash one.
        if current is None or (index.ordered and not current.ordered):
            self._by_attribute[definition.key] = index
            for prefix in ("this.",):
                self._by_attribute[prefix + definition.key] = index

    def definitions(self) -> tuple[IndexDefinition, ...]:
        return tuple(index.definition for index in self.indexes.values())

    def empty_copy(self) -> StoreIndexes:
        return StoreIndexes(self.context, self.definitions())

    def rebuild(self, records: dict[bytes, Any]) -> None:
        for index in self.indexes.values():
            index.clear()
            for key, record in records.items():
                index.put(self.context, key, record.value)

    def for_attribute(self, attribute: str) -> PartitionIndex | None:
        """The index that answers predicates on ``attribute``, or None."""
        return self._by_attribute.get(attribute)

    def composites(self) -> list[PartitionIndex]:
        """The indexes over several attributes."""
        return [index for index in self.indexes.values() if len(index.paths) > 1]

    # -- mutations, reported by the record store ---------------------------------------------------------------------

    def put(self, key: bytes, value: bytes) -> None:
        context = self.context
        for index in self.indexes.values():
            index.put(context, key, value)

    def remove(self, key: bytes) -> None:
        for index in self.indexes.values():
            index.remove(key)

    def clear(self) -> None:
        for index in self.indexes.values():
            index.clear()
