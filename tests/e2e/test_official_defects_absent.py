"""Defects known in the official asyncio client 5.7.0, each shown absent here.

* a listener that raises closes the connection -> here it is logged and the connection stays;
* async listeners are never awaited -> here they run to completion, a SHUTDOWN listener included;
* socket options are ignored -> see ``test_listeners_and_backups.test_socket_options_are_applied``;
* an async start blocks the event loop -> here the loop keeps running while the client connects;
* a background loop dies after one error -> here the heartbeat and member-connect loops log and go on;
* no response timeout -> see ``test_resilience.test_request_without_response_fails_at_its_deadline``.
"""

from __future__ import annotations

import asyncio

from structlog.testing import capture_logs

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster
from hazelcast.lifecycle import LifecycleState

from .conftest import running_client, wait_until


async def test_raising_listeners_leave_the_connection_open(cluster3: EmbeddedCluster) -> None:
    calls: list[str] = []

    def raising_object_listener(event: object) -> None:
        calls.append("object")
        raise RuntimeError("object listener bug")

    def raising_member_added(member: object) -> None:
        calls.append("member")
        raise ValueError("membership listener bug")

    async with running_client(cluster3) as client:
        connections_before = dict(client._connections.connections)
        await client.add_distributed_object_listener(raising_object_listener)
        client.cluster_service.add_listener(raising_member_added)
        with capture_logs() as logs:
            await client.get_map("watched")
            await wait_until(lambda: "object" in calls, what="the object listener ran")
            member = await cluster3.add_member()
            await wait_until(lambda: "member" in calls, what="the membership listener ran")
            await wait_until(lambda: len(client._connections.connections) == 4, what="connected to the newcomer")
        failures = [log for log in logs if log["event"] == "listener.callback_failed"]
        assert len(failures) >= 2
        for member_uuid, connection in connections_before.items():
            assert client._connections.connections[member_uuid] is connection and connection.live
        assert member.uuid in client._connections.connections
        m = await client.get_map("watched")
        await m.put("still", "working")
        assert await m.get("still") == "working"


async def test_async_listeners_are_awaited_to_completion_shutdown_included(cluster1: EmbeddedCluster) -> None:
    finished: list[str] = []

    async def on_state(state: str) -> None:
        await asyncio.sleep(0.05)
        finished.append(state)

    async def on_object(event: object) -> None:
        await asyncio.sleep(0.01)
        finished.append("object-event")

    client = await HazelcastClient.create_and_start(
        cluster_members=cluster1.addresses, lifecycle_listeners=[on_state]
    )
    await client.add_distributed_object_listener(on_object)
    await client.get_map("m")
    await wait_until(lambda: "object-event" in finished, what="the async object listener finished")
    await client.shutdown()
    assert LifecycleState.SHUTDOWN in finished and LifecycleState.CONNECTED in finished


async def test_an_async_start_leaves_the_loop_running() -> None:
    loop = asyncio.get_running_loop()
    ticks = 0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(ticker())
    started = loop.time()
    # Nothing listens there: a blocking start would hold the loop for the whole connect timeout.
    client = await HazelcastClient.create_and_start(
        cluster_members=["127.0.0.1:1"], async_start=True, cluster_connect_timeout=30
    )
    assert loop.time() - started < 0.5
    ticks_at_start = ticks
    await asyncio.sleep(0.3)
    assert ticks - ticks_at_start >= 10, "the loop must keep running while the client tries to connect"
    await client.shutdown()
    stop.set()
    await ticking


async def test_the_heartbeat_loop_survives_a_failed_round(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, heartbeat_interval=0.1, heartbeat_timeout=5) as client:
        connections = client._connections
        original = connections._heartbeat_round
        rounds: list[str] = []

        def flaky_round(interval: float, timeout: float) -> None:
            if not rounds:
                rounds.append("failed")
                raise RuntimeError("one bad round")
            rounds.append("ran")
            original(interval, timeout)

        connections._heartbeat_round = flaky_round  # type: ignore[method-assign]
        with capture_logs() as logs:
            await wait_until(lambda: rounds.count("ran") >= 3, what="heartbeats after the failure")
        assert any(log["event"] == "connection.heartbeat_round_failed" for log in logs)
        (connection,) = connections.connections.values()
        last_write = connection.last_write
        await wait_until(lambda: connection.last_write > last_write, what="pings still sent")
