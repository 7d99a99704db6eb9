"""Map set/get: our client against the official one, on the same embedded member, in one run.

Starts ``python -m hazelcast.embedded`` in its own process, then runs ``map_bench_client.py`` once per client, op and
concurrency, one after the other, each client in its own process (ours from this workspace, the official 5.7.0 from
its own venv). Prints ops/s and client CPU µs per op for both, and the ratio ours/official of CPU per op::

    uv run --all-packages python benchmarks/map_bench.py [--ops 50000] [--concurrency 64 1]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.interop.official_env import official_python  # noqa: E402

CLIENT_SCRIPT = ROOT / "benchmarks" / "map_bench_client.py"


def start_member(members: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "hazelcast.embedded", "--port", "0", "--members", str(members)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline())
    return process, ready["members"][0]


def run_client(python: str, label: str, address: str, op: str, concurrency: int, ops: int) -> dict[str, float]:
    completed = subprocess.run(
        [python, str(CLIENT_SCRIPT), "--label", label, "--members", address, "--op", op,
         "--concurrency", str(concurrency), "--ops", str(ops), "--warmup", str(min(ops, 5000)),
         "--map-name", f"bench-{label}-{op}-{concurrency}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{label} client failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=50_000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64, 1])
    parser.add_argument("--ops-sequential", type=int, default=10_000, help="ops when concurrency is 1")
    args = parser.parse_args()

    official = str(official_python())
    member, address = start_member(1)
    try:
        print(f"member {address}; ours: {sys.executable}; official 5.7.0: {official}")
        print(f"{'op':<4} {'tasks':>5} | {'ours ops/s':>11} {'µs CPU/op':>10} | {'official ops/s':>14} {'µs CPU/op':>10} "
              f"| {'CPU ratio':>9}")
        for concurrency in args.concurrency:
            ops = args.ops if concurrency > 1 else args.ops_sequential
            for op in ("set", "get"):
                ours = run_client(sys.executable, "ours", address, op, concurrency, ops)
                theirs = run_client(official, "official", address, op, concurrency, ops)
                ratio = ours["cpu_us_per_op"] / theirs["cpu_us_per_op"]
                print(f"{op:<4} {concurrency:>5} | {ours['ops_per_s']:>11.0f} {ours['cpu_us_per_op']:>10.1f} | "
                      f"{theirs['ops_per_s']:>14.0f} {theirs['cpu_us_per_op']:>10.1f} | {ratio:>8.0%}", flush=True)
    finally:
        member.terminate()
        member.wait(timeout=10)


if __name__ == "__main__":
    main()
