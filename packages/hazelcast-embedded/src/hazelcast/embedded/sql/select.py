"""Planning and running SELECT over one mapping: projection, WHERE, GROUP BY with aggregates, DISTINCT, ORDER BY,
LIMIT/OFFSET.

A plain SELECT (no GROUP BY, aggregate, DISTINCT or ORDER BY) streams: its rows are produced while the client fetches
pages, entry by entry, so a large map is never held as rows. The scan reads only the columns the statement uses.
The WHERE condition is one compiled predicate over those columns; where the map has an index that answers part of it,
the index chooses the entries to visit (:mod:`~hazelcast.embedded.sql.access`), and :func:`rows_of` is the single
place that reads them.
"""

from __future__ import annotations

import decimal
import itertools
import operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from hazelcast.embedded.query import ExtractionContext
from hazelcast.embedded.sql import types as t
from hazelcast.embedded.sql.access import Candidates, index_candidates
from hazelcast.embedded.sql.catalog import Column, Mapping
from hazelcast.embedded.sql.entries import EntryRef, column_reader, scan
from hazelcast.embedded.sql.expressions import Compiler, Expr, Parameters
from hazelcast.embedded.sql.types import data_error, parsing_error

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["RowScope", "SelectPlan", "plan_select", "rows_of"]

_AGGREGATES = (exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max)


class RowScope:
    """Resolves column references of one mapping to positions in the scanned row (only used columns are read)."""

    def __init__(self, mapping: Mapping | None, table_names: set[str]) -> None:
        self.mapping = mapping
        self.table_names = table_names
        self.used: list[Column] = []
        self._positions: dict[str, int] = {}

    def resolve(self, node: exp.Expression) -> Expr | None:
        if not isinstance(node, exp.Column):
            return None
        if node.table and node.table not in self.table_names:
            raise parsing_error(f"Table '{node.table}' not found")
        column = self.mapping.column(node.name) if self.mapping is not None else None
        if column is None:
            raise parsing_error(f"Column '{node.name}' not found in any table")
        return self.column_expr(column)

    def column_expr(self, column: Column) -> Expr:
        position = self._positions.get(column.name)
        if position is None:
            position = self._positions[column.name] = len(self.used)
            self.used.append(column)
        return Expr(operator.itemgetter(position), column.type_id)

    def readers(self) -> list[Callable[[Any], Any]]:
        return [column_reader(column) for column in self.used]


def rows_of(
    cluster: EmbeddedCluster, context: ExtractionContext, mapping: Mapping, scope: RowScope,
    where: Callable[[Any], bool] | None, candidates: Candidates | None = None,
) -> Iterator[tuple[EntryRef, list[Any], Any]]:
    """(entry, row of used columns, queryable entry) for every entry matching ``where``; ``candidates`` (from
    :func:`~hazelcast.embedded.sql.access.index_candidates`) lets indexes narrow the entries visited."""
    readers = scope.readers()
    make_entry = context.entry
    for ref in scan(cluster, mapping.map_name, candidates):
        entry = make_entry(ref.key, ref.record.value)
        row = [read(entry) for read in readers]
        if where is None or where(row):
            yield ref, row, entry


class _Aggregate:
    """One aggregate call of a grouped query: how to start, feed and finish its accumulator."""

    def __init__(self, node: exp.Expression, argument: Expr | None, distinct: bool) -> None:
        self.node = node
        self.argument = argument.fn if argument is not None else None
        self.distinct = distinct
        arg_type = argument.type_id if argument is not None else t.BIGINT
        if isinstance(node, exp.Count):
            self.type_id = t.BIGINT
        elif isinstance(node, (exp.Sum, exp.Avg)):
            if not t.is_numeric(arg_type) and arg_type != t.NULL:
                raise parsing_error(
                    f"Cannot apply '{node.key.upper()}' function to [{t.type_name(arg_type)}] (consider adding an "
                    "explicit CAST)"
                )
            if isinstance(node, exp.Sum):
                self.type_id = t.BIGINT if t.is_integer(arg_type) else (t.DOUBLE if arg_type in (t.REAL, t.DOUBLE)
                                                                        else t.DECIMAL)
            else:
                self.type_id = t.DOUBLE if arg_type in (t.REAL, t.DOUBLE) else t.DECIMAL
        else:
            self.type_id = arg_type

    def start(self) -> list[Any]:
        # [count, value, distinct values seen]
        return [0, None, set() if self.distinct else None]

    def add(self, state: list[Any], row: Any) -> None:
        if self.argument is None:
            state[0] += 1
            return
        value = self.argument(row)
        if value is None:
            return
        if state[2] is not None:
            if value in state[2]:
                return
            state[2].add(value)
        state[0] += 1
        current = state[1]
        node = self.node
        if isinstance(node, (exp.Sum, exp.Avg)):
            state[1] = value if current is None else current + value
        elif isinstance(node, exp.Min):
            if current is None or value < current:
                state[1] = value
        elif isinstance(node, exp.Max):
            if current is None or value > current:
                state[1] = value

    def finish(self, state: list[Any]) -> Any:
        count, value, _ = state
        node = self.node
        if isinstance(node, exp.Count):
            return count
        if value is None:
            return None
        if isinstance(node, exp.Avg):
            if self.type_id == t.DOUBLE:
                return float(value) / count
            return decimal.Decimal(value) / decimal.Decimal(count)
        return t.convert(value, self.type_id)


class _GroupScope:
    """After GROUP BY: expressions see the group's keys and aggregate results (``[*keys, *aggregates]``)."""

    def __init__(self, row_compiler: Compiler, group_nodes: list[exp.Expression], group_exprs: list[Expr]) -> None:
        self.row_compiler = row_compiler
        self.group_nodes = group_nodes
        self.group_exprs = group_exprs
        self.aggregates: list[_Aggregate] = []
        self.aggregate_positions: list[int] = []

    def resolve(self, node: exp.Expression) -> Expr | None:
        for index, group_node in enumerate(self.group_nodes):
            if node == group_node:
                return Expr(operator.itemgetter(index), self.group_exprs[index].type_id)
        if isinstance(node, _AGGREGATES):
            argument_node = node.this
            distinct = False
            if isinstance(argument_node, exp.Distinct):
                distinct = True
                argument_node = argument_node.expressions[0]
            if isinstance(argument_node, exp.Star) or argument_node is None:
                if not isinstance(node, exp.Count):
                    raise parsing_error(f"'*' is only allowed in COUNT(*): {node.sql()}")
                argument = None
            else:
                argument = self.row_compiler.compile(argument_node)
            aggregate = _Aggregate(node, argument, distinct)
            position = len(self.group_nodes) + len(self.aggregates)
            self.aggregates.append(aggregate)
            return Expr(operator.itemgetter(position), aggregate.type_id)
        if isinstance(node, exp.Column):
            raise parsing_error(f"Expression '{node.sql()}' is not being grouped")
        return None


class SelectPlan:
    """A compiled SELECT: its output columns and a generator of its rows."""

    def __init__(self, columns: list[tuple[str, int]], rows: Callable[[], Iterator[list[Any]]]) -> None:
        self.columns = columns
        self.rows = rows


def _has_aggregate(node: exp.Expression) -> bool:
    return any(isinstance(found, _AGGREGATES) for found in node.walk())


def _projection_name(node: exp.Expression, index: int) -> str:
    if isinstance(node, exp.Alias):
        return node.alias
    if isinstance(node, exp.Column):
        return node.name
    return f"EXPR${index}"


def _count(compiler: Compiler, node: exp.Expression | None, what: str) -> int | None:
    if node is None:
        return None
    value = compiler.compile(node, t.BIGINT).fn(None)
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise data_error(f"{what} must be an integer, got {value!r}")
    if value < 0:
        raise data_error(f"{what} value cannot be negative: {value}")
    return value


def plan_select(
    cluster: EmbeddedCluster, context: ExtractionContext, node: exp.Select, mapping: Mapping | None,
    table_names: set[str], parameters: Parameters,
) -> SelectPlan:
    scope = RowScope(mapping, table_names)
    row_compiler = Compiler(scope.resolve, parameters)

    # Projections, with * expanded to the mapping's visible columns.
    items: list[tuple[str, exp.Expression | Column]] = []
    for projection in node.expressions:
        if isinstance(projection, exp.Star) or (isinstance(projection, exp.Column) and
                                                isinstance(projection.this, exp.Star)):
            if mapping is None:
                raise parsing_error("SELECT * requires a FROM clause")
            items.extend((column.name, column) for column in mapping.visible_columns)
        else:
            items.append((_projection_name(projection, len(items)), projection))
    where_node = node.args.get("where")
    where = row_compiler.predicate(where_node.this) if where_node is not None else None
    candidates = (
        index_candidates(where_node.this, mapping, row_compiler) if where_node is not None and mapping else None
    )
    group_node = node.args.get("group")
    having_node = node.args.get("having")
    grouped = group_node is not None or having_node is not None or any(
        _has_aggregate(item) for _, item in items if isinstance(item, exp.Expression)
    )

    def unaliased(item: exp.Expression | Column) -> exp.Expression | Column:
        return item.this if isinstance(item, exp.Alias) else item

    if grouped:
        group_nodes = list(group_node.expressions) if group_node is not None else []
        group_exprs = [row_compiler.compile(group) for group in group_nodes]
        group_scope = _GroupScope(row_compiler, group_nodes, group_exprs)
        out_compiler = Compiler(group_scope.resolve, parameters)

        def compile_item(item: exp.Expression | Column) -> Expr:
            if isinstance(item, Column):
                return out_compiler.compile(exp.column(item.name))
            return out_compiler.compile(unaliased(item))  # type: ignore[arg-type]
    else:
        out_compiler = row_compiler

        def compile_item(item: exp.Expression | Column) -> Expr:
            if isinstance(item, Column):
                return scope.column_expr(item)
            return row_compiler.compile(unaliased(item))  # type: ignore[arg-type]

    outputs = [compile_item(item) for _, item in items]
    having = out_compiler.predicate(having_node.this) if having_node is not None else None

    # ORDER BY: select aliases and ordinals name output columns; anything else is computed alongside the outputs.
    sort_spec: list[tuple[Expr, bool, bool]] = []
    extra_exprs: list[Expr] = []
    order_node = node.args.get("order")
    for ordered in (order_node.expressions if order_node is not None else []):
        target = ordered.this
        descending = bool(ordered.args.get("desc"))
        # Statements are parsed with nulls as the largest values (statements.HazelcastDialect), as a member sorts.
        nulls_first = bool(ordered.args.get("nulls_first"))
        key: Expr | None = None
        if isinstance(target, exp.Literal) and not target.is_string:
            position = int(target.this)
            if not 1 <= position <= len(outputs):
                raise parsing_error(f"Ordinal out of range: {position}")
            key = Expr(operator.itemgetter(position - 1), outputs[position - 1].type_id)
        elif isinstance(target, exp.Column) and not target.table:
            for index, (name, _) in enumerate(items):
                if name == target.name:
                    key = Expr(operator.itemgetter(index), outputs[index].type_id)
                    break
        if key is None:
            computed = out_compiler.compile(target)
            key = Expr(operator.itemgetter(len(outputs) + len(extra_exprs)), computed.type_id)
            extra_exprs.append(computed)
        sort_spec.append((key, descending, nulls_first))
    extra_fns = [computed.fn for computed in extra_exprs]

    limit = _count(out_compiler, node.args["limit"].expression if node.args.get("limit") else None, "LIMIT")
    offset_node = node.args.get("offset")
    offset = _count(out_compiler, offset_node.expression if offset_node is not None else None, "OFFSET") or 0
    distinct = node.args.get("distinct") is not None
    output_fns = [output.fn for output in outputs]
    width = len(output_fns)
    columns = [(name, output.type_id) for (name, _), output in zip(items, outputs)]

    def produced() -> Iterator[list[Any]]:
        if mapping is None:
            source: Iterator[Any] = iter([[]])
        else:
            source = (row for _, row, _ in rows_of(cluster, context, mapping, scope, where, candidates))
        if mapping is None and where is not None:
            source = (row for row in source if where(row))
        if grouped:
            source = _grouped(source, group_scope, having)
        all_fns = output_fns + extra_fns
        out: Iterator[list[Any]] = ([fn(row) for fn in all_fns] for row in source)
        if distinct:
            out = _distinct(out, width)
        if sort_spec:
            rows = list(out)
            for key, descending, nulls_first in reversed(sort_spec):
                getter = key.fn
                present = [row for row in rows if getter(row) is not None]
                missing = [row for row in rows if getter(row) is None]
                present.sort(key=getter, reverse=descending)
                rows = missing + present if nulls_first else present + missing
            out = iter(rows)
        if offset or limit is not None:
            out = itertools.islice(out, offset, None if limit is None else offset + limit)
        if extra_fns:
            out = (row[:width] for row in out)
        return out

    return SelectPlan(columns, produced)


def _grouped(source: Iterator[Any], scope: _GroupScope, having: Callable[[Any], bool] | None) -> Iterator[list[Any]]:
    key_fns = [group.fn for group in scope.group_exprs]
    aggregates = scope.aggregates
    groups: dict[tuple[Any, ...], list[list[Any]]] = {}
    for row in source:
        key = tuple(fn(row) for fn in key_fns)
        states = groups.get(key)
        if states is None:
            states = groups[key] = [aggregate.start() for aggregate in aggregates]
        for aggregate, state in zip(aggregates, states):
            aggregate.add(state, row)
    if not groups and not key_fns:
        groups[()] = [aggregate.start() for aggregate in aggregates]
    for key, states in groups.items():
        group_row = list(key) + [aggregate.finish(state) for aggregate, state in zip(aggregates, states)]
        if having is None or having(group_row):
            yield group_row


def _distinct(rows: Iterator[list[Any]], width: int) -> Iterator[list[Any]]:
    seen: set[Any] = set()
    for row in rows:
        try:
            marker: Any = tuple(row[:width])
            hash(marker)
        except TypeError:
            marker = repr(row[:width])
        if marker not in seen:
            seen.add(marker)
            yield row
