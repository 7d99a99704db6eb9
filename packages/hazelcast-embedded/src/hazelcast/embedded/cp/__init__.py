"""The member's CP subsystem: AtomicLong, AtomicReference, CountDownLatch, Semaphore and FencedLock in CP groups,
with CP sessions (see :mod:`.state` for how groups and data are kept, :mod:`.sessions` for sessions, and the module of
each structure for its rules). Configured by the ``cp-subsystem`` section (:mod:`.config`).

Blocking operations park their requests in :class:`~hazelcast.embedded.waiters.WaitQueue` and are answered when
the structure's state allows, or at their timeout.
"""

from __future__ import annotations

from hazelcast.embedded.cp.atomic_long import ATOMIC_LONG_HANDLERS
from hazelcast.embedded.cp.atomic_ref import ATOMIC_REF_HANDLERS
from hazelcast.embedded.cp.config import CP_CONFIG_SECTION, CPSubsystemSettings, LockSettings, SemaphoreSettings
from hazelcast.embedded.cp.groups import GROUP_HANDLERS
from hazelcast.embedded.cp.latch import LATCH_HANDLERS
from hazelcast.embedded.cp.lock import LOCK_HANDLERS
from hazelcast.embedded.cp.semaphore import SEMAPHORE_HANDLERS
from hazelcast.embedded.cp.sessions import SESSION_HANDLERS
from hazelcast.embedded.cp.state import CPState, RaftGroupId, cp_state
from hazelcast.embedded.spec import MemberServiceSpec

__all__ = [
    "CP_CONFIG_SECTION",
    "CP_SERVICES",
    "CPState",
    "CPSubsystemSettings",
    "LockSettings",
    "RaftGroupId",
    "SemaphoreSettings",
    "cp_state",
]

#: One member-side service per protocol service of the CP subsystem.
CP_SERVICES = (
    MemberServiceSpec(name="CPGroup", handlers=GROUP_HANDLERS),
    MemberServiceSpec(name="CPSession", handlers=SESSION_HANDLERS),
    MemberServiceSpec(name="AtomicLong", handlers=ATOMIC_LONG_HANDLERS),
    MemberServiceSpec(name="AtomicRef", handlers=ATOMIC_REF_HANDLERS),
    MemberServiceSpec(name="CountDownLatch", handlers=LATCH_HANDLERS),
    MemberServiceSpec(name="Semaphore", handlers=SEMAPHORE_HANDLERS),
    MemberServiceSpec(name="FencedLock", handlers=LOCK_HANDLERS),
)
