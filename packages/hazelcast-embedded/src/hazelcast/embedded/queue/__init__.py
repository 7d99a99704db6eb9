"""The embedded member's IQueue service: configuration, state, blocking operations and handlers."""

from hazelcast.embedded.queue.config import QUEUE_CONFIG_SECTION, QueueConfig
from hazelcast.embedded.queue.service import QUEUE_SERVICE, QUEUE_SERVICE_NAME, QueueState

__all__ = ["QUEUE_CONFIG_SECTION", "QUEUE_SERVICE", "QUEUE_SERVICE_NAME", "QueueConfig", "QueueState"]
