"""Every Map operation of the member, driven over a raw socket, plus expiry, entry statistics and destroy."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.map import MAP_SERVICE_NAME, sweep_expired_entries


@pytest.fixture
async def client(cluster: EmbeddedCluster, connect):
    return await connect(cluster.addresses[0])


async def test_put_get_set_remove_delete(client, wire: SimpleNamespace) -> None:
    k, v1, v2 = wire.data_str("k"), wire.data_str("one"), wire.data_int(2)
    assert await client.key_call("Map.get", "m", k, 1) is None
    assert await client.key_call("Map.put", "m", k, v1, 1, -1) is None
    assert await client.key_call("Map.put", "m", k, v2, 1, -1) == v1
    assert await client.key_call("Map.get", "m", k, 1) == v2
    assert await client.key_call("Map.set", "m", k, v1, 1, -1) is None
    assert await client.key_call("Map.get", "m", k, 1) == v1
    assert await client.key_call("Map.remove", "m", k, 1) == v1
    assert await client.key_call("Map.remove", "m", k, 1) is None
    await client.key_call("Map.set", "m", k, v1, 1, -1)
    assert await client.key_call("Map.delete", "m", k, 1) is True
    assert await client.key_call("Map.delete", "m", k, 1) is False
    assert await client.key_call("Map.get", "m", k, 1) is None


async def test_maps_are_separate_by_name(client, wire) -> None:
    k = wire.data_str("k")
    await client.key_call("Map.set", "a", k, wire.data_int(1), 1, -1)
    await client.key_call("Map.set", "b", k, wire.data_int(2), 1, -1)
    assert await client.key_call("Map.get", "a", k, 1) == wire.data_int(1)
    assert await client.key_call("Map.get", "b", k, 1) == wire.data_int(2)


async def test_contains_key_and_value(client, wire) -> None:
    k, v = wire.data_str("k"), wire.data_str("v")
    assert await client.key_call("Map.containsKey", "m", k, 1) is False
    assert await client.call("Map.containsValue", "m", v) is False
    await client.key_call("Map.set", "m", k, v, 1, -1)
    assert await client.key_call("Map.containsKey", "m", k, 1) is True
    assert await client.call("Map.containsValue", "m", v) is True
    # Values compare as serialized bytes: the int 118 is not the string "v".
    assert await client.call("Map.containsValue", "m", wire.data_int(118)) is False


async def test_put_if_absent_replace_and_conditional_forms(client, wire) -> None:
    k, a, b, c = wire.data_str("k"), wire.data_int(1), wire.data_int(2), wire.data_int(3)
    assert await client.key_call("Map.replace", "m", k, a, 1) is None
    assert await client.key_call("Map.containsKey", "m", k, 1) is False
    assert await client.key_call("Map.putIfAbsent", "m", k, a, 1, -1) is None
    assert await client.key_call("Map.putIfAbsent", "m", k, b, 1, -1) == a
    assert await client.key_call("Map.replace", "m", k, b, 1) == a
    assert await client.call("Map.replaceIfSame", "m", k, a, c, 1, partition_id=client.partition_of(k)) is False
    assert await client.call("Map.replaceIfSame", "m", k, b, c, 1, partition_id=client.partition_of(k)) is True
    assert await client.key_call("Map.get", "m", k, 1) == c
    assert await client.key_call("Map.removeIfSame", "m", k, a, 1) is False
    assert await client.key_call("Map.removeIfSame", "m", k, c, 1) is True
    assert await client.key_call("Map.get", "m", k, 1) is None


async def test_put_all_get_all_size_views_and_clear(client, wire) -> None:
    entries = [(wire.data_int(i), wire.data_str(f"v{i}")) for i in range(200)]
    by_partition: dict[int, list[tuple[bytes, bytes]]] = {}
    for key, value in entries:
        by_partition.setdefault(client.partition_of(key), []).append((key, value))
    for partition_id, group in by_partition.items():
        await client.call("Map.putAll", "m", group, False, partition_id=partition_id)
    assert await client.call("Map.size", "m") == 200
    assert await client.call("Map.isEmpty", "m") is False
    wanted = [key for key, _ in entries[:50]] + [wire.data_str("absent")]
    grouped: dict[int, list[bytes]] = {}
    for key in wanted:
        grouped.setdefault(client.partition_of(key), []).append(key)
    got: dict[bytes, bytes] = {}
    for partition_id, keys in grouped.items():
        got.update(await client.call("Map.getAll", "m", keys, partition_id=partition_id))
    assert got == dict(entries[:50])
    assert sorted(await client.call("Map.keySet", "m")) == sorted(key for key, _ in entries)
    assert sorted(await client.call("Map.values", "m")) == sorted(value for _, value in entries)
    assert sorted(await client.call("Map.entrySet", "m")) == sorted(entries)
    assert await client.call("Map.clear", "m") is None
    assert await client.call("Map.size", "m") == 0
    assert await client.call("Map.isEmpty", "m") is True
    assert await client.call("Map.entrySet", "m") == []


async def test_put_all_and_get_all_without_partition_id_are_split_by_the_member(client, wire) -> None:
    entries = [(wire.data_str(f"k{i}"), wire.data_int(i)) for i in range(30)]
    await client.call("Map.putAll", "m", entries, False)
    for key, value in entries[:5]:
        assert await client.key_call("Map.get", "m", key, 1) == value
    assert dict(await client.call("Map.getAll", "m", [key for key, _ in entries])) == dict(entries)


async def test_key_operation_without_partition_id_uses_the_key_partition(client, cluster, wire) -> None:
    k = wire.data_str("no-partition")
    await client.call("Map.set", "m", k, wire.data_int(1), 1, -1)  # partition id -1 in the header
    assert await client.key_call("Map.get", "m", k, 1) == wire.data_int(1)
    states = cluster.members[0].partitions[client.partition_of(k)]
    assert k in states[(MAP_SERVICE_NAME, "m")].records


async def test_ttl_expires_entries_lazily_on_access(client, wire) -> None:
    k = wire.data_str("short-lived")
    await client.key_call("Map.put", "m", k, wire.data_int(1), 1, 150)
    assert await client.key_call("Map.get", "m", k, 1) == wire.data_int(1)
    await asyncio.sleep(0.2)
    assert await client.key_call("Map.get", "m", k, 1) is None
    assert await client.key_call("Map.containsKey", "m", k, 1) is False
    # ttl 0 means forever, even when the map has a default TTL.
    await client.key_call("Map.put", "m", k, wire.data_int(2), 1, 0)
    await asyncio.sleep(0.05)
    assert await client.key_call("Map.get", "m", k, 1) == wire.data_int(2)


async def test_config_ttl_applies_to_default_puts_and_sweep_removes(connect, wire) -> None:
    config = {"map": {"short-*": {"time-to-live-seconds": 1}}}
    async with EmbeddedCluster(config=config) as cluster:
        client = await connect(cluster.addresses[0])
        k = wire.data_str("k")
        await client.key_call("Map.put", "short-a", k, wire.data_int(1), 1, -1)
        await client.key_call("Map.put", "long", k, wire.data_int(1), 1, -1)
        store = cluster.members[0].partitions[client.partition_of(k)][(MAP_SERVICE_NAME, "short-a")]
        record = store.records[k]
        assert record.expiration_time - record.last_update_time == 1000
        # Age the entry instead of sleeping a second: the sweep must drop it without any access.
        record.ttl_start -= 2000
        record.refresh_expiration()
        sweep_expired_entries(cluster)
        assert k not in store.records
        assert await client.key_call("Map.get", "long", k, 1) == wire.data_int(1)


async def test_max_idle_is_reset_by_access(connect, wire) -> None:
    async with EmbeddedCluster(config={"map": {"idle": {"max-idle-seconds": 1}}}) as cluster:
        client = await connect(cluster.addresses[0])
        k = wire.data_str("k")
        await client.key_call("Map.set", "idle", k, wire.data_int(1), 1, -1)
        record = cluster.members[0].partitions[client.partition_of(k)][(MAP_SERVICE_NAME, "idle")].records[k]
        record.last_access_time -= 900
        record.refresh_expiration()
        assert await client.key_call("Map.get", "idle", k, 1) == wire.data_int(1)  # access renews the idle time
        assert record.expiration_time >= record.last_access_time + 1000
        record.last_access_time -= 1100
        record.refresh_expiration()
        assert await client.key_call("Map.get", "idle", k, 1) is None


async def test_put_with_max_idle_and_set_ttl(client, cluster, wire) -> None:
    k = wire.data_str("k")
    await client.call("Map.putWithMaxIdle", "m", k, wire.data_int(1), 1, -1, 100, partition_id=client.partition_of(k))
    await asyncio.sleep(0.15)
    assert await client.key_call("Map.get", "m", k, 1) is None
    await client.key_call("Map.set", "m", k, wire.data_int(1), 1, -1)
    assert await client.call("Map.setTtl", "m", k, 100, partition_id=client.partition_of(k)) is True
    await asyncio.sleep(0.15)
    assert await client.key_call("Map.get", "m", k, 1) is None
    assert await client.call("Map.setTtl", "m", k, 100, partition_id=client.partition_of(k)) is False


async def test_entry_view_keeps_per_entry_statistics(connect, wire) -> None:
    async with EmbeddedCluster(config={"map": {"default": {"per-entry-stats-enabled": True}}}) as cluster:
        client = await connect(cluster.addresses[0])
        await _check_entry_view_statistics(client, wire)


async def _check_entry_view_statistics(client, wire) -> None:
    k, v = wire.data_str("k"), wire.data_str("value")
    await client.key_call("Map.put", "m", k, v, 1, -1)
    await client.key_call("Map.put", "m", k, v, 1, -1)
    for _ in range(3):
        await client.key_call("Map.get", "m", k, 1)
    view, _ = await client.key_call("Map.getEntryView", "m", k, 1)
    assert view.key == k and view.value == v
    assert view.hits == 3
    assert view.version == 1
    assert view.creation_time <= view.last_update_time <= view.last_access_time
    assert view.expiration_time == 2**63 - 1
    missing, _ = await client.key_call("Map.getEntryView", "m", wire.data_str("absent"), 1)
    assert missing is None


async def test_entry_stats_are_off_by_default_and_reported_unset(client, wire) -> None:
    # As on a member: without per-entry statistics the times and hits are -1; the version is kept.
    k = wire.data_str("k")
    await client.key_call("Map.set", "m", k, wire.data_int(1), 1, -1)
    await client.key_call("Map.set", "m", k, wire.data_int(2), 1, -1)
    await client.key_call("Map.get", "m", k, 1)
    view, _ = await client.key_call("Map.getEntryView", "m", k, 1)
    assert (view.hits, view.creation_time, view.last_access_time, view.last_update_time) == (-1, -1, -1, -1)
    assert view.version == 1 and view.expiration_time == 2**63 - 1


async def test_destroy_proxy_drops_the_data(client, cluster, wire) -> None:
    k = wire.data_str("k")
    await client.call("Client.createProxy", "doomed", MAP_SERVICE_NAME)
    await client.key_call("Map.set", "doomed", k, wire.data_int(1), 1, -1)
    await client.call("Client.destroyProxy", "doomed", MAP_SERVICE_NAME)
    assert await client.call("Map.size", "doomed") == 0
    assert await client.key_call("Map.get", "doomed", k, 1) is None
    assert all((MAP_SERVICE_NAME, "doomed") not in states for states in cluster.members[0].partitions)
