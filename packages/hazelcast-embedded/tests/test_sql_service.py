"""The Sql protocol service over raw sockets: execute, fetch and close by query id, errors in SqlError, timeouts."""

from __future__ import annotations

import asyncio
import uuid
from collections import namedtuple
from typing import Any

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.sql import open_cursor_count

QueryId = namedtuple("QueryId", "member_id_high member_id_low local_id_high local_id_low")
MAPPING = "CREATE MAPPING n TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='varchar')"


def _query_id() -> QueryId:
    bits = uuid.uuid4().int
    return QueryId(1, 2, (bits >> 64) - (1 << 63), (bits & ((1 << 64) - 1)) - (1 << 63))


async def _execute(client: Any, sql: str, *params: bytes, size: int = 4096, query_id: QueryId | None = None,
                   timeout_millis: int = -1, expected: int = 0) -> Any:
    return await client.call("Sql.execute", sql, list(params), timeout_millis, size, None, expected,
                             query_id or _query_id(), False)


async def test_rows_are_paged_by_query_id_and_closed(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    client = await connect(cluster.addresses[0])
    assert (await _execute(client, MAPPING)).error is None
    values = ", ".join(f"({i}, 'v{i}')" for i in range(25))
    inserted = await _execute(client, f"INSERT INTO n VALUES {values}")
    assert inserted.error is None and inserted.row_metadata is None and inserted.update_count == 0
    query_id = _query_id()
    first = await _execute(client, "SELECT __key, this FROM n WHERE __key >= ?", wire.data_int(0), size=10,
                           query_id=query_id)
    assert first.error is None and first.update_count == -1
    assert [(c.name, c.type) for c in first.row_metadata] == [("__key", 4), ("this", 0)]
    assert first.row_page.row_count == 10 and not first.row_page.is_last
    keys = list(first.row_page.columns[0])
    second = await client.call("Sql.fetch", query_id, 10)
    assert second.error is None and second.row_page.row_count == 10 and not second.row_page.is_last
    keys += second.row_page.columns[0]
    third = await client.call("Sql.fetch", query_id, 10)
    assert third.row_page.row_count == 5 and third.row_page.is_last
    keys += third.row_page.columns[0]
    assert sorted(keys) == list(range(25))
    assert open_cursor_count(cluster.live_members[0]) == 0
    gone = await client.call("Sql.fetch", query_id, 10)
    assert gone.row_page is None and gone.error.code == -1

    other = _query_id()
    await _execute(client, "SELECT this FROM n", size=5, query_id=other)
    assert open_cursor_count(cluster.live_members[0]) == 1
    await client.call("Sql.close", other)
    assert open_cursor_count(cluster.live_members[0]) == 0
    assert (await client.call("Sql.fetch", other, 5)).error is not None


async def test_errors_travel_in_the_response(cluster: EmbeddedCluster, connect: Any) -> None:
    client = await connect(cluster.addresses[0])
    missing = await _execute(client, "SELECT * FROM nowhere")
    assert missing.row_metadata is None and missing.row_page is None
    assert missing.error.code == 1010 and "did you forget to CREATE MAPPING" in missing.error.message
    assert missing.error.originating_member_id == cluster.live_members[0].uuid
    await _execute(client, MAPPING)
    rows_expected = await _execute(client, "DELETE FROM n", expected=1)
    assert rows_expected.error.message == "The statement doesn't produce rows"
    count_expected = await _execute(client, "SELECT * FROM n", expected=2)
    assert count_expected.error.message == "The statement doesn't produce update count"


async def test_a_query_past_its_timeout_is_cancelled(cluster: EmbeddedCluster, connect: Any) -> None:
    client = await connect(cluster.addresses[0])
    await _execute(client, MAPPING)
    await _execute(client, "INSERT INTO n VALUES " + ", ".join(f"({i}, 'v')" for i in range(10)))
    query_id = _query_id()
    first = await _execute(client, "SELECT this FROM n", size=2, query_id=query_id, timeout_millis=50)
    assert first.error is None
    await asyncio.sleep(0.1)
    late = await client.call("Sql.fetch", query_id, 2)
    assert late.error.code == 1004 and "timeout" in late.error.message
    assert open_cursor_count(cluster.live_members[0]) == 0


async def test_mapping_ddl_and_cursors_of_a_closed_connection(cluster: EmbeddedCluster, connect: Any) -> None:
    client = await connect(cluster.addresses[0])
    await _execute(client, MAPPING)
    assert await client.call("Sql.mappingDdl", "n") == MAPPING
    assert await client.call("Sql.mappingDdl", "none") is None
    await _execute(client, "INSERT INTO n VALUES (1, 'a'), (2, 'b')")
    await _execute(client, "SELECT this FROM n", size=1)
    assert open_cursor_count(cluster.live_members[0]) == 1
    await client.close()
    for _ in range(100):
        if open_cursor_count(cluster.live_members[0]) == 0:
            break
        await asyncio.sleep(0.01)
    assert open_cursor_count(cluster.live_members[0]) == 0
