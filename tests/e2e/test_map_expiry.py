"""Map expiry, eviction and entry views end to end: ttl/max_idle on every write path, set_ttl, evict, evict_all,
member eviction policies, entry statistics as a member reports them."""

from __future__ import annotations

import asyncio
import time

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.proxy.base import EntryEvent, EntryEventType

from .conftest import running_client, wait_until

NEVER = 2**63 - 1


@pytest.mark.parametrize("members", [1, 3])
async def test_ttl_and_max_idle_on_every_write_path(members: int) -> None:
    async with EmbeddedCluster(member_count=members) as cluster, running_client(cluster) as client:
        m = await client.get_map("expiring")
        await m.put("put", 1, ttl=0.1)
        await m.set("set", 1, ttl=0.1)
        await m.put_if_absent("pia", 1, ttl=0.1)
        await m.put_transient("pt", 1, ttl=0.1)
        await m.put("put-idle", 1, max_idle=0.1)
        await m.set("set-idle", 1, ttl=10, max_idle=0.1)
        await m.put_if_absent("pia-idle", 1, max_idle=0.1)
        await m.put_transient("pt-idle", 1, max_idle=0.1)
        await m.put("forever", 1, ttl=0)
        view = await m.get_entry_view("set-idle")
        assert (view.ttl, view.max_idle) == (10_000, 100)
        assert (await m.get_entry_view("forever")).expiration_time == NEVER
        await asyncio.sleep(0.2)
        for key in ("put", "set", "pia", "pt", "put-idle", "set-idle", "pia-idle", "pt-idle"):
            assert await m.get(key) is None, key
        assert await m.get("forever") == 1


async def test_max_idle_counts_from_the_last_read(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("idle")
        await m.set("k", 1, max_idle=0.2)
        for _ in range(4):
            await asyncio.sleep(0.08)
            assert await m.get("k") == 1
        await asyncio.sleep(0.3)
        assert await m.get("k") is None


@pytest.mark.parametrize("members", [1, 3])
async def test_set_ttl_evict_and_evict_all(members: int) -> None:
    async with EmbeddedCluster(member_count=members) as cluster, running_client(cluster) as client:
        m = await client.get_map("evictions")
        await m.put("k", 1)
        await m.set_ttl("k", 0.1)
        await m.set_ttl("absent", 0.1)  # no effect, no error
        assert await m.get("absent") is None
        await asyncio.sleep(0.2)
        assert await m.get("k") is None
        await m.set("t", 1, ttl=0.1)
        await m.set_ttl("t", 0)  # forever from now on
        await asyncio.sleep(0.2)
        assert await m.get("t") == 1

        assert await m.evict("t") and not await m.evict("t")
        await m.put_all({i: i for i in range(50)})
        await m.lock(7)
        await m.evict_all()
        assert await m.key_set() == [7]  # locked entries stay
        await m.unlock(7)
        await m.flush()  # no MapStore: nothing to write, and no error


async def test_entry_view_statistics_when_enabled(tmp_path) -> None:
    config = {"map": {"stats-*": {"per-entry-stats-enabled": True}}}
    async with EmbeddedCluster(member_count=3, config=config) as cluster, running_client(cluster) as client:
        m = await client.get_map("stats-on")
        before = int(time.time() * 1000)
        await m.put("k", "v", ttl=30)
        await m.put("k", "w", ttl=30)
        await m.get("k")
        await m.get("k")
        view = await m.get_entry_view("k")
        assert (view.key, view.value, view.hits, view.version, view.ttl) == ("k", "w", 2, 1, 30_000)
        assert before <= view.creation_time <= view.last_update_time <= view.last_access_time
        assert view.expiration_time == view.last_update_time + 30_000
        assert view.max_idle == NEVER
        assert await m.get_entry_view("absent") is None

        plain = await client.get_map("plain")
        await plain.put("k", "v")
        await plain.get("k")
        view = await plain.get_entry_view("k")
        assert (view.hits, view.creation_time, view.last_access_time, view.last_update_time) == (-1, -1, -1, -1)
        assert view.value == "v" and view.version == 0


@pytest.mark.parametrize(
    ("policy", "max_size_policy", "size", "bound"),
    [("LRU", "PER_PARTITION", 3, 3), ("LFU", "PER_PARTITION", 2, 2), ("RANDOM", "PER_NODE", 6, 2)],
)
async def test_member_eviction_policies_bound_the_map(policy: str, max_size_policy: str, size: int, bound: int) -> None:
    config = {
        "partition-count": 3,
        "map": {"bounded": {"eviction": {"eviction-policy": policy, "max-size-policy": max_size_policy, "size": size}}},
    }
    async with EmbeddedCluster(member_count=1, config=config) as cluster, running_client(cluster) as client:
        m = await client.get_map("bounded")
        evicted: list[EntryEvent] = []
        await m.add_entry_listener(include_value=True, evicted_func=evicted.append)
        for i in range(40):
            await m.set(i, i)
            await m.get(i)  # LRU/LFU: recently and often read entries are kept longer
        assert await m.size() <= bound * 3
        await wait_until(lambda: len(evicted) == 40 - bound * 3, what="one EVICTED event per eviction")
        assert all(e.event_type == EntryEventType.EVICTED and e.old_value == e.key for e in evicted)
        await m.put_all({i: i for i in range(100, 140)})  # bulk writes are bounded too
        assert await m.size() <= bound * 3
        unbounded = await client.get_map("unbounded")
        await unbounded.put_all({i: i for i in range(40)})
        assert await unbounded.size() == 40


async def test_bad_input_is_refused_before_sending(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("input")
        for call in (m.evict(None), m.set_ttl(None, 1), m.set_ttl("k", None), m.put_transient(None, 1),
                     m.put_transient("k", None), m.get_entry_view(None)):
            with pytest.raises(ValueError):
                await call
        with pytest.raises(TypeError):
            await m.put("k", 1, ttl="soon")
        # A negative ttl means "the map's configuration", as in the official client.
        await m.put("k", 1, ttl=-1)
        assert (await m.get_entry_view("k")).expiration_time == NEVER
