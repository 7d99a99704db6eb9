"""The member side of the PN counter: a CRDT replica of each counter on each member that serves it.

As on a Java member, every member a client sends a counter operation to keeps its own replica of that counter: per
replica id (the member uuid) a pair of totals, P (increments) and N (decrements), with a timestamp counting that
replica's updates. A member applies an update to its own pair only and answers with its *vector clock* (replica id ->
timestamp); replicas exchange their state every :data:`REPLICATION_INTERVAL_SECONDS` (Java's
``crdt-replication.replication-period-millis`` defaults to one second) and merge it, per replica id, by the higher
timestamp. The value is the sum of P - N over every replica id.

Session guarantees: a request carries the vector clock the client observed. A replica whose own clock is behind it for
some replica id has not seen writes the client already saw, and refuses with ``ConsistencyLostException``, so the
client tries another replica or, after ``reset()``, starts a new session. A replica's state lives in
``member.service_states`` and dies with its member; a member that joins starts empty and catches up by replication.

Configuration, section ``pn-counter`` (keys of hazelcast.yaml): ``replica-count`` (how many members clients spread a
counter over, default ``Integer.MAX_VALUE``: all of them) and ``statistics-enabled`` (accepted so that snippets
load; the embedded member keeps no statistics).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec, PeriodicTask, StructureConfigSpec
from hazelcast.errors import ConsistencyLostError, InvalidConfigurationError, TargetNotMemberError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = [
    "PN_COUNTER_CONFIG_SECTION",
    "PN_COUNTER_SERVICE",
    "PN_COUNTER_SERVICE_NAME",
    "REPLICATION_INTERVAL_SECONDS",
    "CounterReplica",
    "PNCounterConfig",
    "replicate_counters",
]

PN_COUNTER_SERVICE_NAME = "hz:impl:PNCounterService"
REPLICATION_INTERVAL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class PNCounterConfig:
    """Per-counter settings under ``pn-counter:``: ``replica-count`` (1 or more) and ``statistics-enabled``."""

    replica_count: int = 2**31 - 1
    statistics_enabled: bool = True

    def __post_init__(self) -> None:
        if self.replica_count < 1:
            raise InvalidConfigurationError(f"replica-count must be >= 1, got {self.replica_count}")


PN_COUNTER_CONFIG_SECTION = StructureConfigSpec(section="pn-counter", settings_type=PNCounterConfig)


class CounterReplica:
    """One member's replica of one counter: ``replica id -> [P, N, timestamp]``."""

    __slots__ = ("pairs",)

    def __init__(self) -> None:
        self.pairs: dict[uuid.UUID, list[int]] = {}

    @property
    def value(self) -> int:
        return sum(p - n for p, n, _ in self.pairs.values())

    def clock(self) -> list[tuple[uuid.UUID, int]]:
        return [(replica_id, pair[2]) for replica_id, pair in self.pairs.items()]

    def check_session(self, observed: list[tuple[uuid.UUID, int]], name: str) -> None:
        """Refuse when the client observed writes this replica has not seen."""
        pairs = self.pairs
        for replica_id, timestamp in observed:
            pair = pairs.get(replica_id)
            if pair is None or pair[2] < timestamp:
                raise ConsistencyLostError(
                    f"this replica of PN counter {name!r} has not seen all the updates the caller observed"
                )

    def add(self, replica_id: uuid.UUID, delta: int) -> None:
        pair = self.pairs.get(replica_id)
        if pair is None:
            pair = self.pairs[replica_id] = [0, 0, 0]
        if delta >= 0:
            pair[0] += delta
        else:
            pair[1] -= delta
        pair[2] += 1

    def merge(self, other: CounterReplica) -> None:
        pairs = self.pairs
        for replica_id, pair in other.pairs.items():
            mine = pairs.get(replica_id)
            if mine is None or mine[2] < pair[2]:
                pairs[replica_id] = list(pair)


def _replicas(member: EmbeddedMember) -> dict[str, CounterReplica]:
    found = member.service_states.get(PN_COUNTER_SERVICE_NAME)
    if found is None:
        found = member.service_states[PN_COUNTER_SERVICE_NAME] = {}
    return found


def _replica(request: MemberRequest) -> tuple[EmbeddedMember, CounterReplica]:
    """The member the client chose as replica (the one it sent to, or the one it names) and its counter replica."""
    params = request.params
    member = request.member
    if params.target_replica_uuid is not None and params.target_replica_uuid != member.uuid:
        # A unisocket client reaches its replica through the member it is connected to.
        target = next((m for m in request.cluster.live_members if m.uuid == params.target_replica_uuid), None)
        if target is None:
            raise TargetNotMemberError(f"replica {params.target_replica_uuid} is not a member of the cluster")
        member = target
    replicas = _replicas(member)
    replica = replicas.get(params.name)
    if replica is None:
        replica = replicas[params.name] = CounterReplica()
    return member, replica


def pn_counter_get(request: MemberRequest) -> tuple[int, list[tuple[uuid.UUID, int]], int]:
    params = request.params
    _, replica = _replica(request)
    replica.check_session(params.replica_timestamps, params.name)
    return replica.value, replica.clock(), len(request.cluster.live_members)


def pn_counter_add(request: MemberRequest) -> tuple[int, list[tuple[uuid.UUID, int]], int]:
    params = request.params
    member, replica = _replica(request)
    replica.check_session(params.replica_timestamps, params.name)
    before = replica.value
    replica.add(member.uuid, params.delta)
    value = before if params.get_before_update else before + params.delta
    return value, replica.clock(), len(request.cluster.live_members)


def pn_counter_get_configured_replica_count(request: MemberRequest) -> int:
    # The message's only parameter is the counter's name.
    config: PNCounterConfig = request.cluster.structure_configs.lookup("pn-counter", request.params)
    return config.replica_count


def replicate_counters(cluster: EmbeddedCluster) -> None:
    """Merge every counter's replicas across the running members (the periodic CRDT replication)."""
    members = [member for member in cluster.live_members if not member.suspended]
    merged: dict[str, CounterReplica] = {}
    for member in members:
        for name, replica in _replicas(member).items():
            merged.setdefault(name, CounterReplica()).merge(replica)
    for member in members:
        replicas = _replicas(member)
        for name, replica in merged.items():
            replicas.setdefault(name, CounterReplica()).merge(replica)


def _destroy(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
    for member in cluster.live_members:
        _replicas(member).pop(name, None)


PN_COUNTER_SERVICE = MemberServiceSpec(
    name="PNCounter",
    handlers={
        "PNCounter.get": pn_counter_get,
        "PNCounter.add": pn_counter_add,
        "PNCounter.getConfiguredReplicaCount": pn_counter_get_configured_replica_count,
    },
    object_service_names=(PN_COUNTER_SERVICE_NAME,),
    destroy_object=_destroy,
    # Looked up at each run, so that a test can hold replication back by replacing the module function.
    periodic_tasks=(PeriodicTask("pn_counter.replication", REPLICATION_INTERVAL_SECONDS,
                                 lambda cluster: replicate_counters(cluster)),),
)


