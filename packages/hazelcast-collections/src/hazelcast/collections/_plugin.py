"""hazelcast-collections' plugin: registers its proxy types with the client (entry point ``hazelcast.plugins``)."""

from __future__ import annotations

from hazelcast.collections._near_cached_map import create_map_proxy
from hazelcast.collections.map import Map
from hazelcast.plugin import ProxyType, hookimpl

MAP_SERVICE = "hz:impl:mapService"


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [ProxyType(MAP_SERVICE, Map, accessor="get_map", factory=create_map_proxy)]
