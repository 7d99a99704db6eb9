"""The CP subsystem's state in a cluster: CP groups, the data structures in them, sessions and the fence counter.

CP data lives outside the partition tables: on a Java member it is replicated by Raft among the CP members and
survives the loss of a minority of them; here every member of the cluster answers from the one shared state (one event
loop runs the whole cluster, so every operation is linearizable as it stands). A cluster that forms anew (every member
had gone) starts with an empty CP state, as a new Java cluster would.

Group ids are the protocol's ``RaftGroupId(name, seed, id)``. With Raft (``cp-member-count`` >= 3) the seed is drawn
once per cluster and ids count up from the METADATA group's 0; in unsafe mode the seed is 0 and the id is the
partition of the group's name, where an unsafe-mode member keeps the group's data.
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import structlog

from hazelcast.embedded.cp.config import CP_CONFIG_SECTION, CPSubsystemSettings
from hazelcast.errors import CPGroupDestroyedError, DistributedObjectDestroyedError, IllegalArgumentError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.cp.sessions import SessionRegistry

__all__ = [
    "ATOMIC_LONG_SERVICE",
    "ATOMIC_REF_SERVICE",
    "DEFAULT_GROUP",
    "LATCH_SERVICE",
    "LOCK_SERVICE",
    "METADATA_GROUP",
    "SEMAPHORE_SERVICE",
    "CPState",
    "RaftGroupId",
    "cp_state",
    "split_proxy_name",
]

_logger = structlog.get_logger("hazelcast.embedded")

DEFAULT_GROUP = "default"
METADATA_GROUP = "metadata"
ATOMIC_LONG_SERVICE = "hz:raft:atomicLongService"
ATOMIC_REF_SERVICE = "hz:raft:atomicRefService"
LATCH_SERVICE = "hz:raft:countDownLatchService"
LOCK_SERVICE = "hz:raft:lockService"
SEMAPHORE_SERVICE = "hz:raft:semaphoreService"



_State = TypeVar("_State")

class RaftGroupId(NamedTuple):
    """A CP group id as the protocol carries it; equal (as a tuple) to the ids the codecs decode."""

    name: str
    seed: int
    id: int


def split_proxy_name(proxy_name: str) -> tuple[str, str]:
    """``(group name, object name)`` of ``"counter@group1"``; no group (or ``@default``, any case) is "default".

    Raises ``IllegalArgumentError`` (a ValueError) for a second '@', an empty name or group, and the
    METADATA group, where no data structure may live.
    """
    name = proxy_name.strip()
    object_name, at, group = name.partition("@")
    if not at:
        if not name:
            raise IllegalArgumentError("object name cannot be empty")
        return DEFAULT_GROUP, name
    if "@" in group:
        raise IllegalArgumentError(f"custom CP group name must be specified at most once: {proxy_name!r}")
    group = group.strip()
    object_name = object_name.strip()
    if not group:
        raise IllegalArgumentError("custom CP group name cannot be empty")
    if not object_name:
        raise IllegalArgumentError("object name cannot be empty")
    if group.lower() == METADATA_GROUP:
        raise IllegalArgumentError("CP data structures cannot run on the METADATA CP group")
    if group.lower() == DEFAULT_GROUP:
        group = DEFAULT_GROUP
    return group, object_name


class CPState:
    """Everything the CP subsystem keeps for one cluster (see the module docstring)."""

    def __init__(self, cluster: EmbeddedCluster) -> None:
        from hazelcast.embedded.cp.sessions import SessionRegistry

        self.cluster_id = cluster.cluster_id
        self.settings: CPSubsystemSettings = cluster.structure_configs.section_settings(CP_CONFIG_SECTION.section)
        self._name_partition: Callable[[str], int] = cluster.name_partition_id
        self.seed = 0 if self.settings.unsafe_mode else random.getrandbits(62) + 1
        self._next_group_id = 1
        #: Group name -> id; the METADATA group exists from the start, as on a Java member.
        self.groups: dict[str, Any] = {}
        self._group(METADATA_GROUP)
        #: (group id, service name, object name) -> the structure's state.
        self.objects: dict[tuple[Any, str, str], Any] = {}
        self.destroyed: set[tuple[Any, str, str]] = set()
        self.sessions: SessionRegistry = SessionRegistry(self)
        self._fence = 0
        self._thread_id = 0
        if self.settings.unsafe_mode:
            _logger.warning("cp.unsafe_mode", reason="cp-member-count is 0: CP data structures run without Raft")

    def _group(self, name: str) -> Any:
        group_id = self.groups.get(name)
        if group_id is None:
            if self.settings.unsafe_mode:
                group_id = RaftGroupId(name=name, seed=0, id=self._name_partition(name))
            elif name == METADATA_GROUP:
                group_id = RaftGroupId(name=name, seed=self.seed, id=0)
            else:
                group_id = RaftGroupId(name=name, seed=self.seed, id=self._next_group_id)
                self._next_group_id += 1
            self.groups[name] = group_id
        return group_id

    def create_group(self, proxy_name: str) -> Any:
        """The id of the group ``proxy_name`` names, created on first use (``CPGroup.createCPGroup``)."""
        group, _ = split_proxy_name(proxy_name)
        return self._group(group)

    def check_group(self, group_id: Any) -> None:
        """Reject an id of no live group, as a Java member rejects one whose Raft group was destroyed."""
        if self.groups.get(group_id.name) != group_id:
            raise CPGroupDestroyedError(f"CP group {group_id.name!r} ({group_id.seed}, {group_id.id}) does not exist")

    def structure(self, group_id: Any, service: str, name: str, factory: Callable[[], _State]) -> _State:
        """The state of the structure ``name`` of ``service`` in group ``group_id``, created on first use."""
        key = (group_id, service, name)
        # Each service creates its states with one factory, so what is stored under its key is of the factory's type.
        found: _State | None = self.objects.get(key)
        if found is not None:
            return found
        self.check_group(group_id)
        if key in self.destroyed:
            raise DistributedObjectDestroyedError(f"{service} object {name!r} was destroyed and cannot be used again")
        found = self.objects[key] = factory()
        return found

    def destroy(self, group_id: Any, service: str, name: str) -> None:
        """Destroy a structure for good: its waiters are answered with DistributedObjectDestroyedError."""
        self.check_group(group_id)
        key = (group_id, service, name)
        self.destroyed.add(key)
        found = self.objects.pop(key, None)
        if found is not None and hasattr(found, "destroyed"):
            found.destroyed()

    def session_closed(self, group_id: Any, session_id: int) -> None:
        """A session ended (closed or expired): the locks and permits it held are freed, its waiters answered."""
        for (group, _service, _name), structure in list(self.objects.items()):
            if group == group_id and hasattr(structure, "session_closed"):
                structure.session_closed(session_id)

    def next_fence(self) -> int:
        """A fencing token greater than every earlier one (a Raft commit index stands there on a Java member)."""
        self._fence += 1
        return self._fence

    def next_thread_id(self) -> int:
        """A cluster-wide unique thread id for a sessionless caller (``CPSession.generateThreadId``)."""
        self._thread_id += 1
        return self._thread_id


_states: weakref.WeakKeyDictionary[Any, CPState] = weakref.WeakKeyDictionary()


def cp_state(cluster: EmbeddedCluster) -> CPState:
    """The cluster's CP state, made on first use and anew when the cluster formed again (a new cluster id)."""
    state = _states.get(cluster)
    if state is None or state.cluster_id != cluster.cluster_id:
        if state is not None:
            state.sessions.close_all()
        state = _states[cluster] = CPState(cluster)
    return state
