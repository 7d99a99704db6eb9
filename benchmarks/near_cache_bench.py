"""Near cache hits: client CPU per ``await m.get(key)`` answered by the near cache, ours against the official client.

Starts ``python -m hazelcast.embedded`` in its own process, then runs this script again in ``--client`` mode once with
our client (this workspace) and once with the official 5.7.0 (its own venv), each in its own process, against that
member. Each client fills a map, reads every key once (the misses that fill its near cache), then times
``--reads`` reads that all hit the near cache, for the BINARY and OBJECT in-memory formats, and prints the client CPU
µs per hit::

    uv run --all-packages python benchmarks/near_cache_bench.py [--keys 1000] [--reads 200000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import pathlib
import subprocess
import sys
import time


async def measure(address: str, keys: int, reads: int, in_memory_format: str) -> dict[str, float]:
    from hazelcast.asyncio import HazelcastClient

    name = f"near-cached-{in_memory_format.lower()}"
    client = await HazelcastClient.create_and_start(
        cluster_members=[address], statistics_enabled=False,
        near_caches={name: {"in_memory_format": in_memory_format, "eviction_max_size": keys * 2}},
    )
    try:
        m = await client.get_map(name)
        await m.put_all({f"key-{i}": f"value-{i}" for i in range(keys)})
        key_list = [f"key-{i}" for i in range(keys)]
        for key in key_list:
            await m.get(key)
        near_cache = getattr(m, "near_cache", None) or m._near_cache
        hits_before = near_cache.get_statistics()["hits"]
        rounds = max(1, reads // keys)
        cpu_start = time.process_time()
        wall_start = time.perf_counter()
        for _ in range(rounds):
            for key in key_list:
                await m.get(key)
        cpu = time.process_time() - cpu_start
        wall = time.perf_counter() - wall_start
        hits = near_cache.get_statistics()["hits"] - hits_before
        done = rounds * keys
        if hits != done:
            raise SystemExit(f"expected {done} near cache hits, got {hits}")
        return {"cpu_us_per_hit": cpu / done * 1e6, "wall_us_per_hit": wall / done * 1e6, "hits": done}
    finally:
        await client.shutdown()


def client_main(args: argparse.Namespace) -> None:
    results = {fmt: asyncio.run(measure(args.members, args.keys, args.reads, fmt)) for fmt in ("BINARY", "OBJECT")}
    print(json.dumps(results))


def run_client(python: str, address: str, keys: int, reads: int) -> dict[str, dict[str, float]]:
    completed = subprocess.run(
        [python, __file__, "--client", "--members", address, "--keys", str(keys), "--reads", str(reads)],
        capture_output=True, text=True, timeout=600,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{python} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=200_000)
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--members", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args)
        return

    root = pathlib.Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from tests.interop.official_env import official_python

    official = str(official_python())
    member = subprocess.Popen(
        [sys.executable, "-m", "hazelcast.embedded", "--port", "0", "--members", "1"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert member.stdout is not None
        address = json.loads(member.stdout.readline())["members"][0]
        print(f"member {address}; {args.reads} near-cache hits over {args.keys} keys; ours: {sys.executable}; "
              f"official 5.7.0: {official}")
        ours = run_client(sys.executable, address, args.keys, args.reads)
        theirs = run_client(official, address, args.keys, args.reads)
        print(f"{'format':<7} | {'ours µs CPU/hit':>15} | {'official µs CPU/hit':>19} | {'ratio':>6}")
        for fmt in ("BINARY", "OBJECT"):
            mine, other = ours[fmt]["cpu_us_per_hit"], theirs[fmt]["cpu_us_per_hit"]
            print(f"{fmt:<7} | {mine:>15.2f} | {other:>19.2f} | {mine / other:>6.0%}", flush=True)
    finally:
        member.terminate()
        member.wait(timeout=10)


if __name__ == "__main__":
    main()
