"""Core behaviour that code written for the official asyncio client relies on.

Lifecycle states in Hazelcast's order, ``get_partition_id`` as a coroutine that first sends a Compact key's schema,
configuration errors, and a member joining a running cluster under load without losing an acknowledged write.
"""

from __future__ import annotations

import asyncio
import itertools

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import Config
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.schemas import schema_registry
from hazelcast.errors import InvalidConfigurationError
from hazelcast.lifecycle import LifecycleState
from hazelcast.serialization.compact import CompactReader, CompactSerializer, CompactWriter

from .conftest import running_client, wait_until

_START = [LifecycleState.STARTING, LifecycleState.STARTED, LifecycleState.CONNECTED]
_SHUTDOWN = [LifecycleState.SHUTTING_DOWN, LifecycleState.DISCONNECTED, LifecycleState.SHUTDOWN]


def _config(cluster: EmbeddedCluster, states: list[str], **options: object) -> Config:
    config = Config()
    config.cluster_members = list(cluster.addresses)
    config.lifecycle_listeners = [states.append]
    for name, value in options.items():
        setattr(config, name, value)
    return config


async def test_a_configured_listener_sees_start_and_shutdown_in_hazelcasts_order(
    cluster3: EmbeddedCluster,
) -> None:
    states: list[str] = []
    client = await HazelcastClient.create_and_start(_config(cluster3, states))
    assert states == _START
    await (await client.get_map("m")).put("k", "v")
    await client.shutdown()
    assert states == _START + _SHUTDOWN


async def test_unisocket_and_async_start_keep_the_order(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    client = await HazelcastClient.create_and_start(_config(cluster1, states, smart_routing=False, async_start=True))
    await wait_until(lambda: LifecycleState.CONNECTED in states, what="CONNECTED")
    assert states == _START
    await client.shutdown()
    assert states == _START + _SHUTDOWN


async def test_losing_the_only_member_and_reconnecting_is_disconnected_then_connected(
    cluster1: EmbeddedCluster,
) -> None:
    states: list[str] = []
    client = await HazelcastClient.create_and_start(_config(cluster1, states, cluster_connect_timeout=20))
    try:
        await cluster1.restart_member(cluster1.members[0])
        await wait_until(lambda: states.count(LifecycleState.CONNECTED) == 2, what="connected again")
        assert states == _START + [LifecycleState.DISCONNECTED, LifecycleState.CONNECTED]
        await (await client.get_map("m")).put("k", "v")
    finally:
        await client.shutdown()
    assert states[-3:] == _SHUTDOWN


async def test_a_start_that_cannot_connect_shuts_down_in_order() -> None:
    states: list[str] = []
    config = Config()
    config.cluster_members = ["127.0.0.1:1"]
    config.cluster_connect_timeout = 0.3
    config.lifecycle_listeners = [states.append]
    with pytest.raises(Exception):
        await HazelcastClient.create_and_start(config)
    assert states == [
        LifecycleState.STARTING, LifecycleState.STARTED, LifecycleState.SHUTTING_DOWN, LifecycleState.SHUTDOWN
    ]


async def test_a_config_object_and_keyword_options_together_are_a_configuration_error() -> None:
    with pytest.raises(InvalidConfigurationError, match="client_name"):
        HazelcastClient(Config(), client_name="x")
    with pytest.raises(InvalidConfigurationError, match="cluster_name"):
        await HazelcastClient.create_and_start(Config(), cluster_name="dev")


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y


class PointSerializer(CompactSerializer[Point]):
    def read(self, reader: CompactReader) -> Point:
        return Point(reader.read_int32("x"), reader.read_int32("y"))

    def write(self, writer: CompactWriter, obj: Point) -> None:
        writer.write_int32("x", obj.x)
        writer.write_int32("y", obj.y)

    def get_class(self) -> type[Point]:
        return Point

    def get_type_name(self) -> str:
        return "parity.Point"


async def test_partition_id_of_a_compact_key_is_awaited_after_its_schema_reached_the_cluster(
    cluster3: EmbeddedCluster,
) -> None:
    async with running_client(cluster3, compact_serializers=[PointSerializer()]) as client:
        partitions = client.partition_service
        assert not any(len(schema_registry(member)) for member in cluster3.members)
        partition_id = await partitions.get_partition_id(Point(3, 4))
        # Every member knows the schema by the time the id is given out.
        assert all(len(schema_registry(member)) == 1 for member in cluster3.members)
        assert partition_id == cluster3.partition_id(client._serialization.to_data(Point(3, 4)))
        assert await partitions.get_partition_id(Point(3, 4)) == partition_id
        # The other two stay plain methods.
        assert partitions.get_partition_count() == 271
        assert partitions.get_partition_owner(partition_id) == cluster3.owner_of(partition_id).uuid


async def test_members_joining_under_a_64_task_write_load_lose_no_acknowledged_write() -> None:
    async with EmbeddedCluster(member_count=1, config={"map": {"default": {"backup-count": 1}}}) as cluster:
        async with running_client(cluster) as client:
            orders = await client.get_map("orders")
            acknowledged: dict[int, int] = {}
            counter = itertools.count()
            stop = asyncio.Event()

            async def writer() -> None:
                while not stop.is_set():
                    key = next(counter)
                    await orders.set(key, key * 10)
                    acknowledged[key] = key * 10

            writers = [asyncio.create_task(writer()) for _ in range(64)]
            try:
                for expected in (2, 3, 4):
                    before = len(acknowledged)
                    member = await cluster.add_member()
                    await wait_until(
                        lambda: any(m.uuid == member.uuid for m in client.cluster_service.get_members()),
                        what=f"the client sees member {expected}",
                    )
                    await wait_until(lambda: len(acknowledged) > before + 500, what="writes go on after the join")
                    assert len(client.cluster_service.get_members()) == expected
            finally:
                stop.set()
                await asyncio.gather(*writers)
            # The client learned the final partition table, and the newest member owns a share of it.
            owners = client.partition_service
            await wait_until(
                lambda: all(
                    owners.get_partition_owner(pid) == cluster.owner_of(pid).uuid for pid in range(271)
                ),
                what="the client's partition table matches the cluster's",
            )
            assert len(cluster.partitions_of(cluster.members[3])[0]) >= 67
            assert await orders.size() == len(acknowledged)
            values = await orders.get_all(list(acknowledged))
            assert values == acknowledged
