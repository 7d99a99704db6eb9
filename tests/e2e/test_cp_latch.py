"""CountDownLatch end to end: rounds, concurrent awaiters, timeouts, exactly-once count-downs, bad input."""

from __future__ import annotations

import asyncio

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.cp import cp_state
from hazelcast.errors import DistributedObjectDestroyedError

from .conftest import running_client, wait_until


async def test_latch_methods(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        latch = await client.cp_subsystem.get_count_down_latch("basic")
        assert await latch.get_count() == 0
        assert await latch.await_latch(0) is True
        assert await latch.try_set_count(2) is True
        assert await latch.try_set_count(5) is False
        assert await latch.get_count() == 2
        assert await latch.await_latch(0) is False
        await latch.count_down()
        assert await latch.get_count() == 1
        await latch.count_down()
        assert await latch.get_count() == 0
        await latch.count_down()  # at zero nothing happens
        assert await latch.get_count() == 0
        # Reusable once at zero: a new round.
        assert await latch.try_set_count(1) is True
        assert await latch.get_round() == 2


async def test_concurrent_awaiters_are_released_once(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as first, running_client(cluster1) as second:
        latch = await first.cp_subsystem.get_count_down_latch("gate")
        other = await second.cp_subsystem.get_count_down_latch("gate")
        await latch.try_set_count(3)
        waiters = [asyncio.create_task((latch if i % 2 else other).await_latch(10)) for i in range(10)]
        await asyncio.sleep(0.05)
        assert not any(w.done() for w in waiters)
        await asyncio.gather(latch.count_down(), other.count_down())
        await asyncio.sleep(0.05)
        assert not any(w.done() for w in waiters)
        await latch.count_down()
        assert await asyncio.wait_for(asyncio.gather(*waiters), 5) == [True] * 10


async def test_await_times_out(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        latch = await client.cp_subsystem.get_count_down_latch("slow")
        await latch.try_set_count(1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert await latch.await_latch(0.2) is False
        assert loop.time() - started >= 0.15


async def test_bad_input_is_rejected_before_sending(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        latch = await client.cp_subsystem.get_count_down_latch("bad")
        for count in (0, -1):
            with pytest.raises(ValueError):
                await latch.try_set_count(count)
        with pytest.raises(ValueError):
            await latch.await_latch(-1)
        with pytest.raises(ValueError):
            await latch.await_latch(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            await latch.try_set_count("2")  # type: ignore[arg-type]


async def test_destroy_releases_awaiters_with_an_error(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        latch = await client.cp_subsystem.get_count_down_latch("doomed")
        await latch.try_set_count(1)
        waiter = asyncio.create_task(latch.await_latch(10))
        await asyncio.sleep(0.05)
        await latch.destroy()
        with pytest.raises(DistributedObjectDestroyedError):
            await asyncio.wait_for(waiter, 5)
        with pytest.raises(DistributedObjectDestroyedError):
            await latch.get_count()


async def test_count_down_retried_across_a_dropped_connection_counts_once() -> None:
    async with EmbeddedCluster(member_count=1) as cluster:
        async with running_client(cluster, invocation_retry_pause=0.05) as client:
            latch = await client.cp_subsystem.get_count_down_latch("once")
            await latch.try_set_count(2)
            # The member executes the count-down but its answer is held back; the connection then drops, so the
            # client sends the same request (same invocation UUID) again on a new connection.
            cluster.delay_responses("CountDownLatch.countDown", 0.5)
            counting = asyncio.create_task(latch.count_down())
            await wait_until(lambda: cluster_count(cluster) == 1, what="the first count-down executed")
            cluster.members[0].drop_connections()
            await asyncio.wait_for(counting, 10)
            cluster.clear_faults()
            assert await latch.get_count() == 1


def cluster_count(cluster: EmbeddedCluster) -> int:
    state = cp_state(cluster)
    [latch] = [s for (g, service, name), s in state.objects.items() if name == "once"]
    return len(latch.counted)
