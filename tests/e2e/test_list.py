"""List against 1 and 3 embedded members: every method and parameter, bounds, listeners, bad input, backups."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import IllegalStateError, IndexOutOfBoundsError
from hazelcast.proxy.base import ItemEventType

from .collection_helpers import client, cluster  # noqa: F401  (fixtures)
from .conftest import running_client, wait_until


async def test_add_get_and_positions(client: Any) -> None:
    lst = await client.get_list("positions")
    assert await lst.is_empty()
    assert await lst.add("a")
    await lst.add_at(0, "start")
    assert await lst.add_all(["b", "a"])
    assert await lst.add_all_at(1, ["x", "y"])
    assert await lst.get_all() == ["start", "x", "y", "a", "b", "a"]
    assert await lst.iterator() == ["start", "x", "y", "a", "b", "a"]
    assert await lst.size() == 6
    assert await lst.get(1) == "x"
    assert await lst.index_of("a") == 3 and await lst.last_index_of("a") == 5
    assert await lst.index_of("zz") == -1 and await lst.last_index_of("zz") == -1
    assert await lst.list_iterator() == await lst.get_all()
    assert await lst.list_iterator(4) == ["b", "a"]
    assert await lst.sub_list(1, 3) == ["x", "y"]
    assert await lst.set_at(0, "first") == "start"
    assert await lst.remove_at(1) == "x"
    assert await lst.get_all() == ["first", "y", "a", "b", "a"]


async def test_contains_remove_retain_clear(client: Any) -> None:
    lst = await client.get_list("membership")
    await lst.add_all([1, 2, 3, 2, 4])
    assert await lst.contains(2) and not await lst.contains(9)
    assert await lst.contains_all([1, 4]) and not await lst.contains_all([1, 9])
    assert await lst.remove(2) and not await lst.remove(9)
    assert await lst.get_all() == [1, 3, 2, 4]
    assert await lst.remove_all([2, 4]) and not await lst.remove_all([42])
    assert await lst.get_all() == [1, 3]
    await lst.add_all([5, 6])
    assert await lst.retain_all([1, 6]) and not await lst.retain_all([1, 6])
    assert await lst.get_all() == [1, 6]
    await lst.clear()
    assert await lst.size() == 0 and await lst.get_all() == []


async def test_indexes_out_of_range(client: Any) -> None:
    lst = await client.get_list("ranges")
    await lst.add_all([1, 2])
    for call in (lst.get(2), lst.get(-1), lst.set_at(5, 0), lst.remove_at(2), lst.add_at(3, 0), lst.sub_list(0, 3),
                 lst.list_iterator(3), lst.add_all_at(-1, [1])):
        with pytest.raises(IndexOutOfBoundsError):
            await call
    assert await lst.get_all() == [1, 2]


async def test_max_size(client: Any) -> None:
    lst = await client.get_list("bounded-list")
    assert await lst.add_all([1, 2])
    assert not await lst.add_all([3, 4])
    assert await lst.add(3)
    assert not await lst.add(4)
    assert not await lst.add_all_at(0, [0])
    with pytest.raises(IllegalStateError):
        await lst.add_at(0, 0)
    assert await lst.get_all() == [1, 2, 3]


async def test_bad_input_is_rejected_before_sending(client: Any) -> None:
    lst = await client.get_list("bad")
    for call in (lst.add(None), lst.add_at(0, None), lst.add_all([1, None]), lst.add_all(None), lst.contains(None),
                 lst.remove(None), lst.index_of(None), lst.set_at(0, None), lst.retain_all(None)):
        with pytest.raises(ValueError):
            await call
    with pytest.raises(TypeError):
        await lst.get("0")
    with pytest.raises(TypeError):
        await lst.add_all("abc")
    assert await lst.size() == 0


@pytest.mark.parametrize("include_value", [True, False])
async def test_item_listener(client: Any, include_value: bool) -> None:
    lst = await client.get_list("listened")
    events: list[Any] = []
    registration = await lst.add_listener(include_value=include_value, item_added_func=events.append,
                                          item_removed_func=events.append)
    await lst.add("a")
    await lst.set_at(0, "b")
    await lst.remove_at(0)
    await wait_until(lambda: len(events) == 4, what="4 item events")
    assert [e.event_type for e in events] == [ItemEventType.ADDED, ItemEventType.REMOVED, ItemEventType.ADDED,
                                             ItemEventType.REMOVED]
    expected = ["a", "a", "b", "b"] if include_value else [None] * 4
    assert [e.item for e in events] == expected
    assert await lst.remove_listener(registration)
    await lst.add("c")
    await asyncio.sleep(0.1)
    assert len(events) == 4


async def test_only_added_callback(client: Any) -> None:
    lst = await client.get_list("added-only")
    added: list[Any] = []
    await lst.add_listener(True, item_added_func=added.append)
    await lst.add(1)
    await lst.remove(1)
    await lst.add(2)
    await wait_until(lambda: [e.item for e in added] == [1, 2], what="added events only")


async def test_items_survive_the_loss_of_the_owner() -> None:
    async with EmbeddedCluster(member_count=3) as cluster3:
        async with running_client(cluster3) as client:
            lst = await client.get_list("durable")
            await lst.add_all(list(range(10)))
            await lst.add_at(0, -1)
            await lst.remove(5)
            await cluster3.owner_of(cluster3.name_partition_id("durable")).kill()
            assert await lst.get_all() == [-1, 0, 1, 2, 3, 4, 6, 7, 8, 9]


async def test_partition_key_after_at_sign(cluster: EmbeddedCluster, client: Any) -> None:
    lst = await client.get_list("tasks@user-1")
    await lst.add("x")
    partition_id = cluster.name_partition_id("tasks@user-1")
    assert partition_id == cluster.name_partition_id("user-1")
    assert cluster.owner_of(partition_id).partitions[partition_id][("hz:impl:listService", "tasks@user-1")]
