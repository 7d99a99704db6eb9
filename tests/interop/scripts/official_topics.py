"""Drive Ringbuffer, Topic or ReliableTopic against a cluster with the official asyncio client and check every result.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_topics.py --members 127.0.0.1:5701 --scenario ringbuffer --name rb-1

Scenarios:

* ``ringbuffer``: on ringbuffer ``--name`` (the member configures ``interop-small-*`` with capacity 3 and a long time to
  live): capacity, sequences, add/add_all with both overflow policies, a blocking read_one, read_many with counts and
  a prefix filter (factory 77, class 1) that the member runs, a stale read.
* ``topic``: two listeners on topic ``--name`` receive publish and publish_all messages once, with the publishing
  member and time; a removed listener receives nothing more.
* ``reliable_topic``: on reliable topic ``--name``, whose ringbuffer already holds the messages ``--expect`` (comma
  separated, published by another client), a durable ReliableMessageListener from sequence 0 reads them; a plain
  listener receives what this script publishes (``official-0``..``official-2``), which it leaves for the other client.

It prints one JSON line: ``{"ok": true, "checks": N}`` or ``{"ok": false, "failed": ..., "detail": ...}``, and exits 0
only in the first case. The whole run is bounded by ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import traceback
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.errors import StaleSequenceError
from hazelcast.proxy.reliable_topic import ReliableMessageListener
from hazelcast.proxy.ringbuffer import OVERFLOW_POLICY_FAIL, OVERFLOW_POLICY_OVERWRITE
from hazelcast.serialization.api import IdentifiedDataSerializable

_SHUTDOWN_TIMEOUT_S = 10.0
_EVENT_TIMEOUT_S = 5.0


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
            raise CheckFailed(name, detail or "condition false")


class PrefixFilter(IdentifiedDataSerializable):
    """The filter the member knows as factory 77, class 1: keeps strings starting with ``prefix``."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    def write_data(self, out: Any) -> None:
        out.write_string(self.prefix)

    def read_data(self, inp: Any) -> None:
        self.prefix = inp.read_string()

    def get_factory_id(self) -> int:
        return 77

    def get_class_id(self) -> int:
        return 1


async def until(name: str, condition: Any) -> None:
    deadline = time.monotonic() + _EVENT_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise CheckFailed(name, "not reached in time")
        await asyncio.sleep(0.02)


async def ringbuffer_scenario(client: Any, name: str, check: Checker) -> None:
    rb = await client.get_ringbuffer(name)
    check.equal("capacity", await rb.capacity(), 3)
    check.equal("size.empty", await rb.size(), 0)
    check.equal("tail.empty", await rb.tail_sequence(), -1)
    check.equal("head.empty", await rb.head_sequence(), 0)
    check.equal("remaining.empty", await rb.remaining_capacity(), 3)
    check.equal("add", await rb.add("apple"), 0)
    check.equal("add_all", await rb.add_all(["banana", "avocado"]), 2)
    check.equal("remaining.full", await rb.remaining_capacity(), 0)
    check.equal("add.fail", await rb.add("cherry", OVERFLOW_POLICY_FAIL), -1)
    check.equal("add_all.fail", await rb.add_all(["x", "y"], OVERFLOW_POLICY_FAIL), -1)
    check.equal("read_one", await rb.read_one(1), "banana")
    result = await rb.read_many(0, 1, 3, PrefixFilter("a"))
    check.equal("read_many.filter.items", list(result), ["apple", "avocado"])
    check.equal("read_many.filter.read_count", result.read_count, 3)
    check.equal("read_many.filter.sequences", [result.get_sequence(0), result.get_sequence(1)], [0, 2])
    check.equal("read_many.next", result.next_sequence_to_read_from, 3)
    waiting = asyncio.ensure_future(rb.read_one(3))
    await asyncio.sleep(0.1)
    check.true("read_one.blocks", not waiting.done())
    check.equal("add.overwrite", await rb.add("cherry", OVERFLOW_POLICY_OVERWRITE), 3)
    check.equal("read_one.woken", await asyncio.wait_for(waiting, _EVENT_TIMEOUT_S), "cherry")
    check.equal("head.moved", await rb.head_sequence(), 1)
    try:
        await rb.read_one(0)
    except StaleSequenceError:
        check.true("read_one.stale", True)
    else:
        raise CheckFailed("read_one.stale", "no StaleSequenceError")
    many = asyncio.ensure_future(rb.read_many(4, 2, 3))
    await rb.add_all(["d", "e"], OVERFLOW_POLICY_OVERWRITE)
    check.equal("read_many.min", list(await asyncio.wait_for(many, _EVENT_TIMEOUT_S)), ["d", "e"])


async def topic_scenario(client: Any, name: str, check: Checker) -> None:
    topic = await client.get_topic(name)
    first: list[Any] = []
    second: list[Any] = []
    registration = await topic.add_listener(first.append)
    await topic.add_listener(lambda message: second.append(message.message))
    before = time.time()
    await topic.publish("one")
    await topic.publish_all(["two", 3])
    await until("topic.delivered", lambda: len(first) == 3 and len(second) == 3)
    await asyncio.sleep(0.2)
    check.equal("topic.first", [m.message for m in first], ["one", "two", 3])
    check.equal("topic.second", second, ["one", "two", 3])
    members = {member.uuid for member in client.cluster_service.get_members()}
    check.true("topic.member", all(m.member is not None and m.member.uuid in members for m in first))
    check.true("topic.time", all(before - 1 <= m.publish_time <= time.time() + 1 for m in first))
    check.equal("topic.name", first[0].name, name)
    check.equal("topic.remove", await topic.remove_listener(registration), True)
    await topic.publish("four")
    await until("topic.after_remove", lambda: len(second) == 4)
    await asyncio.sleep(0.1)
    check.equal("topic.removed_listener", len(first), 3)


class DurableListener(ReliableMessageListener):
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.sequences: list[int] = []
        self.cancelled = False

    def on_message(self, message: Any) -> None:
        self.messages.append(message.message)

    def retrieve_initial_sequence(self) -> int:
        return 0

    def store_sequence(self, sequence: int) -> None:
        self.sequences.append(sequence)

    def is_loss_tolerant(self) -> bool:
        return False

    def is_terminal(self, error: Exception) -> bool:
        return True

    def on_cancel(self) -> None:
        self.cancelled = True


async def reliable_topic_scenario(client: Any, name: str, expect: list[str], check: Checker) -> None:
    topic = await client.get_reliable_topic(name)
    durable = DurableListener()
    durable_registration = await topic.add_listener(durable)
    await until("reliable.stored", lambda: len(durable.messages) >= len(expect))
    check.equal("reliable.stored_messages", durable.messages[: len(expect)], expect)
    check.equal("reliable.sequences", durable.sequences[: len(expect)], list(range(len(expect))))
    plain: list[Any] = []
    await topic.add_listener(plain.append)
    await topic.publish("official-0")
    await topic.publish_all(["official-1", "official-2"])
    await until("reliable.plain", lambda: len(plain) == 3)
    check.equal("reliable.plain_messages", [m.message for m in plain], ["official-0", "official-1", "official-2"])
    check.equal("reliable.remove", await topic.remove_listener(durable_registration), True)
    await until("reliable.cancelled", lambda: durable.cancelled)
    check.equal("reliable.durable_all", durable.messages, [*expect, "official-0", "official-1", "official-2"])


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
        if args.scenario == "ringbuffer":
            await ringbuffer_scenario(client, args.name, check)
        elif args.scenario == "topic":
            await topic_scenario(client, args.name, check)
        else:
            expect = [item for item in args.expect.split(",") if item]
            await reliable_topic_scenario(client, args.name, expect, check)
    finally:
        await asyncio.wait_for(client.shutdown(), timeout=_SHUTDOWN_TIMEOUT_S)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run one Ringbuffer/Topic/ReliableTopic scenario, official client.")
    parser.add_argument("--members", required=True)
    parser.add_argument("--cluster-name", default="dev")
    parser.add_argument("--scenario", required=True, choices=["ringbuffer", "topic", "reliable_topic"])
    parser.add_argument("--name", required=True)
    parser.add_argument("--expect", default="")
    routing = parser.add_mutually_exclusive_group()
    routing.add_argument("--smart", dest="smart", action="store_true", default=True)
    routing.add_argument("--unisocket", dest="smart", action="store_false")
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args(argv)
    args.member_list = [member.strip() for member in args.members.split(",") if member.strip()]
    return args


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
    result = asyncio.run(main_async(parse_args(argv)))
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
