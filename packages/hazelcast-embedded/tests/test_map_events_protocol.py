"""Map events on the wire: the member filters entry events by flags and key, sends invalidations with growing
sequences, answers near cache metadata, and parks writes on locked keys."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.locks import CLIENT_RELEASE_GRACE_SECONDS
from hazelcast.protocol import method
from hazelcast.protocol.frames import IS_EVENT, correlation_id, message_type

_ENTRY_EVENT = method("Map.addEntryListener").decode_event[0]
_INVALIDATION = method("Map.addNearCacheInvalidationListener")


@pytest.fixture
async def client(cluster: EmbeddedCluster, connect):
    return await connect(cluster.addresses[0])


async def _drain(client: Any, timeout: float = 0.2) -> list[Any]:
    """Every event already received or arriving within ``timeout``."""
    found = list(client.events)
    client.events.clear()
    try:
        while True:
            message = await client.read_message(timeout)
            assert message[0][0] & IS_EVENT
            found.append(message)
    except TimeoutError:
        return found


async def test_entry_events_follow_flags_key_and_include_value(client, wire) -> None:
    k, other = wire.data_str("k"), wire.data_str("other")
    updates = await client.call("Map.addEntryListener", "m", True, 4 | 2, False)  # UPDATED | REMOVED
    keyed = await client.call("Map.addEntryListenerToKey", "m", k, False, 1, False)  # ADDED, no values
    assert updates != keyed
    for key in (k, other):
        await client.key_call("Map.put", "m", key, wire.data_int(1), 1, -1)
        await client.key_call("Map.put", "m", key, wire.data_int(2), 1, -1)
        await client.key_call("Map.remove", "m", key, 1)
    events = [(correlation_id(m), _ENTRY_EVENT(m)) for m in await _drain(client)]
    added = [event for _, event in events if event[4] == 1]
    assert [(e[0], e[1], e[2]) for e in added] == [(k, None, None)]
    changes = [(e[4], e[0], e[1], e[2]) for _, e in events if e[4] != 1]
    assert changes == [
        (4, k, wire.data_int(2), wire.data_int(1)), (2, k, None, wire.data_int(2)),
        (4, other, wire.data_int(2), wire.data_int(1)), (2, other, None, wire.data_int(2)),
    ]
    assert await client.call("Map.removeEntryListener", "m", updates)
    assert not await client.call("Map.removeEntryListener", "m", updates)


async def test_invalidations_carry_growing_sequences_and_metadata_matches(client, wire) -> None:
    await client.call("Map.addNearCacheInvalidationListener", "m", 256, False)
    k = wire.data_str("k")
    partition = client.partition_of(k)
    (names, uuids) = await client.call("Map.fetchNearCacheInvalidationMetadata", ["m"], uuid.uuid4())
    start = dict(names[0][1])[partition]
    partition_uuid = dict(uuids)[partition]
    for value in range(3):
        await client.key_call("Map.set", "m", k, wire.data_int(value), 1, -1)
    decode = _INVALIDATION.decode_event[0]
    invalidations = [decode(m) for m in await _drain(client)]
    assert [(key, p_uuid, sequence) for key, _, p_uuid, sequence in invalidations] == [
        (k, partition_uuid, start + 1), (k, partition_uuid, start + 2), (k, partition_uuid, start + 3),
    ]
    (names, _) = await client.call("Map.fetchNearCacheInvalidationMetadata", ["m"], uuid.uuid4())
    assert dict(names[0][1])[partition] == start + 3
    await client.call("Map.clear", "m")
    [clear] = await _drain(client)
    assert message_type(clear) == _INVALIDATION.spec.event_type(0) and decode(clear)[0] is None


async def test_a_put_on_a_key_locked_by_another_owner_waits_for_the_unlock(cluster: EmbeddedCluster, connect, wire) -> None:
    owner = await connect(cluster.addresses[0])
    other = await connect(cluster.addresses[0])
    k = wire.data_str("k")
    await owner.key_call("Map.lock", "m", k, 1, -1, 1)
    correlation, buf = other.encode("Map.put", "m", k, wire.data_int(5), 1, -1, partition_id=other.partition_of(k))
    other.write(buf)
    try:
        await other.response(correlation, timeout=0.2)
        raise AssertionError("the put was answered while the key was locked")
    except TimeoutError:
        pass
    assert await owner.key_call("Map.tryPut", "m", k, wire.data_int(6), 1, 0) is True  # the owner is not blocked
    await owner.key_call("Map.unlock", "m", k, 1, 2)
    response = await other.response(correlation)
    assert method("Map.put").decode_response(response) == wire.data_int(6)
    assert await owner.key_call("Map.get", "m", k, 1) == wire.data_int(5)


async def test_locks_of_a_client_whose_connection_closes_are_released(cluster: EmbeddedCluster, connect, wire) -> None:
    holder = await connect(cluster.addresses[0])
    watcher = await connect(cluster.addresses[0])
    k = wire.data_str("k")
    await holder.key_call("Map.lock", "m", k, 1, -1, 1)
    assert await watcher.key_call("Map.isLocked", "m", k)
    await holder.close()
    # Released once the client has had no connection for the grace period (the lock service's periodic sweep).
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CLIENT_RELEASE_GRACE_SECONDS + 2
    while loop.time() < deadline and await watcher.key_call("Map.isLocked", "m", k):
        await asyncio.sleep(0.05)
    assert not await watcher.key_call("Map.isLocked", "m", k)
