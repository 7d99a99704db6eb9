"""The plugin contract of the hazelcast client.

A plugin provides proxy types and client-level services through the hooks of :mod:`hazelcast.plugin.hookspecs`,
announced by an entry point in group ``hazelcast.plugins``::

    # pyproject.toml of a plugin distribution
    [project.entry-points."hazelcast.plugins"]
    my-distribution = "my_package.plugin"

    # my_package/plugin.py
    from hazelcast.plugin import ProxyType, hookimpl

    @hookimpl
    def hazelcast_proxy_types():
        return [ProxyType("my:service", MyProxy)]
"""

from hazelcast.plugin.hookspecs import hookimpl
from hazelcast.plugin.manager import DISABLE_AUTOLOAD_ENV, ENTRY_POINT_GROUP, PluginManager
from hazelcast.plugin.spec import ClientServiceType, ProxyType
from hazelcast.proxy import Proxy, ProxyContext

__all__ = [
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "ClientServiceType",
    "PluginManager",
    "Proxy",
    "ProxyContext",
    "ProxyType",
    "hookimpl",
]
