"""The embedded member's own plugin, loaded through the ``hazelcast.embedded.plugins`` entry point like any other.

It contributes the Map service and the ``map`` configuration section.
"""

from __future__ import annotations

from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.map import MAP_CONFIG_SECTION, MAP_SERVICE
from hazelcast.embedded.query.aggregation import AGGREGATION_SERVER_CLASSES
from hazelcast.embedded.query.predicates import PREDICATE_SERVER_CLASSES
from hazelcast.embedded.spec import MemberServiceSpec, ServerClass, StructureConfigSpec

__all__ = ["hazelcast_embedded_server_classes", "hazelcast_embedded_services", "hazelcast_embedded_structure_configs"]


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (MAP_SERVICE,)


@hookimpl
def hazelcast_embedded_structure_configs() -> tuple[StructureConfigSpec, ...]:
    return (MAP_CONFIG_SECTION,)


@hookimpl
def hazelcast_embedded_server_classes() -> tuple[ServerClass, ...]:
    # The built-in predicates, aggregators and projections clients send (factory ids -20, -29, -30).
    return (*PREDICATE_SERVER_CLASSES, *AGGREGATION_SERVER_CLASSES)
