"""The official hazelcast-python-client 5.7.0 runs a Ringbuffer, a Topic and a ReliableTopic scenario against the
embedded member, in this test's event loop, with 1 and 3 members; the reliable topic's messages cross between our
client and the official one through the ringbuffer (the stored message format is the same)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.topics import ReliableMessageListener, TopicMessage
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_topics.py"
_SCRIPT_TIMEOUT_S = 20.0
_PROCESS_TIMEOUT_S = _SCRIPT_TIMEOUT_S + 15.0
_CONFIG = {"ringbuffer": {"interop-small-*": {"capacity": 3, "time-to-live-seconds": 600}}}


class PrefixFilter:
    """The member's side of the official script's ringbuffer filter (factory 77, class 1): ``test(item)``."""

    def __init__(self) -> None:
        self.prefix = ""

    def read_data(self, inp: Any) -> None:
        self.prefix = inp.read_string()

    def write_data(self, out: Any) -> None:
        out.write_string(self.prefix)

    def get_factory_id(self) -> int:
        return 77

    def get_class_id(self) -> int:
        return 1

    def test(self, item: Any) -> bool:
        return isinstance(item, str) and item.startswith(self.prefix)


class _FilterPlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(77, 1, PrefixFilter),)


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=request.param, config=_CONFIG, plugins=[_FilterPlugin()]) as running:
        yield running


async def _run_official(official_python: Path, cluster: EmbeddedCluster, *arguments: str) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        str(official_python), str(_SCRIPT), "--members", ",".join(cluster.addresses), "--timeout",
        str(_SCRIPT_TIMEOUT_S), *arguments,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_PROCESS_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        _, stderr = await process.communicate()
        pytest.fail(f"the official script did not finish\nstderr:\n{stderr.decode('utf-8', 'replace')}")
    lines = stdout.decode("utf-8").strip().splitlines()
    context = f"exit {process.returncode}\nstdout:\n{stdout.decode()}\nstderr:\n{stderr.decode('utf-8', 'replace')}"
    assert lines, context
    report: dict[str, Any] = json.loads(lines[-1])
    assert report.get("ok") is True and process.returncode == 0, f"{report}\n{context}"
    return report


async def test_official_client_runs_the_ringbuffer_scenario(official_python: Path, cluster: EmbeddedCluster) -> None:
    report = await _run_official(official_python, cluster, "--scenario", "ringbuffer", "--name", "interop-small-rb")
    assert report["checks"] >= 20


@pytest.mark.parametrize("routing", ["--smart", "--unisocket"])
async def test_official_client_runs_the_topic_scenario(
    official_python: Path, cluster: EmbeddedCluster, routing: str
) -> None:
    report = await _run_official(official_python, cluster, "--scenario", "topic", "--name", "interop-topic", routing)
    assert report["checks"] >= 7


class _Collector(ReliableMessageListener[Any]):
    def __init__(self) -> None:
        self.messages: list[Any] = []

    def on_message(self, message: TopicMessage[Any]) -> None:
        self.messages.append(message.message)

    def retrieve_initial_sequence(self) -> int:
        return 0

    def store_sequence(self, sequence: int) -> None:
        self.messages.append(sequence)

    def is_loss_tolerant(self) -> bool:
        return False

    def is_terminal(self, error: Exception) -> bool:
        return True


async def test_reliable_topic_messages_cross_between_our_client_and_the_official_one(
    official_python: Path, cluster: EmbeddedCluster
) -> None:
    ours = await HazelcastClient.create_and_start(cluster_members=cluster.addresses)
    try:
        topic = await ours.get_reliable_topic("interop-reliable")
        await topic.publish("ours-0")
        await topic.publish_all(["ours-1", "ours-2"])
        report = await _run_official(
            official_python, cluster, "--scenario", "reliable_topic", "--name", "interop-reliable",
            "--expect", "ours-0,ours-1,ours-2",
        )
        assert report["checks"] >= 5
        collector = _Collector()
        await topic.add_listener(collector)
        deadline = asyncio.get_running_loop().time() + 5
        while len(collector.messages) < 12 and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        assert collector.messages == [
            0, "ours-0", 1, "ours-1", 2, "ours-2", 3, "official-0", 4, "official-1", 5, "official-2"
        ]
    finally:
        await ours.shutdown()
