"""Queue offer/poll: our client against the official one, on the same embedded member, in one run.

Starts ``python -m hazelcast.embedded`` in its own process, then runs ``queue_bench_client.py`` once per client and
concurrency, each client in its own process (ours from this workspace, the official 5.7.0 from its own venv). Prints
ops/s and client CPU µs per op for both, and the ratio ours/official of CPU per op::

    uv run --all-packages python benchmarks/queue_bench.py [--ops 20000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.map_bench import start_member  # noqa: E402
from tests.interop.official_env import official_python  # noqa: E402

CLIENT_SCRIPT = ROOT / "benchmarks" / "queue_bench_client.py"


def run_client(python: str, label: str, address: str, concurrency: int, ops: int) -> dict[str, dict[str, float]]:
    completed = subprocess.run(
        [python, str(CLIENT_SCRIPT), "--label", label, "--members", address, "--concurrency", str(concurrency),
         "--ops", str(ops), "--warmup", str(min(ops, 2000)), "--queue-name", f"bench-{label}-{concurrency}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{label} client failed:\n{completed.stderr}")
    results = [json.loads(line) for line in completed.stdout.strip().splitlines() if line.startswith("{")]
    return {result["op"]: result for result in results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64])
    args = parser.parse_args()

    official = str(official_python())
    member, address = start_member(1)
    try:
        print(f"member {address}; ours: {sys.executable}; official 5.7.0: {official}")
        print(f"{'op':<5} {'tasks':>5} | {'ours ops/s':>11} {'µs CPU/op':>10} | {'official ops/s':>14} {'µs CPU/op':>10} "
              f"| {'CPU ratio':>9}")
        for concurrency in args.concurrency:
            ours = run_client(sys.executable, "ours", address, concurrency, args.ops)
            theirs = run_client(official, "official", address, concurrency, args.ops)
            for op in ("offer", "poll"):
                mine, other = ours[op], theirs[op]
                ratio = mine["cpu_us_per_op"] / other["cpu_us_per_op"]
                print(f"{op:<5} {concurrency:>5} | {mine['ops_per_s']:>11.0f} {mine['cpu_us_per_op']:>10.1f} | "
                      f"{other['ops_per_s']:>14.0f} {other['cpu_us_per_op']:>10.1f} | {ratio:>8.0%}", flush=True)
    finally:
        member.terminate()
        member.wait(timeout=10)


if __name__ == "__main__":
    main()
