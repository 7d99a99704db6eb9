"""What member-side plugins hand to the embedded member: services, their handlers and their configuration sections.

A *service* answers the protocol messages of one protocol service (``"Map"``, ``"Queue"``...). Its handlers are plain
synchronous functions ``handler(request) -> response`` called on the event loop for every request of their message
type; see :class:`~hazelcast.embedded.requests.MemberRequest` for what a handler may do and return.

Partitioned data lives in per-member *partition containers*, one per partition, keyed by
``(service name, object name)`` (for example ``("hz:impl:mapService", "orders")``). The cluster copies these states
when partitions move and drops them when a distributed object is destroyed, so every state object implements
:class:`PartitionState`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember
    from hazelcast.embedded.requests import MemberRequest

__all__ = [
    "Handler",
    "MemberServiceSpec",
    "PartitionState",
    "PeriodicTask",
    "ServerClass",
    "StateKey",
    "StructureConfigSpec",
]

#: Handles one request on the event loop; returns the response parameters (see ``MemberRequest``).
Handler: TypeAlias = "Callable[[MemberRequest], Any]"
#: ``(service name, object name)``: where a distributed object's state sits in a partition container.
StateKey: TypeAlias = tuple[str, str]


class PartitionState(Protocol):
    """The state one distributed object keeps in one partition of one member.

    ``backup_count`` says on how many backup replicas the state lives (0 = owner only); the cluster copies the state to
    replica ``i`` only when ``i <= backup_count``. A state may also define ``promoted(now_ms)``, called on the new
    owner's state when a backup replica takes over a partition whose owner was lost.
    """

    backup_count: int

    def copy(self) -> PartitionState:
        """A deep copy, given to a member that becomes a replica of the partition."""
        ...

    def new_backup(self) -> PartitionState:
        """An empty state with the same settings, for a backup replica that does not hold one yet."""
        ...


@dataclass(frozen=True, slots=True)
class PeriodicTask:
    """Work a service wants done every ``interval`` seconds while the cluster runs (expiry sweeps...).

    ``run`` is called on the event loop with the cluster; an exception is logged and the task keeps its schedule.
    """

    name: str
    interval: float
    run: Callable[[EmbeddedCluster], None]


@dataclass(frozen=True, slots=True)
class MemberServiceSpec:
    """A member-side service: the handlers of its protocol messages and what the cluster must know about it.

    ``name`` is the protocol service (``"Map"``); ``handlers`` maps protocol method names (``"Map.put"``) to handlers.
    ``object_service_names`` are the distributed-object service names (``"hz:impl:mapService"``) that
    ``Client.createProxy`` may name for this service. ``destroy_object(cluster, service_name, object_name)`` is
    called when such an object is destroyed, after the cluster dropped its partition states, for any state the service
    keeps elsewhere. ``member_joining(cluster, member)`` is called when a member joins a running cluster (added or
    restarted), before it is one of ``cluster.live_members`` and before partitions move to it: a service that keeps
    the same state on every member (``member.service_states``) copies it there from a live member, as a Java
    member's pre-join operation does.
    """

    name: str
    handlers: Mapping[str, Handler]
    object_service_names: tuple[str, ...] = ()
    destroy_object: Callable[[EmbeddedCluster, str, str], None] | None = None
    periodic_tasks: tuple[PeriodicTask, ...] = ()
    member_joining: Callable[[EmbeddedCluster, EmbeddedMember], None] | None = None


@dataclass(frozen=True, slots=True)
class ServerClass:
    """A Python implementation of server-side code, named by the IdentifiedDataSerializable ids clients send.

    A client sends an entry processor, predicate, ``IFunction``, executor task, ringbuffer filter... as an
    IdentifiedDataSerializable object: on a Java member the class of that ``(factory_id, class_id)`` runs. Here
    ``factory`` (a zero-argument callable, usually the class) creates the Python object, which reads its fields with
    ``read_data`` and then does the work through the method the service that receives it documents (``process(entry)``
    for an entry processor, ``apply(value)`` for a function, ``call()`` for a task...). The member deserializes such
    objects with :meth:`EmbeddedCluster.to_object <hazelcast.embedded.EmbeddedCluster.to_object>`.
    """

    factory_id: int
    class_id: int
    factory: Callable[[], Any]


@dataclass(frozen=True, slots=True)
class StructureConfigSpec:
    """A per-data-structure configuration section, such as ``map``.

    ``settings_type`` is a dataclass whose fields all have defaults; the member config holds, under ``section``, a
    mapping from object-name patterns (``"default"``, ``"orders-*"``, exact names) to settings, written with either
    hyphenated keys as in a Hazelcast member's YAML (``time-to-live-seconds``) or the field names. A field named
    ``backup_count`` (plus one named ``async_backup_count``) takes part in sizing the partition table's replica
    count.

    A section that is one settings object for the whole cluster rather than a mapping of name patterns (such as
    ``cp-subsystem``) sets ``per_name=False``; its settings are read with ``StructureConfigs.section_settings``.
    """

    section: str
    settings_type: type[Any]
    per_name: bool = True
