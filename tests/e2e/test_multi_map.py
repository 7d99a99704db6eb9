"""MultiMap end to end: our client against 1 and 3 embedded members."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.collections import EntryEvent, EntryEventType, MultiMap
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import DistributedObjectDestroyedError, IllegalMonitorStateError
from tests.e2e.conftest import running_client, wait_until

CONFIG = {"multimap": {"list-*": {"value-collection-type": "LIST"}, "nobackup-*": {"backup-count": 0}}}


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=request.param, config=CONFIG) as running:
        yield running


@pytest.fixture
async def client(cluster: EmbeddedCluster) -> AsyncIterator[Any]:
    async with running_client(cluster) as running:
        yield running


async def test_get_multi_map_gives_a_multi_map_proxy(client: Any) -> None:
    mm = await client.get_multi_map("plain")
    assert isinstance(mm, MultiMap)
    assert mm.name == "plain"


# -- values --------------------------------------------------------------------------------------------------------


async def test_put_adds_values_and_a_set_keeps_each_value_once(client: Any) -> None:
    mm = await client.get_multi_map("set-values")
    assert await mm.put("k", "a") is True
    assert await mm.put("k", "b") is True
    assert await mm.put("k", "a") is False
    assert sorted(await mm.get("k")) == ["a", "b"]
    assert await mm.value_count("k") == 2
    assert await mm.size() == 2


async def test_a_list_multimap_keeps_duplicates_in_order(client: Any) -> None:
    mm = await client.get_multi_map("list-values")
    for value in ("a", "b", "a"):
        assert await mm.put("k", value) is True
    assert await mm.get("k") == ["a", "b", "a"]
    assert await mm.value_count("k") == 3
    assert await mm.remove("k", "a") is True
    assert await mm.get("k") == ["b", "a"]


async def test_get_of_a_key_without_values_is_none(client: Any) -> None:
    mm = await client.get_multi_map("absent")
    assert await mm.get("missing") is None
    assert await mm.value_count("missing") == 0
    assert await mm.remove_all("missing") == []


async def test_remove_takes_one_value_and_reports_a_change(client: Any) -> None:
    mm = await client.get_multi_map("remove-one")
    await mm.put("k", 1)
    await mm.put("k", 2)
    assert await mm.remove("k", 1) is True
    assert await mm.remove("k", 1) is False
    assert await mm.get("k") == [2]
    assert await mm.remove("k", 2) is True
    assert await mm.contains_key("k") is False


async def test_remove_all_returns_the_values_and_removes_the_key(client: Any) -> None:
    mm = await client.get_multi_map("remove-all")
    await mm.put("k", "x")
    await mm.put("k", "y")
    await mm.put("other", "z")
    assert sorted(await mm.remove_all("k")) == ["x", "y"]
    assert await mm.get("k") is None
    assert await mm.size() == 1


async def test_contains_key_value_and_entry(client: Any) -> None:
    mm = await client.get_multi_map("contains")
    await mm.put("k", "v")
    assert await mm.contains_key("k") is True
    assert await mm.contains_key("nope") is False
    assert await mm.contains_value("v") is True
    assert await mm.contains_value("w") is False
    assert await mm.contains_entry("k", "v") is True
    assert await mm.contains_entry("k", "w") is False
    assert await mm.contains_entry("nope", "v") is False


async def test_whole_multimap_views_over_many_partitions(client: Any) -> None:
    mm = await client.get_multi_map("views")
    expected = {(key, value) for key in range(60) for value in (f"a{key}", f"b{key}")}
    for key, value in expected:
        await mm.put(key, value)
    assert await mm.size() == 120
    assert sorted(await mm.key_set()) == list(range(60))
    assert sorted(await mm.values()) == sorted(value for _, value in expected)
    assert set(await mm.entry_set()) == expected


async def test_put_all_adds_the_values_of_every_key(client: Any) -> None:
    mm = await client.get_multi_map("list-put-all")
    await mm.put_all({key: [key, key + 1, key] for key in range(100)})
    await mm.put_all({})
    assert await mm.size() == 300
    assert await mm.get(7) == [7, 8, 7]
    set_mm = await client.get_multi_map("set-put-all")
    await set_mm.put_all({"k": ["x", "x", "y"], "j": ("z",), "g": (value for value in ["w"])})
    assert sorted(await set_mm.get("k")) == ["x", "y"]
    assert await set_mm.get("j") == ["z"]
    assert await set_mm.get("g") == ["w"]


async def test_clear_removes_everything(client: Any) -> None:
    mm = await client.get_multi_map("clear")
    for key in range(30):
        await mm.put(key, key)
    await mm.clear()
    assert await mm.size() == 0
    assert await mm.key_set() == []


async def test_destroy_drops_the_data(client: Any) -> None:
    mm = await client.get_multi_map("destroyed")
    await mm.put("k", "v")
    await mm.destroy()
    again = await client.get_multi_map("destroyed")
    assert await again.get("k") is None


async def test_values_of_a_key_survive_a_member_loss() -> None:
    async with EmbeddedCluster(member_count=3, config=CONFIG) as cluster, running_client(cluster) as client:
        mm = await client.get_multi_map("survivor")
        for key in range(50):
            await mm.put(key, "a")
            await mm.put(key, "b")
        await cluster.members[1].kill()
        assert await mm.size() == 100
        assert sorted(await mm.get(17)) == ["a", "b"]


# -- bad input -----------------------------------------------------------------------------------------------------


async def test_none_and_wrong_arguments_are_rejected_before_sending(client: Any) -> None:
    mm = await client.get_multi_map("bad-input")
    with pytest.raises(ValueError):
        await mm.put(None, "v")
    with pytest.raises(ValueError):
        await mm.put("k", None)
    with pytest.raises(ValueError):
        await mm.get(None)
    with pytest.raises(ValueError):
        await mm.remove("k", None)
    with pytest.raises(ValueError):
        await mm.contains_value(None)
    with pytest.raises(ValueError):
        await mm.contains_entry(None, "v")
    with pytest.raises(ValueError):
        await mm.put_all(None)
    with pytest.raises(ValueError):
        await mm.put_all({"k": ["a", None]})
    with pytest.raises(ValueError):
        await mm.put_all({"k": None})
    with pytest.raises(TypeError):
        await mm.put_all([("k", ["v"])])
    with pytest.raises(TypeError):
        await mm.put_all({"k": "not-a-list"})
    with pytest.raises(ValueError):
        await mm.lock("k", lease_time=-1)
    with pytest.raises(ValueError):
        await mm.try_lock("k", timeout=-1)
    with pytest.raises(TypeError):
        await mm.try_lock("k", timeout="1")
    with pytest.raises(TypeError):
        await mm.add_entry_listener(include_value="yes")
    with pytest.raises(TypeError):
        await mm.add_entry_listener(added_func="not callable")
    with pytest.raises(ValueError):
        await mm.remove_entry_listener(None)
    assert await mm.size() == 0


# -- locks ---------------------------------------------------------------------------------------------------------


async def test_lock_is_reentrant_and_owned_by_the_task(client: Any) -> None:
    mm = await client.get_multi_map("lock-reentrant")
    assert await mm.is_locked("k") is False
    await mm.lock("k")
    await mm.lock("k")
    assert await mm.is_locked("k") is True
    # Another task is another owner.
    assert await asyncio.create_task(mm.try_lock("k")) is False
    with pytest.raises(IllegalMonitorStateError):
        await asyncio.create_task(mm.unlock("k"))
    await mm.unlock("k")
    assert await mm.is_locked("k") is True
    await mm.unlock("k")
    assert await mm.is_locked("k") is False
    with pytest.raises(IllegalMonitorStateError):
        await mm.unlock("k")


async def test_try_lock_waits_up_to_its_timeout(client: Any) -> None:
    mm = await client.get_multi_map("try-lock")
    await mm.lock("k")
    assert await asyncio.create_task(mm.try_lock("k", timeout=0.1)) is False

    async def take_within_timeout() -> bool:
        return await mm.try_lock("k", timeout=5)

    waiter = asyncio.create_task(take_within_timeout())
    await asyncio.sleep(0.1)
    assert not waiter.done()
    await mm.unlock("k")
    assert await asyncio.wait_for(waiter, 5) is True
    assert await mm.is_locked("k") is True


async def test_lock_waits_for_the_holder_first_come_first_served(client: Any) -> None:
    mm = await client.get_multi_map("lock-fifo")
    await mm.lock("k")
    order: list[int] = []

    async def take(index: int) -> None:
        await mm.lock("k")
        order.append(index)
        await mm.unlock("k")

    waiters = []
    for index in range(3):
        waiters.append(asyncio.create_task(take(index)))
        await asyncio.sleep(0.05)
    assert order == []
    await mm.unlock("k")
    await asyncio.wait_for(asyncio.gather(*waiters), 5)
    assert order == [0, 1, 2]


async def test_lease_time_releases_the_lock(client: Any) -> None:
    mm = await client.get_multi_map("lease")
    await mm.lock("k", lease_time=0.2)
    assert await mm.is_locked("k") is True
    # A waiter gets the lock once the lease runs out.
    assert await asyncio.create_task(mm.try_lock("k", timeout=5)) is True
    assert await mm.is_locked("k") is True
    assert await asyncio.create_task(mm.try_lock("other", lease_time=0.1)) is True
    await wait_until(lambda: _not(mm.is_locked("other")), timeout=3, what="the try_lock lease to run out")


async def _not(awaitable: Any) -> bool:
    return not await awaitable


async def test_force_unlock_releases_any_holder(client: Any) -> None:
    mm = await client.get_multi_map("force")
    await mm.lock("k")
    await mm.lock("k")
    await asyncio.create_task(mm.force_unlock("k"))
    assert await mm.is_locked("k") is False
    await mm.force_unlock("never-locked")


async def test_lock_context_holds_the_lock_for_the_block(client: Any) -> None:
    mm = await client.get_multi_map("lock-context")
    async with mm.lock_context("k"):
        assert await mm.is_locked("k") is True
        await mm.put("k", 1)
    assert await mm.is_locked("k") is False
    assert await mm.get("k") == [1]


async def test_a_locked_key_holds_other_clients_writes_until_unlocked(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as first, running_client(cluster) as second:
        mine = await first.get_multi_map("two-clients")
        theirs = await second.get_multi_map("two-clients")
        await mine.lock("k")
        assert await theirs.is_locked("k") is True
        assert await theirs.try_lock("k") is False
        with pytest.raises(IllegalMonitorStateError):
            await theirs.unlock("k")
        # The holder writes freely; the other client's write waits for the unlock.
        assert await mine.put("k", "mine") is True
        blocked = asyncio.create_task(theirs.put("k", "theirs"))
        await asyncio.sleep(0.15)
        assert not blocked.done()
        assert await mine.get("k") == ["mine"]
        await mine.unlock("k")
        assert await asyncio.wait_for(blocked, 5) is True
        assert sorted(await mine.get("k")) == ["mine", "theirs"]


async def test_clear_keeps_locked_keys(client: Any) -> None:
    mm = await client.get_multi_map("clear-locked")
    await mm.put("locked", 1)
    await mm.put("free", 2)
    await mm.lock("locked")
    await mm.clear()
    assert await mm.get("locked") == [1]
    assert await mm.get("free") is None
    await mm.unlock("locked")


async def test_locks_of_a_client_that_leaves_are_released(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as staying:
        mm = await staying.get_multi_map("departed")
        async with running_client(cluster) as leaving:
            theirs = await leaving.get_multi_map("departed")
            await theirs.lock("k")
            assert await mm.is_locked("k") is True
        assert await mm.try_lock("k", timeout=5) is True


async def test_a_lock_survives_the_loss_of_the_key_owner() -> None:
    async with EmbeddedCluster(member_count=3, config=CONFIG) as cluster, running_client(cluster) as client:
        mm = await client.get_multi_map("lock-failover")
        await mm.lock("k")
        partition_id = await client.partition_service.get_partition_id("k")
        owner = cluster.owner_of(partition_id)
        await owner.kill()
        await wait_until(lambda: _is_locked(mm, "k"), timeout=5, what="the lock on the new owner")
        assert await asyncio.create_task(mm.try_lock("k")) is False
        await mm.unlock("k")
        assert await mm.is_locked("k") is False


async def _is_locked(mm: Any, key: Any) -> bool:
    try:
        return bool(await mm.is_locked(key))
    except Exception:
        return False


# -- entry listeners -----------------------------------------------------------------------------------------------


async def test_entry_listener_with_values_gets_added_removed_and_clear_all(client: Any) -> None:
    mm = await client.get_multi_map("listen-values")
    added: list[EntryEvent[Any, Any]] = []
    removed: list[EntryEvent[Any, Any]] = []
    cleared: list[EntryEvent[Any, Any]] = []
    await mm.add_entry_listener(
        include_value=True, added_func=added.append, removed_func=removed.append, clear_all_func=cleared.append
    )
    await mm.put("k", "v1")
    await mm.put("k", "v2")
    await mm.put("k", "v1")  # no change, no event
    await mm.remove("k", "v1")
    await mm.remove_all("k")
    await mm.put("j", "x")
    await mm.put("i", "y")
    await mm.clear()
    await wait_until(lambda: len(cleared) == 1, timeout=5, what="the clear-all event")
    assert [(e.key, e.value, e.old_value, e.event_type) for e in added] == [
        ("k", "v1", None, EntryEventType.ADDED),
        ("k", "v2", None, EntryEventType.ADDED),
        ("j", "x", None, EntryEventType.ADDED),
        ("i", "y", None, EntryEventType.ADDED),
    ]
    assert [(e.key, e.value, e.old_value, e.event_type) for e in removed] == [
        ("k", None, "v1", EntryEventType.REMOVED),
        ("k", None, "v2", EntryEventType.REMOVED),
    ]
    assert cleared[0].event_type == EntryEventType.CLEAR_ALL
    assert cleared[0].key is None
    assert cleared[0].number_of_affected_entries == 2
    assert added[0].uuid in {member.uuid for member in cluster_members(client)}


def cluster_members(client: Any) -> list[Any]:
    return client.cluster_service.get_members()


async def test_entry_listener_without_values_and_with_a_key(client: Any) -> None:
    mm = await client.get_multi_map("listen-key")
    keyed: list[EntryEvent[Any, Any]] = []
    plain: list[EntryEvent[Any, Any]] = []
    await mm.add_entry_listener(key="watched", added_func=keyed.append, removed_func=keyed.append)
    await mm.add_entry_listener(added_func=plain.append)
    await mm.put("other", 1)
    await mm.put("watched", 2)
    await mm.remove("watched", 2)
    await wait_until(lambda: len(keyed) == 2 and len(plain) == 2, timeout=5, what="the keyed events")
    assert [(e.key, e.value, e.old_value, e.event_type) for e in keyed] == [
        ("watched", None, None, EntryEventType.ADDED),
        ("watched", None, None, EntryEventType.REMOVED),
    ]
    assert sorted(e.key for e in plain) == ["other", "watched"]
    assert all(e.value is None for e in plain)


async def test_removed_listener_gets_nothing_more(client: Any) -> None:
    mm = await client.get_multi_map("listen-remove")
    events: list[EntryEvent[Any, Any]] = []
    registration = await mm.add_entry_listener(added_func=events.append)
    await mm.put("a", 1)
    await wait_until(lambda: len(events) == 1, timeout=5, what="the first event")
    assert await mm.remove_entry_listener(registration) is True
    assert await mm.remove_entry_listener(registration) is False
    await mm.put("b", 2)
    marker: list[EntryEvent[Any, Any]] = []
    await mm.add_entry_listener(added_func=marker.append)
    await mm.put("c", 3)
    await wait_until(lambda: len(marker) == 1, timeout=5, what="the marker event")
    assert len(events) == 1


@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_events_under_concurrent_writes_arrive_once_in_order_per_key(cluster: EmbeddedCluster, smart: bool) -> None:
    async with running_client(cluster, smart_routing=smart) as client:
        mm = await client.get_multi_map("list-concurrent")
        events: list[EntryEvent[Any, Any]] = []
        await mm.add_entry_listener(True, added_func=events.append, removed_func=events.append)

        async def writer(key: int) -> None:
            for step in range(10):
                await mm.put(key, step)
            for step in range(10):
                await mm.remove(key, step)

        await asyncio.gather(*(writer(key) for key in range(20)))
        await wait_until(lambda: len(events) >= 400, timeout=10, what="400 events")
        await asyncio.sleep(0.05)
        assert len(events) == 400
        for key in range(20):
            mine = [(e.event_type, e.value if e.event_type == EntryEventType.ADDED else e.old_value)
                    for e in events if e.key == key]
            assert mine == [(EntryEventType.ADDED, step) for step in range(10)] + [
                (EntryEventType.REMOVED, step) for step in range(10)
            ]


async def test_listener_survives_a_member_loss_and_a_cluster_restart() -> None:
    async with EmbeddedCluster(member_count=3, config=CONFIG) as cluster, running_client(cluster) as client:
        mm = await client.get_multi_map("listen-failover")
        events: list[EntryEvent[Any, Any]] = []
        await mm.add_entry_listener(added_func=events.append)
        await cluster.members[2].kill()
        # Writes are not retried on another member: wait until the client saw the member leave.
        await wait_until(lambda: len(cluster_members(client)) == 2, timeout=5, what="the member list without it")
        for key in range(30):
            await mm.put(key, key)
        await wait_until(lambda: len(events) == 30, timeout=10, what="events after the member loss")
        for member in cluster.members[:2]:
            await member.kill()
        await cluster.members[0].restart()

        async def put_after_restart() -> bool:
            try:
                await mm.put("after", 1)
            except Exception:
                return False
            return any(e.key == "after" for e in events)

        await wait_until(put_after_restart, timeout=15, what="an event after the cluster restart")
        assert sorted(e.key for e in events if e.key != "after") == list(range(30))


async def test_a_waiting_lock_follows_its_partition_to_a_joining_member() -> None:
    async with EmbeddedCluster(member_count=1, config=CONFIG) as cluster, running_client(cluster) as holder, \
            running_client(cluster) as waiter_client:
        mine = await holder.get_multi_map("lock-migration")
        theirs = await waiter_client.get_multi_map("lock-migration")
        keys = list(range(40))
        for key in keys:
            await mine.lock(key)
        waiting = {key: asyncio.create_task(theirs.lock(key)) for key in keys}
        await asyncio.sleep(0.1)
        joined = await cluster.add_member()
        moved = [
            key for key in keys if cluster.owner_of(await holder.partition_service.get_partition_id(key)) is joined
        ]
        assert moved, "some partitions move to the joining member"
        await wait_until(lambda: len(cluster_members(holder)) == 2, timeout=5, what="the holder seeing the new member")
        for key in keys:
            await mine.unlock(key)
        await asyncio.wait_for(asyncio.gather(*waiting.values()), 5)
        for key in moved:
            assert await mine.is_locked(key) is True
            assert await mine.try_lock(key) is False


async def test_destroy_answers_the_requests_waiting_for_a_lock(client: Any) -> None:
    mm = await client.get_multi_map("destroy-waiters")
    await mm.lock("k")
    waiting = asyncio.create_task(mm.try_lock("k", timeout=30))
    blocked_put = asyncio.create_task(_put_from_another_client_task(mm))
    await asyncio.sleep(0.1)
    await mm.destroy()
    for task in (waiting, blocked_put):
        with pytest.raises(DistributedObjectDestroyedError):
            await asyncio.wait_for(task, 5)


async def _put_from_another_client_task(mm: Any) -> bool:
    return bool(await mm.put("k", "v"))
