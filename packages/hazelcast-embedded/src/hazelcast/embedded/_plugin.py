"""The embedded member's own plugin, loaded through the ``hazelcast.embedded.plugins`` entry point like any other.

It contributes the Map, List, Set, Queue, PN counter, Flake ID generator and executor services and their
configuration sections.
"""

from __future__ import annotations

from hazelcast.embedded.collection import LIST_CONFIG_SECTION, LIST_SERVICE, SET_CONFIG_SECTION, SET_SERVICE
from hazelcast.embedded.executor import EXECUTOR_CONFIG_SECTION, EXECUTOR_SERVICE
from hazelcast.embedded.flakeid import FLAKE_ID_CONFIG_SECTION, FLAKE_ID_SERVICE
from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.map import MAP_CONFIG_SECTION, MAP_SERVICE
from hazelcast.embedded.pncounter import PN_COUNTER_CONFIG_SECTION, PN_COUNTER_SERVICE
from hazelcast.embedded.queue import QUEUE_CONFIG_SECTION, QUEUE_SERVICE
from hazelcast.embedded.spec import MemberServiceSpec, StructureConfigSpec

__all__ = ["hazelcast_embedded_services", "hazelcast_embedded_structure_configs"]


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (MAP_SERVICE, LIST_SERVICE, SET_SERVICE, QUEUE_SERVICE, PN_COUNTER_SERVICE, FLAKE_ID_SERVICE,
            EXECUTOR_SERVICE)


@hookimpl
def hazelcast_embedded_structure_configs() -> tuple[StructureConfigSpec, ...]:
    return (MAP_CONFIG_SECTION, LIST_CONFIG_SECTION, SET_CONFIG_SECTION, QUEUE_CONFIG_SECTION,
            PN_COUNTER_CONFIG_SECTION, FLAKE_ID_CONFIG_SECTION, EXECUTOR_CONFIG_SECTION)
