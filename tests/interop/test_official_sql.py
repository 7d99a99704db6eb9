"""The official hazelcast-python-client 5.7.0 runs SQL against the embedded member and reads what our client reads.

Our client creates the mappings and data; then the same statements (SELECTs of every column type, paging with a small
cursor buffer, aggregates, parameters, errors) run through both clients, and their rows, column types and error codes
must be equal. The official client's close of a result it stops reading releases the query on the member. Last, the
official client writes with SINK INTO and our client reads the entry back.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import json
from pathlib import Path
from typing import Any

import pytest

from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.sql import open_cursor_count
from hazelcast.sql import HazelcastSqlError
from tests.e2e.conftest import running_client
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_sql.py"
_SCRIPT_TIMEOUT_S = 25.0
_PROCESS_TIMEOUT_S = _SCRIPT_TIMEOUT_S + 15.0

_SETUP = [
    "CREATE MAPPING people (__key INT, name VARCHAR, age INT, city VARCHAR, score DOUBLE) TYPE IMap "
    "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')",
    "CREATE MAPPING typed (__key BIGINT, b BOOLEAN, t TINYINT, s SMALLINT, i INT, d DECIMAL, r REAL, dt DATE, "
    "tm TIME, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, v VARCHAR) TYPE IMap "
    "OPTIONS ('keyFormat'='bigint', 'valueFormat'='compact', 'valueCompactTypeName'='Typed')",
    "CREATE MAPPING docs TYPE IMap OPTIONS ('keyFormat'='varchar', 'valueFormat'='json')",
    "INSERT INTO typed VALUES (1, TRUE, 1, 2, 3, 4.5, 1.5e0, DATE '2024-02-29', TIME '12:34:56', "
    "TIMESTAMP '2024-02-29 12:34:56', CAST('2024-02-29T12:34:56+02:00' AS TIMESTAMP WITH TIME ZONE), 'x')",
    "INSERT INTO typed (__key, v) VALUES (2, NULL)",
    "INSERT INTO docs VALUES ('a', CAST('{\"n\": 1, \"tags\": [\"x\", \"y\"]}' AS JSON))",
]

_STATEMENTS: list[list[Any]] = [
    ["SELECT * FROM people ORDER BY __key", [], 7],
    ["SELECT __key, name FROM people WHERE age > ? AND city = ?", [30, "Oslo"], 4096],
    ["SELECT city, COUNT(*), SUM(age), AVG(score), MIN(name), MAX(age) FROM people GROUP BY city ORDER BY city",
     [], 4096],
    ["SELECT DISTINCT city FROM people ORDER BY city DESC LIMIT 2", [], 1],
    ["SELECT name, age * 2 + 1 AS x, UPPER(city) FROM people ORDER BY x DESC LIMIT 3 OFFSET 1", [], 4096],
    ["SELECT * FROM typed ORDER BY __key", [], 4096],
    ["SELECT __key, this, JSON_VALUE(this, '$.n'), JSON_QUERY(this, '$.tags') FROM docs", [], 4096],
    ["SELECT 1, 'a', NULL, CAST(1 AS BIGINT), 2.5", [], 4096],
    ["SELECT __key, this FROM people WHERE __key < 3 ORDER BY __key", [], 4096],
    ["SELECT __key FROM typed WHERE d = ? AND dt = ? AND tm = ? AND ts = ? AND tz = ? AND r = ? AND b = ?",
     [["decimal", "4.5"], ["date", "2024-02-29"], ["time", "12:34:56"], ["datetime", "2024-02-29T12:34:56"],
      ["datetime", "2024-02-29T12:34:56+02:00"], 1.5, True], 4096],
    ["SELECT * FROM missing", [], 4096],
    ["SELECT nope FROM people", [], 4096],
    ["SELECT name FROM people WHERE age = ?", ["not a number"], 4096],
    ["SELEC 1", [], 4096],
]


def _parameter(value: Any) -> Any:
    # The script's tagged parameters (``["decimal", "4.5"]``...), read the same way.
    tagged = {"decimal": decimal.Decimal, "date": datetime.date.fromisoformat, "time": datetime.time.fromisoformat,
              "datetime": datetime.datetime.fromisoformat}
    if isinstance(value, list) and len(value) == 2 and value[0] in tagged:
        return tagged[value[0]](value[1])
    return value


def _normalize(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, HazelcastJsonValue):
        return ["HazelcastJsonValue", json.dumps(json.loads(value.to_string()), sort_keys=True)]
    return [type(value).__name__, str(value)]


async def _ours(client: Any) -> list[Any]:
    results: list[Any] = []
    for sql, params, cursor_buffer_size in _STATEMENTS:
        try:
            result = await client.sql.execute(sql, *map(_parameter, params), cursor_buffer_size=cursor_buffer_size)
            if result.is_row_set():
                metadata = result.get_row_metadata()
                rows = [[_normalize(row[i]) for i in range(len(row))] async for row in result]
                results.append({"columns": [[c.name, int(c.type)] for c in metadata.columns], "rows": rows})
            else:
                results.append({"update_count": result.update_count()})
        except HazelcastSqlError as error:
            results.append({"error": [error.code, str(error)]})
    return results


async def _official(official_python: Path, cluster: EmbeddedCluster, statements: list[Any], tmp_path: Path) -> Any:
    path = tmp_path / "statements.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        str(official_python), str(_SCRIPT), "--members", ",".join(cluster.addresses), "--cluster-name",
        cluster.cluster_name, "--statements", str(path), "--timeout", str(_SCRIPT_TIMEOUT_S),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_PROCESS_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        await process.communicate()
        pytest.fail(f"the official script did not finish in {_PROCESS_TIMEOUT_S} s")
    errors = stderr.decode("utf-8", "replace")
    context = f"exit status {process.returncode}\nstdout:\n{stdout.decode()}\nstderr:\n{errors}"
    lines = stdout.decode("utf-8").strip().splitlines()
    assert lines, context
    report = json.loads(lines[-1])
    assert report.get("ok") is True, context
    return report["results"]


async def test_official_client_reads_the_same_rows_as_ours(official_python: Path, tmp_path: Path) -> None:
    async with EmbeddedCluster(member_count=2) as cluster, running_client(cluster) as client:
        for statement in _SETUP:
            await client.sql.execute(statement)
        people = await client.get_map("people")
        cities = ["Oslo", "Bergen", "Oslo", "Tromso", None, "Bergen", "Oslo", "Oslo", "Bergen", "Oslo"]
        for key in range(10):
            document = {"name": f"p{key}", "age": 20 + key * 3, "city": cities[key], "score": key / 4}
            await people.put(key, HazelcastJsonValue(document))
        ours = await _ours(client)
        theirs = await _official(official_python, cluster, _STATEMENTS, tmp_path)
        assert len(theirs) == len(ours)
        for statement, mine, official in zip(_STATEMENTS, ours, theirs):
            if "error" in mine:
                assert "error" in official, statement
                assert official["error"][0] == mine["error"][0], statement
                assert mine["error"][1] in official["error"][1], statement
            else:
                assert official == mine, statement
        # Spot checks that the comparison compared something.
        assert ours[0]["rows"][0] == [["int", "0"], ["str", "p0"], ["int", "20"], ["str", "Oslo"], ["float", "0.0"]]
        assert len(ours[0]["rows"]) == 10
        assert ours[9]["rows"] == [[["int", "1"]]]  # typed parameters of every kind matched the row
        first_value = '{"age": 20, "city": "Oslo", "name": "p0", "score": 0.0}'
        assert ours[8]["rows"][0][1] == ["HazelcastJsonValue", first_value]
        assert ours[10]["error"][0] == 1010

        # The official client closes a result it stops reading: the member receives Sql.close for that query.
        close_route = next(route for route in cluster.routes.values() if route.name == "Sql.close")
        closed: list[Any] = []
        handle_close = close_route.handler

        def counting_close(request: Any) -> Any:
            closed.append(request.params)
            return handle_close(request)

        close_route.handler = counting_close
        partial = [["SELECT __key FROM people", [], 2, 3]]
        (taken,) = await _official(official_python, cluster, partial, tmp_path)
        assert len(taken["rows"]) == 3
        assert len(closed) == 1
        assert sum(open_cursor_count(member) for member in cluster.live_members) == 0

        write = [["SINK INTO people (__key, name, age, city, score) VALUES (?, ?, ?, ?, ?)", [100, "official", 5,
                                                                                                "Rome", 0.5], 4096]]
        assert await _official(official_python, cluster, write, tmp_path) == [{"update_count": 0}]
        result = await client.sql.execute("SELECT name, age, city FROM people WHERE __key = 100")
        assert [[row["name"], row["age"], row["city"]] async for row in result] == [["official", 5, "Rome"]]
