"""The member harness (``benchmarks/member_hot_path.py``) runs: one figure line per workload, answers written.

Only that the script works is asserted; its timings depend on the machine and are never checked here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_MEMBER_HOT_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "member_hot_path.py"


def test_the_member_harness_prints_member_cpu_per_request_per_workload() -> None:
    workloads = ["map_set", "map_get", "queue_offer", "queue_poll"]
    completed = subprocess.run(
        [sys.executable, str(_MEMBER_HOT_PATH), "--ops", "640", "--repeat", "1", "--workloads", *workloads],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    rows = [line for line in completed.stdout.splitlines() if "member CPU µs per request" in line]
    assert [row.split()[0] for row in rows] == workloads, completed.stdout
    for row in rows:
        assert float(row.split("best")[1].split()[0]) > 0, row
        # 32 requests per read (the default), answered in two writes of 16.
        assert float(row.split("requests per write")[1]) == 16.0, row
