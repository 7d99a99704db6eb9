"""Publish/subscribe for the hazelcast asyncio client: ``Topic`` and the ringbuffer-backed ``ReliableTopic``."""

from hazelcast.topics.message import TopicMessage
from hazelcast.topics.reliable_listener import ReliableMessageListener
from hazelcast.topics.reliable_topic import ReliableTopic
from hazelcast.topics.topic import Topic

__all__ = ["ReliableMessageListener", "ReliableTopic", "Topic", "TopicMessage"]
