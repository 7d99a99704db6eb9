"""Plugin loading shared by every plugin host of the project (the client's and the embedded member's managers).

Both hosts follow one recipe: a fresh pluggy manager (never a module-level one), built-in plugins, then the entry
points of the host's group unless autoload is off (an argument, else an environment variable), then plugins passed
explicitly, then ``check_pending()`` so a misspelled hook fails loudly. Hooks return sequences of data items;
:func:`hook_items` flattens them and names the plugin of each.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from types import ModuleType

import pluggy

__all__ = ["hook_items", "load_plugin_manager"]


def load_plugin_manager(
    project_name: str,
    hookspecs: ModuleType,
    entry_point_group: str,
    disable_autoload_env: str,
    plugins: Iterable[object] = (),
    autoload: bool | None = None,
    builtin: Iterable[object] = (),
) -> pluggy.PluginManager:
    """A new, checked plugin manager holding ``builtin``, the group's entry points and ``plugins``."""
    manager = pluggy.PluginManager(project_name)
    manager.add_hookspecs(hookspecs)
    for plugin in builtin:
        manager.register(plugin, name=_module_name(plugin))
    if autoload is None:
        autoload = not os.environ.get(disable_autoload_env)
    if autoload:
        manager.load_setuptools_entrypoints(entry_point_group)
    for plugin in plugins:
        # A module passed explicitly that an entry point loaded already is the same plugin, not a second one
        # (pluggy would refuse to register it again).
        if not manager.is_registered(plugin):
            manager.register(plugin, name=_module_name(plugin))
    manager.check_pending()
    return manager


def hook_items(manager: pluggy.PluginManager, hook_name: str) -> list[tuple[str, object]]:
    """(plugin name, item) for every item that every implementation of ``hook_name`` returned."""
    out: list[tuple[str, object]] = []
    for impl in getattr(manager.hook, hook_name).get_hookimpls():
        items = impl.function()
        if items is None:
            continue
        # A lone item instead of a sequence is the likely slip; say so rather than "object is not iterable".
        if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
            raise TypeError(f"plugin {impl.plugin_name!r} returned {items!r} from {hook_name}, not a sequence of items")
        out.extend((impl.plugin_name, item) for item in items)
    return out


def _module_name(plugin: object) -> str | None:
    # Modules register under their import name, so the same module given twice is recognised.
    return plugin.__name__ if isinstance(plugin, ModuleType) else None
