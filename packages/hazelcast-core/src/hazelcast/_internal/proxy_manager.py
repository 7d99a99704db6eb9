"""Creating, caching and destroying proxies."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from hazelcast.errors import HazelcastPluginError
from hazelcast.protocol import method

if TYPE_CHECKING:
    from hazelcast.plugin.manager import PluginManager
    from hazelcast.proxy import Proxy, ProxyContext

__all__ = ["ProxyManager"]

_CREATE_PROXY = method("Client.createProxy")
_DESTROY_PROXY = method("Client.destroyProxy")


class ProxyManager:
    """One proxy per (service, name); concurrent first requests share one creation (single flight)."""

    def __init__(self, plugins: PluginManager) -> None:
        self._plugins = plugins
        self._proxies: dict[tuple[str, str], Proxy] = {}
        self._creating: dict[tuple[str, str], asyncio.Future[Proxy]] = {}
        self.context: ProxyContext | None = None

    async def get_or_create(self, service_name: str, name: str) -> Proxy:
        if not isinstance(name, str):
            raise TypeError(f"a distributed object name must be a str, not {type(name).__name__}")
        key = (service_name, name)
        proxy = self._proxies.get(key)
        if proxy is not None:
            return proxy
        pending = self._creating.get(key)
        while pending is not None:
            try:
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this caller was cancelled
                # The caller creating the proxy was cancelled, not this one: take over.
                proxy = self._proxies.get(key)
                if proxy is not None:
                    return proxy
                pending = self._creating.get(key)
        proxy_type = self._plugins.proxy_types.get(service_name)
        if proxy_type is None:
            raise HazelcastPluginError(
                f"no installed plugin provides the service {service_name!r}; a plugin adds it through the "
                "'hazelcast.plugins' entry point group"
            )
        context = self.context
        assert context is not None
        future: asyncio.Future[Proxy] = context.loop.create_future()
        self._creating[key] = future
        try:
            factory = proxy_type.factory or proxy_type.proxy_class
            proxy = factory(service_name, name, context)
            if proxy_type.create_on_cluster:
                await context.invocation_service.call(_CREATE_PROXY.encode_request(name, service_name))
            self._proxies[key] = proxy
            future.set_result(proxy)
            return proxy
        except asyncio.CancelledError:
            future.cancel()  # the callers waiting for this creation start their own
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here so that an unawaited failure is not reported as lost
            raise
        finally:
            del self._creating[key]

    async def get_by_accessor(self, accessor: str, name: str) -> Proxy:
        proxy_type = self._plugins.proxy_type_for_accessor(accessor)
        if proxy_type is None:
            raise self._plugins.unavailable(accessor, f"{accessor}()")
        return await self.get_or_create(proxy_type.service_name, name)

    async def destroy_proxy(self, service_name: str, name: str) -> bool:
        existed = self._proxies.pop((service_name, name), None) is not None
        context = self.context
        assert context is not None
        await context.invocation_service.call(_DESTROY_PROXY.encode_request(name, service_name))
        return existed

    def forget(self, service_name: str, name: str) -> None:
        """Drop a cached proxy whose object another client destroyed."""
        self._proxies.pop((service_name, name), None)

    def all(self) -> list[Proxy]:
        return list(self._proxies.values())
