"""Queue, list, set, PN counter, Flake ID and executor services over the raw protocol (no client library)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.flakeid import node_id_of
from hazelcast.protocol import method
from hazelcast.protocol.frames import IS_EVENT

_TAKE = method("Queue.take")


async def test_queue_over_the_wire(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    client = await connect(cluster.addresses[0])
    item = wire.data_str("a")
    assert await client.call("Queue.offer", "q", item, 0)
    assert await client.call("Queue.size", "q") == 1
    assert await client.call("Queue.peek", "q") == item
    assert await client.call("Queue.poll", "q", 0) == item
    assert await client.call("Queue.poll", "q", 0) is None


async def test_parked_take_is_answered_by_a_later_offer(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    taker = await connect(cluster.addresses[0])
    producer = await connect(cluster.addresses[0])
    correlation, buf = taker.encode("Queue.take", "parked")
    taker.write(buf)
    with pytest.raises(TimeoutError):
        await taker.read_message(timeout=0.1)
    await producer.call("Queue.offer", "parked", wire.data_int(5), 0)
    response = await taker.response(correlation)
    assert _TAKE.decode_response(response) == wire.data_int(5)


async def test_a_closed_connection_drops_its_parked_take(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    leaving = await connect(cluster.addresses[0])
    _, buf = leaving.encode("Queue.take", "dropped")
    leaving.write(buf)
    await asyncio.sleep(0.05)
    await leaving.close()
    await asyncio.sleep(0.05)
    staying = await connect(cluster.addresses[0])
    await staying.call("Queue.offer", "dropped", wire.data_int(1), 0)
    assert await staying.call("Queue.size", "dropped") == 1


async def test_timed_poll_answers_null_at_its_timeout(cluster: EmbeddedCluster, connect: Any) -> None:
    client = await connect(cluster.addresses[0])
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await client.call("Queue.poll", "empty", 100) is None
    assert loop.time() - started >= 0.09


async def test_hazelcast_yaml_keys_configure_the_structures(connect: Any, wire: Any) -> None:
    config = {
        "queue": {"jobs-*": {"max-size": 1, "backup-count": 2}},
        "list": {"default": {"max-size": 2}},
        "set": {"tags": {"max-size": 1, "backup-count": 0}},
        "pn-counter": {"hits": {"replica-count": 2}},
        "executor-service": {"default": {"pool-size": 4, "queue-capacity": 10}},
        "flake-id-generator": {"ids": {"prefetch-count": 10, "prefetch-validity-millis": 1000, "node-id-offset": 3}},
    }
    async with EmbeddedCluster(member_count=1, config=config) as cluster:
        client = await connect(cluster.addresses[0])
        assert await client.call("Queue.offer", "jobs-1", wire.data_int(1), 0)
        assert not await client.call("Queue.offer", "jobs-1", wire.data_int(2), 0)
        assert await client.call("Queue.remainingCapacity", "other") == 2**31 - 1
        assert await client.call("List.addAll", "anything", [wire.data_int(1), wire.data_int(2)])
        assert not await client.call("List.add", "anything", wire.data_int(3))
        assert await client.call("Set.add", "tags", wire.data_int(1))
        assert not await client.call("Set.add", "tags", wire.data_int(2))
        assert await client.call("PNCounter.getConfiguredReplicaCount", "hits") == 2
        assert await client.call("PNCounter.getConfiguredReplicaCount", "other") == 2**31 - 1
        batch = await client.call("FlakeIdGenerator.newIdBatch", "ids", 4)
        assert batch.base & 0xFFFF == node_id_of(cluster.members[0]) + 3
        assert batch.increment == 1 << 16 and batch.batch_size == 4


async def test_flake_id_batches_do_not_overlap_on_a_member(cluster: EmbeddedCluster, connect: Any) -> None:
    client = await connect(cluster.addresses[0])
    seen: set[int] = set()
    for _ in range(5):
        batch = await client.call("FlakeIdGenerator.newIdBatch", "ids", 100)
        ids = {batch.base + i * batch.increment for i in range(batch.batch_size)}
        assert not ids & seen
        seen |= ids


async def test_flake_id_node_ids_differ_and_change_on_restart(cluster3: EmbeddedCluster) -> None:
    before = [node_id_of(member) for member in cluster3.members]
    assert len(set(before)) == 3
    await cluster3.members[0].kill()
    await cluster3.members[0].restart()
    assert node_id_of(cluster3.members[0]) not in before


async def test_pn_counter_refuses_a_session_it_has_not_seen(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    client = await connect(cluster.addresses[0])
    member_uuid = cluster.members[0].uuid
    added = await client.call("PNCounter.add", "c", 3, False, [], member_uuid)
    assert added.value == 3 and added.replica_timestamps == [(member_uuid, 1)]
    ahead = [(member_uuid, 2)]
    with pytest.raises(wire.ProtocolError, match="ConsistencyLost"):
        await client.call("PNCounter.get", "c", ahead, member_uuid)


async def test_item_events_carry_the_value_only_when_asked(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    client = await connect(cluster.addresses[0])
    await client.call("Set.addListener", "watched", False, False)
    await client.call("Set.add", "watched", wire.data_int(1))
    events = list(client.events)
    while not events:
        message = await client.read_message(timeout=1.0)
        if message[0][0] & IS_EVENT:
            events.append(message)
    decode = method("Set.addListener").decode_event[0]
    item, member_uuid, event_type = decode(events[0])
    assert item is None and event_type == 1 and member_uuid == cluster.members[0].uuid


async def test_empty_queue_ttl_destroys_a_queue_that_stays_empty(connect: Any, wire: Any) -> None:
    config = {"queue": {"short-lived-*": {"empty-queue-ttl": 0}, "default": {"empty-queue-ttl": 60}}}
    async with EmbeddedCluster(member_count=1, config=config) as cluster:
        client = await connect(cluster.addresses[0])
        for name in ("short-lived-1", "kept"):
            await client.call("Client.createProxy", name, "hz:impl:queueService")
            await client.call("Queue.offer", name, wire.data_int(1), 0)
            await client.call("Queue.poll", name, 0)
        await asyncio.sleep(0.05)
        remaining = {name for _, name in cluster.distributed_objects}
        assert "short-lived-1" not in remaining and "kept" in remaining
        partition_id = cluster.name_partition_id("short-lived-1")
        assert ("hz:impl:queueService", "short-lived-1") not in cluster.owner_of(partition_id).partitions[partition_id]


_HAZELCAST_YAML = """
hazelcast:
  cluster-name: dev
  queue:
    orders-*:
      max-size: 2
      backup-count: 2
      async-backup-count: 1
      empty-queue-ttl: 30
      statistics-enabled: true
  list:
    default:
      max-size: 5
      backup-count: 1
  set:
    tags:
      max-size: 10
  pn-counter:
    likes:
      replica-count: 2
      statistics-enabled: true
  flake-id-generator:
    order-ids:
      prefetch-count: 50
      prefetch-validity-millis: 60000
      node-id-offset: 100
      epoch-start: 1514764800000
      bits-sequence: 6
      bits-node-id: 16
      allowed-future-millis: 15000
  executor-service:
    reports:
      pool-size: 2
      queue-capacity: 4
"""


async def test_a_hazelcast_yaml_snippet_configures_every_section(tmp_path: Any) -> None:
    path = tmp_path / "hazelcast.yaml"
    path.write_text(_HAZELCAST_YAML)
    async with EmbeddedCluster(member_count=1, config=str(path)) as cluster:
        lookup = cluster.structure_configs.lookup
        queue = lookup("queue", "orders-eu")
        assert (queue.max_size, queue.backup_count, queue.empty_queue_ttl) == (2, 2, 30)
        assert queue.total_backup_count == 3
        assert cluster.replica_count == 4, "a queue's backups (synchronous and asynchronous) size the partition table"
        assert lookup("list", "anything").max_size == 5
        assert lookup("set", "tags").max_size == 10 and lookup("set", "other").max_size == 0
        assert lookup("pn-counter", "likes").replica_count == 2
        flake = lookup("flake-id-generator", "order-ids")
        assert (flake.prefetch_count, flake.node_id_offset, flake.bits_node_id) == (50, 100, 16)
        executor = lookup("executor-service", "reports")
        assert (executor.pool_size, executor.queue_capacity) == (2, 4)


async def test_pn_counter_runs_on_the_replica_the_client_names(cluster3: EmbeddedCluster, connect: Any, wire: Any) -> None:
    client = await connect(cluster3.addresses[0])
    target = cluster3.members[2].uuid
    added = await client.call("PNCounter.add", "c", 4, False, [], target)
    assert added.replica_timestamps == [(target, 1)], "a unisocket client's request runs on the named replica"
    with pytest.raises(wire.ProtocolError, match="TargetNotMember"):
        await client.call("PNCounter.get", "c", [], uuid.uuid4())


async def test_flake_id_members_with_overflowing_node_ids_hand_over(connect: Any, wire: Any) -> None:
    # bits-node-id 0 leaves room for node id 0 only: every request is served by the member holding it.
    config = {"flake-id-generator": {"narrow": {"bits-node-id": 0}, "none": {"bits-node-id": 0, "node-id-offset": 1}}}
    async with EmbeddedCluster(member_count=3, config=config) as cluster:
        holder = next(member for member in cluster.members if node_id_of(member) == 0)
        other = next(member for member in cluster.members if member is not holder)
        client = await connect(other.address)
        batch = await client.call("FlakeIdGenerator.newIdBatch", "narrow", 3)
        assert batch.increment == 1 and batch.batch_size == 3
        with pytest.raises(wire.ProtocolError, match="no member has a node id in range"):
            await client.call("FlakeIdGenerator.newIdBatch", "none", 3)


async def test_flake_id_waits_when_a_batch_reaches_too_far_ahead(connect: Any) -> None:
    config = {"flake-id-generator": {"slow": {"bits-sequence": 0, "allowed-future-millis": 0}}}
    async with EmbeddedCluster(member_count=1, config=config) as limited:
        client = await connect(limited.addresses[0])
        first = await client.call("FlakeIdGenerator.newIdBatch", "slow", 50)
        loop = asyncio.get_running_loop()
        started = loop.time()
        second = await client.call("FlakeIdGenerator.newIdBatch", "slow", 50)
        assert loop.time() - started >= 0.03, "one id per millisecond: the second batch waits for the clock"
        assert second.base >= first.base + 50 * first.increment



def test_backup_counts_are_validated() -> None:
    with pytest.raises(ValueError, match="async-backup-count"):
        EmbeddedCluster(config={"queue": {"q": {"backup-count": 4, "async-backup-count": 3}}})
    with pytest.raises(ValueError, match="max-size"):
        EmbeddedCluster(config={"list": {"l": {"max-size": -1}}})
