"""What plugins hand to the client: descriptions of proxy types and client-level services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hazelcast.proxy import Proxy, ProxyContext

__all__ = ["ACCESSOR_DISTRIBUTIONS", "ClientServiceType", "ProxyType"]


@dataclass(frozen=True, slots=True)
class ProxyType:
    """A distributed-object type a plugin provides.

    ``service_name`` is the member-side service (``"hz:impl:mapService"``); it keys the proxy cache and is sent in
    ``Client.createProxy``. ``accessor`` names the ``HazelcastClient`` method that returns such proxies
    (``"get_map"``); third-party types may leave it None and be reached through
    ``HazelcastClient.get_distributed_object(service_name, name)``. ``factory`` builds the proxy, by default the class
    itself called as ``proxy_class(service_name, name, context)``.
    """

    service_name: str
    proxy_class: type[Proxy]
    accessor: str | None = None
    factory: Callable[[str, str, ProxyContext], Proxy] | None = None
    #: Whether ``Client.createProxy`` is sent when the proxy is first made (CP objects are created differently).
    create_on_cluster: bool = True


@dataclass(frozen=True, slots=True)
class ClientServiceType:
    """A client-level service a plugin provides, exposed as a ``HazelcastClient`` attribute (``cp_subsystem``, ...).

    ``factory`` is called once, with the client's :class:`~hazelcast.proxy.ProxyContext`, the first time the
    attribute is read; ``close`` (optional, async) is awaited when the client shuts down, before its connections close.
    """

    attribute: str
    factory: Callable[[ProxyContext], Any]
    close: Callable[[Any], Any] | None = None


#: The client methods and attributes that come from our own plugin distributions, and which distribution to install
#: for each: a call whose plugin is missing names it in a PluginNotInstalledError.
ACCESSOR_DISTRIBUTIONS: dict[str, str] = {
    "get_map": "hazelcast-collections",
    "get_multi_map": "hazelcast-collections",
    "get_replicated_map": "hazelcast-collections",
    "get_list": "hazelcast-collections",
    "get_set": "hazelcast-collections",
    "get_queue": "hazelcast-collections",
    "get_ringbuffer": "hazelcast-collections",
    "get_executor": "hazelcast-collections",
    "get_flake_id_generator": "hazelcast-collections",
    "get_pn_counter": "hazelcast-collections",
    "get_topic": "hazelcast-topics",
    "get_reliable_topic": "hazelcast-topics",
    "get_vector_collection": "hazelcast-vector",
    "vector_collections": "hazelcast-vector",
    "cp_subsystem": "hazelcast-cp",
    "sql": "hazelcast-collections",
}
