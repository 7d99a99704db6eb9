"""Proxy creation without a cluster: single flight, failures, and a cancelled creator."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast._internal.proxy_manager import ProxyManager
from hazelcast.errors import HazelcastError
from hazelcast.plugin import PluginManager, Proxy, ProxyType, hookimpl
from hazelcast.proxy import await_all


class Counter(Proxy):
    pass


class _Plugin:
    @hookimpl
    def hazelcast_proxy_types(self) -> list[ProxyType]:
        return [ProxyType("test:counter", Counter, accessor="get_counter")]


class _Cluster:
    """Answers createProxy requests when told to; counts them."""

    def __init__(self) -> None:
        self.calls: list[asyncio.Future[Any]] = []

    def call(self, request: bytearray, *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        future = asyncio.get_running_loop().create_future()
        self.calls.append(future)
        return future


def _manager() -> tuple[ProxyManager, _Cluster]:
    cluster = _Cluster()
    manager = ProxyManager(PluginManager([_Plugin()], autoload=False))
    manager.context = SimpleNamespace(  # type: ignore[assignment]
        loop=asyncio.get_running_loop(), invocation_service=cluster, serialization_service=SimpleNamespace(
            to_data=None, to_object=None), partition_service=SimpleNamespace(partition_id_of_data=None),
    )
    return manager, cluster


async def test_concurrent_requests_share_one_creation() -> None:
    manager, cluster = _manager()
    callers = [asyncio.create_task(manager.get_or_create("test:counter", "c")) for _ in range(5)]
    await asyncio.sleep(0)
    assert len(cluster.calls) == 1
    cluster.calls[0].set_result(None)
    proxies = await asyncio.gather(*callers)
    assert all(p is proxies[0] for p in proxies)
    assert await manager.get_or_create("test:counter", "c") is proxies[0]


async def test_a_failed_creation_fails_every_waiter_and_is_not_cached() -> None:
    manager, cluster = _manager()
    callers = [asyncio.create_task(manager.get_or_create("test:counter", "c")) for _ in range(3)]
    await asyncio.sleep(0)
    cluster.calls[0].set_exception(HazelcastError("refused"))
    for caller in callers:
        with pytest.raises(HazelcastError, match="refused"):
            await caller
    retry = asyncio.create_task(manager.get_or_create("test:counter", "c"))
    await asyncio.sleep(0)
    cluster.calls[1].set_result(None)
    assert isinstance(await retry, Counter)


async def test_a_cancelled_creator_hands_over_to_the_waiters() -> None:
    manager, cluster = _manager()
    creator = asyncio.create_task(manager.get_or_create("test:counter", "c"))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(manager.get_or_create("test:counter", "c"))
    await asyncio.sleep(0)
    creator.cancel()
    with pytest.raises(asyncio.CancelledError):
        await creator
    await asyncio.sleep(0)
    assert not waiter.done()
    assert len(cluster.calls) == 2  # the waiter sent its own createProxy
    cluster.calls[1].set_result(None)
    assert isinstance(await waiter, Counter)


def test_the_name_partition_is_worked_out_again_until_the_partition_count_is_known_then_kept() -> None:
    answers = [-1, 17]
    asked: list[bytes] = []

    def partition_of(data: bytes) -> int:
        asked.append(data)
        return answers[min(len(asked), len(answers)) - 1]

    context = SimpleNamespace(
        loop=None,
        serialization_service=SimpleNamespace(to_data=lambda obj: obj.encode(), to_object=lambda data: data),
        invocation_service=SimpleNamespace(call=None),
        partition_service=SimpleNamespace(partition_id_of_data=partition_of),
    )
    orders = Counter("hz:test", "orders@eu", context)  # type: ignore[arg-type]
    assert orders._name_partition == -1, "no partition count yet"
    assert orders._name_partition == 17
    assert orders._name_partition == 17
    assert asked == [b"eu", b"eu"], "the partition key after '@' is hashed, and only until its partition is known"


async def test_await_all_gives_results_in_order_whatever_order_the_answers_come_in() -> None:
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in range(3)]
    for index in (2, 0):
        futures[index].set_result(index)
    loop.call_later(0.01, futures[1].set_result, 1)
    assert await await_all(futures) == [0, 1, 2]


async def test_await_all_raises_the_first_failure_and_cancels_the_requests_still_waiting() -> None:
    loop = asyncio.get_running_loop()
    failed, waiting, also_failed = loop.create_future(), loop.create_future(), loop.create_future()
    failed.set_exception(HazelcastError("partition 3"))
    also_failed.set_exception(HazelcastError("partition 9"))
    with pytest.raises(HazelcastError, match="partition 3"):
        await await_all([failed, waiting, also_failed])
    assert waiting.cancelled()


async def test_a_cancelled_caller_of_await_all_leaves_no_request_waiting() -> None:
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in range(3)]
    caller = asyncio.ensure_future(await_all(futures))
    await asyncio.sleep(0)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert all(future.cancelled() for future in futures)
