"""A pytest plugin: an embedded Hazelcast cluster and a connected client as fixtures, with no JVM and no Docker.

Installed with hazelcast-embedded (entry point ``pytest11``), it gives every test suite these fixtures:

* ``hazelcast_cluster``: a running :class:`~hazelcast.embedded.EmbeddedCluster`, new for each test;
* ``hazelcast_client``: a started :class:`~hazelcast.asyncio.HazelcastClient` connected to it, shut down after the test;
* ``hazelcast_faults``: :class:`Faults` over that cluster: kill, restart, suspend, resume members; delay or fail
  messages.

Each test can shape its cluster with a marker; the ini options give the suite's defaults::

    @pytest.mark.hazelcast(members=3, config="tests/hazelcast.yaml", client={"smart_routing": False})
    async def test_failover(hazelcast_client, hazelcast_faults):
        orders = await hazelcast_client.get_map("orders")
        await orders.put(1, "one")
        await hazelcast_faults.kill(0)
        assert await orders.get(1) == "one"

``config`` is a member configuration in the keys of Hazelcast's own ``hazelcast.yaml`` (a file path, or a mapping);
``client`` holds keyword options of :class:`~hazelcast.config.Config`. Ini options: ``hazelcast_members`` (default 1)
and ``hazelcast_config`` (a YAML/JSON path, relative to the rootdir). The fixtures are asyncio fixtures
(pytest-asyncio), so the tests using them are ``async def``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from hazelcast.embedded.cluster import EmbeddedCluster
from hazelcast.embedded.member import EmbeddedMember

__all__ = ["Faults"]

_MARKER = "hazelcast"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("hazelcast_members", "members of the embedded cluster of the hazelcast fixtures", default="1")
    parser.addini("hazelcast_config", "member configuration file (YAML or JSON) of the hazelcast fixtures", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(members=1, config=None, client=None): shape the embedded cluster and the client of the "
        "hazelcast_cluster / hazelcast_client fixtures",
    )


def _settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(_MARKER)
    options = dict(marker.kwargs) if marker is not None else {}
    unknown = set(options) - {"members", "config", "client"}
    if unknown:
        raise pytest.UsageError(f"unknown arguments of @pytest.mark.{_MARKER}: {sorted(unknown)}")
    ini = request.config
    members = options.get("members", int(ini.getini("hazelcast_members")))
    if isinstance(members, bool) or not isinstance(members, int) or members < 1:
        raise pytest.UsageError(f"@pytest.mark.{_MARKER}(members=...) needs an int >= 1, got {members!r}")
    config: Any = options.get("config")
    if config is None and ini.getini("hazelcast_config"):
        config = Path(str(ini.rootpath)) / str(ini.getini("hazelcast_config"))
    client = options.get("client") or {}
    if not isinstance(client, Mapping):
        raise pytest.UsageError(f"@pytest.mark.{_MARKER}(client=...) needs a mapping of Config options")
    return {"members": members, "config": config, "client": dict(client)}


@pytest_asyncio.fixture
async def hazelcast_cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    """A running embedded cluster for this test (see the module doc for the marker and ini options)."""
    settings = _settings(request)
    async with EmbeddedCluster(member_count=settings["members"], config=settings["config"]) as cluster:
        yield cluster


@pytest_asyncio.fixture
async def hazelcast_client(request: pytest.FixtureRequest, hazelcast_cluster: EmbeddedCluster) -> AsyncIterator[Any]:
    """A client connected to ``hazelcast_cluster``, shut down after the test."""
    from hazelcast.asyncio import HazelcastClient

    options = {
        "cluster_members": list(hazelcast_cluster.addresses),
        "cluster_name": hazelcast_cluster.cluster_name,
        "cluster_connect_timeout": 10,
        **_settings(request)["client"],
    }
    client = await HazelcastClient.create_and_start(**options)
    try:
        yield client
    finally:
        await client.shutdown()


class Faults:
    """Fault injection on an embedded cluster, by member number (``cluster.members[n]``)."""

    def __init__(self, cluster: EmbeddedCluster) -> None:
        self.cluster = cluster

    def _member(self, number: int) -> EmbeddedMember:
        members = self.cluster.members
        if not 0 <= number < len(members):
            raise IndexError(f"no member {number}; members are 0..{len(members) - 1}")
        return members[number]

    async def kill(self, number: int) -> None:
        """Crash member ``number``: connections drop, its replicas are lost and backups take over."""
        await self.cluster.kill_member(self._member(number))

    async def restart(self, number: int) -> None:
        """Start member ``number`` again (killed first if it runs), with a new identity on its port."""
        await self.cluster.restart_member(self._member(number))

    async def shutdown(self, number: int) -> None:
        """Let member ``number`` leave gracefully, handing its data over."""
        await self.cluster.shutdown_member(self._member(number))

    async def add(self) -> EmbeddedMember:
        """Start one more member; partitions migrate to it."""
        return await self.cluster.add_member()

    def suspend(self, number: int) -> None:
        """Member ``number`` keeps its connections but stops answering (a hung process)."""
        self._member(number).suspend()

    def resume(self, number: int) -> None:
        """Member ``number`` answers again, starting with what it held back."""
        self._member(number).resume()

    def drop_connections(self, number: int) -> None:
        """Member ``number`` closes its client connections (the clients reconnect)."""
        self._member(number).drop_connections()

    def delay(self, message: str, seconds: float) -> None:
        """Every member answers ``message`` (``"Map.get"``) ``seconds`` late."""
        self.cluster.delay_responses(message, seconds)

    def fail(self, message: str, error_code: int, text: str | None = None) -> None:
        """Every member answers ``message`` with the protocol error ``error_code``."""
        self.cluster.fail_requests(message, error_code, text)

    def clear(self) -> None:
        """Remove every injected delay and failure."""
        self.cluster.clear_faults()


@pytest.fixture
def hazelcast_faults(hazelcast_cluster: EmbeddedCluster) -> Faults:
    """:class:`Faults` over ``hazelcast_cluster``."""
    return Faults(hazelcast_cluster)
