"""A 64-task write load on a map, a queue and a CP AtomicLong that remembers every acknowledged write and its time."""

from __future__ import annotations

import asyncio
import bisect
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hazelcast.errors import HazelcastError

MAP_WRITERS = 40
QUEUE_PRODUCERS = 16
COUNTER_WRITERS = 8
QUEUE_CONSUMERS = 4
#: The writers of the three structures: the 64 tasks of the load (consumers come on top).
WRITERS = MAP_WRITERS + QUEUE_PRODUCERS + COUNTER_WRITERS


@dataclass
class Stream:
    """Acknowledged and failed operations of one structure, with the times of the acknowledgements."""

    name: str
    issued: int = 0
    failed: int = 0
    ack_times: list[float] = field(default_factory=list)

    def acked(self, now: float) -> None:
        self.ack_times.append(now)

    def acks_since(self, since: float) -> int:
        return len(self.ack_times) - bisect.bisect_left(self.ack_times, since)

    def longest_gap(self, start: float, end: float) -> float:
        """Longest time without an acknowledgement in [start, end], counting from ``start`` to the first one."""
        times = self.ack_times[bisect.bisect_left(self.ack_times, start) : bisect.bisect_right(self.ack_times, end)]
        gap, previous = 0.0, start
        for moment in times:
            gap = max(gap, moment - previous)
            previous = moment
        return max(gap, end - previous)


class WriteLoad:
    """Writers of unique keys/items/increments; each remembers what was acknowledged and what failed."""

    def __init__(self, orders: Any, jobs: Any, counter: Any | None) -> None:
        self._orders, self._jobs, self._counter = orders, jobs, counter
        self._loop = asyncio.get_running_loop()
        self._keys = itertools.count()
        self._items = itertools.count()
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.map = Stream("map")
        self.queue = Stream("queue")
        self.counter = Stream("atomic long")
        self.polls = Stream("queue poll")
        #: key -> value of every acknowledged Map.set, and the keys of the sets that failed (stored or not).
        self.map_acked: dict[int, int] = {}
        self.map_key_ack_time: dict[int, float] = {}
        self.map_failed: set[int] = set()
        self.queue_acked: set[int] = set()
        self.queue_ack_time: dict[int, float] = {}
        self.queue_failed: set[int] = set()
        self.polled: Counter[int] = Counter()
        #: Values returned by acknowledged increments: each increment that counted once gets a value of its own.
        self.counter_values: list[int] = []

    @property
    def streams(self) -> tuple[Stream, ...]:
        """The write streams under load (without a counter, the map's and the queue's)."""
        if self._counter is None:
            return self.map, self.queue
        return self.map, self.queue, self.counter

    @property
    def operations(self) -> int:
        return sum(stream.issued for stream in (*self.streams, self.polls))

    def start(self) -> None:
        spawn = self._tasks.append
        for _ in range(MAP_WRITERS):
            spawn(asyncio.create_task(self._write_map()))
        for _ in range(QUEUE_PRODUCERS):
            spawn(asyncio.create_task(self._offer()))
        # Without a counter its writers write to the map: the load stays at 64 writing tasks.
        for _ in range(COUNTER_WRITERS):
            spawn(asyncio.create_task(self._increment() if self._counter is not None else self._write_map()))
        for _ in range(QUEUE_CONSUMERS):
            spawn(asyncio.create_task(self._poll()))

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)

    async def _write_map(self) -> None:
        stream, now = self.map, self._loop.time
        while not self._stop.is_set():
            key = next(self._keys)
            stream.issued += 1
            try:
                await self._orders.set(key, key * 10)
            except HazelcastError:
                stream.failed += 1
                self.map_failed.add(key)
                await asyncio.sleep(0.01)
                continue
            moment = now()
            self.map_acked[key] = key * 10
            self.map_key_ack_time[key] = moment
            stream.acked(moment)

    async def _offer(self) -> None:
        stream, now = self.queue, self._loop.time
        while not self._stop.is_set():
            item = next(self._items)
            stream.issued += 1
            try:
                accepted = await self._jobs.offer(item)
            except HazelcastError:
                stream.failed += 1
                self.queue_failed.add(item)
                await asyncio.sleep(0.01)
                continue
            assert accepted, "an unbounded queue accepts every offer"
            moment = now()
            self.queue_acked.add(item)
            self.queue_ack_time[item] = moment
            stream.acked(moment)

    async def _increment(self) -> None:
        stream, now = self.counter, self._loop.time
        while not self._stop.is_set():
            stream.issued += 1
            try:
                value = await self._counter.increment_and_get()
            except HazelcastError:
                stream.failed += 1
                await asyncio.sleep(0.01)
                continue
            self.counter_values.append(value)
            stream.acked(now())

    async def _poll(self) -> None:
        stream, now = self.polls, self._loop.time
        while not self._stop.is_set():
            stream.issued += 1
            try:
                item = await self._jobs.poll(0.05)
            except HazelcastError:
                stream.failed += 1
                await asyncio.sleep(0.01)
                continue
            if item is not None:
                self.polled[item] += 1
                stream.acked(now())

    def queue_items_lost_to_polls(self) -> int:
        """How many acknowledged offers may be missing because a poll's answer was lost with its member.

        A poll is not retried after its connection is lost, so only a poll that failed can have taken an item whose
        answer never came (its outcome is unknown, as in Hazelcast); a poll that succeeded got its own item.
        """
        return self.polls.failed

    async def drain_queue(self) -> None:
        """Poll what the consumers left in the queue."""
        while True:
            self.polls.issued += 1
            item = await self._jobs.poll()
            if item is None:
                return
            self.polled[item] += 1
