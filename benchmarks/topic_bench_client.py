"""Topic and Ringbuffer throughput of one asyncio Hazelcast client, run the same way for ours and for the official one.

Both clients answer to ``from hazelcast.asyncio import HazelcastClient``: run this with our workspace's interpreter or
with the official client's venv and say which with ``--label``. ``benchmarks/topic_bench.py`` runs both against one
member and compares::

    python benchmarks/topic_bench_client.py --label ours --members 127.0.0.1:5701 --op publish --listeners 8

Ops:

* ``publish``: ``Topic.publish`` of a 100-byte string, with ``--listeners`` message listeners registered by this
  client; an operation counts as done when every listener received the message, so the client's event handling is
  measured with the publishing.
* ``rb-add``: ``Ringbuffer.add`` of a 100-byte string (the default capacity overwrites the oldest items).

``--ops`` operations are spread over ``--concurrency`` asyncio tasks awaiting one at a time, after ``--warmup``
operations run the same way. The measured part is timed by wall clock and by this process's CPU time.

Prints one JSON line: ``{"client", "op", "listeners", "concurrency", "ops", "ops_per_s", "cpu_us_per_op"}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from hazelcast.asyncio import HazelcastClient

VALUE = "m".ljust(100, "x")
_SHUTDOWN_TIMEOUT_S = 10.0


def split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


async def run_ops(operation: Any, total: int, concurrency: int) -> None:
    async def worker(count: int) -> None:
        for _ in range(count):
            await operation(VALUE)

    await asyncio.gather(*(worker(count) for count in split_evenly(total, concurrency) if count))


class Counter:
    """Counts delivered messages and wakes the waiter when the expected number arrived."""

    def __init__(self) -> None:
        self.count = 0
        self.expected = 0
        self.reached = asyncio.Event()

    def on_message(self, message: Any) -> None:
        self.count += 1
        if self.count >= self.expected:
            self.reached.set()

    async def wait_for(self, count: int) -> None:
        self.expected = count
        if self.count >= count:
            return
        self.reached.clear()
        await self.reached.wait()


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    client = await HazelcastClient.create_and_start(cluster_members=[args.members], cluster_name=args.cluster_name)
    try:
        counter = Counter()
        if args.op == "publish":
            proxy: Any = await client.get_topic(args.name)
            for _ in range(args.listeners):
                await proxy.add_listener(counter.on_message)
            operation = proxy.publish
        else:
            proxy = await client.get_ringbuffer(args.name)
            operation = proxy.add
        delivered = args.listeners if args.op == "publish" else 0

        if args.warmup:
            await run_ops(operation, args.warmup, args.concurrency)
            await counter.wait_for(args.warmup * delivered)

        wall_start = time.perf_counter()
        cpu_start = time.process_time()
        await run_ops(operation, args.ops, args.concurrency)
        await counter.wait_for((args.warmup + args.ops) * delivered)
        cpu_s = time.process_time() - cpu_start
        wall_s = time.perf_counter() - wall_start
        await proxy.destroy()
    finally:
        await asyncio.wait_for(client.shutdown(), timeout=_SHUTDOWN_TIMEOUT_S)
    return {
        "client": args.label,
        "op": args.op,
        "listeners": args.listeners if args.op == "publish" else 0,
        "concurrency": args.concurrency,
        "ops": args.ops,
        "ops_per_s": args.ops / wall_s,
        "cpu_us_per_op": cpu_s * 1e6 / args.ops,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Topic publish / Ringbuffer add throughput of an asyncio client.")
    parser.add_argument("--label", default="official")
    parser.add_argument("--members", required=True)
    parser.add_argument("--cluster-name", default="dev")
    parser.add_argument("--op", choices=("publish", "rb-add"), default="publish")
    parser.add_argument("--listeners", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--ops", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--name", default="bench-topic")
    parser.add_argument("--timeout", type=float, default=600.0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = asyncio.run(asyncio.wait_for(bench(args), timeout=args.timeout))
    except TimeoutError:
        print(f"topic_bench_client: not done within {args.timeout} s", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        print(f"topic_bench_client: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
