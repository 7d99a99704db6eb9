"""Drive one proxy scenario (list, set, queue, pn_counter, flake_id, executor) with the official asyncio client.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_collections.py --members 127.0.0.1:5701 --scenario queue

Each scenario works on objects with fresh names and checks every result. The executor scenario submits
``SquareTask`` (factory id 4243, class id 1), which the member under test must run as ``value * value``. The script
prints one JSON line, ``{"ok": true, "checks": N}`` or ``{"ok": false, "failed": ..., "detail": ...}``, and exits 0
only on success; the whole run is bounded by ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import traceback
import uuid
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.errors import IllegalStateError
from hazelcast.serialization.api import IdentifiedDataSerializable

TASK_FACTORY_ID = 4243
SQUARE_CLASS_ID = 1


class SquareTask(IdentifiedDataSerializable):
    def __init__(self, value: int = 0) -> None:
        self.value = value

    def write_data(self, object_data_output: Any) -> None:
        object_data_output.write_int(self.value)

    def read_data(self, object_data_input: Any) -> None:
        self.value = object_data_input.read_int()

    def get_factory_id(self) -> int:
        return TASK_FACTORY_ID

    def get_class_id(self) -> int:
        return SQUARE_CLASS_ID


class CheckFailed(Exception):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


class Checker:
    def __init__(self) -> None:
        self.count = 0

    def equal(self, name: str, actual: Any, expected: Any) -> None:
        self.count += 1
        if type(actual) is not type(expected) or actual != expected:
            raise CheckFailed(name, f"expected {expected!r}, got {actual!r}")

    def true(self, name: str, condition: bool, detail: str = "") -> None:
        self.count += 1
        if not condition:
            raise CheckFailed(name, detail or "condition is false")


async def _eventually(condition: Any, timeout: float = 5.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def scenario_list(client: Any, check: Checker) -> None:
    lst = await client.get_list(f"interop-list-{uuid.uuid4().hex}")
    events: list[Any] = []
    registration = await lst.add_listener(True, events.append, events.append)
    check.equal("add", await lst.add("a"), True)
    await lst.add_at(0, "start")
    check.equal("add_all", await lst.add_all(["b", "a"]), True)
    check.equal("add_all_at", await lst.add_all_at(1, ["x"]), True)
    check.equal("get_all", await lst.get_all(), ["start", "x", "a", "b", "a"])
    check.equal("get", await lst.get(1), "x")
    check.equal("size", await lst.size(), 5)
    check.equal("contains", await lst.contains("b"), True)
    check.equal("contains_all", await lst.contains_all(["a", "zz"]), False)
    check.equal("index_of", await lst.index_of("a"), 2)
    check.equal("last_index_of", await lst.last_index_of("a"), 4)
    check.equal("sub_list", await lst.sub_list(1, 3), ["x", "a"])
    check.equal("list_iterator", await lst.list_iterator(3), ["b", "a"])
    check.equal("iterator", await lst.iterator(), ["start", "x", "a", "b", "a"])
    check.equal("set_at", await lst.set_at(0, "first"), "start")
    check.equal("remove_at", await lst.remove_at(1), "x")
    check.equal("remove", await lst.remove("b"), True)
    check.equal("remove_all", await lst.remove_all(["a"]), True)
    check.equal("after removals", await lst.get_all(), ["first"])
    await lst.add_all([1, 2])
    check.equal("retain_all", await lst.retain_all([2]), True)
    check.equal("is_empty", await lst.is_empty(), False)
    await lst.clear()
    check.equal("cleared", await lst.size(), 0)
    check.true("events", await _eventually(lambda: len(events) >= 14), f"{len(events)} events")
    check.equal("event item", events[0].item, "a")
    check.equal("remove_listener", await lst.remove_listener(registration), True)


async def scenario_set(client: Any, check: Checker) -> None:
    s = await client.get_set(f"interop-set-{uuid.uuid4().hex}")
    added: list[Any] = []
    await s.add_listener(True, added.append)
    check.equal("add", await s.add("a"), True)
    check.equal("add duplicate", await s.add("a"), False)
    check.equal("add_all", await s.add_all(["b", "c"]), True)
    check.equal("get_all", sorted(await s.get_all()), ["a", "b", "c"])
    check.equal("contains", await s.contains("b"), True)
    check.equal("contains_all", await s.contains_all(["a", "c"]), True)
    check.equal("remove", await s.remove("a"), True)
    check.equal("remove_all", await s.remove_all(["b"]), True)
    check.equal("retain_all", await s.retain_all(["zz"]), True)
    check.equal("is_empty", await s.is_empty(), True)
    await s.add(1)
    await s.clear()
    check.equal("size", await s.size(), 0)
    check.true("events", await _eventually(lambda: len(added) == 4), f"{len(added)} added events")


async def scenario_queue(client: Any, check: Checker) -> None:
    q = await client.get_queue(f"interop-queue-{uuid.uuid4().hex}")
    removed: list[Any] = []
    await q.add_listener(True, item_removed_func=removed.append)
    check.equal("offer", await q.offer("a"), True)
    check.equal("add", await q.add("b"), True)
    await q.put("c")
    check.equal("add_all", await q.add_all(["d", "e"]), True)
    check.equal("size", await q.size(), 5)
    check.equal("peek", await q.peek(), "a")
    check.equal("poll", await q.poll(), "a")
    check.equal("take", await q.take(), "b")
    check.equal("contains", await q.contains("c"), True)
    check.equal("contains_all", await q.contains_all(["c", "d"]), True)
    check.equal("iterator", await q.iterator(), ["c", "d", "e"])
    target: list[Any] = []
    check.equal("drain_to", await q.drain_to(target, 1), 1)
    check.equal("drained", target, ["c"])
    check.equal("remove", await q.remove("e"), True)
    check.equal("remove_all", await q.remove_all(["d"]), True)
    check.equal("is_empty", await q.is_empty(), True)
    check.equal("remaining_capacity", await q.remaining_capacity(), 2**31 - 1)
    waiting = asyncio.ensure_future(q.poll(5))
    await asyncio.sleep(0.1)
    await q.offer("late")
    check.equal("timed poll", await waiting, "late")
    check.equal("poll timeout", await q.poll(0.1), None)
    await q.add_all([1, 2])
    check.equal("retain_all", await q.retain_all([2]), True)
    await q.clear()
    check.equal("cleared", await q.size(), 0)
    check.true("events", await _eventually(lambda: len(removed) == 8), f"{len(removed)} removed events")
    bounded = await client.get_queue(f"bounded-{uuid.uuid4().hex}")
    check.equal("bounded offer", await bounded.offer(1), True)
    check.equal("bounded full", await bounded.offer(2), False)
    try:
        await bounded.add(2)
    except IllegalStateError:
        check.true("add to full queue raises", True)
    else:
        raise CheckFailed("add to full queue", "no IllegalStateError")


async def scenario_pn_counter(client: Any, check: Checker) -> None:
    c = await client.get_pn_counter(f"interop-counter-{uuid.uuid4().hex}")
    check.equal("get", await c.get(), 0)
    check.equal("get_and_add", await c.get_and_add(5), 0)
    check.equal("add_and_get", await c.add_and_get(5), 10)
    check.equal("get_and_subtract", await c.get_and_subtract(2), 10)
    check.equal("subtract_and_get", await c.subtract_and_get(2), 6)
    check.equal("get_and_increment", await c.get_and_increment(), 6)
    check.equal("increment_and_get", await c.increment_and_get(), 8)
    check.equal("get_and_decrement", await c.get_and_decrement(), 8)
    check.equal("decrement_and_get", await c.decrement_and_get(), 6)
    c.reset()
    check.equal("get after reset", await c.get(), 6)


async def scenario_flake_id(client: Any, check: Checker) -> None:
    gen = await client.get_flake_id_generator(f"interop-ids-{uuid.uuid4().hex}")
    ids = [await gen.new_id() for _ in range(250)]
    check.equal("unique", len(set(ids)), 250)
    check.true("positive", all(0 < i < 2**63 for i in ids))


async def scenario_executor(client: Any, check: Checker) -> None:
    executor = await client.get_executor(f"interop-executor-{uuid.uuid4().hex}")
    members = client.cluster_service.get_members()
    check.equal("execute_on_key_owner", await executor.execute_on_key_owner("key", SquareTask(6)), 36)
    check.equal("execute_on_member", await executor.execute_on_member(members[0], SquareTask(3)), 9)
    check.equal("execute_on_members", await executor.execute_on_members(members, SquareTask(2)), [4] * len(members))
    check.equal("execute_on_all_members", await executor.execute_on_all_members(SquareTask(1)), [1] * len(members))
    check.equal("is_shutdown", await executor.is_shutdown(), False)
    await executor.shutdown()
    check.equal("is_shutdown after", await executor.is_shutdown(), True)


SCENARIOS = {
    "list": scenario_list,
    "set": scenario_set,
    "queue": scenario_queue,
    "pn_counter": scenario_pn_counter,
    "flake_id": scenario_flake_id,
    "executor": scenario_executor,
}


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    check = Checker()

    async def run() -> None:
        client = await HazelcastClient.create_and_start(
            cluster_members=args.members.split(","),
            cluster_name="dev",
            cluster_connect_timeout=args.timeout,
            invocation_timeout=args.timeout,
            statistics_enabled=False,
            smart_routing=not args.unisocket,
        )
        try:
            await SCENARIOS[args.scenario](client, check)
        finally:
            await asyncio.wait_for(client.shutdown(), timeout=10)

    try:
        await asyncio.wait_for(run(), timeout=args.timeout)
    except CheckFailed as failure:
        return {"ok": False, "failed": failure.name, "detail": failure.detail, "checks": check.count}
    except Exception as error:  # noqa: BLE001 - any failure becomes the one-line report
        return {"ok": False, "failed": "exception", "detail": "".join(traceback.format_exception(error)),
                "checks": check.count}
    return {"ok": True, "checks": check.count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", required=True)
    parser.add_argument("--scenario", required=True, choices=sorted(SCENARIOS))
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--unisocket", action="store_true", help="one connection instead of smart routing")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
