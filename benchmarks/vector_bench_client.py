"""Vector searches of one asyncio Hazelcast client, run the same way for ours and for the official one.

Both clients answer to ``from hazelcast.asyncio import HazelcastClient`` and ``hazelcast.vector``, so this script
measures either (run it with the interpreter of our workspace or of the official client's venv); it needs no numpy.
``benchmarks/vector_bench.py`` loads the collection and runs this script for both clients::

    python benchmarks/vector_bench_client.py --members 127.0.0.1:5701 --collection c --queries q.f32 --dimension 128

Reads the queries (little-endian float32, one vector after the other), searches each once (limit 10, index "v",
hint ``efSearch``) from ``--concurrency`` tasks, and prints one JSON line: ``{"queries_per_s", "cpu_us_per_query",
"keys": [[key, ...], ...]}``.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import time
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.vector import Type, Vector


async def run(args: argparse.Namespace) -> dict[str, Any]:
    values = array.array("f")
    with open(args.queries, "rb") as source:
        values.frombytes(source.read())
    dimension = args.dimension
    queries = [values[start:start + dimension] for start in range(0, len(values), dimension)]
    client = await HazelcastClient.create_and_start(cluster_members=[args.members], cluster_name="dev")
    try:
        collection = await client.get_vector_collection(args.collection)
        hints = {"efSearch": str(args.ef)}
        keys: list[list[Any]] = [[] for _ in queries]
        positions = iter(range(len(queries)))

        async def worker() -> None:
            for position in positions:
                results = await collection.search_near_vector(
                    Vector("v", Type.DENSE, queries[position]), limit=10, hints=hints)
                keys[position] = [result.key for result in results]

        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await client.shutdown()
    return {"queries_per_s": len(queries) / wall, "cpu_us_per_query": cpu * 1e6 / len(queries), "keys": keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", required=True)
    parser.add_argument("--collection", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--dimension", type=int, required=True)
    parser.add_argument("--ef", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=16)
    print(json.dumps(asyncio.run(run(parser.parse_args()))))


if __name__ == "__main__":
    main()
