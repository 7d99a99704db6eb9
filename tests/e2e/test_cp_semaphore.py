"""Semaphore end to end: both variants as the member configures them, FIFO order, timeouts, bad input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.cp import SessionAwareSemaphore, SessionlessSemaphore
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.cp import cp_state
from hazelcast.errors import DistributedObjectDestroyedError, IllegalArgumentError, IllegalStateError

from .conftest import running_client, wait_until

_CONFIG = {
    "cp-subsystem": {
        "semaphores": {
            "jdk-*": {"jdk-compatible": True},
            "preset": {"initial-permits": 4},
        }
    }
}


@pytest.fixture
async def cluster() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=1, config=_CONFIG) as cluster:
        yield cluster


@pytest.fixture
async def client(cluster: EmbeddedCluster) -> AsyncIterator[HazelcastClient]:
    async with running_client(cluster) as client:
        yield client


async def test_variant_follows_the_member_configuration(client: HazelcastClient) -> None:
    assert isinstance(await client.cp_subsystem.get_semaphore("plain"), SessionAwareSemaphore)
    assert isinstance(await client.cp_subsystem.get_semaphore("jdk-1"), SessionlessSemaphore)
    assert isinstance(await client.cp_subsystem.get_semaphore("jdk-1@other"), SessionlessSemaphore)


@pytest.mark.parametrize("name", ["session-aware", "jdk-compatible"])
async def test_semaphore_methods(client: HazelcastClient, name: str) -> None:
    semaphore = await client.cp_subsystem.get_semaphore(name if name != "jdk-compatible" else "jdk-methods")
    assert await semaphore.init(3) is True
    assert await semaphore.init(5) is False
    assert await semaphore.available_permits() == 3
    await semaphore.acquire()
    await semaphore.acquire(2)
    assert await semaphore.available_permits() == 0
    assert await semaphore.try_acquire() is False
    await semaphore.release(2)
    assert await semaphore.try_acquire(2, 0.1) is True
    await semaphore.increase_permits(3)
    assert await semaphore.available_permits() == 3
    await semaphore.reduce_permits(1)
    assert await semaphore.available_permits() == 2
    assert await semaphore.drain_permits() == 2
    assert await semaphore.available_permits() == 0
    await semaphore.release(5)
    assert await semaphore.available_permits() == 5
    await semaphore.reduce_permits(6)
    assert await semaphore.available_permits() == -1


async def test_initial_permits_from_the_configuration(client: HazelcastClient) -> None:
    semaphore = await client.cp_subsystem.get_semaphore("preset")
    assert await semaphore.available_permits() == 4
    assert await semaphore.init(1) is False


async def test_session_aware_release_needs_a_prior_acquire(cluster: EmbeddedCluster, client: HazelcastClient) -> None:
    semaphore = await client.cp_subsystem.get_semaphore("strict")
    await semaphore.init(2)
    with pytest.raises(IllegalStateError):
        await semaphore.release()  # no session with the group yet
    await semaphore.acquire()
    with pytest.raises(IllegalArgumentError):
        await semaphore.release(2)  # holds only one
    await semaphore.release()
    async with running_client(cluster) as other:
        theirs = await other.cp_subsystem.get_semaphore("strict")
        await theirs.acquire()
        await semaphore.acquire()
        # The other client's permit is not this client's to release.
        with pytest.raises(IllegalArgumentError):
            await semaphore.release(2)
    # The JDK-compatible variant releases freely.
    free = await client.cp_subsystem.get_semaphore("jdk-free")
    await free.release(3)
    assert await free.available_permits() == 3


async def test_waiters_are_served_in_arrival_order(client: HazelcastClient) -> None:
    semaphore = await client.cp_subsystem.get_semaphore("fifo")
    await semaphore.init(0)
    order: list[int] = []

    async def wait(index: int) -> None:
        await semaphore.acquire()
        order.append(index)

    tasks = []
    for index in range(5):
        tasks.append(asyncio.create_task(wait(index)))
        await asyncio.sleep(0.02)
    for _ in range(5):
        await semaphore.increase_permits(1)
        await asyncio.sleep(0.02)
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert order == [0, 1, 2, 3, 4]


async def test_a_small_request_passes_a_large_one(client: HazelcastClient) -> None:
    semaphore = await client.cp_subsystem.get_semaphore("sizes")
    await semaphore.init(0)
    large = asyncio.create_task(semaphore.acquire(3))
    await asyncio.sleep(0.05)
    small = asyncio.create_task(semaphore.acquire(1))
    await asyncio.sleep(0.05)
    await semaphore.increase_permits(1)
    await asyncio.wait_for(small, 5)
    assert not large.done()
    await semaphore.increase_permits(3)
    await asyncio.wait_for(large, 5)


async def test_try_acquire_times_out(client: HazelcastClient) -> None:
    semaphore = await client.cp_subsystem.get_semaphore("timeout")
    await semaphore.init(1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await semaphore.try_acquire(2, 0.2) is False
    assert loop.time() - started >= 0.15
    assert await semaphore.available_permits() == 1
    waiting = asyncio.create_task(semaphore.try_acquire(2, 5))
    await asyncio.sleep(0.05)
    await semaphore.increase_permits(1)
    assert await asyncio.wait_for(waiting, 5) is True


async def test_bad_input_is_rejected_before_sending(client: HazelcastClient) -> None:
    for name in ("bad", "jdk-bad"):
        semaphore = await client.cp_subsystem.get_semaphore(name)
        with pytest.raises(ValueError):
            await semaphore.init(-1)
        for permits in (0, -1):
            with pytest.raises(ValueError):
                await semaphore.acquire(permits)
            with pytest.raises(ValueError):
                await semaphore.try_acquire(permits)
            with pytest.raises(ValueError):
                await semaphore.release(permits)
        with pytest.raises(ValueError):
            await semaphore.try_acquire(1, -1)
        with pytest.raises(ValueError):
            await semaphore.reduce_permits(-1)
        with pytest.raises(ValueError):
            await semaphore.increase_permits(-1)
        with pytest.raises(AssertionError):  # what the API reference documents, and a ValueError too
            await semaphore.acquire(0)


async def test_destroy_fails_waiters(client: HazelcastClient) -> None:
    semaphore = await client.cp_subsystem.get_semaphore("doomed")
    await semaphore.init(0)
    waiting = asyncio.create_task(semaphore.acquire())
    await asyncio.sleep(0.05)
    await semaphore.destroy()
    with pytest.raises(DistributedObjectDestroyedError):
        await asyncio.wait_for(waiting, 5)


async def test_release_retried_across_a_dropped_connection_counts_once(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster, invocation_retry_pause=0.05) as client:
        semaphore = await client.cp_subsystem.get_semaphore("once")
        await semaphore.init(2)
        await semaphore.acquire(2)
        # The member releases but its answer is held back; the connection drops and the client sends the same
        # request (same invocation UUID) again.
        cluster.delay_responses("Semaphore.release", 0.5)
        releasing = asyncio.create_task(semaphore.release())
        await wait_until(lambda: _available(cluster, "once") == 1, what="the first release executed")
        cluster.members[0].drop_connections()
        await asyncio.wait_for(releasing, 10)
        cluster.clear_faults()
        assert await semaphore.available_permits() == 1
        await semaphore.release()
        assert await semaphore.available_permits() == 2


def _available(cluster: EmbeddedCluster, name: str) -> int:
    [state] = [s for (_, _, object_name), s in cp_state(cluster).objects.items() if object_name == name]
    return state.available
