"""The benchmark suite runs end to end in quick mode: both clients measured per workload, a missing service noted.

Only that the script works is asserted; its timings depend on the machine and are never checked here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.interop

_SUITE = Path(__file__).resolve().parents[2] / "benchmarks" / "suite.py"


def test_quick_suite_prints_both_clients_figures_per_workload(official_python: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(_SUITE), "--quick", "--official-python", str(official_python),
         "--workloads", "map_set", "topic_publish", "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    rows = [line for line in lines if line.startswith(("map set, 64 tasks", "map set, 1 in flight", "topic publish"))]
    assert len(rows) == 6, completed.stdout  # three in the table, three in the memory section
    table = [row for row in rows if "KiB" not in row]
    for row in table:
        ours, official, ratios = row.split("|")[1:4]
        assert len(ours.split()) == 5 and len(official.split()) == 5, row
        for figures in (ours.split(), official.split()):
            ops_per_s, cpu_us, _sys_us, p50_us, _p99_us = map(float, figures)
            assert ops_per_s > 0 and cpu_us > 0 and p50_us > 0, row
    assert sum('"client": "official"' in line for line in lines) == 3


_HOT_PATH = _SUITE.with_name("hot_path.py")


def test_the_hot_path_harness_prints_our_client_cpu_per_operation_per_workload() -> None:
    workloads = ["map_get", "queue_poll", "topic_publish_1", "atomic_long_increment", "map_get_all", "map_put_all"]
    completed = subprocess.run(
        [sys.executable, str(_HOT_PATH), "--ops", "640", "--repeat", "1", "--workloads", *workloads],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    rows = [line for line in completed.stdout.splitlines() if "client CPU per" in line]
    assert [row.split()[0] for row in rows] == workloads, completed.stdout
    for row in rows:
        assert float(row.split("tasks:")[1].split()[0]) > 0, row
