"""Credentials, the partition service, members joining, and per-call deadlines, end to end."""

from __future__ import annotations

import asyncio

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import AuthenticationError
from hazelcast.security import BasicTokenProvider

from .conftest import running_client, wait_until


async def test_username_and_password_credentials() -> None:
    config = {"credentials": {"username": "app", "password": "s3cret"}}
    async with EmbeddedCluster(member_count=1, config=config) as cluster:
        async with running_client(cluster, creds_username="app", creds_password="s3cret") as client:
            m = await client.get_map("secured")
            await m.put(1, 1)
        with pytest.raises(AuthenticationError):
            await HazelcastClient.create_and_start(
                cluster_members=cluster.addresses, creds_username="app", creds_password="wrong"
            )
        with pytest.raises(AuthenticationError):
            await HazelcastClient.create_and_start(cluster_members=cluster.addresses)


async def test_token_credentials() -> None:
    config = {"credentials": {"token": "t0ken"}}
    async with EmbeddedCluster(member_count=1, config=config) as cluster:
        async with running_client(cluster, token_provider=BasicTokenProvider("t0ken")) as client:
            assert await (await client.get_map("tok")).size() == 0
        with pytest.raises(AuthenticationError):
            await HazelcastClient.create_and_start(
                cluster_members=cluster.addresses, token_provider=BasicTokenProvider(b"other")
            )


async def test_partition_service_reports_what_the_cluster_uses(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        partitions = client.partition_service
        assert partitions.get_partition_count() == 271
        member_uuids = {member.uuid for member in cluster3.members}
        owners = {partitions.get_partition_owner(p) for p in range(271)}
        assert owners == member_uuids
        assert partitions.get_partition_owner(271) is None
        for key in ("key-1", 0, True, "ünï"):
            partition_id = await partitions.get_partition_id(key)
            data = client._serialization.to_data(key)
            assert partition_id == cluster3.partition_id(data)
            assert partitions.get_partition_owner(partition_id) == cluster3.owner_of(partition_id).uuid
        assert await partitions.get_partition_id("key-1") == 94  # the protocol facts' vector


async def test_listeners_reach_members_that_join_later(cluster1: EmbeddedCluster) -> None:
    events: list[str] = []
    async with running_client(cluster1) as client:
        await client.add_distributed_object_listener(lambda event: events.append(event.name))
        await cluster1.add_member()
        await cluster1.add_member()
        await wait_until(lambda: len(client._connections.connections) == 3, what="connections to joiners")
        await asyncio.sleep(0.2)
        names = [f"map-{i}" for i in range(9)]
        for name in names:
            await client.get_map(name)  # createProxy goes round robin over the three members
        await wait_until(lambda: sorted(events) == sorted(names), what=f"one event per map, got {events}")


async def test_a_call_can_be_bounded_by_the_caller(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("bounded-call")
        cluster1.members[0].delay_responses("Map.get", 1.0)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(m.get("k"), 0.2)
        assert client._invocations.pending_count == 0
        cluster1.members[0].clear_faults()
        assert await m.get("k") is None
