"""The standalone process: ready line, control interface, signals."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

START_TIMEOUT = 15.0


class _Process:
    def __init__(self, process: asyncio.subprocess.Process, ready: dict[str, Any]) -> None:
        self.process = process
        self.ready = ready

    async def control(self, *lines: str) -> list[dict[str, Any]]:
        host, _, port = self.ready["control"].rpartition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        answers = []
        try:
            for line in lines:
                writer.write(line.encode() + b"\n")
                await writer.drain()
                answers.append(json.loads(await asyncio.wait_for(reader.readline(), 5)))
        finally:
            writer.close()
        return answers


async def _start(*args: str) -> _Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hazelcast.embedded", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)
    if not line:
        assert process.stderr is not None
        raise AssertionError(f"no ready line; stderr: {(await process.stderr.read()).decode()}")
    return _Process(process, json.loads(line))


@pytest.fixture
async def standalone(tmp_path: Path) -> AsyncIterator[_Process]:
    config = tmp_path / "member.json"
    config.write_text(json.dumps({"map": {"default": {"backup-count": 1}}}))
    running = await _start("--port", "0", "--members", "3", "--config", str(config), "--cluster-name", "standalone")
    yield running
    if running.process.returncode is None:
        running.process.kill()
        await running.process.wait()


async def test_ready_line_and_control_kill_restart(standalone: _Process, connect, wire) -> None:
    ready = standalone.ready
    assert len(ready["members"]) == 3 and ready["cluster_name"] == "standalone"
    client = await connect(ready["members"][0], authenticate=False)
    assert (await client.authenticate(cluster_name="standalone")).status == 0
    for i in range(50):
        await client.key_call("Map.set", "m", wire.data_int(i), wire.data_int(i), 1, -1)

    (members,) = await standalone.control('{"command": "members"}')
    assert [m["state"] for m in members["members"]] == ["running"] * 3
    old_uuid = members["members"][1]["uuid"]

    (killed,) = await standalone.control("kill 1")
    assert killed["ok"] and killed["member"]["state"] == "killed"
    try:
        await connect(ready["members"][1], authenticate=False)
    except OSError:
        pass
    else:
        raise AssertionError("member 1 still accepts connections after kill")
    assert await client.call("Map.size", "m") == 50

    (restarted,) = await standalone.control('{"command": "restart", "member": 1}')
    assert restarted["member"]["state"] == "running" and restarted["member"]["uuid"] != old_uuid
    again = await connect(ready["members"][1], authenticate=False)
    assert (await again.authenticate(cluster_name="standalone")).status == 0
    assert await again.call("Map.size", "m") == 50

    bad = await standalone.control("kill 9", "explode 1", "{not json")
    assert [answer["ok"] for answer in bad] == [False, False, False]

    (done,) = await standalone.control("shutdown")
    assert done == {"ok": True}
    assert await asyncio.wait_for(standalone.process.wait(), 10) == 0


async def test_control_add_joins_a_member_and_reports_the_partition_table(
    standalone: _Process, connect, wire
) -> None:
    ready = standalone.ready
    client = await connect(ready["members"][0], authenticate=False)
    assert (await client.authenticate(cluster_name="standalone")).status == 0
    for i in range(200):
        await client.key_call("Map.set", "m", wire.data_int(i), wire.data_int(i), 1, -1)
    (before,) = await standalone.control("partitions")
    assert before["ok"] and before["partition_count"] == 271
    assert sorted(p for m in before["members"] for p in m["owned"]) == list(range(271))

    (added,) = await standalone.control("add")
    assert added["ok"] and added["member"]["index"] == 3 and added["member"]["state"] == "running"
    assert added["partition_table_version"] > before["partition_table_version"]
    (after,) = await standalone.control('{"command": "partitions"}')
    assert after["partition_table_version"] == added["partition_table_version"]
    owners = {m["index"]: m for m in after["members"]}
    assert set(owners) == {0, 1, 2, 3}
    assert sorted(p for m in after["members"] for p in m["owned"]) == list(range(271))
    # The newcomer took a fair share of owners and backups, and the control's member view agrees.
    assert 40 <= len(owners[3]["owned"]) <= 90 and owners[3]["backups"]
    (members,) = await standalone.control("members")
    assert members["members"][3]["partitions"] == owners[3]["owned"]

    newcomer = await connect(added["member"]["address"], authenticate=False)
    assert (await newcomer.authenticate(cluster_name="standalone")).status == 0
    assert await newcomer.call("Map.size", "m") == 200
    for i in range(200):
        assert await newcomer.key_call("Map.get", "m", wire.data_int(i), 1) == wire.data_int(i)
    (refused,) = await standalone.control("add 2")
    assert refused["ok"] is False and "no member number" in refused["error"]


async def test_sigterm_stops_the_process() -> None:
    running = await _start("--port", "0")
    running.process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(running.process.wait(), 10) == 0
    assert running.process.stdout is not None
    assert await running.process.stdout.read() == b""


async def test_invalid_configuration_exits_with_an_error(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("map:\n  default:\n    backup-count: 9\n")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hazelcast.embedded", "--port", "0", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 2
    assert stdout == b""
    assert b"backup-count" in stderr
