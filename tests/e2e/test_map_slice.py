"""The Map slice end to end: our client against 1 and 3 embedded members, smart and unisocket."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest

from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded import EmbeddedCluster

from .conftest import running_client

VALUES = [
    "text", "ünïcødé ✓", 42, -(2**31), 2**31 - 1, 1.5, True, False, [1, "two", 3.0], b"\x00\x01bytes",
    uuid.UUID(int=12345), HazelcastJsonValue('{"a": [1, 2]}'), datetime.date(2024, 1, 2),
    decimal.Decimal("12.3450"),
]


@pytest.mark.parametrize("members", [1, 3])
@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_every_map_slice_operation(members: int, smart: bool) -> None:
    async with EmbeddedCluster(member_count=members) as cluster, running_client(cluster, smart_routing=smart) as client:
        m = await client.get_map("slice")
        assert await client.get_map("slice") is m
        assert await m.is_empty() and await m.size() == 0

        for index, value in enumerate(VALUES):
            assert await m.put(f"k{index}", value) is None
            assert await m.get(f"k{index}") == value
        assert await m.size() == len(VALUES)
        assert await m.put("k0", "replaced") == "text"
        assert await m.contains_key("k0") and not await m.contains_key("missing")
        assert await m.contains_value("replaced") and not await m.contains_value("text")

        await m.set("s", 1)
        assert await m.get("s") == 1
        assert await m.remove("s") == 1 and await m.remove("s") is None
        await m.set("d", 2)
        await m.delete("d")
        assert await m.get("d") is None

        assert await m.put_if_absent("p", "first") is None
        assert await m.put_if_absent("p", "second") == "first"
        assert await m.replace("p", "third") == "first"
        assert await m.replace("absent", "x") is None and not await m.contains_key("absent")
        assert not await m.replace_if_same("p", "wrong", "fourth")
        assert await m.replace_if_same("p", "third", "fourth")
        assert not await m.remove_if_same("p", "third")
        assert await m.remove_if_same("p", "fourth")

        await m.clear()
        entries = {i: f"v{i}" for i in range(300)}
        await m.put_all(entries)
        assert await m.size() == 300
        assert await m.get_all(list(range(0, 300, 7)) + [1000]) == {i: f"v{i}" for i in range(0, 300, 7)}
        assert await m.get_all([]) == {}
        assert sorted(await m.key_set()) == list(range(300))
        assert sorted(await m.values()) == sorted(entries.values())
        assert dict(await m.entry_set()) == entries

        assert await m.destroy()
        fresh = await client.get_map("slice")
        assert fresh is not m and await fresh.size() == 0


async def test_none_keys_and_values_are_rejected(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("none")
        for call in (m.put(None, 1), m.put(1, None), m.get(None), m.set(1, None), m.remove(None),
                     m.contains_value(None), m.put_all({1: None}), m.get_all([None]), m.replace_if_same(1, None, 2)):
            with pytest.raises(ValueError, match="must not be None"):
                await call
        with pytest.raises(TypeError):
            await m.put_all([(1, 2)])  # type: ignore[arg-type]
        assert await m.size() == 0


async def test_ttl_expires_entries(cluster1: EmbeddedCluster) -> None:
    import asyncio

    async with running_client(cluster1) as client:
        m = await client.get_map("ttl")
        await m.put("short", 1, ttl=0.3)
        await m.set("idle", 2, max_idle=0.3)
        await m.put("forever", 3, ttl=0)
        assert await m.get("short") == 1
        await asyncio.sleep(0.6)
        assert await m.get("short") is None
        assert await m.get("idle") is None
        assert await m.get("forever") == 3
        with pytest.raises(TypeError):
            await m.put("bad", 1, ttl="soon")  # type: ignore[arg-type]
