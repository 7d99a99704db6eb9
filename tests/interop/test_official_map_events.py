"""The official hazelcast-python-client 5.7.0 uses map listeners, locks, expiry, entry views and a near cache against
the embedded member.

``scripts/official_map_events.py`` (run by the official client's own venv, as an asyncio subprocess so that this
test's loop keeps serving it) must report ``{"ok": true}`` and exit 0.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from hazelcast.embedded import EmbeddedCluster
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_map_events.py"
_SCRIPT_TIMEOUT_S = 20.0
_PROCESS_TIMEOUT_S = _SCRIPT_TIMEOUT_S + 15.0
# The scenario performs 52 checks; far fewer would mean it stopped early yet claimed success.
_MIN_CHECKS = 50


@pytest.mark.parametrize(("members", "routing"), [(1, "smart"), (3, "smart"), (3, "unisocket")])
async def test_official_client_runs_the_events_locks_expiry_and_near_cache_scenario(
    official_python: Path, members: int, routing: str
) -> None:
    async with EmbeddedCluster(member_count=members) as cluster:
        process = await asyncio.create_subprocess_exec(
            str(official_python), str(_SCRIPT), "--members", ",".join(cluster.addresses), "--cluster-name", "dev",
            f"--{routing}", "--timeout", str(_SCRIPT_TIMEOUT_S),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_PROCESS_TIMEOUT_S)
        except TimeoutError:
            process.kill()
            _, stderr = await process.communicate()
            pytest.fail(f"the official scenario did not finish\nstderr:\n{stderr.decode('utf-8', 'replace')}")
    lines = stdout.decode("utf-8").strip().splitlines()
    context = f"exit status {process.returncode}\nstderr:\n{stderr.decode('utf-8', 'replace')}"
    assert lines, f"no report\n{context}"
    report = json.loads(lines[-1])
    assert report.get("ok") is True, f"{report}\n{context}"
    assert process.returncode == 0 and report["checks"] >= _MIN_CHECKS, context
