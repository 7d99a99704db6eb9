"""Drive MultiMap or ReplicatedMap against a cluster with the official asyncio client and check every result.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_multi_replicated_slice.py --proxy multimap --members 127.0.0.1:5701 --smart

``--proxy multimap`` covers put, get, remove, remove_all, put_all, value_count, contains_key/value/entry, size,
key_set, values, entry_set, clear, the key locks (lock, try_lock with timeout and lease, unlock, is_locked,
force_unlock, lease expiry, a second task being refused) and entry listeners (with values, on a key, clear-all).
``--proxy replicatedmap`` covers put (with TTL expiry), get, remove, put_all, contains_key/value, size, is_empty,
key_set, values, entry_set, clear and entry listeners (added, updated, removed, evicted, clear-all, on a key).

It prints one JSON line: ``{"ok": true, "checks": N}`` when every check passed, else
``{"ok": false, "failed": "<check>", "detail": "..."}``, and exits 0 only in the first case. The whole run is bounded
by ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from hazelcast.asyncio import HazelcastClient

_SHUTDOWN_TIMEOUT_S = 10.0
_EVENT_WAIT_S = 5.0


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

    def same_items(self, name: str, actual: list[Any], expected: list[Any]) -> None:
        self.count += 1
        if sorted(map(repr, actual)) != sorted(map(repr, expected)):
            raise CheckFailed(name, f"expected items {expected!r}, got {actual!r}")

    async def eventually(self, name: str, condition: Callable[[], bool], detail: Callable[[], Any]) -> None:
        self.count += 1
        deadline = asyncio.get_running_loop().time() + _EVENT_WAIT_S
        while not condition():
            if asyncio.get_running_loop().time() > deadline:
                raise CheckFailed(name, f"not met within {_EVENT_WAIT_S} s: {detail()!r}")
            await asyncio.sleep(0.02)


def _shape(events: list[Any]) -> list[tuple[Any, ...]]:
    return [(e.event_type, e.key, e.value, e.old_value) for e in events]


async def multimap_slice(client: Any, check: Checker, smart: bool) -> None:
    # The official client registers MultiMap listeners cluster-wide (localOnly false) on each of its connections, so
    # with smart routing every member's registration receives every event: one copy per member, as on a real cluster.
    copies = len(client.cluster_service.get_members()) if smart else 1
    mm = await client.get_multi_map(f"interop-mm-{uuid.uuid4().hex}")
    events: list[Any] = []
    keyed: list[Any] = []
    await mm.add_entry_listener(
        include_value=True, added_func=events.append, removed_func=events.append, clear_all_func=events.append
    )
    await mm.add_entry_listener(key="k", added_func=keyed.append)

    check.equal("size.fresh", await mm.size(), 0)
    check.equal("get.missing", await mm.get("k"), [])
    check.equal("put.first", await mm.put("k", "a"), True)
    check.equal("put.second", await mm.put("k", "b"), True)
    check.equal("put.duplicate", await mm.put("k", "a"), False)
    check.same_items("get", await mm.get("k"), ["a", "b"])
    check.equal("value_count", await mm.value_count("k"), 2)
    check.equal("contains_key", await mm.contains_key("k"), True)
    check.equal("contains_key.missing", await mm.contains_key("j"), False)
    check.equal("contains_value", await mm.contains_value("b"), True)
    check.equal("contains_value.missing", await mm.contains_value("z"), False)
    check.equal("contains_entry", await mm.contains_entry("k", "a"), True)
    check.equal("contains_entry.missing", await mm.contains_entry("k", "z"), False)
    check.equal("remove.present", await mm.remove("k", "a"), True)
    check.equal("remove.absent", await mm.remove("k", "a"), False)
    check.equal("remove_all", await mm.remove_all("k"), ["b"])
    check.equal("remove_all.absent", await mm.remove_all("k"), [])

    bulk = {key: [key, key + 1000] for key in range(100)}
    check.equal("put_all", await mm.put_all(bulk), None)
    check.equal("size.after_put_all", await mm.size(), 200)
    check.same_items("get.after_put_all", await mm.get(42), [42, 1042])
    check.same_items("key_set", await mm.key_set(), list(bulk))
    check.same_items("values", await mm.values(), [value for values in bulk.values() for value in values])
    check.same_items("entry_set", await mm.entry_set(), [(k, v) for k, vs in bulk.items() for v in vs])
    check.equal("clear", await mm.clear(), None)
    check.equal("size.after_clear", await mm.size(), 0)

    await check.eventually("events.count", lambda: len(events) == 205 * copies, lambda: len(events))
    expected = [(1, "k", "a", None), (1, "k", "b", None), (2, "k", None, "a"), (2, "k", None, "b")]
    expected += [(1, key, value, None) for key, values in bulk.items() for value in values]
    expected.append((64, None, None, None))
    check.same_items("events", _shape(events), expected * copies)
    check.equal("events.k_in_order", _shape([e for e in events if e.key == "k"])[::copies], expected[:4])
    cleared = [e.number_of_affected_entries for e in events if e.event_type == 64]
    check.equal("events.clear_all", cleared, [100] * copies)
    check.equal("keyed.events", _shape(keyed), [(1, "k", None, None)] * 2 * copies)

    # Locks: owned by the task, reentrant, leases, force unlock.
    check.equal("is_locked.fresh", await mm.is_locked("L"), False)
    check.equal("lock", await mm.lock("L"), None)
    check.equal("lock.again", await mm.lock("L"), None)
    check.equal("is_locked", await mm.is_locked("L"), True)
    check.equal("try_lock.other_task", await asyncio.create_task(mm.try_lock("L")), False)
    check.equal("try_lock.other_task_timeout", await asyncio.create_task(mm.try_lock("L", timeout=0.1)), False)
    check.equal("unlock.once", await mm.unlock("L"), None)
    check.equal("is_locked.reentrant", await mm.is_locked("L"), True)
    check.equal("unlock.twice", await mm.unlock("L"), None)
    check.equal("is_locked.after_unlock", await mm.is_locked("L"), False)
    failed = False
    try:
        await mm.unlock("L")
    except Exception as error:  # noqa: BLE001 - the class name is what is checked
        failed = type(error).__name__ == "IllegalMonitorStateError"
    check.equal("unlock.not_owner", failed, True)
    check.equal("try_lock.lease", await mm.try_lock("L", lease_time=0.2), True)
    check.equal("try_lock.waits_for_lease", await asyncio.create_task(mm.try_lock("L", timeout=5)), True)
    check.equal("force_unlock", await asyncio.create_task(mm.force_unlock("L")), None)
    check.equal("is_locked.after_force", await mm.is_locked("L"), False)
    check.equal("lock.lease", await mm.lock("M", lease_time=0.1), None)
    await asyncio.sleep(0.3)
    check.equal("is_locked.after_lease", await mm.is_locked("M"), False)
    check.equal("destroy", await mm.destroy(), True)


async def replicated_map_slice(client: Any, check: Checker, smart: bool) -> None:
    rm = await client.get_replicated_map(f"interop-rm-{uuid.uuid4().hex}")
    events: list[Any] = []
    keyed: list[Any] = []
    await rm.add_entry_listener(
        added_func=events.append, removed_func=events.append, updated_func=events.append,
        evicted_func=events.append, clear_all_func=events.append,
    )
    await rm.add_entry_listener(key="k", added_func=keyed.append, updated_func=keyed.append)

    check.equal("size.fresh", await rm.size(), 0)
    check.equal("is_empty.fresh", await rm.is_empty(), True)
    check.equal("put.new", await rm.put("k", "v1"), None)
    check.equal("put.existing", await rm.put("k", "v2"), "v1")
    check.equal("get", await rm.get("k"), "v2")
    check.equal("get.missing", await rm.get("nope"), None)
    check.equal("contains_key", await rm.contains_key("k"), True)
    check.equal("contains_value", await rm.contains_value("v2"), True)
    check.equal("contains_value.old", await rm.contains_value("v1"), False)
    check.equal("remove", await rm.remove("k"), "v2")
    check.equal("remove.missing", await rm.remove("k"), None)
    check.equal("put.ttl", await rm.put("t", 7, ttl=0.2), None)
    await asyncio.sleep(0.4)
    check.equal("get.expired", await rm.get("t"), None)

    bulk = {key: f"v{key}" for key in range(100)}
    check.equal("put_all", await rm.put_all(bulk), None)
    check.equal("size", await rm.size(), 100)
    check.equal("is_empty", await rm.is_empty(), False)
    check.same_items("key_set", await rm.key_set(), list(bulk))
    check.same_items("values", await rm.values(), list(bulk.values()))
    check.same_items("entry_set", await rm.entry_set(), list(bulk.items()))
    check.equal("clear", await rm.clear(), None)
    check.equal("size.after_clear", await rm.size(), 0)

    await check.eventually("events.count", lambda: len(events) == 106, lambda: len(events))
    check.equal("events.head", _shape(events[:5]), [
        (1, "k", "v1", None), (4, "k", "v2", "v1"), (2, "k", None, "v2"), (1, "t", 7, None), (8, "t", None, 7),
    ])
    check.equal("events.clear_all", (events[-1].event_type, events[-1].number_of_affected_entries), (64, 100))
    check.equal("keyed.events", _shape(keyed), [(1, "k", "v1", None), (4, "k", "v2", "v1")])
    check.equal("destroy", await rm.destroy(), True)


SLICES = {"multimap": multimap_slice, "replicatedmap": replicated_map_slice}


async def run(args: argparse.Namespace, check: Checker) -> None:
    client = await HazelcastClient.create_and_start(
        cluster_members=args.member_list,
        cluster_name=args.cluster_name,
        smart_routing=args.smart,
        cluster_connect_timeout=args.timeout,
        invocation_timeout=args.timeout,
        statistics_enabled=False,
    )
    try:
        await SLICES[args.proxy](client, check, args.smart)
    finally:
        await asyncio.wait_for(client.shutdown(), timeout=_SHUTDOWN_TIMEOUT_S)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    check = Checker()
    try:
        await asyncio.wait_for(run(args, check), timeout=args.timeout)
    except CheckFailed as failure:
        return {"ok": False, "failed": failure.name, "detail": failure.detail, "checks": check.count}
    except TimeoutError:
        return {"ok": False, "failed": "timeout", "detail": f"not done within {args.timeout} s", "checks": check.count}
    except Exception as error:  # noqa: BLE001 - any failure becomes the one-line report
        return {"ok": False, "failed": "exception", "detail": "".join(traceback.format_exception(error)).strip(),
                "checks": check.count}
    return {"ok": True, "checks": check.count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a MultiMap or ReplicatedMap slice with the official client.")
    parser.add_argument("--proxy", required=True, choices=sorted(SLICES))
    parser.add_argument("--members", required=True, help="host:port[,host:port...]")
    parser.add_argument("--cluster-name", default="dev")
    routing = parser.add_mutually_exclusive_group()
    routing.add_argument("--smart", dest="smart", action="store_true", default=True)
    routing.add_argument("--unisocket", dest="smart", action="store_false")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    args.member_list = [member.strip() for member in args.members.split(",") if member.strip()]
    result = asyncio.run(main_async(args))
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
