"""hazelcast-collections' plugin: registers its proxy types with the client (entry point ``hazelcast.plugins``)."""

from __future__ import annotations

from hazelcast.collections.map import Map
from hazelcast.collections.multi_map import MultiMap
from hazelcast.collections.replicated_map import ReplicatedMap
from hazelcast.plugin import ProxyType, hookimpl

MAP_SERVICE = "hz:impl:mapService"
MULTI_MAP_SERVICE = "hz:impl:multiMapService"
REPLICATED_MAP_SERVICE = "hz:impl:replicatedMapService"


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [
        ProxyType(MAP_SERVICE, Map, accessor="get_map"),
        ProxyType(MULTI_MAP_SERVICE, MultiMap, accessor="get_multi_map"),
        ProxyType(REPLICATED_MAP_SERVICE, ReplicatedMap, accessor="get_replicated_map"),
    ]
