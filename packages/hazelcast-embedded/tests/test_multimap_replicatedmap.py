"""The MultiMap and ReplicatedMap services over the raw protocol: configuration, routing, backups, event origins."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.multimap import MULTIMAP_SERVICE_NAME, MultiMapConfig
from hazelcast.embedded.replicatedmap import REPLICATED_MAP_SERVICE_NAME
from hazelcast.errors import InvalidConfigurationError
from hazelcast.protocol import method
from hazelcast.protocol.frames import message_type

_decode_mm_event = method("MultiMap.addEntryListener").decode_event[0]
_decode_rm_event = method("ReplicatedMap.addEntryListener").decode_event[0]


def test_multimap_config_takes_set_or_list_in_any_case() -> None:
    assert MultiMapConfig().is_set
    assert not MultiMapConfig(value_collection_type="list").is_set
    with pytest.raises(InvalidConfigurationError, match="SET or LIST"):
        EmbeddedCluster(config={"multimap": {"default": {"value-collection-type": "BAG"}}})
    with pytest.raises(InvalidConfigurationError, match="backup-count"):
        EmbeddedCluster(config={"multimap": {"default": {"backup-count": 9}}})


async def test_multimap_backup_count_decides_the_replicas_holding_values(connect: Any, wire: SimpleNamespace) -> None:
    config = {"multimap": {"default": {"backup-count": 2}, "solo": {"backup-count": 0}}}
    async with EmbeddedCluster(member_count=3, config=config) as cluster:
        client = await connect(cluster.addresses[0])
        key = wire.data_str("k")
        for name in ("backed", "solo"):
            assert await client.key_call("MultiMap.put", name, key, wire.data_int(1), 1) is True
        pid = client.partition_of(key)
        replicas = cluster.replicas_of(pid)
        holding = {
            name: [m.index for m in replicas if (MULTIMAP_SERVICE_NAME, name) in m.partitions[pid]]
            for name in ("backed", "solo")
        }
        assert holding == {"backed": [m.index for m in replicas], "solo": [replicas[0].index]}
        backup = replicas[1].partitions[pid][(MULTIMAP_SERVICE_NAME, "backed")]
        assert backup.values_of(key) == [wire.data_int(1)]


async def test_keyed_messages_without_a_partition_id_find_the_key(cluster3: EmbeddedCluster, connect: Any,
                                                                  wire: SimpleNamespace) -> None:
    client = await connect(cluster3.addresses[0])
    entries = [(wire.data_int(key), [wire.data_int(1), wire.data_int(2)]) for key in range(20)]
    # putAll and valueCount may arrive without a partition id: the member groups and routes by key.
    await client.call("MultiMap.putAll", "routed", entries)
    assert await client.call("MultiMap.size", "routed") == 40
    for key in (0, 7, 19):
        assert await client.call("MultiMap.valueCount", "routed", wire.data_int(key), 1) == 2
    assert await client.call("MultiMap.valueCount", "routed", wire.data_int(99), 1) == 0


async def test_local_only_listeners_get_the_events_of_partitions_their_member_owns(
    cluster3: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    local = await connect(cluster3.addresses[1])
    everywhere = await connect(cluster3.addresses[2])
    await local.call("MultiMap.addEntryListener", "events", True, True)
    await everywhere.call("MultiMap.addEntryListener", "events", False, False)
    writer = await connect(cluster3.addresses[0])
    keys = [wire.data_int(key) for key in range(30)]
    for key in keys:
        await writer.key_call("MultiMap.put", "events", key, wire.data_str("v"), 1)
    owned_by_1 = [key for key in keys if cluster3.owner_of(local.partition_of(key)) is cluster3.members[1]]
    assert owned_by_1
    local_events = [await local.read_message() for _ in owned_by_1]
    everywhere_events = [await everywhere.read_message() for _ in keys]
    assert [_decode_mm_event(m)[0] for m in local_events] == owned_by_1
    assert [_decode_mm_event(m)[0] for m in everywhere_events] == keys
    # With includeValue the value travels; without it, it does not.
    assert _decode_mm_event(local_events[0])[1] == wire.data_str("v")
    assert _decode_mm_event(everywhere_events[0])[1] is None
    assert _decode_mm_event(everywhere_events[0])[5] == cluster3.owner_of(local.partition_of(keys[0])).uuid


async def test_replicated_writes_reach_every_member_and_a_joining_one(cluster3: EmbeddedCluster, connect: Any,
                                                                      wire: SimpleNamespace) -> None:
    client = await connect(cluster3.addresses[0])
    await client.call("ReplicatedMap.putAll", "rep", [(wire.data_int(k), wire.data_int(k)) for k in range(10)])
    assert await client.key_call("ReplicatedMap.put", "rep", wire.data_int(3), wire.data_str("x"), 0) == wire.data_int(3)
    joined = await cluster3.add_member()
    for member in cluster3.live_members:
        store = member.service_states[REPLICATED_MAP_SERVICE_NAME]["rep"]
        assert len(store.records) == 10
        assert store.records[wire.data_int(3)].value == wire.data_str("x")
    # Whole-map reads without a partition id are served by the member that receives them.
    direct = await connect(joined.address)
    assert await direct.call("ReplicatedMap.size", "rep") == 10


async def test_replicated_ttl_expiry_sends_one_evicted_event(cluster3: EmbeddedCluster, connect: Any,
                                                             wire: SimpleNamespace) -> None:
    listener = await connect(cluster3.addresses[0])
    await listener.call("ReplicatedMap.addEntryListener", "ttl", False)
    writer = await connect(cluster3.addresses[1])
    key = wire.data_str("k")
    await writer.key_call("ReplicatedMap.put", "ttl", key, wire.data_int(5), 100)
    added = _decode_rm_event(await listener.read_message())
    evicted = _decode_rm_event(await listener.read_message(timeout=3))
    assert (added[0], added[1], added[4]) == (key, wire.data_int(5), 1)
    assert (evicted[0], evicted[1], evicted[2], evicted[4]) == (key, None, wire.data_int(5), 8)
    for member in cluster3.live_members:
        assert key not in member.service_states[REPLICATED_MAP_SERVICE_NAME]["ttl"].records
    with pytest.raises(asyncio.TimeoutError):
        await listener.read_message(timeout=0.5)


@pytest.mark.parametrize("service", ["MultiMap", "ReplicatedMap"])
async def test_events_carry_the_event_type_of_the_registering_message(
    cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace, service: str
) -> None:
    client = await connect(cluster.addresses[0])
    key = wire.data_str("k")
    if service == "MultiMap":
        await client.call("MultiMap.addEntryListener", "typed", False, False)
        await client.call("MultiMap.addEntryListenerToKey", "typed", key, False, False)
        await client.key_call("MultiMap.put", "typed", key, wire.data_int(1), 1)
    else:
        await client.call("ReplicatedMap.addEntryListener", "typed", False)
        await client.call("ReplicatedMap.addEntryListenerToKey", "typed", key, False)
        await client.key_call("ReplicatedMap.put", "typed", key, wire.data_int(1), 0)
    # Events published while the put ran arrive before its response: the raw client set them aside.
    while len(client.events) < 2:
        client.events.append(await client.read_message())
    received = sorted(message_type(event) for event in client.events)
    expected = sorted(method(f"{service}.{name}").spec.event_type(0)
                      for name in ("addEntryListener", "addEntryListenerToKey"))
    assert received == expected
    assert expected[0] != expected[1]
