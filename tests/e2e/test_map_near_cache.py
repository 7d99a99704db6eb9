"""Map near cache end to end: hits, invalidation by other clients, formats, expiry, eviction, statistics, stale-read
repair under a racing writer."""

from __future__ import annotations

import asyncio

import pytest

from hazelcast.collections._near_cached_map import NearCachedMap
from hazelcast.config import EvictionPolicy, InMemoryFormat
from hazelcast.embedded import EmbeddedCluster
from hazelcast.protocol import method

from .conftest import running_client, wait_until


@pytest.mark.parametrize("members", [1, 3])
@pytest.mark.parametrize("in_memory_format", [InMemoryFormat.BINARY, InMemoryFormat.OBJECT])
async def test_reads_hit_the_cache_and_other_clients_writes_invalidate_it(
    members: int, in_memory_format: InMemoryFormat
) -> None:
    near_caches = {"cached-*": {"in_memory_format": in_memory_format}}
    async with (
        EmbeddedCluster(member_count=members) as cluster,
        running_client(cluster, near_caches=near_caches) as client,
        running_client(cluster) as writer,
    ):
        m = await client.get_map("cached-map")
        assert isinstance(m, NearCachedMap)
        assert not isinstance(await client.get_map("plain"), NearCachedMap)
        other = await writer.get_map("cached-map")
        await other.put_all({f"k{i}": [i] for i in range(20)})
        for _ in range(3):
            for i in range(20):
                assert await m.get(f"k{i}") == [i]
        stats = m.near_cache.get_statistics()
        assert (stats["misses"], stats["hits"], stats["owned_entry_count"]) == (20, 40, 20)
        # Without invalidations we would keep reading the old values.
        await other.put("k0", "changed")
        await other.remove("k1")
        await other.set_ttl("k2", 100)
        await wait_until(lambda: m.near_cache.get_statistics()["invalidation_requests"] >= 3, what="invalidations")
        assert await m.get("k0") == "changed"
        assert await m.get("k1") is None
        assert await m.get("k2") == [2]
        await other.clear()
        await wait_until(lambda: len(m.near_cache) == 0, what="cleared near cache")
        assert await m.get("k3") is None
        assert await m.contains_key("k3") is False


async def test_own_writes_are_seen_at_once_and_get_all_uses_the_cache(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3, near_caches={"own": {}}) as client:
        m = await client.get_map("own")
        await m.put_all({i: str(i) for i in range(10)})
        assert await m.get_all(list(range(10))) == {i: str(i) for i in range(10)}
        assert await m.get_all(list(range(12))) == {i: str(i) for i in range(10)}
        assert m.near_cache.get_statistics()["hits"] == 10
        assert await m.contains_key(3)
        for write in (
            m.put(3, "a"), m.set(3, "b"), m.replace(3, "c"), m.put_transient(3, "d"), m.try_put(3, "e"),
        ):
            await write
            assert await m.get(3) == (await m.get_entry_view(3)).value
        await m.put_all({4: "x"})
        assert await m.get(4) == "x"
        assert await m.evict(4) and await m.get(4) is None
        assert await m.remove(5) == "5" and await m.get(5) is None
        await m.evict_all()
        assert await m.get(6) is None


async def test_time_to_live_max_idle_and_eviction(cluster1: EmbeddedCluster) -> None:
    near_caches = {
        "ttl": {"time_to_live": 0.1},
        "idle": {"max_idle": 0.1},
        "small": {"eviction_max_size": 5, "eviction_policy": EvictionPolicy.LRU},
        "none": {"eviction_max_size": 5, "eviction_policy": EvictionPolicy.NONE},
    }
    async with running_client(cluster1, near_caches=near_caches) as client:
        ttl = await client.get_map("ttl")
        await ttl.put("k", 1)
        await ttl.get("k")
        assert await ttl.get("k") == 1 and ttl.near_cache.hits == 1
        await asyncio.sleep(0.15)
        assert await ttl.get("k") == 1
        assert ttl.near_cache.get_statistics()["expirations"] == 1

        idle = await client.get_map("idle")
        await idle.put("k", 1)
        await idle.get("k")
        for _ in range(4):
            await asyncio.sleep(0.05)
            await idle.get("k")  # read often enough: stays
        assert idle.near_cache.expirations == 0
        await asyncio.sleep(0.15)
        await idle.get("k")
        assert idle.near_cache.expirations == 1

        small = await client.get_map("small")
        await small.put_all({i: i for i in range(10)})
        for i in range(10):
            await small.get(i)
        stats = small.near_cache.get_statistics()
        assert stats["owned_entry_count"] == 5 and stats["evictions"] == 5

        none = await client.get_map("none")
        await none.put_all({i: i for i in range(10)})
        for i in range(10):
            assert await none.get(i) == i
        assert len(none.near_cache) == 5 and none.near_cache.evictions == 0


async def test_a_read_racing_a_writer_never_keeps_a_stale_value(cluster3: EmbeddedCluster) -> None:
    async with (
        running_client(cluster3, near_caches={"race": {}}) as reader_client,
        running_client(cluster3) as writer_client,
    ):
        reader = await reader_client.get_map("race")
        writer = await writer_client.get_map("race")
        await writer.put("k", 0)
        stop = asyncio.Event()

        async def write() -> None:
            for value in range(1, 300):
                await writer.set("k", value)
            stop.set()

        observed: list[int] = []

        async def read() -> None:
            while not stop.is_set():
                observed.append(await reader.get("k"))
                await asyncio.sleep(0)  # a near-cache hit completes without suspending: let the writer run

        await asyncio.gather(write(), *(read() for _ in range(8)))
        # Reads and invalidations of the key share the owner's connection: once a read returned a value, no read
        # after it returns an older one (a stale cached copy would).
        assert observed == sorted(observed), "a read returned a value older than one read before it"

        async def settled() -> bool:
            return await reader.get("k") == 299

        await wait_until(settled, what="the near cache converges to the last write")
        hits = reader.near_cache.hits
        assert await reader.get("k") == 299 and reader.near_cache.hits == hits + 1


@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_an_invalidation_overtaking_a_read_keeps_its_old_answer_out_of_the_cache(
    cluster3: EmbeddedCluster, smart: bool
) -> None:
    async with (
        running_client(cluster3, smart_routing=smart, near_caches={"overtaken": {}}) as reader_client,
        running_client(cluster3) as writer_client,
    ):
        reader = await reader_client.get_map("overtaken")
        writer = await writer_client.get_map("overtaken")
        await writer.put("k", "old")
        assert await reader.get("warm-up") is None  # the invalidation listener is in place
        cluster3.delay_responses("Map.get", 0.3)
        read = asyncio.ensure_future(reader.get("k"))
        await asyncio.sleep(0.1)  # the member answered "old"; the answer is on its way
        await writer.set("k", "new")
        await wait_until(lambda: reader.near_cache.invalidation_requests >= 1, what="the invalidation")
        assert await read == "old"
        cluster3.clear_faults()
        assert await reader.get("k") == "new"


async def test_reconciliation_catches_an_invalidation_that_never_arrived(cluster3: EmbeddedCluster) -> None:
    async with (
        running_client(cluster3, near_caches={"lossy": {}}) as reader_client,
        running_client(cluster3) as writer_client,
    ):
        reader = await reader_client.get_map("lossy")
        reader.reconciliation_interval = 0.1
        writer = await writer_client.get_map("lossy")
        await writer.put("k", "old")
        assert await reader.get("k") == "old"
        assert await reader.get("k") == "old" and reader.near_cache.hits == 1
        # The members forget the reader's invalidation listener without telling it: the next write is never
        # reported, as if the event had been lost with a connection.
        cluster3.events.remove_topic(("hz:impl:mapService/invalidation", "lossy"))
        await writer.put("k", "new")

        async def fresh() -> bool:
            return await reader.get("k") == "new"

        await wait_until(fresh, timeout=5, what="the periodic reconciliation marks the partition stale")
        await reader.destroy()
        assert reader._reconciler is None


async def test_near_cache_statistics_reach_the_member(cluster1: EmbeddedCluster) -> None:
    received: list[str] = []
    route = cluster1.routes[method("Client.statistics").request_type]
    original = route.handler

    def recording_handler(request):
        received.append(request.params.client_attributes)
        return original(request)

    route.handler = recording_handler
    async with running_client(
        cluster1, near_caches={"reported": {}}, statistics_enabled=True, statistics_period=0.1
    ) as client:
        m = await client.get_map("reported")
        await m.put("k", 1)
        await m.get("k")
        await m.get("k")
        await wait_until(lambda: any("nc.reported.hits=1" in text for text in received), timeout=5,
                         what="near cache statistics in the client statistics")
        await m.destroy()
        count = len(received)
        await wait_until(lambda: len(received) > count, timeout=5, what="statistics after destroy")
        assert "nc.reported." not in received[-1]


async def test_without_invalidate_on_change_only_local_writes_and_expiry_refresh_the_cache(
    cluster1: EmbeddedCluster,
) -> None:
    near_caches = {"quiet": {"invalidate_on_change": False, "time_to_live": 0.3}}
    async with running_client(cluster1, near_caches=near_caches) as client, running_client(cluster1) as writer_client:
        m = await client.get_map("quiet")
        writer = await writer_client.get_map("quiet")
        await writer.put("k", "old")
        assert await m.get("k") == "old"
        assert not cluster1.events.has_listeners(("hz:impl:mapService/invalidation", "quiet"))
        await writer.put("k", "new")
        await asyncio.sleep(0.05)
        assert await m.get("k") == "old"  # nobody told this cache
        await m.put("k", "mine")
        assert await m.get("k") == "mine"
        await writer.put("k", "newer")
        await asyncio.sleep(0.35)
        assert await m.get("k") == "newer"


async def test_after_a_cluster_restart_the_cache_holds_nothing_of_the_old_cluster(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, near_caches={"restarted": {}}) as client:
        m = await client.get_map("restarted")
        await m.put("k", "before")
        assert await m.get("k") == "before" and await m.get("k") == "before"
        member = cluster1.members[0]
        await member.kill()
        await member.restart()
        await wait_until(lambda: len(client._connections.connections) == 1, what="reconnected to the new cluster")

        async def gone() -> bool:
            return await m.get("k") is None

        await wait_until(gone, what="the old cluster's value is no longer served")
        await m.put("k", "after")
        await wait_until(lambda: cluster1.events.has_listeners(("hz:impl:mapService/invalidation", "restarted")),
                         what="the invalidation listener registered again")
        writer_value = "from another client"
        async with running_client(cluster1) as writer_client:
            writer = await writer_client.get_map("restarted")
            assert await m.get("k") == "after"
            await writer.put("k", writer_value)

            async def fresh() -> bool:
                return await m.get("k") == writer_value

            await wait_until(fresh, what="invalidations flow again after the restart")


async def test_a_refused_invalidation_listener_fails_the_read_and_is_tried_again(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, near_caches={"refused": {}}) as client:
        m = await client.get_map("refused")
        cluster1.fail_requests("Map.addNearCacheInvalidationListener", 1, "refused for the test")
        with pytest.raises(Exception, match="refused for the test"):
            await m.get("k")
        cluster1.clear_faults()
        await m.put("k", 1)
        assert await m.get("k") == 1 and await m.get("k") == 1
        assert m.near_cache.hits == 1
