"""The shared member machinery: event delivery to listener registrations, and server classes from plugins."""

from __future__ import annotations

import asyncio
import struct
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.embedded import (
    DuplicateServerClassError,
    EmbeddedCluster,
    EmbeddedPluginManager,
    MemberRequest,
    MemberServiceSpec,
    ServerClass,
    hookimpl,
)
from hazelcast.embedded import client_service
from hazelcast.errors import HazelcastSerializationError
from hazelcast.protocol import method
from hazelcast.protocol.frames import correlation_id
from hazelcast.serialization.api import IdentifiedDataSerializable

_EVENT = method("Topic.addMessageListener")
_ENCODE_EVENT = _EVENT.encode_event[0]
_DECODE_EVENT = _EVENT.decode_event[0]
_FACTORY_ID = 66
_DOUBLER_CLASS_ID = 1


class Doubler(IdentifiedDataSerializable):
    """A server class: a function the member applies, carrying one field."""

    def __init__(self) -> None:
        self.offset = 0

    def write_data(self, out: Any) -> None:
        out.write_int(self.offset)

    def read_data(self, inp: Any) -> None:
        self.offset = inp.read_int()

    def get_factory_id(self) -> int:
        return _FACTORY_ID

    def get_class_id(self) -> int:
        return _DOUBLER_CLASS_ID

    def apply(self, value: int) -> int:
        return value * 2 + self.offset


def _topic(name: str) -> tuple[str, str]:
    return ("test:topic", name)


def _add_listener(request: MemberRequest) -> Any:
    params = request.params
    return request.cluster.events.add(request, _topic(params.name), params.local_only)


def _remove_listener(request: MemberRequest) -> bool:
    return request.cluster.events.remove(request, request.params.registration_id)


def _publish(request: MemberRequest) -> None:
    params = request.params
    cluster = request.cluster
    # The message's partition owner publishes, as for any partitioned structure.
    partition_id = cluster.name_partition_id(params.name)
    cluster.events.publish_on_partition(
        _topic(params.name), partition_id, lambda registration: _ENCODE_EVENT(params.message, 1, request.member.uuid)
    )


def _publish_all(request: MemberRequest) -> None:
    # Stands for a service running a client's function: Topic.publishAll's messages are [function, value].
    params = request.params
    function = request.cluster.to_object(params.messages[0])
    value = request.cluster.to_object(params.messages[1])
    result = request.cluster.to_data(function.apply(value))
    request.cluster.events.publish(
        _topic(params.name), request.member, lambda registration: _ENCODE_EVENT(result, 2, request.member.uuid)
    )


class _Plugin:
    @hookimpl
    def hazelcast_embedded_services(self) -> tuple[MemberServiceSpec, ...]:
        return (
            MemberServiceSpec(
                name="Topic",
                handlers={
                    "Topic.addMessageListener": _add_listener,
                    "Topic.removeMessageListener": _remove_listener,
                    "Topic.publish": _publish,
                    "Topic.publishAll": _publish_all,
                },
            ),
        )

    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(_FACTORY_ID, _DOUBLER_CLASS_ID, Doubler),)


@pytest.fixture
async def topic_cluster() -> Any:
    async with EmbeddedCluster(member_count=3, plugins=[_Plugin()], autoload=False) as running:
        yield running


async def _events(client: Any, count: int) -> list[Any]:
    while len(client.events) < count:
        message = await client.read_message(1.0)
        client.events.append(message)
    return [(correlation_id(m), _DECODE_EVENT(m)) for m in client.events]


async def test_local_only_registrations_get_each_event_once_from_the_owner(
    topic_cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    clients = [await connect(address) for address in topic_cluster.addresses]
    correlations = []
    for client in clients:
        correlation, buf = client.encode("Topic.addMessageListener", "news", True)
        client.write(buf)
        await client.response(correlation)
        correlations.append(correlation)
    publisher = clients[0]
    await publisher.call("Topic.publish", "news", wire.data_str("hello"))
    owner_index = topic_cluster.owner_of(topic_cluster.name_partition_id("news")).index
    owner_events = await _events(clients[owner_index], 1)
    assert owner_events[0][0] == correlations[owner_index]
    assert owner_events[0][1].item == wire.data_str("hello")
    for index, client in enumerate(clients):
        if index != owner_index:
            with pytest.raises(TimeoutError):
                await client.read_message(0.2)


async def test_a_global_registration_gets_events_of_every_member_until_removed(
    topic_cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    listener = await connect(topic_cluster.addresses[0])
    registration_id = await listener.call("Topic.addMessageListener", "news", False)
    publisher = await connect(topic_cluster.addresses[1])
    for text in ("a", "b", "c"):
        await publisher.call("Topic.publish", "news", wire.data_str(text))
    events = await _events(listener, 3)
    assert [event.item for _, event in events] == [wire.data_str(t) for t in ("a", "b", "c")]
    assert await listener.call("Topic.removeMessageListener", "news", registration_id) is True
    assert await listener.call("Topic.removeMessageListener", "news", registration_id) is False
    await publisher.call("Topic.publish", "news", wire.data_str("d"))
    with pytest.raises(TimeoutError):
        await listener.read_message(0.2)


async def test_registrations_leave_with_their_connection_and_member(
    topic_cluster: EmbeddedCluster, connect: Any
) -> None:
    client = await connect(topic_cluster.addresses[1])
    await client.call("Topic.addMessageListener", "news", False)
    assert topic_cluster.events.has_listeners(_topic("news"))
    await client.close()
    for _ in range(50):
        if not topic_cluster.events.has_listeners(_topic("news")):
            break
        await asyncio.sleep(0.01)
    assert not topic_cluster.events.has_listeners(_topic("news"))
    other = await connect(topic_cluster.addresses[2])
    await other.call("Topic.addMessageListener", "news", False)
    await topic_cluster.kill_member(topic_cluster.members[2])
    assert not topic_cluster.events.has_listeners(_topic("news"))


async def test_server_classes_from_plugins_run_in_the_member(
    topic_cluster: EmbeddedCluster, connect: Any, wire: SimpleNamespace
) -> None:
    client = await connect(topic_cluster.addresses[0])
    await client.call("Topic.addMessageListener", "calc", False)
    # IdentifiedDataSerializable Data: partition hash, type id -2, then identified flag, factory, class, offset.
    function = struct.pack(">ii?iii", 0, -2, True, _FACTORY_ID, _DOUBLER_CLASS_ID, 5)
    await client.call("Topic.publishAll", "calc", [function, wire.data_int(20)])
    [(_, event)] = await _events(client, 1)
    assert event.item == wire.data_int(45)
    assert topic_cluster.to_object(topic_cluster.to_data(7)) == 7
    with pytest.raises(HazelcastSerializationError):
        topic_cluster.to_object(struct.pack(">ii?iii", 0, -2, True, _FACTORY_ID, 99, 5))


def test_a_server_class_provided_twice_is_a_named_error() -> None:
    class Twice:
        @hookimpl
        def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
            return (ServerClass(_FACTORY_ID, _DOUBLER_CLASS_ID, Doubler),)

    with pytest.raises(DuplicateServerClassError, match="factory id 66, class id 1"):
        EmbeddedPluginManager([_Plugin(), Twice()], autoload=False, builtin=(client_service,))
