"""A short tour of the client against an embedded member (or against HAZELCAST_MEMBERS, e.g. "10.0.0.5:5701").

    uv run --all-packages python examples/demo.py
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator

import structlog

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue


@contextlib.asynccontextmanager
async def cluster_addresses() -> AsyncIterator[tuple[list[str], object | None]]:
    configured = os.environ.get("HAZELCAST_MEMBERS")
    if configured:
        yield [address.strip() for address in configured.split(",") if address.strip()], None
        return
    from hazelcast.embedded import EmbeddedCluster

    async with EmbeddedCluster(member_count=3) as cluster:
        print(f"started 3 embedded members at {', '.join(cluster.addresses)}")
        yield list(cluster.addresses), cluster


async def main() -> None:
    # An application decides how logs look; the library only emits them. Keep the tour's output to warnings.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    async with cluster_addresses() as (addresses, cluster):
        client = await HazelcastClient.create_and_start(cluster_members=addresses, cluster_name="dev")
        try:
            members = client.cluster_service.get_members()
            print(f"{client.name} connected to {len(members)} member(s), "
                  f"{client.partition_service.get_partition_count()} partitions")

            capitals = await client.get_map("capitals")
            await capitals.put_all({"France": "Paris", "Japan": "Tokyo", "Kenya": "Nairobi", "Peru": "Lima"})
            print("get Japan ->", await capitals.get("Japan"))
            print("put Peru (returns the old value) ->", await capitals.put("Peru", "Lima (Ciudad de los Reyes)"))
            print("put_if_absent France ->", await capitals.put_if_absent("France", "Lyon"))
            print("size ->", await capitals.size(), "| keys ->", sorted(await capitals.key_set()))
            print("get_all ->", await capitals.get_all(["France", "Kenya", "Atlantis"]))

            documents = await client.get_map("documents")
            await documents.set(1, HazelcastJsonValue({"title": "Hazelcast", "tags": ["asyncio", "python"]}))
            print("json value ->", (await documents.get(1)).loads())

            # A queue, a topic, a CP counter and SQL over the map, each from its own distribution.
            tasks = await client.get_queue("tasks")
            await tasks.offer("write the report")
            print("queue poll ->", await tasks.poll())

            news = await client.get_topic("news")
            received: asyncio.Queue[str] = asyncio.Queue()
            await news.add_listener(lambda message: received.put_nowait(message.message))
            await news.publish("hello, subscribers")
            print("topic message ->", await asyncio.wait_for(received.get(), timeout=5))

            visits = await client.cp_subsystem.get_atomic_long("visits")
            print("atomic long ->", await visits.increment_and_get(), await visits.add_and_get(10))

            await client.sql.execute(
                "CREATE OR REPLACE MAPPING capitals TYPE IMap OPTIONS ('keyFormat'='varchar', 'valueFormat'='varchar')"
            )
            async with await client.sql.execute(
                "SELECT __key, this FROM capitals WHERE this LIKE ? ORDER BY __key", "L%"
            ) as result:
                print("sql ->", [(row.get_object("__key"), row.get_object("this")) async for row in result])

            if cluster is not None:
                victim = cluster.members[1]
                print(f"killing member {victim.address} ...")
                await victim.kill()
                await asyncio.sleep(0.2)
                print("after the loss: size ->", await capitals.size(), "| Kenya ->", await capitals.get("Kenya"))

            await capitals.destroy()
            await documents.destroy()
            await tasks.destroy()
            await news.destroy()
        finally:
            await client.shutdown()
    print("done")


if __name__ == "__main__":
    asyncio.run(main())
