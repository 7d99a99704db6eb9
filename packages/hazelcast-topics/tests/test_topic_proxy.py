"""The Topic proxy without a member: requests, routing, event decoding, refused arguments, plugin registration."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from hazelcast.core import Address, MemberInfo, MemberVersion
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader
from hazelcast.proxy import ProxyContext
from hazelcast.serialization.hashing import partition_hash, partition_id
from hazelcast.topics import ReliableTopic, Topic, TopicMessage
from hazelcast.topics._plugin import RELIABLE_TOPIC_SERVICE, TOPIC_SERVICE, hazelcast_proxy_types

_EVENT = method("Topic.addMessageListener")


def test_the_plugin_provides_both_topic_types() -> None:
    types = {(t.service_name, t.proxy_class, t.accessor) for t in hazelcast_proxy_types()}
    assert types == {
        (TOPIC_SERVICE, Topic, "get_topic"),
        (RELIABLE_TOPIC_SERVICE, ReliableTopic, "get_reliable_topic"),
    }


def test_the_entry_point_names_the_distribution() -> None:
    from importlib.metadata import entry_points

    (entry,) = [e for e in entry_points(group="hazelcast.plugins") if e.name == "hazelcast-topics"]
    assert entry.value == "hazelcast.topics._plugin"


def test_the_official_import_paths_hold_the_topic_names() -> None:
    from hazelcast.proxy.reliable_topic import ReliableMessageListener, ReliableTopic as OfficialReliableTopic
    from hazelcast.proxy.topic import Topic as OfficialTopic, TopicMessage as OfficialTopicMessage
    from hazelcast.topics import ReliableMessageListener as Ours

    assert (OfficialTopic, OfficialTopicMessage, OfficialReliableTopic, ReliableMessageListener) == (
        Topic, TopicMessage, ReliableTopic, Ours
    )


async def test_publish_and_publish_all_go_to_the_partition_of_the_name(
    make_context: Callable[..., ProxyContext],
) -> None:
    context = make_context()
    topic: Topic[Any] = Topic(TOPIC_SERVICE, "news", context)
    to_data = context.serialization_service.to_data
    await topic.publish("hello")
    await topic.publish_all(["a", 1])
    expected_partition = partition_id(partition_hash(to_data("news")), 271)
    sent = context.invocation_service.sent  # type: ignore[attr-defined]
    assert [(name, partition) for name, _, partition in sent] == [
        ("Topic.publish", expected_partition), ("Topic.publishAll", expected_partition)
    ]
    assert (sent[0][1].name, sent[0][1].message) == ("news", to_data("hello"))
    assert sent[1][1].messages == [to_data("a"), to_data(1)]


async def test_a_listener_gets_decoded_messages_with_the_publishing_member(
    make_context: Callable[..., ProxyContext],
) -> None:
    context = make_context()
    member_uuid = uuid.uuid4()
    member = MemberInfo(member_uuid, Address("10.0.0.1", 5701), False, None, MemberVersion(5, 5, 0))
    context.cluster_service.members[member_uuid] = member  # type: ignore[attr-defined]
    topic: Topic[Any] = Topic(TOPIC_SERVICE, "news", context)
    received: list[TopicMessage[Any]] = []
    second: list[TopicMessage[Any]] = []
    registration_id = await topic.add_listener(received.append)
    second_id = await topic.add_listener(second.append)
    # The proxy's listeners share one registration with the members.
    (registration,) = context.listener_service.registered.values()  # type: ignore[attr-defined]
    (add_request,) = MessageReader().feed(bytes(registration.add_request(True)))
    assert tuple(_EVENT.decode_request(add_request)) == ("news", True)
    event = _EVENT.encode_event[0](context.serialization_service.to_data("hi"), 1_700_000_000_123, member_uuid)
    (event_message,) = MessageReader().feed(bytes(event))
    registration.event_handler(event_message)
    (message,) = received
    assert (message.name, message.message, message.publish_time, message.member) == (
        "news", "hi", 1_700_000_000.123, member
    )
    assert [m.message for m in second] == ["hi"] and second[0] is not message
    assert context.callbacks.events == ["topic.message", "topic.message"]  # type: ignore[attr-defined]
    assert await topic.remove_listener(registration_id)
    assert not await topic.remove_listener(registration_id)
    assert len(context.listener_service.registered) == 1  # type: ignore[attr-defined]
    registration.event_handler(event_message)
    assert (len(received), len(second)) == (1, 2)
    assert await topic.remove_listener(second_id)
    assert context.listener_service.registered == {}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda t: t.publish(None), ValueError),
        (lambda t: t.publish_all(None), ValueError),
        (lambda t: t.publish_all(["a", None]), ValueError),
        (lambda t: t.add_listener(None), ValueError),
        (lambda t: t.add_listener(5), TypeError),
        (lambda t: t.remove_listener(None), ValueError),
    ],
)
async def test_bad_arguments_are_refused_before_sending(
    make_context: Callable[..., ProxyContext], call: Any, error: type[Exception]
) -> None:
    context = make_context()
    topic: Topic[Any] = Topic(TOPIC_SERVICE, "news", context)
    with pytest.raises(error):
        await call(topic)
    assert context.invocation_service.sent == []  # type: ignore[attr-defined]
    assert context.listener_service.registered == {}  # type: ignore[attr-defined]
