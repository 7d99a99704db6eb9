"""FencedLock end to end: ownership per task, reentrancy and its limit, fences, try_lock timeouts, bad input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.cp import FencedLock
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import DistributedObjectDestroyedError, IllegalMonitorStateError, LockAcquireLimitReachedError

from .conftest import running_client

_CONFIG = {"cp-subsystem": {"locks": {"single": {"lock-acquire-limit": 1}, "twice-*": {"lock-acquire-limit": 2}}}}


@pytest.fixture
async def cluster() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=2, config=_CONFIG) as cluster:
        yield cluster


@pytest.fixture
async def client(cluster: EmbeddedCluster) -> AsyncIterator[HazelcastClient]:
    async with running_client(cluster) as client:
        yield client


async def test_lock_unlock_and_state(client: HazelcastClient) -> None:
    lock = await client.cp_subsystem.get_lock("basic")
    assert isinstance(lock, FencedLock)
    assert await client.cp_subsystem.get_lock("basic") is lock
    assert await lock.is_locked() is False
    assert await lock.get_lock_count() == 0
    fence = await lock.lock()
    assert fence > FencedLock.INVALID_FENCE
    assert await lock.is_locked() is True
    assert await lock.is_locked_by_current_thread() is True
    assert await lock.is_locked_by_current_task() is True
    assert await lock.lock() == fence  # reentrant: same fence
    assert await lock.get_lock_count() == 2
    await lock.unlock()
    assert await lock.is_locked() is True
    await lock.unlock()
    assert await lock.is_locked() is False
    assert await lock.lock() > fence  # a new acquisition, a greater fence
    await lock.unlock()
    with pytest.raises(IllegalMonitorStateError):
        await lock.unlock()


async def test_ownership_is_per_task(client: HazelcastClient) -> None:
    lock = await client.cp_subsystem.get_lock("per-task")
    await lock.lock()

    async def other_task() -> tuple[bool, bool, int]:
        return await lock.is_locked(), await lock.is_locked_by_current_thread(), await lock.try_lock()

    assert await asyncio.create_task(other_task()) == (True, False, FencedLock.INVALID_FENCE)

    async def unlock_from_elsewhere() -> None:
        await lock.unlock()

    with pytest.raises(IllegalMonitorStateError):
        await asyncio.create_task(unlock_from_elsewhere())
    await lock.unlock()


async def test_contended_lock_waits_in_order(cluster: EmbeddedCluster, client: HazelcastClient) -> None:
    async with running_client(cluster) as other:
        mine = await client.cp_subsystem.get_lock("contended")
        theirs = await other.cp_subsystem.get_lock("contended")
        first = await mine.lock()
        order: list[int] = []

        async def take(lock: FencedLock, index: int) -> int:
            fence = await lock.lock()
            order.append(index)
            await asyncio.sleep(0.01)
            await lock.unlock()
            return fence

        tasks = []
        for index in range(4):
            tasks.append(asyncio.create_task(take(theirs if index % 2 else mine, index)))
            await asyncio.sleep(0.02)
        await mine.unlock()
        fences = await asyncio.wait_for(asyncio.gather(*tasks), 5)
        assert order == [0, 1, 2, 3]
        assert fences == sorted(fences) and fences[0] > first


async def test_try_lock_with_timeout(cluster: EmbeddedCluster, client: HazelcastClient) -> None:
    async with running_client(cluster) as other:
        mine = await client.cp_subsystem.get_lock("try")
        theirs = await other.cp_subsystem.get_lock("try")
        assert await mine.try_lock() > 0
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert await theirs.try_lock(0.2) == FencedLock.INVALID_FENCE
        assert loop.time() - started >= 0.15
        waiting = asyncio.create_task(theirs.try_lock(5))
        await asyncio.sleep(0.05)
        await mine.unlock()
        assert await asyncio.wait_for(waiting, 5) > 0


async def test_reentrancy_limit_from_the_configuration(client: HazelcastClient) -> None:
    single = await client.cp_subsystem.get_lock("single")
    await single.lock()
    with pytest.raises(LockAcquireLimitReachedError):
        await single.lock()
    assert await single.try_lock() == FencedLock.INVALID_FENCE
    assert await single.get_lock_count() == 1
    await single.unlock()
    twice = await client.cp_subsystem.get_lock("twice-a")
    fence = await twice.lock()
    assert await twice.lock() == fence
    with pytest.raises(LockAcquireLimitReachedError):
        await twice.lock()


async def test_bad_input_and_destroy(client: HazelcastClient) -> None:
    lock = await client.cp_subsystem.get_lock("doomed")
    with pytest.raises(ValueError):
        await lock.try_lock(-1)
    with pytest.raises(ValueError):
        await lock.try_lock(None)  # type: ignore[arg-type]
    await lock.lock()
    await lock.destroy()
    with pytest.raises(DistributedObjectDestroyedError):
        await lock.is_locked()
