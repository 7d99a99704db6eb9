"""hazelcast-topics' plugin: registers Topic and ReliableTopic with the client (entry point ``hazelcast.plugins``)."""

from __future__ import annotations

from hazelcast.plugin import ProxyType, hookimpl
from hazelcast.topics.reliable_topic import ReliableTopic
from hazelcast.topics.topic import Topic

TOPIC_SERVICE = "hz:impl:topicService"
RELIABLE_TOPIC_SERVICE = "hz:impl:reliableTopicService"


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [
        ProxyType(TOPIC_SERVICE, Topic, accessor="get_topic"),
        ProxyType(RELIABLE_TOPIC_SERVICE, ReliableTopic, accessor="get_reliable_topic"),
    ]
