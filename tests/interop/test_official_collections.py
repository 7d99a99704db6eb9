"""The official hazelcast-python-client 5.7.0 runs a scenario per proxy (list, set, queue, PN counter, Flake ID,
executor) against three in-process embedded members, with smart and unisocket routing; ``scripts/official_collections.py``
checks every result."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_collections.py"
_SCRIPT_TIMEOUT_S = 15.0


class SquareTask:
    """The member's implementation of the script's ``SquareTask`` (factory 4243, class 1)."""

    def __init__(self) -> None:
        self.value = 0

    def read_data(self, inp: Any) -> None:
        self.value = inp.read_int()

    def write_data(self, out: Any) -> None:
        out.write_int(self.value)

    def get_factory_id(self) -> int:
        return 4243

    def get_class_id(self) -> int:
        return 1

    def call(self) -> int:
        return self.value * self.value


class _TaskPlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(4243, 1, SquareTask),)


@pytest.mark.parametrize("routing", ["smart", "unisocket"])
@pytest.mark.parametrize("scenario", ["list", "set", "queue", "pn_counter", "flake_id", "executor"])
async def test_official_client_scenario(official_python: Path, scenario: str, routing: str) -> None:
    config = {"queue": {"bounded-*": {"max-size": 1}}}
    async with EmbeddedCluster(member_count=3, config=config, plugins=[_TaskPlugin()]) as cluster:
        process = await asyncio.create_subprocess_exec(
            str(official_python), str(_SCRIPT), "--members", ",".join(cluster.addresses), "--scenario", scenario,
            "--timeout", str(_SCRIPT_TIMEOUT_S), *(["--unisocket"] if routing == "unisocket" else []),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_SCRIPT_TIMEOUT_S + 10)
        except TimeoutError:
            process.kill()
            await process.communicate()
            pytest.fail(f"the official {scenario} scenario did not finish")
    lines = stdout.decode().strip().splitlines()
    assert lines, stderr.decode(errors="replace")
    report = json.loads(lines[-1])
    assert report["ok"] is True, f"{report}\n{stderr.decode(errors='replace')[-3000:]}"
    assert process.returncode == 0
    assert report["checks"] >= 2
