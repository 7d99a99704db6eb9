"""The collection proxies through one connection (unisocket): requests and events for other members' partitions and
replicas pass through the connected member."""

from __future__ import annotations

import asyncio
from typing import Any

from hazelcast.embedded import EmbeddedCluster

from .conftest import running_client, wait_until


async def test_queue_list_set_and_counter_through_one_connection() -> None:
    async with EmbeddedCluster(member_count=3) as cluster:
        async with running_client(cluster, smart_routing=False) as client:
            items: list[Any] = []
            queues = [await client.get_queue(f"uni-{i}") for i in range(6)]  # names on several owners
            for q in queues:
                await q.add_listener(True, items.append)
            takes = [asyncio.ensure_future(q.take()) for q in queues]
            await asyncio.sleep(0.05)
            for index, q in enumerate(queues):
                await q.offer(index)
            assert await asyncio.wait_for(asyncio.gather(*takes), 5) == list(range(6))
            await wait_until(lambda: sorted(e.item for e in items) == list(range(6)), what="one event per offer")

            lst = await client.get_list("uni-list")
            await lst.add_all([1, 2])
            s = await client.get_set("uni-set")
            await s.add("x")
            assert await lst.get_all() == [1, 2] and await s.get_all() == ["x"]

            counter = await client.get_pn_counter("uni-counter")
            for _ in range(3):
                await counter.increment_and_get()
                counter._target = None  # each call may pick another replica, reached through the one connection
            # A replica that has not seen the session's writes refuses and the proxy moves on: the reads see them all.
            assert await counter.get() == 3
