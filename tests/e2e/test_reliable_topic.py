"""ReliableTopic end to end: listeners, durable subscriptions, loss detection and overload policies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import TopicOverloadPolicy
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import TopicOverloadError
from hazelcast.proxy.reliable_topic import ReliableMessageListener, TopicMessage

from .conftest import running_client, wait_until

_CONFIG = {
    "ringbuffer": {
        "_hz_rb_lossy-*": {"capacity": 3},
        "_hz_rb_full-*": {"capacity": 2, "time-to-live-seconds": 600},
        "_hz_rb_blocking-*": {"capacity": 2, "time-to-live-seconds": 1},
    },
    "reliable-topic": {"default": {"read-batch-size": 10, "topic-overload-policy": "BLOCK"}},
}
_CLIENT_TOPICS = {
    "full-error": {"overload_policy": TopicOverloadPolicy.ERROR},
    "full-newest": {"overload_policy": TopicOverloadPolicy.DISCARD_NEWEST},
    "full-oldest": {"overload_policy": TopicOverloadPolicy.DISCARD_OLDEST},
    "blocking-1": {"overload_policy": TopicOverloadPolicy.BLOCK},
    "batched": {"read_batch_size": 3},
    # A batch larger than the capacity never fits without overwriting: BLOCK would wait forever, as with Java.
    "lossy-1": {"overload_policy": TopicOverloadPolicy.DISCARD_OLDEST},
}


class RecordingListener(ReliableMessageListener[Any]):
    """A listener that records what it is told, starting at ``initial`` and optionally loss tolerant."""

    def __init__(self, initial: int = -1, loss_tolerant: bool = False, terminal: bool = False) -> None:
        self.initial = initial
        self.loss_tolerant = loss_tolerant
        self.terminal = terminal
        self.messages: list[Any] = []
        self.sequences: list[int] = []
        self.errors: list[Exception] = []
        self.cancelled = 0
        self.gate: asyncio.Event | None = None

    async def on_message(self, message: TopicMessage[Any]) -> None:
        self.messages.append(message.message)
        if self.gate is not None:
            await self.gate.wait()
        if message.message == "boom":
            raise RuntimeError("cannot handle boom")

    def retrieve_initial_sequence(self) -> int:
        return self.initial

    def store_sequence(self, sequence: int) -> None:
        self.sequences.append(sequence)

    def is_loss_tolerant(self) -> bool:
        return self.loss_tolerant

    def is_terminal(self, error: Exception) -> bool:
        self.errors.append(error)
        return self.terminal

    def on_cancel(self) -> None:
        self.cancelled += 1


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=request.param, config=_CONFIG) as running:
        yield running


@pytest.fixture
async def client(cluster: EmbeddedCluster) -> AsyncIterator[HazelcastClient]:
    async with running_client(cluster, reliable_topics=_CLIENT_TOPICS) as running:
        yield running


async def _stored(client: HazelcastClient, name: str) -> list[Any]:
    """The messages the topic's ringbuffer holds, read by a durable listener from its head."""
    topic = await client.get_reliable_topic(name)
    ringbuffer = await client.get_ringbuffer("_hz_rb_" + name)
    count = await ringbuffer.size()
    reader = RecordingListener(initial=await ringbuffer.head_sequence())
    registration = await topic.add_listener(reader)
    await wait_until(lambda: len(reader.messages) == count, what="the stored messages")
    await topic.remove_listener(registration)
    return reader.messages


async def test_a_function_listener_gets_the_messages_published_after_it_was_added(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("plain")
    await topic.publish("too early")
    received: list[TopicMessage[Any]] = []
    await topic.add_listener(received.append)
    await topic.publish("a")
    await topic.publish_all(["b", "c"])
    await wait_until(lambda: len(received) == 3, what="three messages")
    assert [m.message for m in received] == ["a", "b", "c"]
    assert all(m.name == "plain" and m.member is None and m.publish_time > 0 for m in received)


async def test_a_durable_listener_starts_at_its_sequence_and_stores_each_one(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("durable")
    await topic.publish_all(["m0", "m1", "m2"])
    listener = RecordingListener(initial=1)
    registration = await topic.add_listener(listener)
    await topic.publish("m3")
    await wait_until(lambda: len(listener.messages) == 3, what="messages from sequence 1")
    assert listener.messages == ["m1", "m2", "m3"]
    assert listener.sequences == [1, 2, 3]
    assert await topic.remove_listener(registration)
    assert listener.cancelled == 1
    assert not await topic.remove_listener(registration)
    await topic.publish("m4")
    await asyncio.sleep(0.1)
    assert listener.messages == ["m1", "m2", "m3"] and listener.cancelled == 1


@pytest.mark.parametrize("terminal", [False, True], ids=["keeps-going", "terminal"])
async def test_is_terminal_decides_whether_an_error_cancels_the_listener(
    client: HazelcastClient, terminal: bool
) -> None:
    topic = await client.get_reliable_topic("errors")
    listener = RecordingListener(terminal=terminal)
    await topic.add_listener(listener)
    await topic.publish_all(["a", "boom", "c"])
    if terminal:
        await wait_until(lambda: listener.cancelled == 1, what="the listener cancelled")
        await asyncio.sleep(0.1)
        assert listener.messages == ["a", "boom"]
    else:
        await wait_until(lambda: listener.messages == ["a", "boom", "c"], what="every message")
        assert listener.cancelled == 0
    assert [str(e) for e in listener.errors] == ["cannot handle boom"]


@pytest.mark.parametrize("tolerant", [True, False], ids=["loss-tolerant", "not-loss-tolerant"])
async def test_a_listener_that_falls_behind_the_head_continues_or_is_cancelled(
    client: HazelcastClient, tolerant: bool
) -> None:
    topic = await client.get_reliable_topic("lossy-1")
    listener = RecordingListener(loss_tolerant=tolerant)
    listener.gate = asyncio.Event()
    await topic.add_listener(listener)
    await topic.publish("m0")
    await wait_until(lambda: listener.messages == ["m0"], what="the listener busy with m0")
    await topic.publish_all([f"m{i}" for i in range(1, 11)])  # capacity 3: m1..m7 are overwritten
    listener.gate.set()
    if tolerant:
        await wait_until(lambda: len(listener.messages) == 4, what="the messages still stored")
        assert listener.messages == ["m0", "m8", "m9", "m10"]
        assert listener.sequences == [0, 8, 9, 10]
        assert listener.cancelled == 0
    else:
        await wait_until(lambda: listener.cancelled == 1, what="the listener cancelled")
        assert listener.messages == ["m0"]


async def test_error_policy_refuses_to_publish_into_a_full_topic(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("full-error")
    await topic.publish_all(["a", "b"])
    with pytest.raises(TopicOverloadError):
        await topic.publish("c")
    with pytest.raises(TopicOverloadError):
        await topic.publish_all(["c"])
    assert await _stored(client, "full-error") == ["a", "b"]


async def test_discard_newest_drops_the_new_message(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("full-newest")
    await topic.publish_all(["a", "b"])
    await topic.publish("c")
    await topic.publish_all(["d"])
    assert await _stored(client, "full-newest") == ["a", "b"]


async def test_discard_oldest_overwrites_the_oldest_message(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("full-oldest")
    await topic.publish_all(["a", "b"])
    await topic.publish("c")
    assert await _stored(client, "full-oldest") == ["b", "c"]
    await topic.publish_all(["d", "e"])
    assert await _stored(client, "full-oldest") == ["d", "e"]


async def test_block_waits_until_the_oldest_message_expires(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("blocking-1")
    await topic.publish_all(["a", "b"])
    publishing = asyncio.ensure_future(topic.publish("c"))
    await asyncio.sleep(0.3)
    assert not publishing.done()
    await asyncio.wait_for(publishing, 10)
    batch = asyncio.ensure_future(topic.publish_all(["d", "e"]))
    await asyncio.wait_for(batch, 10)
    assert await _stored(client, "blocking-1") == ["d", "e"]


async def test_the_configured_read_batch_size_bounds_each_read(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("batched")
    ringbuffer = topic._ringbuffer
    asked: list[int] = []
    read = ringbuffer._read_many_data

    async def recording_read(start: int, min_count: int, max_count: int, filter_data: Any = None) -> Any:
        asked.append(max_count)
        return await read(start, min_count, max_count, filter_data)

    ringbuffer._read_many_data = recording_read
    received: list[Any] = []
    await topic.add_listener(lambda m: received.append(m.message))
    await topic.publish_all(list(range(7)))
    await wait_until(lambda: len(received) == 7, what="all messages")
    assert received == list(range(7))
    assert set(asked) == {3}


async def test_listeners_see_one_global_order(cluster: EmbeddedCluster, client: HazelcastClient) -> None:
    async with running_client(cluster) as other:
        mine = await client.get_reliable_topic("ordered")
        theirs = await other.get_reliable_topic("ordered")
        seen_mine: list[Any] = []
        seen_theirs: list[Any] = []
        await mine.add_listener(lambda m: seen_mine.append(m.message))
        await theirs.add_listener(lambda m: seen_theirs.append(m.message))
        await asyncio.gather(*(mine.publish(f"a{i}") for i in range(10)), *(theirs.publish(f"b{i}") for i in range(10)))
        await wait_until(lambda: len(seen_mine) == len(seen_theirs) == 20, what="every message")
    assert seen_mine == seen_theirs


async def test_destroy_cancels_listeners_and_removes_the_ringbuffer(
    cluster: EmbeddedCluster, client: HazelcastClient
) -> None:
    topic = await client.get_reliable_topic("doomed")
    listener = RecordingListener()
    await topic.add_listener(listener)
    await topic.publish("x")
    await wait_until(lambda: listener.messages == ["x"], what="the message")
    ringbuffer_key = ("hz:impl:ringbufferService", "_hz_rb_doomed")
    assert any(ringbuffer_key in states for states in cluster.owner_of(0).partitions)
    assert await topic.destroy()
    assert listener.cancelled == 1
    for member in cluster.live_members:
        assert not any(ringbuffer_key in states for states in member.partitions)
    assert await (await client.get_ringbuffer("_hz_rb_doomed")).size() == 0


async def test_a_listener_survives_the_loss_of_the_ringbuffer_owner() -> None:
    async with EmbeddedCluster(member_count=3) as cluster, running_client(cluster) as client:
        topic = await client.get_reliable_topic("resilient")
        received: list[Any] = []
        await topic.add_listener(lambda m: received.append(m.message))
        await topic.publish_all(["a", "b"])
        await wait_until(lambda: received == ["a", "b"], what="messages before the kill")
        await cluster.kill_member(cluster.owner_of(cluster.name_partition_id("_hz_rb_resilient")))
        # A publish is not retried once sent (it may have been stored): send it once the client knows the member left.
        await wait_until(lambda: len(client.cluster_service.get_members()) == 2, what="the member gone")
        await topic.publish("c")
        await wait_until(lambda: received == ["a", "b", "c"], what="message after the kill")


async def test_bad_arguments_are_refused(client: HazelcastClient) -> None:
    topic = await client.get_reliable_topic("bad")
    with pytest.raises(ValueError):
        await topic.publish(None)
    with pytest.raises(ValueError):
        await topic.publish_all(None)
    with pytest.raises(ValueError):
        await topic.publish_all([1, None])
    with pytest.raises(ValueError):
        await topic.add_listener(None)
    with pytest.raises(TypeError):
        await topic.add_listener(42)
    with pytest.raises(ValueError):
        await topic.remove_listener(None)
    assert not await topic.remove_listener("no-such-registration")
    assert await (await client.get_ringbuffer("_hz_rb_bad")).size() == 0
