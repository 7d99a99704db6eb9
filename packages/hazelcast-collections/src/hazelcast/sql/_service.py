"""Running statements: the SqlService behind ``client.sql`` and the SqlResult it returns."""

from __future__ import annotations

import asyncio
import random
import uuid
import weakref
from collections import namedtuple
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from hazelcast.errors import HazelcastClientNotActiveError, HazelcastError, TargetDisconnectedError
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.sql._metadata import (
    HazelcastSqlError,
    SqlColumnMetadata,
    SqlColumnType,
    SqlExpectedResultType,
    SqlRow,
    SqlRowMetadata,
    _SqlErrorCode,
)

if TYPE_CHECKING:
    from hazelcast.proxy import ProxyContext

__all__ = ["SqlResult", "SqlService", "close_sql_service"]

_EXECUTE = method("Sql.execute")
_FETCH = method("Sql.fetch")
_CLOSE = method("Sql.close")
_DEFAULT_CURSOR_BUFFER_SIZE = 4096
_TIMEOUT_NOT_SET = -1
_MASK64 = (1 << 64) - 1

#: The protocol's SqlQueryId: the member's UUID and a local one, each as two signed 64-bit halves.
_QueryId = namedtuple("_QueryId", "member_id_high member_id_low local_id_high local_id_low")


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _query_id(member_uuid: uuid.UUID) -> _QueryId:
    member_bits, local_bits = member_uuid.int, uuid.uuid4().int
    return _QueryId(_signed(member_bits >> 64), _signed(member_bits & _MASK64), _signed(local_bits >> 64),
                    _signed(local_bits & _MASK64))


class _QueryState:
    """What a result shares with its finalizer: the query id, its member, and whether the member still has rows.

    Kept apart from the result so that the finalizer does not keep the result alive.
    """

    __slots__ = ("query_id", "member_uuid", "open", "__weakref__")

    def __init__(self, query_id: _QueryId, member_uuid: uuid.UUID, open_: bool) -> None:
        self.query_id = query_id
        self.member_uuid = member_uuid
        self.open = open_


class SqlResult:
    """The result of a statement: a row set to iterate (once) with ``async for``, or an update count.

    Use it as ``async with`` to close it on exit, or call :meth:`close` when the rows are not read to the end.
    """

    def __init__(
        self,
        service: SqlService,
        state: _QueryState,
        cursor_buffer_size: int,
        metadata: SqlRowMetadata | None,
        rows: list[Any],
        is_last: bool,
        update_count: int,
    ) -> None:
        self._service = service
        self._state = state
        self._cursor_buffer_size = cursor_buffer_size
        self._metadata = metadata
        self._update_count = update_count
        self._rows = rows
        self._position = 0
        self._last = is_last
        self._iterator_requested = False
        self._error: HazelcastSqlError | None = None
        if not self._last:
            service._track(self)

    # -- what the statement produced --------------------------------------------------------------------------------

    def is_row_set(self) -> bool:
        """Whether the result has rows (False for an update count)."""
        return self._metadata is not None

    def update_count(self) -> int:
        """Rows changed by the statement, -1 for a row set (0 when the member does not count)."""
        return self._update_count

    def get_row_metadata(self) -> SqlRowMetadata:
        """The columns of the rows; ValueError for a result that is an update count."""
        if self._metadata is None:
            raise ValueError("This result contains only update count")
        return self._metadata

    # -- iteration --------------------------------------------------------------------------------------------------

    def iterator(self) -> AsyncIterator[SqlRow]:
        """The async iterator of the rows; it can be requested only once."""
        if self._metadata is None:
            raise ValueError("This result contains only update count")
        if self._iterator_requested:
            raise ValueError("Iterator can be requested only once")
        self._iterator_requested = True
        return self._iterate()

    def __aiter__(self) -> AsyncIterator[SqlRow]:
        return self.iterator()

    async def _iterate(self) -> AsyncIterator[SqlRow]:
        metadata = self._metadata
        assert metadata is not None
        while True:
            rows = self._rows
            for index in range(self._position, len(rows)):
                self._position = index + 1
                yield SqlRow(metadata, rows[index])
            if self._last:
                return
            await self._fetch_next_page()

    async def _fetch_next_page(self) -> None:
        if self._error is not None:
            raise self._error
        state = self._state
        try:
            is_last, rows = await self._service._fetch(state, self._cursor_buffer_size)
        except HazelcastSqlError as error:
            self._fail(error)
            raise
        if self._error is not None:  # closed while the fetch was in flight
            raise self._error
        self._rows = rows
        self._position = 0
        if is_last:
            self._last = True
            state.open = False

    def _fail(self, error: HazelcastSqlError) -> None:
        # Rows already received stay readable, as with the other clients; the next fetch raises ``error``.
        self._error = error
        self._last = False
        self._state.open = False

    # -- closing ----------------------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Release the query on the member (cancelling it if it still runs); later iteration fails with a
        HazelcastSqlError (code 1003, cancelled by the user). Does nothing for a finished or closed result."""
        state = self._state
        if not state.open:
            return
        self._cancel_locally()
        await self._service._close(state)

    def _cancel_locally(self) -> None:
        self._fail(HazelcastSqlError(
            self._service._client_uuid(), _SqlErrorCode.CANCELLED_BY_USER, "Query was cancelled by the user", None
        ))

    async def __aenter__(self) -> SqlResult:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()


class SqlService:
    """Runs SQL statements on the cluster (``client.sql``)."""

    def __init__(self, context: ProxyContext) -> None:
        self._context = context
        self._invocations = context.invocation_service
        serialization = context.serialization_service
        self._to_data = serialization.to_data
        self._to_object = serialization.to_object
        self._open: weakref.WeakSet[SqlResult] = weakref.WeakSet()
        self._decode_execute = self._execute_decoder()
        self._decode_fetch = self._fetch_decoder()

    async def execute(
        self,
        sql: str,
        *params: Any,
        cursor_buffer_size: int = _DEFAULT_CURSOR_BUFFER_SIZE,
        timeout: float = _TIMEOUT_NOT_SET,
        expected_result_type: int | str = SqlExpectedResultType.ANY,
        schema: str | None = None,
    ) -> SqlResult:
        """Run ``sql`` with the values of its ``?`` placeholders; returns the :class:`SqlResult`.

        ``cursor_buffer_size`` (rows per page, > 0), ``timeout`` (seconds; 0 for none, -1 for the member's
        default), ``expected_result_type`` (:class:`SqlExpectedResultType` or its name), ``schema`` (the schema that
        unqualified names are looked up in first).

        Raises:
            HazelcastSqlError: the statement failed (its code and message are the member's).
            TypeError: an argument of the wrong type.
            ValueError: an empty statement, a negative timeout other than -1, a cursor buffer size below 1.
        """
        if not isinstance(sql, str):
            raise TypeError("sql must be a str")
        if not sql.strip():
            raise ValueError("sql cannot be empty")
        if isinstance(cursor_buffer_size, bool) or not isinstance(cursor_buffer_size, int):
            raise TypeError("cursor_buffer_size must be an int")
        if cursor_buffer_size <= 0:
            raise ValueError("cursor_buffer_size must be positive")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
            raise TypeError("timeout must be a number")
        if timeout < 0 and timeout != _TIMEOUT_NOT_SET:
            raise ValueError("timeout must be non-negative, or -1 for the member's default")
        if schema is not None and not isinstance(schema, str):
            raise TypeError("schema must be a str or None")
        result_type = _expected_result_type(expected_result_type)
        if not self._context.lifecycle_service.running:
            raise HazelcastClientNotActiveError("the client is not running")
        parameters = [self._to_data(param) for param in params]
        member_uuid = self._query_member()
        query_id = _query_id(member_uuid)
        timeout_millis = -1 if timeout == _TIMEOUT_NOT_SET else int(timeout * 1000)
        request = _EXECUTE.encode_request(
            sql, parameters, timeout_millis, cursor_buffer_size, schema, int(result_type), query_id, False
        )
        try:
            response = await self._invocations.call(request, -1, self._decode_execute, False, target_uuid=member_uuid)
        except HazelcastSqlError:
            raise
        except HazelcastError as error:
            raise self._wrap(error, member_uuid) from error
        metadata, page, rows, update_count, failure = response
        if failure is not None:
            raise failure
        is_last = page is None or page.is_last
        state = _QueryState(query_id, member_uuid, not is_last)
        return SqlResult(self, state, cursor_buffer_size, metadata, rows or [], is_last, update_count)

    # -- internals --------------------------------------------------------------------------------------------------

    def _client_uuid(self) -> uuid.UUID | None:
        return getattr(self._context.connection_manager, "client_uuid", None)

    def _query_member(self) -> uuid.UUID:
        connections = self._context.connection_manager.connections
        data_members = [
            member.uuid for member in self._context.cluster_service.get_members()
            if not member.lite_member and member.uuid in connections and connections[member.uuid].live
        ]
        if data_members:
            return random.choice(data_members)
        live = [member_uuid for member_uuid, connection in connections.items() if connection.live]
        if not live:
            raise HazelcastSqlError(self._client_uuid(), _SqlErrorCode.CONNECTION_PROBLEM, "Client is not connected",
                                    None)
        return random.choice(live)

    def _wrap(self, error: BaseException, member_uuid: uuid.UUID | None = None) -> HazelcastSqlError:
        """A failed invocation as an SQL error: CONNECTION_PROBLEM when the query's member cannot be reached."""
        connection = self._context.connection_manager.connections.get(member_uuid) if member_uuid else None
        if member_uuid is not None and (connection is None or not connection.live):
            return HazelcastSqlError(
                self._client_uuid(), _SqlErrorCode.CONNECTION_PROBLEM,
                f"Cluster topology changed while a query was executed: Member cannot be reached: {member_uuid}",
                error,
            )
        code = _SqlErrorCode.GENERIC
        if isinstance(error, (TargetDisconnectedError, HazelcastClientNotActiveError)):
            code = _SqlErrorCode.CONNECTION_PROBLEM
        return HazelcastSqlError(self._client_uuid(), code, str(error), error)

    def _page_rows(self, page: Any) -> list[Any]:
        columns = page.columns
        to_object = self._to_object
        for index, type_id in enumerate(page.column_types):
            if type_id == SqlColumnType.OBJECT:
                columns[index] = [None if value is None else to_object(value) for value in columns[index]]
        if len(columns) == 1:
            return [(value,) for value in columns[0]]
        return list(zip(*columns))

    def _execute_decoder(self) -> Callable[[Message], Any]:
        decode = _EXECUTE.decode_response

        def decode_execute(message: Message) -> Any:
            response = decode(message)
            error = response.error
            if error is not None:
                return None, None, None, -1, _sql_error(error)
            raw_metadata = response.row_metadata
            if raw_metadata is None:
                return None, None, None, response.update_count, None
            metadata = SqlRowMetadata(
                [SqlColumnMetadata(column.name, column.type, column.nullable, column.nullable is not None)
                 for column in raw_metadata]
            )
            page = response.row_page
            # Deserializing here lets the client fetch a Compact schema it does not know and handle the response again.
            return metadata, page, self._page_rows(page), -1, None

        return decode_execute

    def _fetch_decoder(self) -> Callable[[Message], Any]:
        decode = _FETCH.decode_response

        def decode_fetch(message: Message) -> Any:
            response = decode(message)
            if response.error is not None:
                return _sql_error(response.error)
            page = response.row_page
            return page.is_last, self._page_rows(page)

        return decode_fetch

    async def _fetch(self, state: _QueryState, cursor_buffer_size: int) -> tuple[bool, list[Any]]:
        request = _FETCH.encode_request(state.query_id, cursor_buffer_size)
        try:
            response = await self._on_query_member(state, request, self._decode_fetch)
        except HazelcastError as error:
            raise self._wrap(error, state.member_uuid) from error
        if isinstance(response, HazelcastSqlError):
            raise response
        return response  # type: ignore[no-any-return]

    async def _close(self, state: _QueryState) -> None:
        state.open = False
        try:
            await self._on_query_member(state, _CLOSE.encode_request(state.query_id), None)
        except HazelcastError as error:
            raise self._wrap(error, state.member_uuid) from error

    def _on_query_member(self, state: _QueryState, request: bytearray, decoder: Any) -> Any:
        """Send a fetch or close on the connection to the query's member, and only there: never retried (not even
        with ``redo_operation``), since the member's cursor has moved on or is gone."""
        connection = self._context.connection_manager.connections.get(state.member_uuid)
        if connection is None or not connection.live:
            raise self._wrap(TargetDisconnectedError("the query's member is not connected"), state.member_uuid)
        return self._invocations.invoke(request, decoder, connection=connection)

    def _track(self, result: SqlResult) -> None:
        self._open.add(result)
        weakref.finalize(result, _close_abandoned, weakref.ref(self), result._state)

    def _close_abandoned(self, state: _QueryState) -> None:
        if not state.open or not self._context.lifecycle_service.running:
            return
        state.open = False
        loop = self._context.loop
        if loop.is_closed():
            return
        invocations = self._invocations
        request = _CLOSE.encode_request(state.query_id)

        def send() -> None:
            connection = self._context.connection_manager.connections.get(state.member_uuid)
            if self._context.lifecycle_service.running and connection is not None and connection.live:
                invocations.invoke(request, None, connection=connection).add_done_callback(_ignore_outcome)

        loop.call_soon_threadsafe(send)

    async def shutdown(self) -> None:
        """Mark every open result closed (the members drop their queries with the client's connections)."""
        for result in list(self._open):
            if result._state.open:
                result._cancel_locally()


def _close_abandoned(service_ref: weakref.ref[SqlService], state: _QueryState) -> None:
    service = service_ref()
    if service is not None:
        service._close_abandoned(state)


def _ignore_outcome(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _sql_error(error: Any) -> HazelcastSqlError:
    return HazelcastSqlError(error.originating_member_id, error.code, error.message, None,
                             getattr(error, "suggestion", None))


def _expected_result_type(value: int | str) -> SqlExpectedResultType:
    if isinstance(value, str):
        try:
            return SqlExpectedResultType[value.upper()]
        except KeyError:
            raise TypeError(f"expected_result_type must be one of {[m.name for m in SqlExpectedResultType]}") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected_result_type must be an SqlExpectedResultType")
    try:
        return SqlExpectedResultType(value)
    except ValueError:
        raise TypeError(f"expected_result_type must be one of {[int(m) for m in SqlExpectedResultType]}") from None


async def close_sql_service(service: SqlService) -> None:
    """The client's shutdown hook for ``client.sql``."""
    await service.shutdown()
