"""Queue throughput of one asyncio Hazelcast client, run the same way for ours and for the official one.

Like ``map_bench_client.py``: run it with the interpreter of our workspace or with that of the official client's venv
and say which with ``--label``; ``benchmarks/queue_bench.py`` runs both against one member and compares::

    python benchmarks/queue_bench_client.py --label ours --members 127.0.0.1:5701 --concurrency 64 --ops 50000

One queue, 100-byte string items. The ``offer`` phase has ``--concurrency`` tasks offer ``--ops`` items in all; the
``poll`` phase has as many tasks poll them all back (each poll finds an item). A warm-up of ``--warmup`` offers and
polls runs first. Each phase is timed by wall clock and by this process's CPU time.

Prints one JSON line per phase: ``{"client", "op", "concurrency", "ops", "ops_per_s", "cpu_us_per_op"}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from hazelcast.asyncio import HazelcastClient

ITEM = "item-".ljust(100, "x")
_SHUTDOWN_TIMEOUT_S = 10.0


def split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


async def run_phase(queue: Any, op: str, total: int, concurrency: int) -> None:
    async def offer(count: int) -> None:
        for _ in range(count):
            await queue.offer(ITEM)

    async def poll(count: int) -> None:
        for _ in range(count):
            if await queue.poll() is None:
                raise RuntimeError("poll found the queue empty")

    worker = offer if op == "offer" else poll
    await asyncio.gather(*(worker(count) for count in split_evenly(total, concurrency) if count))


async def bench(args: argparse.Namespace) -> list[dict[str, Any]]:
    client = await HazelcastClient.create_and_start(cluster_members=[args.members], cluster_name="dev")
    results = []
    try:
        queue: Any = await client.get_queue(args.queue_name)
        if args.warmup:
            await run_phase(queue, "offer", args.warmup, args.concurrency)
            await run_phase(queue, "poll", args.warmup, args.concurrency)
        for op in ("offer", "poll"):
            wall_start = time.perf_counter()
            cpu_start = time.process_time()
            await run_phase(queue, op, args.ops, args.concurrency)
            cpu_s = time.process_time() - cpu_start
            wall_s = time.perf_counter() - wall_start
            results.append({
                "client": args.label, "op": op, "concurrency": args.concurrency, "ops": args.ops,
                "ops_per_s": args.ops / wall_s, "cpu_us_per_op": cpu_s * 1e6 / args.ops,
            })
        await queue.destroy()
    finally:
        await asyncio.wait_for(client.shutdown(), timeout=_SHUTDOWN_TIMEOUT_S)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description="Queue offer/poll throughput of an asyncio Hazelcast client.")
    parser.add_argument("--label", default="official")
    parser.add_argument("--members", required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--ops", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--queue-name", default="bench-queue")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    if args.concurrency < 1 or args.ops < 1 or args.warmup < 0:
        parser.error("--concurrency and --ops must be positive, --warmup not negative")
    try:
        results = asyncio.run(asyncio.wait_for(bench(args), timeout=args.timeout))
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        print(f"queue_bench_client: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    for result in results:
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
