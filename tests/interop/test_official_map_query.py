"""The official hazelcast-python-client 5.7.0 queries the embedded member, and both clients query what the other wrote.

``scripts/official_map_query.py`` runs predicates (SQL too), aggregations, projections, paging and an
IdentifiedDataSerializable entry processor and an interceptor that the member runs through registered server classes. Our client
then queries, aggregates and projects the entries the official client wrote; the official client did the same on
entries ours wrote.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from hazelcast import aggregator as agg
from hazelcast import predicate as p
from hazelcast import projection as proj
from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.serialization.api import IdentifiedDataSerializable
from tests.e2e.conftest import running_client
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_map_query.py"
_MIN_CHECKS = 20


class Adder(IdentifiedDataSerializable):
    """The member's implementation of the script's entry processor (factory 1977, class 1)."""

    def __init__(self) -> None:
        self.delta = 0

    def write_data(self, out: Any) -> None:
        out.write_int(self.delta)

    def read_data(self, inp: Any) -> None:
        self.delta = inp.read_int()

    def get_factory_id(self) -> int:
        return 1977

    def get_class_id(self) -> int:
        return 1

    def process(self, entry: Any) -> Any:
        previous = entry.value
        entry.value = previous + self.delta
        return previous


class Upper(IdentifiedDataSerializable):
    """The member's implementation of the script's interceptor (factory 1977, class 2)."""

    def write_data(self, out: Any) -> None:
        """No fields."""

    def read_data(self, inp: Any) -> None:
        """No fields."""

    def get_factory_id(self) -> int:
        return 1977

    def get_class_id(self) -> int:
        return 2

    def intercept_put(self, old_value: Any, new_value: Any) -> Any:
        return new_value.upper() if isinstance(new_value, str) else None


class _AdderPlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(1977, 1, Adder), ServerClass(1977, 2, Upper))


@pytest.mark.parametrize("member_count", [1, 3])
async def test_official_client_queries_and_both_read_each_other(official_python: Path, member_count: int) -> None:
    async with EmbeddedCluster(member_count=member_count, plugins=[_AdderPlugin()]) as cluster:
        async with running_client(cluster) as client:
            ours = await client.get_map("ours")
            await ours.put_all(
                {i: HazelcastJsonValue(json.dumps({"score": i, "label": f"L{i}"})) for i in range(10)}
            )
            process = await asyncio.create_subprocess_exec(
                str(official_python), str(_SCRIPT), "--members", ",".join(cluster.addresses),
                "--map", "people", "--ours-map", "ours",
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            try:
                stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
            except TimeoutError:
                process.kill()
                await process.communicate()
                pytest.fail("the official query script did not finish within 60 s")
            lines = stdout.decode().strip().splitlines()
            assert lines, stderr.decode(errors="replace")
            report = json.loads(lines[-1])
            assert report["ok"] is True, report.get("detail")
            assert report["checks"] >= _MIN_CHECKS
            assert process.returncode == 0

            people = await client.get_map("people")
            assert sorted(await people.key_set(p.sql("age = 25"))) == ["p15", "p25", "p5"]
            assert await people.aggregate(agg.count(), p.equal("city.name", "Rome")) == 15
            assert await people.aggregate(agg.long_avg("age")) == 24.5
            assert sorted(await people.project(proj.single_attribute("name"), p.equal("age", 29))) == [
                "name19", "name29", "name9",
            ]
            counters = await client.get_map("people-counters")
            assert sorted(await counters.entry_set()) == [("a", 11), ("b", 3)]
