"""The client's plugin contract: loading, validation and how HazelcastClient exposes what plugins provide.

Only hazelcast-core is needed: installed distributions are replaced by fake ``Distribution``/``EntryPoint`` objects
in ``importlib.metadata`` (as pluggy's own tests do), so what other distributions happen to be installed does not
matter.
"""

from __future__ import annotations

import importlib.metadata
import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pluggy
import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.errors import (
    PluginFeatureUnavailableError,
    DuplicateServiceError,
    HazelcastClientNotActiveError,
    HazelcastPluginError,
    PluginNotInstalledError,
)
from hazelcast.plugin import (
    DISABLE_AUTOLOAD_ENV,
    ENTRY_POINT_GROUP,
    ClientServiceType,
    PluginManager,
    Proxy,
    ProxyContext,
    ProxyType,
    hookimpl,
)


class Widget(Proxy):
    """A proxy type only these tests provide."""


class Gadget(Proxy):
    """Another one, to tell two plugins' types apart."""


# -- fake installed distributions ---------------------------------------------------------------------------------


class FakeEntryPoint:
    """What pluggy reads from an entry point: name, group, and load()."""

    def __init__(self, name: str, plugin: object, group: str = ENTRY_POINT_GROUP) -> None:
        self.name = name
        self.group = group
        self.value = f"{name}:plugin"
        self._plugin = plugin
        self.loads = 0

    def load(self) -> object:
        self.loads += 1
        return self._plugin


class FakeDistribution:
    def __init__(self, *entry_points: Any) -> None:
        self.entry_points = entry_points
        self.metadata = {"name": entry_points[0].name if entry_points else "empty"}
        self.version = "1.0"


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``installed(dist, ...)`` makes exactly these distributions the installed ones."""
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)

    def install(*distributions: FakeDistribution) -> None:
        monkeypatch.setattr(importlib.metadata, "distributions", lambda **_: list(distributions))

    install()
    return install


def plugin_module(name: str, **hooks: Callable[[], Any]) -> types.ModuleType:
    """A plugin module whose hook implementations are ``hooks`` (marked with @hookimpl)."""
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        function.__name__ = hook_name
        setattr(module, hook_name, hookimpl(function))
    return module


def providing(*proxy_types: ProxyType) -> Callable[[], Sequence[ProxyType]]:
    return lambda: list(proxy_types)


def providing_services(*services: ClientServiceType) -> Callable[[], Sequence[ClientServiceType]]:
    return lambda: list(services)


# -- loading ------------------------------------------------------------------------------------------------------


def test_plugins_are_loaded_through_entry_points_of_their_group_only(installed: Callable[..., None]) -> None:
    widgets = plugin_module("widgets_plugin", hazelcast_proxy_types=providing(ProxyType("test:widget", Widget)))
    foreign = plugin_module("foreign_plugin", hazelcast_proxy_types=providing(ProxyType("test:gadget", Gadget)))
    widget_ep = FakeEntryPoint("widgets-dist", widgets)
    foreign_ep = FakeEntryPoint("foreign-dist", foreign, group="some.other.group")
    installed(FakeDistribution(widget_ep), FakeDistribution(foreign_ep))

    manager = PluginManager()

    assert set(manager.proxy_types) == {"test:widget"}
    assert manager.proxy_types["test:widget"].proxy_class is Widget
    # Registered under the entry point's name: the distribution's name, which error messages show.
    assert manager.pluggy_manager.get_plugin("widgets-dist") is widgets
    assert widget_ep.loads == 1 and foreign_ep.loads == 0


def test_accessor_lookup_finds_the_proxy_type_backing_a_client_method(installed: Callable[..., None]) -> None:
    module = plugin_module(
        "accessor_plugin",
        hazelcast_proxy_types=providing(
            ProxyType("test:widget", Widget, accessor="get_widget"), ProxyType("test:gadget", Gadget)
        ),
    )
    installed(FakeDistribution(FakeEntryPoint("accessor-dist", module)))

    manager = PluginManager()

    found = manager.proxy_type_for_accessor("get_widget")
    assert found is not None and found.service_name == "test:widget"
    assert manager.proxy_type_for_accessor("get_gadget") is None


@pytest.mark.parametrize("value", ["1", "yes"])
def test_env_var_disables_autoload_but_explicit_plugins_are_registered(
    installed: Callable[..., None], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    entry_point = FakeEntryPoint(
        "widgets-dist", plugin_module("widgets_plugin", hazelcast_proxy_types=providing(ProxyType("test:w", Widget)))
    )
    installed(FakeDistribution(entry_point))
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, value)
    explicit = plugin_module("explicit_plugin", hazelcast_proxy_types=providing(ProxyType("test:gadget", Gadget)))

    manager = PluginManager([explicit])

    assert set(manager.proxy_types) == {"test:gadget"}
    assert entry_point.loads == 0, "an autoload-disabled manager must not even import entry point plugins"


def test_empty_env_var_does_not_disable_autoload(installed: Callable[..., None], monkeypatch: pytest.MonkeyPatch) -> None:
    module = plugin_module("widgets_plugin", hazelcast_proxy_types=providing(ProxyType("test:w", Widget)))
    installed(FakeDistribution(FakeEntryPoint("widgets-dist", module)))
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "")

    assert set(PluginManager().proxy_types) == {"test:w"}


def test_autoload_argument_overrides_the_environment(
    installed: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = plugin_module("widgets_plugin", hazelcast_proxy_types=providing(ProxyType("test:w", Widget)))
    installed(FakeDistribution(FakeEntryPoint("widgets-dist", module)))

    assert PluginManager(autoload=False).proxy_types == {}
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    assert set(PluginManager(autoload=True).proxy_types) == {"test:w"}


def test_explicit_plugin_also_found_through_its_entry_point_counts_once(installed: Callable[..., None]) -> None:
    module = plugin_module("widgets_plugin", hazelcast_proxy_types=providing(ProxyType("test:w", Widget)))
    installed(FakeDistribution(FakeEntryPoint("widgets-dist", module)))

    manager = PluginManager([module])

    assert set(manager.proxy_types) == {"test:w"}
    assert [name for name, plugin in manager.pluggy_manager.list_name_plugin() if plugin is module] == ["widgets-dist"]


def test_misspelled_hook_fails_loudly_at_load(installed: Callable[..., None]) -> None:
    typo = plugin_module("typo_plugin", hazelcast_proxy_type=providing(ProxyType("test:w", Widget)))
    installed(FakeDistribution(FakeEntryPoint("typo-dist", typo)))

    with pytest.raises(pluggy.PluginValidationError, match="hazelcast_proxy_type"):
        PluginManager()


def test_plugin_whose_import_fails_is_not_hidden(
    installed: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real entry point whose module imports a dependency that is not installed.
    (tmp_path / "broken_hz_plugin_for_tests.py").write_text("import a_dependency_that_is_not_installed_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "broken_hz_plugin_for_tests", raising=False)
    entry_point = importlib.metadata.EntryPoint(
        name="broken-dist", value="broken_hz_plugin_for_tests", group=ENTRY_POINT_GROUP
    )
    installed(FakeDistribution(entry_point))

    with pytest.raises(ImportError) as caught:
        PluginManager()
    assert caught.value.name == "a_dependency_that_is_not_installed_xyz"


def test_plugin_raising_on_load_is_not_hidden(installed: Callable[..., None]) -> None:
    class ExplodingEntryPoint(FakeEntryPoint):
        def load(self) -> object:
            raise ImportError("cannot import name 'thing' from 'somewhere'")

    installed(FakeDistribution(ExplodingEntryPoint("exploding-dist", None)))

    with pytest.raises(ImportError, match="cannot import name 'thing'"):
        PluginManager()


# -- validation of what hooks return ------------------------------------------------------------------------------


def _two_plugins(installed: Callable[..., None], first: types.ModuleType, second: types.ModuleType) -> None:
    installed(FakeDistribution(FakeEntryPoint("first-dist", first)), FakeDistribution(FakeEntryPoint("second-dist", second)))


def test_same_service_name_from_two_plugins_is_rejected(installed: Callable[..., None]) -> None:
    _two_plugins(
        installed,
        plugin_module("a", hazelcast_proxy_types=providing(ProxyType("test:shared", Widget))),
        plugin_module("b", hazelcast_proxy_types=providing(ProxyType("test:shared", Gadget))),
    )

    with pytest.raises(DuplicateServiceError, match="'test:shared'") as caught:
        PluginManager()
    assert "first-dist" in str(caught.value) and "second-dist" in str(caught.value)
    assert isinstance(caught.value, HazelcastPluginError)


def test_same_accessor_from_two_plugins_is_rejected(installed: Callable[..., None]) -> None:
    _two_plugins(
        installed,
        plugin_module("a", hazelcast_proxy_types=providing(ProxyType("test:widget", Widget, accessor="get_thing"))),
        plugin_module("b", hazelcast_proxy_types=providing(ProxyType("test:gadget", Gadget, accessor="get_thing"))),
    )

    with pytest.raises(DuplicateServiceError, match="'get_thing'") as caught:
        PluginManager()
    assert "first-dist" in str(caught.value) and "second-dist" in str(caught.value)


def test_same_client_service_attribute_from_two_plugins_is_rejected(installed: Callable[..., None]) -> None:
    _two_plugins(
        installed,
        plugin_module("a", hazelcast_client_services=providing_services(ClientServiceType("jobs", lambda c: "a"))),
        plugin_module("b", hazelcast_client_services=providing_services(ClientServiceType("jobs", lambda c: "b"))),
    )

    with pytest.raises(DuplicateServiceError, match="'jobs'") as caught:
        PluginManager()
    assert "first-dist" in str(caught.value) and "second-dist" in str(caught.value)


def test_one_plugin_may_provide_proxies_and_services_side_by_side(installed: Callable[..., None]) -> None:
    module = plugin_module(
        "both",
        hazelcast_proxy_types=providing(ProxyType("test:widget", Widget), ProxyType("test:gadget", Gadget)),
        hazelcast_client_services=providing_services(ClientServiceType("jobs", lambda c: "jobs")),
    )
    installed(FakeDistribution(FakeEntryPoint("both-dist", module)))

    manager = PluginManager()

    assert set(manager.proxy_types) == {"test:widget", "test:gadget"}
    assert set(manager.client_services) == {"jobs"}


@pytest.mark.parametrize(
    ("hook_name", "returned"),
    [
        ("hazelcast_proxy_types", lambda: [("test:widget", Widget)]),
        ("hazelcast_proxy_types", lambda: ProxyType("test:widget", Widget)),
        ("hazelcast_proxy_types", lambda: "test:widget"),
        ("hazelcast_proxy_types", lambda: [ClientServiceType("jobs", lambda c: None)]),
        ("hazelcast_proxy_types", lambda: [ProxyType("test:widget", dict)]),  # type: ignore[arg-type]
        ("hazelcast_client_services", lambda: [ProxyType("test:widget", Widget)]),
        ("hazelcast_client_services", lambda: [ClientServiceType("jobs", "not callable")]),  # type: ignore[arg-type]
    ],
    ids=["tuple", "lone-item", "str", "service-as-proxy", "not-a-proxy-class", "proxy-as-service", "bad-factory"],
)
def test_hook_returning_a_wrong_type_raises_type_error_naming_the_plugin(
    installed: Callable[..., None], hook_name: str, returned: Callable[[], Any]
) -> None:
    installed(FakeDistribution(FakeEntryPoint("sloppy-dist", plugin_module("sloppy", **{hook_name: returned}))))

    with pytest.raises(TypeError, match="sloppy-dist"):
        PluginManager()


def test_plugin_managers_are_independent(installed: Callable[..., None]) -> None:
    widgets = plugin_module("widgets", hazelcast_proxy_types=providing(ProxyType("test:widget", Widget)))
    gadgets = plugin_module("gadgets", hazelcast_proxy_types=providing(ProxyType("test:gadget", Gadget)))

    first = PluginManager([widgets])
    second = PluginManager([gadgets])

    assert set(first.proxy_types) == {"test:widget"}
    assert set(second.proxy_types) == {"test:gadget"}
    assert first.pluggy_manager is not second.pluggy_manager
    first.pluggy_manager.unregister(widgets)
    assert second.pluggy_manager.is_registered(gadgets) and not second.pluggy_manager.is_registered(widgets)


# -- through HazelcastClient --------------------------------------------------------------------------------------


@pytest.fixture
def no_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")


class JobsPlugin:
    """A plugin object (not a module) providing a client service and a proxy type, counting the services it builds."""

    def __init__(self) -> None:
        self.contexts: list[ProxyContext] = []

    def _build(self, context: ProxyContext) -> dict[str, Any]:
        self.contexts.append(context)
        return {"built": len(self.contexts)}

    @hookimpl
    def hazelcast_client_services(self) -> list[ClientServiceType]:
        return [ClientServiceType("jobs", self._build)]

    @hookimpl
    def hazelcast_proxy_types(self) -> list[ProxyType]:
        return [ProxyType("test:widget", Widget, accessor="get_map")]


@pytest.fixture
def nothing_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if none of our proxy distributions were installed, whatever this environment holds."""
    monkeypatch.setattr("hazelcast.plugin.manager.installed_version", lambda distribution: None)


async def test_accessor_without_its_plugin_names_the_distribution_to_install(
    no_autoload: None, nothing_installed: None
) -> None:
    client = HazelcastClient()  # not started: a missing plugin is reported before the client's state

    with pytest.raises(PluginNotInstalledError, match="pip install hazelcast-collections") as caught:
        await client.get_map("x")
    assert caught.value.distribution == "hazelcast-collections"
    assert "get_map()" in str(caught.value)


async def test_accessor_with_its_plugin_on_a_client_not_started_says_the_client_is_not_active(
    no_autoload: None,
) -> None:
    client = HazelcastClient(plugins=[JobsPlugin()])

    with pytest.raises(HazelcastClientNotActiveError):
        await client.get_map("x")


async def test_client_service_without_its_plugin_names_the_distribution_to_install(
    no_autoload: None, nothing_installed: None
) -> None:
    client = HazelcastClient()

    with pytest.raises(PluginNotInstalledError, match="pip install hazelcast-cp") as caught:
        client.cp_subsystem
    assert caught.value.distribution == "hazelcast-cp"


async def test_client_service_of_an_explicit_plugin_is_an_attribute_built_once(no_autoload: None) -> None:
    plugin = JobsPlugin()
    client = HazelcastClient(plugins=[plugin])
    assert plugin.contexts == [], "a client service is built on first access, not with the client"

    jobs = client.jobs

    assert jobs == {"built": 1}
    assert client.jobs is jobs and getattr(client, "jobs") is jobs
    assert len(plugin.contexts) == 1 and plugin.contexts[0].client is client
    assert not hasattr(client, "no_such_service")
    with pytest.raises(AttributeError, match="no_such_service"):
        client.no_such_service  # noqa: B018


async def test_each_client_has_its_own_plugins(no_autoload: None) -> None:
    plugin = JobsPlugin()
    with_jobs = HazelcastClient(plugins=[plugin])
    without = HazelcastClient()

    assert with_jobs.jobs == {"built": 1}
    assert not hasattr(without, "jobs")
    # Built per client: another client with the same plugin gets its own service.
    assert HazelcastClient(plugins=[plugin]).jobs == {"built": 2}


def test_client_requires_a_running_loop(no_autoload: None) -> None:
    with pytest.raises(RuntimeError, match="running event loop"):
        HazelcastClient()


async def test_an_installed_distribution_lacking_the_accessor_is_named_with_its_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [])  # autoload on, finding no entry point
    monkeypatch.setattr(
        "hazelcast.plugin.manager.installed_version",
        lambda distribution: "0.0.1" if distribution == "hazelcast-collections" else None,
    )
    client = HazelcastClient(plugins=[JobsPlugin()])  # provides get_map only: get_queue has no plugin

    with pytest.raises(PluginFeatureUnavailableError) as caught:
        await client.get_queue("jobs")
    message = str(caught.value)
    assert "get_queue() is not provided by any installed plugin" in message
    assert "hazelcast-collections 0.1.0" not in message and "hazelcast-collections 0.0.1 is installed" in message
    assert "pip install -U hazelcast-collections" in message
    assert (caught.value.distribution, caught.value.version) == ("hazelcast-collections", "0.0.1")
    assert not isinstance(caught.value, PluginNotInstalledError), "it is installed: 'install it' would mislead"


async def test_an_installed_distribution_with_autoload_off_says_autoload_is_off(
    no_autoload: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hazelcast.plugin.manager.installed_version", lambda distribution: "0.1.0")
    client = HazelcastClient()

    with pytest.raises(PluginFeatureUnavailableError, match="autoloading is disabled") as caught:
        client.cp_subsystem
    assert caught.value.feature == "HazelcastClient.cp_subsystem"
    assert caught.value.distribution == "hazelcast-cp"
