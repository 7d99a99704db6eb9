"""CP structures through member failures: their state outlives any one member, parked calls move with the client."""

from __future__ import annotations

import asyncio

from hazelcast.embedded import EmbeddedCluster

from .conftest import running_client, wait_until

_RAFT = {"cp-subsystem": {"cp-member-count": 3}}


async def test_values_outlive_a_killed_member() -> None:
    async with EmbeddedCluster(member_count=3, config=_RAFT) as cluster:
        async with running_client(cluster) as client:
            counter = await client.cp_subsystem.get_atomic_long("survivor@group1")
            await counter.set(41)
            await cluster.members[0].kill()
            await wait_until(lambda: len(client.cluster_service.get_members()) == 2, what="the client saw the kill")
            assert await counter.increment_and_get() == 42


async def test_a_parked_lock_call_is_retried_elsewhere_and_still_granted_once() -> None:
    async with EmbeddedCluster(member_count=3, config=_RAFT) as cluster:
        # A unisocket client talks to member 0 only: killing it moves the parked call to another member.
        async with running_client(cluster) as holder, running_client(
            cluster, smart_routing=False, cluster_members=[cluster.addresses[0]], invocation_retry_pause=0.05
        ) as waiter:
            held = await holder.cp_subsystem.get_lock("moving")
            waiting = await waiter.cp_subsystem.get_lock("moving")
            fence = await held.lock()

            async def lock_then_unlock() -> tuple[int, int]:
                taken = await waiting.lock()
                count = await waiting.get_lock_count()
                await waiting.unlock()
                return taken, count

            parked = asyncio.create_task(lock_then_unlock())
            await asyncio.sleep(0.1)
            await cluster.members[0].kill()
            await asyncio.sleep(0.3)
            assert not parked.done()
            await held.unlock()
            new_fence, count = await asyncio.wait_for(parked, 10)
            assert new_fence > fence and count == 1
            assert await held.is_locked() is False
