"""Map throughput of one asyncio Hazelcast client, run the same way for ours and for the official one.

Both clients answer to ``from hazelcast.asyncio import HazelcastClient``, so this one script measures either: run it
with the interpreter of our workspace or with that of the official client's venv (``tests/interop/official_env.py``)
and say which with ``--label``. ``benchmarks/map_bench.py`` runs both against one member and compares::

    python benchmarks/map_bench_client.py --label ours --members 127.0.0.1:5701 --op set --concurrency 64 --ops 100000

One map, 1000 int keys, 100-byte string values. ``--ops`` operations are spread as evenly as possible over
``--concurrency`` asyncio tasks that each await one operation at a time. A ``get`` run stores every key first so
each get finds a value. ``--warmup`` operations run the same way before measuring. Only the measured part is timed,
by wall clock (``time.perf_counter``) and by this process's CPU time (``time.process_time``).

Prints one JSON line: ``{"client": <label>, "op", "concurrency", "ops", "ops_per_s", "cpu_us_per_op"}``.
Exits non-zero, with the reason on stderr, if the run fails or exceeds ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from hazelcast.asyncio import HazelcastClient

KEY_COUNT = 1000
VALUE_SIZE = 100
_SHUTDOWN_TIMEOUT_S = 10.0


def make_values() -> list[str]:
    """One distinct 100-character ASCII string (so 100 UTF-8 bytes) per key."""
    return [f"value-{key:04d}-".ljust(VALUE_SIZE, "x") for key in range(KEY_COUNT)]


def split_evenly(total: int, parts: int) -> list[int]:
    """Split ``total`` operations into ``parts`` counts differing by at most one."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


async def run_ops(map_proxy: Any, op: str, total: int, concurrency: int, values: list[str]) -> None:
    """Run ``total`` operations of kind ``op`` over ``concurrency`` tasks; each task walks the keys from its own offset."""

    async def worker(start: int, count: int) -> None:
        if op == "set":
            for index in range(start, start + count):
                key = index % KEY_COUNT
                await map_proxy.set(key, values[key])
        else:
            for index in range(start, start + count):
                await map_proxy.get(index % KEY_COUNT)

    tasks = []
    start = 0
    for count in split_evenly(total, concurrency):
        if count:
            tasks.append(worker(start, count))
        start += count
    await asyncio.gather(*tasks)


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    client = await HazelcastClient.create_and_start(
        cluster_members=[args.members], cluster_name=args.cluster_name, smart_routing=args.smart
    )
    try:
        map_proxy: Any = await client.get_map(args.map_name)
        values = make_values()
        if args.op == "get":
            await map_proxy.put_all({key: values[key] for key in range(KEY_COUNT)})
        if args.warmup:
            await run_ops(map_proxy, args.op, args.warmup, args.concurrency, values)

        wall_start = time.perf_counter()
        cpu_start = time.process_time()
        await run_ops(map_proxy, args.op, args.ops, args.concurrency, values)
        cpu_s = time.process_time() - cpu_start
        wall_s = time.perf_counter() - wall_start

        await map_proxy.destroy()
    finally:
        await asyncio.wait_for(client.shutdown(), timeout=_SHUTDOWN_TIMEOUT_S)
    return {
        "client": args.label,
        "op": args.op,
        "concurrency": args.concurrency,
        "ops": args.ops,
        "ops_per_s": args.ops / wall_s,
        "cpu_us_per_op": cpu_s * 1e6 / args.ops,
    }


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Map set/get throughput of an asyncio Hazelcast client.")
    parser.add_argument("--label", default="official", help="name of the client in the output")
    parser.add_argument("--members", required=True, help="host:port of the member to connect to")
    parser.add_argument("--cluster-name", default="dev")
    parser.add_argument("--concurrency", type=_positive, default=1, help="number of concurrent asyncio tasks")
    parser.add_argument("--ops", type=_positive, default=10_000, help="operations in the measured part")
    parser.add_argument("--op", choices=("set", "get"), default="set")
    parser.add_argument("--warmup", type=_non_negative, default=1_000, help="operations before measuring")
    routing = parser.add_mutually_exclusive_group()
    routing.add_argument("--smart", dest="smart", action="store_true", default=True, help="smart routing (default)")
    routing.add_argument("--unisocket", dest="smart", action="store_false", help="one connection, no smart routing")
    parser.add_argument("--map-name", default="official-bench-map")
    parser.add_argument("--timeout", type=float, default=600.0, help="hard limit for the whole run, in seconds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = asyncio.run(asyncio.wait_for(bench(args), timeout=args.timeout))
    except TimeoutError:
        print(f"map_bench_client: not done within {args.timeout} s", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        print(f"map_bench_client: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
