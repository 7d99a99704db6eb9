"""SQL over 100,000 map entries: our client against the official one, on the same embedded member.

Starts ``python -m hazelcast.embedded`` in its own process, loads the entries once, then runs
``sql_bench_client.py`` for each client in its own process (ours from this workspace, the official 5.7.0 from its
own venv): a SELECT with a WHERE that keeps half the entries, and a full scan. Prints rows/s and client CPU µs per
row for both, and the ratio ours/official of CPU per row::

    uv run --all-packages python benchmarks/sql_bench.py [--entries 100000] [--repeat 3]
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

CLIENT_SCRIPT = ROOT / "benchmarks" / "sql_bench_client.py"


def run_client(python: str, label: str, address: str, *extra: str) -> list[dict[str, float]]:
    completed = subprocess.run(
        [python, str(CLIENT_SCRIPT), "--label", label, "--members", address, *extra],
        capture_output=True, text=True, timeout=1200,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{label} client failed:\n{completed.stderr}")
    return [json.loads(line) for line in completed.stdout.strip().splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cursor-buffer-size", type=int, default=4096)
    args = parser.parse_args()

    official = str(official_python())
    member, address = start_member(1)
    try:
        print(f"member {address}; ours: {sys.executable}; official 5.7.0: {official}; {args.entries} entries")
        run_client(sys.executable, "ours", address, "--setup", "--entries", str(args.entries))
        common = ["--repeat", str(args.repeat), "--cursor-buffer-size", str(args.cursor_buffer_size)]
        ours = run_client(sys.executable, "ours", address, *common)
        theirs = run_client(official, "official", address, *common)
        print(f"{'query':<6} {'rows':>7} | {'ours rows/s':>11} {'µs CPU/row':>10} | {'official rows/s':>15} "
              f"{'µs CPU/row':>10} | {'CPU ratio':>9}")
        for mine, other in zip(ours, theirs):
            ratio = mine["cpu_us_per_row"] / other["cpu_us_per_row"]
            print(f"{mine['query']:<6} {mine['rows']:>7} | {mine['rows_per_s']:>11.0f} "
                  f"{mine['cpu_us_per_row']:>10.2f} | "
                  f"{other['rows_per_s']:>15.0f} {other['cpu_us_per_row']:>10.2f} | {ratio:>8.0%}", flush=True)
    finally:
        member.terminate()
        member.wait(timeout=10)


if __name__ == "__main__":
    main()
