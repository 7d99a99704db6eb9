"""Client CPU per operation with the member taken out: the Python cost of our hot path alone.

The client connects to a one-member cluster as usual (``--members host:port``, or an embedded member started in a
child process; with more members, only the first connection would be answered here), then that connection's
transport is swapped for an answering machine inside this process: every request written is answered at the next
loop iteration with a canned response of its message type, the correlation id patched in. The time that machine
spends is measured and subtracted, so what is printed is the client's own CPU per operation: encoding, routing,
registering, framing, decoding and waking the caller, without the kernel and without waiting for a member. It is the
figure to compare across changes of the hot path (A/B, same machine, one run each); ``suite.py`` remains the judge
against the official client::

    uv run --all-packages python benchmarks/hot_path.py --workloads map_get map_set queue_offer --tasks 64
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import struct
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.protocol import method

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.suite import start_member  # noqa: E402

_FRAME = struct.Struct("<iH")
_IS_FINAL = 1 << 13
_TYPE_AND_CORRELATION = struct.Struct("<iq")
_CORRELATION_OFFSET = 6 + 4  # frame header, message type
#: Keys per map_get_all / map_put_all call; those workloads run this many times fewer calls.
_BULK = 100


def _value_data(client: Any, value: Any) -> bytes:
    return bytes(client._serialization.to_data(value))


def _responses(client: Any) -> dict[int, bytes]:
    """Canned responses by request message type: what a member answers to each benchmarked request."""
    value = _value_data(client, "v" * 100)
    pairs = {
        "Map.get": method("Map.get").encode_response(value),
        "Map.set": method("Map.set").encode_response(),
        "Map.put": method("Map.put").encode_response(value),
        # One entry per partition request, about what 100 random keys over 271 partitions give.
        "Map.getAll": method("Map.getAll").encode_response([(_value_data(client, 1), value)]),
        "Map.putAll": method("Map.putAll").encode_response(),
        "Queue.offer": method("Queue.offer").encode_response(True),
        "Queue.poll": method("Queue.poll").encode_response(value),
        "Topic.publish": method("Topic.publish").encode_response(),
        "List.add": method("List.add").encode_response(True),
        "List.get": method("List.get").encode_response(value),
        "AtomicLong.addAndGet": method("AtomicLong.addAndGet").encode_response(1),
        "Ringbuffer.add": method("Ringbuffer.add").encode_response(1),
    }
    return {method(name).request_type: bytes(response) for name, response in pairs.items()}


class AnsweringTransport:
    """Stands in for the socket: answers each request with the canned response of its type, one loop turn later."""

    def __init__(self, connection: Any, responses: dict[int, bytes], events: dict[int, bytes]) -> None:
        self._connection = connection
        self._responses = responses
        #: Request type -> the events (already addressed to their listener) that follow its response.
        self._events = events
        self._loop = asyncio.get_running_loop()
        self._outbox: list[bytes] = []
        self._partial = b""
        self.own_cpu = 0.0

    def write(self, data: Any) -> None:
        started = time.process_time()
        # A large write (many requests joined) may be handed over in slices that cut a request: the cut part waits.
        data = self._partial + bytes(data)
        pos, end = 0, len(data)
        outbox = self._outbox
        while pos < end:
            message_end = pos
            while True:  # the end of the request's frames, if they are all here
                if message_end + _FRAME.size > end:
                    message_end = -1
                    break
                length, flags = _FRAME.unpack_from(data, message_end)
                message_end += length
                if message_end > end:
                    message_end = -1
                    break
                if flags & _IS_FINAL:
                    break
            if message_end < 0:
                break
            message_type, correlation_id = _TYPE_AND_CORRELATION.unpack_from(data, pos + 6)
            response = bytearray(self._responses[message_type])
            struct.pack_into("<q", response, _CORRELATION_OFFSET, correlation_id)
            if not outbox:
                self._loop.call_soon(self._deliver)
            outbox.append(response)
            events = self._events.get(message_type)
            if events is not None:
                outbox.append(events)
            pos = message_end
        self._partial = data[pos:]
        self.own_cpu += time.process_time() - started

    def _deliver(self) -> None:
        started = time.process_time()
        data = b"".join(self._outbox)
        self._outbox.clear()
        self.own_cpu += time.process_time() - started
        self._connection.data_received(data)

    def is_closing(self) -> bool:
        return False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default


async def _operation(client: Any, workload: str, events: dict[int, bytes]) -> Callable[[int], Awaitable[Any]]:
    """The workload's operation; for a topic with listeners, ``events`` gets the message events its publish causes."""
    value = "v" * 100
    if workload.startswith("map_"):
        proxy = await client.get_map("hot-path")
        operations: dict[str, Callable[[int], Awaitable[Any]]] = {
            "map_get": proxy.get,
            "map_set": lambda k: proxy.set(k, value),
            "map_put": lambda k: proxy.put(k, value),
            # A call per 100 keys: one request per partition they fall in.
            "map_get_all": lambda k: proxy.get_all(list(range(k, k + _BULK))),
            "map_put_all": lambda k: proxy.put_all({key: value for key in range(k, k + _BULK)}),
        }
        return operations[workload]
    if workload.startswith("queue_"):
        queue = await client.get_queue("hot-path")
        return (lambda k: queue.offer(value)) if workload == "queue_offer" else (lambda k: queue.poll())
    if workload.startswith("topic_publish"):
        topic = await client.get_topic(workload)
        connection = next(iter(client._connections.connections.values()))
        before = set(connection.event_handlers)
        listeners = int(workload.rpartition("_")[2]) if workload != "topic_publish" else 0
        received = []
        for _ in range(listeners):
            await topic.add_listener(received.append)
        registrations = set(connection.event_handlers) - before
        codec = method("Topic.addMessageListener")
        member = next(iter(client._connections.connections))
        message = bytearray(codec.encode_event[0](_value_data(client, value), 1_700_000_000_000, member))
        batch = bytearray()
        for correlation_id in registrations:  # one registration per proxy: its listeners share the event
            struct.pack_into("<q", message, _CORRELATION_OFFSET, correlation_id)
            batch += message
        if batch:
            events[method("Topic.publish").request_type] = bytes(batch)

        async def publish(_: int) -> None:
            await topic.publish(value)
            received.clear()

        return publish
    if workload == "atomic_long_increment":
        counter = await client.cp_subsystem.get_atomic_long("hot-path")
        return lambda k: counter.increment_and_get()
    if workload == "ringbuffer_add":
        ringbuffer = await client.get_ringbuffer("hot-path")
        return lambda k: ringbuffer.add(value)
    if workload.startswith("list_"):
        items = await client.get_list("hot-path")
        return (lambda k: items.add(value)) if workload == "list_add" else (lambda k: items.get(0))
    raise SystemExit(f"unknown workload {workload}")


async def _run(members: str, workloads: list[str], tasks: int, ops: int, repeat: int) -> None:
    client = await HazelcastClient.create_and_start(cluster_members=[members])
    try:
        responses = _responses(client)
        connection = next(iter(client._connections.connections.values()))
        real_transport = connection._transport
        for workload in workloads:
            events: dict[int, bytes] = {}
            operation = await _operation(client, workload, events)
            figures = []
            for _ in range(repeat):
                answering = AnsweringTransport(connection, responses, events)
                connection._transport = answering
                try:
                    per_task = max(1, (ops // _BULK if workload.endswith("_all") else ops) // tasks)

                    async def worker(offset: int) -> None:
                        for i in range(per_task):
                            await operation((offset + i) % 1000)

                    await asyncio.gather(*(worker(t * 7) for t in range(tasks)))  # warm-up
                    answering.own_cpu = 0.0
                    started = time.process_time()
                    await asyncio.gather(*(worker(t * 7) for t in range(tasks)))
                    cpu = time.process_time() - started - answering.own_cpu
                finally:
                    connection._transport = real_transport
                figures.append(cpu / (per_task * tasks) * 1e6)
            figures.sort()
            # The minimum is the steadiest figure for an A/B comparison on a shared machine.
            unit = "call" if workload.endswith("_all") else "op"
            print(f"{workload:14} {tasks:3} tasks: {figures[0]:6.2f} µs client CPU per {unit} at best, "
                  f"median {figures[len(figures) // 2]:.2f}, worst {figures[-1]:.2f}", flush=True)
    finally:
        await client.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", help="host:port of a running member (default: start an embedded one)")
    parser.add_argument("--workloads", nargs="+", default=[
        "map_get", "map_set", "queue_offer", "queue_poll", "list_add", "list_get", "topic_publish", "topic_publish_1",
        "topic_publish_8", "atomic_long_increment", "ringbuffer_add",
    ], help="map_get map_set map_put map_get_all map_put_all queue_offer queue_poll list_add list_get topic_publish topic_publish_<listeners> "
            "atomic_long_increment ringbuffer_add")
    parser.add_argument("--tasks", type=int, default=64)
    parser.add_argument("--ops", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    member = None
    members = args.members
    if members is None:
        member, members = start_member([])  # returns once the member listens
    try:
        asyncio.run(_run(members, args.workloads, args.tasks, args.ops, args.repeat))
    finally:
        if member is not None:
            member.terminate()
            member.wait(10)


if __name__ == "__main__":
    main()
