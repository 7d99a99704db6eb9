"""PNCounter against 1 and 3 embedded members: every method, replica selection, session guarantees, reset."""

from __future__ import annotations

from typing import Any

import pytest

import hazelcast.embedded.pncounter.service as pn_service
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import ConsistencyLostError

from .collection_helpers import client, cluster  # noqa: F401  (fixtures)
from .conftest import running_client


async def test_every_method(client: Any) -> None:
    c = await client.get_pn_counter("ops")
    assert await c.get() == 0
    assert await c.get_and_add(5) == 0
    assert await c.add_and_get(3) == 8
    assert await c.get_and_subtract(2) == 8
    assert await c.subtract_and_get(1) == 5
    assert await c.get_and_increment() == 5
    assert await c.increment_and_get() == 7
    assert await c.get_and_decrement() == 7
    assert await c.decrement_and_get() == 5
    assert await c.add_and_get(-10) == -5
    assert await c.get() == -5


async def test_bad_input(client: Any) -> None:
    c = await client.get_pn_counter("bad")
    with pytest.raises(TypeError):
        await c.add_and_get(1.5)
    with pytest.raises(TypeError):
        await c.get_and_subtract(None)
    with pytest.raises(ValueError):
        await c.add_and_get(2**63)
    assert await c.get() == 0


async def test_the_session_carries_the_vector_clock(client: Any) -> None:
    c = await client.get_pn_counter("clocked")
    await c.add_and_get(2)
    assert c._observed and all(timestamp >= 1 for timestamp in c._observed.values())
    c.reset()
    assert c._observed == {}
    assert await c.get() == 2


async def test_replicas_converge_and_clients_spread_over_them(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as first, running_client(cluster) as second:
        a = await first.get_pn_counter("shared")
        b = await second.get_pn_counter("shared")
        for _ in range(5):
            await a.increment_and_get()
            await b.add_and_get(10)
        pn_service.replicate_counters(cluster)
        a.reset()
        b.reset()
        assert await a.get() == 55 and await b.get() == 55


async def test_consistency_lost_when_no_replica_saw_our_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Replication held back: the only replica that saw the write is the one the client used.
    monkeypatch.setattr(pn_service, "replicate_counters", lambda cluster: None)
    async with EmbeddedCluster(member_count=3) as cluster3:
        async with running_client(cluster3) as client:
            c = await client.get_pn_counter("fragile")
            await c.add_and_get(7)
            used = next(m for m in cluster3.live_members if m.uuid == c._target.uuid)
            await used.kill()
            with pytest.raises(ConsistencyLostError):
                await c.get()
            c.reset()
            assert await c.get() == 0, "a new session reads a replica that never saw the lost member's write"


async def test_a_failed_replica_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    async with EmbeddedCluster(member_count=3) as cluster3:
        async with running_client(cluster3) as client:
            c = await client.get_pn_counter("failover")
            await c.add_and_get(1)
            pn_service.replicate_counters(cluster3)
            used = next(m for m in cluster3.live_members if m.uuid == c._target.uuid)
            await used.kill()
            assert await c.increment_and_get() == 2
            assert c._target.uuid != used.uuid


async def test_replica_count_limits_the_replicas() -> None:
    config = {"pn-counter": {"narrow-*": {"replica-count": 1}}}
    async with EmbeddedCluster(member_count=3, config=config) as cluster3:
        async with running_client(cluster3) as client:
            c = await client.get_pn_counter("narrow-one")
            first_member = client.cluster_service.get_members()[0]
            for _ in range(5):
                await c.increment_and_get()
                c._target = None
                await c.get()
                assert c._target.uuid == first_member.uuid
