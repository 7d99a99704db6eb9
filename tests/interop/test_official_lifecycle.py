"""The official client 5.7.0 and ours report the same lifecycle states and partition ids against the embedded member.

``scripts/official_lifecycle.py`` runs in the official client's venv as an asyncio subprocess, so that this test's
event loop keeps serving the in-process cluster while it runs.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import Config
from hazelcast.embedded import EmbeddedCluster
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_lifecycle.py"
_TIMEOUT_S = 20.0
# Keys of every JSON-expressible built-in type, spread over many partitions.
_KEYS: list[Any] = [f"key-{i}" for i in range(60)] + list(range(-30, 30)) + [0.5, -2.25, True, False, ["a", 1]]


async def _official(official_python: Path, members: list[str]) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        str(official_python), str(_SCRIPT), "--members", ",".join(members), "--timeout", str(_TIMEOUT_S),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(
            process.communicate(json.dumps(_KEYS).encode()), timeout=_TIMEOUT_S + 15
        )
    except TimeoutError:
        process.kill()
        await process.communicate()
        pytest.fail("the official client did not finish in time")
    lines = stdout.decode().strip().splitlines()
    assert lines, f"no report; stderr:\n{stderr.decode('utf-8', 'replace')}"
    report: dict[str, Any] = json.loads(lines[-1])
    assert report["ok"], report.get("detail")
    return report


async def _ours(members: list[str]) -> dict[str, Any]:
    states: list[str] = []
    config = Config()
    config.cluster_members = members
    config.lifecycle_listeners = [states.append]
    client = await HazelcastClient.create_and_start(config)
    try:
        partitions = client.partition_service
        partition_ids = [await partitions.get_partition_id(key) for key in _KEYS]
        count = partitions.get_partition_count()
    finally:
        await client.shutdown()
    return {"ok": True, "states": states, "partition_ids": partition_ids, "partition_count": count}


@pytest.mark.parametrize("member_count", [1, 3])
async def test_same_lifecycle_order_and_partition_ids_as_the_official_client(
    official_python: Path, member_count: int
) -> None:
    async with EmbeddedCluster(member_count=member_count) as cluster:
        official = await _official(official_python, cluster.addresses)
        ours = await _ours(cluster.addresses)
    assert official["states"] == [
        "STARTING", "STARTED", "CONNECTED", "SHUTTING_DOWN", "DISCONNECTED", "SHUTDOWN"
    ]
    assert ours["states"] == official["states"]
    assert ours["partition_count"] == official["partition_count"] == 271
    assert ours["partition_ids"] == official["partition_ids"]
    assert len(set(ours["partition_ids"])) > 80
