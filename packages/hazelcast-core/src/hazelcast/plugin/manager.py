"""The client's plugin manager: loads plugins, validates what their hooks return, exposes it typed."""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterable

import pluggy
import structlog

from hazelcast.errors import (
    DuplicateServiceError,
    HazelcastPluginError,
    PluginFeatureUnavailableError,
    PluginNotInstalledError,
)
from hazelcast.plugin import hookspecs
from hazelcast.plugin.loading import hook_items, load_plugin_manager
from hazelcast.plugin.spec import ACCESSOR_DISTRIBUTIONS, ClientServiceType, ProxyType
from hazelcast.proxy import Proxy

__all__ = ["DISABLE_AUTOLOAD_ENV", "ENTRY_POINT_GROUP", "PluginManager", "installed_version"]

ENTRY_POINT_GROUP = "hazelcast.plugins"
#: Set (to any non-empty value) to stop the client from loading plugins through entry points; plugins passed to
#: the client explicitly are still registered.
DISABLE_AUTOLOAD_ENV = "HAZELCAST_DISABLE_PLUGIN_AUTOLOAD"

_logger = structlog.get_logger("hazelcast.plugin")


class PluginManager:
    """One per client: a pluggy manager plus typed, validated views of the hooks' results."""

    def __init__(self, plugins: Iterable[object] = (), autoload: bool | None = None) -> None:
        self._autoload = autoload
        self._pm = load_plugin_manager(
            hookspecs.PROJECT_NAME, hookspecs, ENTRY_POINT_GROUP, DISABLE_AUTOLOAD_ENV, plugins, autoload
        )
        _logger.debug("plugin.loaded", plugins=sorted(name for name, _ in self._pm.list_name_plugin()))
        self.proxy_types = self._collect_proxy_types()
        self.client_services = self._collect_client_services()

    @property
    def pluggy_manager(self) -> pluggy.PluginManager:
        return self._pm

    def _results(self, hook_name: str) -> list[tuple[str, object]]:
        return hook_items(self._pm, hook_name)

    def _collect_proxy_types(self) -> dict[str, ProxyType]:
        by_service: dict[str, ProxyType] = {}
        owners: dict[str, str] = {}
        accessors: dict[str, str] = {}
        for plugin, item in self._results("hazelcast_proxy_types"):
            if not isinstance(item, ProxyType):
                raise TypeError(f"plugin {plugin!r} returned {item!r} from hazelcast_proxy_types, not a ProxyType")
            # Checked here so that the mistake shows when the client is built, not at the first get_... call.
            if not (isinstance(item.proxy_class, type) and issubclass(item.proxy_class, Proxy)):
                raise TypeError(
                    f"plugin {plugin!r}: the proxy_class of {item.service_name!r} is {item.proxy_class!r}, "
                    "not a subclass of hazelcast.proxy.Proxy"
                )
            if item.service_name in by_service:
                raise DuplicateServiceError(
                    f"proxy service {item.service_name!r} is provided by both {owners[item.service_name]!r} "
                    f"and {plugin!r}"
                )
            if item.accessor is not None:
                if item.accessor in accessors:
                    raise DuplicateServiceError(
                        f"client accessor {item.accessor!r} is provided by both {accessors[item.accessor]!r} "
                        f"and {plugin!r}"
                    )
                accessors[item.accessor] = plugin
            by_service[item.service_name] = item
            owners[item.service_name] = plugin
        return by_service

    def _collect_client_services(self) -> dict[str, ClientServiceType]:
        by_attribute: dict[str, ClientServiceType] = {}
        owners: dict[str, str] = {}
        for plugin, item in self._results("hazelcast_client_services"):
            if not isinstance(item, ClientServiceType):
                raise TypeError(
                    f"plugin {plugin!r} returned {item!r} from hazelcast_client_services, not a ClientServiceType"
                )
            if not callable(item.factory):
                raise TypeError(
                    f"plugin {plugin!r}: the factory of client service {item.attribute!r} is {item.factory!r}, "
                    "not a callable"
                )
            if item.attribute in by_attribute:
                raise DuplicateServiceError(
                    f"client service {item.attribute!r} is provided by both {owners[item.attribute]!r} and {plugin!r}"
                )
            by_attribute[item.attribute] = item
            owners[item.attribute] = plugin
        return by_attribute

    def proxy_type_for_accessor(self, accessor: str) -> ProxyType | None:
        for proxy_type in self.proxy_types.values():
            if proxy_type.accessor == accessor:
                return proxy_type
        return None

    def unavailable(self, name: str, feature: str) -> HazelcastPluginError:
        """The error for a client accessor or service ``name`` that no loaded plugin provides.

        It names the distribution that provides ``name`` and tells apart the three reasons a user meets: the
        distribution is not installed, it is installed but autoloading is off, or its installed version lacks it.
        """
        distribution = ACCESSOR_DISTRIBUTIONS.get(name)
        if distribution is None:
            return PluginNotInstalledError("a plugin providing it", feature=feature)
        version = installed_version(distribution)
        if version is None:
            return PluginNotInstalledError(distribution, feature=feature)
        autoload = self._autoload if self._autoload is not None else not os.environ.get(DISABLE_AUTOLOAD_ENV)
        if not autoload:
            reason = (
                f"plugin autoloading is disabled ({DISABLE_AUTOLOAD_ENV} is set or autoload=False): pass its plugin "
                "to the client explicitly or enable autoloading"
            )
        else:
            reason = f"that version does not provide it: upgrade it with: pip install -U {distribution}"
        return PluginFeatureUnavailableError(distribution, version, feature, reason)


def installed_version(distribution: str) -> str | None:
    """The installed version of ``distribution``, or None when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
