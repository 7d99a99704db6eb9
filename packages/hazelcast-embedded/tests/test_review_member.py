"""Regression tests for defects found in a review of the member: each failed before its fix."""

from __future__ import annotations

import asyncio

import pytest

from hazelcast.embedded import (
    PENDING,
    EmbeddedCluster,
    EmbeddedMember,
    MemberConfig,
    MemberRequest,
    MemberServiceSpec,
    hookimpl,
)
from hazelcast.embedded.map import MAP_SERVICE_NAME
from hazelcast.errors import InvalidConfigurationError
from hazelcast.protocol import method
from hazelcast.protocol.errors_codec import decode_error
from hazelcast.protocol.frames import message_type

_objects = method("Client.addDistributedObjectListener")


class _HeldPolls:
    """A queue service whose polls never find an item: the handler keeps each request to answer it later."""

    def __init__(self) -> None:
        self.held: list[MemberRequest] = []

    def poll(self, request: MemberRequest) -> object:
        self.held.append(request)
        return PENDING

    @hookimpl
    def hazelcast_embedded_services(self) -> tuple[MemberServiceSpec, ...]:
        return (MemberServiceSpec("Queue", {"Queue.poll": self.poll}, object_service_names=("hz:impl:queueService",)),)


async def test_a_request_left_pending_fails_with_member_left_when_its_member_dies(connect) -> None:
    plugin = _HeldPolls()
    async with EmbeddedCluster(member_count=2, plugins=[plugin], autoload=False) as cluster:
        victim = cluster.members[1]
        name = next(f"jobs-{i}" for i in range(1000) if cluster.owners[cluster.name_partition_id(f"jobs-{i}")] is victim)
        client = await connect(cluster.addresses[0])
        correlation, buf = client.encode("Queue.poll", name, 60_000)
        client.write(buf)
        for _ in range(100):
            if plugin.held:
                break
            await asyncio.sleep(0.01)
        assert plugin.held and plugin.held[0].member is victim
        await victim.kill()
        # Without an answer the client would wait for the whole poll timeout, for an item that went down with the
        # member; it is told the member left, as for work parked on a suspended member.
        error = await client.response(correlation, timeout=2.0)
        assert message_type(error) == 0
        assert decode_error(error)[0].error_code == 33
        # A late answer from the handler is not a second response.
        plugin.held[0].respond(None)
        await asyncio.sleep(0.05)
        with pytest.raises(TimeoutError):
            await client.read_message(timeout=0.1)


async def test_a_member_that_cannot_start_is_not_added(monkeypatch: pytest.MonkeyPatch) -> None:
    async with EmbeddedCluster(member_count=1) as cluster:
        opened = EmbeddedMember._open

        async def refuse(member: EmbeddedMember) -> None:
            raise OSError("address already in use")

        monkeypatch.setattr(EmbeddedMember, "_open", refuse)
        with pytest.raises(OSError):
            await cluster.add_member()
        assert len(cluster.members) == 1
        monkeypatch.setattr(EmbeddedMember, "_open", opened)
        member = await cluster.add_member()
        assert member.index == 1 and cluster.members == [cluster.members[0], member]
        assert all(m.alive for m in cluster.members)


async def test_distributed_objects_do_not_outlive_a_full_stop(connect) -> None:
    cluster = EmbeddedCluster(member_count=1)
    await cluster.start()
    try:
        first = await connect(cluster.addresses[0])
        await first.call("Client.createProxy", "orders", MAP_SERVICE_NAME)
        await cluster.shutdown()
        await cluster.start()
        second = await connect(cluster.addresses[0])
        assert await second.call("Client.getDistributedObjects") == []
    finally:
        await cluster.shutdown()


async def test_a_cluster_formed_again_after_its_last_member_died_announces_proxies_anew(connect) -> None:
    async with EmbeddedCluster(member_count=1) as cluster:
        first = await connect(cluster.addresses[0])
        await first.call("Client.createProxy", "orders", MAP_SERVICE_NAME)
        await cluster.members[0].kill()
        await cluster.members[0].restart()
        # The client reconnects, sees the new cluster id and creates its proxies again: listeners hear of them.
        client = await connect(cluster.addresses[0])
        await client.call("Client.addDistributedObjectListener", False)
        assert await client.call("Client.getDistributedObjects") == []
        await client.call("Client.createProxy", "orders", MAP_SERVICE_NAME)
        assert len(client.events) == 1
        event = _objects.decode_event[0](client.events[0])
        assert (event.name, event.event_type) == ("orders", "CREATED")


@pytest.mark.parametrize("section", ["orders", 5, ["orders"]])
def test_a_section_that_is_not_a_mapping_is_a_configuration_error(section: object) -> None:
    with pytest.raises(InvalidConfigurationError, match="section 'map'"):
        MemberConfig.from_dict({"map": section})


@pytest.mark.parametrize(
    ("credentials", "field"),
    [({"username": "app", "password": 1234}, "password"), ({"username": 7, "password": "x"}, "username"),
     ({"token": 99}, "token")],
)
def test_credentials_that_no_client_could_match_are_rejected(credentials: dict[str, object], field: str) -> None:
    # YAML reads ``password: 1234`` as an int; every client sends a string, so nobody could ever authenticate.
    with pytest.raises(InvalidConfigurationError, match=f"credentials {field}"):
        MemberConfig.from_dict({"credentials": credentials})
