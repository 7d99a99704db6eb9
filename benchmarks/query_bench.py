"""Map queries on the embedded member: indexed equality and range queries, and a scan without an index.

Starts one embedded member in its own process (``python -m hazelcast.embedded``), fills two maps with ``--entries``
JSON values through our client (one with indexes, one without), then runs ``query_bench_client.py`` with our client
and with the official 5.7.0 one (its own venv), each in its own process. Prints the median round trip of each query
and the client CPU per query for both, and for the scan the entries the member evaluates per second (every entry of
the map, per round trip)::

    uv run --all-packages python benchmarks/query_bench.py [--entries 100000] [--repeat 20]

The issue's targets: an indexed equality or range query answers in under 5 ms; a scan evaluates at least 200,000
entries per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import pathlib
import subprocess
import sys
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import IndexType
from hazelcast.core import HazelcastJsonValue

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.interop.official_env import official_python  # noqa: E402

CLIENT_SCRIPT = ROOT / "benchmarks" / "query_bench_client.py"


def run_client(python: str, address: str, repeat: int) -> dict[str, Any]:
    completed = subprocess.run(
        [python, str(CLIENT_SCRIPT), "--members", address, "--repeat", str(repeat)],
        capture_output=True, text=True, timeout=600,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{python} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


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
            print(f"{entries} entries of JSON values, one member; median round trip per query (client CPU per query)")
        finally:
            await client.shutdown()
        reports = {label: run_client(python, address, repeat) for label, python in (
            ("ours", sys.executable), ("official 5.7.0", str(official_python())),
        )}
        print(f"{'query':<24} | {'ours':>20} | {'official 5.7.0':>20}")
        for query in reports["ours"]:
            cells = [f"{r[query]['ms']:7.2f} ms ({r[query]['cpu_ms']:6.2f} ms)" for r in reports.values()]
            print(f"{query:<24} | {cells[0]:>20} | {cells[1]:>20}   [{reports['ours'][query]['results']} keys]")
        scan_ms = min(r["scan, no index"]["ms"] for r in reports.values())
        print(f"scan without an index: the member evaluates {entries / (scan_ms / 1000):,.0f} entries/s")
    finally:
        member.terminate()
        member.wait(timeout=10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.entries, arguments.repeat))
