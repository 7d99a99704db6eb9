"""The member side of the Sql protocol service: Sql.execute, Sql.fetch and Sql.close.

A query's rows leave the member in pages of at most the client's cursor buffer size. The first page travels in the
execute response; while rows remain, the member keeps the query's row generator (its *cursor*) under the query id the
client chose, and each Sql.fetch produces the next page from it, so a large result is produced as it is read.
Sql.close, a failure, the statement's timeout (``timeoutMillis`` > 0: a fetch after it fails with code 1004) or the
client's connection closing drops the cursor. Errors of a statement are answered in the response's SqlError (code,
message, suggestion), never as a protocol error. Sql.mappingDdl gives back a mapping's CREATE MAPPING statement.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import namedtuple
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.embedded.query import OpaqueValue
from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec
from hazelcast.embedded.sql import types as t
from hazelcast.embedded.sql.catalog import catalog_of, seed_joining_member
from hazelcast.embedded.sql.entries import serialize_typed
from hazelcast.embedded.sql.statements import run_statement
from hazelcast.embedded.sql.types import ErrorCode, SqlFailure
from hazelcast.protocol.sql_page import SqlPage

if TYPE_CHECKING:
    from hazelcast.embedded.connection import ClientConnection
    from hazelcast.embedded.member import EmbeddedMember

__all__ = ["SQL_SERVICE"]

_logger = structlog.get_logger("hazelcast.embedded.sql")

_CURSORS = "SqlCursors"
_ANY, _ROWS, _UPDATE_COUNT = 0, 1, 2
_PRODUCES_ROWS = re.compile(r"^\s*(\(\s*)*(SELECT|SHOW|WITH|VALUES)\b", re.I)

SqlColumnMetadata = namedtuple("SqlColumnMetadata", "name type nullable")
SqlError = namedtuple("SqlError", "code message originating_member_id suggestion cause_stack_trace")


class Cursor:
    """The rest of a query's rows, waiting for Sql.fetch; ``deadline`` (monotonic seconds) ends a query with a
    timeout."""

    __slots__ = ("rows", "types", "connection", "pending", "deadline", "timeout_millis")

    def __init__(
        self, rows: Iterator[list[Any]], types: list[int], connection: ClientConnection, timeout_millis: int
    ) -> None:
        self.rows = rows
        self.types = types
        self.connection = connection
        self.pending: list[list[Any]] = []
        self.timeout_millis = timeout_millis
        self.deadline = time.monotonic() + timeout_millis / 1000 if timeout_millis > 0 else None

    def next_page(self, size: int) -> SqlPage:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SqlFailure(ErrorCode.TIMEOUT, f"Query has been cancelled due to a timeout ({self.timeout_millis} ms)")
        size = max(size, 1)
        rows = self.pending + list(itertools.islice(self.rows, size - len(self.pending)))
        # One row of look-ahead tells whether this page is the last.
        self.pending = list(itertools.islice(self.rows, 1)) if len(rows) == size else []
        return _page(rows, self.types, not self.pending)


def _cursors(member: EmbeddedMember) -> dict[tuple[int, ...], Cursor]:
    cursors = member.service_states.get(_CURSORS)
    if cursors is None:
        cursors = member.service_states[_CURSORS] = {}
    return cursors


def _page(rows: list[list[Any]], types: list[int], is_last: bool) -> SqlPage:
    columns = [[row[index] for row in rows] for index in range(len(types))]
    for index, type_id in enumerate(types):
        if type_id == t.OBJECT:
            columns[index] = [_object_data(value) for value in columns[index]]
    return SqlPage(types, columns, is_last)


def _object_data(value: Any) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, OpaqueValue):
        return value.data
    return serialize_typed(value, t.type_of_value(value))


def _error(member: EmbeddedMember, failure: BaseException) -> SqlError:
    if isinstance(failure, SqlFailure):
        return SqlError(failure.code, failure.message, member.uuid, failure.suggestion, None)
    _logger.warning("sql.statement.failed", error=repr(failure))
    return SqlError(ErrorCode.GENERIC, str(failure) or type(failure).__name__, member.uuid, None, None)


def _drop_closed_cursors(cursors: dict[tuple[int, ...], Cursor]) -> None:
    closed = [query_id for query_id, cursor in cursors.items() if cursor.connection.closed]
    for query_id in closed:
        del cursors[query_id]


def sql_execute(request: MemberRequest) -> tuple[Any, ...]:
    params = request.params
    member = request.connection.member
    cursors = _cursors(member)
    _drop_closed_cursors(cursors)
    try:
        produces_rows = _PRODUCES_ROWS.match(params.sql) is not None
        if params.expected_result_type == _ROWS and not produces_rows:
            raise SqlFailure(ErrorCode.GENERIC, "The statement doesn't produce rows")
        if params.expected_result_type == _UPDATE_COUNT and produces_rows:
            raise SqlFailure(ErrorCode.GENERIC, "The statement doesn't produce update count")
        if params.cursor_buffer_size <= 0:
            raise SqlFailure(ErrorCode.GENERIC, "Cursor buffer size must be positive")
        result = run_statement(request.cluster, member, params.sql, list(params.parameters))
        if result.columns is None or result.rows is None:
            return None, None, result.update_count, None, False, -1
        types = [type_id for _, type_id in result.columns]
        cursor = Cursor(result.rows, types, request.connection, params.timeout_millis)
        page = cursor.next_page(params.cursor_buffer_size)
        if not page.is_last:
            cursors[tuple(params.query_id)] = cursor
        metadata = [SqlColumnMetadata(name, type_id, True) for name, type_id in result.columns]
        return metadata, page, -1, None, False, -1
    except Exception as failure:
        return None, None, -1, _error(member, failure), False, -1


def sql_fetch(request: MemberRequest) -> tuple[Any, ...]:
    params = request.params
    member = request.connection.member
    cursors = _cursors(member)
    query_id = tuple(params.query_id)
    cursor = cursors.get(query_id)
    if cursor is None:
        failure = SqlFailure(ErrorCode.GENERIC, "Query cursor not found (the query was closed or has finished)")
        return None, _error(member, failure)
    try:
        page = cursor.next_page(params.cursor_buffer_size)
    except Exception as failure:
        cursors.pop(query_id, None)
        return None, _error(member, failure)
    if page.is_last:
        cursors.pop(query_id, None)
    return page, None


def sql_close(request: MemberRequest) -> None:
    _cursors(request.connection.member).pop(tuple(request.params), None)


def sql_mapping_ddl(request: MemberRequest) -> str | None:
    """Sql.mappingDdl: the CREATE MAPPING statement of a mapping, None when there is none."""
    mapping = catalog_of(request.connection.member).mappings.get(request.params)
    return None if mapping is None else mapping.ddl


def open_cursor_count(member: EmbeddedMember) -> int:
    """How many queries of this member still have rows waiting (for tests and diagnostics)."""
    cursors = _cursors(member)
    _drop_closed_cursors(cursors)
    return len(cursors)


SQL_SERVICE = MemberServiceSpec(
    name="Sql",
    handlers={
        "Sql.execute": sql_execute,
        "Sql.fetch": sql_fetch,
        "Sql.close": sql_close,
        "Sql.mappingDdl": sql_mapping_ddl,
    },
    member_joining=seed_joining_member,
)
