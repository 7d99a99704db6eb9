"""The embedded member's plugin manager: loads plugins, validates what their hooks return, exposes it typed.

One manager per :class:`~hazelcast.embedded.EmbeddedCluster`; there is no module-level manager, so clusters in one
process never share plugin state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pluggy
import structlog

from hazelcast.embedded import hookspecs
from hazelcast.embedded.spec import Handler, MemberServiceSpec, ServerClass, StructureConfigSpec
from hazelcast.errors import HazelcastPluginError
from hazelcast.plugin.loading import hook_items, load_plugin_manager
from hazelcast.protocol import MethodCodec, method

__all__ = [
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "DuplicateConfigSectionError",
    "DuplicateHandlerError",
    "DuplicateServerClassError",
    "EmbeddedPluginManager",
    "UnknownMessageError",
]

ENTRY_POINT_GROUP = "hazelcast.embedded.plugins"
#: Set (to any non-empty value) to stop the member from loading plugins through entry points. Plugins passed to the
#: cluster explicitly, and the built-in Client service, are still registered.
DISABLE_AUTOLOAD_ENV = "HAZELCAST_EMBEDDED_DISABLE_PLUGIN_AUTOLOAD"

_logger = structlog.get_logger("hazelcast.embedded")


class DuplicateHandlerError(HazelcastPluginError):
    """Two member-side services register a handler for the same protocol message."""


class DuplicateConfigSectionError(HazelcastPluginError):
    """Two plugins declare the same data-structure configuration section."""


class DuplicateServerClassError(HazelcastPluginError):
    """Two plugins provide a server class for the same factory and class id."""


class UnknownMessageError(HazelcastPluginError):
    """A service registers a handler for a message the protocol catalogue does not know."""


class EmbeddedPluginManager:
    """A pluggy manager plus the validated services, handlers and config sections its plugins provide.

    ``builtin`` plugins are always registered (the member's own Client service); entry points of group
    ``hazelcast.embedded.plugins`` are loaded unless ``autoload`` is False, or it is None and
    ``HAZELCAST_EMBEDDED_DISABLE_PLUGIN_AUTOLOAD`` is set; ``plugins`` are registered after them.
    """

    def __init__(
        self,
        plugins: Iterable[object] = (),
        autoload: bool | None = None,
        builtin: Iterable[object] = (),
    ) -> None:
        self._pm = load_plugin_manager(
            hookspecs.PROJECT_NAME, hookspecs, ENTRY_POINT_GROUP, DISABLE_AUTOLOAD_ENV, plugins, autoload, builtin
        )
        _logger.debug("member.plugins.loaded", plugins=sorted(name for name, _ in self._pm.list_name_plugin()))
        self.services: tuple[MemberServiceSpec, ...] = self._collect_services()
        self.handlers: dict[str, tuple[MethodCodec, Handler, MemberServiceSpec]] = self._collect_handlers()
        self.structure_configs: dict[str, StructureConfigSpec] = self._collect_structure_configs()
        self.object_service_names: dict[str, MemberServiceSpec] = self._collect_object_services()
        #: ``{factory_id: {class_id: factory}}`` of every server class, in the shape serialization takes.
        self.server_classes: dict[int, dict[int, Callable[[], Any]]] = self._collect_server_classes()

    @property
    def pluggy_manager(self) -> pluggy.PluginManager:
        return self._pm

    def _results(self, hook_name: str) -> list[tuple[str, object]]:
        return hook_items(self._pm, hook_name)

    def _collect_services(self) -> tuple[MemberServiceSpec, ...]:
        services = []
        for plugin, item in self._results("hazelcast_embedded_services"):
            if not isinstance(item, MemberServiceSpec):
                raise TypeError(
                    f"plugin {plugin!r} returned {item!r} from hazelcast_embedded_services, not a MemberServiceSpec"
                )
            services.append(item)
        return tuple(services)

    def _collect_handlers(self) -> dict[str, tuple[MethodCodec, Handler, MemberServiceSpec]]:
        handlers: dict[str, tuple[MethodCodec, Handler, MemberServiceSpec]] = {}
        for service in self.services:
            for message_name, handler in service.handlers.items():
                try:
                    codec = method(message_name)
                except KeyError as error:
                    raise UnknownMessageError(
                        f"service {service.name!r} handles {message_name!r}, which the protocol does not define"
                    ) from error
                existing = handlers.get(message_name)
                if existing is not None:
                    raise DuplicateHandlerError(
                        f"message {message_name!r} is handled by both service {existing[2].name!r} "
                        f"and service {service.name!r}"
                    )
                handlers[message_name] = (codec, handler, service)
        return handlers

    def _collect_structure_configs(self) -> dict[str, StructureConfigSpec]:
        sections: dict[str, StructureConfigSpec] = {}
        owners: dict[str, str] = {}
        for plugin, item in self._results("hazelcast_embedded_structure_configs"):
            if not isinstance(item, StructureConfigSpec):
                raise TypeError(
                    f"plugin {plugin!r} returned {item!r} from hazelcast_embedded_structure_configs, "
                    "not a StructureConfigSpec"
                )
            if item.section in sections:
                raise DuplicateConfigSectionError(
                    f"configuration section {item.section!r} is declared by both {owners[item.section]!r} "
                    f"and {plugin!r}"
                )
            sections[item.section] = item
            owners[item.section] = plugin
        return sections

    def _collect_object_services(self) -> dict[str, MemberServiceSpec]:
        by_name: dict[str, MemberServiceSpec] = {}
        for service in self.services:
            for object_service in service.object_service_names:
                existing = by_name.get(object_service)
                if existing is not None:
                    raise DuplicateHandlerError(
                        f"distributed-object service {object_service!r} is claimed by both {existing.name!r} "
                        f"and {service.name!r}"
                    )
                by_name[object_service] = service
        return by_name

    def _collect_server_classes(self) -> dict[int, dict[int, Callable[[], Any]]]:
        factories: dict[int, dict[int, Callable[[], Any]]] = {}
        owners: dict[tuple[int, int], str] = {}
        for plugin, item in self._results("hazelcast_embedded_server_classes"):
            if not isinstance(item, ServerClass):
                raise TypeError(
                    f"plugin {plugin!r} returned {item!r} from hazelcast_embedded_server_classes, not a ServerClass"
                )
            ids = (item.factory_id, item.class_id)
            if ids in owners:
                raise DuplicateServerClassError(
                    f"factory id {item.factory_id}, class id {item.class_id} is provided by both {owners[ids]!r} "
                    f"and {plugin!r}"
                )
            owners[ids] = plugin
            factories.setdefault(item.factory_id, {})[item.class_id] = item.factory
        return factories
