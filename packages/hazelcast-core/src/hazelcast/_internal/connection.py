"""Connections to members: the asyncio glue over the sans-I/O protocol layer.

A :class:`Connection` is an ``asyncio.BufferedProtocol``: bytes in are read into a reusable buffer and cut into messages
by :class:`~hazelcast.protocol.frames.MessageReader` (a frame of 64 KiB or more is read straight into its own payload
buffer instead, so a large value is not copied on its way in), then routed to the invocation service (responses),
the backup-ack path or an event handler (events). Bytes out go through :class:`~hazelcast._internal.outbox.Outbox`:
small requests batched per loop iteration, large ones written in slices without copying them. The
:class:`ConnectionManager` owns the connections: it opens and authenticates them, keeps one per member under smart
routing, sends heartbeats, and reconnects with backoff when the cluster is lost.
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast._internal.cluster_choice import ClusterChoice
from hazelcast._internal.dialing import BackoffTimer, make_ssl_context_for, parse_address
from hazelcast._internal.lifecycle import LifecycleState
from hazelcast._internal.outbox import Outbox
from hazelcast.config import ReconnectMode
from hazelcast.core import Address
from hazelcast.errors import (
    AuthenticationError,
    ClientNotAllowedInClusterError,
    ClientOfflineError,
    HazelcastError,
    IllegalStateError,
    TargetDisconnectedError,
)
from hazelcast.protocol import method
from hazelcast.protocol.frames import BACKUP_EVENT, IS_EVENT, FramingError, Message, MessageReader

if TYPE_CHECKING:
    from hazelcast._internal.invocation import InvocationService
    from hazelcast._internal.lifecycle import LifecycleService
    from hazelcast.config import Config

__all__ = ["CLIENT_TYPE", "CLIENT_VERSION", "Connection", "ConnectionManager"]

_logger = structlog.get_logger("hazelcast.connection")
_INT64 = struct.Struct("<q")
_PROTOCOL_PREAMBLE = b"CP2"
CLIENT_TYPE = "PYH"
CLIENT_VERSION = "5.7.0"
_SERIALIZATION_VERSION = 1
_AUTHENTICATION = method("Client.authentication")
_AUTHENTICATION_CUSTOM = method("Client.authenticationCustom")
_PING = method("Client.ping")
_EVENT_FLAGS = IS_EVENT | BACKUP_EVENT
#: Seconds between two checks, under smart routing, that every member has a connection (as the official client).
_MEMBER_CONNECT_PERIOD = 1.0
_BACKUP_EVENT_OFFSET = 16
#: Bytes one read of the socket may bring (the reusable receive buffer). A large frame is read into its own buffer, so
#: this only bounds how much of one is copied out of the receive buffer: what came in the read that announced it.
_RECEIVE_SIZE = 64 * 1024
_SO_RCVLOWAT: int | None = getattr(socket, "SO_RCVLOWAT", None)
#: The most a large frame's reads wait for at once (the kernel grows the receive buffer to hold it).
_LOWAT_LIMIT = 4 * 1024 * 1024


class Connection(Outbox, asyncio.BufferedProtocol):
    """One TCP (or TLS) connection to a member."""

    def __init__(self, manager: ConnectionManager, address: Address, connection_id: int) -> None:
        self._manager = manager
        self._loop = manager.loop
        self._invocations = manager.invocation_service
        self.address = address
        self.connection_id = connection_id
        self.reader = MessageReader(receive_large=True)
        self._receive_view = memoryview(bytearray(_RECEIVE_SIZE))
        #: The socket whose SO_RCVLOWAT follows large frames (plain TCP where the option exists), and its value.
        self._lowat_socket: Any = None
        self._lowat = 1
        #: Correlation id of a listener registration -> the handler of its events.
        self.event_handlers: dict[int, Callable[[Message], None]] = {}
        self.live = False
        self.authenticated = False
        self.member_uuid: uuid.UUID | None = None
        self.server_version: str | None = None
        self.last_read = self.last_write = self._loop.time()
        self.connected = self._loop.create_future()
        self._transport: asyncio.Transport | None = None
        self._init_outbox()
        self.close_reason: str | None = None

    # -- asyncio.BufferedProtocol -----------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self.limit_write_buffer(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            self._manager.apply_socket_options(sock)
            if (
                _SO_RCVLOWAT is not None
                and transport.get_extra_info("ssl_object") is None
                and not any(option == socket.SO_RCVBUF for _, option, _ in self._manager.config.socket_options)
            ):
                # Not under TLS (the socket carries records that the TLS layer may already have partly read), nor with
                # a receive buffer fixed by the user (the kernel could not grow it to hold what is waited for).
                self._lowat_socket = sock
        self.live = True
        transport.write(_PROTOCOL_PREAMBLE)
        if not self.connected.done():
            self.connected.set_result(None)

    def get_buffer(self, sizehint: int) -> memoryview:
        reader = self.reader
        if reader.receiving is not None:
            # A large frame: the socket reads straight into its payload, which becomes the value's Data as it is.
            return reader.receive_view()
        return self._receive_view

    def buffer_updated(self, nbytes: int) -> None:
        reader = self.reader
        if reader.receiving is None:
            self._feed(self._receive_view[:nbytes].tobytes())
            return
        self.last_read = self._loop.time()
        try:
            messages = reader.received(nbytes)
        except FramingError as exc:
            self.close(f"malformed data from the member: {exc}", exc)
            return
        self._wake_for_the_rest()
        if messages:
            self._dispatch(messages)

    def data_received(self, data: bytes) -> None:
        """Take ``data`` as if the socket had read it (benchmarks and tests drive a connection without a socket)."""
        reader = self.reader
        while data and reader.receiving is not None:
            target = reader.receive_view()
            count = min(len(target), len(data))
            target[:count] = data[:count]
            data = data[count:]
            self.buffer_updated(count)
        if data:
            self._feed(data)

    def _feed(self, data: bytes) -> None:
        self.last_read = self._loop.time()
        reader = self.reader
        try:
            messages = reader.feed(data)
        except FramingError as exc:
            self.close(f"malformed data from the member: {exc}", exc)
            return
        if reader.receiving is not None:
            self._wake_for_the_rest()
        self._dispatch(messages)

    def _wake_for_the_rest(self) -> None:
        """While a large frame comes in, the socket reports readable only once much more of it is there
        (``SO_RCVLOWAT``, 1 again once the frame is complete), not per 64 KiB segment: tens of reads fewer per MiB."""
        sock = self._lowat_socket
        if sock is None:
            return
        reader = self.reader
        wanted = 1 if reader.receiving is None else min(reader.receive_remaining, _LOWAT_LIMIT)
        if wanted != self._lowat:
            try:
                sock.setsockopt(socket.SOL_SOCKET, _SO_RCVLOWAT, wanted)
            except OSError:
                self._lowat_socket = None
                return
            self._lowat = wanted

    def _dispatch(self, messages: list[Message]) -> None:
        handle_response = self._invocations.handle_response
        try:
            for message in messages:
                flags = message[0][0]
                if not flags & _EVENT_FLAGS:
                    handle_response(message)
                elif flags & BACKUP_EVENT:
                    self._invocations.handle_backup_ack(_INT64.unpack_from(message[0][1], _BACKUP_EVENT_OFFSET)[0])
                else:
                    handler = self.event_handlers.get(_INT64.unpack_from(message[0][1], 4)[0])
                    if handler is not None:
                        try:
                            handler(message)
                        except Exception:
                            _logger.exception("listener.event_handler_failed", connection=self.connection_id)
        except Exception as exc:
            # A message too short for its header (or a fault in routing it) must not reach the event loop's exception
            # handler: this connection can no longer be trusted, so it closes and its invocations are retried or fail.
            _logger.exception("connection.message_handling_failed", connection=self.connection_id)
            self.close(f"malformed message from the member: {exc!r}", exc)
            return
        if messages and not self._flush_scheduled and (len(messages) > 1 or self._invocations.in_flight):
            # The callers just woken run in the next loop turn and will write requests: a flush scheduled now runs
            # right after them in that same turn, instead of in a turn of its own after it. (A lone answer with
            # nothing else in flight is left to write's direct path.)
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)

    def connection_lost(self, exc: Exception | None) -> None:
        was_live = self.live
        self.live = False
        if not self.connected.done():
            self.connected.set_exception(exc or ConnectionError("connection closed before it was established"))
        if was_live or self.authenticated:
            reason = self.close_reason or (f"connection lost: {exc!r}" if exc else "closed by the member")
            self._manager.on_connection_closed(self, reason, exc)

    @property
    def local_address(self) -> str:
        """``host:port`` of this end of the connection ("" before it is established)."""
        transport = self._transport
        sockname = transport.get_extra_info("sockname") if transport is not None else None
        return f"{sockname[0]}:{sockname[1]}" if sockname else ""

    # -- closing ------------------------------------------------------------------------------------------------------

    def close(self, reason: str, error: BaseException | None = None) -> None:
        if self.close_reason is None:
            self.close_reason = reason
        transport = self._transport
        if transport is not None and not transport.is_closing():
            transport.abort() if error is not None else transport.close()
        elif transport is None:
            self.live = False

    def __repr__(self) -> str:
        return f"<Connection {self.connection_id} {self.address} member={self.member_uuid} live={self.live}>"


class ConnectionManager:
    def __init__(
        self,
        config: Config,
        loop: asyncio.AbstractEventLoop,
        invocation_service: InvocationService,
        lifecycle: LifecycleService,
        client_uuid: uuid.UUID,
        client_name: str,
        failover_configs: Sequence[Config] = (),
        try_count: int = 1,
    ) -> None:
        self.config = config
        #: The cluster to connect to: ``config``, or the current entry of the failover list.
        self.clusters = ClusterChoice(failover_configs or [config], try_count, make_ssl_context_for)
        self.loop = loop
        self.invocation_service = invocation_service
        self._lifecycle = lifecycle
        self.client_uuid = client_uuid
        self.client_name = client_name
        self.connections: dict[uuid.UUID, Connection] = {}
        self._pending: dict[Address, asyncio.Task[Connection | None]] = {}
        self._next_connection_id = 1
        self._connection_list: list[Connection] = []
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._reconnect_task: asyncio.Task[None] | None = None
        self._member_connect_task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._backoff = BackoffTimer(config, loop)
        self._shutdown = False
        self.cluster_id: uuid.UUID | None = None
        self.on_connection_added: list[Callable[[Connection], None]] = []
        self.on_connection_removed: list[Callable[[Connection], None]] = []
        #: Set by the partition service: applies the partition count of an authentication response.
        self.check_partition_count: Callable[[int], None] = lambda count: None
        #: Set by the cluster service: the member addresses to try, newest member list first.
        self.member_addresses: Callable[[], list[Address]] = lambda: []
        #: Set by the cluster service: (uuid, address to connect to) of every member in the member list.
        self.members: Callable[[], list[tuple[uuid.UUID, Address]]] = lambda: []
        self.cluster_restarted: list[Callable[[], None]] = []

    # -- start / stop ---------------------------------------------------------------------------------------------

    async def start(self) -> None:
        self._heartbeat_task = self.loop.create_task(self._heartbeat_loop())
        if self.config.smart_routing:
            self._member_connect_task = self.loop.create_task(self._member_connect_loop())
        if self.config.async_start:
            self._reconnect_task = self.loop.create_task(self._connect_to_cluster_forever())
            return
        await self._connect_to_cluster()

    async def shutdown(self) -> None:
        self._shutdown = True
        tasks: list[asyncio.Task[Any]] = [
            t for t in (self._heartbeat_task, self._reconnect_task, self._member_connect_task) if t is not None
        ]
        tasks += list(self._pending.values()) + list(self._background)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        was_connected = bool(self.connections)
        for connection in list(self._connection_list):
            connection.close("the client is shutting down")
        # Let transports run connection_lost before the loop may be closed.
        await asyncio.sleep(0)
        if was_connected:
            # Fired here rather than by the last connection_lost, so that it always comes before SHUTDOWN.
            self._lifecycle.fire(LifecycleState.DISCONNECTED)

    # -- connecting -------------------------------------------------------------------------------------------------

    def _initial_addresses(self) -> list[Address]:
        members = self.clusters.current.cluster_members or ["127.0.0.1"]
        addresses = [address for text in members for address in parse_address(text)]
        if self.config.shuffle_member_list:
            random.shuffle(addresses)
        return addresses

    async def _connect_to_cluster(self) -> None:
        clusters = self.clusters
        attempts = clusters.attempts()
        for attempt in range(1, attempts + 1):
            try:
                await self._connect_to_current_cluster()
                return
            except (IllegalStateError, AuthenticationError, ClientNotAllowedInClusterError):
                # This cluster is unreachable or refuses the client: with failover, the next one is tried.
                if attempt == attempts or self._shutdown:
                    raise
            clusters.move_on()

    async def _connect_to_current_cluster(self) -> None:
        self._backoff.reset()
        while not self._shutdown:
            tried = []
            for address in self._candidate_addresses():
                tried.append(str(address))
                connection = await self.get_or_connect(address)
                if connection is not None:
                    return
            sleep = self._backoff.next_sleep()
            if sleep is None:
                raise IllegalStateError(
                    f"unable to connect to any member of cluster {self.clusters.current.cluster_name!r} "
                    f"(tried {', '.join(tried)}) within "
                    f"cluster_connect_timeout={self.config.cluster_connect_timeout}s"
                )
            _logger.warning("connection.cluster_unreachable", retry_in=round(sleep, 3), attempt=self._backoff.attempt)
            await asyncio.sleep(sleep)
        raise ClientOfflineError("the client is shutting down")

    async def _connect_to_cluster_forever(self) -> None:
        try:
            await self._connect_to_cluster()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if self._shutdown:
                return  # the client shut down during an attempt: nothing failed that anyone still wants
            _logger.error("connection.cluster_connect_failed", error=repr(exc))
            self._lifecycle.request_shutdown()

    def _candidate_addresses(self) -> list[Address]:
        seen: set[Address] = set()
        out = []
        # Members learned from a cluster the client has just moved away from are no way into the next one.
        learned = [] if self.clusters.switched else self.member_addresses()
        for address in learned + self._initial_addresses():
            if address not in seen:
                seen.add(address)
                out.append(address)
        return out

    async def get_or_connect(self, address: Address) -> Connection | None:
        for connection in self._connection_list:
            if connection.address == address and connection.authenticated and connection.live:
                return connection
        task = self._pending.get(address)
        if task is None:
            task = self.loop.create_task(self._open(address))
            self._pending[address] = task

            def forget_pending(_task: asyncio.Task[Connection | None], a: Address = address) -> None:
                self._pending.pop(a, None)

            task.add_done_callback(forget_pending)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if self._shutdown:
                return None
            raise

    def connect_to_member(self, address: Address) -> None:
        """Open a connection to a member in the background (smart routing), unless one exists or is being made."""
        if self._shutdown or address in self._pending:
            return
        if any(c.address == address and c.live for c in self._connection_list):
            return
        task = self.loop.create_task(self.get_or_connect(address))
        self._background.add(task)
        task.add_done_callback(self._background_done)

    def _background_done(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _logger.warning("connection.member_connect_failed", error=repr(task.exception()))

    async def _open(self, address: Address) -> Connection | None:
        connection_id = self._next_connection_id
        self._next_connection_id += 1
        timeout = self.config.connection_timeout or None
        ssl_context = self.clusters.ssl_context
        try:
            async with asyncio.timeout(timeout):
                _transport, connection = await self.loop.create_connection(
                    lambda: Connection(self, address, connection_id),
                    address.host,
                    address.port,
                    ssl=ssl_context,
                    server_hostname=address.host if ssl_context is not None else None,
                )
            self._connection_list.append(connection)
            async with asyncio.timeout(timeout):
                response = await self._authenticate(connection)
        except (OSError, TimeoutError, HazelcastError, FramingError) as exc:
            for connection in [c for c in self._connection_list if c.connection_id == connection_id]:
                connection.close("connect or authentication failed")
                self._connection_list.remove(connection)
            if isinstance(exc, (AuthenticationError, ClientNotAllowedInClusterError, IllegalStateError)):
                # The member answered and refused: trying again will not help.
                raise
            _logger.info("connection.open_failed", address=str(address), error=repr(exc))
            return None
        return self._on_authenticated(connection, response)

    async def _authenticate(self, connection: Connection) -> Any:
        # Cluster name and credentials come from the cluster being joined; everything else from the client's config.
        config = self.clusters.current
        routing_mode = 1 if self.config.smart_routing else 0
        common = (self.client_uuid, CLIENT_TYPE, _SERIALIZATION_VERSION, CLIENT_VERSION, self.client_name,
                  list(self.config.labels), routing_mode, False)
        if config.token_provider is not None:
            token = config.token_provider.token(connection.address)
            request = _AUTHENTICATION_CUSTOM.encode_request(config.cluster_name, bytes(token), *common)
            decoder = _AUTHENTICATION_CUSTOM.decode_response
        else:
            request = _AUTHENTICATION.encode_request(
                config.cluster_name, config.creds_username, config.creds_password, *common
            )
            decoder = _AUTHENTICATION.decode_response
        response = await self.invocation_service.invoke(
            request, decoder=decoder, connection=connection, urgent=True,
            timeout=self.config.connection_timeout or None,
        )
        status = response.status
        if status == 0:
            return response
        connection.close("authentication failed")
        if status == 1:
            raise AuthenticationError(
                f"authentication failed: cluster name {config.cluster_name!r} or the credentials were rejected"
            )
        if status == 2:
            raise IllegalStateError("the member's serialization version differs from the client's (1)")
        if status == 3:
            raise ClientNotAllowedInClusterError("the cluster does not allow this client to connect")
        raise AuthenticationError(f"authentication failed with unknown status {status}")

    def _on_authenticated(self, connection: Connection, response: Any) -> Connection:
        self.check_partition_count(response.partition_count)
        connection.authenticated = True
        connection.member_uuid = response.member_uuid
        connection.server_version = response.server_hazelcast_version
        if response.address is not None:
            connection.address = response.address
        existing = self.connections.get(response.member_uuid)
        if existing is not None and existing.live:
            connection.close("duplicate connection to the same member")
            self._connection_list.remove(connection)
            return existing
        first = not self.connections
        restarted = first and self.cluster_id is not None and self.cluster_id != response.cluster_id
        self.cluster_id = response.cluster_id
        self.connections[response.member_uuid] = connection
        _logger.info(
            "connection.opened",
            connection=connection.connection_id,
            member=str(response.member_uuid),
            address=str(connection.address),
            server_version=response.server_hazelcast_version,
        )
        if first:
            if self.clusters.switched:
                self.clusters.switched = False
                if restarted:
                    self._lifecycle.fire(LifecycleState.CHANGED_CLUSTER)
            self._lifecycle.fire(LifecycleState.CONNECTED)
        if restarted:
            _logger.info("connection.cluster_restarted", cluster_id=str(response.cluster_id))
            for restarted_callback in self.cluster_restarted:
                restarted_callback()
        for callback in self.on_connection_added:
            callback(connection)
        return connection

    # -- connection loss / reconnection ---------------------------------------------------------------------------------

    def on_connection_closed(self, connection: Connection, reason: str, error: BaseException | None) -> None:
        if connection in self._connection_list:
            self._connection_list.remove(connection)
        if not connection.authenticated:
            return
        connection.authenticated = False
        if self.connections.get(connection.member_uuid) is connection:  # type: ignore[arg-type]
            del self.connections[connection.member_uuid]  # type: ignore[arg-type]
        _logger.info("connection.closed", connection=connection.connection_id, reason=reason)
        self.invocation_service.connection_closed(
            connection, TargetDisconnectedError(f"connection to {connection.address} closed: {reason}")
        )
        for callback in self.on_connection_removed:
            callback(connection)
        if not self.connections and not self._shutdown:
            self._lifecycle.fire(LifecycleState.DISCONNECTED)
            self._start_reconnect()

    def _start_reconnect(self) -> None:
        mode = self.config.reconnect_mode
        if mode == ReconnectMode.OFF:
            _logger.warning("connection.reconnect_off")
            self._lifecycle.request_shutdown()
            return
        if self._reconnect_task is None or self._reconnect_task.done():
            self._reconnect_task = self.loop.create_task(self._connect_to_cluster_forever())

    def member_removed(self, member_uuid: uuid.UUID) -> None:
        connection = self.connections.get(member_uuid)
        if connection is not None:
            connection.close("the member left the cluster")

    # -- queries ----------------------------------------------------------------------------------------------------

    def random_connection(self) -> Connection | None:
        connections = self.connections
        if not connections:
            return None
        for connection in connections.values():
            # Any member will do; dict order spreads nothing, so pick the first live one cheaply.
            if connection.live:
                return connection
        return None

    def check_offline(self) -> None:
        if not self.connections and self.config.reconnect_mode == ReconnectMode.ASYNC:
            raise ClientOfflineError("the client is not connected to the cluster (reconnect_mode=ASYNC)")

    async def _member_connect_loop(self) -> None:
        """Smart routing: open a connection to every listed member that has none.

        Members that join get one when the member list arrives; this also reopens a connection that closed while its
        member stayed in the cluster, without which requests for that member's partitions would take a detour and the
        member's events for local-only listener registrations would never reach the client again.
        """
        while True:
            await asyncio.sleep(_MEMBER_CONNECT_PERIOD)
            if not self.connections:
                continue  # reconnecting to the cluster is the reconnect task's work
            try:
                for member_uuid, address in self.members():
                    if member_uuid not in self.connections:
                        self.connect_to_member(address)
            except Exception:  # one failed round must not end the loop
                _logger.exception("connection.member_connect_round_failed")

    # -- heartbeats ---------------------------------------------------------------------------------------------------

    async def _heartbeat_loop(self) -> None:
        interval = self.config.heartbeat_interval
        timeout = self.config.heartbeat_timeout
        while True:
            await asyncio.sleep(min(interval, timeout) / 2 if interval > 0 else 1.0)
            try:
                self._heartbeat_round(interval, timeout)
            except Exception:  # one failed round must not end the heartbeats of every later one
                _logger.exception("connection.heartbeat_round_failed")

    def _heartbeat_round(self, interval: float, timeout: float) -> None:
        now = self.loop.time()
        for connection in list(self.connections.values()):
            if not connection.live:
                continue
            if now - connection.last_read > timeout:
                _logger.warning("connection.heartbeat_timeout", connection=connection.connection_id)
                connection.close(f"heartbeat timed out: nothing read for {timeout}s", TimeoutError())
            elif now - connection.last_write > interval:
                future = self.invocation_service.invoke(_PING.encode_request(), connection=connection, urgent=True)
                future.add_done_callback(_ignore_result)

    # -- sockets ---------------------------------------------------------------------------------------------------

    def apply_socket_options(self, sock: socket.socket) -> None:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        for level, option, value in self.config.socket_options:
            sock.setsockopt(level, option, value)


def _ignore_result(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
