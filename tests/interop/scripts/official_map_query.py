"""Run queries, aggregations, projections, paging and an entry processor with the official asyncio client.

Run by the interpreter of the official hazelcast-python-client venv::

    python official_map_query.py --members 127.0.0.1:5701 --map people --ours-map people-ours

It fills map ``--map`` with JSON people (read back later by our client through the member), checks its queries on
it, and checks queries on ``--ours-map``, which our client filled before. The entry processor (factory 1977, class 1:
add an int to the value) and the interceptor (class 2: upper-case puts) must be registered on the member.
Prints one JSON line: ``{"ok": true, "checks": N}`` or
``{"ok": false, "failed": ..., "detail": ...}``; exits 0 only when every check passed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
from typing import Any

from hazelcast import aggregator as agg
from hazelcast import predicate as p
from hazelcast import projection as proj
from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue
from hazelcast.serialization.api import IdentifiedDataSerializable

PEOPLE = {f"p{i}": {"name": f"name{i}", "age": 20 + i % 10, "city": {"name": ["Oslo", "Rome"][i % 2]}} for i in range(30)}


class Adder(IdentifiedDataSerializable):
    def __init__(self, delta: int = 0) -> None:
        self.delta = delta

    def write_data(self, out: Any) -> None:
        out.write_int(self.delta)

    def read_data(self, inp: Any) -> None:
        self.delta = inp.read_int()

    def get_factory_id(self) -> int:
        return 1977

    def get_class_id(self) -> int:
        return 1


class Upper(IdentifiedDataSerializable):
    """An interceptor the member runs (factory 1977, class 2): strings are stored upper-cased."""

    def write_data(self, out: Any) -> None:
        pass

    def read_data(self, inp: Any) -> None:
        pass

    def get_factory_id(self) -> int:
        return 1977

    def get_class_id(self) -> int:
        return 2


class Checks:
    def __init__(self) -> None:
        self.count = 0

    def equal(self, name: str, actual: Any, expected: Any) -> None:
        if actual != expected:
            raise AssertionError(f"{name}: got {actual!r}, expected {expected!r}")
        self.count += 1


async def run(args: argparse.Namespace, checks: Checks) -> None:
    client = await HazelcastClient.create_and_start(cluster_members=args.members.split(","), cluster_name="dev")
    try:
        people = await client.get_map(args.map)
        await people.add_index(attributes=["age"])
        await people.add_index(attributes=["city.name"], index_type="HASH", name="by-city")
        await people.add_index(
            attributes=["name"], index_type="BITMAP",
            bitmap_index_options={"unique_key": "__key", "unique_key_transformation": "RAW"},
        )
        await people.put_all({key: HazelcastJsonValue(json.dumps(value)) for key, value in PEOPLE.items()})
        expected_25 = sorted(k for k, v in PEOPLE.items() if v["age"] == 25)
        checks.equal("equal", sorted(await people.key_set(p.equal("age", 25))), expected_25)
        checks.equal("sql", sorted(await people.key_set(p.sql("age = 25 AND city.name = 'Rome'"))), expected_25)
        checks.equal("between", len(await people.values(p.between("age", 20, 22))), 9)
        like = sorted(await people.key_set(p.like("name", "name1_")))
        checks.equal("like", like, sorted(f"p{i}" for i in range(10, 20)))
        checks.equal("count", await people.aggregate(agg.count()), 30)
        checks.equal("int_sum", await people.aggregate(agg.int_sum("age")), sum(v["age"] for v in PEOPLE.values()))
        checks.equal("avg", await people.aggregate(agg.number_avg("age"), p.equal("city.name", "Oslo")), 24.0)
        checks.equal("distinct", await people.aggregate(agg.distinct("city.name")), {"Oslo", "Rome"})
        checks.equal("max", await people.aggregate(agg.max_("age")), 29)
        oldest = await people.aggregate(agg.max_by("age"), p.less("age", 21))
        checks.equal("max_by key", oldest.key in ("p0", "p10", "p20"), True)
        checks.equal("max_by value", json.loads(oldest.value.to_string())["age"], 20)
        names = await people.project(proj.single_attribute("name"), p.equal("age", 21))
        checks.equal("project", sorted(names), ["name1", "name11", "name21"])
        pairs = await people.project(proj.multi_attribute("__key", "age"), p.equal("__key", "p3"))
        checks.equal("multi", pairs, [["p3", 23]])
        paging = p.paging(p.less("age", 22), 4)
        first = await people.key_set(paging)
        paging.next_page()
        second = await people.key_set(paging)
        paging.next_page()
        third = await people.key_set(paging)
        checks.equal("paging sizes", [len(first), len(second), len(third)], [4, 2, 0])
        checks.equal("paging covers", sorted(first + second), sorted(k for k, v in PEOPLE.items() if v["age"] < 22))

        entries_page = p.paging(p.greater_or_equal("age", 29), 2)
        checks.equal("entry page", len(await people.entry_set(entries_page)), 2)
        entries_page.next_page()
        checks.equal("entry page 2", len(await people.entry_set(entries_page)), 1)
        doomed = await client.get_map(args.map + "-doomed")
        await doomed.put_all({i: i for i in range(10)})
        await doomed.remove_all(p.sql("this >= 5"))
        checks.equal("remove_all", sorted(await doomed.key_set()), [0, 1, 2, 3, 4])

        counters = await client.get_map(args.map + "-counters")
        await counters.put_all({"a": 1, "b": 2})
        checks.equal("execute_on_key", await counters.execute_on_key("a", Adder(10)), 1)
        checks.equal("executed value", await counters.get("a"), 11)
        results = await counters.execute_on_entries(Adder(1), p.equal("__key", "b"))
        checks.equal("execute_on_entries", [(k, v) for k, v in results], [("b", 2)])
        checks.equal("entries after", sorted(await counters.entry_set()), [("a", 11), ("b", 3)])

        words = await client.get_map(args.map + "-words")
        registration = await words.add_interceptor(Upper())
        await words.put("w", "quiet")
        checks.equal("intercepted", await words.get("w"), "QUIET")
        checks.equal("remove_interceptor", await words.remove_interceptor(registration), True)
        await words.put("w", "quiet")
        checks.equal("not intercepted", await words.get("w"), "quiet")

        ours = await client.get_map(args.ours_map)
        checks.equal("ours equal", sorted(await ours.key_set(p.greater_or_equal("score", 8))), [8, 9])
        checks.equal("ours sum", await ours.aggregate(agg.long_sum("score")), 45)
        checks.equal("ours project", sorted(await ours.project(proj.single_attribute("label"), p.less("score", 2))), ["L0", "L1"])
    finally:
        await client.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", required=True)
    parser.add_argument("--map", required=True)
    parser.add_argument("--ours-map", required=True)
    args = parser.parse_args()
    checks = Checks()
    try:
        asyncio.run(asyncio.wait_for(run(args, checks), 30))
    except BaseException as error:  # noqa: BLE001 - reported as the script's one JSON line
        print(json.dumps({"ok": False, "failed": type(error).__name__, "detail": "".join(traceback.format_exception(error))}))
        return 1
    print(json.dumps({"ok": True, "checks": checks.count}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
