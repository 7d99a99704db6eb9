"""MapStore / MapLoader: a Python store class configured in the member's ``map`` section, on 1 and 3 members."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast import predicate as p
from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.errors import HazelcastError, InvalidConfigurationError
from hazelcast.protocol import method

from .conftest import running_client, wait_until


class DictStore:
    """A store over a class-level dict, recording the calls it receives."""

    data: dict[Any, Any] = {}
    calls: list[tuple[str, Any]] = []

    def load(self, key: Any) -> Any:
        self.calls.append(("load", key))
        return self.data.get(key)

    def load_all(self, keys: list[Any]) -> dict[Any, Any]:
        self.calls.append(("load_all", sorted(keys)))
        return {key: self.data[key] for key in keys if key in self.data}

    def load_all_keys(self) -> list[Any]:
        self.calls.append(("load_all_keys", None))
        return [key for key in self.data if not str(key).startswith("lazy")]

    def store(self, key: Any, value: Any) -> None:
        if value == "refused":
            raise ValueError("the store refuses this value")
        self.calls.append(("store", (key, value)))
        self.data[key] = value

    def store_all(self, entries: dict[Any, Any]) -> None:
        self.calls.append(("store_all", dict(entries)))
        self.data.update(entries)

    def delete(self, key: Any) -> None:
        self.calls.append(("delete", key))
        self.data.pop(key, None)

    def delete_all(self, keys: list[Any]) -> None:
        self.calls.append(("delete_all", sorted(keys)))
        for key in keys:
            self.data.pop(key, None)


class Loader:
    """A MapLoader only (no store methods), registered as a server class."""

    def load(self, key: Any) -> Any:
        return f"loaded-{key}"


class _Plugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(2024, 1, Loader),)


CONFIG = {
    "map": {
        "through-*": {"map-store": {"class-name": f"{__name__}:DictStore"}},
        "behind-*": {"map-store": {"class-name": f"{__name__}.DictStore", "write-delay-seconds": 1,
                                   "write-batch-size": 2, "initial-load-mode": "EAGER"}},
        "loader": {"map-store": {"factory-id": 2024, "class-id": 1}},
        "off": {"map-store": {"enabled": False, "class-name": "nowhere:Nothing"}},
    }
}


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    DictStore.data = {"a": 1, "b": 2, "lazy": 3}
    DictStore.calls = []
    async with EmbeddedCluster(member_count=request.param, config=CONFIG, plugins=[_Plugin()]) as cluster:
        async with running_client(cluster) as client:
            yield client


async def test_initial_load_read_through_and_write_through(client: Any) -> None:
    stored = await client.get_map("through-1")
    assert sorted(await stored.entry_set()) == [("a", 1), ("b", 2)]
    assert DictStore.calls[:2] == [("load_all_keys", None), ("load_all", ["a", "b"])]
    # A key the initial load skipped is read through on get.
    assert await stored.get("lazy") == 3
    assert ("load", "lazy") in DictStore.calls
    assert await stored.get("nowhere") is None
    await stored.put("c", 30)
    assert DictStore.data["c"] == 30
    await stored.set("a", 10)
    await stored.put_all({"d": 4, "e": 5})
    # One store_all per partition request of put_all.
    assert {k: v for name, batch in DictStore.calls if name == "store_all" for k, v in batch.items()} == {"d": 4, "e": 5}
    assert await stored.put_if_absent("a", 99) == 10
    assert DictStore.data["a"] == 10
    await stored.put_transient("t", 7)
    assert "t" not in DictStore.data and await stored.get("t") == 7
    await stored.remove("b")
    await stored.delete("c")
    assert "b" not in DictStore.data and "c" not in DictStore.data
    # A store that raises fails the write and leaves memory as it was.
    with pytest.raises(HazelcastError):
        await stored.put("a", "refused")
    assert await stored.get("a") == 10
    assert sorted(await stored.key_set(p.greater("this", 4))) == ["a", "e", "t"]
    await stored.clear()
    assert DictStore.data == {}


async def test_load_all_replaces_or_keeps_values(client: Any) -> None:
    stored = await client.get_map("through-2")
    assert await stored.size() == 2
    DictStore.data.update({"a": 100, "new": 5})
    await stored.put_transient("b", 20)
    await stored.load_all(replace_existing_values=False)
    assert sorted(await stored.entry_set()) == [("a", 1), ("b", 20), ("new", 5)]
    await stored.load_all(["a", "b"])
    assert sorted(await stored.entry_set()) == [("a", 100), ("b", 2), ("new", 5)]
    with pytest.raises(ValueError):
        await stored.load_all(["a", None])


async def test_write_behind_batches_and_flush(client: Any) -> None:
    stored = await client.get_map("behind-1")
    assert await stored.size() == 2
    await stored.put("x", 1)
    await stored.put("x", 2)
    await stored.put("y", 3)
    await stored.remove("a")
    assert "x" not in DictStore.data and "a" in DictStore.data
    await stored.flush()
    assert DictStore.data == {"b": 2, "lazy": 3, "x": 2, "y": 3}
    assert ("store_all", {"x": 2, "y": 3}) in DictStore.calls
    await stored.put("z", 9)
    await wait_until(lambda: DictStore.data.get("z") == 9, timeout=5, what="the write-behind delay passes")


async def test_evict_all_keeps_stored_entries_for_a_later_load(client: Any) -> None:
    stored = await client.get_map("through-3")
    await stored.put("c", 3)
    # Map.evictAll sent directly: the proxy's evict_all belongs to the eviction work.
    await stored._invoke(method("Map.evictAll").encode_request(stored.name))
    assert await stored.size() == 0
    assert DictStore.data == {"a": 1, "b": 2, "lazy": 3, "c": 3}
    await stored.load_all()
    assert sorted(await stored.key_set()) == ["a", "b", "c"]


async def test_loader_server_class_and_disabled_store(client: Any) -> None:
    loaded = await client.get_map("loader")
    assert await loaded.get(5) == "loaded-5"
    assert await loaded.contains_key("anything") is True
    off = await client.get_map("off")
    assert await off.get("a") is None


async def test_bad_store_configuration_is_refused() -> None:
    with pytest.raises(InvalidConfigurationError):
        EmbeddedCluster(config={"map": {"m": {"map-store": {"write-delay-seconds": -1, "class-name": "x:y"}}}})
    with pytest.raises(InvalidConfigurationError):
        EmbeddedCluster(config={"map": {"m": {"map-store": {"enabled": True}}}})
    async with EmbeddedCluster(config={"map": {"m": {"map-store": {"class-name": "no_such_module:Store"}}}}) as cluster:
        async with running_client(cluster) as client:
            stored = await client.get_map("m")
            with pytest.raises(HazelcastError):
                await asyncio.wait_for(stored.get("a"), 10)


async def test_put_transient_with_ttl_and_max_idle(client: Any) -> None:
    stored = await client.get_map("through-ttl")
    await stored.put_transient("short", 1, ttl=0.2)
    await stored.put_transient("idle", 2, ttl=0, max_idle=0.2)
    await stored.put_transient("forever", 3, ttl=0)
    assert sorted(await stored.key_set(p.greater("this", 0))) == ["a", "b", "forever", "idle", "short"]

    async def expired() -> bool:
        return sorted(await stored.key_set()) == ["a", "b", "forever"]

    await wait_until(expired, timeout=5, what="the transient entries with a ttl or max idle expire")
    assert "short" not in DictStore.data and "forever" not in DictStore.data
    with pytest.raises(ValueError):
        await stored.put_transient(None, 1)
