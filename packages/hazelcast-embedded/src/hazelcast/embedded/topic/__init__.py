"""The embedded member's Topic and ReliableTopic services and their configuration sections."""

from hazelcast.embedded.topic.config import (
    RELIABLE_TOPIC_CONFIG_SECTION,
    TOPIC_CONFIG_SECTION,
    ReliableTopicConfig,
    TopicConfig,
)
from hazelcast.embedded.topic.service import (
    RELIABLE_TOPIC_SERVICE,
    RELIABLE_TOPIC_SERVICE_NAME,
    TOPIC_SERVICE,
    TOPIC_SERVICE_NAME,
)

__all__ = [
    "RELIABLE_TOPIC_CONFIG_SECTION",
    "RELIABLE_TOPIC_SERVICE",
    "RELIABLE_TOPIC_SERVICE_NAME",
    "TOPIC_CONFIG_SECTION",
    "TOPIC_SERVICE",
    "TOPIC_SERVICE_NAME",
    "ReliableTopicConfig",
    "TopicConfig",
]
