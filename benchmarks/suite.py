"""The benchmark suite: our client against the official hazelcast-python-client 5.7.0, on the same member, in one run.

Starts the embedded member (``python -m hazelcast.embedded``) in its own process, or uses the member given with
``--members host:port`` (a real Hazelcast member is the judge where users run). With two or more cores, the member
is pinned to the first core and the clients to the others (``os.sched_setaffinity``), so client CPU is not mixed
with the member's. For each workload, ``client_runner.py`` runs once per client and repeat, ours and the official
interleaved (ours, official, ours, official, ...), each in its own process; the median of the repeats is printed::

    uv run --all-packages python benchmarks/suite.py                  # every workload, embedded member
    uv run --all-packages python benchmarks/suite.py --quick          # smoke run: few operations, one repeat
    uv run --all-packages python benchmarks/suite.py --members 10.0.0.5:5701 --workloads map_set map_get

Per workload and client: ops/s, client CPU µs per operation (user + system, and the system part), p50 and p99
latency, and the ratios ours/official of throughput and CPU per op. Then the resident memory of each client before
and after its measured part (``--memory-ops`` runs a long map_set of our client alone to show it stays flat).
A workload the checkout lacks (SQL before its distribution is merged) prints a note instead of figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.interop.official_env import official_python  # noqa: E402

RUNNER = ROOT / "benchmarks" / "client_runner.py"


@dataclass(frozen=True)
class Workload:
    label: str
    runner_workload: str
    tasks: int
    ops: int
    warmup: int


WORKLOADS = (
    Workload("map set, 64 tasks", "map_set", 64, 50_000, 5_000),
    Workload("map get, 64 tasks", "map_get", 64, 50_000, 5_000),
    Workload("map set, 1 in flight", "map_set", 1, 10_000, 2_000),
    Workload("map get, 1 in flight", "map_get", 1, 10_000, 2_000),
    Workload("map put_all 100, 8 tasks", "map_put_all", 8, 2_000, 200),
    Workload("map get_all 100, 8 tasks", "map_get_all", 8, 2_000, 200),
    Workload("map set 1 MiB, 1 in flight", "map_set_1mib", 1, 300, 30),
    Workload("map get 1 MiB, 1 in flight", "map_get_1mib", 1, 300, 30),
    Workload("map set 16 MiB, 1 in flight", "map_set_16mib", 1, 20, 3),
    Workload("map get 16 MiB, 1 in flight", "map_get_16mib", 1, 20, 3),
    Workload("queue offer, 64 tasks", "queue_offer", 64, 20_000, 2_000),
    Workload("queue poll, 64 tasks", "queue_poll", 64, 20_000, 2_000),
    Workload("list add, 64 tasks", "list_add", 64, 20_000, 2_000),
    Workload("list get, 64 tasks", "list_get", 64, 20_000, 2_000),
    Workload("topic publish, 64 tasks", "topic_publish", 64, 20_000, 2_000),
    Workload("atomic long increment, 64 tasks", "atomic_long_increment", 64, 20_000, 2_000),
    Workload("ringbuffer add, 64 tasks", "ringbuffer_add", 64, 20_000, 2_000),
    Workload("vector put, 16 tasks", "vector_put", 16, 5_000, 500),
    Workload("vector search, 16 tasks", "vector_search", 16, 2_000, 200),
    Workload("SQL 100 rows, 8 tasks", "sql_rows", 8, 500, 50),
)
_QUICK_DIVISOR = 50


def cores() -> list[int]:
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux: no pinning
        return []


def pin(pid: int, cpus: list[int]) -> None:
    if cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(pid, cpus)


def start_member(cpus: list[int]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "hazelcast.embedded", "--port", "0", "--members", "1"],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: pin(0, cpus)) if cpus else None,
    )
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline())
    return process, ready["members"][0]


def member_cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system) the member process has used so far (0 when it is not ours to read)."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def member_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_client(python: str, label: str, address: str, workload: Workload, ops: int, warmup: int,
               cpus: list[int], member_pid: int | None = None) -> dict[str, Any]:
    member_before = member_cpu_s(member_pid)
    completed = subprocess.run(
        [python, str(RUNNER), "--label", label, "--members", address, "--workload", workload.runner_workload,
         "--tasks", str(workload.tasks), "--ops", str(ops), "--warmup", str(warmup)],
        capture_output=True,
        text=True,
        timeout=900,
        preexec_fn=(lambda: pin(0, cpus)) if cpus else None,
    )
    if completed.returncode != 0:
        return {"client": label, "failed": completed.stderr.strip().splitlines()[-1:] or ["no output"]}
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    # The member's CPU over the whole client run (set-up and warm-up included: an upper bound per operation).
    result["member_us_per_op"] = (member_cpu_s(member_pid) - member_before) * 1e6 / (ops + warmup)
    return result


_FIGURES = ("ops_per_s", "cpu_us_per_op", "user_us_per_op", "sys_us_per_op", "p50_us", "p99_us", "member_us_per_op")


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the repeats (the first run's memory figures and the last one's)."""
    merged = {key: statistics.median(run[key] for run in runs) for key in _FIGURES}
    merged["rss_start_kib"] = runs[0]["rss_start_kib"]
    merged["rss_end_kib"] = runs[-1]["rss_end_kib"]
    merged["cpu_range"] = (min(run["cpu_us_per_op"] for run in runs), max(run["cpu_us_per_op"] for run in runs))
    return merged


HEADER = (f"{'workload':<34} | {'ours ops/s':>10} {'CPU µs':>8} {'sys':>6} {'p50 µs':>8} {'p99 µs':>8} | "
          f"{'off. ops/s':>10} {'CPU µs':>8} {'sys':>6} {'p50 µs':>8} {'p99 µs':>8} | {'ops x':>6} {'CPU x':>6} | "
          f"{'member µs':>9}")


def row(label: str, ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    def figures(result: dict[str, Any]) -> str:
        return (f"{result['ops_per_s']:>10.0f} {result['cpu_us_per_op']:>8.1f} {result['sys_us_per_op']:>6.1f} "
                f"{result['p50_us']:>8.0f} {result['p99_us']:>8.0f}")

    def ratio(key: str) -> float:
        return ours[key] / theirs[key] if theirs[key] else float("nan")

    return (f"{label:<34} | {figures(ours)} | {figures(theirs)} | "
            f"{ratio('ops_per_s'):>6.2f} {ratio('cpu_us_per_op'):>6.2f} | {ours['member_us_per_op']:>9.1f}")


async def _load_entries(address: str, count: int) -> int:
    """Put ``count`` entries (int keys, 100-byte strings) through our client; return their serialized size."""
    from hazelcast.asyncio import HazelcastClient

    client = await HazelcastClient.create_and_start(cluster_members=[address], cluster_name="dev")
    try:
        entries = await client.get_map("bench-memory")
        serialization = getattr(client, "_serialization", None)
        value = "value-".ljust(100, "x")
        size = 0
        for start in range(0, count, 2000):
            batch = {key: value for key in range(start, min(count, start + 2000))}
            await entries.put_all(batch)
        if serialization is not None:
            size = count * (len(serialization.to_data(0)) + len(serialization.to_data(value)))
        else:
            size = count * (12 + 112)  # an int key: 8-byte header + 4; the value: 8 + 4-byte length + 100
        return size
    finally:
        await client.shutdown()


def member_memory(member_pid: int, address: str, count: int) -> str:
    before = member_rss_kib(member_pid)
    serialized = asyncio.run(_load_entries(address, count))
    after = member_rss_kib(member_pid)
    held = (after - before) * 1024
    return (f"member memory: {count:,} entries (int key, 100-byte string) of {serialized / count:.0f} serialized bytes "
            f"each: resident grew {held / 2**20:.0f} MiB, {held / count:.0f} bytes per entry = "
            f"{held / serialized:.2f}x their serialized size")


def cluster_start_time(members: int) -> str:
    from hazelcast.embedded import EmbeddedCluster

    async def start_and_stop() -> float:
        cluster = EmbeddedCluster(members)
        started = time.perf_counter()
        await cluster.start()
        elapsed = time.perf_counter() - started
        await cluster.shutdown()
        return elapsed

    created = time.perf_counter()
    first = asyncio.run(start_and_stop())
    first_total = time.perf_counter() - created
    again = asyncio.run(start_and_stop())
    return (f"embedded cluster of {members}: first start {first_total * 1000:.0f} ms in this process (plugin "
            f"loading included; start() alone {first * 1000:.0f} ms), a second start {again * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", help="host:port of a running member (default: start an embedded one)")
    parser.add_argument("--workloads", nargs="+", help="runner workload names (map_set, queue_poll, ...) to run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per client and workload (median printed)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1/50 of the operations, one repeat")
    parser.add_argument("--official-python", help="interpreter of the official client (default: its venv)")
    parser.add_argument("--memory-ops", type=int, default=0,
                        help="after the table, run map_set of our client for this many ops and print its memory")
    parser.add_argument("--member-entries", type=int, default=None,
                        help="entries to load into the embedded member to measure its memory (default 1,000,000; "
                             "0 in quick mode)")
    parser.add_argument("--json", action="store_true", help="also print every result as a JSON line")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)

    official = args.official_python or str(official_python())
    available = cores()
    member_cpus, client_cpus = (available[:1], available[1:]) if len(available) >= 2 else ([], [])
    member = None
    if args.members:
        address = args.members
    else:
        member, address = start_member(member_cpus)
    selected = [w for w in WORKLOADS if not args.workloads or w.runner_workload in args.workloads]
    try:
        print(f"member {address}{' (embedded)' if member else ''}; member cores {member_cpus or 'any'}, "
              f"client cores {client_cpus or 'any'}; ours: {sys.executable}; official 5.7.0: {official}; "
              f"median of {repeat} interleaved run(s)", flush=True)
        print(HEADER)
        print("-" * len(HEADER), flush=True)
        failures = 0
        memory: list[str] = []
        for workload in selected:
            ops = max(workload.tasks, workload.ops // _QUICK_DIVISOR) if args.quick else workload.ops
            warmup = max(1, workload.warmup // _QUICK_DIVISOR) if args.quick else workload.warmup
            results: dict[str, list[dict[str, Any]]] = {"ours": [], "official": []}
            notes = []
            for _ in range(repeat if not notes else 0):
                for label, python in (("ours", sys.executable), ("official", official)):
                    result = run_client(python, label, address, workload, ops, warmup, client_cpus,
                                        member.pid if member else None)
                    if args.json:
                        print(json.dumps(result))
                    if "skipped" in result:
                        notes.append(f"{label}: skipped ({result['skipped']})")
                        break  # nothing to compare with: the other client need not run
                    elif "failed" in result:
                        notes.append(f"{label}: failed ({result['failed'][0]})")
                    else:
                        results[label].append(result)
            if results["ours"] and results["official"]:
                ours, theirs = median_of(results["ours"]), median_of(results["official"])
                print(row(workload.label, ours, theirs), flush=True)
                memory.append(f"{workload.label:<34} | ours {ours['rss_start_kib']:>7} -> {ours['rss_end_kib']:>7} KiB"
                              f" | official {theirs['rss_start_kib']:>7} -> {theirs['rss_end_kib']:>7} KiB")
                if repeat > 1:
                    notes.append(f"CPU µs/op range ours {ours['cpu_range'][0]:.1f}-{ours['cpu_range'][1]:.1f}, "
                                 f"official {theirs['cpu_range'][0]:.1f}-{theirs['cpu_range'][1]:.1f}")
            else:
                print(f"{workload.label:<34} | no comparison", flush=True)
                failures += any("failed" in note for note in notes)
            for note in dict.fromkeys(notes):
                print(f"{'':<34}   {note}", flush=True)
        print("\nclient resident memory before -> after the measured part (last repeat)")
        print("\n".join(memory))
        if args.memory_ops:
            long_run = Workload("map set, 64 tasks (long run)", "map_set", 64, args.memory_ops, 5_000)
            result = run_client(sys.executable, "ours", address, long_run, args.memory_ops, 5_000, client_cpus)
            if "failed" in result:
                print(f"long run failed: {result['failed'][0]}")
                failures += 1
            else:
                print(f"ours, {args.memory_ops:,} map sets: {result['rss_start_kib']} -> {result['rss_end_kib']} KiB "
                      f"resident, {result['ops_per_s']:.0f} ops/s")
        if member is not None:
            entries = args.member_entries if args.member_entries is not None else (0 if args.quick else 1_000_000)
            print("\n" + cluster_start_time(3))
            if entries:
                print(member_memory(member.pid, address, entries), flush=True)
        return 1 if failures else 0
    finally:
        if member is not None:
            member.terminate()
            member.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
