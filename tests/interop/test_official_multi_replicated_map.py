"""The official hazelcast-python-client 5.7.0 runs a MultiMap and a ReplicatedMap scenario against the embedded member.

``scripts/official_multi_replicated_slice.py`` (run by the official client's own venv) exercises every method of the
proxy, locks and listeners included, and prints one JSON line that must report ``{"ok": true}``. The members run in
this test's event loop; the official client is an asyncio subprocess so that the loop keeps serving it.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_multi_replicated_slice.py"
_SLICE_TIMEOUT_S = 20.0
_PROCESS_TIMEOUT_S = _SLICE_TIMEOUT_S + 15.0
# Checks each slice performs; far fewer would mean it stopped early yet claimed success.
_MIN_CHECKS = {"multimap": 45, "replicatedmap": 25}


@pytest.mark.parametrize("routing", ["smart", "unisocket"])
@pytest.mark.parametrize("member_count", [1, 3], ids=["1-member", "3-members"])
@pytest.mark.parametrize("proxy", ["multimap", "replicatedmap"])
async def test_official_client_runs_the_slice(official_python: Path, proxy: str, member_count: int, routing: str) -> None:
    async with EmbeddedCluster(member_count=member_count) as cluster:
        members = cluster.addresses if routing == "smart" else cluster.addresses[:1]
        process = await asyncio.create_subprocess_exec(
            str(official_python), str(_SCRIPT), "--proxy", proxy, "--members", ",".join(members),
            f"--{routing}", "--timeout", str(_SLICE_TIMEOUT_S),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_PROCESS_TIMEOUT_S)
        except TimeoutError:
            process.kill()
            _, stderr = await process.communicate()
            pytest.fail(f"the official slice did not finish within {_PROCESS_TIMEOUT_S} s\n{stderr.decode(errors='replace')}")
    context = f"exit status {process.returncode}\nstdout:\n{stdout.decode()}\nstderr:\n{stderr.decode(errors='replace')}"
    lines = stdout.decode().strip().splitlines()
    assert lines, f"the slice printed no report\n{context}"
    report: dict[str, Any] = json.loads(lines[-1])
    assert report.get("ok") is True, f"the slice failed: {report}\n{context}"
    assert process.returncode == 0, context
    assert report["checks"] >= _MIN_CHECKS[proxy], context
