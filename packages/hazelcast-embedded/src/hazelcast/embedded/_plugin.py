"""The embedded member's own plugin, loaded through the ``hazelcast.embedded.plugins`` entry point like any other.

It contributes the member's data-structure services (Map, MultiMap, ReplicatedMap, the lock service, List, Set,
Queue, Ringbuffer, Topic, ReliableTopic, PN counter, Flake ID generator, executor, the CP subsystem, VectorCollection,
SQL over maps), their configuration sections, and the server classes of the built-in predicates, aggregators and
projections.
"""

from __future__ import annotations

from hazelcast.embedded.collection import LIST_CONFIG_SECTION, LIST_SERVICE, SET_CONFIG_SECTION, SET_SERVICE
from hazelcast.embedded.cp import CP_CONFIG_SECTION, CP_SERVICES
from hazelcast.embedded.executor import EXECUTOR_CONFIG_SECTION, EXECUTOR_SERVICE
from hazelcast.embedded.flakeid import FLAKE_ID_CONFIG_SECTION, FLAKE_ID_SERVICE
from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.locks import LOCK_SERVICE
from hazelcast.embedded.map import MAP_CONFIG_SECTION, MAP_SERVICE
from hazelcast.embedded.multimap import MULTIMAP_CONFIG_SECTION, MULTIMAP_SERVICE
from hazelcast.embedded.pncounter import PN_COUNTER_CONFIG_SECTION, PN_COUNTER_SERVICE
from hazelcast.embedded.query.aggregation import AGGREGATION_SERVER_CLASSES
from hazelcast.embedded.query.predicates import PREDICATE_SERVER_CLASSES
from hazelcast.embedded.queue import QUEUE_CONFIG_SECTION, QUEUE_SERVICE
from hazelcast.embedded.replicatedmap import REPLICATED_MAP_SERVICE
from hazelcast.embedded.ringbuffer import RINGBUFFER_CONFIG_SECTION, RINGBUFFER_SERVICE
from hazelcast.embedded.spec import MemberServiceSpec, ServerClass, StructureConfigSpec
from hazelcast.embedded.topic import (
    RELIABLE_TOPIC_CONFIG_SECTION,
    RELIABLE_TOPIC_SERVICE,
    TOPIC_CONFIG_SECTION,
    TOPIC_SERVICE,
)
from hazelcast.embedded.sql import SQL_SERVICE
from hazelcast.embedded.vector import VECTOR_CONFIG_SECTION, VECTOR_SERVICE

__all__ = ["hazelcast_embedded_server_classes", "hazelcast_embedded_services", "hazelcast_embedded_structure_configs"]


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (
        MAP_SERVICE,
        MULTIMAP_SERVICE,
        REPLICATED_MAP_SERVICE,
        LOCK_SERVICE,
        LIST_SERVICE,
        SET_SERVICE,
        QUEUE_SERVICE,
        PN_COUNTER_SERVICE,
        FLAKE_ID_SERVICE,
        EXECUTOR_SERVICE,
        RINGBUFFER_SERVICE,
        TOPIC_SERVICE,
        RELIABLE_TOPIC_SERVICE,
        *CP_SERVICES,
        VECTOR_SERVICE,
        SQL_SERVICE,
    )


@hookimpl
def hazelcast_embedded_structure_configs() -> tuple[StructureConfigSpec, ...]:
    return (
        MAP_CONFIG_SECTION,
        MULTIMAP_CONFIG_SECTION,
        LIST_CONFIG_SECTION,
        SET_CONFIG_SECTION,
        QUEUE_CONFIG_SECTION,
        PN_COUNTER_CONFIG_SECTION,
        FLAKE_ID_CONFIG_SECTION,
        EXECUTOR_CONFIG_SECTION,
        RINGBUFFER_CONFIG_SECTION,
        TOPIC_CONFIG_SECTION,
        RELIABLE_TOPIC_CONFIG_SECTION,
        CP_CONFIG_SECTION,
        VECTOR_CONFIG_SECTION,
    )


@hookimpl
def hazelcast_embedded_server_classes() -> tuple[ServerClass, ...]:
    # The built-in predicates, aggregators and projections clients send (factory ids -20, -29, -30).
    return (*PREDICATE_SERVER_CLASSES, *AGGREGATION_SERVER_CLASSES)
