"""The ``hazelcast`` command: look at a cluster, read and write a map, run an embedded cluster, a quick benchmark.

::

    hazelcast members                          # of the cluster at 127.0.0.1:5701 (--address, --cluster-name)
    hazelcast partitions                       # partition count, and how many each member owns
    hazelcast map put orders 1 '"first"'       # keys and values are JSON; plain text is taken as a string
    hazelcast map get orders 1
    hazelcast map size orders
    hazelcast map entries orders --limit 20
    hazelcast embedded --members 3             # needs hazelcast-embedded
    hazelcast bench --ops 20000 --tasks 64     # map set/get with a progress bar

It works against any cluster address (``--address host:port``, repeatable). Map commands need hazelcast-collections;
a missing distribution is named in the error. Exit status: 0 on success, 1 when the cluster could not be used, 2 on
a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

import structlog

from hazelcast.errors import HazelcastError

__all__ = ["main"]


def _parse_value(text: str) -> Any:
    """A key or value from the command line: JSON when it parses (``1``, ``"a"``, ``[1, 2]``), else the text."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    if isinstance(value, dict):
        from hazelcast.core import HazelcastJsonValue

        return HazelcastJsonValue(value)
    return value


def _shown(value: Any) -> str:
    to_string = getattr(value, "to_string", None)
    if callable(to_string):
        return str(to_string())
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return repr(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hazelcast", description="Work with a Hazelcast cluster from the shell.")
    parser.add_argument(
        "--address", action="append", dest="addresses", metavar="HOST:PORT",
        help="a member to connect to (repeatable; default 127.0.0.1:5701)",
    )
    parser.add_argument("--cluster-name", default="dev", help="cluster name (default dev)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to connect before giving up (default 10)")
    parser.add_argument("--log-level", default="error", choices=["debug", "info", "warning", "error"],
                        help="log records to stderr from this level on (default error)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("members", help="list the members")
    commands.add_parser("partitions", help="partition count and owners")

    map_parser = commands.add_parser("map", help="read and write a map")
    map_commands = map_parser.add_subparsers(dest="map_command", required=True)
    for name, extra in (("get", ["key"]), ("put", ["key", "value"]), ("size", []), ("entries", [])):
        sub = map_commands.add_parser(name)
        sub.add_argument("name", help="map name")
        for argument in extra:
            sub.add_argument(argument, help=f"the {argument} as JSON (plain text is a string)")
        if name == "entries":
            sub.add_argument("--limit", type=int, default=100, help="at most this many entries (default 100)")

    embedded = commands.add_parser("embedded", help="run an embedded cluster (needs hazelcast-embedded)")
    embedded.add_argument("args", nargs=argparse.REMAINDER, help="options of python -m hazelcast.embedded")

    bench = commands.add_parser("bench", help="a quick map set/get benchmark")
    bench.add_argument("--ops", type=int, default=20_000, help="operations per phase (default 20000)")
    bench.add_argument("--tasks", type=int, default=64, help="concurrent tasks (default 64)")
    bench.add_argument("--value-size", type=int, default=100, help="value bytes (default 100)")
    bench.add_argument("--keys", type=int, default=1000, help="distinct keys (default 1000)")
    return parser


async def _client(args: argparse.Namespace) -> Any:
    from hazelcast.asyncio import HazelcastClient

    return await HazelcastClient.create_and_start(
        cluster_members=args.addresses or ["127.0.0.1:5701"],
        cluster_name=args.cluster_name,
        cluster_connect_timeout=args.timeout,
    )


async def _members(client: Any, out: TextIO) -> None:
    for member in client.cluster_service.get_members():
        out.write(f"{member.uuid}  {member.address}{'  lite' if member.lite_member else ''}\n")


async def _partitions(client: Any, out: TextIO) -> None:
    partitions = client.partition_service
    count = partitions.get_partition_count()
    owned: dict[Any, int] = {}
    for partition_id in range(count):
        owner = partitions.get_partition_owner(partition_id)
        owned[owner] = owned.get(owner, 0) + 1
    out.write(f"partitions: {count}\n")
    for member in client.cluster_service.get_members():
        out.write(f"{member.address}  owns {owned.pop(member.uuid, 0)}\n")
    if owned.get(None):
        out.write(f"unassigned: {owned[None]}\n")


async def _map(client: Any, args: argparse.Namespace, out: TextIO) -> None:
    m = await client.get_map(args.name)
    if args.map_command == "get":
        value = await m.get(_parse_value(args.key))
        out.write(("null" if value is None else _shown(value)) + "\n")
    elif args.map_command == "put":
        previous = await m.put(_parse_value(args.key), _parse_value(args.value))
        out.write(("null" if previous is None else _shown(previous)) + "\n")
    elif args.map_command == "size":
        out.write(f"{await m.size()}\n")
    else:
        if args.limit < 0:
            raise ValueError(f"--limit must be >= 0, got {args.limit}")
        for key, value in (await m.entry_set())[: args.limit]:
            out.write(f"{_shown(key)}\t{_shown(value)}\n")


def _progress(done: int, total: int, label: str, err: TextIO) -> None:
    width = 30
    filled = width * done // total if total else width
    err.write(f"\r{label:<4} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        err.write("\n")
    err.flush()


async def _bench(client: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    for name in ("ops", "tasks", "value_size", "keys"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be at least 1")
    m = await client.get_map(f"hazelcast-cli-bench-{time.time_ns()}")
    value = b"x" * args.value_size
    try:
        for label in ("set", "get"):
            done = 0
            step = max(1, args.ops // 100)

            async def worker(offset: int, label: str = label) -> None:
                nonlocal done
                for i in range(offset, args.ops, args.tasks):
                    key = i % args.keys
                    if label == "set":
                        await m.set(key, value)
                    else:
                        await m.get(key)
                    done += 1
                    if done % step == 0 or done == args.ops:
                        _progress(done, args.ops, label, err)

            wall, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(worker(offset) for offset in range(min(args.tasks, args.ops))))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            out.write(
                f"{label}: {args.ops / wall:,.0f} ops/s, {cpu / args.ops * 1e6:.1f} us client CPU per op "
                f"({args.tasks} tasks, {args.value_size}-byte values)\n"
            )
    finally:
        await m.destroy()


async def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    client = await _client(args)
    try:
        if args.command == "members":
            await _members(client, out)
        elif args.command == "partitions":
            await _partitions(client, out)
        elif args.command == "map":
            await _map(client, args, out)
        else:
            await _bench(client, args, out, err)
    finally:
        await client.shutdown()


def _embedded(args: Sequence[str]) -> int:
    try:
        from hazelcast.embedded.__main__ import main as embedded_main
    except ImportError:
        sys.stderr.write("hazelcast embedded needs the hazelcast-embedded distribution: pip install hazelcast-embedded\n")
        return 1
    return embedded_main(list(args))


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command == "embedded":
        # Everything after ``embedded`` belongs to the embedded member's own parser.
        return _embedded([*unknown, *args.args])
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    # An application entry point, not library code: here, and only here, logging output is chosen, so that log
    # records never mix with the command's output on stdout.
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, args.log_level.upper())),
        logger_factory=structlog.PrintLoggerFactory(err),
    )
    try:
        asyncio.run(_run(args, out, err))
    except (HazelcastError, OSError, TimeoutError) as error:
        err.write(f"hazelcast: {error}\n")
        return 1
    except ValueError as error:
        err.write(f"hazelcast: {error}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
