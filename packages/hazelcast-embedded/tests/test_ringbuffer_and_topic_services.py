"""The member's Ringbuffer, Topic and ReliableTopic services over the raw protocol."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.ringbuffer.waiting import Waiters
from hazelcast.protocol import method
from hazelcast.protocol.frames import correlation_id

_RB = "hz:impl:ringbufferService"
_DECODE_TOPIC_EVENT = method("Topic.addMessageListener").decode_event[0]


async def test_a_read_of_the_next_item_is_answered_when_it_is_added(
    cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    client = await connect(cluster.addresses[0])
    correlation, buf = client.encode("Ringbuffer.readOne", "rb", 0)
    client.write(buf)
    with pytest.raises(TimeoutError):
        await client.read_message(0.2)
    assert Waiters.of(cluster).count("rb") == 1
    add_correlation, add = client.encode("Ringbuffer.add", "rb", 0, wire.data_str("x"))
    client.write(add)
    # The parked read's answer comes first: the add woke it before its own response was sent.
    message = await client.response(correlation)
    assert method("Ringbuffer.readOne").decode_response(message) == wire.data_str("x")
    assert method("Ringbuffer.add").decode_response(await client.response(add_correlation)) == 0
    assert Waiters.of(cluster).count("rb") == 0


async def test_read_many_errors_answer_with_java_exceptions(
    cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    client = await connect(cluster.addresses[0])
    await client.call("Ringbuffer.add", "rb", 0, wire.data_str("x"))
    for start, min_count, max_count in ((0, 2, 1), (0, -1, 1), (-1, 0, 1), (0, 0, 1001)):
        with pytest.raises(wire.ProtocolError) as raised:
            await client.call("Ringbuffer.readMany", "rb", start, min_count, max_count, None)
        assert raised.value.class_name == "java.lang.IllegalArgumentException"
    with pytest.raises(wire.ProtocolError) as stale:
        await client.call("Ringbuffer.readOne", "rb", 5)
    assert stale.value.class_name == "java.lang.IllegalArgumentException"
    with pytest.raises(wire.ProtocolError) as empty:
        await client.call("Ringbuffer.addAll", "rb", [], 0)
    assert empty.value.class_name == "java.lang.IllegalArgumentException"


async def test_a_filter_the_member_does_not_know_fails_the_read(
    cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    import struct

    client = await connect(cluster.addresses[0])
    unknown_filter = struct.pack(">iibii", 0, -2, 1, 999, 1)
    with pytest.raises(wire.ProtocolError) as raised:
        await client.call("Ringbuffer.readMany", "rb", 0, 0, 1, unknown_filter)
    assert "Serialization" in raised.value.class_name


async def test_adds_reach_the_backup_replicas_with_their_sequences(
    cluster3: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    client = await connect(cluster3.addresses[0])
    await client.call("Ringbuffer.addAll", "replicated", [wire.data_str(s) for s in "abc"], 0)
    partition_id = cluster3.name_partition_id("replicated")
    owner, backup = cluster3.replicas_of(partition_id)[:2]
    owned = owner.partitions[partition_id][(_RB, "replicated")]
    copied = backup.partitions[partition_id][(_RB, "replicated")]
    assert (copied.head, copied.tail, copied.items) == (owned.head, owned.tail, owned.items)


async def test_expired_items_leave_owners_and_backups() -> None:
    config = {"ringbuffer": {"short": {"time-to-live-seconds": 1, "backup-count": 1}}}
    async with EmbeddedCluster(member_count=2, config=config) as cluster:
        from hazelcast.embedded.ringbuffer.service import sweep_expired_items
        from hazelcast.embedded.ringbuffer.container import OVERFLOW_OVERWRITE

        partition_id = cluster.name_partition_id("short")
        for replica in cluster.replicas_of(partition_id):
            state = replica.partitions[partition_id].setdefault(
                (_RB, "short"), _container(cluster, "short")
            )
            state.add([b"x"], OVERFLOW_OVERWRITE, 0)  # added at the epoch: long expired
        sweep_expired_items(cluster)
        for replica in cluster.replicas_of(partition_id):
            assert replica.partitions[partition_id][(_RB, "short")].size() == 0


def _container(cluster: EmbeddedCluster, name: str) -> Any:
    from hazelcast.embedded.ringbuffer import RingbufferContainer

    return RingbufferContainer(cluster.structure_configs.lookup("ringbuffer", name))


async def test_a_parked_read_fails_when_the_ringbuffer_is_destroyed(
    cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    client = await connect(cluster.addresses[0])
    correlation, buf = client.encode("Ringbuffer.readMany", "doomed", 0, 1, 1, None)
    client.write(buf)
    await asyncio.sleep(0.05)
    destroy_correlation, destroy = client.encode("Client.destroyProxy", "doomed", _RB)
    client.write(destroy)
    message = await client.response(correlation)
    await client.response(destroy_correlation)
    from hazelcast.protocol.errors_codec import decode_error

    assert decode_error(message)[0].class_name == "com.hazelcast.spi.exception.DistributedObjectDestroyedException"


async def test_topic_events_reach_local_registrations_once_and_global_ones_everywhere(
    cluster3: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    smart = [await connect(address) for address in cluster3.addresses]
    for client in smart:
        await client.call("Topic.addMessageListener", "news", True)
    unisocket = await connect(cluster3.addresses[2])
    await unisocket.call("Topic.addMessageListener", "news", False)
    await smart[0].call("Topic.publishAll", "news", [wire.data_str("one"), wire.data_str("two")])
    owner = cluster3.owner_of(cluster3.name_partition_id("news"))
    received_by_smart = []
    for client in smart:
        received_by_smart.extend(_DECODE_TOPIC_EVENT(message) for message in client.events)
        while True:
            try:
                message = await client.read_message(0.3)
            except TimeoutError:
                break
            received_by_smart.append(_DECODE_TOPIC_EVENT(message))
    assert [event.item for event in received_by_smart] == [wire.data_str("one"), wire.data_str("two")]
    assert {event.uuid for event in received_by_smart} == {owner.uuid}
    unisocket_events = [_DECODE_TOPIC_EVENT(await unisocket.read_message()) for _ in range(2)]
    assert [event.item for event in unisocket_events] == [wire.data_str("one"), wire.data_str("two")]
    assert unisocket_events[0].publish_time > 0


async def test_topic_listener_removal_and_destroy(
    cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    client = await connect(cluster.addresses[0])
    registration = await client.call("Topic.addMessageListener", "t", False)
    assert await client.call("Topic.removeMessageListener", "t", registration)
    assert not await client.call("Topic.removeMessageListener", "t", registration)
    await client.call("Topic.publish", "t", wire.data_str("unheard"))
    with pytest.raises(TimeoutError):
        await client.read_message(0.2)
    await client.call("Topic.addMessageListener", "t", False)
    await client.call("Client.destroyProxy", "t", "hz:impl:topicService")
    assert not cluster.events.has_listeners(("hz:impl:topicService", "t"))


async def test_reliable_topic_proxies_can_be_created_and_sections_are_validated(
    cluster: EmbeddedCluster, connect: Any
) -> None:
    client = await connect(cluster.addresses[0])
    await client.call("Client.createProxy", "rt", "hz:impl:reliableTopicService")
    assert ("hz:impl:reliableTopicService", "rt") in cluster.distributed_objects
    from hazelcast.errors import InvalidConfigurationError

    good = {
        "topic": {"t-*": {"global-ordering-enabled": True}},
        "reliable-topic": {"rt-*": {"read-batch-size": 5, "topic-overload-policy": "DISCARD_OLDEST"}},
    }
    async with EmbeddedCluster(config=good) as configured:
        assert configured.structure_configs.lookup("topic", "t-1").global_ordering_enabled
        assert configured.structure_configs.lookup("reliable-topic", "rt-1").read_batch_size == 5
    for bad in (
        {"reliable-topic": {"x": {"read-batch-size": 0}}},
        {"reliable-topic": {"x": {"topic-overload-policy": "SOMETIMES"}}},
        {"topic": {"x": {"global-ordering-enabled": True, "multi-threading-enabled": True}}},
    ):
        with pytest.raises(InvalidConfigurationError):
            EmbeddedCluster(config=bad)


async def test_a_hazelcast_yaml_file_configures_ringbuffers_and_topics(tmp_path: Any) -> None:
    config_file = tmp_path / "hazelcast.yaml"
    config_file.write_text(
        "hazelcast:\n"
        "  ringbuffer:\n"
        "    default:\n"
        "      capacity: 50\n"
        "    _hz_rb_orders-*:\n"
        "      capacity: 8\n"
        "      time-to-live-seconds: 30\n"
        "      backup-count: 2\n"
        "      in-memory-format: OBJECT\n"
        "  reliable-topic:\n"
        "    orders-*:\n"
        "      read-batch-size: 4\n"
        "      topic-overload-policy: ERROR\n"
        "  topic:\n"
        "    news:\n"
        "      global-ordering-enabled: true\n",
        encoding="utf-8",
    )
    async with EmbeddedCluster(member_count=3, config=config_file) as cluster:
        configs = cluster.structure_configs
        orders = configs.lookup("ringbuffer", "_hz_rb_orders-eu")
        assert (orders.capacity, orders.time_to_live_seconds, orders.backup_count) == (8, 30, 2)
        assert configs.lookup("ringbuffer", "other").capacity == 50
        assert configs.lookup("reliable-topic", "orders-eu").topic_overload_policy == "ERROR"
        assert configs.lookup("topic", "news").global_ordering_enabled
        # Two backups: a ringbuffer add reaches the owner and both other members.
        assert cluster.replica_count == 3
