"""Map key locks end to end: ownership per task, reentrancy, leases, blocked writers, two clients, cancellation,
client loss; try_put/try_remove timeouts."""

from __future__ import annotations

import asyncio

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import IllegalMonitorStateError

from .conftest import running_client, wait_until


async def in_task(coroutine):
    """Run ``coroutine`` in its own task: another lock owner."""
    return await asyncio.ensure_future(coroutine)


@pytest.mark.parametrize("members", [1, 3])
async def test_lock_is_reentrant_and_owned_by_its_task(members: int) -> None:
    async with EmbeddedCluster(member_count=members) as cluster, running_client(cluster) as client:
        m = await client.get_map("locks")
        assert not await m.is_locked("k")
        await m.lock("k")
        await m.lock("k")
        assert await m.is_locked("k")
        assert await in_task(m.is_locked("k"))
        assert not await in_task(m.try_lock("k"))
        with pytest.raises(IllegalMonitorStateError):
            await in_task(m.unlock("k"))
        await m.unlock("k")
        assert await m.is_locked("k")
        await m.unlock("k")
        assert not await m.is_locked("k")
        with pytest.raises(IllegalMonitorStateError):
            await m.unlock("k")
        assert await in_task(m.try_lock("k"))
        await m.force_unlock("k")
        assert not await m.is_locked("k")
        async with m.lock_context("k"):
            assert await m.is_locked("k") and not await in_task(m.try_lock("k"))
            await m.put("k", "inside")
        assert not await m.is_locked("k")


async def test_try_lock_waits_up_to_its_timeout_and_lease_releases(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        m = await client.get_map("leases")
        assert await m.try_lock("k", lease_time=0.2)
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert not await in_task(m.try_lock("k", timeout=0.05))
        assert loop.time() - started >= 0.04
        # The lease ends while the other task waits: it gets the lock.
        assert await in_task(m.try_lock("k", timeout=5))
        assert loop.time() - started < 2
        assert await m.is_locked("k")
        await m.lock("lease", lease_time=0.1)
        assert await in_task(m.is_locked("lease"))
        await asyncio.sleep(0.25)
        assert not await m.is_locked("lease")


async def test_a_locked_key_blocks_other_owners_writes_until_unlocked(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        m = await client.get_map("blocked")
        await m.put("k", "before")
        await m.lock("k")
        await m.put("k", "owner writes")  # the owner is not blocked
        writers = [
            asyncio.ensure_future(m.put("k", "other")),
            asyncio.ensure_future(m.remove("k")),
        ]
        await asyncio.sleep(0.2)
        assert not any(w.done() for w in writers)
        assert await m.get("k") == "owner writes"  # reads are not blocked
        assert not await in_task(m.try_put("k", "tp", timeout=0.05))
        assert not await in_task(m.try_remove("k", timeout=0))
        assert not await m.evict("k")  # locked entries are not evicted
        await m.unlock("k")
        assert await asyncio.wait_for(writers[0], 5) == "owner writes"
        assert await asyncio.wait_for(writers[1], 5) == "other"
        assert await m.get("k") is None
        assert await m.try_put("k", "free", timeout=1)
        assert await m.try_remove("k", timeout=1)


async def test_locks_across_two_clients_and_release_when_the_holder_leaves(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as first, running_client(cluster3) as second:
        m1 = await first.get_map("shared")
        m2 = await second.get_map("shared")
        await m1.lock("k")
        assert await m2.is_locked("k")
        assert not await m2.try_lock("k")
        waiting = asyncio.ensure_future(m2.lock("k"))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        await m1.unlock("k")
        await asyncio.wait_for(waiting, 5)
        assert not await m1.try_lock("k")

        # The second client goes away while it holds the lock: the members release it.
        await second.shutdown()
        await wait_until(lambda: m1.try_lock("k"), what="lock released after its client left")
        await m1.unlock("k")


async def test_cancelled_lock_wait_leaves_nothing_behind(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("cancel")
        await m.lock("k")
        waiting = asyncio.ensure_future(m.lock("k"))
        await asyncio.sleep(0.1)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        await asyncio.sleep(0.1)
        await m.unlock("k")
        # Nobody got the lock for the cancelled task.
        assert not await m.is_locked("k")
        assert await in_task(m.try_lock("k"))


async def test_negative_timeout_waits_and_bad_input_is_refused(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("input")
        await m.lock("k")
        waiting = asyncio.ensure_future(m.try_lock("k", timeout=-1))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        await m.unlock("k")
        assert await asyncio.wait_for(waiting, 5)
        for call in (m.lock(None), m.try_lock(None), m.unlock(None), m.is_locked(None), m.force_unlock(None),
                     m.try_put(None, 1), m.try_put("k", None), m.try_remove(None)):
            with pytest.raises(ValueError):
                await call
        with pytest.raises(TypeError):
            await m.lock("k", lease_time="long")


async def test_a_lock_survives_the_loss_of_its_partition_owner(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        m = await client.get_map("survivor")
        await m.lock("k")
        key_data = client._context.serialization_service.to_data("k")
        owner = cluster3.owner_of(cluster3.partition_id(key_data))
        await owner.kill()
        await asyncio.sleep(0.3)
        assert await m.is_locked("k")
        assert not await in_task(m.try_lock("k"))
        await m.unlock("k")
        assert not await m.is_locked("k")


async def test_waiting_writers_and_lockers_follow_their_partition_to_a_new_member() -> None:
    async with EmbeddedCluster(member_count=2) as cluster, running_client(cluster) as client:
        m = await client.get_map("moving")
        keys = [f"k{i}" for i in range(30)]
        for key in keys:
            await m.lock(key)
        lockers = [asyncio.ensure_future(m.lock(key)) for key in keys]
        writers = [asyncio.ensure_future(m.put(key, "written")) for key in keys]
        await asyncio.sleep(0.2)
        owners_before = {key: cluster.owner_of(cluster.partition_id(client._context.serialization_service.to_data(key)))
                         for key in keys}
        await cluster.add_member()
        await asyncio.sleep(0.3)
        moved = [key for key in keys if cluster.owner_of(
            cluster.partition_id(client._context.serialization_service.to_data(key))) is not owners_before[key]]
        assert moved, "no key's partition moved to the new member"
        assert not any(task.done() for task in lockers + writers)
        for key in keys:
            await m.unlock(key)
        # Each parked lock request is granted once its key is free, wherever the key's partition is now.
        await asyncio.wait_for(asyncio.gather(*lockers), 10)
        for key in keys:
            assert await m.is_locked(key)
            await asyncio.ensure_future(m.force_unlock(key))
        await asyncio.wait_for(asyncio.gather(*writers), 10)
        assert await m.get_all(keys) == {key: "written" for key in keys}
