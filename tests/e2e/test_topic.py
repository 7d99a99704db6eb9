"""Topic end to end: publish, publish_all and listeners against 1 and 3 embedded members."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import MemberInfo
from hazelcast.embedded import EmbeddedCluster
from hazelcast.proxy.topic import TopicMessage

from .conftest import running_client, wait_until

_CONFIG = {"topic": {"ordered-*": {"global-ordering-enabled": True}, "default": {"statistics-enabled": True}}}


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=request.param, config=_CONFIG) as running:
        yield running


@pytest.fixture(params=[True, False], ids=["smart", "unisocket"])
async def client(cluster: EmbeddedCluster, request: pytest.FixtureRequest) -> AsyncIterator[HazelcastClient]:
    async with running_client(cluster, smart_routing=request.param) as running:
        yield running


async def test_a_listener_receives_each_message_once_with_its_publisher_and_time(
    cluster: EmbeddedCluster, client: HazelcastClient
) -> None:
    topic = await client.get_topic("news")
    received: list[TopicMessage[Any]] = []
    await topic.add_listener(received.append)
    before = time.time()
    await topic.publish("hello")
    await wait_until(lambda: len(received) == 1, what="the message")
    await asyncio.sleep(0.1)
    assert len(received) == 1
    message = received[0]
    assert (message.name, message.message) == ("news", "hello")
    assert before - 1 <= message.publish_time <= time.time() + 1
    owner = cluster.owner_of(cluster.name_partition_id("news"))
    assert isinstance(message.member, MemberInfo) and message.member.uuid == owner.uuid


async def test_publish_all_delivers_in_order(client: HazelcastClient) -> None:
    topic = await client.get_topic("batch")
    received: list[Any] = []
    await topic.add_listener(lambda m: received.append(m.message))
    await topic.publish_all([1, "two", [3]])
    await topic.publish_all([])
    await topic.publish(4)
    await wait_until(lambda: len(received) == 4, what="all messages")
    assert received == [1, "two", [3], 4]


async def test_every_listener_of_every_client_gets_every_message(
    cluster: EmbeddedCluster, client: HazelcastClient
) -> None:
    topic = await client.get_topic("fan-out")
    first: list[Any] = []
    second: list[Any] = []
    await topic.add_listener(lambda m: first.append(m.message))
    await topic.add_listener(lambda m: second.append(m.message))
    async with running_client(cluster) as other:
        other_topic = await other.get_topic("fan-out")
        third: list[Any] = []
        await other_topic.add_listener(lambda m: third.append(m.message))
        await other_topic.publish_all(list(range(20)))
        await topic.publish(20)
        await wait_until(lambda: len(first) == len(second) == len(third) == 21, what="all messages everywhere")
        await asyncio.sleep(0.1)
    assert first == second == third == list(range(21))


async def test_remove_listener_stops_the_messages(client: HazelcastClient) -> None:
    topic = await client.get_topic("removable")
    received: list[Any] = []
    registration = await topic.add_listener(lambda m: received.append(m.message))
    await topic.publish("before")
    await wait_until(lambda: received == ["before"], what="first message")
    assert await topic.remove_listener(registration)
    assert not await topic.remove_listener(registration)
    await topic.publish("after")
    await asyncio.sleep(0.2)
    assert received == ["before"]


async def test_async_listeners_are_awaited_and_a_failing_one_harms_nothing(client: HazelcastClient) -> None:
    topic = await client.get_topic("callbacks")
    awaited: list[Any] = []

    async def slow(message: TopicMessage[Any]) -> None:
        await asyncio.sleep(0)
        awaited.append(message.message)

    def broken(message: TopicMessage[Any]) -> None:
        raise RuntimeError("listener bug")

    await topic.add_listener(broken)
    await topic.add_listener(slow)
    await topic.publish_all(["a", "b"])
    await wait_until(lambda: sorted(awaited) == ["a", "b"], what="the async listener ran")


async def test_messages_of_two_publishers_arrive_in_one_order_everywhere(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as one, running_client(cluster) as two:
        topic_one = await one.get_topic("ordered-1")
        topic_two = await two.get_topic("ordered-1")
        seen_one: list[Any] = []
        seen_two: list[Any] = []
        await topic_one.add_listener(lambda m: seen_one.append(m.message))
        await topic_two.add_listener(lambda m: seen_two.append(m.message))
        await asyncio.gather(
            *(topic_one.publish(f"one-{i}") for i in range(10)), *(topic_two.publish(f"two-{i}") for i in range(10))
        )
        await wait_until(lambda: len(seen_one) == len(seen_two) == 20, what="every message")
    assert seen_one == seen_two


async def test_listeners_survive_member_restarts(cluster: EmbeddedCluster, client: HazelcastClient) -> None:
    topic = await client.get_topic("durable-listener")
    received: list[Any] = []
    await topic.add_listener(lambda m: received.append(m.message))
    for member in cluster.members:
        await member.kill()
        await member.restart()
    await wait_until(lambda: len(client._connections.connections) >= 1, what="reconnected")
    expected = len(cluster.members) if client._context.config.smart_routing else 1

    async def registered_everywhere() -> bool:
        return len(cluster.events.registrations(("hz:impl:topicService", "durable-listener"))) == expected

    await wait_until(registered_everywhere, what="the listener registered again")
    await topic.publish("after restart")
    await wait_until(lambda: received == ["after restart"], what="message after the restarts")
    await asyncio.sleep(0.1)
    assert received == ["after restart"]


async def test_destroy_deregisters_the_listeners_on_the_members(
    cluster: EmbeddedCluster, client: HazelcastClient
) -> None:
    topic = await client.get_topic("destroyed")
    await topic.add_listener(lambda m: None)
    assert cluster.events.has_listeners(("hz:impl:topicService", "destroyed"))
    assert await topic.destroy()
    assert not cluster.events.has_listeners(("hz:impl:topicService", "destroyed"))


async def test_bad_arguments_are_refused_before_sending(client: HazelcastClient) -> None:
    topic = await client.get_topic("bad")
    with pytest.raises(ValueError):
        await topic.publish(None)
    with pytest.raises(ValueError):
        await topic.publish_all(None)
    with pytest.raises(ValueError):
        await topic.publish_all(["a", None])
    with pytest.raises(ValueError):
        await topic.add_listener(None)
    with pytest.raises(TypeError):
        await topic.add_listener("not callable")
    with pytest.raises(ValueError):
        await topic.remove_listener(None)
