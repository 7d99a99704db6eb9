"""An in-process Hazelcast cluster: N members on consecutive ports sharing one event loop.

Cluster-wide state is kept in shared Python objects (membership, partition table, distributed objects), while each
member keeps its own partition stores. Replication is a copy into the backup replica's store, done synchronously while
the owner executes a mutation; when membership changes, partitions are reassigned, surviving backups are promoted and
new replicas receive copies, then every client with a cluster view listener gets the new MembersView and
PartitionsView.

Usage::

    async with EmbeddedCluster(member_count=3, config={"map": {"default": {"backup-count": 1}}}) as cluster:
        client_members = cluster.addresses          # ["127.0.0.1:40123", ...]
        await cluster.members[1].kill()             # data with a backup survives
        await cluster.members[1].restart()          # new UUID, rejoins, partitions rebalanced
"""

from __future__ import annotations

import asyncio
import os
import ssl
import struct
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

import structlog

from hazelcast.config import Config
from hazelcast.embedded import client_service, schemas
from hazelcast.embedded.events import EventRegistry
from hazelcast.core import MemberInfo
from hazelcast.embedded.config import MemberConfig, StructureConfigs
from hazelcast.embedded.member import EmbeddedMember, MemberState
from hazelcast.embedded.partitions import assign_replicas
from hazelcast.embedded.plugins import EmbeddedPluginManager
from hazelcast.embedded.requests import Route
from hazelcast.embedded.spec import (
    MemberServiceSpec,
    PartitionState,
    PeriodicTask,
    StateKey,
)
from hazelcast.errors import IllegalStateError
from hazelcast.protocol import method
from hazelcast.protocol.frames import set_correlation_id
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import partition_hash
from hazelcast.serialization.hashing import partition_id as hash_to_partition

__all__ = ["EmbeddedCluster"]

_logger = structlog.get_logger("hazelcast.embedded")
# A String serialized as Data: partition hash 0, type id, UTF-8 length (big-endian), then the bytes.
_STRING_DATA_HEADER = struct.Struct(">iii")
_STRING_TYPE_ID = -11
_cluster_view = method("Client.addClusterViewListener")
_encode_members_view = _cluster_view.encode_event[0]
_encode_partitions_view = _cluster_view.encode_event[1]
_object_listener = method("Client.addDistributedObjectListener")
_encode_object_event = _object_listener.encode_event[0]


def _coerce_config(config: MemberConfig | Mapping[str, Any] | str | os.PathLike[str] | None) -> MemberConfig:
    if config is None:
        return MemberConfig()
    if isinstance(config, MemberConfig):
        return config
    if isinstance(config, Mapping):
        return MemberConfig.from_dict(config)
    return MemberConfig.from_file(config)


class EmbeddedCluster:
    """N embedded members in this process; an async context manager that starts and shuts them down.

    ``config`` is a :class:`~hazelcast.embedded.config.MemberConfig`, a mapping in the configuration-file shape, or the
    path of a YAML/JSON file. ``port`` is the first member's port (members take consecutive ports); 0 lets the system
    pick a free port for each. ``plugins`` are registered in addition to the entry points of group
    ``hazelcast.embedded.plugins``, which are loaded unless ``autoload`` is False (or None and
    ``HAZELCAST_EMBEDDED_DISABLE_PLUGIN_AUTOLOAD`` is set). ``ssl_context`` (a server-side context) makes the members
    speak TLS.
    """

    def __init__(
        self,
        member_count: int = 1,
        config: MemberConfig | Mapping[str, Any] | str | os.PathLike[str] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        plugins: Sequence[object] = (),
        autoload: bool | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if member_count < 1:
            raise ValueError(f"a cluster needs at least one member, got {member_count}")
        self.config = _coerce_config(config)
        self.plugins = EmbeddedPluginManager(plugins, autoload, builtin=(client_service, schemas))
        self.structure_configs = StructureConfigs(self.plugins.structure_configs, self.config.structures)
        # The member's own serializer: built-in types plus the server classes plugins registered (entry processors,
        # functions, tasks...), which is how a Java member would read the objects clients send.
        self._serialization = SerializationService(Config(), extra_factories=self.plugins.server_classes)
        #: Listener registrations of every member, and the delivery of events to them.
        self.events = EventRegistry(self)
        self.cluster_name = self.config.cluster_name
        self.partition_count = self.config.partition_count
        self.cluster_id = uuid.uuid4()
        #: 1 + the highest backup count any structure is configured with (the partition table's depth).
        self.replica_count = 1 + self.structure_configs.max_backup_count()
        self.routes: dict[int, Route] = {
            codec.request_type: Route(codec, handler, before_auth=codec.spec.name in client_service.AUTH_MESSAGES)
            for codec, handler, _ in self.plugins.handlers.values()
        }
        self.host = host
        #: Server-side TLS context: when set, every member accepts TLS connections only.
        self.ssl_context = ssl_context
        self._base_port = port
        self.members: list[EmbeddedMember] = [
            EmbeddedMember(self, index, host, port + index if port else 0) for index in range(member_count)
        ]
        #: Running members in join order (the first is the oldest, as a Hazelcast master would be).
        self.live_members: list[EmbeddedMember] = []
        self._replicas: list[list[EmbeddedMember]] = [[] for _ in range(self.partition_count)]
        #: Owner of each partition; valid while at least one member runs.
        self.owners: list[EmbeddedMember] = []
        self.member_list_version = 0
        self.partition_list_version = 0
        #: (service name, object name) of every distributed object created through Client.createProxy.
        self.distributed_objects: dict[tuple[str, str], None] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False
        self._lock = asyncio.Lock()

    # -- lifecycle ------------------------------------------------------------------------------------------------

    async def __aenter__(self) -> EmbeddedCluster:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.shutdown()

    async def start(self) -> None:
        """Bind every member's socket, form the cluster and start the services' periodic tasks."""
        if self._started:
            return
        self._started = True
        # Each start forms a new cluster, as a real cluster started again after a full stop does.
        self._form_new_cluster()
        try:
            for member in self.members:
                await member._open()
        except BaseException:
            for member in self.members:
                if member.alive:
                    member._close(MemberState.STOPPED)
                    await member._wait_closed()
            self._started = False
            raise
        self.live_members = list(self.members)
        self.member_list_version = len(self.members)
        self._rebalance(leaving=None)
        for service in self.plugins.services:
            for task in service.periodic_tasks:
                self._tasks.append(asyncio.create_task(self._run_periodic(task), name=f"embedded:{task.name}"))
        _logger.info(
            "cluster.started",
            cluster_name=self.cluster_name,
            members=self.addresses,
            partition_count=self.partition_count,
        )

    async def shutdown(self) -> None:
        """Stop the periodic tasks and every member; client connections are closed."""
        if not self._started:
            return
        self._started = False
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for member in self.members:
            if member.state == MemberState.RUNNING:
                member._close(MemberState.STOPPED)
        for member in self.members:
            await member._wait_closed()
        self.live_members = []
        self.owners = []
        self._replicas = [[] for _ in range(self.partition_count)]
        _logger.info("cluster.stopped", cluster_name=self.cluster_name)

    async def _run_periodic(self, task: PeriodicTask) -> None:
        while True:
            await asyncio.sleep(task.interval)
            try:
                task.run(self)
            except Exception:
                _logger.error("cluster.task.failed", task=task.name, exc_info=True)

    # -- membership -----------------------------------------------------------------------------------------------

    @property
    def addresses(self) -> list[str]:
        """``"host:port"`` of every member, by member index (a killed member keeps its address)."""
        return [member.address for member in self.members]

    async def add_member(self) -> EmbeddedMember:
        """Start one more member (on the next consecutive port when the cluster has a base port); it joins."""
        async with self._lock:
            index = len(self.members)
            member = EmbeddedMember(self, index, self.host, self._base_port + index if self._base_port else 0)
            try:
                await self._join(member)
            except BaseException:
                # A member that could not join is no member: it takes no index and keeps no socket open.
                if member.alive and member not in self.live_members:
                    member._close(MemberState.STOPPED)
                    await member._wait_closed()
                raise
            self.members.append(member)
            return member

    async def kill_member(self, member: EmbeddedMember) -> None:
        """Crash ``member`` (see :meth:`EmbeddedMember.kill`)."""
        async with self._lock:
            await self._kill(member)

    async def _kill(self, member: EmbeddedMember) -> None:
        self._require_running(member)
        member._close(MemberState.KILLED)
        self.live_members.remove(member)
        self.member_list_version += 1
        self._rebalance(leaving=None)
        member._log.info("member.killed", live_members=len(self.live_members))
        await member._wait_closed()

    async def shutdown_member(self, member: EmbeddedMember) -> None:
        """Let ``member`` leave gracefully: its replicas are handed over before it stops."""
        async with self._lock:
            self._require_running(member)
            self.live_members.remove(member)
            self.member_list_version += 1
            self._rebalance(leaving=member)
            member._close(MemberState.STOPPED)
            member._log.info("member.stopped", live_members=len(self.live_members))
            await member._wait_closed()

    async def restart_member(self, member: EmbeddedMember) -> None:
        """Start ``member`` again with a new UUID on its port; a running member is killed first."""
        async with self._lock:
            if member.alive:
                await self._kill(member)
            member.uuid = uuid.uuid4()
            await self._join(member)
            member._log.info("member.restarted", uuid=str(member.uuid))

    async def _join(self, member: EmbeddedMember) -> None:
        if not self._started:
            raise IllegalStateError("the cluster is not running")
        await member._open()
        if not self.live_members:
            # Every member had gone: the one joining now forms a new cluster.
            self._form_new_cluster()
        for service in self.plugins.services:
            if service.member_joining is not None:
                service.member_joining(self, member)
        self.live_members.append(member)
        self.member_list_version += 1
        self._rebalance(leaving=None)

    def _form_new_cluster(self) -> None:
        # A new cluster has a new id and none of the old one's distributed objects, which lived on its members.
        # Clients see the id change and re-send what only the old cluster knew (Compact schemas, proxies), so their
        # proxies are created again, with CREATED events, rather than found already there.
        self.cluster_id = uuid.uuid4()
        self.distributed_objects.clear()

    def _require_running(self, member: EmbeddedMember) -> None:
        if member.cluster is not self or not member.alive:
            raise IllegalStateError(f"member {member.index} is not running")
        if len(self.live_members) == 1 and member in self.live_members:
            _logger.warning("cluster.last_member.leaving", member=member.index)

    # -- faults on every member -----------------------------------------------------------------------------------

    def delay_responses(self, message: str | int, seconds: float) -> None:
        """:meth:`EmbeddedMember.delay_responses` on every running member."""
        for member in self.live_members:
            member.delay_responses(message, seconds)

    def fail_requests(self, message: str | int, error_code: int, error_message: str | None = None) -> None:
        """:meth:`EmbeddedMember.fail_requests` on every running member."""
        for member in self.live_members:
            member.fail_requests(message, error_code, error_message)

    def clear_faults(self) -> None:
        for member in self.live_members:
            member.clear_faults()

    # -- server-side objects --------------------------------------------------------------------------------------

    def to_object(self, data: bytes | None) -> Any:
        """Deserialize ``data`` a client sent, as a member would: built-in types, and IdentifiedDataSerializable
        objects of the server classes plugins registered (``hazelcast_embedded_server_classes``).

        Raises :class:`~hazelcast.errors.HazelcastSerializationError` for a class the member does not have.
        """
        return self._serialization.to_object(data)

    def to_data(self, value: Any) -> bytes | None:
        """Serialize a value the member produced (an entry processor's result...) for a client."""
        return self._serialization.to_data(value)

    # -- partition table ------------------------------------------------------------------------------------------

    def partition_id(self, key: bytes) -> int:
        """The partition of a serialized key (``ValueError`` if it is not a valid Data)."""
        return hash_to_partition(partition_hash(key), self.partition_count)

    def name_partition_id(self, name: str) -> int:
        """The partition of a name-partitioned object (queue, list...): the text after '@' is the partition key."""
        _, at, partition_key = name.partition("@")
        encoded = (partition_key if at else name).encode("utf-8")
        return self.partition_id(_STRING_DATA_HEADER.pack(0, _STRING_TYPE_ID, len(encoded)) + encoded)

    def owner_of(self, partition_id: int) -> EmbeddedMember:
        return self.owners[partition_id]

    def replicas_of(self, partition_id: int) -> list[EmbeddedMember]:
        """Owner first, then the backup members of ``partition_id``."""
        return self._replicas[partition_id]

    def partitions_of(self, member: EmbeddedMember) -> tuple[list[int], list[int]]:
        """(ids of the partitions ``member`` owns, ids of those it holds a backup replica of); empty when it is not
        running. Migrations happen at once on a membership change, so this is always the settled table."""
        owned: list[int] = []
        backups: list[int] = []
        if not member.alive:
            return owned, backups
        for partition_id, replicas in enumerate(self._replicas):
            if replicas and replicas[0] is member:
                owned.append(partition_id)
            elif member in replicas:
                backups.append(partition_id)
        return owned, backups

    def _rebalance(self, leaving: EmbeddedMember | None) -> None:
        """Reassign replicas for the current live members, move the data, and tell the clients."""
        previous = self._replicas
        table = assign_replicas(self.partition_count, self.live_members, previous, self.replica_count)
        self._migrate(previous, table, leaving)
        self._replicas = table
        self.owners = [replicas[0] for replicas in table] if self.live_members else []
        self.partition_list_version += 1
        _logger.info(
            "cluster.partitions.rebalanced",
            members=[member.index for member in self.live_members],
            member_list_version=self.member_list_version,
            partition_list_version=self.partition_list_version,
        )
        self.publish_cluster_view()

    def _migrate(
        self,
        previous: list[list[EmbeddedMember]],
        table: list[list[EmbeddedMember]],
        leaving: EmbeddedMember | None,
    ) -> None:
        holders = set(self.live_members)
        if leaving is not None:
            holders.add(leaving)
        lost = 0
        for pid in range(self.partition_count):
            before = previous[pid]
            after = table[pid]
            if before == after:
                continue
            # The highest surviving replica has everything every lower replica has: it is the source.
            source = next((member for member in before if member in holders), None)
            if source is None:
                if before:
                    lost += 1
                continue
            snapshot = source.partitions[pid]
            for index, member in enumerate(after):
                if member is source:
                    continue
                member.partitions[pid] = {
                    key: state.copy()
                    for key, state in snapshot.items()
                    if index == 0 or state.backup_count >= index
                }
            if before and before[0] not in holders:
                # The owner was lost: the new owner's data comes from a backup replica.
                now = time.time_ns() // 1_000_000
                for state in after[0].partitions[pid].values() if after else ():
                    promoted = getattr(state, "promoted", None)
                    if promoted is not None:
                        promoted(now)
            if source in after:
                index = after.index(source)
                if index > 0:
                    source.partitions[pid] = {
                        key: state for key, state in snapshot.items() if state.backup_count >= index
                    }
            elif source.partitions:
                source.partitions[pid] = {}
            for member in before:
                if member is not source and member in holders and member not in after and member.partitions:
                    member.partitions[pid] = {}
        if lost:
            _logger.warning("cluster.partitions.lost", count=lost)

    def apply_to_backups(
        self, partition_id: int, state: PartitionState, key: StateKey, apply: Callable[[Any], None]
    ) -> None:
        """Apply a change the owner made on its own (expiry...) to the backup replicas; nobody is acknowledged."""
        replicas = self._replicas[partition_id]
        for index in range(1, min(state.backup_count, len(replicas) - 1) + 1):
            states = replicas[index].partitions[partition_id]
            target = states.get(key)
            if target is None:
                target = states[key] = state.new_backup()
            apply(target)

    def owned_states(self, key: StateKey) -> Iterator[tuple[int, Any]]:
        """(partition id, owner's state) of ``key`` in every partition where the owner has one."""
        for pid, owner in enumerate(self.owners):
            state = owner.partitions[pid].get(key)
            if state is not None:
                yield pid, state

    # -- cluster view ---------------------------------------------------------------------------------------------

    def member_infos(self) -> list[MemberInfo]:
        return [member.member_info() for member in self.live_members]

    def partition_view(self) -> list[tuple[uuid.UUID, list[int]]]:
        """Member UUID -> owned partition ids, as the PartitionsView event and the auth response carry it."""
        owned: dict[uuid.UUID, list[int]] = {member.uuid: [] for member in self.live_members}
        for pid, owner in enumerate(self.owners):
            owned[owner.uuid].append(pid)
        return list(owned.items())

    def cluster_view_events(self, correlation_id: int) -> tuple[bytearray, bytearray]:
        """MembersView and PartitionsView events for a registration with ``correlation_id``."""
        members_view = _encode_members_view(self.member_list_version, self.member_infos())
        set_correlation_id(members_view, correlation_id)
        partitions_view = _encode_partitions_view(self.partition_list_version, self.partition_view())
        set_correlation_id(partitions_view, correlation_id)
        return members_view, partitions_view

    def publish_cluster_view(self) -> None:
        """Send the current MembersView and PartitionsView to every cluster view listener."""
        listeners = [
            connection
            for member in self.live_members
            for connection in member.connections
            if connection.cluster_view_correlation is not None
        ]
        if not listeners:
            return
        members_view = _encode_members_view(self.member_list_version, self.member_infos())
        partitions_view = _encode_partitions_view(self.partition_list_version, self.partition_view())
        for connection in listeners:
            correlation_id = connection.cluster_view_correlation
            assert correlation_id is not None
            for template in (members_view, partitions_view):
                event = bytearray(template)
                set_correlation_id(event, correlation_id)
                connection.send(event)
            # Out now, not on the next loop iteration: members killed right after a join must not take the news of the
            # join down with them, or the client would never learn the address of the only member left.
            connection.flush()

    # -- distributed objects --------------------------------------------------------------------------------------

    def object_service(self, service_name: str) -> MemberServiceSpec | None:
        """The member-side service that provides distributed objects of ``service_name``."""
        return self.plugins.object_service_names.get(service_name)

    def create_object(self, service_name: str, name: str, source: EmbeddedMember) -> bool:
        """Record a distributed object; publishes CREATED and returns True when it did not exist yet."""
        key = (service_name, name)
        if key in self.distributed_objects:
            return False
        self.distributed_objects[key] = None
        self._publish_object_event(name, service_name, "CREATED", source)
        return True

    def destroy_object(self, service_name: str, name: str, source: EmbeddedMember) -> bool:
        """Drop a distributed object and all its data on every member; publishes DESTROYED if it existed."""
        key = (service_name, name)
        existed = key in self.distributed_objects
        if existed:
            del self.distributed_objects[key]
        for member in self.live_members:
            for states in member.partitions:
                if states:
                    states.pop(key, None)
        service = self.object_service(service_name)
        if service is not None and service.destroy_object is not None:
            service.destroy_object(self, service_name, name)
        if existed:
            self._publish_object_event(name, service_name, "DESTROYED", source)
        return existed

    def _publish_object_event(self, name: str, service_name: str, event_type: str, source: EmbeddedMember) -> None:
        # The handling member tells its own listeners and the other members tell their cluster-wide (not local-only)
        # ones: a smart client registered local-only on every member and a unisocket client registered once
        # cluster-wide each receive the event exactly once.
        template = _encode_object_event(name, service_name, event_type, source.uuid)
        for member in self.live_members:
            for registration in member.object_listeners.values():
                if member is source or not registration.local_only:
                    event = bytearray(template)
                    set_correlation_id(event, registration.correlation_id)
                    registration.connection.send(event)

    # -- authentication -------------------------------------------------------------------------------------------

    def authentication_status(
        self,
        cluster_name: str,
        serialization_version: int,
        username: str | None = None,
        password: str | None = None,
        token: bytes | None = None,
        custom: bool = False,
    ) -> int:
        """Status code of an authentication attempt (0 ok, 1 credentials failed, 2 serialization mismatch)."""
        if serialization_version != client_service.SERIALIZATION_VERSION:
            return client_service.SERIALIZATION_VERSION_MISMATCH
        if cluster_name != self.cluster_name:
            return client_service.CREDENTIALS_FAILED
        expected = self.config.credentials
        if expected is None:
            # Without security a member only accepts empty username/password credentials.
            ok = not custom and username is None and password is None
        elif custom:
            ok = expected.token is not None and token == expected.token
        else:
            ok = expected.username is not None and username == expected.username and password == expected.password
        return client_service.AUTHENTICATED if ok else client_service.CREDENTIALS_FAILED
