"""Drive map listeners, locks, expiry, entry views and a near cache against a cluster with the official asyncio client.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_map_events.py --members 127.0.0.1:5701 --cluster-name dev --smart

It uses maps with fresh names and two clients (a second client is the other lock owner, and the one with a near
cache), and prints exactly one JSON line: ``{"ok": true, "checks": N}`` when every check passed, else
``{"ok": false, "failed": "<check>", "detail": "..."}``; it exits 0 only in the first case. The whole run is bounded
by ``--timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
import uuid
from typing import Any

from official_map_slice import CheckFailed, Checker, parse_args

from hazelcast.asyncio import HazelcastClient
from hazelcast.proxy.base import EntryEventType

_SHUTDOWN_TIMEOUT_S = 10.0


async def eventually(check: Checker, name: str, condition: Any, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise CheckFailed(name, "condition not met in time")
        await asyncio.sleep(0.02)
    check.equal(name, True, True)


async def run_listeners(client: Any, check: Checker) -> None:
    m = await client.get_map(f"events-{uuid.uuid4()}")
    seen: list[Any] = []
    record = seen.append
    registration = await m.add_entry_listener(
        include_value=True, added_func=record, updated_func=record, removed_func=record, evicted_func=record,
        expired_func=record, evict_all_func=record, clear_all_func=record,
    )
    keyed: list[Any] = []
    await m.add_entry_listener(key="a", added_func=keyed.append, updated_func=keyed.append)
    await m.put("a", 1)
    await m.put("a", 2)
    await m.remove("a")
    await m.set("b", 3)
    await m.evict("b")
    await m.set("c", 4, ttl=0.05)
    await eventually(check, "listener.seven_events", lambda: len(seen) == 7)
    check.equal(
        "listener.entry_events",
        [(e.event_type, e.key, e.value, e.old_value) for e in seen],
        [
            (EntryEventType.ADDED, "a", 1, None),
            (EntryEventType.UPDATED, "a", 2, 1),
            (EntryEventType.REMOVED, "a", None, 2),
            (EntryEventType.ADDED, "b", 3, None),
            (EntryEventType.EVICTED, "b", None, 3),
            (EntryEventType.ADDED, "c", 4, None),
            (EntryEventType.EXPIRED, "c", None, 4),
        ],
    )
    check.equal("listener.key_filter", [(e.event_type, e.value) for e in keyed],
                [(EntryEventType.ADDED, None), (EntryEventType.UPDATED, None)])
    await m.put_all({i: i for i in range(10)})
    await m.evict_all()
    await m.put_all({i: i for i in range(4)})
    await m.clear()
    await eventually(check, "listener.map_wide_events", lambda: len(seen) == 7 + 10 + 1 + 4 + 1)
    check.equal("listener.evict_all", (seen[17].event_type, seen[17].number_of_affected_entries),
                (EntryEventType.EVICT_ALL, 10))
    check.equal("listener.clear_all", (seen[-1].event_type, seen[-1].number_of_affected_entries),
                (EntryEventType.CLEAR_ALL, 4))
    check.equal("listener.removed", await m.remove_entry_listener(registration), True)
    await m.put("after", 1)
    await asyncio.sleep(0.1)
    check.equal("listener.silent_after_removal", len(seen), 23)


async def run_locks(client: Any, other_client: Any, check: Checker) -> None:
    name = f"locks-{uuid.uuid4()}"
    m = await client.get_map(name)
    other = await other_client.get_map(name)
    await m.put("k", "v")
    await m.lock("k")
    await m.lock("k")
    check.equal("lock.is_locked", await other.is_locked("k"), True)
    check.equal("lock.try_lock_other_client", await other.try_lock("k"), False)
    check.equal("lock.try_lock_timeout", await other.try_lock("k", timeout=0.05), False)
    check.equal("lock.try_put_timeout", await other.try_put("k", "x", timeout=0.05), False)
    check.equal("lock.try_remove_timeout", await other.try_remove("k", timeout=0.05), False)
    blocked = asyncio.ensure_future(other.put("k", "from other"))
    await asyncio.sleep(0.2)
    check.equal("lock.put_waits", blocked.done(), False)
    await m.put("k", "owner")
    await m.unlock("k")
    await asyncio.sleep(0.1)
    check.equal("lock.still_locked_reentrant", blocked.done(), False)
    await m.unlock("k")
    check.equal("lock.put_after_unlock", await asyncio.wait_for(blocked, 5), "owner")
    check.equal("lock.not_locked", await m.is_locked("k"), False)
    try:
        await m.unlock("k")
    except Exception as error:  # noqa: BLE001
        check.equal("lock.unlock_not_owner", type(error).__name__, "IllegalMonitorStateError")
    else:
        raise CheckFailed("lock.unlock_not_owner", "no error")
    check.equal("lock.try_lock_lease", await other.try_lock("k", lease_time=0.2), True)
    check.equal("lock.waits_for_lease", await m.try_lock("k", timeout=5), True)
    await m.force_unlock("k")
    check.equal("lock.force_unlocked", await other.is_locked("k"), False)


async def run_expiry(client: Any, check: Checker) -> None:
    m = await client.get_map(f"expiry-{uuid.uuid4()}")
    await m.put("ttl", 1, ttl=0.1)
    await m.set("idle", 1, max_idle=0.1)
    await m.put_transient("pt", 1, ttl=0.1)
    await m.put("k", 1)
    await m.set_ttl("k", 0.1)
    await asyncio.sleep(0.25)
    for key in ("ttl", "idle", "pt", "k"):
        check.equal(f"expiry.{key}", await m.get(key), None)
    await m.put("e", "v")
    await m.put("e", "w")
    await m.get("e")
    view = await m.get_entry_view("e")
    check.equal("entry_view.value", (view.key, view.value, view.version), ("e", "w", 1))
    check.equal("entry_view.unset_statistics", (view.hits, view.creation_time, view.last_access_time), (-1, -1, -1))
    check.equal("evict", await m.evict("e"), True)
    check.equal("evict.absent", await m.evict("e"), False)


async def run_near_cache(client: Any, cached_client: Any, name: str, check: Checker) -> None:
    writer = await client.get_map(name)
    cached = await cached_client.get_map(name)
    await writer.put_all({i: f"v{i}" for i in range(10)})
    for _ in range(2):
        for i in range(10):
            check.equal("near_cache.get", await cached.get(i), f"v{i}")
    stats = cached._near_cache.get_statistics()
    check.equal("near_cache.hits", (stats["hits"], stats["misses"]), (10, 10))
    await writer.put(3, "changed")
    await writer.remove(4)

    async def fresh() -> bool:
        return await cached.get(3) == "changed" and await cached.get(4) is None

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while not await fresh():
        if loop.time() > deadline:
            raise CheckFailed("near_cache.invalidated", "the near cache kept old values")
        await asyncio.sleep(0.02)
    check.equal("near_cache.invalidated", True, True)
    await writer.clear()
    deadline = loop.time() + 5
    while await cached.get(5) is not None:
        if loop.time() > deadline:
            raise CheckFailed("near_cache.cleared", "the near cache kept values after clear")
        await asyncio.sleep(0.02)
    check.equal("near_cache.cleared", True, True)


async def run_all(args: Any, check: Checker) -> None:
    options = dict(
        cluster_members=args.member_list,
        cluster_name=args.cluster_name,
        smart_routing=args.smart,
        cluster_connect_timeout=args.timeout,
        invocation_timeout=args.timeout,
        statistics_enabled=False,
    )
    client = await HazelcastClient.create_and_start(**options)
    # The official client looks near cache settings up by exact map name.
    near_cached = f"near-cached-{uuid.uuid4()}"
    other = await HazelcastClient.create_and_start(near_caches={near_cached: {}}, **options)
    try:
        await run_listeners(client, check)
        await run_locks(client, other, check)
        await run_expiry(client, check)
        await run_near_cache(client, other, near_cached, check)
    finally:
        await asyncio.wait_for(asyncio.gather(client.shutdown(), other.shutdown()), timeout=_SHUTDOWN_TIMEOUT_S)


async def main_async(args: Any) -> dict[str, Any]:
    check = Checker()
    try:
        await asyncio.wait_for(run_all(args, check), timeout=args.timeout)
    except CheckFailed as failure:
        return {"ok": False, "failed": failure.name, "detail": failure.detail, "checks": check.count}
    except TimeoutError:
        return {"ok": False, "failed": "timeout", "detail": f"not done within {args.timeout} s", "checks": check.count}
    except Exception as error:  # noqa: BLE001 - any failure becomes the one-line report
        return {
            "ok": False,
            "failed": "exception",
            "detail": "".join(traceback.format_exception(error)).strip(),
            "checks": check.count,
        }
    return {"ok": True, "checks": check.count}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = asyncio.run(main_async(args))
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
