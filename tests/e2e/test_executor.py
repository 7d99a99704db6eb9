"""Executor against 1 and 3 embedded members: tasks run through the Python classes registered for their ids."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.errors import HazelcastSerializationError, RejectedExecutionError, IllegalStateError
from hazelcast.serialization.api import IdentifiedDataSerializable

from .conftest import running_client

_FACTORY_ID = 4242


class _Task(IdentifiedDataSerializable):
    CLASS_ID = 0

    def __init__(self, value: int = 0) -> None:
        self.value = value

    def write_data(self, out: Any) -> None:
        out.write_int(self.value)

    def read_data(self, inp: Any) -> None:
        self.value = inp.read_int()

    def get_factory_id(self) -> int:
        return _FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID


class Square(_Task):
    """A synchronous task: ``call()`` returns its result."""

    CLASS_ID = 1

    def call(self) -> int:
        return self.value * self.value


class SlowEcho(_Task):
    """An asynchronous task: the member awaits ``call()``."""

    CLASS_ID = 2

    async def call(self) -> int:
        await asyncio.sleep(self.value / 1000)
        return self.value


class Failing(_Task):
    CLASS_ID = 3

    def call(self) -> None:
        raise IllegalStateError("task failed on purpose")


class Unknown(_Task):
    CLASS_ID = 99


class _TaskPlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return tuple(ServerClass(_FACTORY_ID, cls.CLASS_ID, cls) for cls in (Square, SlowEcho, Failing))


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    config = {"executor-service": {"narrow": {"pool-size": 1, "queue-capacity": 1}}}
    async with EmbeddedCluster(member_count=request.param, config=config, plugins=[_TaskPlugin()]) as running:
        yield running


async def test_execute_on_key_owner(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        executor = await client.get_executor("keys")
        assert await executor.execute_on_key_owner("some-key", Square(7)) == 49
        assert await executor.execute_on_key_owner(12, SlowEcho(5)) == 5


async def test_execute_on_member_and_members(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        executor = await client.get_executor("members")
        members = client.cluster_service.get_members()
        assert await executor.execute_on_member(members[-1], Square(3)) == 9
        assert await executor.execute_on_members(members, SlowEcho(2)) == [2] * len(members)
        assert await executor.execute_on_members(members[:1], Square(4)) == [16]
        assert await executor.execute_on_all_members(Square(5)) == [25] * len(cluster.members)


async def test_task_errors_reach_the_caller(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        executor = await client.get_executor("errors")
        with pytest.raises(IllegalStateError, match="on purpose"):
            await executor.execute_on_key_owner("k", Failing())
        with pytest.raises(HazelcastSerializationError):
            await executor.execute_on_all_members(Unknown())


async def test_shutdown(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        executor = await client.get_executor("closing")
        assert not await executor.is_shutdown()
        running = asyncio.ensure_future(executor.execute_on_key_owner("k", SlowEcho(100)))
        await asyncio.sleep(0.02)
        await executor.shutdown()
        assert await executor.is_shutdown()
        assert await running == 100, "a task submitted before shutdown completes"
        with pytest.raises(RejectedExecutionError):
            await executor.execute_on_key_owner("k", Square(1))
        other = await client.get_executor("still-open")
        assert not await other.is_shutdown()


async def test_pool_size_and_queue_capacity(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        executor = await client.get_executor("narrow")
        member = client.cluster_service.get_members()[0]
        first = asyncio.ensure_future(executor.execute_on_member(member, SlowEcho(150)))
        await asyncio.sleep(0.02)
        queued = asyncio.ensure_future(executor.execute_on_member(member, SlowEcho(1)))
        await asyncio.sleep(0.02)
        with pytest.raises(RejectedExecutionError):
            await executor.execute_on_member(member, SlowEcho(1))
        assert not queued.done(), "the queued task waits for the pool's only thread"
        assert await first == 150 and await queued == 1


async def test_bad_input(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        executor = await client.get_executor("bad")
        with pytest.raises(ValueError):
            await executor.execute_on_key_owner(None, Square(1))
        with pytest.raises(ValueError):
            await executor.execute_on_key_owner("k", None)
        with pytest.raises(ValueError):
            await executor.execute_on_member(None, Square(1))
        with pytest.raises(ValueError):
            await executor.execute_on_members(None, Square(1))
        with pytest.raises(TypeError):
            await executor.execute_on_member("member", Square(1))


async def test_unisocket_client_reaches_every_member_through_one_connection() -> None:
    async with EmbeddedCluster(member_count=3, plugins=[_TaskPlugin()]) as cluster3:
        async with running_client(cluster3, smart_routing=False) as client:
            executor = await client.get_executor("uni")
            assert await asyncio.wait_for(executor.execute_on_all_members(Square(3)), 5) == [9, 9, 9]
