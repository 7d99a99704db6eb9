"""Running one SQL statement: parsing, parameters, the mapping DDL, SELECT and the DML statements.

A statement either fails as a whole or takes effect as a whole: INSERT, SINK, UPDATE and DELETE compute every
change (and check every key) before writing anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError

from hazelcast.embedded.query import ExtractionContext, OpaqueValue, extraction_context
from hazelcast.embedded.sql import types as t
from hazelcast.embedded.sql.access import index_candidates
from hazelcast.embedded.sql.catalog import (
    CreateMapping,
    DropMapping,
    Mapping,
    ShowMappings,
    catalog_of,
    is_ddl,
    parse_ddl,
    suggest_mapping,
)
from hazelcast.embedded.sql.entries import (
    encode_side,
    entry_exists,
    now_ms,
    remove_entries,
    sample_entry,
    store_entries,
)
from hazelcast.embedded.sql.expressions import Compiler, Parameters
from hazelcast.embedded.sql.select import RowScope, plan_select, rows_of
from hazelcast.embedded.sql.types import ErrorCode, SqlFailure, data_error, parsing_error
from hazelcast.errors import HazelcastError
from hazelcast.serialization.generic_record import GenericRecord

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = ["StatementResult", "run_statement"]

_SINK = re.compile(r"^\s*SINK\s+INTO\b", re.I)


class HazelcastDialect(Dialect):
    """sqlglot's standard dialect with nulls ordered as the largest values (NULLS LAST ascending), as on a member."""

    NULL_ORDERING = "nulls_are_large"


_DIALECT = HazelcastDialect()


@dataclass(slots=True)
class StatementResult:
    """Rows (``columns`` and a row iterator) or an update count."""

    columns: list[tuple[str, int]] | None = None
    rows: Iterator[list[Any]] | None = None
    update_count: int = 0


def run_statement(
    cluster: EmbeddedCluster, member: EmbeddedMember, sql: str, parameter_data: list[bytes | None]
) -> StatementResult:
    context = extraction_context(member)
    values = [_parameter(context, data) for data in parameter_data]
    if is_ddl(sql):
        if values:
            raise data_error(f"Unexpected parameter count: expected 0, got {len(values)}")
        return _run_ddl(cluster, member, parse_ddl(sql))
    sink = _SINK.match(sql) is not None
    text = _SINK.sub("INSERT INTO", sql, count=1) if sink else sql
    try:
        statements = [s for s in sqlglot.parse(text, dialect=_DIALECT) if s is not None]
    except (ParseError, TokenError) as error:
        raise parsing_error(_parse_message(error)) from None
    if len(statements) != 1:
        raise parsing_error("The statement must contain exactly one SQL statement" if statements else
                            "The statement is empty")
    statement = statements[0]
    placeholders = [node for node in statement.walk(bfs=False) if isinstance(node, exp.Placeholder)]
    if len(placeholders) != len(values):
        raise data_error(f"Unexpected parameter count: expected {len(placeholders)}, got {len(values)}")
    parameters = Parameters(values, {id(node): index for index, node in enumerate(placeholders)})
    if isinstance(statement, exp.Select):
        return _run_select(cluster, member, context, statement, parameters)
    if isinstance(statement, exp.Insert):
        return _run_insert(cluster, member, context, statement, parameters, sink)
    if isinstance(statement, exp.Update):
        return _run_update(cluster, member, context, statement, parameters)
    if isinstance(statement, exp.Delete):
        return _run_delete(cluster, member, context, statement, parameters)
    raise parsing_error(f"Unsupported SQL statement: {statement.key.upper()}")


def _parse_message(error: Exception) -> str:
    errors = getattr(error, "errors", None)
    if errors:
        first = errors[0]
        return (f"Encountered \"{first.get('highlight')}\" at line {first.get('line')}, column {first.get('col')}: "
                f"{first.get('description')}")
    return str(error).splitlines()[0]


def _parameter(context: ExtractionContext, data: bytes | None) -> Any:
    if not data:
        return None
    try:
        value = context.read_value(data)
    except HazelcastError as error:
        raise data_error(f"Cannot deserialize a parameter: {error}") from None
    if isinstance(value, GenericRecord):
        # A record parameter is only ever written whole (an OBJECT column): keep its Data.
        return OpaqueValue(data)
    return value


# -- mappings ---------------------------------------------------------------------------------------------------------


def _run_ddl(cluster: EmbeddedCluster, member: EmbeddedMember, statement: Any) -> StatementResult:
    catalog = catalog_of(member)
    if isinstance(statement, ShowMappings):
        names = sorted(catalog.mappings)
        return StatementResult([("name", t.VARCHAR)], iter([[name] for name in names]))
    if isinstance(statement, DropMapping):
        if statement.name not in catalog.mappings:
            if statement.if_exists:
                return StatementResult()
            raise SqlFailure(ErrorCode.OBJECT_NOT_FOUND, f"Mapping does not exist: {statement.name}")
        for live in cluster.live_members:
            catalog_of(live).mappings.pop(statement.name, None)
        return StatementResult()
    assert isinstance(statement, CreateMapping)
    name = statement.mapping.name
    if name in catalog.mappings and not statement.replace:
        if statement.if_not_exists:
            return StatementResult()
        raise SqlFailure(ErrorCode.GENERIC, f"Mapping already exists: {name}")
    for live in cluster.live_members:
        catalog_of(live).mappings[name] = statement.mapping
    return StatementResult()


def _table(node: exp.Expression | None) -> exp.Table:
    if isinstance(node, exp.Schema):
        node = node.this
    if not isinstance(node, exp.Table):
        raise parsing_error("Only a single mapping can be queried: joins and sub-queries are not supported")
    return node


def _mapping(cluster: EmbeddedCluster, member: EmbeddedMember, context: ExtractionContext,
             table: exp.Table) -> Mapping:
    schema = [part for part in (table.catalog, table.db) if part]
    if schema and schema not in (["public"], ["hazelcast", "public"]):
        raise SqlFailure(ErrorCode.OBJECT_NOT_FOUND,
                         f"Object '{'.'.join(schema + [table.name])}' not found, did you forget to CREATE MAPPING?")
    mapping = catalog_of(member).mappings.get(table.name)
    if mapping is None:
        sample = sample_entry(cluster, table.name, context.read_value)
        raise SqlFailure(
            ErrorCode.OBJECT_NOT_FOUND,
            f"Object '{table.name}' not found, did you forget to CREATE MAPPING?",
            suggest_mapping(table.name, sample),
        )
    return mapping


def _table_names(table: exp.Table) -> set[str]:
    names = {table.name}
    if table.alias:
        names = {table.alias}
    return names


def _run_select(cluster: EmbeddedCluster, member: EmbeddedMember, context: ExtractionContext, node: exp.Select,
                parameters: Parameters) -> StatementResult:
    source = node.args.get("from") or node.args.get("from_")
    if node.args.get("joins"):
        raise parsing_error("Joins are not supported by this member")
    mapping = None
    names: set[str] = set()
    if source is not None:
        table = _table(source.this)
        mapping = _mapping(cluster, member, context, table)
        names = _table_names(table)
    plan = plan_select(cluster, context, node, mapping, names, parameters)
    return StatementResult(plan.columns, plan.rows())


# -- INSERT / SINK -----------------------------------------------------------------------------------------------------


def _run_insert(cluster: EmbeddedCluster, member: EmbeddedMember, context: ExtractionContext, node: exp.Insert,
                parameters: Parameters, sink: bool) -> StatementResult:
    target = node.this
    table = _table(target)
    mapping = _mapping(cluster, member, context, table)
    if isinstance(target, exp.Schema) and target.expressions:
        names = [identifier.name for identifier in target.expressions]
    else:
        names = [column.name for column in mapping.visible_columns]
    columns = []
    for name in names:
        column = mapping.column(name)
        if column is None:
            raise parsing_error(f"Unknown target column '{name}'")
        columns.append(column)
    source = node.expression
    compiler = Compiler(lambda n: None, parameters)
    rows: list[list[Any]] = []
    if isinstance(source, exp.Values):
        for row_node in source.expressions:
            cells = row_node.expressions if isinstance(row_node, exp.Tuple) else [row_node]
            if len(cells) != len(columns):
                raise parsing_error(f"Number of INSERT target columns ({len(columns)}) does not equal number of "
                                    f"source items ({len(cells)})")
            rows.append([_assign(compiler.compile(cell, column.type_id).fn(None), column)
                         for cell, column in zip(cells, columns)])
    elif isinstance(source, exp.Select):
        result = _run_select(cluster, member, context, source, parameters)
        assert result.columns is not None and result.rows is not None
        if len(result.columns) != len(columns):
            raise parsing_error(f"Number of INSERT target columns ({len(columns)}) does not equal number of source "
                                f"items ({len(result.columns)})")
        rows = [[_assign(value, column) for value, column in zip(row, columns)] for row in result.rows]
    else:
        raise parsing_error("INSERT needs VALUES or a SELECT")
    entries = []
    seen: set[bytes] = set()
    for row in rows:
        values = {column.name: value for column, value in zip(columns, row)}
        key = encode_side(cluster, mapping, True, values)
        value = encode_side(cluster, mapping, False, values)
        if not sink and (key in seen or entry_exists(cluster, mapping.map_name, key)):
            raise data_error(f"Duplicate key: {_key_text(values, mapping)}")
        seen.add(key)
        entries.append((key, value))
    store_entries(cluster, mapping.map_name, entries)
    _register_map(cluster, member, mapping.map_name)
    return StatementResult()


def _key_text(values: dict[str, Any], mapping: Mapping) -> str:
    return ", ".join(f"{column.name}={values.get(column.name)!r}" for column in mapping.columns if column.of_key
                     and column.name in values) or "?"


def _assign(value: Any, column: Any) -> Any:
    try:
        return t.convert(value, column.type_id)
    except SqlFailure:
        raise data_error(
            f"Cannot assign a {t.type_name(t.type_of_value(value))} value to column '{column.name}' of type "
            f"{t.type_name(column.type_id)}"
        ) from None


def _register_map(cluster: EmbeddedCluster, member: EmbeddedMember, map_name: str) -> None:
    from hazelcast.embedded.map.service import MAP_SERVICE_NAME

    cluster.create_object(MAP_SERVICE_NAME, map_name, member)


# -- UPDATE / DELETE ---------------------------------------------------------------------------------------------------


def _run_update(cluster: EmbeddedCluster, member: EmbeddedMember, context: ExtractionContext, node: exp.Update,
                parameters: Parameters) -> StatementResult:
    table = _table(node.this)
    mapping = _mapping(cluster, member, context, table)
    scope = RowScope(mapping, _table_names(table))
    compiler = Compiler(scope.resolve, parameters)
    assignments = []
    for assignment in node.expressions:
        if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Column):
            raise parsing_error(f"Invalid assignment: {assignment.sql()}")
        column = mapping.column(assignment.this.name)
        if column is None:
            raise parsing_error(f"Unknown target column '{assignment.this.name}'")
        if column.of_key:
            raise parsing_error(f"Cannot update '{column.name}': it is part of the key")
        compiled = compiler.compile(assignment.expression, column.type_id)
        assignments.append((column, compiled.fn))
    where_node = node.args.get("where")
    where = compiler.predicate(where_node.this) if where_node is not None else None
    candidates = index_candidates(where_node.this, mapping, compiler) if where_node is not None else None
    changes = []
    for ref, row, entry in rows_of(cluster, context, mapping, scope, where, candidates):
        values = {column.name: _assign(fn(row), column) for column, fn in assignments}
        changes.append((ref, encode_side(cluster, mapping, False, values, entry.value)))
    now = now_ms()
    for ref, new_value in changes:
        ref.store.update_value(ref.key, ref.record, new_value, now)
        if ref.store.backup_count:
            key, record = ref.key, ref.record.copy()
            cluster.apply_to_backups(ref.partition_id, ref.store, _state_key(mapping),
                                     lambda backup: backup.set_record(key, record.copy()))
    return StatementResult()


def _state_key(mapping: Mapping) -> tuple[str, str]:
    from hazelcast.embedded.map.service import MAP_SERVICE_NAME

    return (MAP_SERVICE_NAME, mapping.map_name)


def _run_delete(cluster: EmbeddedCluster, member: EmbeddedMember, context: ExtractionContext, node: exp.Delete,
                parameters: Parameters) -> StatementResult:
    table = _table(node.this)
    mapping = _mapping(cluster, member, context, table)
    scope = RowScope(mapping, _table_names(table))
    compiler = Compiler(scope.resolve, parameters)
    where_node = node.args.get("where")
    where = compiler.predicate(where_node.this) if where_node is not None else None
    candidates = index_candidates(where_node.this, mapping, compiler) if where_node is not None else None
    keys = [ref.key for ref, _, _ in rows_of(cluster, context, mapping, scope, where, candidates)]
    remove_entries(cluster, mapping.map_name, keys)
    return StatementResult()
