"""Fault-injection fixtures: the session's fault ledger, scenario lengths, and a client against an embedded cluster.

Every test of this package records what it did in the session-scoped :class:`FaultLedger` (faults injected, operations
issued, acknowledged writes checked and lost, events expected and received). The ledger is printed as a table at the
end of the session and, when ``HAZELCAST_FAULT_REPORT`` names a file, written there as JSON.

CI runs each scenario for a few seconds; ``HAZELCAST_SOAK=1`` turns them into the long run (``SOAK_FACTOR`` times the
iterations, e.g. 21 member kills instead of 3).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster

SOAK = bool(os.environ.get("HAZELCAST_SOAK"))
#: How many times longer (more iterations, longer loads) the opt-in long run is than the CI run.
SOAK_FACTOR = int(os.environ.get("HAZELCAST_SOAK_FACTOR", 7)) if SOAK else 1

_COLUMNS = (
    ("faults", "faults injected"),
    ("operations", "operations issued"),
    ("acknowledged_checked", "acknowledged writes checked"),
    ("acknowledged_lost", "acknowledged writes lost"),
    ("indeterminate", "writes failed (outcome unknown)"),
    ("events_expected", "events expected"),
    ("events_received", "events received"),
    ("duplicate_events", "duplicate events"),
    ("longest_gap_ms", "longest pause after a fault (ms)"),
)


@dataclass
class ScenarioRecord:
    """What one test did: the figures of one row of the summary table."""

    faults: int = 0
    operations: int = 0
    acknowledged_checked: int = 0
    acknowledged_lost: int = 0
    indeterminate: int = 0
    events_expected: int = 0
    events_received: int = 0
    duplicate_events: int = 0
    longest_gap_ms: int = 0
    fault_kinds: dict[str, int] = field(default_factory=dict)

    def fault(self, kind: str, count: int = 1) -> None:
        """Count ``count`` faults of ``kind`` (``"kill"``, ``"suspend"``, ``"cluster-restart"``...)."""
        self.faults += count
        self.fault_kinds[kind] = self.fault_kinds.get(kind, 0) + count

    def gap(self, seconds: float) -> None:
        """Keep the longest pause in acknowledged operations seen after a fault."""
        self.longest_gap_ms = max(self.longest_gap_ms, round(seconds * 1000))


class FaultLedger:
    """Per-scenario records of the session, by test id, and the fuzz inputs run in the same session."""

    def __init__(self) -> None:
        self.records: dict[str, ScenarioRecord] = {}
        #: Inputs the protocol fuzz tests (tests/fuzz) ran, and fuzz tests that failed (a crash or an escape).
        self.fuzz_inputs = 0
        self.fuzz_crashes = 0

    def count_fuzz_input(self, observation: Any, *thread: int) -> None:
        if getattr(observation, "type", None) == "test_case":
            self.fuzz_inputs += 1

    def scenario(self, name: str) -> ScenarioRecord:
        return self.records.setdefault(name, ScenarioRecord())

    def totals(self) -> ScenarioRecord:
        total = ScenarioRecord()
        for record in self.records.values():
            for name, _ in _COLUMNS:
                if name == "longest_gap_ms":
                    total.longest_gap_ms = max(total.longest_gap_ms, record.longest_gap_ms)
                else:
                    setattr(total, name, getattr(total, name) + getattr(record, name))
            for kind, count in record.fault_kinds.items():
                total.fault_kinds[kind] = total.fault_kinds.get(kind, 0) + count
        return total

    def report(self) -> dict[str, Any]:
        return {
            "soak": SOAK,
            "soak_factor": SOAK_FACTOR,
            "scenarios": {name: asdict(record) for name, record in self.records.items()},
            "totals": asdict(self.totals()),
            "fuzz_inputs": self.fuzz_inputs,
            "fuzz_crashes": self.fuzz_crashes,
        }

    def table(self) -> list[str]:
        names = list(self.records)
        totals = self.totals()
        width = max((len(label) for _, label in _COLUMNS), default=0)
        lines = [f"{'scenario':<{width}}  figure"]
        for index, name in enumerate(names, 1):
            lines.append(f"  [{index}] {name}")
        header = f"{'':<{width}}  " + "  ".join(f"{f'[{i}]':>7}" for i in range(1, len(names) + 1)) + "    total"
        lines = [*lines, header]
        for column, label in _COLUMNS:
            cells = "  ".join(f"{getattr(self.records[name], column):>7}" for name in names)
            lines.append(f"{label:<{width}}  {cells}  {getattr(totals, column):>7}")
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(totals.fault_kinds.items()))
        lines.append(f"fault kinds: {kinds or 'none'}")
        lines.append(f"fuzz inputs run (tests/fuzz in this session): {self.fuzz_inputs}, crashes: {self.fuzz_crashes}")
        return lines


_LEDGER_KEY = pytest.StashKey[FaultLedger]()


def _ledger(config: pytest.Config) -> FaultLedger:
    ledger = config.stash.get(_LEDGER_KEY, None)
    if ledger is None:
        ledger = config.stash[_LEDGER_KEY] = FaultLedger()
    return ledger


@pytest.fixture(scope="session")
def fault_ledger(request: pytest.FixtureRequest) -> FaultLedger:
    return _ledger(request.config)


def _is_fuzz(nodeid: str) -> bool:
    return nodeid.replace("\\", "/").startswith("tests/fuzz/")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    # The fuzz tests of the same session are counted through Hypothesis' observability hook: one observation per
    # input. Only then, as collecting observations costs a little on every input.
    if any(_is_fuzz(item.nodeid) for item in items):
        from hypothesis.internal.observability import add_observability_callback

        add_observability_callback(_ledger(config).count_fuzz_input, all_threads=True)


@pytest.fixture
def record(fault_ledger: FaultLedger, request: pytest.FixtureRequest) -> ScenarioRecord:
    """This test's row of the ledger."""
    return fault_ledger.scenario(request.node.name)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    ledger = config.stash.get(_LEDGER_KEY, None)
    if ledger is None or not (ledger.records or ledger.fuzz_inputs):
        return
    ledger.fuzz_crashes = sum(
        1 for report in terminalreporter.stats.get("failed", []) if _is_fuzz(getattr(report, "nodeid", ""))
    )
    terminalreporter.section(f"fault injection ({'long run' if SOAK else 'CI run'})")
    for line in ledger.table():
        terminalreporter.write_line(line)
    path = os.environ.get("HAZELCAST_FAULT_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as report:
            json.dump(ledger.report(), report, indent=2)
        terminalreporter.write_line(f"fault report written to {path}")


@contextlib.asynccontextmanager
async def faulty_client(cluster: EmbeddedCluster, **options: Any) -> AsyncIterator[HazelcastClient]:
    """A client of ``cluster`` that retries quickly, as a fault test wants to see recovery soon after a fault."""
    options.setdefault("cluster_members", list(cluster.addresses))
    options.setdefault("cluster_connect_timeout", 20)
    options.setdefault("retry_initial_backoff", 0.05)
    options.setdefault("retry_max_backoff", 0.2)
    options.setdefault("invocation_retry_pause", 0.05)
    client = await HazelcastClient.create_and_start(**options)
    try:
        yield client
    finally:
        await client.shutdown()
