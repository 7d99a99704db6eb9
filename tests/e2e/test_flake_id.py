"""FlakeIdGenerator against 1 and 3 embedded members: batches, prefetch settings, uniqueness and id layout."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from hazelcast.collections.flake_id_generator import flake_id_config_for
from hazelcast.config import FlakeIdGeneratorConfig
from hazelcast.embedded import EmbeddedCluster

from .collection_helpers import cluster  # noqa: F401  (fixture)
from .conftest import running_client

_EPOCH_2018_MS = 1514764800000


def _layout(flake_id: int) -> tuple[int, int, int]:
    """(timestamp ms since 2018, sequence, node id) of an id with Hazelcast's default layout."""
    return flake_id >> 22, (flake_id >> 16) & 0x3F, flake_id & 0xFFFF


async def test_ids_are_unique_and_increase_per_node_across_clients(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as first, running_client(cluster) as second:
        generators = [await first.get_flake_id_generator("ids"), await second.get_flake_id_generator("ids")]
        ids = await asyncio.gather(*(generators[i % 2].new_id() for i in range(500)))
    assert len(set(ids)) == 500
    for client_index in range(2):
        # What one client got from one member node, in the order it got them, only increases.
        by_node: dict[int, list[int]] = {}
        for flake_id in ids[client_index::2]:
            by_node.setdefault(_layout(flake_id)[2], []).append(flake_id)
        for node_ids in by_node.values():
            assert node_ids == sorted(node_ids)
    now_ms = time.time() * 1000 - _EPOCH_2018_MS
    for flake_id in ids:
        timestamp, _, node_id = _layout(flake_id)
        assert abs(timestamp - now_ms) < 60_000, "41-bit timestamp since 2018-01-01"
        assert node_id < len(cluster.members)


async def test_prefetch_count_sets_the_batch_size(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster, flake_id_generators={"small-*": {"prefetch_count": 3}}) as client:
        gen = await client.get_flake_id_generator("small-one")
        batches: list[int] = []
        original = gen._call

        def counting_call(*args: Any, **kwargs: Any) -> Any:
            batches.append(1)
            return original(*args, **kwargs)

        gen._call = counting_call
        ids = [await gen.new_id() for _ in range(7)]
        assert len(batches) == 3, "3 + 3 + 1 ids need three batches"
        assert len(set(ids)) == 7
        # Within a batch, ids of one node step by 1 << 16.
        assert ids[1] - ids[0] == 1 << 16


async def test_prefetch_validity_drops_old_batches(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster, flake_id_generators={"short": {"prefetch_validity": 0.05}}) as client:
        gen = await client.get_flake_id_generator("short")
        calls: list[int] = []
        original = gen._call
        gen._call = lambda *a, **k: calls.append(1) or original(*a, **k)
        await gen.new_id()
        await gen.new_id()
        assert len(calls) == 1
        await asyncio.sleep(0.1)
        await gen.new_id()
        assert len(calls) == 2, "the expired batch was dropped and a new one fetched"
        assert gen._remaining == 99


async def test_concurrent_callers_share_one_batch_request(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster, flake_id_generators={"default": {"prefetch_count": 50}}) as client:
        gen = await client.get_flake_id_generator("shared")
        calls: list[int] = []
        original = gen._call
        gen._call = lambda *a, **k: calls.append(1) or original(*a, **k)
        ids = await asyncio.gather(*(gen.new_id() for _ in range(40)))
        assert len(set(ids)) == 40 and len(calls) == 1


def test_client_config_lookup_by_wildcard() -> None:
    exact = FlakeIdGeneratorConfig.from_dict({"prefetch_count": 1})
    wide = FlakeIdGeneratorConfig.from_dict({"prefetch_count": 2})
    narrow = FlakeIdGeneratorConfig.from_dict({"prefetch_count": 3})
    default = FlakeIdGeneratorConfig.from_dict({"prefetch_count": 4})
    configs = {"orders": exact, "o*": wide, "ord*-ids": narrow, "default": default}
    assert flake_id_config_for(configs, "orders") is exact
    assert flake_id_config_for(configs, "orders@key") is exact
    assert flake_id_config_for(configs, "ordering-ids") is narrow
    assert flake_id_config_for(configs, "other") is wide
    assert flake_id_config_for(configs, "x") is default
    assert flake_id_config_for({}, "x").prefetch_count == 100


async def test_member_settings_change_the_layout() -> None:
    config = {"flake-id-generator": {"custom*": {"bits-sequence": 4, "bits-node-id": 8, "node-id-offset": 5,
                                                 "epoch-start": _EPOCH_2018_MS + 1000}}}
    async with EmbeddedCluster(member_count=1, config=config) as cluster1:
        async with running_client(cluster1, flake_id_generators={"custom*": {"prefetch_count": 2}}) as client:
            gen = await client.get_flake_id_generator("custom-1")
            first, second = await gen.new_id(), await gen.new_id()
    assert first & 0xFF == 5, "node id 0 + offset 5 in 8 bits"
    assert second - first == 1 << 8


async def test_invalid_member_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        EmbeddedCluster(config={"flake-id-generator": {"x": {"bits-sequence": 40, "bits-node-id": 30}}})
