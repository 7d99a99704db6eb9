"""The official hazelcast-python-client 5.7.0 and ours run the same vector collection steps against the embedded
member and must see the same results (``scripts/official_vector.py`` holds the steps)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path

import pytest

from hazelcast.embedded import EmbeddedCluster
from tests.e2e.conftest import running_client
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_vector.py"
_TIMEOUT_S = 20.0


def _scenario_module():
    spec = importlib.util.spec_from_file_location("official_vector_steps", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


async def test_official_client_and_ours_see_the_same_vector_collection(official_python: Path) -> None:
    async with EmbeddedCluster(member_count=2) as cluster:
        process = await asyncio.create_subprocess_exec(
            str(official_python), str(_SCRIPT), "--members", ",".join(cluster.addresses), "--name", "vc-official",
            "--timeout", str(_TIMEOUT_S),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_TIMEOUT_S + 15)
        except TimeoutError:
            process.kill()
            await process.communicate()
            pytest.fail("the official client's vector steps did not finish in time")
        lines = stdout.decode().strip().splitlines()
        assert lines, stderr.decode("utf-8", "replace")
        official = json.loads(lines[-1])
        assert official["ok"], official.get("detail")
        async with running_client(cluster) as client:
            ours = json.loads(json.dumps(await _scenario_module().scenario(client, "vc-ours")))
    assert ours == official["report"]
    report = ours
    assert report["put_new"] is None and report["put_again"][0] == "doc-1"
    assert report["size"] == 41 and report["size_after"] == 39 and report["size_cleared"] == 0
    assert report["bad_vector"] is True and report["size_end"] == 39
    assert report["search_twins"] == [3, 40]
    assert [hit[0] for hit in report["search_pos"]][0] == 19  # key 19 sits at (3, 2), the nearest to (3.2, 1.9)
