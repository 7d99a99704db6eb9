"""The official hazelcast-python-client 5.7.0 uses every CP structure against the embedded member.

``scripts/official_cp.py`` runs a scenario per structure (AtomicLong and AtomicReference with functions the member
runs, CountDownLatch, both Semaphore variants, FencedLock) and must report ``{"ok": true}``; its CP sessions must be
closed on the member when it shuts down.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.cp import cp_state
from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.spec import ServerClass
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_cp.py"
_SCRIPT_TIMEOUT_S = 20.0
_MIN_CHECKS = 50


class Multiply:
    """The member's side of the script's IFunction (factory 77, class 1)."""

    def __init__(self) -> None:
        self.factor = 1

    def read_data(self, inp: Any) -> None:
        self.factor = inp.read_int()

    def write_data(self, out: Any) -> None:
        out.write_int(self.factor)

    def get_factory_id(self) -> int:
        return 77

    def get_class_id(self) -> int:
        return 1

    def apply(self, value: int) -> int:
        return value * self.factor


class _Functions:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(77, 1, Multiply),)


@pytest.mark.parametrize(("members", "cp_members"), [(1, 0), (3, 3)], ids=["1-member-unsafe", "3-members-raft"])
async def test_official_client_uses_every_cp_structure(official_python: Path, members: int, cp_members: int) -> None:
    config = {"cp-subsystem": {"cp-member-count": cp_members, "semaphores": {"jdk-*": {"jdk-compatible": True}}}}
    async with EmbeddedCluster(member_count=members, config=config, plugins=[_Functions()]) as cluster:
        process = await asyncio.create_subprocess_exec(
            str(official_python), str(_SCRIPT), "--members", ",".join(cluster.addresses), "--prefix", f"m{members}",
            "--timeout", str(_SCRIPT_TIMEOUT_S),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_SCRIPT_TIMEOUT_S + 15)
        except TimeoutError:
            process.kill()
            await process.communicate()
            pytest.fail("the official CP scenarios did not finish in time")
        context = f"stdout:\n{stdout.decode()}\nstderr:\n{stderr.decode('utf-8', 'replace')}"
        lines = stdout.decode().strip().splitlines()
        assert lines, context
        report = json.loads(lines[-1])
        assert report.get("ok") is True, context
        assert process.returncode == 0, context
        assert report["checks"] >= _MIN_CHECKS, context
        # The official client closed its CP sessions when it shut down.
        assert cp_state(cluster).sessions.live_count() == 0
