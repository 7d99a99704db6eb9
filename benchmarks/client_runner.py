"""One workload of one asyncio Hazelcast client: the runner both clients share.

Our client and the official 5.7.0 both answer to ``from hazelcast.asyncio import HazelcastClient`` with the same
proxy calls, so this one script measures either: run it with the interpreter of our workspace or with that of the
official client's venv (``tests/interop/official_env.py``) and say which with ``--label``. ``benchmarks/suite.py``
runs it for every workload and both clients, interleaved, against one member::

    python benchmarks/client_runner.py --label ours --members 127.0.0.1:5701 --workload map_set --tasks 64 --ops 50000

A workload is a set-up (unmeasured: creating the proxy, filling what a read needs) and one operation; ``--ops``
operations are spread as evenly as possible over ``--tasks`` asyncio tasks that each await one at a time, after
``--warmup`` operations run the same way. Only the measured part is timed: by wall clock, by this process's user and
system CPU time (``getrusage``, finer than ``os.times``), and per operation (the latency percentiles). The resident memory of the process is
read before and after the measured part, so a long run shows whether the client's memory stays flat.

Prints one JSON line: ``{"client", "workload", "tasks", "ops", "ops_per_s", "cpu_us_per_op", "user_us_per_op",
"sys_us_per_op", "p50_us", "p99_us", "rss_start_kib", "rss_end_kib"}``, or ``{"client", "workload", "skipped":
reason}`` when the client lacks the service the workload needs. Exits non-zero, with the reason on stderr, if the
run fails or exceeds ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import os
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from hazelcast.asyncio import HazelcastClient

KEY_COUNT = 1000
VALUE_SIZE = 100
BATCH = 100
MIB = 1 << 20
VECTOR_DIMENSION = 32
_SHUTDOWN_TIMEOUT_S = 10.0

Operation = Callable[[int], Awaitable[Any]]


class Skip(Exception):
    """The client lacks what the workload needs (SQL in a checkout without it, say)."""


def small_values() -> list[str]:
    """One distinct 100-character ASCII string (so 100 UTF-8 bytes) per key."""
    return [f"value-{key:04d}-".ljust(VALUE_SIZE, "x") for key in range(KEY_COUNT)]


async def _map_small(client: Any, name: str, op: str) -> Operation:
    proxy = await client.get_map(name)
    values = small_values()
    if op == "get":
        await proxy.put_all(dict(enumerate(values)))
        return lambda index: proxy.get(index % KEY_COUNT)
    if op == "set":
        return lambda index: proxy.set(index % KEY_COUNT, values[index % KEY_COUNT])
    batches = [{key: values[key] for key in range(start, start + BATCH)} for start in range(0, KEY_COUNT, BATCH)]
    if op == "put_all":
        return lambda index: proxy.put_all(batches[index % len(batches)])
    await proxy.put_all(dict(enumerate(values)))
    key_lists = [list(batch) for batch in batches]
    return lambda index: proxy.get_all(key_lists[index % len(key_lists)])


async def _map_large(client: Any, name: str, op: str, mebibytes: int) -> Operation:
    proxy = await client.get_map(name)
    # A few distinct payloads, so no layer can get away with caching one object.
    payloads = [bytes([seed]) * (mebibytes * MIB) for seed in range(4)]
    if op == "set":
        return lambda index: proxy.set(index % 4, payloads[index % 4])
    for key, payload in enumerate(payloads):
        await proxy.set(key, payload)
    return lambda index: proxy.get(index % 4)


async def _queue(client: Any, name: str, op: str, total: int) -> Operation:
    queue = await client.get_queue(name)
    item = "item-".ljust(VALUE_SIZE, "x")
    if op == "offer":
        return lambda index: queue.offer(item)
    chunk = [item] * 1000
    for start in range(0, total, len(chunk)):
        await queue.add_all(chunk[: total - start])
    return lambda index: queue.poll()


async def _list(client: Any, name: str, op: str) -> Operation:
    items = await client.get_list(name)
    values = small_values()
    if op == "add":
        return lambda index: items.add(values[index % KEY_COUNT])
    await items.add_all(values)
    return lambda index: items.get(index % KEY_COUNT)


async def _topic(client: Any, name: str) -> Operation:
    topic = await client.get_topic(name)
    message = "message-".ljust(VALUE_SIZE, "x")
    return lambda index: topic.publish(message)


async def _atomic_long(client: Any, name: str) -> Operation:
    counter = await client.cp_subsystem.get_atomic_long(name)
    return lambda index: counter.increment_and_get()


async def _ringbuffer(client: Any, name: str) -> Operation:
    ringbuffer = await client.get_ringbuffer(name)
    item = "item-".ljust(VALUE_SIZE, "x")
    return lambda index: ringbuffer.add(item)


async def _vector(client: Any, name: str, op: str) -> Operation:
    from hazelcast.vector import Document, IndexConfig, Metric, Type, Vector

    await client.create_vector_collection_config(
        name, [IndexConfig("v", Metric.EUCLIDEAN, VECTOR_DIMENSION)], backup_count=0)
    collection = await client.get_vector_collection(name)
    vectors = [[float((key * 7 + axis) % 97) for axis in range(VECTOR_DIMENSION)] for key in range(KEY_COUNT)]
    documents = [Document(f"doc-{key}", Vector("v", Type.DENSE, vectors[key])) for key in range(KEY_COUNT)]
    if op == "put":
        return lambda index: collection.set(index % KEY_COUNT, documents[index % KEY_COUNT])
    for start in range(0, KEY_COUNT, BATCH):
        await collection.put_all({key: documents[key] for key in range(start, start + BATCH)})
    queries = [Vector("v", Type.DENSE, vectors[(key * 13) % KEY_COUNT]) for key in range(KEY_COUNT)]
    return lambda index: collection.search_near_vector(queries[index % KEY_COUNT], limit=10)


async def _sql(client: Any, name: str) -> Operation:
    try:
        sql = client.sql
    except Exception as error:  # our client raises when no distribution provides SQL
        raise Skip(f"no SQL service: {type(error).__name__}: {error}") from error
    if sql is None:
        raise Skip("no SQL service")
    proxy = await client.get_map(name)
    await proxy.put_all({key: key * 2 for key in range(KEY_COUNT)})
    await sql.execute(
        f'CREATE OR REPLACE MAPPING "{name}" TYPE IMap OPTIONS (\'keyFormat\'=\'int\', \'valueFormat\'=\'int\')')
    query = f'SELECT __key, this FROM "{name}" WHERE __key < 100'

    async def select_rows(index: int) -> int:
        result = await sql.execute(query)
        count = 0
        async for _row in result:
            count += 1
        return count

    return select_rows


def make_workload(name: str, total: int) -> Callable[[Any, str], Awaitable[Operation]]:
    """The set-up of workload ``name``: given a client and a structure name, it returns the operation to measure."""
    table: dict[str, Callable[[Any, str], Awaitable[Operation]]] = {
        "map_set": lambda c, n: _map_small(c, n, "set"),
        "map_get": lambda c, n: _map_small(c, n, "get"),
        "map_put_all": lambda c, n: _map_small(c, n, "put_all"),
        "map_get_all": lambda c, n: _map_small(c, n, "get_all"),
        "map_set_1mib": lambda c, n: _map_large(c, n, "set", 1),
        "map_get_1mib": lambda c, n: _map_large(c, n, "get", 1),
        "map_set_16mib": lambda c, n: _map_large(c, n, "set", 16),
        "map_get_16mib": lambda c, n: _map_large(c, n, "get", 16),
        "queue_offer": lambda c, n: _queue(c, n, "offer", total),
        "queue_poll": lambda c, n: _queue(c, n, "poll", total),
        "list_add": lambda c, n: _list(c, n, "add"),
        "list_get": lambda c, n: _list(c, n, "get"),
        "topic_publish": _topic,
        "atomic_long_increment": _atomic_long,
        "ringbuffer_add": _ringbuffer,
        "vector_put": lambda c, n: _vector(c, n, "put"),
        "vector_search": lambda c, n: _vector(c, n, "search"),
        "sql_rows": _sql,
    }
    return table[name]


WORKLOADS = (
    "map_set", "map_get", "map_put_all", "map_get_all", "map_set_1mib", "map_get_1mib", "map_set_16mib",
    "map_get_16mib", "queue_offer", "queue_poll", "list_add", "list_get", "topic_publish", "atomic_long_increment",
    "ringbuffer_add", "vector_put", "vector_search", "sql_rows",
)


def split_evenly(total: int, parts: int) -> list[int]:
    """Split ``total`` operations into ``parts`` counts differing by at most one."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


async def run_ops(operation: Operation, total: int, tasks: int, latencies: array.array[float] | None) -> None:
    """Run ``total`` operations over ``tasks`` tasks; each task walks the indexes from its own offset.

    ``latencies`` (``total`` doubles, allocated beforehand so that measuring allocates nothing that stays) receives
    each operation's latency at its index.
    """
    clock = time.perf_counter

    async def worker(start: int, count: int) -> None:
        if latencies is None:
            for index in range(start, start + count):
                await operation(index)
            return
        for index in range(start, start + count):
            began = clock()
            await operation(index)
            latencies[index] = clock() - began

    workers = []
    start = 0
    for count in split_evenly(total, tasks):
        if count:
            workers.append(worker(start, count))
        start += count
    await asyncio.gather(*workers)


def resident_kib() -> int:
    """This process's resident memory now, in KiB (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    client = await HazelcastClient.create_and_start(cluster_members=[args.members], cluster_name=args.cluster_name)
    try:
        name = f"{args.name_prefix}-{args.label}-{args.workload}-{args.tasks}-{os.getpid()}"
        operation = await make_workload(args.workload, args.ops + args.warmup)(client, name)
        if args.warmup:
            await run_ops(operation, args.warmup, args.tasks, None)
        latencies = array.array("d", bytes(8 * args.ops))
        rss_start = resident_kib()
        before = resource.getrusage(resource.RUSAGE_SELF)
        wall_start = time.perf_counter()
        await run_ops(operation, args.ops, args.tasks, latencies)
        wall_s = time.perf_counter() - wall_start
        after = resource.getrusage(resource.RUSAGE_SELF)
        rss_end = resident_kib()
    finally:
        await asyncio.wait_for(client.shutdown(), timeout=_SHUTDOWN_TIMEOUT_S)
    user_s, sys_s = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    ordered = sorted(latencies)
    ops = args.ops
    return {
        "client": args.label, "workload": args.workload, "tasks": args.tasks, "ops": ops,
        "ops_per_s": ops / wall_s, "cpu_us_per_op": (user_s + sys_s) * 1e6 / ops,
        "user_us_per_op": user_s * 1e6 / ops, "sys_us_per_op": sys_s * 1e6 / ops,
        "p50_us": percentile(ordered, 0.50) * 1e6, "p99_us": percentile(ordered, 0.99) * 1e6,
        "rss_start_kib": rss_start, "rss_end_kib": rss_end,
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
    parser = argparse.ArgumentParser(description="One workload of an asyncio Hazelcast client, measured.")
    parser.add_argument("--label", default="official", help="name of the client in the output")
    parser.add_argument("--members", required=True, help="host:port of the member to connect to")
    parser.add_argument("--cluster-name", default="dev")
    parser.add_argument("--workload", choices=WORKLOADS, default="map_set")
    parser.add_argument("--tasks", type=_positive, default=1, help="number of concurrent asyncio tasks")
    parser.add_argument("--ops", type=_positive, default=10_000, help="operations in the measured part")
    parser.add_argument("--warmup", type=_non_negative, default=1_000, help="operations before measuring")
    parser.add_argument("--name-prefix", default="bench", help="prefix of the structure's name")
    parser.add_argument("--timeout", type=float, default=600.0, help="hard limit for the whole run, in seconds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = asyncio.run(asyncio.wait_for(bench(args), timeout=args.timeout))
    except Skip as skip:
        result = {"client": args.label, "workload": args.workload, "skipped": str(skip)}
    except TimeoutError:
        print(f"client_runner: not done within {args.timeout} s", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        print(f"client_runner: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
