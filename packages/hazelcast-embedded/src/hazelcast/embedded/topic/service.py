"""The member side of Topic (publish and message listeners) and of ReliableTopic.

A topic keeps no data: a publish becomes one event per subscribed listener, delivered through the cluster's shared
listener registry (:mod:`hazelcast.embedded.events`). The publish request runs on the owner of the topic name's
partition, and the event originates there: a smart client, registered ``local_only`` on every member, receives each
message once, from that member; a unisocket client, registered cluster-wide on one member, receives it there. Events
carry the publish time and the publishing member's uuid. All events leave from one event loop in publication order,
so every listener sees the messages of a topic in the same order.

A reliable topic has no protocol messages of its own: clients keep its messages in the ringbuffer
``_hz_rb_<name>``. Its service only lets clients create and destroy the proxy.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec
from hazelcast.protocol import method

if TYPE_CHECKING:
    import uuid

    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.events import EventRegistration

__all__ = [
    "RELIABLE_TOPIC_SERVICE",
    "RELIABLE_TOPIC_SERVICE_NAME",
    "TOPIC_SERVICE",
    "TOPIC_SERVICE_NAME",
]

TOPIC_SERVICE_NAME = "hz:impl:topicService"
RELIABLE_TOPIC_SERVICE_NAME = "hz:impl:reliableTopicService"
_encode_message_event = method("Topic.addMessageListener").encode_event[0]


def _topic(name: str) -> tuple[str, str]:
    return (TOPIC_SERVICE_NAME, name)


def _publish(request: MemberRequest, name: str, messages: list[bytes]) -> None:
    if any(message is None for message in messages):
        raise ValueError("a topic message must not be null")
    events = request.cluster.events
    topic = _topic(name)
    if not events.has_listeners(topic):
        return
    origin = request.member
    publisher = origin.uuid
    publish_time = time.time_ns() // 1_000_000
    for message in messages:
        template = _encode_message_event(message, publish_time, publisher)

        def encode(_registration: EventRegistration, template: bytearray = template) -> bytearray:
            return bytearray(template)

        events.publish(topic, origin, encode)


def topic_publish(request: MemberRequest) -> None:
    params = request.params
    _publish(request, params.name, [params.message])


def topic_publish_all(request: MemberRequest) -> None:
    params = request.params
    _publish(request, params.name, list(params.messages))


def topic_add_message_listener(request: MemberRequest) -> uuid.UUID:
    params = request.params
    return request.cluster.events.add(request, _topic(params.name), params.local_only)


def topic_remove_message_listener(request: MemberRequest) -> bool:
    return request.cluster.events.remove(request, request.params.registration_id)


def destroy_topic(cluster: EmbeddedCluster, service_name: str, name: str) -> Any:
    """A destroyed topic's listeners are deregistered, as on a Java member."""
    cluster.events.remove_topic(_topic(name))


TOPIC_SERVICE = MemberServiceSpec(
    name="Topic",
    handlers={
        "Topic.publish": topic_publish,
        "Topic.publishAll": topic_publish_all,
        "Topic.addMessageListener": topic_add_message_listener,
        "Topic.removeMessageListener": topic_remove_message_listener,
    },
    object_service_names=(TOPIC_SERVICE_NAME,),
    destroy_object=destroy_topic,
)

RELIABLE_TOPIC_SERVICE = MemberServiceSpec(
    name="ReliableTopic",
    handlers={},
    object_service_names=(RELIABLE_TOPIC_SERVICE_NAME,),
)
