"""client.sql without a cluster: the SqlPage layout, row access, argument checks, paging and closing.

A scripted stand-in for the invocation service answers Sql.execute/fetch/close through the real protocol codecs, so
these tests need only hazelcast-core and this distribution.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import gc
import uuid
from collections import namedtuple
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.collections._plugin import hazelcast_client_services
from hazelcast.config import Config
from hazelcast.core import HazelcastJsonValue
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.protocol.sql_page import SqlPage, decode_sql_page, encode_sql_page
from hazelcast.serialization import SerializationService
from hazelcast.sql import (
    HazelcastSqlError,
    SqlColumnMetadata,
    SqlColumnType,
    SqlExpectedResultType,
    SqlRow,
    SqlRowMetadata,
    SqlService,
)

_EXECUTE = method("Sql.execute")
_FETCH = method("Sql.fetch")
_CLOSE = method("Sql.close")
_Column = namedtuple("_Column", "name type nullable")
_Error = namedtuple("_Error", "code message originating_member_id suggestion cause_stack_trace")
MEMBER = uuid.uuid4()
UTC2 = datetime.timezone(datetime.timedelta(hours=2))


def _roundtrip(page: SqlPage) -> SqlPage:
    buf = bytearray()
    encode_sql_page(buf, page)
    # Frames as a decoder sees them: a message is a list of (flags, payload).
    frames = []
    offset = 0
    while offset < len(buf):
        size = int.from_bytes(buf[offset:offset + 4], "little")
        flags = int.from_bytes(buf[offset + 4:offset + 6], "little")
        frames.append((flags, bytes(buf[offset + 6:offset + size])))
        offset += size
    decoded, index = decode_sql_page(frames, 0)
    assert index == len(frames)
    return decoded


COLUMN_SAMPLES = {
    SqlColumnType.VARCHAR: ["a", "ü🚀", ""],
    SqlColumnType.BOOLEAN: [True, False, True],
    SqlColumnType.TINYINT: [-128, 0, 127],
    SqlColumnType.SMALLINT: [-32768, 1, 32767],
    SqlColumnType.INTEGER: [-(2**31), 7, 2**31 - 1],
    SqlColumnType.BIGINT: [-(2**63), 8, 2**63 - 1],
    SqlColumnType.DECIMAL: [decimal.Decimal("1.50"), decimal.Decimal("-12345678901234567890.123"), decimal.Decimal(0)],
    SqlColumnType.REAL: [1.5, -0.25, 0.0],
    SqlColumnType.DOUBLE: [1e300, -2.5, 0.1],
    SqlColumnType.DATE: [datetime.date(2024, 2, 29), datetime.date(1, 1, 1), datetime.date(9999, 12, 31)],
    SqlColumnType.TIME: [datetime.time(12, 34, 56, 789000), datetime.time(0, 0), datetime.time(23, 59, 59)],
    SqlColumnType.TIMESTAMP: [datetime.datetime(2024, 2, 29, 1, 2, 3, 4), datetime.datetime(1970, 1, 1),
                              datetime.datetime(2000, 12, 31, 23, 59)],
    SqlColumnType.TIMESTAMP_WITH_TIME_ZONE: [datetime.datetime(2024, 2, 29, 1, 2, 3, tzinfo=UTC2),
                                             datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
                                             datetime.datetime(1999, 5, 5, 5, 5, tzinfo=UTC2)],
    SqlColumnType.OBJECT: [b"\x00\x00\x00\x00\xff\xff\xff\xf9\x00\x00\x00\x05", b"\x01", b""],
    SqlColumnType.JSON: [HazelcastJsonValue('{"a": 1}'), HazelcastJsonValue("[1, 2]"), HazelcastJsonValue("3")],
}


@pytest.mark.parametrize("column_type", list(COLUMN_SAMPLES), ids=lambda c: c.name)
def test_every_column_type_survives_the_page_layout_with_and_without_nulls(column_type: SqlColumnType) -> None:
    values = COLUMN_SAMPLES[column_type]
    # 19 rows: more than two bitmask runs of 8, with nulls spread over them.
    mixed = [values[i % 3] if i % 4 else None for i in range(19)]
    columns = [values, [None] * 3, mixed]
    page = SqlPage([column_type] * 3, columns, is_last=True)
    decoded = _roundtrip(page)
    assert decoded.is_last is True
    assert decoded.column_types == [column_type] * 3
    expected = [[v.to_string() if isinstance(v, HazelcastJsonValue) else v for v in column] for column in columns]
    got = [[v.to_string() if isinstance(v, HazelcastJsonValue) else v for v in column] for column in decoded.columns]
    assert got == expected


def test_null_columns_and_empty_pages() -> None:
    decoded = _roundtrip(SqlPage([SqlColumnType.NULL, SqlColumnType.INTEGER], [[None, None], [1, None]], False))
    assert decoded.columns == [[None, None], [1, None]]
    assert decoded.is_last is False
    empty = _roundtrip(SqlPage([SqlColumnType.VARCHAR, SqlColumnType.BIGINT], [[], []], True))
    assert empty.columns == [[], []] and empty.row_count == 0


def test_row_access_by_name_and_index() -> None:
    metadata = SqlRowMetadata([SqlColumnMetadata("id", SqlColumnType.INTEGER, False),
                               SqlColumnMetadata("name", SqlColumnType.VARCHAR, True)])
    row = SqlRow(metadata, (1, "ann"))
    assert row.get_object("name") == "ann" and row["name"] == "ann"
    assert row.get_object_with_index(0) == 1 and row[1] == "ann" and row[-1] == "ann"
    assert len(row) == 2
    assert row.metadata is metadata
    assert metadata.find_column("name") == 1
    assert metadata.find_column("NAME") == SqlRowMetadata.COLUMN_NOT_FOUND
    assert metadata.column_count == 2 and metadata.get_column(0).name == "id"
    assert metadata.get_column(0).nullable is False and metadata.get_column(1).type == SqlColumnType.VARCHAR
    assert repr(row) == "[id INTEGER=1, name VARCHAR='ann']"
    with pytest.raises(ValueError, match="Column 'missing' doesn't exist"):
        row.get_object("missing")
    with pytest.raises(IndexError):
        row.get_object_with_index(2)
    with pytest.raises(TypeError):
        row.get_object_with_index("0")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        metadata.find_column(1)  # type: ignore[arg-type]


# -- the service against a scripted member ---------------------------------------------------------------------------


class ScriptedMember:
    """Answers Sql.* requests: execute with ``first``, fetches with the next of ``pages``; records what was sent."""

    def __init__(self, execute_response: tuple[Any, ...], pages: list[SqlPage] | None = None) -> None:
        self.execute_response = execute_response
        self.pages = list(pages or [])
        self.sent: list[tuple[str, Any, Any]] = []

    def invoke(self, request: bytearray, decoder: Any = None, connection: Any = None, **options: Any) -> Any:
        # Fetches and closes are pinned to the query member's connection, never retried.
        assert connection is not None and connection.live and not options.get("retryable")
        return self.call(request, -1, decoder, target_uuid=connection.member_uuid)

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False,
             timeout: float | None = None, target_uuid: Any = None) -> asyncio.Future[Any]:
        (message,) = MessageReader().feed(bytes(request))
        codec = next(c for c in (_EXECUTE, _FETCH, _CLOSE) if c.request_type == message_type(message))
        self.sent.append((codec.spec.name, codec.decode_request(message), target_uuid))
        assert retryable is False
        if codec is _EXECUTE:
            wire = codec.encode_response(*self.execute_response)
        elif codec is _FETCH:
            wire = codec.encode_response(self.pages.pop(0), None)
        else:
            wire = codec.encode_response()
        (response,) = MessageReader().feed(bytes(wire))
        future = asyncio.get_running_loop().create_future()
        future.set_result(decoder(response) if decoder is not None else None)
        return future


def _service(member: ScriptedMember) -> SqlService:
    serialization = SerializationService(Config())
    connection = SimpleNamespace(live=True, member_uuid=MEMBER)
    context = SimpleNamespace(
        invocation_service=member,
        serialization_service=serialization,
        connection_manager=SimpleNamespace(connections={MEMBER: connection}, client_uuid=uuid.uuid4()),
        cluster_service=SimpleNamespace(get_members=lambda: [SimpleNamespace(uuid=MEMBER, lite_member=False)]),
        lifecycle_service=SimpleNamespace(running=True),
        loop=asyncio.get_running_loop(),
    )
    return SqlService(context)  # type: ignore[arg-type]


def _rows_response(page: SqlPage, names: list[str]) -> tuple[Any, ...]:
    metadata = [_Column(name, type_id, True) for name, type_id in zip(names, page.column_types)]
    return metadata, page, -1, None, False, -1


def _int_page(start: int, stop: int, last: bool) -> SqlPage:
    keys = list(range(start, stop))
    return SqlPage([SqlColumnType.INTEGER, SqlColumnType.VARCHAR], [keys, [f"v{k}" for k in keys]], last)


def test_the_plugin_provides_client_sql() -> None:
    (service_type,) = hazelcast_client_services()
    assert service_type.attribute == "sql" and service_type.factory is SqlService
    assert service_type.close is not None


async def test_pages_are_fetched_on_demand_with_the_cursor_buffer_size() -> None:
    member = ScriptedMember(_rows_response(_int_page(0, 3, False), ["k", "v"]),
                            [_int_page(3, 6, False), _int_page(6, 7, True)])
    service = _service(member)
    result = await service.execute("SELECT k, v FROM m WHERE k > ?", 5, cursor_buffer_size=3)
    (name, request, target) = member.sent[0]
    assert name == "Sql.execute" and target == MEMBER
    assert request.sql == "SELECT k, v FROM m WHERE k > ?" and request.cursor_buffer_size == 3
    assert request.parameters == [SerializationService(Config()).to_data(5)]
    assert request.timeout_millis == -1 and request.expected_result_type == SqlExpectedResultType.ANY
    assert result.is_row_set() and result.update_count() == -1
    assert [c.name for c in result.get_row_metadata().columns] == ["k", "v"]
    seen = []
    async for row in result:
        seen.append((row["k"], row[1]))
        # Nothing is fetched before the rows of the current page are consumed.
        assert len([s for s in member.sent if s[0] == "Sql.fetch"]) == row["k"] // 3
    assert seen == [(k, f"v{k}") for k in range(7)]
    fetches = [s for s in member.sent if s[0] == "Sql.fetch"]
    assert len(fetches) == 2
    assert all(f[1].cursor_buffer_size == 3 and f[1].query_id == request.query_id and f[2] == MEMBER for f in fetches)
    await result.close()  # finished: nothing to close on the member
    assert not [s for s in member.sent if s[0] == "Sql.close"]
    with pytest.raises(ValueError, match="only once"):
        result.iterator()


async def test_closing_in_the_middle_cancels_the_query_on_the_member() -> None:
    member = ScriptedMember(_rows_response(_int_page(0, 2, False), ["k", "v"]), [_int_page(2, 4, True)])
    service = _service(member)
    async with await service.execute("SELECT * FROM m", cursor_buffer_size=2) as result:
        iterator = result.iterator()
        assert (await iterator.__anext__())["k"] == 0
    closes = [s for s in member.sent if s[0] == "Sql.close"]
    assert len(closes) == 1 and closes[0][1] == member.sent[0][1].query_id
    # The row already received is still there; fetching more fails as cancelled.
    assert (await iterator.__anext__())["k"] == 1
    with pytest.raises(HazelcastSqlError) as raised:
        await iterator.__anext__()
    assert raised.value.code == 1003
    await result.close()
    assert len([s for s in member.sent if s[0] == "Sql.close"]) == 1


async def test_an_abandoned_result_is_closed_on_the_member() -> None:
    member = ScriptedMember(_rows_response(_int_page(0, 2, False), ["k", "v"]))
    service = _service(member)
    result = await service.execute("SELECT * FROM m", cursor_buffer_size=2)
    query_id = member.sent[0][1].query_id
    del result
    gc.collect()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert [s[1] for s in member.sent if s[0] == "Sql.close"] == [query_id]


async def test_member_errors_carry_code_message_and_suggestion() -> None:
    error = _Error(1010, "Object 'm' not found, did you forget to CREATE MAPPING?", MEMBER, "CREATE MAPPING ...", None)
    service = _service(ScriptedMember((None, None, -1, error, False, -1)))
    with pytest.raises(HazelcastSqlError) as raised:
        await service.execute("SELECT * FROM m")
    assert raised.value.code == 1010
    assert raised.value.suggestion == "CREATE MAPPING ..."
    assert raised.value.originating_member_uuid == MEMBER
    assert "did you forget to CREATE MAPPING" in str(raised.value)


async def test_update_counts_and_object_columns() -> None:
    service = _service(ScriptedMember((None, None, 3, None, False, -1)))
    result = await service.execute("DELETE FROM m", expected_result_type="UPDATE_COUNT")
    assert not result.is_row_set() and result.update_count() == 3
    with pytest.raises(ValueError):
        result.get_row_metadata()
    with pytest.raises(ValueError):
        result.iterator()
    serialization = SerializationService(Config())
    page = SqlPage([SqlColumnType.OBJECT], [[serialization.to_data([1, "x"]), None]], True)
    service = _service(ScriptedMember(_rows_response(page, ["this"])))
    result = await service.execute("SELECT this FROM m")
    assert [row["this"] async for row in result] == [[1, "x"], None]


async def test_bad_arguments_are_rejected_before_anything_is_sent() -> None:
    member = ScriptedMember((None, None, 0, None, False, -1))
    service = _service(member)
    with pytest.raises(TypeError):
        await service.execute(1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await service.execute("  ")
    with pytest.raises(ValueError):
        await service.execute("SELECT 1", cursor_buffer_size=0)
    with pytest.raises(TypeError):
        await service.execute("SELECT 1", cursor_buffer_size=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await service.execute("SELECT 1", timeout=-2)
    with pytest.raises(TypeError):
        await service.execute("SELECT 1", expected_result_type=7)
    with pytest.raises(TypeError):
        await service.execute("SELECT 1", expected_result_type="SOMETHING")
    with pytest.raises(TypeError):
        await service.execute("SELECT 1", schema=3)  # type: ignore[arg-type]
    assert member.sent == []
    await service.execute("SELECT 1", timeout=2.5, expected_result_type=SqlExpectedResultType.ROWS, schema="public")
    request = member.sent[0][1]
    assert request.timeout_millis == 2500 and request.expected_result_type == 1 and request.schema == "public"


async def test_queries_run_on_connected_data_members_only() -> None:
    member = ScriptedMember((None, None, 0, None, False, -1))
    service = _service(member)
    lite, data, unconnected = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    live = SimpleNamespace(live=True, member_uuid=None)
    service._context.connection_manager.connections = {lite: live, data: live}  # type: ignore[attr-defined]
    service._context.cluster_service.get_members = lambda: [  # type: ignore[attr-defined]
        SimpleNamespace(uuid=lite, lite_member=True),
        SimpleNamespace(uuid=data, lite_member=False),
        SimpleNamespace(uuid=unconnected, lite_member=False),
    ]
    for _ in range(20):
        await service.execute("DELETE FROM m")
    assert {target for _, _, target in member.sent} == {data}
    service._context.connection_manager.connections = {}  # type: ignore[attr-defined]
    with pytest.raises(HazelcastSqlError) as raised:
        await service.execute("DELETE FROM m")
    assert raised.value.code == 1001
