"""ReplicatedMap end to end: our client against 1 and 3 embedded members."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast import predicate
from hazelcast.collections import EntryEvent, EntryEventType, ReplicatedMap
from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.embedded.replicatedmap import REPLICATED_MAP_SERVICE_NAME
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.api import IdentifiedDataSerializable
from tests.e2e.conftest import running_client, wait_until

_FACTORY_ID = 4242
_AT_LEAST_CLASS_ID = 1


class ValueAtLeast(IdentifiedDataSerializable):
    """A predicate the member runs for listeners: selects entries whose value is at least ``threshold``."""

    def __init__(self, threshold: int = 0) -> None:
        self.threshold = threshold

    def write_data(self, out: Any) -> None:
        out.write_int(self.threshold)

    def read_data(self, inp: Any) -> None:
        self.threshold = inp.read_int()

    def get_factory_id(self) -> int:
        return _FACTORY_ID

    def get_class_id(self) -> int:
        return _AT_LEAST_CLASS_ID

    def apply(self, entry: Any) -> bool:
        return bool(entry.value >= self.threshold)


class UnknownPredicate(ValueAtLeast):
    def get_class_id(self) -> int:
        return 99


class _PredicatePlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(_FACTORY_ID, _AT_LEAST_CLASS_ID, ValueAtLeast),)


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=request.param, plugins=[_PredicatePlugin()]) as running:
        yield running


@pytest.fixture
async def client(cluster: EmbeddedCluster) -> AsyncIterator[Any]:
    async with running_client(cluster) as running:
        yield running


def _member_entries(cluster: EmbeddedCluster, name: str) -> list[dict[bytes, bytes]]:
    """What each live member holds of replicated map ``name``."""
    found = []
    for member in cluster.live_members:
        store = member.service_states.get(REPLICATED_MAP_SERVICE_NAME, {}).get(name)
        found.append({} if store is None else {key: record.value for key, record in store.records.items()})
    return found


async def test_get_replicated_map_gives_a_replicated_map_proxy(client: Any) -> None:
    rm = await client.get_replicated_map("plain")
    assert isinstance(rm, ReplicatedMap)
    assert rm.name == "plain"


async def test_put_get_and_previous_values(client: Any) -> None:
    rm = await client.get_replicated_map("put-get")
    assert await rm.put("k", "v1") is None
    assert await rm.put("k", "v2") == "v1"
    assert await rm.get("k") == "v2"
    assert await rm.put("k", "v3") == "v2"
    assert await rm.get("missing") is None


async def test_remove_returns_the_previous_value(client: Any) -> None:
    rm = await client.get_replicated_map("remove")
    await rm.put("k", 1)
    assert await rm.remove("k") == 1
    assert await rm.remove("k") is None
    assert await rm.contains_key("k") is False


async def test_size_is_empty_contains_and_views(client: Any) -> None:
    rm = await client.get_replicated_map("views")
    assert await rm.is_empty() is True
    assert await rm.size() == 0
    expected = {key: f"v{key}" for key in range(50)}
    for key, value in expected.items():
        await rm.put(key, value)
    assert await rm.is_empty() is False
    assert await rm.size() == 50
    assert await rm.contains_key(7) is True
    assert await rm.contains_key(70) is False
    assert await rm.contains_value("v7") is True
    assert await rm.contains_value("v70") is False
    assert sorted(await rm.key_set()) == sorted(expected)
    assert sorted(await rm.values()) == sorted(expected.values())
    assert dict(await rm.entry_set()) == expected


async def test_put_all_and_clear(client: Any) -> None:
    rm = await client.get_replicated_map("put-all")
    await rm.put_all({key: key * 2 for key in range(100)})
    await rm.put_all({})
    assert await rm.size() == 100
    assert await rm.get(21) == 42
    await rm.clear()
    assert await rm.size() == 0
    assert await rm.get(21) is None


async def test_every_member_holds_every_entry_and_serves_reads(cluster: EmbeddedCluster, client: Any) -> None:
    rm = await client.get_replicated_map("everywhere")
    await rm.put_all({key: key for key in range(40)})
    await rm.remove(3)
    held = _member_entries(cluster, "everywhere")
    assert len(held) == len(cluster.members)
    assert all(len(entries) == 39 for entries in held)
    assert all(entries == held[0] for entries in held)
    # A unisocket client on each member has its whole-map reads served by that member.
    for address in cluster.addresses:
        async with running_client(cluster, cluster_members=[address], smart_routing=False) as single:
            mine = await single.get_replicated_map("everywhere")
            assert await mine.size() == 39
            assert await mine.get(5) == 5


async def test_ttl_expires_the_entry_everywhere(cluster: EmbeddedCluster, client: Any) -> None:
    rm = await client.get_replicated_map("ttl")
    await rm.put("short", "v", ttl=0.2)
    await rm.put("forever", "v", ttl=0)
    await rm.put("default", "v")
    assert await rm.get("short") == "v"
    await asyncio.sleep(0.3)
    assert await rm.get("short") is None
    assert await rm.contains_key("short") is False
    assert await rm.size() == 2
    await wait_until(
        lambda: all("short" not in str(entries) and len(entries) == 2 for entries in _member_entries(cluster, "ttl")),
        timeout=3, what="the expired entry removed from every member",
    )
    # A put without TTL on an entry with one makes it permanent.
    await rm.put("renewed", 1, ttl=0.2)
    await rm.put("renewed", 2)
    await asyncio.sleep(0.3)
    assert await rm.get("renewed") == 2


async def test_data_survives_member_loss_and_a_joining_member_gets_it() -> None:
    async with EmbeddedCluster(member_count=3) as cluster, running_client(cluster) as client:
        rm = await client.get_replicated_map("survivor")
        await rm.put_all({key: str(key) for key in range(30)})
        await cluster.members[0].kill()
        await cluster.members[1].kill()
        assert await rm.size() == 30
        joined = await cluster.add_member()
        assert all(len(entries) == 30 for entries in _member_entries(cluster, "survivor"))
        # The joined member serves the data by itself.
        async with running_client(cluster, cluster_members=[joined.address], smart_routing=False) as single:
            mine = await single.get_replicated_map("survivor")
            assert await mine.size() == 30
            assert await mine.get(12) == "12"
            await mine.put("new", "x")
        assert await rm.get("new") == "x"


async def test_destroy_drops_the_data(client: Any) -> None:
    rm = await client.get_replicated_map("destroyed")
    await rm.put("k", "v")
    await rm.destroy()
    again = await client.get_replicated_map("destroyed")
    assert await again.get("k") is None


async def test_none_and_wrong_arguments_are_rejected_before_sending(client: Any) -> None:
    rm = await client.get_replicated_map("bad-input")
    with pytest.raises(ValueError):
        await rm.put(None, "v")
    with pytest.raises(ValueError):
        await rm.put("k", None)
    with pytest.raises(ValueError):
        await rm.put("k", "v", ttl=-1)
    with pytest.raises(TypeError):
        await rm.put("k", "v", ttl="1")
    with pytest.raises(ValueError):
        await rm.get(None)
    with pytest.raises(ValueError):
        await rm.remove(None)
    with pytest.raises(ValueError):
        await rm.contains_key(None)
    with pytest.raises(ValueError):
        await rm.contains_value(None)
    with pytest.raises(ValueError):
        await rm.put_all(None)
    with pytest.raises(ValueError):
        await rm.put_all({"k": None})
    with pytest.raises(TypeError):
        await rm.put_all([("k", "v")])
    with pytest.raises(TypeError):
        await rm.add_entry_listener(added_func=42)
    with pytest.raises(ValueError):
        await rm.remove_entry_listener(None)
    assert await rm.size() == 0


# -- entry listeners -----------------------------------------------------------------------------------------------


def _shape(events: list[EntryEvent[Any, Any]]) -> list[tuple[Any, ...]]:
    return [(e.event_type, e.key, e.value, e.old_value) for e in events]


async def test_listener_gets_added_updated_removed_evicted_and_clear_all(client: Any) -> None:
    rm = await client.get_replicated_map("listen-all")
    events: list[EntryEvent[Any, Any]] = []
    await rm.add_entry_listener(
        added_func=events.append, removed_func=events.append, updated_func=events.append,
        evicted_func=events.append, clear_all_func=events.append,
    )
    await rm.put("k", 1)
    await rm.put("k", 2)
    await rm.remove("k")
    await rm.put("t", 9, ttl=0.1)
    await wait_until(lambda: len(events) == 5, timeout=5, what="the eviction event")
    await rm.put("a", 1)
    await rm.put("b", 2)
    await rm.clear()
    await wait_until(lambda: len(events) == 8, timeout=5, what="the clear-all event")
    assert _shape(events[:7]) == [
        (EntryEventType.ADDED, "k", 1, None),
        (EntryEventType.UPDATED, "k", 2, 1),
        (EntryEventType.REMOVED, "k", None, 2),
        (EntryEventType.ADDED, "t", 9, None),
        (EntryEventType.EVICTED, "t", None, 9),
        (EntryEventType.ADDED, "a", 1, None),
        (EntryEventType.ADDED, "b", 2, None),
    ]
    assert events[7].event_type == EntryEventType.CLEAR_ALL
    assert events[7].number_of_affected_entries == 2


async def test_listener_with_a_key_sees_only_that_key(client: Any) -> None:
    rm = await client.get_replicated_map("listen-key")
    keyed: list[EntryEvent[Any, Any]] = []
    everything: list[EntryEvent[Any, Any]] = []
    await rm.add_entry_listener(key="watched", added_func=keyed.append, updated_func=keyed.append)
    await rm.add_entry_listener(added_func=everything.append)
    await rm.put("other", 1)
    await rm.put("watched", 2)
    await rm.put("watched", 3)
    await wait_until(lambda: len(keyed) == 2 and len(everything) == 2, timeout=5, what="the events")
    assert _shape(keyed) == [(EntryEventType.ADDED, "watched", 2, None), (EntryEventType.UPDATED, "watched", 3, 2)]


async def test_listener_with_a_predicate_and_with_key_and_predicate(client: Any) -> None:
    rm = await client.get_replicated_map("listen-predicate")
    selected: list[EntryEvent[Any, Any]] = []
    keyed: list[EntryEvent[Any, Any]] = []
    everything: list[EntryEvent[Any, Any]] = []
    await rm.add_entry_listener(predicate=ValueAtLeast(10), added_func=selected.append, removed_func=selected.append)
    await rm.add_entry_listener(key="b", predicate=ValueAtLeast(10), added_func=keyed.append)
    await rm.add_entry_listener(added_func=everything.append)
    for key, value in (("a", 5), ("b", 50), ("c", 12), ("d", 1)):
        await rm.put(key, value)
    await rm.remove("c")
    await wait_until(lambda: len(everything) == 4 and len(selected) == 3, timeout=5, what="the events")
    assert _shape(selected) == [
        (EntryEventType.ADDED, "b", 50, None),
        (EntryEventType.ADDED, "c", 12, None),
        (EntryEventType.REMOVED, "c", None, 12),
    ]
    assert _shape(keyed) == [(EntryEventType.ADDED, "b", 50, None)]


async def test_listener_with_the_query_engines_predicates(client: Any) -> None:
    rm = await client.get_replicated_map("listen-builtin-predicate")
    selected: list[EntryEvent[Any, Any]] = []
    await rm.add_entry_listener(
        predicate=predicate.and_(predicate.greater_or_equal("this", 10), predicate.not_equal("__key", "skip")),
        added_func=selected.append,
        updated_func=selected.append,
    )
    for key, value in (("a", 5), ("b", 50), ("skip", 99), ("c", 12), ("a", 11)):
        await rm.put(key, value)
    await wait_until(lambda: len(selected) == 3, timeout=5, what="the selected events")
    await asyncio.sleep(0.1)
    assert _shape(selected) == [
        (EntryEventType.ADDED, "b", 50, None),
        (EntryEventType.ADDED, "c", 12, None),
        (EntryEventType.UPDATED, "a", 11, 5),
    ]


async def test_a_predicate_the_member_does_not_know_is_refused(client: Any) -> None:
    rm = await client.get_replicated_map("listen-unknown")
    with pytest.raises(HazelcastSerializationError):
        await rm.add_entry_listener(predicate=UnknownPredicate(1), added_func=lambda event: None)


async def test_removed_listener_gets_nothing_more(client: Any) -> None:
    rm = await client.get_replicated_map("listen-remove")
    events: list[EntryEvent[Any, Any]] = []
    registration = await rm.add_entry_listener(added_func=events.append)
    await rm.put("a", 1)
    await wait_until(lambda: len(events) == 1, timeout=5, what="the first event")
    assert await rm.remove_entry_listener(registration) is True
    assert await rm.remove_entry_listener(registration) is False
    marker: list[EntryEvent[Any, Any]] = []
    await rm.add_entry_listener(added_func=marker.append)
    await rm.put("b", 2)
    await wait_until(lambda: len(marker) == 1, timeout=5, what="the marker event")
    assert len(events) == 1


@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_events_under_concurrent_writes_arrive_once_in_order_per_key(cluster: EmbeddedCluster, smart: bool) -> None:
    async with running_client(cluster, smart_routing=smart) as client:
        rm = await client.get_replicated_map("concurrent")
        events: list[EntryEvent[Any, Any]] = []
        await rm.add_entry_listener(added_func=events.append, updated_func=events.append, removed_func=events.append)

        async def writer(key: int) -> None:
            for step in range(10):
                await rm.put(key, step)
            await rm.remove(key)

        await asyncio.gather(*(writer(key) for key in range(20)))
        await wait_until(lambda: len(events) >= 220, timeout=10, what="220 events")
        await asyncio.sleep(0.05)
        assert len(events) == 220
        for key in range(20):
            mine = _shape([e for e in events if e.key == key])
            assert mine == [(EntryEventType.ADDED, key, 0, None)] + [
                (EntryEventType.UPDATED, key, step, step - 1) for step in range(1, 10)
            ] + [(EntryEventType.REMOVED, key, None, 9)]


async def test_listener_survives_a_member_loss_and_a_cluster_restart() -> None:
    async with EmbeddedCluster(member_count=3) as cluster, running_client(cluster) as client:
        rm = await client.get_replicated_map("listen-failover")
        events: list[EntryEvent[Any, Any]] = []
        await rm.add_entry_listener(added_func=events.append)
        await cluster.members[2].kill()
        await wait_until(lambda: len(client.cluster_service.get_members()) == 2, timeout=5, what="the member list")
        for key in range(30):
            await rm.put(key, key)
        await wait_until(lambda: len(events) == 30, timeout=10, what="events after the member loss")
        for member in cluster.members[:2]:
            await member.kill()
        await cluster.members[0].restart()

        async def put_after_restart() -> bool:
            try:
                await rm.put("after", 1)
            except Exception:
                return False
            return any(e.key == "after" for e in events)

        await wait_until(put_after_restart, timeout=15, what="an event after the cluster restart")
        assert sorted(e.key for e in events if e.key != "after") == list(range(30))
