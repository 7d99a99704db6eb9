"""The embedded member's Ringbuffer service: configuration, containers, parked reads and message handlers."""

from hazelcast.embedded.ringbuffer.config import RINGBUFFER_CONFIG_SECTION, RingbufferConfig
from hazelcast.embedded.ringbuffer.container import RingbufferContainer
from hazelcast.embedded.ringbuffer.service import (
    RINGBUFFER_SERVICE,
    RINGBUFFER_SERVICE_NAME,
    sweep_expired_items,
)

__all__ = [
    "RINGBUFFER_CONFIG_SECTION",
    "RINGBUFFER_SERVICE",
    "RINGBUFFER_SERVICE_NAME",
    "RingbufferConfig",
    "RingbufferContainer",
    "sweep_expired_items",
]
