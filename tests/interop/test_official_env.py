"""The harness around the official hazelcast-python-client: its venv, its encoder script and the request cases."""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interop import official_env
from tests.interop.request_cases import (
    CLIENT_CASES,
    DEFAULT_PARTITION_COUNT,
    MAP_CASES,
    REQUEST_CASES,
    RequestCase,
    official_encodings,
    partition_keys,
    protocol_message_name,
)

pytestmark = pytest.mark.interop

_REPO_ROOT = Path(__file__).resolve().parents[2]
_BENCH_SCRIPT = _REPO_ROOT / "benchmarks" / "client_runner.py"

# wire-protocol.md §15: Map.put of "key-1" -> 54 on map "map", thread 1, ttl -1, correlation 2, partition 94.
MAP_PUT_VECTOR = (
    "26000000" "00c0" "00010100" "0200000000000000" "5e000000" "0100000000000000" "ffffffffffffffff"
    "09000000" "0000" "6d6170"
    "17000000" "0000" "00000000fffffff5000000056b65792d31"
    "12000000" "0020" "00000000fffffff900000036"
)  # fmt: skip
# wire-protocol.md §10: Client.authentication, cluster "dev", no credentials, correlation 1.
AUTHENTICATION_VECTOR = (
    "28000000" "00c0" "00010000" "0100000000000000" "ffffffff" "00" "0100000000000000" "0200000000000000" "01"
    "09000000" "0000" "646576"
    "06000000" "0004"
    "06000000" "0004"
    "09000000" "0000" "505948"
    "0b000000" "0000" "352e372e30"
    "11000000" "0000" "687a2e636c69656e745f30"
    "06000000" "0010"
    "06000000" "0028"
)  # fmt: skip

# Request message types (service id << 16 | method id << 8) of the messages the cases cover, from the protocol YAML.
EXPECTED_MESSAGE_TYPES = {
    "Map.put": 0x010100, "Map.get": 0x010200, "Map.remove": 0x010300, "Map.replace": 0x010400,
    "Map.replaceIfSame": 0x010500, "Map.containsKey": 0x010600, "Map.containsValue": 0x010700,
    "Map.removeIfSame": 0x010800, "Map.delete": 0x010900, "Map.putIfAbsent": 0x010E00, "Map.set": 0x010F00,
    "Map.keySet": 0x012200, "Map.getAll": 0x012300, "Map.values": 0x012400, "Map.entrySet": 0x012500,
    "Map.size": 0x012A00, "Map.isEmpty": 0x012B00, "Map.putAll": 0x012C00, "Map.clear": 0x012D00,
    "Client.authentication": 0x000100, "Client.addClusterViewListener": 0x000300, "Client.createProxy": 0x000400,
    "Client.destroyProxy": 0x000500, "Client.getDistributedObjects": 0x000800,
    "Client.addDistributedObjectListener": 0x000900, "Client.removeDistributedObjectListener": 0x000A00,
    "Client.ping": 0x000B00, "Client.localBackupListener": 0x000F00,
}  # fmt: skip

_FRAME_HEADER = struct.Struct("<iH")
_INITIAL_FRAME_FIELDS = struct.Struct("<iqi")
_UNFRAGMENTED = 0xC000
_IS_FINAL = 0x2000


def _case_by_id(case_id: str) -> RequestCase:
    return next(case for case in REQUEST_CASES if case["id"] == case_id)


def _frames(message: bytes) -> list[tuple[int, bytes]]:
    """Split a complete message into (flags, payload) frames, insisting that the lengths tile it exactly."""
    frames = []
    offset = 0
    while offset < len(message):
        length, flags = _FRAME_HEADER.unpack_from(message, offset)
        assert length >= _FRAME_HEADER.size, f"frame at {offset} has length {length}"
        frames.append((flags, message[offset + _FRAME_HEADER.size : offset + length]))
        offset += length
    assert offset == len(message), "frame lengths overrun the message"
    return frames


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_official_python_runs_official_client(official_python: Path) -> None:
    probe = (
        "import hazelcast, json; from hazelcast.asyncio import HazelcastClient; "
        "print(json.dumps([hazelcast.__version__, HazelcastClient.__module__]))"
    )
    completed = subprocess.run(
        [str(official_python), "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    version, client_module = json.loads(completed.stdout)
    assert version == official_env.OFFICIAL_CLIENT_VERSION == "5.7.0"
    assert client_module == "hazelcast.internal.asyncio_client"


def test_official_python_is_stable_across_calls(official_python: Path) -> None:
    assert official_env.official_python() == official_python
    assert official_python.exists()


def test_env_var_overrides_the_managed_venv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chosen = tmp_path / "python"
    chosen.write_text("", encoding="utf-8")
    monkeypatch.setenv(official_env.OFFICIAL_PYTHON_ENV_VAR, str(chosen))
    assert official_env.official_python() == chosen

    monkeypatch.setenv(official_env.OFFICIAL_PYTHON_ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match=official_env.OFFICIAL_PYTHON_ENV_VAR):
        official_env.official_python()


def test_half_made_venv_is_rebuilt_once_by_racing_processes(tmp_path: Path) -> None:
    venv_dir = tmp_path / "official"
    venv_dir.mkdir()
    leftover = venv_dir / "left-by-an-interrupted-install"
    leftover.write_text("", encoding="utf-8")
    # Each process reports the interpreter it got and the log events it emitted, so the test can count builds.
    program = (
        "import json, sys; from pathlib import Path; from structlog.testing import capture_logs; "
        "from tests.interop.official_env import ensure_official_venv\n"
        "with capture_logs() as logs:\n"
        "    python = ensure_official_venv(Path(sys.argv[1]))\n"
        "print(json.dumps({'python': str(python), 'events': [entry['event'] for entry in logs]}))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != official_env.OFFICIAL_PYTHON_ENV_VAR}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", program, str(venv_dir)],
            cwd=_REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    reports = []
    for racer in racers:
        stdout, stderr = racer.communicate(timeout=600)
        assert racer.returncode == 0, stderr
        reports.append(json.loads(stdout.strip().splitlines()[-1]))

    assert {report["python"] for report in reports} == {str(venv_dir / "bin" / "python")}
    events = [event for report in reports for event in report["events"]]
    assert events.count("interop.official_venv.creating") == 1
    assert events.count("interop.official_venv.rebuilding") == 1
    assert not leftover.exists()
    version = subprocess.run(
        [str(venv_dir / "bin" / "python"), "-c", "import hazelcast; print(hazelcast.__version__)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert version == official_env.OFFICIAL_CLIENT_VERSION


def test_encoder_reproduces_map_put_vector(official_python: Path) -> None:
    case = _case_by_id("map_put:vector")
    assert official_encodings(official_python, [case]) == {"map_put:vector": MAP_PUT_VECTOR}


def test_encoder_reproduces_authentication_vector(official_python: Path) -> None:
    case = _case_by_id("client_authentication:vector")
    assert official_encodings(official_python, [case]) == {"client_authentication:vector": AUTHENTICATION_VECTOR}


def test_every_case_encodes_as_a_well_formed_request(official_python: Path) -> None:
    encodings = official_encodings(official_python, REQUEST_CASES)
    assert set(encodings) == {case["id"] for case in REQUEST_CASES}
    for case in REQUEST_CASES:
        frames = _frames(bytes.fromhex(encodings[case["id"]]))
        initial_flags, initial_payload = frames[0]
        message_type, correlation_id, partition_id = _INITIAL_FRAME_FIELDS.unpack_from(initial_payload)
        assert message_type == EXPECTED_MESSAGE_TYPES[protocol_message_name(case["codec"])], case["id"]
        assert correlation_id == case["correlation_id"], case["id"]
        assert partition_id == case["partition_id"], case["id"]
        assert initial_flags & _UNFRAGMENTED == _UNFRAGMENTED, case["id"]
        finals = [index for index, (flags, _) in enumerate(frames) if flags & _IS_FINAL]
        assert finals == [len(frames) - 1], case["id"]


def test_cases_cover_the_map_slice_and_client_messages() -> None:
    assert {protocol_message_name(case["codec"]) for case in REQUEST_CASES} == set(EXPECTED_MESSAGE_TYPES)
    assert all(case["codec"].startswith("map_") for case in MAP_CASES)
    assert all(case["codec"].startswith("client_") for case in CLIENT_CASES)
    ids = [case["id"] for case in REQUEST_CASES]
    assert len(ids) == len(set(ids))
    auth_cases = [case for case in CLIENT_CASES if case["codec"] == "client_authentication"]
    assert {case["params"]["username"] is None for case in auth_cases} == {True, False}


def test_key_bound_cases_carry_the_official_partition_ids(official_python: Path) -> None:
    keyed = [(case, keys) for case in REQUEST_CASES if (keys := partition_keys(case))]
    flat_keys = [key for _, keys in keyed for key in keys]
    completed = subprocess.run(
        [
            str(official_python),
            str(official_env.SCRIPTS_DIR / "official_partition_ids.py"),
            "--partition-count",
            str(DEFAULT_PARTITION_COUNT),
        ],
        input=json.dumps(flat_keys),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    official_ids = iter(json.loads(completed.stdout))
    for case, keys in keyed:
        assert [next(official_ids) for _ in keys] == [case["partition_id"]] * len(keys), case["id"]
    unkeyed = [case for case in REQUEST_CASES if not partition_keys(case)]
    assert unkeyed and all(case["partition_id"] == -1 for case in unkeyed)


@pytest.mark.parametrize(
    ("codec", "message"),
    [
        ("map_put", "Map.put"),
        ("map_replace_if_same", "Map.replaceIfSame"),
        ("client_add_cluster_view_listener", "Client.addClusterViewListener"),
        ("multi_map_put", "MultiMap.put"),
        ("transactional_multi_map_value_count", "TransactionalMultiMap.valueCount"),
        ("transaction_create", "Transaction.create"),
        ("cp_group_create_cp_group", "CPGroup.createCPGroup"),
        ("pn_counter_get_configured_replica_count", "PNCounter.getConfiguredReplicaCount"),
        ("atomic_ref_compare_and_set", "AtomicRef.compareAndSet"),
    ],
)
def test_protocol_message_name_follows_the_codec_naming_rule(codec: str, message: str) -> None:
    assert protocol_message_name(codec) == message


def test_protocol_message_name_rejects_unknown_services() -> None:
    with pytest.raises(ValueError, match="no_such_service_get"):
        protocol_message_name("no_such_service_get")


def test_encoder_rejects_duplicate_ids_and_unknown_markers(official_python: Path) -> None:
    case = _case_by_id("client_ping:first")
    with pytest.raises(RuntimeError, match="duplicate case id 'client_ping:first'"):
        official_encodings(official_python, [case, case])

    bad = RequestCase(
        id="bad-marker",
        codec="map_get",
        params={"name": "map", "key": {"data": "key-1"}, "thread_id": 1},
        correlation_id=1,
        partition_id=94,
    )
    with pytest.raises(RuntimeError, match="bad-marker"):
        official_encodings(official_python, [bad])


def test_map_slice_reports_an_unreachable_cluster_as_a_failure(official_python: Path) -> None:
    completed = subprocess.run(
        [
            str(official_python),
            str(official_env.SCRIPTS_DIR / "official_map_slice.py"),
            "--members",
            f"127.0.0.1:{_free_port()}",
            "--cluster-name",
            "dev",
            "--unisocket",
            "--timeout",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["ok"] is False
    assert report["failed"] in ("timeout", "exception")
    assert report["checks"] == 0


def test_map_slice_requires_members(official_python: Path) -> None:
    completed = subprocess.run(
        [str(official_python), str(official_env.SCRIPTS_DIR / "official_map_slice.py"), "--members", " , "],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "--members" in completed.stderr


def test_benchmark_fails_loudly_without_a_cluster(official_python: Path) -> None:
    completed = subprocess.run(
        [
            str(official_python),
            str(_BENCH_SCRIPT),
            "--members",
            f"127.0.0.1:{_free_port()}",
            "--workload",
            "map_get",
            "--tasks",
            "4",
            "--ops",
            "100",
            "--warmup",
            "0",
            "--timeout",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert "client_runner" in completed.stderr


def test_benchmark_rejects_zero_tasks(official_python: Path) -> None:
    completed = subprocess.run(
        [str(official_python), str(_BENCH_SCRIPT), "--members", "127.0.0.1:5701", "--tasks", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "--tasks" in completed.stderr
