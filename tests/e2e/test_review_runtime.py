"""Client runtime fixes from a review, end to end: listeners, member connections, the cluster view, shutdown."""

from __future__ import annotations

import asyncio

import pytest
from structlog.testing import capture_logs

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import ClientOfflineError
from hazelcast.lifecycle import LifecycleState

from .conftest import running_client, wait_until


async def test_a_listener_removed_while_a_new_member_is_registering_it_stays_removed_there() -> None:
    async with EmbeddedCluster(member_count=2) as cluster, running_client(cluster) as client:
        events: list[object] = []
        registration = await client.add_distributed_object_listener(events.append)
        newcomer = await cluster.add_member()
        newcomer.delay_responses("Client.addDistributedObjectListener", 1.0)
        await wait_until(lambda: newcomer.uuid in client._connections.connections, what="connection to the new member")
        await asyncio.sleep(0.2)  # the registration on the new connection is sent and its answer is held back
        assert await client.remove_distributed_object_listener(registration)
        await asyncio.sleep(1.5)  # the held answer arrives after the removal
        await wait_until(lambda: not newcomer.object_listeners, what="the late registration removed on the member")
        # An object created through the new member is reported to nobody.
        other = await HazelcastClient.create_and_start(
            cluster_members=[newcomer.address], smart_routing=False, cluster_connect_timeout=10
        )
        try:
            await other.get_map("created-after-removal")
        finally:
            await other.shutdown()
        await asyncio.sleep(0.2)
        assert events == []


async def test_concurrent_shutdowns_run_the_shutdown_once(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    client = await HazelcastClient.create_and_start(
        cluster_members=list(cluster1.addresses),
        statistics_enabled=True,
        statistics_period=1,
        lifecycle_listeners=[states.append],
    )
    await asyncio.gather(client.shutdown(), client.shutdown())
    assert states.count(LifecycleState.SHUTTING_DOWN) == 1
    assert states.count(LifecycleState.SHUTDOWN) == 1


async def test_a_smart_client_reopens_a_connection_its_member_dropped_and_hears_that_member_again(
    cluster3: EmbeddedCluster,
) -> None:
    async with running_client(cluster3) as client:
        events: list[object] = []
        await client.add_distributed_object_listener(events.append)
        connections = client._connections.connections
        member = cluster3.members[1]
        assert member.uuid in connections and member.object_listeners
        member.drop_connections()
        await wait_until(lambda: member.uuid not in connections, what="the dropped connection noticed")
        await wait_until(lambda: member.uuid in connections, what="a new connection to the member that stayed")
        await wait_until(lambda: bool(member.object_listeners), what="the listener registered on it again")
        # The member reports objects created through it only to listeners registered on it (local-only).
        other = await HazelcastClient.create_and_start(
            cluster_members=[member.address], smart_routing=False, cluster_connect_timeout=10
        )
        try:
            await other.get_map("created-through-the-member")
        finally:
            await other.shutdown()
        await wait_until(lambda: len(events) == 1, what="the event of the member whose connection was dropped")


async def test_the_cluster_view_listener_is_registered_again_after_the_member_refused_it(
    cluster1: EmbeddedCluster,
) -> None:
    member = cluster1.members[0]
    member.fail_requests("Client.addClusterViewListener", 18)  # HazelcastException, not retryable
    asyncio.get_running_loop().call_later(0.5, member.clear_faults)
    # Starting waits for the first member list, which only the cluster view listener brings.
    async with running_client(cluster1, connection_timeout=4) as client:
        assert [m.uuid for m in client.cluster_service.get_members()] == [member.uuid]
        assert client.partition_service.get_partition_owner(0) == member.uuid


async def test_a_listener_refused_while_offline_is_not_registered_once_the_client_reconnects(
    cluster1: EmbeddedCluster,
) -> None:
    states: list[str] = []
    options = {"reconnect_mode": "ASYNC", "retry_initial_backoff": 0.05, "lifecycle_listeners": [states.append]}
    async with running_client(cluster1, **options) as client:
        member = cluster1.members[0]
        await member.kill()
        await wait_until(lambda: LifecycleState.DISCONNECTED in states, what="DISCONNECTED")
        refused: list[object] = []
        with pytest.raises(ClientOfflineError):
            await client.add_distributed_object_listener(refused.append)
        await member.restart()
        await wait_until(lambda: states.count(LifecycleState.CONNECTED) == 2, what="CONNECTED again")
        await client.add_distributed_object_listener(lambda event: None)
        await asyncio.sleep(0.3)  # time for any registration the reconnection started
        assert len(member.object_listeners) == 1


async def test_shutting_down_while_reconnecting_logs_no_connection_failure(cluster1: EmbeddedCluster) -> None:
    member = cluster1.members[0]
    client = await HazelcastClient.create_and_start(cluster_members=list(cluster1.addresses), connection_timeout=5)
    member.delay_responses("Client.authentication", 3)
    member.drop_connections()
    # The reconnection is inside an attempt: connected, its authentication answer held back.
    await wait_until(lambda: bool(client._connections._pending), what="a reconnection attempt under way")
    with capture_logs() as logs:
        await client.shutdown()
    assert [e for e in logs if e["log_level"] == "error"] == []
