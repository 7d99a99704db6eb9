"""The embedded member's own plugin, loaded through the ``hazelcast.embedded.plugins`` entry point like any other.

It contributes the Map service and the ``map`` configuration section, and the CP subsystem's services and its
``cp-subsystem`` section.
"""

from __future__ import annotations

from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.cp import CP_CONFIG_SECTION, CP_SERVICES
from hazelcast.embedded.map import MAP_CONFIG_SECTION, MAP_SERVICE
from hazelcast.embedded.spec import MemberServiceSpec, StructureConfigSpec

__all__ = ["hazelcast_embedded_services", "hazelcast_embedded_structure_configs"]


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (MAP_SERVICE, *CP_SERVICES)


@hookimpl
def hazelcast_embedded_structure_configs() -> tuple[StructureConfigSpec, ...]:
    return (MAP_CONFIG_SECTION, CP_CONFIG_SECTION)
