"""Listener registrations across members and reconnects; backup acknowledgements; socket options."""

from __future__ import annotations

import asyncio
import socket

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import IndeterminateOperationStateError

from .conftest import running_client, wait_until


@pytest.mark.parametrize("smart", [True, False], ids=["smart", "unisocket"])
async def test_distributed_object_events_arrive_once_and_survive_member_loss(cluster3: EmbeddedCluster, smart: bool) -> None:
    events: list[tuple[str, str, str]] = []

    async def on_event(event) -> None:  # an async callback is awaited too
        events.append((event.name, event.service_name, event.event_type))

    async with running_client(cluster3, smart_routing=smart) as client:
        registration = await client.add_distributed_object_listener(on_event)
        m = await client.get_map("watched")
        await wait_until(lambda: ("watched", "hz:impl:mapService", "CREATED") in events, what="CREATED event")
        await m.destroy()
        await wait_until(lambda: ("watched", "hz:impl:mapService", "DESTROYED") in events, what="DESTROYED event")
        await asyncio.sleep(0.1)
        assert len(events) == 2, events

        for member in cluster3.members:
            await member.kill()
            await member.restart()
        await wait_until(lambda: len(client._connections.connections) == (3 if smart else 1), what="reconnected")
        await asyncio.sleep(0.2)
        await client.get_map("after-restarts")
        await wait_until(lambda: ("after-restarts", "hz:impl:mapService", "CREATED") in events, what="event after re-registration")
        await asyncio.sleep(0.1)
        assert len(events) == 3, events

        assert await client.remove_distributed_object_listener(registration)
        assert not await client.remove_distributed_object_listener(registration)
        await client.get_map("unwatched")
        await asyncio.sleep(0.2)
        assert len(events) == 3


async def test_failing_listener_is_isolated(cluster1: EmbeddedCluster) -> None:
    seen: list[str] = []

    def broken(event) -> None:
        seen.append(event.name)
        raise RuntimeError("listener bug")

    async with running_client(cluster1) as client:
        await client.add_distributed_object_listener(broken)
        await client.get_map("one")
        await client.get_map("two")
        await wait_until(lambda: seen == ["one", "two"], what="both events despite the raising listener")
        m = await client.get_map("one")
        await m.put(1, 1)
        assert await m.get(1) == 1


async def test_backup_acks_complete_mutations(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3, operation_backup_timeout=5) as client:
        m = await client.get_map("backed-up")
        loop = asyncio.get_running_loop()
        started = loop.time()
        for i in range(50):
            await m.put(i, i)
        # Had the acks not arrived, each put would have waited for operation_backup_timeout.
        assert loop.time() - started < 3
        assert client._invocations.pending_count == 0
        # Every member holds the client's local backup listener, so backups anywhere can be acknowledged.
        assert all(len(member.backup_listeners) == 1 for member in cluster3.members)


async def test_missing_backup_ack_is_indeterminate_when_configured(cluster3: EmbeddedCluster) -> None:
    async with running_client(
        cluster3, operation_backup_timeout=0.3, fail_on_indeterminate_operation_state=True
    ) as client:
        m = await client.get_map("indeterminate")
        # The members send their acks; this client loses them on arrival.
        client._invocations.handle_backup_ack = lambda correlation_id: None
        with pytest.raises(IndeterminateOperationStateError):
            await m.put("k", "v")
    async with running_client(cluster3, operation_backup_timeout=0.3) as client:
        m = await client.get_map("indeterminate")
        client._invocations.handle_backup_ack = lambda correlation_id: None
        loop = asyncio.get_running_loop()
        started = loop.time()
        # Without fail_on_indeterminate_operation_state the put completes at the backup timeout.
        assert await m.put("k", "w") == "v"
        assert loop.time() - started >= 0.25


async def test_socket_options_are_applied(cluster1: EmbeddedCluster) -> None:
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1), (socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)]
    async with running_client(cluster1, socket_options=options) as client:
        (connection,) = client._connections.connections.values()
        sock = connection._transport.get_extra_info("socket")
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


async def test_requests_without_a_partition_follow_the_load_balancer(cluster3: EmbeddedCluster) -> None:
    from hazelcast.util import LoadBalancer

    class CountingLB(LoadBalancer):
        def init(self, cluster_service) -> None:
            self.cluster_service = cluster_service
            self.picked: list = []

        def next(self):
            members = self.cluster_service.get_members()
            member = members[len(self.picked) % len(members)]
            self.picked.append(member.uuid)
            return member

    balancer = CountingLB()
    async with running_client(cluster3, load_balancer=balancer) as client:
        m = await client.get_map("balanced")
        for _ in range(6):
            await m.size()
        assert len(set(balancer.picked)) == 3


async def test_a_listener_refused_by_one_member_is_rolled_back_and_reported(cluster3: EmbeddedCluster) -> None:
    from hazelcast.errors import IllegalStateError

    events: list[str] = []
    async with running_client(cluster3) as client:
        cluster3.members[2].fail_requests("Client.addDistributedObjectListener", 27, "not here")
        with pytest.raises(IllegalStateError, match="not here"):
            await client.add_distributed_object_listener(lambda event: events.append(event.name))
        cluster3.members[2].clear_faults()
        for i in range(6):
            await client.get_map(f"after-refusal-{i}")
        await asyncio.sleep(0.3)
        assert events == [], "the rolled-back listener must not fire on the members that had accepted it"
        assert all(not member.object_listeners for member in cluster3.members)
