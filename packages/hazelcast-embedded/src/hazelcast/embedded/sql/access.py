"""Choosing the entries a statement visits: the map's indexes where the WHERE condition allows, else every entry.

The top-level AND terms of a WHERE condition of the form ``column = constant``, ``column IN (constants)``,
``column BETWEEN constant AND constant`` or ``column <op> constant`` (a constant being a literal or a parameter) can be
answered by an index of the map on the column's attribute (``Map.addIndex``). In each partition the first such term
with an index there gives the candidate keys; without one the partition is scanned. An index may return more keys
than match (see :mod:`hazelcast.embedded.query.indexes`), and the whole WHERE condition is still evaluated on every
candidate, so the rows are the same either way; only fewer entries are read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp

from hazelcast.embedded.map.records import RecordStore
from hazelcast.embedded.sql.catalog import Column, Mapping
from hazelcast.embedded.sql.expressions import Compiler
from hazelcast.embedded.sql.types import SqlFailure

__all__ = ["Candidates", "index_candidates"]

#: Per partition store: the keys to visit, or None to visit them all.
Candidates = Callable[[RecordStore], "set[bytes] | None"]

_FLIPPED: dict[type[exp.Expression], type[exp.Expression]] = {
    exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE, exp.EQ: exp.EQ
}


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


def _attribute(column: Column) -> str:
    # Index attributes are normalized without "this." (StoreIndexes also answers for "this.x").
    return column.path


def _is_constant(node: exp.Expression) -> bool:
    return not any(isinstance(found, exp.Column) for found in node.walk())


class _Lookup:
    """One indexable term: how to get candidate keys from the index on ``attribute``."""

    __slots__ = ("attribute", "find")

    def __init__(self, attribute: str, find: Callable[[Any], set[bytes] | None]) -> None:
        self.attribute = attribute
        self.find = find


def _lookup(term: exp.Expression, mapping: Mapping, compiler: Compiler) -> _Lookup | None:
    def column_of(node: exp.Expression) -> Column | None:
        return mapping.column(node.name) if isinstance(node, exp.Column) else None

    def constant(node: exp.Expression, column: Column) -> Any:
        return compiler.compile(node, column.type_id).fn(None)

    kind: type[exp.Expression] = type(term)
    if kind in _FLIPPED:
        left, right = term.this, term.expression
        if column_of(right) is not None and _is_constant(left):
            left, right, kind = right, left, _FLIPPED[kind]
        column = column_of(left)
        if column is None or not _is_constant(right):
            return None
        value = constant(right, column)
        if value is None:
            return None
        if kind is exp.EQ:
            return _Lookup(_attribute(column), lambda index: index.equal_keys(value))
        low = value if kind in (exp.GT, exp.GTE) else None
        high = value if kind in (exp.LT, exp.LTE) else None
        inclusive = kind in (exp.GTE, exp.LTE)
        return _Lookup(_attribute(column), lambda index: index.range_keys(low, inclusive, high, inclusive))
    if isinstance(term, exp.In) and not term.args.get("query"):
        column = column_of(term.this)
        if column is None or not all(_is_constant(option) for option in term.expressions):
            return None
        values = [constant(option, column) for option in term.expressions]

        def union(index: Any) -> set[bytes]:
            keys: set[bytes] = set()
            for value in values:
                if value is not None:
                    keys |= index.equal_keys(value)
            return keys

        return _Lookup(_attribute(column), union)
    if isinstance(term, exp.Between):
        column = column_of(term.this)
        bounds = (term.args["low"], term.args["high"])
        if column is None or not all(_is_constant(bound) for bound in bounds):
            return None
        low, high = (constant(bound, column) for bound in bounds)
        if low is None or high is None:
            return None
        return _Lookup(_attribute(column), lambda index: index.range_keys(low, True, high, True))
    return None


def index_candidates(where: exp.Expression | None, mapping: Mapping, compiler: Compiler) -> Candidates | None:
    """The index access of a WHERE condition, or None when no term of it can use an index."""
    if where is None:
        return None
    lookups = []
    for term in _conjuncts(where):
        try:
            found = _lookup(term, mapping, compiler)
        except SqlFailure:
            # The condition itself reports the fault when it is compiled; an index cannot help such a term.
            found = None
        if found is not None:
            lookups.append(found)
    if not lookups:
        return None

    def candidates(store: RecordStore) -> set[bytes] | None:
        indexes = store.indexes
        if indexes is None:
            return None
        for lookup in lookups:
            index = indexes.for_attribute(lookup.attribute)
            if index is not None:
                keys = lookup.find(index)
                if keys is not None:
                    return keys
        return None

    return candidates
