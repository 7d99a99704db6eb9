"""Map entry listeners end to end: every event type, filters, exactly-once per-key order, member loss and restart."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.errors import IllegalArgumentError
from hazelcast.proxy.base import EntryEvent, EntryEventType
from hazelcast.serialization.api import IdentifiedDataSerializable

from .conftest import running_client, wait_until

EVENT_ARGS = (
    "added_func", "removed_func", "updated_func", "evicted_func", "evict_all_func", "clear_all_func", "expired_func",
)


def recorder() -> tuple[list[EntryEvent], dict[str, object]]:
    seen: list[EntryEvent] = []
    return seen, {name: seen.append for name in EVENT_ARGS}


@pytest.mark.parametrize("members", [1, 3])
@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_every_entry_event_type_arrives_once_with_values(members: int, smart: bool) -> None:
    async with EmbeddedCluster(member_count=members) as cluster, running_client(cluster, smart_routing=smart) as client:
        m = await client.get_map("events")
        seen, functions = recorder()
        registration = await m.add_entry_listener(include_value=True, **functions)
        assert isinstance(registration, str)

        await m.put("a", 1)
        await m.put("a", 2)
        await m.remove("a")
        await m.set("b", 3)
        await m.evict("b")
        await m.set("c", 4, ttl=0.05)
        await wait_until(lambda: len(seen) == 7, what="seven entry events (the last one an expiry)")
        await m.put_all({f"k{i}": i for i in range(5)})
        await m.evict_all()
        await m.put_all({f"k{i}": i for i in range(3)})
        await m.clear()
        await m.clear()  # nothing left: no event
        await wait_until(lambda: len(seen) == 7 + 5 + 1 + 3 + 1, what="bulk and map-wide events")
        await asyncio.sleep(0.1)

        kinds = [(e.event_type, e.key, e.value, e.old_value) for e in seen[:7]]
        assert kinds == [
            (EntryEventType.ADDED, "a", 1, None),
            (EntryEventType.UPDATED, "a", 2, 1),
            (EntryEventType.REMOVED, "a", None, 2),
            (EntryEventType.ADDED, "b", 3, None),
            (EntryEventType.EVICTED, "b", None, 3),
            (EntryEventType.ADDED, "c", 4, None),
            (EntryEventType.EXPIRED, "c", None, 4),
        ]
        evict_all = seen[12]
        assert (evict_all.event_type, evict_all.key, evict_all.number_of_affected_entries) == (
            EntryEventType.EVICT_ALL, None, 5,
        )
        clear_all = seen[-1]
        assert (clear_all.event_type, clear_all.number_of_affected_entries) == (EntryEventType.CLEAR_ALL, 3)
        assert all(e.uuid in {member.uuid for member in cluster.members} for e in seen)
        assert len(seen) == 17

        assert await m.remove_entry_listener(registration)
        assert not await m.remove_entry_listener(registration)
        await m.put("after", 1)
        await asyncio.sleep(0.1)
        assert len(seen) == 17


async def test_delete_sends_no_old_value_and_values_are_left_out_without_include_value(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("no-values")
        with_values, functions = recorder()
        await m.add_entry_listener(include_value=True, **functions)
        without_values, functions = recorder()
        await m.add_entry_listener(**functions)
        await m.put("k", "v")
        await m.delete("k")
        await wait_until(lambda: len(with_values) == 2 and len(without_values) == 2, what="events")
        assert [(e.value, e.old_value) for e in with_values] == [("v", None), (None, None)]
        assert [(e.key, e.value, e.old_value) for e in without_values] == [("k", None, None), ("k", None, None)]


async def test_only_the_requested_event_types_and_key_are_sent(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        m = await client.get_map("filtered")
        added: list[EntryEvent] = []
        await m.add_entry_listener(key="watched", added_func=added.append)
        removed: list[EntryEvent] = []
        await m.add_entry_listener(removed_func=removed.append)
        for key in ("watched", "other"):
            await m.put(key, 1)
            await m.put(key, 2)
            await m.remove(key)
        await wait_until(lambda: len(removed) == 2, what="removals")
        await asyncio.sleep(0.1)
        assert [(e.event_type, e.key) for e in added] == [(EntryEventType.ADDED, "watched")]
        assert sorted(e.key for e in removed) == ["other", "watched"]


async def test_async_and_raising_listeners(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("callbacks")
        seen: list[str] = []

        async def on_added(event: EntryEvent) -> None:
            await asyncio.sleep(0)
            seen.append(event.key)

        def broken(event: EntryEvent) -> None:
            raise RuntimeError("listener bug")

        await m.add_entry_listener(added_func=on_added)
        await m.add_entry_listener(added_func=broken)
        await m.put("x", 1)
        await m.put("y", 1)
        await wait_until(lambda: seen == ["x", "y"], what="async listener events despite the raising one")


@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_concurrent_writers_every_event_once_and_in_key_order(cluster3: EmbeddedCluster, smart: bool) -> None:
    async with running_client(cluster3, smart_routing=smart) as client:
        m = await client.get_map("concurrent")
        by_key: dict[str, list[int]] = defaultdict(list)

        def record(event: EntryEvent) -> None:
            by_key[event.key].append(event.value)

        await m.add_entry_listener(include_value=True, added_func=record, updated_func=record)

        async def writer(task: int) -> None:
            for step in range(20):
                await m.set(f"key-{task % 16}", task * 1000 + step)

        await asyncio.gather(*(writer(task) for task in range(64)))
        await wait_until(lambda: sum(map(len, by_key.values())) == 64 * 20, what="all 1280 events")
        await asyncio.sleep(0.1)
        assert sum(map(len, by_key.values())) == 64 * 20
        for key, values in by_key.items():
            # Per writer, its values for the key appear in the order it wrote them; the last event is the final value.
            for task in range(64):
                mine = [v for v in values if v // 1000 == task]
                assert mine == sorted(mine), (key, task)
            assert values[-1] == await m.get(key)


async def test_listener_survives_member_loss_and_cluster_restart(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        m = await client.get_map("resilient")
        seen: list[str] = []
        await m.add_entry_listener(added_func=lambda event: seen.append(event.key))
        await m.put_all({f"before-{i}": i for i in range(20)})
        await wait_until(lambda: len(seen) == 20, what="events before the loss")

        await cluster3.members[0].kill()
        await asyncio.sleep(0.3)
        await m.put_all({f"after-loss-{i}": i for i in range(20)})
        await wait_until(lambda: len(seen) == 40, what="events after a member loss")

        for member in cluster3.members:
            if member.alive:
                await member.kill()
        for member in cluster3.members:
            await member.restart()
        await wait_until(lambda: len(client._connections.connections) == 3, what="reconnected to the new cluster")
        await asyncio.sleep(0.3)
        await m.put_all({f"after-restart-{i}": i for i in range(20)})
        await wait_until(lambda: len(seen) == 60, what="events after a cluster restart")
        await asyncio.sleep(0.1)
        assert len(seen) == 60 and len(set(seen)) == 60


async def test_predicate_the_member_cannot_read_is_refused(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("predicates")
        with pytest.raises(IllegalArgumentError):
            await m.add_entry_listener(predicate="not a predicate", added_func=print)
        with pytest.raises(IllegalArgumentError):
            await m.add_entry_listener(key="k", predicate=42, added_func=print)


async def test_bad_listener_arguments_are_refused_before_sending(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("bad")
        with pytest.raises(ValueError):
            await m.add_entry_listener()
        with pytest.raises(TypeError):
            await m.add_entry_listener(added_func="not callable")
        with pytest.raises(TypeError):
            await m.add_entry_listener(include_value=1, added_func=print)
        with pytest.raises(TypeError):
            await m.remove_entry_listener(None)


class ValueAbove(IdentifiedDataSerializable):
    """A listener predicate the member runs through a server class: ``apply(entry)`` on the changed entry."""

    def __init__(self, threshold: int = 0) -> None:
        self.threshold = threshold

    def write_data(self, out: Any) -> None:
        out.write_int(self.threshold)

    def read_data(self, inp: Any) -> None:
        self.threshold = inp.read_int()

    def get_factory_id(self) -> int:
        return 77

    def get_class_id(self) -> int:
        return 1

    def apply(self, entry: Any) -> bool:
        return entry.value > self.threshold  # a str value cannot be compared: the predicate raises


class _PredicatePlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(77, 1, ValueAbove),)


@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_predicate_listeners_get_only_matching_entries(smart: bool) -> None:
    async with (
        EmbeddedCluster(member_count=3, plugins=[_PredicatePlugin()]) as cluster,
        running_client(cluster, smart_routing=smart) as client,
    ):
        m = await client.get_map("predicated")
        matching: list[EntryEvent] = []
        await m.add_entry_listener(
            include_value=True, predicate=ValueAbove(10), added_func=matching.append, updated_func=matching.append,
            removed_func=matching.append,
        )
        keyed: list[EntryEvent] = []
        await m.add_entry_listener(key="k1", predicate=ValueAbove(10), added_func=keyed.append)
        for i in range(20):
            await m.set(f"k{i}", i * 2)
        await m.remove("k9")  # the removed value (18) is matched
        await m.remove("k1")  # 2: not matched
        await wait_until(lambda: len(matching) == 15, what="the events of matching entries")
        await asyncio.sleep(0.1)
        assert sorted(e.value for e in matching if e.event_type == EntryEventType.ADDED) == list(range(12, 40, 2))
        assert [(e.event_type, e.old_value) for e in matching if e.event_type != EntryEventType.ADDED] == [
            (EntryEventType.REMOVED, 18)
        ]
        assert keyed == []


async def test_a_failing_predicate_skips_the_event_not_the_write() -> None:
    async with (
        EmbeddedCluster(member_count=1, plugins=[_PredicatePlugin()]) as cluster,
        running_client(cluster) as client,
    ):
        m = await client.get_map("predicate-errors")
        matching: list[EntryEvent] = []
        await m.add_entry_listener(predicate=ValueAbove(10), added_func=matching.append)
        await m.set("text", "not a number")
        await m.set("number", 11)
        await wait_until(lambda: len(matching) == 1, what="the event of the entry the predicate could read")
        assert matching[0].key == "number" and await m.get("text") == "not a number"
