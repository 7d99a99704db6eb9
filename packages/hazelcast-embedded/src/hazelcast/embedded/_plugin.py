"""The embedded member's own plugin, loaded through the ``hazelcast.embedded.plugins`` entry point like any other.

It contributes the Map and VectorCollection services and their ``map`` and ``vector-collection`` sections.
"""

from __future__ import annotations

from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.map import MAP_CONFIG_SECTION, MAP_SERVICE
from hazelcast.embedded.spec import MemberServiceSpec, StructureConfigSpec
from hazelcast.embedded.vector import VECTOR_CONFIG_SECTION, VECTOR_SERVICE

__all__ = ["hazelcast_embedded_services", "hazelcast_embedded_structure_configs"]


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (MAP_SERVICE, VECTOR_SERVICE)


@hookimpl
def hazelcast_embedded_structure_configs() -> tuple[StructureConfigSpec, ...]:
    return (MAP_CONFIG_SECTION, VECTOR_CONFIG_SECTION)
