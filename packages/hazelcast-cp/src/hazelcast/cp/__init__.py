"""The CP subsystem of the hazelcast asyncio client: ``client.cp_subsystem`` and its data structures.

Installed with the ``hazelcast-cp`` distribution, which registers ``cp_subsystem`` with the client through the
``hazelcast.plugins`` entry point::

    counter = await client.cp_subsystem.get_atomic_long("counter")
    await counter.increment_and_get()
    lock = await client.cp_subsystem.get_lock("orders@locks")     # in the CP group "locks"
    fence = await lock.lock()
"""

from hazelcast.cp._base import BaseCPProxy, SessionAwareCPProxy
from hazelcast.cp._checks import CPArgumentError
from hazelcast.cp.atomic_long import AtomicLong
from hazelcast.cp.atomic_reference import AtomicReference
from hazelcast.cp.count_down_latch import CountDownLatch
from hazelcast.cp.fenced_lock import FencedLock
from hazelcast.cp.semaphore import Semaphore, SessionAwareSemaphore, SessionlessSemaphore
from hazelcast.cp.subsystem import (
    ATOMIC_LONG_SERVICE,
    ATOMIC_REFERENCE_SERVICE,
    COUNT_DOWN_LATCH_SERVICE,
    LOCK_SERVICE,
    SEMAPHORE_SERVICE,
    CPSubsystem,
)

__all__ = [
    "ATOMIC_LONG_SERVICE",
    "ATOMIC_REFERENCE_SERVICE",
    "COUNT_DOWN_LATCH_SERVICE",
    "LOCK_SERVICE",
    "SEMAPHORE_SERVICE",
    "AtomicLong",
    "AtomicReference",
    "BaseCPProxy",
    "CPArgumentError",
    "CPSubsystem",
    "CountDownLatch",
    "FencedLock",
    "Semaphore",
    "SessionAwareCPProxy",
    "SessionAwareSemaphore",
    "SessionlessSemaphore",
]
