"""The official client's import path of ReliableTopic and ReliableMessageListener."""

from hazelcast.topics.message import TopicMessage
from hazelcast.topics.reliable_listener import ReliableMessageListener
from hazelcast.topics.reliable_topic import ReliableTopic

__all__ = ["ReliableMessageListener", "ReliableTopic", "TopicMessage"]
