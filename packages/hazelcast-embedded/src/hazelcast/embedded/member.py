"""One member of an embedded cluster: its server socket, its client connections, its partition stores, its faults.

The member decodes each request, finds the member that executes it (the partition owner for partition-bound
requests, as a real member forwards an operation to the owner) and runs the handler there synchronously. Its per-member
stores (``partitions[pid]``: state key -> state) are separate objects from every other member's, so killing a member
really loses what only that member held.

Fault injection for tests works on this object: :meth:`EmbeddedMember.kill` / :meth:`restart` (through the cluster),
:meth:`suspend` / :meth:`resume` (stop answering while keeping sockets open), :meth:`drop_connections`,
:meth:`delay_responses` and :meth:`fail_requests`.
"""

from __future__ import annotations

import asyncio
import struct
import uuid
import weakref
from typing import TYPE_CHECKING, Any, NamedTuple

import structlog

from hazelcast.core import Address, EndpointQualifier, MemberInfo, MemberVersion, ProtocolType
from hazelcast.embedded.connection import ClientConnection
from hazelcast.embedded.requests import (
    PENDING,
    MemberRequest,
    Route,
    error_message,
    error_message_for_code,
)
from hazelcast.embedded.spec import PartitionState, StateKey
from hazelcast.errors import (
    AuthenticationError,
    HazelcastError,
    IllegalArgumentError,
    IllegalStateError,
    MemberLeftError,
    UnsupportedOperationError,
)
from hazelcast.protocol import method
from hazelcast.protocol.frames import BACKUP_AWARE, Message

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["MEMBER_VERSION", "EmbeddedMember", "MemberState", "ObjectListenerRegistration"]

#: The Hazelcast version the member reports (``serverHazelcastVersion``, MemberInfo version).
MEMBER_VERSION = MemberVersion(5, 5, 0)
#: The qualifier of a member's default (unified) server socket; clients take a member's address from this entry of
#: the address map when there is no CLIENT entry.
MEMBER_ENDPOINT = EndpointQualifier(ProtocolType.MEMBER, None)

_REQUEST_HEADER = struct.Struct("<iqi")
_REQUEST_HEADER_SIZE = _REQUEST_HEADER.size
_unpack_request_header = _REQUEST_HEADER.unpack_from
_TYPE_AND_CORRELATION = struct.Struct("<iq")

_logger = structlog.get_logger("hazelcast.embedded")


class MemberState:
    CREATED = "created"
    RUNNING = "running"
    KILLED = "killed"
    STOPPED = "stopped"


class ObjectListenerRegistration(NamedTuple):
    """A client's distributed-object listener registered on one member."""

    connection: ClientConnection
    correlation_id: int
    local_only: bool


def _message_type(message: str | int) -> int:
    return message if isinstance(message, int) else method(message).request_type


class EmbeddedMember:
    """A member of an :class:`~hazelcast.embedded.EmbeddedCluster`; obtained as ``cluster.members[i]``."""

    def __init__(self, cluster: EmbeddedCluster, index: int, host: str, port: int) -> None:
        self.cluster = cluster
        #: Position in ``cluster.members``, stable across restarts (the control interface's member number).
        self.index = index
        self.host = host
        self.port = port
        self.uuid = uuid.uuid4()
        self.state = MemberState.CREATED
        self.suspended = False
        self.connections: set[ClientConnection] = set()
        #: Per partition: the states of the distributed objects this member holds a replica of.
        self.partitions: list[dict[StateKey, PartitionState]] = []
        #: Client UUID -> the connection on which that client registered its local backup listener here.
        self.backup_listeners: dict[uuid.UUID, ClientConnection] = {}
        #: Registration id -> distributed-object listener registered on this member.
        self.object_listeners: dict[uuid.UUID, ObjectListenerRegistration] = {}
        #: Service name -> what that service keeps on this member outside the partitions (the Compact schema
        #: registry...). Lost when the member stops; a joining member is seeded by ``MemberServiceSpec.member_joining``.
        self.service_states: dict[str, Any] = {}
        self._server: asyncio.Server | None = None
        self._routes: dict[int, Route] = cluster.routes
        self._deferred: list[MemberRequest] = []
        #: Requests whose handler returned PENDING here; weak, so that those answered and dropped leave by themselves.
        self._pending: weakref.WeakSet[MemberRequest] = weakref.WeakSet()
        self._delays: dict[int, float] = {}
        self._failures: dict[int, tuple[int, str | None]] = {}
        self._has_failures = False
        self._log = _logger.bind(member=index)

    # -- identity -------------------------------------------------------------------------------------------------

    @property
    def address(self) -> str:
        """``"host:port"`` of the member's client socket."""
        return f"{self.host}:{self.port}"

    @property
    def alive(self) -> bool:
        return self.state == MemberState.RUNNING

    def member_info(self) -> MemberInfo:
        address = Address(self.host, self.port)
        return MemberInfo(
            uuid=self.uuid,
            address=address,
            lite_member=False,
            attributes={},
            version=MEMBER_VERSION,
            address_map={MEMBER_ENDPOINT: address},
        )

    def __repr__(self) -> str:
        return f"<EmbeddedMember {self.index} {self.address} {self.uuid} {self.state}>"

    # -- lifecycle (driven by the cluster) ------------------------------------------------------------------------

    async def _open(self) -> None:
        """Bind the client socket (same port across restarts once one was chosen) and take a fresh identity."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: ClientConnection(self), self.host, self.port, reuse_address=True, ssl=self.cluster.ssl_context
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self.partitions = [{} for _ in range(self.cluster.partition_count)]
        self.state = MemberState.RUNNING
        self.suspended = False
        self._log = _logger.bind(member=self.index, port=self.port)
        self._log.info("member.started", uuid=str(self.uuid), address=self.address)

    def _close(self, state: str) -> None:
        """Stop listening, drop every client connection at once and forget all data and registrations."""
        self.state = state
        self.suspended = False
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections):
            connection.abort()
        self.connections.clear()
        self.partitions = []
        self.backup_listeners.clear()
        self.object_listeners.clear()
        self.cluster.events.member_stopped(self)
        self.service_states = {}
        self._delays.clear()
        self._failures.clear()
        self._has_failures = False
        # Parked requests and those a handler meant to answer later would otherwise never be answered.
        unanswered = [*self._deferred, *self._pending]
        self._deferred = []
        self._pending = weakref.WeakSet()
        for request in unanswered:
            request.fail(MemberLeftError(f"member {self.address} left the cluster before it answered"))

    async def _wait_closed(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            await server.wait_closed()

    async def kill(self) -> None:
        """Crash the member: listener and client connections closed abruptly, its data gone, partitions rebalanced."""
        await self.cluster.kill_member(self)

    async def restart(self) -> None:
        """Start the member again (killed first if it runs) on the same port with a new UUID; it rejoins."""
        await self.cluster.restart_member(self)

    async def shutdown(self) -> None:
        """Leave gracefully: its partitions move to the other members before it stops, so no data is lost."""
        await self.cluster.shutdown_member(self)

    # -- faults ---------------------------------------------------------------------------------------------------

    def suspend(self) -> None:
        """Stop answering (no reads, no writes, forwarded work parked) while keeping every socket open."""
        if not self.alive:
            raise IllegalStateError(f"member {self.index} is not running")
        if self.suspended:
            return
        self.suspended = True
        for connection in self.connections:
            if connection.transport is not None and not connection.closed:
                connection.transport.pause_reading()
        self._log.info("member.suspended")

    def resume(self) -> None:
        """Answer again: pending input is read, held output written, parked work executed."""
        if not self.suspended:
            return
        self.suspended = False
        for connection in list(self.connections):
            connection.resume()
        deferred, self._deferred = self._deferred, []
        for request in deferred:
            # Partitions may have moved while the request was parked: run it where its partition lives now.
            owner = self.cluster.owners[request.partition_id] if request.partition_id >= 0 else self
            request.member = owner
            if owner.suspended:
                owner._deferred.append(request)
            else:
                owner.run(request)
        self._log.info("member.resumed", parked_requests=len(deferred))

    def drop_connections(self) -> None:
        """Abort every client connection of this member; the member itself keeps running."""
        count = len(self.connections)
        for connection in list(self.connections):
            connection.abort()
        self._log.info("member.connections.dropped", count=count)

    def delay_responses(self, message: str | int, seconds: float) -> None:
        """Hold the responses to ``message`` (``"Map.get"`` or a request type) for ``seconds`` before sending."""
        if seconds <= 0:
            self._delays.pop(_message_type(message), None)
        else:
            self._delays[_message_type(message)] = seconds

    def fail_requests(self, message: str | int, error_code: int, error_message: str | None = None) -> None:
        """Answer every ``message`` request with an error of protocol code ``error_code`` instead of executing it."""
        self._failures[_message_type(message)] = (error_code, error_message or f"injected failure {error_code}")
        self._has_failures = True

    def clear_faults(self) -> None:
        """Remove every injected delay and failure."""
        self._delays.clear()
        self._failures.clear()
        self._has_failures = False

    # -- connections ----------------------------------------------------------------------------------------------

    def connection_opened(self, connection: ClientConnection) -> None:
        if not self.alive:
            # A connection accepted in the instant between a kill and the listener closing.
            connection.abort()
            return
        self.connections.add(connection)
        self._log.debug("member.connection.opened", peer=connection.peer)

    def connection_closed(self, connection: ClientConnection, error: Exception | None) -> None:
        self.connections.discard(connection)
        client_uuid = connection.client_uuid
        if client_uuid is not None and self.backup_listeners.get(client_uuid) is connection:
            del self.backup_listeners[client_uuid]
        self.cluster.events.connection_closed(connection)
        for registration_id in list(connection.registrations):
            self.object_listeners.pop(registration_id, None)
        connection.registrations.clear()
        self._log.debug(
            "member.connection.closed",
            peer=connection.peer,
            client=str(client_uuid) if client_uuid else None,
            error=str(error) if error else None,
        )

    # -- requests -------------------------------------------------------------------------------------------------

    def handle_message(self, connection: ClientConnection, message: Message) -> None:
        """Dispatch one inbound message: a response or error is queued on ``connection`` unless it is parked.

        The common case (an authenticated client, a known message, no injected failure, a valid partition id) is
        one straight path; the others leave it through the methods that answer them.
        """
        try:
            flags, initial = message[0]
            if len(initial) < _REQUEST_HEADER_SIZE:
                self._reject_malformed_header(connection, initial)
                return
            message_type, correlation_id, partition_id = _unpack_request_header(initial)
            route = self._routes.get(message_type)
            if (route is None or not connection.authenticated or self._has_failures) and self._refused(
                connection, route, message_type, correlation_id
            ):
                return
            assert route is not None
            try:
                params = route.decode(message)
            except Exception as error:
                connection.send(
                    error_message(IllegalArgumentError(f"malformed {route.name} request: {error!r}"), correlation_id)
                )
                # A peer that sends what it cannot have encoded is not a client to keep talking to.
                connection.close_after_flush()
                return
            if route.partition_bound:
                cluster = self.cluster
                if partition_id < 0 or partition_id >= cluster.partition_count:
                    partition_id = self._partition_of(connection, route, params, partition_id, correlation_id)
                    if partition_id is None:
                        return
                owner = cluster.owners[partition_id] if partition_id >= 0 else self
            else:
                partition_id = -1
                owner = self
            request = MemberRequest(
                self.cluster,
                owner,
                connection,
                route,
                params,
                message_type,
                correlation_id,
                partition_id,
                partition_id >= 0 and bool(flags & BACKUP_AWARE),
            )
            if owner.suspended:
                owner._deferred.append(request)
                return
            owner.run(request)
        except Exception:
            # A bug in the member must cost this connection at most, never the member.
            self._log.error("member.request.crashed", peer=connection.peer, exc_info=True)
            connection.abort()

    def _refused(
        self, connection: ClientConnection, route: Route | None, message_type: int, correlation_id: int
    ) -> bool:
        """Answer a request that is not to be executed (before authentication, of an unknown type, failed by fault
        injection) with its error; False when it is to be executed after all."""
        if not connection.authenticated and (route is None or not route.before_auth):
            connection.send(
                error_message(
                    AuthenticationError(
                        f"message type 0x{message_type:06x} before authentication: "
                        "the first message must be Client.authentication or Client.authenticationCustom"
                    ),
                    correlation_id,
                )
            )
            connection.close_after_flush()
            return True
        if route is None:
            connection.send(
                error_message(
                    UnsupportedOperationError(f"unknown or unsupported message type 0x{message_type:06x}"),
                    correlation_id,
                )
            )
            return True
        failure = self._failures.get(message_type)
        if failure is not None:
            connection.send(error_message_for_code(failure[0], failure[1], correlation_id))
            return True
        return False

    def _partition_of(
        self, connection: ClientConnection, route: Route, params: Any, partition_id: int, correlation_id: int
    ) -> int | None:
        """The partition of a partition-bound request whose header has none (-1) or one out of range: its key's or
        its name's, else -1; None when the request was answered with an error instead."""
        cluster = self.cluster
        if partition_id >= 0:
            connection.send(
                error_message(
                    IllegalArgumentError(f"partition id {partition_id} out of range 0..{cluster.partition_count - 1}"),
                    correlation_id,
                )
            )
            return None
        try:
            if route.key_of is not None:
                return cluster.partition_id(route.key_of(params))
            if route.name_of is not None:
                return cluster.name_partition_id(route.name_of(params))
        except (ValueError, TypeError, AttributeError) as error:
            connection.send(error_message(error, correlation_id))
            return None
        return -1

    def run(self, request: MemberRequest) -> None:
        """Execute ``request`` on this member and answer it (unless the handler answers later)."""
        try:
            result = request.route.handler(request)
        except Exception as error:
            if not isinstance(error, HazelcastError):
                self._log.warning("member.request.failed", message=request.route.name, exc_info=True)
            request.fail(error)
            return
        if result is PENDING:
            if not request.done:
                self._pending.add(request)
        else:
            request.respond(result)

    def _reject_malformed_header(self, connection: ClientConnection, initial: bytes) -> None:
        if len(initial) >= _TYPE_AND_CORRELATION.size:
            message_type, correlation_id = _TYPE_AND_CORRELATION.unpack_from(initial)
            connection.send(
                error_message(
                    IllegalArgumentError(
                        f"message type 0x{message_type:06x}: the initial frame is too short for a request header"
                    ),
                    correlation_id,
                )
            )
            connection.close_after_flush()
        else:
            connection.abort("member.connection.malformed_header", size=len(initial))

    def send_response(self, connection: ClientConnection, message_type: int, buf: bytearray) -> None:
        """Queue a response on ``connection``, late when a delay is injected for ``message_type``."""
        if self._delays:
            delay = self._delays.get(message_type)
            if delay is not None:
                asyncio.get_running_loop().call_later(delay, connection.send, buf)
                return
        connection.send(buf)
