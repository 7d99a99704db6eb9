"""The official hazelcast-python-client 5.7.0 runs the whole Map slice against the embedded member.

``scripts/official_map_slice.py`` (run by the official client's own venv) exercises every Map operation of the slice and
prints one JSON line; it must report ``{"ok": true}`` and exit 0. The member runs either as a separate process
(``python -m hazelcast.embedded``) with one or three members, with smart and unisocket routing, or in this test's own
event loop (:class:`~hazelcast.embedded.EmbeddedCluster`), the official client then being an asyncio subprocess so
that the loop keeps serving it.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from tests.interop.member_process import MemberProcess, member_process
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SLICE_SCRIPT = SCRIPTS_DIR / "official_map_slice.py"
# The script's own deadline; the subprocess limit above it only catches a script that ignores its deadline.
_SLICE_TIMEOUT_S = 25.0
_PROCESS_TIMEOUT_S = _SLICE_TIMEOUT_S + 15.0
# The slice performs 118 checks today (``Checker.count``); far fewer would mean it stopped early yet claimed success.
_MIN_CHECKS = 100


def _slice_command(official_python: Path, members: list[str], routing: str) -> list[str]:
    return [
        str(official_python),
        str(_SLICE_SCRIPT),
        "--members",
        ",".join(members),
        "--cluster-name",
        "dev",
        f"--{routing}",
        "--timeout",
        str(_SLICE_TIMEOUT_S),
    ]


def _check_report(returncode: int | None, stdout: str, stderr: str, member_stderr: str = "") -> None:
    context = f"exit status {returncode}\nstdout:\n{stdout}\nscript stderr:\n{stderr}\nmember stderr:\n{member_stderr}"
    lines = stdout.strip().splitlines()
    assert lines, f"the slice printed no report\n{context}"
    report: dict[str, Any] = json.loads(lines[-1])
    assert report.get("ok") is True, f"the slice failed: {report}\n{context}"
    assert returncode == 0, context
    assert report["checks"] >= _MIN_CHECKS, context


@pytest.fixture(scope="module", params=[1, 3], ids=["1-member", "3-members"])
def standalone_member(request: pytest.FixtureRequest) -> Iterator[MemberProcess]:
    """The embedded member in a child process; shared by the routing modes, as each slice run uses a fresh map."""
    with member_process(request.param) as running:
        assert len(running.members) == request.param
        assert running.cluster_name == "dev"
        assert running.partition_count == 271
        yield running


@pytest.mark.parametrize("routing", ["smart", "unisocket"])
def test_official_client_runs_map_slice_against_member_process(
    official_python: Path, standalone_member: MemberProcess, routing: str
) -> None:
    # Only the first address: a smart client has to find the other members through the member list, and a
    # unisocket client has every request for another member's partitions served through this one.
    command = _slice_command(official_python, standalone_member.members[:1], routing)
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", timeout=_PROCESS_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(
            f"the official slice did not finish within {_PROCESS_TIMEOUT_S} s\nstderr:\n{expired.stderr!r}\n"
            f"member stderr:\n{standalone_member.stderr_text()}"
        )
    assert standalone_member.process.poll() is None, f"the member died:\n{standalone_member.stderr_text()}"
    _check_report(completed.returncode, completed.stdout, completed.stderr, standalone_member.stderr_text())


async def test_official_client_runs_map_slice_against_in_process_cluster(official_python: Path) -> None:
    async with EmbeddedCluster(member_count=3) as cluster:
        process = await asyncio.create_subprocess_exec(
            *_slice_command(official_python, cluster.addresses, "smart"),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_PROCESS_TIMEOUT_S)
        except TimeoutError:
            process.kill()
            _, stderr = await process.communicate()
            pytest.fail(
                f"the official slice did not finish within {_PROCESS_TIMEOUT_S} s\n"
                f"stderr:\n{stderr.decode('utf-8', 'replace')}"
            )
    _check_report(process.returncode, stdout.decode("utf-8"), stderr.decode("utf-8", "replace"))
