"""Set against 1 and 3 embedded members: every method and parameter, bounds, listeners, bad input, backups."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.proxy.base import ItemEventType

from .collection_helpers import client, cluster  # noqa: F401  (fixtures)
from .conftest import running_client, wait_until


async def test_add_contains_remove(client: Any) -> None:
    s = await client.get_set("basic")
    assert await s.is_empty()
    assert await s.add("a") and not await s.add("a")
    assert await s.add_all(["b", "c", "b"]) and not await s.add_all(["a", "b"])
    assert sorted(await s.get_all()) == ["a", "b", "c"]
    assert await s.size() == 3
    assert await s.contains("a") and not await s.contains("z")
    assert await s.contains_all(["a", "c"]) and not await s.contains_all(["a", "z"])
    assert await s.remove("a") and not await s.remove("a")
    assert await s.remove_all(["b", "z"]) and not await s.remove_all(["z"])
    assert await s.get_all() == ["c"]
    await s.add_all(["d", "e"])
    assert await s.retain_all(["d", "z"]) and not await s.retain_all(["d"])
    assert await s.get_all() == ["d"]
    await s.clear()
    assert await s.size() == 0


async def test_max_size(client: Any) -> None:
    s = await client.get_set("bounded-set")
    assert await s.add_all([1, 2])
    assert not await s.add_all([3, 4])
    assert await s.add(3)
    assert not await s.add(4)
    assert sorted(await s.get_all()) == [1, 2, 3]


async def test_bad_input_is_rejected_before_sending(client: Any) -> None:
    s = await client.get_set("bad")
    for call in (s.add(None), s.add_all([None]), s.add_all(None), s.contains(None), s.contains_all([1, None]),
                 s.remove(None), s.remove_all(None), s.retain_all([None])):
        with pytest.raises(ValueError):
            await call
    assert await s.size() == 0


@pytest.mark.parametrize("include_value", [True, False])
async def test_item_listener(client: Any, include_value: bool) -> None:
    s = await client.get_set("listened")
    added: list[Any] = []
    removed: list[Any] = []
    registration = await s.add_listener(include_value, added.append, removed.append)
    await s.add("a")
    await s.add("a")
    await s.remove("a")
    await wait_until(lambda: len(added) == 1 and len(removed) == 1, what="one event each")
    assert added[0].event_type == ItemEventType.ADDED and removed[0].event_type == ItemEventType.REMOVED
    assert added[0].item == ("a" if include_value else None)
    assert await s.remove_listener(registration)
    await s.add("b")
    await asyncio.sleep(0.1)
    assert len(added) == 1


async def test_items_survive_the_loss_of_the_owner() -> None:
    async with EmbeddedCluster(member_count=3) as cluster3:
        async with running_client(cluster3) as client:
            s = await client.get_set("durable")
            await s.add_all(list(range(10)))
            await s.remove(3)
            await cluster3.owner_of(cluster3.name_partition_id("durable")).kill()
            assert sorted(await s.get_all()) == [0, 1, 2, 4, 5, 6, 7, 8, 9]
