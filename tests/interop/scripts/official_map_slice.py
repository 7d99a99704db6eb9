"""Drive the Map slice against a cluster with the official asyncio client and check every result.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_map_slice.py --members 127.0.0.1:5701 --cluster-name dev --smart

It works on a map with a fresh name, so runs never see each other's entries, and covers put, get, set, remove,
delete, contains_key, contains_value, put_all and get_all over keys of many partitions, put_if_absent, replace,
replace_if_same, remove_if_same, size, is_empty, clear, key_set, values, entry_set and destroy, with keys and values
of several serialized types.

It prints exactly one JSON line on stdout: ``{"ok": true, "checks": N}`` when every check passed, else
``{"ok": false, "failed": "<check or phase>", "detail": "..."}``, and exits 0 only in the first case. The whole run,
client start and shutdown included, is bounded by ``--timeout`` seconds so it can never hang.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue

# Keys of every kind the slice stores, each paired with a value of a different serialized type.
SAMPLE_ENTRIES: tuple[tuple[Any, Any], ...] = (
    ("str-key", "plain ascii"),
    ("ключ-ü-🔑", "значение ✓ 🚀 日本語"),
    ("empty-value", ""),
    (7, 123456),
    (-2_147_483_648, -1),
    ("float", 3.141592653589793),
    ("bool-true", True),
    ("bool-false", False),
    ("list", [1, "two", 3.5, True, None, ["nested"]]),
    ("bytes", bytearray(b"\x00\x01\xfe\xff binary")),
    (uuid.UUID("12345678-9abc-4def-8123-456789abcdef"), uuid.UUID("fedcba98-7654-4321-8fed-cba987654321")),
    ("json", HazelcastJsonValue('{"name": "Ada", "tags": ["a", "b"], "age": 36}')),
)
# Enough int and str keys that put_all/get_all cover most of the default 271 partitions.
BULK_SIZE = 600
_SHUTDOWN_TIMEOUT_S = 10.0


class CheckFailed(Exception):
    """A result differed from what the slice expected."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.detail = detail


def same(actual: Any, expected: Any) -> bool:
    """Equality that also demands equal types, recursively, so True never passes for 1 nor 1.0 for 1."""
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, (list, tuple)):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected))
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(same(actual[key], value) for key, value in expected.items())
    return bool(actual == expected)


class Checker:
    """Counts checks and raises :class:`CheckFailed` on the first mismatch."""

    def __init__(self) -> None:
        self.count = 0

    def equal(self, name: str, actual: Any, expected: Any) -> None:
        self.count += 1
        if not same(actual, expected):
            raise CheckFailed(
                name, f"expected {expected!r} ({type(expected).__name__}), got {actual!r} ({type(actual).__name__})"
            )

    def same_items(self, name: str, actual: list[Any], expected: list[Any]) -> None:
        """Compare two collections whose order the member does not define."""
        self.count += 1
        remaining = list(expected)
        for item in actual:
            for index, candidate in enumerate(remaining):
                if same(item, candidate):
                    del remaining[index]
                    break
            else:
                raise CheckFailed(name, f"unexpected item {item!r}; expected items {expected!r}")
        if remaining:
            raise CheckFailed(name, f"missing items {remaining!r}")


async def run_slice(client: Any, check: Checker) -> None:
    """Run every Map operation of the slice on a fresh map of ``client``."""
    name = f"interop-map-{uuid.uuid4().hex}"
    m = await client.get_map(name)

    check.equal("size.fresh", await m.size(), 0)
    check.equal("is_empty.fresh", await m.is_empty(), True)
    check.equal("get.missing", await m.get("no-such-key"), None)

    # put / get over every key and value type.
    for index, (key, value) in enumerate(SAMPLE_ENTRIES):
        check.equal(f"put.new[{index}]", await m.put(key, value), None)
        check.equal(f"get[{index}]", await m.get(key), value)
    check.equal("size.after_put", await m.size(), len(SAMPLE_ENTRIES))
    check.equal("is_empty.after_put", await m.is_empty(), False)

    # put over an existing key returns the previous value.
    check.equal("put.existing", await m.put("str-key", "second"), "plain ascii")
    check.equal("get.after_overwrite", await m.get("str-key"), "second")

    # set never returns the old value.
    check.equal("set.existing", await m.set("str-key", "third"), None)
    check.equal("get.after_set", await m.get("str-key"), "third")
    check.equal("set.new", await m.set("set-key", 2.5), None)
    check.equal("get.after_set_new", await m.get("set-key"), 2.5)

    # contains_key / contains_value.
    for index, (key, value) in enumerate(SAMPLE_ENTRIES[1:], start=1):
        check.equal(f"contains_key[{index}]", await m.contains_key(key), True)
        check.equal(f"contains_value[{index}]", await m.contains_value(value), True)
    check.equal("contains_key.missing", await m.contains_key("no-such-key"), False)
    check.equal("contains_key.other_type", await m.contains_key("7"), False)
    check.equal("contains_value.missing", await m.contains_value("no-such-value"), False)
    check.equal("contains_value.replaced", await m.contains_value("plain ascii"), False)

    # remove returns the old value; delete returns nothing.
    check.equal("remove.existing", await m.remove("set-key"), 2.5)
    check.equal("remove.missing", await m.remove("set-key"), None)
    check.equal("get.after_remove", await m.get("set-key"), None)
    check.equal("delete.existing", await m.delete("float"), None)
    check.equal("contains_key.after_delete", await m.contains_key("float"), False)
    check.equal("delete.missing", await m.delete("float"), None)

    # put_if_absent keeps an existing value.
    check.equal("put_if_absent.existing", await m.put_if_absent(7, 999), 123456)
    check.equal("get.after_put_if_absent_existing", await m.get(7), 123456)
    check.equal("put_if_absent.new", await m.put_if_absent("pia-key", [1, 2]), None)
    check.equal("get.after_put_if_absent_new", await m.get("pia-key"), [1, 2])

    # replace touches only existing keys.
    check.equal("replace.existing", await m.replace(7, 8), 123456)
    check.equal("get.after_replace", await m.get(7), 8)
    check.equal("replace.missing", await m.replace("replace-missing", "x"), None)
    check.equal("contains_key.after_replace_missing", await m.contains_key("replace-missing"), False)

    # replace_if_same / remove_if_same compare the serialized current value.
    check.equal("replace_if_same.wrong", await m.replace_if_same(7, 9, 10), False)
    check.equal("get.after_replace_if_same_wrong", await m.get(7), 8)
    check.equal("replace_if_same.right", await m.replace_if_same(7, 8, 10), True)
    check.equal("get.after_replace_if_same_right", await m.get(7), 10)
    check.equal("remove_if_same.wrong", await m.remove_if_same(7, 11), False)
    check.equal("contains_key.after_remove_if_same_wrong", await m.contains_key(7), True)
    check.equal("remove_if_same.right", await m.remove_if_same(7, 10), True)
    check.equal("contains_key.after_remove_if_same_right", await m.contains_key(7), False)

    # Snapshot views of the small entry set.
    expected = {key: value for key, value in SAMPLE_ENTRIES if key not in (7, "float")}
    expected["str-key"] = "third"
    expected["pia-key"] = [1, 2]
    check.equal("size.before_views", await m.size(), len(expected))
    check.same_items("key_set.small", await m.key_set(), list(expected))
    check.same_items("values.small", await m.values(), list(expected.values()))
    check.same_items("entry_set.small", await m.entry_set(), list(expected.items()))

    check.equal("clear.small", await m.clear(), None)
    check.equal("size.after_clear", await m.size(), 0)
    check.equal("is_empty.after_clear", await m.is_empty(), True)
    check.equal("get.after_clear", await m.get("str-key"), None)

    # put_all / get_all over keys of many partitions (the client splits them per partition).
    bulk: dict[Any, Any] = {}
    for i in range(BULK_SIZE // 2):
        bulk[i] = f"int-{i}"
        bulk[f"key-{i}"] = i * 1.5
    check.equal("put_all", await m.put_all(bulk), None)
    check.equal("size.after_put_all", await m.size(), len(bulk))
    for key in (0, 1, BULK_SIZE // 2 - 1, "key-0", f"key-{BULK_SIZE // 2 - 1}"):
        check.equal(f"get.after_put_all[{key!r}]", await m.get(key), bulk[key])
    wanted = [key for index, key in enumerate(bulk) if index % 3 != 0] + ["absent-1", 10**6]
    got = await m.get_all(wanted)
    check.equal("get_all.type", type(got), dict)
    check.equal("get_all", got, {key: bulk[key] for key in wanted if key in bulk})
    check.equal("get_all.empty", await m.get_all([]), {})
    check.same_items("key_set.bulk", await m.key_set(), list(bulk))
    check.same_items("values.bulk", await m.values(), list(bulk.values()))
    check.equal("entry_set.bulk", dict(await m.entry_set()), bulk)

    # put_all overwrites existing keys.
    check.equal("put_all.overwrite", await m.put_all({0: "zero", "key-0": -0.5}), None)
    check.equal("get.after_put_all_overwrite_int", await m.get(0), "zero")
    check.equal("get.after_put_all_overwrite_str", await m.get("key-0"), -0.5)
    check.equal("size.after_put_all_overwrite", await m.size(), len(bulk))

    check.equal("clear.bulk", await m.clear(), None)
    check.equal("size.after_clear_bulk", await m.size(), 0)
    check.equal("key_set.after_clear", await m.key_set(), [])
    check.equal("values.after_clear", await m.values(), [])
    check.equal("entry_set.after_clear", await m.entry_set(), [])

    # destroy drops the data: a new proxy of the same name sees an empty map.
    check.equal("put.before_destroy", await m.put("survivor", "gone soon"), None)
    check.equal("destroy", await m.destroy(), True)
    again = await client.get_map(name)
    check.equal("size.after_destroy", await again.size(), 0)
    check.equal("get.after_destroy", await again.get("survivor"), None)
    check.equal("destroy.again", await again.destroy(), True)


async def with_client(
    members: list[str], cluster_name: str, smart: bool, timeout: float, body: Callable[[Any], Awaitable[None]]
) -> None:
    """Start an official asyncio client, run ``body`` with it and always shut it down."""
    client = await HazelcastClient.create_and_start(
        cluster_members=members,
        cluster_name=cluster_name,
        smart_routing=smart,
        # Give up connecting and invoking within the run's own deadline instead of the client's two minutes.
        cluster_connect_timeout=timeout,
        invocation_timeout=timeout,
        statistics_enabled=False,
    )
    try:
        await body(client)
    finally:
        # Bounded, because this also runs while the outer deadline is cancelling the run.
        await asyncio.wait_for(client.shutdown(), timeout=_SHUTDOWN_TIMEOUT_S)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the Map slice with the official asyncio client.")
    parser.add_argument("--members", required=True, help="host:port[,host:port...]")
    parser.add_argument("--cluster-name", default="dev")
    routing = parser.add_mutually_exclusive_group()
    routing.add_argument("--smart", dest="smart", action="store_true", default=True, help="smart routing (default)")
    routing.add_argument("--unisocket", dest="smart", action="store_false", help="one connection, no smart routing")
    parser.add_argument("--timeout", type=float, default=60.0, help="hard limit for the whole run, in seconds")
    args = parser.parse_args(argv)
    args.member_list = [member.strip() for member in args.members.split(",") if member.strip()]
    if not args.member_list:
        parser.error("--members needs at least one host:port")
    return args


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    check = Checker()
    try:
        await asyncio.wait_for(
            with_client(args.member_list, args.cluster_name, args.smart, args.timeout, lambda c: run_slice(c, check)),
            timeout=args.timeout,
        )
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
