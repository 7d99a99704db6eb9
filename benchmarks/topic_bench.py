"""Topic publish (1 and 8 listeners) and Ringbuffer add: our client against the official one, on the same member.

Starts ``python -m hazelcast.embedded`` in its own process, then runs ``topic_bench_client.py`` once per client and
case, one after the other, each client in its own process (ours from this workspace, the official 5.7.0 from its own
venv). Prints ops/s and client CPU µs per op for both, and the ratio ours/official of CPU per op::

    uv run --all-packages python benchmarks/topic_bench.py [--ops 20000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.suite import start_member  # noqa: E402
from tests.interop.official_env import official_python  # noqa: E402

CLIENT_SCRIPT = ROOT / "benchmarks" / "topic_bench_client.py"
CASES = (("publish", 1), ("publish", 8), ("rb-add", 0))


def run_client(
    python: str, label: str, address: str, op: str, listeners: int, concurrency: int, ops: int
) -> dict[str, float]:
    completed = subprocess.run(
        [python, str(CLIENT_SCRIPT), "--label", label, "--members", address, "--op", op, "--listeners",
         str(listeners), "--concurrency", str(concurrency), "--ops", str(ops), "--warmup", str(min(ops, 2000)),
         "--name", f"bench-{label}-{op}-{listeners}-{concurrency}"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{label} client failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64])
    args = parser.parse_args()

    official = str(official_python())
    member, address = start_member([])
    try:
        print(f"member {address}; ours: {sys.executable}; official 5.7.0: {official}")
        print(f"{'case':<12} {'tasks':>5} | {'ours ops/s':>11} {'µs CPU/op':>10} | {'official ops/s':>14} "
              f"{'µs CPU/op':>10} | {'CPU ratio':>9}")
        for concurrency in args.concurrency:
            for op, listeners in CASES:
                case = f"{op}" + (f" x{listeners}" if op == "publish" else "")
                ours = run_client(sys.executable, "ours", address, op, listeners, concurrency, args.ops)
                theirs = run_client(official, "official", address, op, listeners, concurrency, args.ops)
                ratio = ours["cpu_us_per_op"] / theirs["cpu_us_per_op"]
                print(f"{case:<12} {concurrency:>5} | {ours['ops_per_s']:>11.0f} {ours['cpu_us_per_op']:>10.1f} | "
                      f"{theirs['ops_per_s']:>14.0f} {theirs['cpu_us_per_op']:>10.1f} | {ratio:>8.0%}", flush=True)
    finally:
        member.terminate()
        member.wait(timeout=10)


if __name__ == "__main__":
    main()
