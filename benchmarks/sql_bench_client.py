"""SQL query throughput of one asyncio Hazelcast client, run the same way for ours and for the official one.

Both clients answer to ``from hazelcast.asyncio import HazelcastClient`` and ``client.sql.execute``, so this one script
measures either: run it with the interpreter of our workspace or with that of the official client's venv and say which
with ``--label``. ``benchmarks/sql_bench.py`` runs both against one member and compares::

    python benchmarks/sql_bench_client.py --label ours --members 127.0.0.1:5701 --entries 100000 --setup

``--setup`` (run once, by one client) creates the mapping ``people (__key INT, name VARCHAR, age INT)`` over JSON
values and stores ``--entries`` entries. Each query then runs ``--repeat`` times after one warm-up run; every row is
read (``row.get_object_with_index`` of each column). Only the measured runs are timed, by wall clock and by this
process's CPU time, so the member's work (another process) is not in the CPU figure.

Prints one JSON line per query: ``{"client", "query", "rows", "rows_per_s", "cpu_us_per_row"}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue

MAPPING = ("CREATE OR REPLACE MAPPING people (__key INT, name VARCHAR, age INT) TYPE IMap "
           "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')")
QUERIES = {
    "where": "SELECT __key, name, age FROM people WHERE age < 50",
    "scan": "SELECT __key, name, age FROM people",
}


async def setup(client: Any, entries: int) -> None:
    await client.sql.execute(MAPPING)
    people = await client.get_map("people")
    batch: dict[int, HazelcastJsonValue] = {}
    for key in range(entries):
        batch[key] = HazelcastJsonValue(json.dumps({"name": f"person-{key}", "age": key % 100}))
        if len(batch) == 10_000:
            await people.put_all(batch)
            batch = {}
    if batch:
        await people.put_all(batch)


async def read_all(client: Any, sql: str, cursor_buffer_size: int) -> int:
    result = await client.sql.execute(sql, cursor_buffer_size=cursor_buffer_size)
    count = 0
    async for row in result:
        row.get_object_with_index(0)
        row.get_object_with_index(1)
        row.get_object_with_index(2)
        count += 1
    return count


async def bench(args: argparse.Namespace) -> list[dict[str, Any]]:
    client = await HazelcastClient.create_and_start(cluster_members=[args.members], cluster_name=args.cluster_name)
    reports = []
    try:
        if args.setup:
            await setup(client, args.entries)
            return []
        for name, sql in QUERIES.items():
            await read_all(client, sql, args.cursor_buffer_size)
            rows = 0
            wall_start = time.perf_counter()
            cpu_start = time.process_time()
            for _ in range(args.repeat):
                rows += await read_all(client, sql, args.cursor_buffer_size)
            cpu_s = time.process_time() - cpu_start
            wall_s = time.perf_counter() - wall_start
            reports.append({"client": args.label, "query": name, "rows": rows // args.repeat,
                            "rows_per_s": rows / wall_s, "cpu_us_per_row": cpu_s * 1e6 / rows})
    finally:
        await client.shutdown()
    return reports


def main() -> int:
    parser = argparse.ArgumentParser(description="SQL query throughput of an asyncio Hazelcast client.")
    parser.add_argument("--label", default="official")
    parser.add_argument("--members", required=True)
    parser.add_argument("--cluster-name", default="dev")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cursor-buffer-size", type=int, default=4096)
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    try:
        reports = asyncio.run(asyncio.wait_for(bench(args), timeout=args.timeout))
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        print(f"sql_bench_client: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    for report in reports:
        print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
