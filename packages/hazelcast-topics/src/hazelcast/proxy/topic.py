"""The official client's import path of the Topic proxy and its messages."""

from hazelcast.topics.message import TopicMessage
from hazelcast.topics.topic import Topic

__all__ = ["Topic", "TopicMessage"]
