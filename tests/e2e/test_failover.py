"""Blue/green failover: a client moves to the next cluster of its list when it loses the one it uses."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import ClientFailoverConfig, Config
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import IllegalStateError, InvalidConfigurationError
from hazelcast.lifecycle import LifecycleState

from .conftest import wait_until


def _config(cluster_name: str, addresses: list[str], states: list[str] | None = None) -> Config:
    config = Config()
    config.cluster_name = cluster_name
    config.cluster_members = addresses
    config.cluster_connect_timeout = 1.0
    config.retry_initial_backoff = 0.05
    config.retry_max_backoff = 0.1
    if states is not None:
        config.lifecycle_listeners = [states.append]
    return config


@pytest.fixture
async def blue() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=2, config={"cluster-name": "blue"}) as cluster:
        yield cluster


@pytest.fixture
async def green() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=2, config={"cluster-name": "green"}) as cluster:
        yield cluster


async def test_losing_the_blue_cluster_moves_the_client_to_green(blue: EmbeddedCluster, green: EmbeddedCluster) -> None:
    states: list[str] = []
    events: list[str] = []
    failover = ClientFailoverConfig(
        [_config("blue", blue.addresses, states), _config("green", green.addresses)], try_count=2
    )
    client = await HazelcastClient.create_and_start(failover)
    try:
        await client.add_distributed_object_listener(lambda event: events.append(event.name))
        on_blue = await client.get_map("orders")
        await on_blue.put("k", "blue")
        assert {m.uuid for m in client.cluster_service.get_members()} == {m.uuid for m in blue.members}

        await blue.shutdown()
        await wait_until(lambda: LifecycleState.CHANGED_CLUSTER in states, timeout=15, what="moved to green")
        await wait_until(lambda: states[-1] == LifecycleState.CONNECTED, what="connected to green")
        assert states[3:] == [LifecycleState.DISCONNECTED, LifecycleState.CHANGED_CLUSTER, LifecycleState.CONNECTED]
        await wait_until(
            lambda: {m.uuid for m in client.cluster_service.get_members()} == {m.uuid for m in green.members},
            what="green's member list",
        )
        on_green = await client.get_map("orders")
        assert await on_green.get("k") is None, "green is another cluster: blue's data is not there"
        await on_green.put("k", "green")
        assert await on_green.get("k") == "green"
        # The listener was registered on green too.
        await client.get_map("created-on-green")
        await wait_until(lambda: "created-on-green" in events, what="an event from green")
    finally:
        await client.shutdown()


async def test_a_cluster_that_refuses_the_client_is_skipped(green: EmbeddedCluster) -> None:
    states: list[str] = []
    # The first entry names a cluster the members at that address do not belong to.
    failover = ClientFailoverConfig([_config("blue", green.addresses, states), _config("green", green.addresses)])
    client = await HazelcastClient.create_and_start(failover)
    try:
        assert states == [LifecycleState.STARTING, LifecycleState.STARTED, LifecycleState.CONNECTED]
        m = await client.get_map("m")
        await m.put(1, 1)
        assert client._connections.clusters.current.cluster_name == "green"
    finally:
        await client.shutdown()


async def test_the_client_gives_up_after_try_count_rounds() -> None:
    failover = ClientFailoverConfig(
        [_config("blue", ["127.0.0.1:1"]), _config("green", ["127.0.0.1:2"])], try_count=1
    )
    with pytest.raises(IllegalStateError, match="cluster 'green'"):
        await HazelcastClient.create_and_start(failover)


async def test_failover_configurations_are_validated() -> None:
    with pytest.raises(InvalidConfigurationError, match="at least one"):
        HazelcastClient(ClientFailoverConfig())
    differing = _config("green", ["127.0.0.1:5702"])
    differing.smart_routing = False
    with pytest.raises(InvalidConfigurationError, match="'smart_routing'"):
        HazelcastClient(ClientFailoverConfig([_config("blue", ["127.0.0.1:5701"]), differing]))
    with pytest.raises(InvalidConfigurationError, match="not both"):
        HazelcastClient(ClientFailoverConfig([Config()]), cluster_name="x")
    with pytest.raises(ValueError):
        ClientFailoverConfig([Config()], try_count=0)
    with pytest.raises(TypeError):
        ClientFailoverConfig(["not a config"])  # type: ignore[list-item]
