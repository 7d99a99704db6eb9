"""Member CPU per operation with the client and the kernel taken out: the Python cost of the embedded member alone.

A one-member embedded cluster runs in this process; a client connection to it is made without a socket (its
transport is a stand-in that counts what is written), authenticated, and then fed pre-encoded requests the way a
busy client sends them: ``--batch`` messages per read (64 tasks in flight send about that many per write). What is
printed per workload is the member's CPU per request over ``--ops`` requests (decode, dispatch, handler, response
encoding, the write), best, median and worst of ``--repeat`` runs. It is the A/B tool for changes of the member's
hot path; ``suite.py`` measures the member under a real client::

    uv run --all-packages python benchmarks/member_hot_path.py
    uv run --all-packages python benchmarks/member_hot_path.py --workloads map_get --repeat 9 --profile
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import statistics
import time
from collections.abc import Callable
from typing import Any

import structlog

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.connection import PROTOCOL_PREAMBLE, ClientConnection
from hazelcast.protocol import method
from hazelcast.protocol.frames import set_correlation_id, set_partition_id
from hazelcast.config import Config
from hazelcast.serialization import SerializationService

KEY_COUNT = 1000
VALUE = "value-".ljust(100, "x")

_MAP_SET = method("Map.set")
_MAP_GET = method("Map.get")
_QUEUE_OFFER = method("Queue.offer")
_QUEUE_POLL = method("Queue.poll")


class CountingTransport(asyncio.Transport):
    """Stands in for the socket of the client connection: counts writes and bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.bytes = 0

    def write(self, data: Any) -> None:
        self.writes += 1
        self.bytes += len(data)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def is_closing(self) -> bool:
        return False

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def _requests(cluster: EmbeddedCluster, workload: str, ops: int) -> list[bytes]:
    """Encoded requests of ``workload`` with correlation and partition ids, as our client sends them."""
    serialization = SerializationService(Config())
    keys = [bytes(serialization.to_data(key)) for key in range(KEY_COUNT)]
    value = bytes(serialization.to_data(VALUE))
    name = "bench-" + workload
    queue_partition = cluster.name_partition_id(name)
    encoded: list[bytes] = []
    for index in range(ops):
        if workload == "map_set":
            key = keys[index % KEY_COUNT]
            buf = _MAP_SET.encode_request(name, key, value, 1, -1)
            partition_id = cluster.partition_id(key)
        elif workload == "map_get":
            key = keys[index % KEY_COUNT]
            buf = _MAP_GET.encode_request(name, key, 1)
            partition_id = cluster.partition_id(key)
        elif workload == "queue_offer":
            buf = _QUEUE_OFFER.encode_request(name, value, 0)
            partition_id = queue_partition
        else:
            buf = _QUEUE_POLL.encode_request(name, 0)
            partition_id = queue_partition
        set_correlation_id(buf, index + 100)
        set_partition_id(buf, partition_id)
        encoded.append(bytes(buf))
    return encoded


def _batches(requests: list[bytes], batch: int) -> list[bytes]:
    return [b"".join(requests[start:start + batch]) for start in range(0, len(requests), batch)]


async def _connection(cluster: EmbeddedCluster) -> tuple[ClientConnection, CountingTransport]:
    member = cluster.members[0]
    connection = ClientConnection(member)
    transport = CountingTransport()
    connection.connection_made(transport)  # type: ignore[arg-type]
    connection.data_received(PROTOCOL_PREAMBLE)
    connection.mark_authenticated(None, "bench", "PYH")
    return connection, transport


async def _run(workload: str, ops: int, batch: int, profile: cProfile.Profile | None) -> tuple[float, float]:
    """(member CPU µs per request, requests per write) of one run."""
    async with EmbeddedCluster(1) as cluster:
        connection, transport = await _connection(cluster)
        if workload == "map_get":
            for chunk in _batches(_requests(cluster, "map_set", KEY_COUNT), batch):
                connection.data_received(chunk)
        elif workload == "queue_poll":
            for chunk in _batches(_requests(cluster, "queue_offer", ops), batch):
                connection.data_received(chunk)
        await asyncio.sleep(0)
        chunks = _batches(_requests(cluster, workload, ops), batch)
        writes_before = transport.writes
        feed: Callable[[bytes], None] = connection.data_received
        if profile is not None:
            profile.enable()
        started = time.process_time()
        for chunk in chunks:
            feed(chunk)
            # One loop turn per read, as under a real client: what the member schedules runs before the next read.
            await asyncio.sleep(0)
        elapsed = time.process_time() - started
        if profile is not None:
            profile.disable()
        writes = transport.writes - writes_before
        connection.abort()
        return elapsed * 1e6 / ops, ops / max(writes, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["map_set", "map_get", "queue_offer", "queue_poll"],
                        choices=["map_set", "map_get", "queue_offer", "queue_poll"])
    parser.add_argument("--ops", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=32, help="requests per read")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the runs (slower figures)")
    args = parser.parse_args()
    # A script's entry point: member log records (cluster started, connection opened...) would drown the figures.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    for workload in args.workloads:
        profile = cProfile.Profile() if args.profile else None
        runs = [asyncio.run(_run(workload, args.ops, args.batch, profile)) for _ in range(args.repeat)]
        per_op = sorted(run[0] for run in runs)
        print(f"{workload:<12} member CPU µs per request: best {per_op[0]:.2f}  median {statistics.median(per_op):.2f}"
              f"  worst {per_op[-1]:.2f}   requests per write {runs[0][1]:.1f}")
        if profile is not None:
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
