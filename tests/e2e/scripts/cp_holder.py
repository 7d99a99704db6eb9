"""A client that takes a FencedLock and semaphore permits, says so, then waits to be killed (at most 30 s).

    python cp_holder.py 127.0.0.1:5701

Prints ``ready`` once it holds the lock ``held-lock`` and 2 permits of ``held-permits`` (initialized to 2).
"""

from __future__ import annotations

import asyncio
import logging
import sys

import structlog

from hazelcast.asyncio import HazelcastClient


async def main(member: str) -> None:
    client = await HazelcastClient.create_and_start(cluster_members=[member])
    lock = await client.cp_subsystem.get_lock("held-lock")
    await lock.lock()
    permits = await client.cp_subsystem.get_semaphore("held-permits")
    await permits.init(2)
    await permits.acquire(2)
    print("ready", flush=True)
    await asyncio.sleep(30)


if __name__ == "__main__":
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    asyncio.run(main(sys.argv[1]))
