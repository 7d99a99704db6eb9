"""Run SQL statements with the official asyncio client and report what it reads.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_sql.py --members 127.0.0.1:5701 --cluster-name dev --statements statements.json

``statements.json`` holds a list of ``[sql, params, cursor_buffer_size]`` or ``[sql, params, cursor_buffer_size,
take]``: with ``take``, only that many rows are read before the result is closed. For each statement the script records
``{"columns": [[name, type id], ...], "rows": [[[type name, text], ...], ...]}`` for a row set,
``{"update_count": n}`` for an update count, or ``{"error": [code, message]}`` when it fails, and prints one JSON line:
``{"ok": true, "results": [...]}`` (``{"ok": false, "detail": "..."}`` if the run itself failed). The run is bounded
by ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import decimal
import json
import sys
import traceback
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue
from hazelcast.sql import HazelcastSqlError


_TAGGED = {
    "decimal": decimal.Decimal,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "datetime": datetime.datetime.fromisoformat,
}


def parameter(value: Any) -> Any:
    """A statement parameter from JSON: ``["decimal", "1.5"]``, ``["date", "2024-02-29"]``... or the value itself."""
    if isinstance(value, list) and len(value) == 2 and value[0] in _TAGGED:
        return _TAGGED[value[0]](value[1])
    return value


def normalize(value: Any) -> list[str] | None:
    """A value as [type name, text], comparable across clients."""
    if value is None:
        return None
    if isinstance(value, HazelcastJsonValue):
        return ["HazelcastJsonValue", json.dumps(json.loads(value.to_string()), sort_keys=True)]
    return [type(value).__name__, str(value)]


async def run(members: list[str], cluster_name: str, statements: list[Any]) -> list[Any]:
    client = await HazelcastClient.create_and_start(cluster_members=members, cluster_name=cluster_name)
    results: list[Any] = []
    try:
        for sql, params, cursor_buffer_size, *take in statements:
            try:
                result = await client.sql.execute(
                    sql, *map(parameter, params), cursor_buffer_size=cursor_buffer_size
                )
                if result.is_row_set():
                    metadata = result.get_row_metadata()
                    rows = []
                    async with result:
                        async for row in result:
                            rows.append([normalize(row.get_object_with_index(i)) for i in range(len(row))])
                            if take and len(rows) == take[0]:
                                break
                    columns = [[column.name, column.type] for column in metadata.columns]
                    results.append({"columns": columns, "rows": rows})
                else:
                    results.append({"update_count": result.update_count()})
            except HazelcastSqlError as error:
                results.append({"error": [error._code, str(error)]})
    finally:
        await client.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", required=True)
    parser.add_argument("--cluster-name", default="dev")
    parser.add_argument("--statements", required=True)
    parser.add_argument("--timeout", type=float, default=25.0)
    args = parser.parse_args()
    with open(args.statements, encoding="utf-8") as source:
        statements = json.load(source)
    try:
        results = asyncio.run(
            asyncio.wait_for(run(args.members.split(","), args.cluster_name, statements), args.timeout)
        )
    except BaseException:
        print(json.dumps({"ok": False, "detail": traceback.format_exc()}))
        return 1
    print(json.dumps({"ok": True, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
