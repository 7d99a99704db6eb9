"""Failures end to end: members dying and coming back, silent members, cancelled calls, shutdown hygiene."""

from __future__ import annotations

import asyncio
import os

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import (
    AuthenticationError,
    HazelcastClientNotActiveError,
    IllegalStateError,
    OperationTimeoutError,
    TargetDisconnectedError,
)
from hazelcast.lifecycle import LifecycleState

from .conftest import running_client, wait_until


async def test_membership_events_follow_members_leaving_and_joining(cluster3: EmbeddedCluster) -> None:
    added, removed = [], []
    async with running_client(cluster3) as client:
        client.cluster_service.add_listener(added.append, removed.append, fire_for_existing=True)
        assert len(added) == 3 and len(client.cluster_service.get_members()) == 3
        victim = cluster3.members[1]
        victim_uuid = victim.uuid
        await victim.kill()
        await wait_until(lambda: len(removed) == 1, what="member_removed")
        assert removed[0].uuid == victim_uuid
        await victim.restart()
        await wait_until(lambda: len(added) == 4, what="member_added after restart")
        assert added[-1].uuid != victim_uuid and str(added[-1].address) == victim.address
        await wait_until(lambda: len(client._connections.connections) == 3, what="connection to the new member")


@pytest.mark.parametrize("redo_operation", [False, True])
async def test_no_acknowledged_write_is_lost_when_a_member_dies(cluster3: EmbeddedCluster, redo_operation: bool) -> None:
    async with running_client(cluster3, redo_operation=redo_operation, invocation_timeout=20) as client:
        m = await client.get_map("stream")
        acknowledged: dict[int, int] = {}
        failed = 0

        async def writer(start: int) -> None:
            nonlocal failed
            for key in range(start, start + 150):
                try:
                    await m.set(key, key * 10)
                    acknowledged[key] = key * 10
                except (TargetDisconnectedError, OperationTimeoutError):
                    failed += 1

        writers = [asyncio.create_task(writer(i * 1000)) for i in range(8)]
        await wait_until(lambda: len(acknowledged) > 300, what="writes flowing")
        await cluster3.members[2].kill()
        await asyncio.gather(*writers)
        if redo_operation:
            assert failed == 0, "with redo_operation every write is retried to completion"
        assert len(acknowledged) + failed == 8 * 150
        stored = await m.get_all(list(acknowledged))
        assert stored == acknowledged
        await m.set("after", 1)
        assert await m.get("after") == 1


async def test_client_reconnects_when_its_only_member_restarts(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    async with running_client(cluster1, lifecycle_listeners=[states.append], retry_initial_backoff=0.05) as client:
        m = await client.get_map("restart")
        await m.put("k", "v")
        await cluster1.members[0].kill()
        await wait_until(lambda: LifecycleState.DISCONNECTED in states, what="DISCONNECTED")
        await cluster1.members[0].restart()
        await wait_until(lambda: states.count(LifecycleState.CONNECTED) == 2, what="CONNECTED again")
        # The restarted member lost its data (it was the only one), but the client works against it.
        await m.put("k", "new")
        assert await m.get("k") == "new"
        assert client.lifecycle_service.is_running()


async def test_reconnect_mode_off_shuts_the_client_down(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    client = await HazelcastClient.create_and_start(
        cluster_members=cluster1.addresses, reconnect_mode="OFF", lifecycle_listeners=[states.append]
    )
    await cluster1.members[0].kill()
    await wait_until(lambda: LifecycleState.SHUTDOWN in states, what="SHUTDOWN")
    assert not client.lifecycle_service.is_running()
    with pytest.raises(HazelcastClientNotActiveError):
        await client.get_map("x")


async def test_request_without_response_fails_at_its_deadline(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, invocation_timeout=0.5, heartbeat_timeout=30) as client:
        m = await client.get_map("silent")
        cluster1.members[0].suspend()
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(OperationTimeoutError):
            await m.put("k", "v")
        assert 0.4 < loop.time() - started < 2.0
        cluster1.members[0].resume()
        assert await m.get("k") in (None, "v")
        assert client._invocations.pending_count == 0


async def test_cancelled_call_leaks_nothing_and_gets_no_foreign_response(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("cancel")
        await m.put("a", "A")
        await m.put("b", "B")
        cluster1.members[0].suspend()
        pending = asyncio.create_task(m.get("a"))
        await asyncio.sleep(0.05)
        pending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await pending
        assert client._invocations.pending_count == 0
        cluster1.members[0].resume()
        # The late answer to the cancelled get must not be taken for this one's.
        assert await m.get("b") == "B"
        assert client._invocations.pending_count == 0


async def test_in_flight_bound_makes_callers_wait(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, max_concurrent_invocations=4) as client:
        m = await client.get_map("bounded")
        cluster1.members[0].suspend()
        calls = [asyncio.create_task(m.set(i, i)) for i in range(20)]
        await asyncio.sleep(0.1)
        assert client._invocations.pending_count == 4
        cluster1.members[0].resume()
        await asyncio.gather(*calls)
        assert await m.size() == 20


async def test_silent_member_is_dropped_by_the_heartbeat(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    async with running_client(
        cluster1, heartbeat_interval=0.1, heartbeat_timeout=0.5, lifecycle_listeners=[states.append]
    ) as client:
        cluster1.members[0].suspend()
        await wait_until(lambda: LifecycleState.DISCONNECTED in states, timeout=5, what="heartbeat timeout")
        cluster1.members[0].resume()
        await wait_until(lambda: states.count(LifecycleState.CONNECTED) == 2, what="reconnected")
        m = await client.get_map("hb")
        await m.put(1, 1)


async def test_wrong_cluster_name_fails_fast(cluster1: EmbeddedCluster) -> None:
    with pytest.raises(AuthenticationError, match="cluster name"):
        await asyncio.wait_for(
            HazelcastClient.create_and_start(cluster_members=cluster1.addresses, cluster_name="other"), 10
        )


async def test_unreachable_cluster_gives_up_at_cluster_connect_timeout() -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(IllegalStateError, match="unable to connect"):
        await HazelcastClient.create_and_start(
            cluster_members=["127.0.0.1:1"], cluster_connect_timeout=0.5, retry_initial_backoff=0.1
        )
    assert loop.time() - started < 3


async def test_async_start_returns_before_connecting(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    client = await HazelcastClient.create_and_start(
        cluster_members=cluster1.addresses, async_start=True, lifecycle_listeners=[states.append]
    )
    try:
        assert LifecycleState.CONNECTED not in states
        await wait_until(lambda: LifecycleState.CONNECTED in states, what="background connect")
        m = await client.get_map("async")
        await m.put(1, 2)
        assert await m.get(1) == 2
    finally:
        await client.shutdown()


def _open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count


async def test_shutdown_leaves_no_task_or_socket_behind(cluster3: EmbeddedCluster) -> None:
    await asyncio.sleep(0)
    tasks_before = asyncio.all_tasks()
    sockets_before = _open_sockets()
    client = await HazelcastClient.create_and_start(cluster_members=cluster3.addresses)
    m = await client.get_map("hygiene")
    await m.put_all({i: i for i in range(50)})
    await client.add_distributed_object_listener(lambda event: None)
    assert _open_sockets() > sockets_before
    await client.shutdown()
    await asyncio.sleep(0.05)
    leftover = asyncio.all_tasks() - tasks_before
    assert not leftover, leftover
    # The members' ends of the client connections close too; only the client's sockets are counted here.
    await wait_until(lambda: _open_sockets() <= sockets_before, what="client sockets closed")
    with pytest.raises(HazelcastClientNotActiveError):
        await m.get(1)


async def test_async_reconnect_mode_fails_calls_fast_while_offline(cluster1: EmbeddedCluster) -> None:
    from hazelcast.errors import ClientOfflineError

    states: list[str] = []
    async with running_client(
        cluster1, reconnect_mode="ASYNC", lifecycle_listeners=[states.append], retry_initial_backoff=0.05
    ) as client:
        m = await client.get_map("offline")
        await cluster1.members[0].kill()
        await wait_until(lambda: LifecycleState.DISCONNECTED in states, what="DISCONNECTED")
        with pytest.raises(ClientOfflineError):
            await asyncio.wait_for(m.put(1, 1), 2)
        await cluster1.members[0].restart()
        await wait_until(lambda: states.count(LifecycleState.CONNECTED) == 2, what="reconnected in the background")
        await m.put(1, 1)


async def test_non_idempotent_call_made_while_disconnected_waits_for_the_connection(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    async with running_client(
        cluster1, lifecycle_listeners=[states.append], retry_initial_backoff=0.05, invocation_retry_pause=0.05
    ) as client:
        m = await client.get_map("waits")
        await cluster1.members[0].kill()
        await wait_until(lambda: LifecycleState.DISCONNECTED in states, what="DISCONNECTED")
        put = asyncio.create_task(m.put("k", "v"))  # Map.put is not retryable, but it was never sent
        await asyncio.sleep(0.2)
        assert not put.done()
        await cluster1.members[0].restart()
        assert await asyncio.wait_for(put, 10) is None
        assert await m.get("k") == "v"


async def test_pings_keep_an_idle_connection_alive(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    async with running_client(
        cluster1, heartbeat_interval=0.1, heartbeat_timeout=0.5, lifecycle_listeners=[states.append]
    ) as client:
        # Nothing but the heartbeat's pings crosses the connection for three heartbeat timeouts.
        await asyncio.sleep(1.5)
        assert LifecycleState.DISCONNECTED not in states
        (connection,) = client._connections.connections.values()
        assert asyncio.get_running_loop().time() - connection.last_read < 0.5


async def test_concurrent_first_requests_for_a_proxy_share_one_creation(cluster1: EmbeddedCluster) -> None:
    created: list[str] = []
    async with running_client(cluster1) as client:
        await client.add_distributed_object_listener(lambda event: created.append(event.event_type))
        proxies = await asyncio.gather(*(client.get_map("shared") for _ in range(20)))
        assert all(proxy is proxies[0] for proxy in proxies)
        await wait_until(lambda: created == ["CREATED"], what="one CREATED event")
        await asyncio.sleep(0.1)
        assert created == ["CREATED"]


async def test_entries_in_use_survive_the_loss_of_their_owner_under_max_idle() -> None:
    config = {"map": {"idle-*": {"max-idle-seconds": 1}}}
    # A quick retry pause: the get that follows the kill must not itself idle past max idle while it retries.
    async with EmbeddedCluster(member_count=2, config=config) as cluster, running_client(
        cluster, invocation_retry_pause=0.05
    ) as client:
        m = await client.get_map("idle-sessions")
        await m.put("session", "alive")
        for _ in range(3):
            await asyncio.sleep(0.45)
            assert await m.get("session") == "alive"  # reads keep it from idling out
        partition_id = await client.partition_service.get_partition_id("session")
        await cluster.owner_of(partition_id).kill()
        # The backup's copy was last written 1.35 s ago, more than max idle, yet the entry was in use.
        assert await m.get("session") == "alive"
