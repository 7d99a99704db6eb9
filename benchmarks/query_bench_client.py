"""Query round trips of one asyncio Hazelcast client, run the same way for ours and for the official one.

Both clients answer to ``from hazelcast.asyncio import HazelcastClient`` and ``hazelcast.predicate``, so this one
script measures either; ``benchmarks/query_bench.py`` fills the maps and runs it with both interpreters::

    python benchmarks/query_bench_client.py --members 127.0.0.1:5701 --repeat 20

Queries the maps ``bench-indexed`` (indexes on ``age`` and ``city``) and ``bench-plain`` (none). Prints one JSON line
mapping each query's label to ``{"ms": median round trip, "cpu_ms": client CPU per query, "results": count}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from hazelcast import predicate as p
from hazelcast.asyncio import HazelcastClient

QUERIES = (
    ("equality, sorted index", "bench-indexed", lambda: p.equal("age", 500)),
    ("equality, hash index", "bench-indexed", lambda: p.equal("city", "city42")),
    ("range, sorted index", "bench-indexed", lambda: p.between("age", 10, 12)),
    ("scan, no index", "bench-plain", lambda: p.equal("age", 500)),
)


async def measure(members: str, repeat: int) -> dict[str, Any]:
    client = await HazelcastClient.create_and_start(cluster_members=[members])
    report: dict[str, Any] = {}
    try:
        for label, map_name, make in QUERIES:
            target = await client.get_map(map_name)
            predicate = make()
            runs = repeat if "scan" not in label else max(1, repeat // 5)
            await target.key_set(predicate)
            durations = []
            cpu_start = time.process_time()
            for _ in range(runs):
                start = time.perf_counter()
                result = await target.key_set(predicate)
                durations.append(time.perf_counter() - start)
            cpu = (time.process_time() - cpu_start) / runs
            report[label] = {"ms": statistics.median(durations) * 1000, "cpu_ms": cpu * 1000, "results": len(result)}
    finally:
        await client.shutdown()
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    print(json.dumps(asyncio.run(asyncio.wait_for(measure(arguments.members, arguments.repeat), 300))))
