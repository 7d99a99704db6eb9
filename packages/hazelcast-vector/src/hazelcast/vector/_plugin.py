"""hazelcast-vector's plugin: the VectorCollection proxy type and the ``vector_collections`` client service."""

from __future__ import annotations

from hazelcast.plugin import ClientServiceType, ProxyType, hookimpl
from hazelcast.vector._service import VectorCollections
from hazelcast.vector.collection import VectorCollection

# The member-side service name Hazelcast (and the official client) use for vector collections.
VECTOR_SERVICE = "hz:service:vector"


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [ProxyType(VECTOR_SERVICE, VectorCollection, accessor="get_vector_collection")]


@hookimpl
def hazelcast_client_services() -> list[ClientServiceType]:
    return [ClientServiceType("vector_collections", VectorCollections)]
