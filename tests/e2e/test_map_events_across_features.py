"""Map events meet the other map features: entry processors, ``remove_all(predicate)`` and MapStore loads publish
events and near-cache invalidations like any write, and listener predicates are the query engine's predicates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast import predicate as p
from hazelcast.embedded import EmbeddedCluster
from hazelcast.proxy.base import EntryEvent, EntryEventType

from .conftest import running_client, wait_until
from .test_map_entry_processors import _FACTORIES, Adder, Remover, _ServerClasses
from .test_map_store import CONFIG as STORE_CONFIG
from .test_map_store import DictStore

EVENT_ARGS = ("added_func", "removed_func", "updated_func", "evicted_func", "loaded_func")


def _recorder() -> tuple[list[EntryEvent[Any, Any]], dict[str, Any]]:
    seen: list[EntryEvent[Any, Any]] = []
    return seen, {name: seen.append for name in EVENT_ARGS}


def _summary(events: list[EntryEvent[Any, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    return sorted((e.key, int(e.event_type), e.value, e.old_value) for e in events)


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def clients(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Any, Any]]:
    """A writer, and a reader whose maps named ``cached-*`` have a near cache."""
    async with (
        EmbeddedCluster(member_count=request.param, plugins=[_ServerClasses()]) as cluster,
        running_client(cluster, data_serializable_factories=_FACTORIES) as writer,
        running_client(cluster, near_caches={"cached-*": {}}) as reader,
    ):
        yield writer, reader


async def _cached_pair(clients: tuple[Any, Any], name: str) -> tuple[Any, Any]:
    writer, reader = clients
    written = await writer.get_map(name)
    cached = await reader.get_map(name)
    await written.put_all({f"c{i}": i for i in range(6)})
    for i in range(6):
        assert await cached.get(f"c{i}") == i  # now in the reader's near cache
    assert len(cached.near_cache) == 6
    return written, cached


async def _cached_values(cached: Any) -> dict[str, Any]:
    return {f"c{i}": await cached.get(f"c{i}") for i in range(6)}


async def test_entry_processors_publish_events_and_invalidate_near_caches(clients: tuple[Any, Any]) -> None:
    written, cached = await _cached_pair(clients, "cached-processed")
    seen, functions = _recorder()
    await written.add_entry_listener(include_value=True, **functions)

    assert await written.execute_on_key("c1", Adder(10)) == 1
    assert await written.execute_on_keys(["c2"], Remover()) == [("c2", "removed c2")]
    await written.execute_on_entries(Adder(100), p.greater("this", 4))  # c1 (11) and c5
    assert await written.execute_on_key("new", Adder(7)) is None

    expected = [
        ("c1", EntryEventType.UPDATED, 11, 1),
        ("c1", EntryEventType.UPDATED, 111, 11),
        ("c2", EntryEventType.REMOVED, None, 2),
        ("c5", EntryEventType.UPDATED, 105, 5),
        ("new", EntryEventType.ADDED, 7, None),
    ]
    await wait_until(lambda: len(seen) >= len(expected), what="the processors' events")
    await asyncio.sleep(0.05)
    assert _summary(seen) == sorted(expected)
    want = {"c0": 0, "c1": 111, "c2": None, "c3": 3, "c4": 4, "c5": 105}

    async def fresh() -> bool:
        return await _cached_values(cached) == want

    await wait_until(fresh, what="the reader's near cache to drop the processed entries")


async def test_remove_all_with_a_predicate_publishes_removals_and_invalidates_near_caches(
    clients: tuple[Any, Any],
) -> None:
    written, cached = await _cached_pair(clients, "cached-removed")
    seen, functions = _recorder()
    await written.add_entry_listener(include_value=True, **functions)

    await written.remove_all(p.less("this", 3))

    await wait_until(lambda: len(seen) >= 3, what="the removals' events")
    await asyncio.sleep(0.05)
    assert _summary(seen) == [(f"c{i}", EntryEventType.REMOVED, None, i) for i in range(3)]
    want = {f"c{i}": (None if i < 3 else i) for i in range(6)}

    async def fresh() -> bool:
        return await _cached_values(cached) == want

    await wait_until(fresh, what="the reader's near cache to drop the removed entries")


async def test_listener_predicates_are_query_predicates(clients: tuple[Any, Any]) -> None:
    writer, _ = clients
    m = await writer.get_map("filtered")
    big, _ = _recorder()
    await m.add_entry_listener(
        include_value=True, predicate=p.and_(p.greater_or_equal("this", 10), p.not_(p.equal("__key", "skip"))),
        added_func=big.append, updated_func=big.append, removed_func=big.append,
    )
    by_sql, _ = _recorder()
    await m.add_entry_listener(predicate=p.sql("this < 3"), added_func=by_sql.append)
    keyed, _ = _recorder()
    await m.add_entry_listener(key="k", predicate=p.between("this", 5, 6), added_func=keyed.append,
                               updated_func=keyed.append)

    await m.put("k", 1)  # by_sql only
    await m.put("k", 5)  # keyed (updated)
    await m.put("big", 12)  # big
    await m.put("skip", 50)  # no listener: the key is excluded
    await m.put("big", 2)  # the new value no longer matches: big gets nothing
    await m.remove("skip")  # removals match on the old value: excluded key, nothing
    await m.put("other", 20)
    await m.remove("other")  # big: removed, matched on the old value 20

    await wait_until(lambda: len(big) >= 3 and bool(by_sql) and bool(keyed), what="the filtered events")
    await asyncio.sleep(0.1)
    assert _summary(big) == [
        ("big", EntryEventType.ADDED, 12, None),
        ("other", EntryEventType.ADDED, 20, None),
        ("other", EntryEventType.REMOVED, None, 20),
    ]
    assert [(e.key, e.event_type) for e in by_sql] == [("k", EntryEventType.ADDED)]
    # Without include_value the event carries no values.
    assert [(e.key, e.event_type, e.value) for e in keyed] == [("k", EntryEventType.UPDATED, None)]


async def test_map_store_loads_publish_loaded_events() -> None:
    DictStore.data = {"a": 1, "b": 2, "lazy": 3}
    DictStore.calls = []
    async with (
        EmbeddedCluster(member_count=2, config=STORE_CONFIG) as cluster,
        running_client(cluster) as client,
    ):
        m = await client.get_map("through-events")
        seen, functions = _recorder()
        # Adding a listener loads nothing: the first operation below runs the initial load (a and b).
        await m.add_entry_listener(include_value=True, **functions)
        assert await m.get("lazy") == 3  # read through
        DictStore.data["a"] = 10
        await m.load_all(["a"])  # replaces the value in memory
        await m.put("c", 4)  # an ordinary write is ADDED, not LOADED

        await wait_until(lambda: len(seen) >= 5, what="the loads' events")
        await asyncio.sleep(0.05)
        assert _summary(seen) == [
            ("a", EntryEventType.LOADED, 1, None),
            ("a", EntryEventType.LOADED, 10, 1),
            ("b", EntryEventType.LOADED, 2, None),
            ("c", EntryEventType.ADDED, 4, None),
            ("lazy", EntryEventType.LOADED, 3, None),
        ]


async def test_a_near_cached_maps_own_processors_and_removals_drop_what_it_cached() -> None:
    """Without member invalidations (``invalidate_on_change`` off) only the proxy's own writes refresh its cache:
    entry processors, ``remove_all`` and ``load_all`` must drop what they may change."""
    DictStore.data = {}
    DictStore.calls = []
    quiet = {"invalidate_on_change": False}
    async with (
        EmbeddedCluster(member_count=1, config=STORE_CONFIG, plugins=[_ServerClasses()]) as cluster,
        running_client(
            cluster, data_serializable_factories=_FACTORIES, near_caches={"quiet": quiet, "through-quiet": quiet}
        ) as client,
    ):
        m = await client.get_map("quiet")
        await m.put_all({f"c{i}": i for i in range(6)})

        async def cache_everything() -> None:
            for i in range(6):
                await m.get(f"c{i}")
            assert len(m.near_cache) == 6

        await cache_everything()
        await m.execute_on_key("c0", Adder(10))
        assert await m.get("c0") == 10
        await m.execute_on_keys(["c1", "c2"], Adder(10))
        assert [await m.get(key) for key in ("c1", "c2", "c3")] == [11, 12, 3]
        await m.execute_on_entries(Adder(100))
        assert await m.get("c3") == 103
        await cache_everything()
        await m.remove_all(p.greater("this", 104))
        assert await m.get("c5") is None and await m.get("c4") == 104

        stored = await client.get_map("through-quiet")
        await stored.put("k", "old")
        assert await stored.get("k") == "old"
        DictStore.data["k"] = "from the store"
        await stored.load_all(["k"])
        assert await stored.get("k") == "from the store"
