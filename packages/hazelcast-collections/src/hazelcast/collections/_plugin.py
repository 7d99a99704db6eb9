"""hazelcast-collections' plugin: registers its proxy types with the client (entry point ``hazelcast.plugins``)."""

from __future__ import annotations

from hazelcast.collections.map import Map
from hazelcast.collections.ringbuffer import Ringbuffer
from hazelcast.plugin import ProxyType, hookimpl

MAP_SERVICE = "hz:impl:mapService"
RINGBUFFER_SERVICE = "hz:impl:ringbufferService"


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [
        ProxyType(MAP_SERVICE, Map, accessor="get_map"),
        ProxyType(RINGBUFFER_SERVICE, Ringbuffer, accessor="get_ringbuffer"),
    ]
