"""Queue against 1 and 3 embedded members: every method and parameter, blocking waits, cancellation, listeners,
bounded queues, concurrent producers and consumers, backups."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import (
    DistributedObjectDestroyedError,
    HazelcastError,
    IllegalStateError,
    TargetDisconnectedError,
)
from hazelcast.proxy.base import ItemEvent, ItemEventType

from .collection_helpers import client, cluster  # noqa: F401  (fixtures)
from .conftest import running_client, wait_until


async def test_offer_poll_peek_in_fifo_order(client: Any) -> None:
    q = await client.get_queue("fifo")
    assert await q.is_empty()
    for item in ("a", "b", "c"):
        assert await q.offer(item)
    assert await q.size() == 3
    assert await q.peek() == "a"
    assert await q.iterator() == ["a", "b", "c"]
    assert [await q.poll(), await q.poll(), await q.poll()] == ["a", "b", "c"]
    assert await q.poll() is None
    assert await q.peek() is None


async def test_add_put_add_all_contains_remove(client: Any) -> None:
    q = await client.get_queue("ops")
    assert await q.add(1)
    await q.put(2)
    assert await q.add_all([3, 4, 3])
    assert await q.contains(3) and not await q.contains(9)
    assert await q.contains_all([1, 4]) and not await q.contains_all([1, 9])
    assert await q.remove(3) and not await q.remove(9)
    assert await q.iterator() == [1, 2, 4, 3]
    assert await q.remove_all([3, 4]) and not await q.remove_all([42])
    assert await q.iterator() == [1, 2]
    assert await q.add_all([5, 6])
    assert await q.retain_all([2, 6]) and not await q.retain_all([2, 6])
    assert await q.iterator() == [2, 6]
    await q.clear()
    assert await q.size() == 0


async def test_drain_to_all_or_max_size(client: Any) -> None:
    q = await client.get_queue("drain")
    await q.add_all(list(range(5)))
    target: list[int] = ["before"]  # type: ignore[list-item]
    assert await q.drain_to(target, 2) == 2
    assert target == ["before", 0, 1]
    assert await q.drain_to(target) == 3
    assert target == ["before", 0, 1, 2, 3, 4]
    assert await q.drain_to(target, 0) == 0
    assert await q.is_empty()


async def test_bounded_queue_answers_as_a_member(client: Any) -> None:
    q = await client.get_queue("bounded-q")
    assert await q.remaining_capacity() == 3
    assert await q.add_all([1, 2])
    assert not await q.add_all([3, 4]), "add_all that does not fit adds nothing"
    assert await q.offer(3)
    assert await q.remaining_capacity() == 0
    assert not await q.offer(4)
    with pytest.raises(IllegalStateError):
        await q.add(4)
    assert not await q.offer(4, timeout=0.05)
    assert await q.iterator() == [1, 2, 3]
    unbounded = await client.get_queue("free")
    assert await unbounded.remaining_capacity() == 2**31 - 1


async def test_put_and_timed_offer_wait_for_room(client: Any) -> None:
    q = await client.get_queue("bounded-wait")
    await q.add_all([1, 2, 3])
    put = asyncio.ensure_future(q.put(4))
    offer = asyncio.ensure_future(q.offer(5, timeout=5))
    await asyncio.sleep(0.1)
    assert not put.done() and not offer.done()
    assert await q.poll() == 1
    await asyncio.wait_for(put, 2)
    assert not offer.done(), "the second waiter must not overtake the first"
    assert await q.poll() == 2
    assert await asyncio.wait_for(offer, 2)
    assert await q.iterator() == [3, 4, 5]


async def test_take_and_timed_poll_wait_for_items_in_fifo_order(client: Any) -> None:
    q = await client.get_queue("waiting")
    first = asyncio.ensure_future(q.take())
    await asyncio.sleep(0.05)
    second = asyncio.ensure_future(q.poll(timeout=5))
    await asyncio.sleep(0.05)
    assert not first.done()
    await q.offer("x")
    assert await asyncio.wait_for(first, 2) == "x"
    assert not second.done()
    await q.offer("y")
    assert await asyncio.wait_for(second, 2) == "y"
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await q.poll(timeout=0.2) is None
    assert loop.time() - started >= 0.15


async def test_cancelled_take_loses_no_item(client: Any) -> None:
    q = await client.get_queue("cancelled")
    take = asyncio.ensure_future(q.take())
    await asyncio.sleep(0.05)
    take.cancel()
    with pytest.raises(asyncio.CancelledError):
        await take
    # The member still holds the parked take: it receives this item, and the client puts it back.
    await q.offer("precious")
    await wait_until(lambda: q.size(), what="the item is back in the queue")
    assert await q.poll() == "precious"
    cancelled_poll = asyncio.ensure_future(q.poll(timeout=0.2))
    await asyncio.sleep(0.02)
    cancelled_poll.cancel()
    await asyncio.sleep(0.3)
    await q.offer("after")
    assert await q.iterator() == ["after"]


async def test_a_parked_take_of_a_client_that_left_consumes_nothing(cluster: EmbeddedCluster, client: Any) -> None:
    async with running_client(cluster) as leaving:
        q_leaving = await leaving.get_queue("left")
        abandoned = asyncio.ensure_future(q_leaving.take())
        await asyncio.sleep(0.1)
    with pytest.raises(HazelcastError):
        await abandoned  # the client shut down under it
    q = await client.get_queue("left")
    await q.offer("kept")
    await asyncio.sleep(0.05)
    assert await q.iterator() == ["kept"]


async def test_bad_input_is_rejected_before_sending(client: Any) -> None:
    q = await client.get_queue("bad")
    with pytest.raises(ValueError):
        await q.offer(None)
    with pytest.raises(ValueError):
        await q.put(None)
    with pytest.raises(ValueError):
        await q.add(None)
    with pytest.raises(ValueError):
        await q.add_all([1, None])
    with pytest.raises(ValueError):
        await q.add_all(None)
    with pytest.raises(ValueError):
        await q.contains(None)
    with pytest.raises(ValueError):
        await q.remove(None)
    with pytest.raises(ValueError):
        await q.offer(1, timeout=-1)
    with pytest.raises(ValueError):
        await q.poll(timeout=-0.5)
    with pytest.raises(ValueError):
        await q.drain_to([], -2)
    with pytest.raises(TypeError):
        await q.poll(timeout="1")
    with pytest.raises(TypeError):
        await q.drain_to((), 1)
    assert await q.size() == 0


@pytest.mark.parametrize("include_value", [True, False])
async def test_item_listener(client: Any, include_value: bool) -> None:
    q = await client.get_queue("listened")
    added: list[ItemEvent[Any]] = []
    removed: list[ItemEvent[Any]] = []
    registration = await q.add_listener(include_value, added.append, removed.append)
    await q.offer("a")
    await q.poll()
    await wait_until(lambda: len(added) == 1 and len(removed) == 1, what="one added and one removed event")
    assert added[0].event_type == ItemEventType.ADDED and removed[0].event_type == ItemEventType.REMOVED
    assert added[0].name == "listened"
    assert added[0].item == ("a" if include_value else None)
    assert removed[0].item == ("a" if include_value else None)
    assert added[0].member is not None
    assert await q.remove_listener(registration)
    assert not await q.remove_listener(registration)
    await q.offer("b")
    await asyncio.sleep(0.1)
    assert len(added) == 1


async def test_concurrent_producers_and_consumers_over_two_clients(cluster: EmbeddedCluster) -> None:
    per_producer = 150
    async with running_client(cluster) as first, running_client(cluster) as second:
        queues = [await first.get_queue("work"), await second.get_queue("work")]
        consumed: list[int] = []

        async def produce(q: Any, base: int) -> None:
            for i in range(per_producer):
                await q.put(base + i)

        async def consume(q: Any) -> None:
            while True:
                item = await q.poll(timeout=0.5)
                if item is None:
                    return
                consumed.append(item)

        producers = [produce(queues[i % 2], i * 10_000) for i in range(4)]
        consumers = [consume(queues[i % 2]) for i in range(4)]
        await asyncio.wait_for(asyncio.gather(*producers, *consumers), 30)
    expected = {i * 10_000 + n for i in range(4) for n in range(per_producer)}
    assert len(consumed) == len(expected), "nothing duplicated"
    assert set(consumed) == expected, "nothing lost"


async def test_items_survive_the_loss_of_the_owner() -> None:
    async with EmbeddedCluster(member_count=3) as cluster3:
        async with running_client(cluster3) as client:
            q = await client.get_queue("durable")
            await q.add_all(list(range(20)))
            owner = cluster3.owner_of(cluster3.name_partition_id("durable"))
            await owner.kill()
            assert await q.iterator() == list(range(20))
            assert await q.poll() == 0


async def test_item_listener_survives_a_member_restart() -> None:
    async with EmbeddedCluster(member_count=3) as cluster3:
        async with running_client(cluster3) as client:
            q = await client.get_queue("watched")
            added: list[Any] = []
            await q.add_listener(True, added.append)
            owner = cluster3.owner_of(cluster3.name_partition_id("watched"))
            await owner.kill()
            await owner.restart()
            await wait_until(lambda: len(client._connections.connections) == 3, what="reconnected to all members")
            await asyncio.sleep(0.2)
            await q.offer("after-restart")
            await wait_until(lambda: [e.item for e in added] == ["after-restart"], what="event after the restart")


async def test_destroy_fails_waiters_and_empties_the_queue(client: Any) -> None:
    q = await client.get_queue("doomed")
    waiting = asyncio.ensure_future(q.take())
    await asyncio.sleep(0.05)
    await q.destroy()
    with pytest.raises(DistributedObjectDestroyedError):
        await asyncio.wait_for(waiting, 2)
    q = await client.get_queue("doomed")
    await q.offer(1)
    await q.destroy()
    q = await client.get_queue("doomed")
    assert await q.size() == 0


async def test_a_waiting_take_fails_when_the_queue_owner_crashes_and_loses_nothing() -> None:
    async with EmbeddedCluster(member_count=3) as cluster3:
        async with running_client(cluster3) as client:
            q = await client.get_queue("crash-wait")
            await q.offer("before-crash")
            assert await q.poll() == "before-crash"
            take = asyncio.ensure_future(q.take())
            await asyncio.sleep(0.1)
            await cluster3.owner_of(cluster3.name_partition_id("crash-wait")).kill()
            # Not retried behind the caller's back (a member that died after removing an item would lose it): the
            # caller hears of the lost connection and takes again.
            with pytest.raises(TargetDisconnectedError):
                await asyncio.wait_for(take, 5)
            await q.offer("after-crash")
            assert await asyncio.wait_for(q.take(), 5) == "after-crash"
            assert await q.size() == 0


async def test_async_backups_also_keep_the_items() -> None:
    config = {"queue": {"async-*": {"backup-count": 0, "async-backup-count": 1}, "none-*": {"backup-count": 0}}}
    async with EmbeddedCluster(member_count=3, config=config) as cluster3:
        async with running_client(cluster3) as client:
            kept = await client.get_queue("async-q")
            await kept.add_all([1, 2, 3])
            await cluster3.owner_of(cluster3.name_partition_id("async-q")).kill()
            assert await kept.iterator() == [1, 2, 3]
            lost = await client.get_queue("none-q")
            await lost.add_all([1, 2, 3])
            await cluster3.owner_of(cluster3.name_partition_id("none-q")).kill()
            assert await lost.iterator() == [], "without backups the items die with their owner"
