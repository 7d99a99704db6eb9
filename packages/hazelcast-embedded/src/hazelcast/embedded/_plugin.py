"""The embedded member's own plugin, loaded through the ``hazelcast.embedded.plugins`` entry point like any other.

It contributes the Map, Ringbuffer, Topic and ReliableTopic services and their configuration sections.
"""

from __future__ import annotations

from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.map import MAP_CONFIG_SECTION, MAP_SERVICE
from hazelcast.embedded.ringbuffer import RINGBUFFER_CONFIG_SECTION, RINGBUFFER_SERVICE
from hazelcast.embedded.topic import (
    RELIABLE_TOPIC_CONFIG_SECTION,
    RELIABLE_TOPIC_SERVICE,
    TOPIC_CONFIG_SECTION,
    TOPIC_SERVICE,
)
from hazelcast.embedded.spec import MemberServiceSpec, StructureConfigSpec

__all__ = ["hazelcast_embedded_services", "hazelcast_embedded_structure_configs"]


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (MAP_SERVICE, RINGBUFFER_SERVICE, TOPIC_SERVICE, RELIABLE_TOPIC_SERVICE)


@hookimpl
def hazelcast_embedded_structure_configs() -> tuple[StructureConfigSpec, ...]:
    return (MAP_CONFIG_SECTION, RINGBUFFER_CONFIG_SECTION, TOPIC_CONFIG_SECTION, RELIABLE_TOPIC_CONFIG_SECTION)
