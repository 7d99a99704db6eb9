"""Drive every CP structure against a cluster with the official asyncio client and check every result.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_cp.py --members 127.0.0.1:5701 --prefix run1

The member must register the IFunction ``Multiply`` (factory 77, class 1: ``value * factor``) and configure the
semaphores named ``jdk-*`` as JDK-compatible (see ``tests/interop/test_official_cp.py``). Names start with ``--prefix``
so runs never share structures. Prints exactly one JSON line: ``{"ok": true, "checks": N}``, or
``{"ok": false, "failed": "<check>", "detail": "..."}``; exits 0 only in the first case. Bounded by ``--timeout``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.errors import (
    DistributedObjectDestroyedError,
    IllegalArgumentError,
    IllegalMonitorStateError,
    IllegalStateError,
)
from hazelcast.serialization.api import IdentifiedDataSerializable

_SHUTDOWN_TIMEOUT_S = 10.0


class Multiply(IdentifiedDataSerializable):
    def __init__(self, factor: int = 1) -> None:
        self.factor = factor

    def write_data(self, object_data_output: Any) -> None:
        object_data_output.write_int(self.factor)

    def read_data(self, object_data_input: Any) -> None:
        self.factor = object_data_input.read_int()

    def get_factory_id(self) -> int:
        return 77

    def get_class_id(self) -> int:
        return 1


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
            raise CheckFailed(name, f"got {actual!r}, expected {expected!r}")

    async def raises(self, name: str, error: type[BaseException], call: Any) -> None:
        self.count += 1
        try:
            await call
        except error:
            return
        except Exception as other:  # noqa: BLE001 - reported as the check's failure
            raise CheckFailed(name, f"raised {other!r}, expected {error.__name__}") from other
        raise CheckFailed(name, f"did not raise {error.__name__}")


async def atomic_long(client: HazelcastClient, prefix: str, check: Checker) -> None:
    counter = await client.cp_subsystem.get_atomic_long(f"{prefix}-long")
    check.equal("long.get", await counter.get(), 0)
    check.equal("long.increment_and_get", await counter.increment_and_get(), 1)
    check.equal("long.get_and_add", await counter.get_and_add(4), 1)
    check.equal("long.add_and_get", await counter.add_and_get(-2), 3)
    check.equal("long.get_and_set", await counter.get_and_set(10), 3)
    await counter.set(5)
    check.equal("long.compare_and_set miss", await counter.compare_and_set(4, 1), False)
    check.equal("long.compare_and_set hit", await counter.compare_and_set(5, 6), True)
    await counter.alter(Multiply(2))
    check.equal("long.alter", await counter.get(), 12)
    check.equal("long.alter_and_get", await counter.alter_and_get(Multiply(2)), 24)
    check.equal("long.get_and_alter", await counter.get_and_alter(Multiply(2)), 24)
    check.equal("long.apply", await counter.apply(Multiply(3)), 144)
    check.equal("long.after apply", await counter.get(), 48)
    grouped = await client.cp_subsystem.get_atomic_long(f"{prefix}-long@group1")
    await grouped.set(99)
    check.equal("long.group separate", await counter.get(), 48)
    await counter.destroy()
    await check.raises("long.destroyed", DistributedObjectDestroyedError, counter.get())


async def atomic_reference(client: HazelcastClient, prefix: str, check: Checker) -> None:
    ref = await client.cp_subsystem.get_atomic_reference(f"{prefix}-ref")
    check.equal("ref.is_none", await ref.is_none(), True)
    await ref.set("a")
    check.equal("ref.get", await ref.get(), "a")
    check.equal("ref.contains", await ref.contains("a"), True)
    check.equal("ref.contains None", await ref.contains(None), False)
    check.equal("ref.get_and_set", await ref.get_and_set(7), "a")
    check.equal("ref.compare_and_set miss", await ref.compare_and_set(8, 9), False)
    check.equal("ref.compare_and_set hit", await ref.compare_and_set(7, 9), True)
    check.equal("ref.alter_and_get", await ref.alter_and_get(Multiply(2)), 18)
    check.equal("ref.get_and_alter", await ref.get_and_alter(Multiply(2)), 18)
    check.equal("ref.apply", await ref.apply(Multiply(10)), 360)
    await ref.alter(Multiply(0))
    check.equal("ref.alter", await ref.get(), 0)
    await ref.clear()
    check.equal("ref.clear", await ref.get(), None)


async def latch(client: HazelcastClient, prefix: str, check: Checker) -> None:
    gate = await client.cp_subsystem.get_count_down_latch(f"{prefix}-latch")
    check.equal("latch.try_set_count", await gate.try_set_count(2), True)
    check.equal("latch.try_set_count again", await gate.try_set_count(3), False)
    check.equal("latch.await timeout", await gate.await_latch(0.1), False)
    waiters = [asyncio.ensure_future(gate.await_latch(10)) for _ in range(3)]
    await gate.count_down()
    check.equal("latch.get_count", await gate.get_count(), 1)
    await gate.count_down()
    check.equal("latch.released", await asyncio.gather(*waiters), [True, True, True])
    check.equal("latch.zero", await gate.get_count(), 0)


async def semaphore(client: HazelcastClient, prefix: str, check: Checker) -> None:
    for name in (f"{prefix}-sem", f"jdk-{prefix}-sem"):
        sem = await client.cp_subsystem.get_semaphore(name)
        check.equal(f"{name}.init", await sem.init(2), True)
        await sem.acquire()
        check.equal(f"{name}.available", await sem.available_permits(), 1)
        check.equal(f"{name}.try_acquire", await sem.try_acquire(2, 0.1), False)
        waiting = asyncio.ensure_future(sem.acquire(2))
        await asyncio.sleep(0.05)
        await sem.release()
        await asyncio.wait_for(waiting, 5)
        check.equal(f"{name}.after wait", await sem.available_permits(), 0)
        await sem.increase_permits(3)
        await sem.reduce_permits(1)
        check.equal(f"{name}.drain", await sem.drain_permits(), 2)
        await sem.release(3)
    # No session with the group yet: the client refuses; with a session holding nothing: the member refuses.
    strict = await client.cp_subsystem.get_semaphore(f"{prefix}-strict@fresh")
    await check.raises("sem.release without session", IllegalStateError, strict.release())
    unheld = await client.cp_subsystem.get_semaphore(f"{prefix}-unheld")
    await check.raises("sem.release without acquire", IllegalArgumentError, unheld.release())
    jdk = await client.cp_subsystem.get_semaphore(f"jdk-{prefix}-free")
    await jdk.release(2)
    check.equal("jdk.release without acquire", await jdk.available_permits(), 2)


async def fenced_lock(client: HazelcastClient, prefix: str, check: Checker) -> None:
    lock = await client.cp_subsystem.get_lock(f"{prefix}-lock")
    fence = await lock.lock()
    check.equal("lock.fence positive", fence > 0, True)
    check.equal("lock.reentrant fence", await lock.lock(), fence)
    check.equal("lock.count", await lock.get_lock_count(), 2)
    check.equal("lock.by me", await lock.is_locked_by_current_task(), True)

    async def other() -> Any:
        return await lock.try_lock(0.1)

    check.equal("lock.other task", await asyncio.ensure_future(other()), 0)
    await lock.unlock()
    await lock.unlock()
    check.equal("lock.free", await lock.is_locked(), False)
    await check.raises("lock.unlock not held", IllegalMonitorStateError, lock.unlock())
    check.equal("lock.next fence", await lock.try_lock() > fence, True)
    await lock.unlock()


async def run(args: argparse.Namespace, check: Checker) -> None:
    client = await HazelcastClient.create_and_start(cluster_members=args.members.split(","), cluster_name="dev")
    try:
        for scenario in (atomic_long, atomic_reference, latch, semaphore, fenced_lock):
            await scenario(client, args.prefix, check)
    finally:
        await asyncio.wait_for(client.shutdown(), _SHUTDOWN_TIMEOUT_S)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", required=True)
    parser.add_argument("--prefix", default="cp")
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    check = Checker()
    try:
        asyncio.run(asyncio.wait_for(run(args, check), args.timeout))
    except CheckFailed as failed:
        print(json.dumps({"ok": False, "failed": failed.name, "detail": failed.detail}))
        return 1
    except BaseException as error:  # noqa: BLE001 - everything is reported on the JSON line
        traceback.print_exc(file=sys.stderr)
        print(json.dumps({"ok": False, "failed": "run", "detail": repr(error)}))
        return 1
    print(json.dumps({"ok": True, "checks": check.count}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
