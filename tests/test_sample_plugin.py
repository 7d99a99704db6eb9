"""The sample third-party plugin end to end: found through entry points alone, on the client and on the member.

No test here registers anything: the client finds ``hazelcast_sample_plugin.plugin`` through the ``hazelcast.plugins``
entry point and the embedded member finds ``hazelcast_sample_plugin.member`` through ``hazelcast.embedded.plugins``,
exactly as they would find a distribution installed from an index.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import DistributedObjectInfo
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import InvalidConfigurationError
from hazelcast_sample_plugin.member import EstimatorState
from hazelcast_sample_plugin.plugin import CardinalityEstimator, hash64

SERVICE = "hz:impl:cardinalityEstimatorService"
DISTRIBUTION = "hazelcast-sample-plugin"


@pytest.fixture(autouse=True)
def _autoload_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests are about autoloading; an environment that switched it off must not turn them into false failures.
    monkeypatch.delenv("HAZELCAST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.delenv("HAZELCAST_EMBEDDED_DISABLE_PLUGIN_AUTOLOAD", raising=False)


@contextlib.asynccontextmanager
async def connected(cluster: EmbeddedCluster) -> AsyncIterator[HazelcastClient]:
    client = await HazelcastClient.create_and_start(
        cluster_members=list(cluster.addresses), cluster_connect_timeout=10, retry_initial_backoff=0.05
    )
    try:
        yield client
    finally:
        await client.shutdown()


async def test_proxy_found_through_entry_points_counts_distinct_objects_and_is_destroyed() -> None:
    async with EmbeddedCluster(member_count=1) as cluster, connected(cluster) as client:
        assert cluster.plugins.pluggy_manager.has_plugin(DISTRIBUTION)

        estimator = await client.get_distributed_object(SERVICE, "x")
        assert isinstance(estimator, CardinalityEstimator)
        assert estimator.name == "x" and estimator.service_name == SERVICE
        assert await client.get_distributed_object(SERVICE, "x") is estimator
        assert DistributedObjectInfo(SERVICE, "x") in await client.get_distributed_objects()

        assert await estimator.estimate() == 0
        for value in range(100):
            await estimator.add(value)
        for value in (0, 1, 99, "text", "text", b"bytes", 1.5):
            await estimator.add(value)
        # 100 ints, one str, one bytes, one float: equal objects count once.
        assert await estimator.estimate() == 103
        with pytest.raises(ValueError):
            await estimator.add(None)

        other = await client.get_distributed_object(SERVICE, "y")
        assert other is not estimator
        await other.add("only")
        assert await other.estimate() == 1 and await estimator.estimate() == 103

        assert await estimator.destroy() is True
        assert DistributedObjectInfo(SERVICE, "x") not in await client.get_distributed_objects()
        again = await client.get_distributed_object(SERVICE, "x")
        assert again is not estimator
        assert await again.estimate() == 0, "destroy drops the estimator's data on the member"
        assert await other.estimate() == 1, "destroying one estimator leaves the others alone"


async def test_distinct_hashes_survive_the_death_of_the_owner_through_the_backup() -> None:
    async with EmbeddedCluster(member_count=2) as cluster, connected(cluster) as client:
        estimator = await client.get_distributed_object(SERVICE, "visits")
        for value in range(50):
            await estimator.add(f"user-{value}")
        partition_id = await client.partition_service.get_partition_id("visits")
        owner, backup = cluster.replicas_of(partition_id)[:2]
        backup_state = backup.partitions[partition_id][(SERVICE, "visits")]
        assert len(backup_state.hashes) == 50

        await owner.kill()
        assert await estimator.estimate() == 50
        await estimator.add("user-0")
        await estimator.add("user-50")
        assert await estimator.estimate() == 51


async def test_cardinality_estimator_section_of_the_member_config_sets_the_backup_count() -> None:
    config = {"cardinality-estimator": {"solo-*": {"backup-count": 0}}}
    async with EmbeddedCluster(member_count=2, config=config) as cluster, connected(cluster) as client:
        for name in ("solo-1", "kept"):
            estimator = await client.get_distributed_object(SERVICE, name)
            await estimator.add("a")
            await estimator.add("b")
        for name, backups in (("solo-1", 0), ("kept", 1)):
            partition_id = await client.partition_service.get_partition_id(name)
            owner, backup = cluster.replicas_of(partition_id)[:2]
            owner_state = owner.partitions[partition_id][(SERVICE, name)]
            assert isinstance(owner_state, EstimatorState)
            assert owner_state.backup_count == backups and len(owner_state.hashes) == 2
            backup_state = backup.partitions[partition_id].get((SERVICE, name))
            if backups:
                assert backup_state is not None and backup_state.hashes == owner_state.hashes
                assert backup_state.hashes is not owner_state.hashes
            else:
                assert backup_state is None


def test_member_config_rejects_an_invalid_estimator_setting() -> None:
    with pytest.raises(InvalidConfigurationError, match="backup-count"):
        EmbeddedCluster(config={"cardinality-estimator": {"x": {"backup-count": 7}}})
    with pytest.raises(InvalidConfigurationError, match="unknown setting"):
        EmbeddedCluster(config={"cardinality-estimator": {"x": {"precision": 14}}})


def test_client_side_loads_without_the_embedded_member_and_hashes_stably() -> None:
    # A fresh interpreter in which hazelcast.embedded cannot be imported (as when the "member" extra is not
    # installed), and with another str/bytes hash seed than this process.
    script = textwrap.dedent(
        """
        import sys
        sys.modules["hazelcast.embedded"] = None
        from hazelcast.plugin import PluginManager
        from hazelcast.serialization import SerializationService
        from hazelcast.config import Config
        from hazelcast_sample_plugin.plugin import CardinalityEstimator, hash64

        manager = PluginManager()
        assert manager.proxy_types["hz:impl:cardinalityEstimatorService"].proxy_class is CardinalityEstimator
        assert "hazelcast_sample_plugin.member" not in sys.modules
        try:
            import hazelcast_sample_plugin.member
        except ImportError:
            pass
        else:
            raise AssertionError("hazelcast.embedded was expected to be blocked")
        print(hash64(SerializationService(Config()).to_data("stable")))
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("HAZELCAST_DISABLE_PLUGIN_AUTOLOAD", None)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr

    from hazelcast.config import Config
    from hazelcast.serialization import SerializationService

    assert int(result.stdout.strip().splitlines()[-1]) == hash64(SerializationService(Config()).to_data("stable"))
