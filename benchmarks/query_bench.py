"""Map queries on the embedded member: indexed equality and range queries, and a scan without an index.

Starts one embedded member in its own process (``python -m hazelcast.embedded``), fills two maps with ``--entries``
JSON values through our client (one with indexes, one without), and prints the median round trip of each query and,
for the scan, the entries the member evaluates per second (every entry of the map, per round trip)::

    uv run --all-packages python benchmarks/query_bench.py [--entries 100000] [--repeat 20]

The issue's targets: an indexed equality or range query answers in under 5 ms; a scan evaluates at least 200,000
entries per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from typing import Any

from hazelcast import predicate as p
from hazelcast.asyncio import HazelcastClient
from hazelcast.config import IndexType
from hazelcast.core import HazelcastJsonValue


async def timed(repeat: int, call: Any) -> tuple[float, Any]:
    durations = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = await call()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


def start_member() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "hazelcast.embedded", "--port", "0", "--members", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline())
    return process, ready["members"][0]


async def main(entries: int, repeat: int) -> None:
    member, address = start_member()
    try:
        client = await HazelcastClient.create_and_start(cluster_members=[address])
        try:
            indexed = await client.get_map("bench-indexed")
            plain = await client.get_map("bench-plain")
            await indexed.add_index(["age"], IndexType.SORTED)
            await indexed.add_index(["city"], IndexType.HASH)
            batch: dict[int, HazelcastJsonValue] = {}
            for i in range(entries):
                batch[i] = HazelcastJsonValue(json.dumps({"age": i % 1000, "city": f"city{i % 5000}", "id": i}))
                if len(batch) == 10_000:
                    await asyncio.gather(indexed.put_all(batch), plain.put_all(batch))
                    batch = {}
            if batch:
                await asyncio.gather(indexed.put_all(batch), plain.put_all(batch))
            print(f"{entries} entries of JSON values, one member")

            for label, predicate in (
                ("indexed equality (sorted index, 100 matches)", p.equal("age", 500)),
                ("indexed equality (hash index, 20 matches)", p.equal("city", "city42")),
                ("indexed range (sorted index, 300 matches)", p.between("age", 10, 12)),
            ):
                seconds, result = await timed(repeat, lambda predicate=predicate: indexed.key_set(predicate))
                print(f"{label}: {seconds * 1000:.2f} ms round trip (median of {repeat}), {len(result)} keys")

            scan_repeat = max(1, repeat // 5)
            seconds, result = await timed(scan_repeat, lambda: plain.key_set(p.equal("age", 500)))
            evaluated = entries
            print(
                f"scan without index: {seconds * 1000:.1f} ms for {evaluated:.0f} entries, "
                f"{evaluated / seconds:,.0f} entries/s ({len(result)} matches)"
            )
        finally:
            await client.shutdown()
    finally:
        member.terminate()
        member.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.entries, arguments.repeat))
