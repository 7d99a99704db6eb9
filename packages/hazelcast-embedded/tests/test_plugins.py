"""The member-side plugin contract: loading, autoload switch, validation, and a third-party service end to end."""

from __future__ import annotations

import asyncio
import importlib.metadata
from dataclasses import dataclass
from typing import Any

import pluggy
import pytest

from hazelcast.embedded import (
    PENDING,
    DuplicateConfigSectionError,
    DuplicateHandlerError,
    EmbeddedCluster,
    EmbeddedPluginManager,
    MemberRequest,
    MemberServiceSpec,
    StructureConfigSpec,
    UnknownMessageError,
    client_service,
    hookimpl,
)
from hazelcast.embedded import _plugin as own_plugin
from hazelcast.embedded.plugins import DISABLE_AUTOLOAD_ENV


class _ServicePlugin:
    def __init__(self, *services: MemberServiceSpec, sections: tuple[StructureConfigSpec, ...] = ()) -> None:
        self._services = services
        self._sections = sections

    @hookimpl
    def hazelcast_embedded_services(self) -> tuple[MemberServiceSpec, ...]:
        return self._services

    @hookimpl
    def hazelcast_embedded_structure_configs(self) -> tuple[StructureConfigSpec, ...]:
        return self._sections


@dataclass(frozen=True)
class _QueueSettings:
    capacity: int = 10


def test_own_map_service_is_loaded_through_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DISABLE_AUTOLOAD_ENV, raising=False)
    manager = EmbeddedPluginManager(builtin=(client_service,))
    assert "Map.put" in manager.handlers and "Client.authentication" in manager.handlers
    assert manager.pluggy_manager.get_plugin("hazelcast-embedded") is own_plugin
    assert "map" in manager.structure_configs


def test_autoload_can_be_disabled_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    manager = EmbeddedPluginManager(builtin=(client_service,))
    assert "Map.put" not in manager.handlers
    assert "Client.ping" in manager.handlers
    explicit = EmbeddedPluginManager([own_plugin], builtin=(client_service,))
    assert "Map.put" in explicit.handlers


def test_explicit_plugin_already_loaded_by_entry_point_is_not_a_duplicate() -> None:
    manager = EmbeddedPluginManager([own_plugin], autoload=True)
    assert "Map.get" in manager.handlers


def test_duplicate_handler_is_a_named_error() -> None:
    rogue = _ServicePlugin(MemberServiceSpec("RogueMap", {"Map.put": lambda request: None}))
    with pytest.raises(DuplicateHandlerError, match="'Map.put'.*'Map'.*'RogueMap'"):
        EmbeddedPluginManager([rogue], autoload=True)


def test_handler_for_an_unknown_message_is_rejected() -> None:
    plugin = _ServicePlugin(MemberServiceSpec("Odd", {"Map.frobnicate": lambda request: None}))
    with pytest.raises(UnknownMessageError, match="Map.frobnicate"):
        EmbeddedPluginManager([plugin], autoload=False)


def test_duplicate_config_section_is_a_named_error() -> None:
    plugin = _ServicePlugin(sections=(StructureConfigSpec("map", _QueueSettings),))
    with pytest.raises(DuplicateConfigSectionError, match="'map'"):
        EmbeddedPluginManager([plugin], autoload=True)


def test_misspelled_hook_fails_loudly() -> None:
    class Misspelled:
        @hookimpl
        def hazelcast_embedded_servics(self) -> tuple[()]:
            return ()

    with pytest.raises(pluggy.PluginValidationError):
        EmbeddedPluginManager([Misspelled()], autoload=False)


class _FakeEntryPoint:
    def __init__(self, name: str, loader: Any) -> None:
        self.name = name
        self.group = "hazelcast.embedded.plugins"
        self.value = f"fake:{name}"
        self._loader = loader

    def load(self) -> Any:
        return self._loader()


class _FakeDistribution:
    def __init__(self, entry_point: _FakeEntryPoint) -> None:
        self.entry_points = [entry_point]
        self.metadata = {"name": entry_point.name}


def test_entry_point_plugins_of_other_distributions_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = _ServicePlugin(MemberServiceSpec("Queue", {"Queue.size": lambda request: 0}))
    fake = _FakeDistribution(_FakeEntryPoint("hazelcast-fake-queue", lambda: plugin))
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: iter([fake]))
    manager = EmbeddedPluginManager(autoload=True)
    assert "Queue.size" in manager.handlers


def test_import_errors_of_plugins_are_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Any:
        raise ImportError("plugin module is broken")

    fake = _FakeDistribution(_FakeEntryPoint("hazelcast-broken", broken))
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: iter([fake]))
    with pytest.raises(ImportError, match="broken"):
        EmbeddedPluginManager(autoload=True)


async def test_third_party_service_with_config_and_late_answers(connect) -> None:
    queue_service = "hz:impl:queueService"

    partitions: list[int] = []

    def size(request: MemberRequest) -> int:
        partitions.append(request.partition_id)
        return request.cluster.structure_configs.lookup("queue", request.params).capacity

    item = b"\x00\x00\x00\x00\xff\xff\xff\xf9\x00\x00\x00\x05"

    def poll(request: MemberRequest) -> object:
        asyncio.get_running_loop().call_later(0.05, request.respond, item)
        return PENDING

    plugin = _ServicePlugin(
        MemberServiceSpec("Queue", {"Queue.size": size, "Queue.poll": poll}, object_service_names=(queue_service,)),
        sections=(StructureConfigSpec("queue", _QueueSettings),),
    )
    # Without autoload: the member's own Queue service would otherwise handle the same messages.
    async with EmbeddedCluster(config={"queue": {"jobs-*": {"capacity": 42}}}, plugins=[plugin], autoload=False) as cluster:
        client = await connect(cluster.addresses[0])
        await client.call("Client.createProxy", "jobs-1", queue_service)
        assert await client.call("Queue.size", "jobs-1") == 42
        assert await client.call("Queue.size", "other") == 10
        # Sent without a partition id, a name-partitioned request runs in the partition of its name.
        assert partitions == [cluster.name_partition_id("jobs-1"), cluster.name_partition_id("other")]
        assert await client.call("Queue.poll", "jobs-1", 1000) == item


async def test_each_cluster_has_its_own_plugin_manager() -> None:
    first = EmbeddedCluster(autoload=False)
    second = EmbeddedCluster(plugins=[_ServicePlugin(MemberServiceSpec("Queue", {"Queue.size": lambda r: 0}))],
                             autoload=False)
    assert first.plugins is not second.plugins
    assert 0x030300 not in first.routes
    assert 0x030300 in second.routes
