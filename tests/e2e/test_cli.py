"""The ``hazelcast`` command against a member process, as a user runs it from a shell."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.interop.member_process import MemberProcess, member_process

_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def members() -> Iterator[MemberProcess]:
    with member_process(2) as running:
        yield running


def _cli(members: MemberProcess, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "hazelcast.cli", "--address", members.members[0], *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)


def test_members_and_partitions(members: MemberProcess) -> None:
    listed = _cli(members, "members")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.strip().splitlines()
    assert sorted(line.split()[1] for line in lines) == sorted(members.members)
    partitions = _cli(members, "partitions")
    assert partitions.returncode == 0, partitions.stderr
    out = partitions.stdout.splitlines()
    assert out[0] == "partitions: 271"
    assert sum(int(line.rsplit(" ", 1)[1]) for line in out[1:]) == 271


def test_map_put_get_size_entries(members: MemberProcess) -> None:
    assert _cli(members, "map", "put", "cli-map", "1", '"one"').stdout == "null\n"
    assert _cli(members, "map", "put", "cli-map", "1", "uno").stdout == '"one"\n'
    assert _cli(members, "map", "put", "cli-map", "two", "[2, 2]").stdout == "null\n"
    assert _cli(members, "map", "get", "cli-map", "1").stdout == '"uno"\n'
    assert _cli(members, "map", "get", "cli-map", "missing").stdout == "null\n"
    assert _cli(members, "map", "size", "cli-map").stdout == "2\n"
    entries = _cli(members, "map", "entries", "cli-map").stdout.splitlines()
    assert sorted(entries) == sorted(['1\t"uno"', '"two"\t[2, 2]'])
    assert _cli(members, "map", "entries", "cli-map", "--limit", "1").stdout.count("\n") == 1


def test_bench_prints_figures_and_a_progress_bar(members: MemberProcess) -> None:
    result = _cli(members, "bench", "--ops", "2000", "--tasks", "16")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["set", "get"]
    assert all("ops/s" in line and "us client CPU per op" in line for line in lines)
    assert "2000/2000" in result.stderr and "[######" in result.stderr


def test_errors_are_reported_with_a_status() -> None:
    unreachable = subprocess.run(
        [sys.executable, "-m", "hazelcast.cli", "--address", "127.0.0.1:1", "--timeout", "0.5", "members"],
        capture_output=True, text=True, timeout=_TIMEOUT_S, check=False,
    )
    assert unreachable.returncode == 1 and "unable to connect" in unreachable.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "hazelcast.cli", "map"], capture_output=True, text=True, timeout=_TIMEOUT_S, check=False
    )
    assert usage.returncode == 2


def test_embedded_runs_a_cluster_until_terminated() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "hazelcast.cli", "embedded", "--port", "0", "--members", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert '"members"' in ready and ready.count("127.0.0.1:") >= 2
    finally:
        process.terminate()
        assert process.wait(timeout=_TIMEOUT_S) == 0
