"""Listener registrations that follow the connections, and the cluster view listener."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.errors import HazelcastClientNotActiveError, HazelcastError
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message, message_type

if TYPE_CHECKING:
    from hazelcast._internal.cluster import ClusterService
    from hazelcast._internal.connection import Connection, ConnectionManager
    from hazelcast._internal.invocation import InvocationService
    from hazelcast._internal.partition import PartitionService

__all__ = ["ClusterViewListener", "ListenerService"]

_logger = structlog.get_logger("hazelcast.listener")
_CLUSTER_VIEW = method("Client.addClusterViewListener")
_MEMBERS_VIEW, _PARTITIONS_VIEW = _CLUSTER_VIEW.spec.event_type(0), _CLUSTER_VIEW.spec.event_type(1)
_DECODE_MEMBERS_VIEW, _DECODE_PARTITIONS_VIEW = _CLUSTER_VIEW.decode_event[0], _CLUSTER_VIEW.decode_event[1]
#: Seconds before the cluster view listener is registered again after the member refused or did not answer.
_CLUSTER_VIEW_RETRY_DELAY = 1.0


@dataclass(eq=False)
class _Registration:
    add_request: Callable[[bool], bytearray]
    decode_add_response: Callable[[Message], Any]
    remove_request: Callable[[Any], bytearray]
    event_handler: Callable[[Message], None]
    #: Connection -> the member-side registration id on it.
    on_connection: dict[Connection, Any] = field(default_factory=dict)
    #: False once deregistered (or failed everywhere): a registration still in flight then is undone on arrival.
    active: bool = True


class ListenerService:
    """Keeps each listener registered on every member connection (smart routing) or on one (unisocket).

    New connections get every registration; a connection that closes takes its member-side registrations with it.
    Events reach ``event_handler(message)``, which decodes and runs the user's callbacks.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        invocations: InvocationService,
        connections: ConnectionManager,
        smart: bool,
    ) -> None:
        self._loop = loop
        self._invocations = invocations
        self._connections = connections
        self._smart = smart
        self._registrations: dict[str, _Registration] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        #: Wraps each event handler; the client sets it so that events wait for unknown Compact schemas.
        self.event_guard: Callable[[Callable[[Message], None]], Callable[[Message], None]] = _unguarded

    async def register(
        self,
        add_request: Callable[[bool], bytearray],
        decode_add_response: Callable[[Message], Any],
        remove_request: Callable[[Any], bytearray],
        event_handler: Callable[[Message], None],
    ) -> str:
        """Register a listener; ``add_request(local_only)`` makes the request for one connection."""
        targets = self._targets()
        if not targets:
            # Before the registration is kept: a call that fails must leave nothing to register on reconnection.
            self._connections.check_offline()
        registration = _Registration(add_request, decode_add_response, remove_request, self.event_guard(event_handler))
        registration_id = str(uuid.uuid4())
        self._registrations[registration_id] = registration
        results = await asyncio.gather(*(self._register_on(registration, c) for c in targets), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        # A member that refused the listener would silently miss its events: undo it and tell the caller, as the
        # official client does. A connection that died meanwhile is no reason: its member gets it on reconnection.
        refused = [r for c, r in zip(targets, results) if isinstance(r, BaseException) and c.live]
        if refused or (failures and len(failures) == len(results)):
            await self.deregister(registration_id)
            raise (refused or failures)[0]
        return registration_id

    async def deregister(self, registration_id: str) -> bool:
        registration = self._registrations.pop(registration_id, None)
        if registration is None:
            return False
        registration.active = False
        removals = []
        for connection, server_id in list(registration.on_connection.items()):
            self._drop_handler(connection, registration)
            if connection.live:
                removals.append(
                    self._invocations.invoke(registration.remove_request(server_id), connection=connection, urgent=True)
                )
        registration.on_connection.clear()
        # All members at once: removal takes one round trip whatever the cluster's size.
        for outcome in await asyncio.gather(*removals, return_exceptions=True):
            if isinstance(outcome, HazelcastError):
                _logger.debug("listener.deregister_failed", error=repr(outcome))
            elif isinstance(outcome, BaseException):
                raise outcome
        return True

    def _targets(self) -> list[Connection]:
        connections = [c for c in self._connections.connections.values() if c.live]
        return connections if self._smart else connections[:1]

    async def _register_on(self, registration: _Registration, connection: Connection) -> None:
        if connection in registration.on_connection:
            return
        request = registration.add_request(self._smart)
        try:
            server_id = await self._invocations.invoke(
                request,
                decoder=registration.decode_add_response,
                connection=connection,
                event_handler=registration.event_handler,
                urgent=True,
            )
        except BaseException:
            self._drop_handler(connection, registration)
            raise
        if not connection.live:
            # The connection closed while the answer was on its way, and the member forgot the registration with it.
            # Kept, it would make a unisocket client believe the listener registered and never move it to the next
            # connection.
            self._drop_handler(connection, registration)
            return
        if not registration.active:
            # Deregistered while this request was under way (a connection that opened meanwhile): the member must
            # not keep sending events for it, nor the connection keep calling the user's listener.
            self._drop_handler(connection, registration)
            future = self._invocations.invoke(registration.remove_request(server_id), connection=connection, urgent=True)
            future.add_done_callback(_log_late_deregistration)
            return
        registration.on_connection[connection] = server_id

    @staticmethod
    def _drop_handler(connection: Connection, registration: _Registration) -> None:
        for correlation_id, handler in list(connection.event_handlers.items()):
            if handler is registration.event_handler:
                del connection.event_handlers[correlation_id]

    def connection_added(self, connection: Connection) -> None:
        if not self._smart and any(r.on_connection for r in self._registrations.values()):
            return
        for registration in list(self._registrations.values()):
            self._spawn(self._register_on(registration, connection))

    def connection_removed(self, connection: Connection) -> None:
        for registration in self._registrations.values():
            registration.on_connection.pop(connection, None)
        if not self._smart:
            # Unisocket: move every registration to the connection that remains or comes next.
            for target in self._targets():
                self.connection_added(target)
                break

    def _spawn(self, coroutine: Any) -> None:
        task = self._loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _logger.warning("listener.register_failed", error=repr(task.exception()))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _log_late_deregistration(future: asyncio.Future[Any]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None and not isinstance(error, HazelcastClientNotActiveError):
        _logger.debug("listener.deregister_failed", error=repr(error))


def _unguarded(handler: Callable[[Message], None]) -> Callable[[Message], None]:
    return handler


class ClusterViewListener:
    """Keeps the cluster view listener on exactly one connection and feeds members and partitions to their services.

    A registration that fails while its connection stays open (an error answer, no answer in time) is tried again,
    on any live connection, after a short pause: without the listener the client would never learn of members
    joining or leaving, nor of partitions moving.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        invocations: InvocationService,
        cluster: ClusterService,
        partitions: PartitionService,
        connections: ConnectionManager,
    ) -> None:
        self._loop = loop
        self._invocations = invocations
        self._cluster = cluster
        self._partitions = partitions
        self._connections = connections
        self._connection: Connection | None = None
        self._retry: asyncio.TimerHandle | None = None

    def connection_added(self, connection: Connection) -> None:
        if self._connection is None:
            self._register(connection)

    def connection_removed(self, connection: Connection, remaining: list[Connection]) -> None:
        if connection is self._connection:
            self._connection = None
            for candidate in remaining:
                if candidate.live:
                    self._register(candidate)
                    break

    def _register(self, connection: Connection) -> None:
        self._connection = connection

        def handle(message: Message) -> None:
            kind = message_type(message)
            if kind == _MEMBERS_VIEW:
                version, members = _DECODE_MEMBERS_VIEW(message)
                self._cluster.handle_members_view(version, members)
            elif kind == _PARTITIONS_VIEW:
                version, partitions = _DECODE_PARTITIONS_VIEW(message)
                self._partitions.handle_partitions_view(connection, version, partitions)

        future = self._invocations.invoke(
            _CLUSTER_VIEW.encode_request(), connection=connection, event_handler=handle, urgent=True
        )

        def done(f: asyncio.Future[Any]) -> None:
            if f.cancelled() or f.exception() is None or isinstance(f.exception(), HazelcastClientNotActiveError):
                return
            _logger.warning("cluster.view_listener_failed", error=repr(f.exception()))
            if self._connection is connection:
                self._connection = None
                if self._retry is None:
                    self._retry = self._loop.call_later(_CLUSTER_VIEW_RETRY_DELAY, self._register_again)

        future.add_done_callback(done)

    def _register_again(self) -> None:
        self._retry = None
        if self._connection is not None:
            return  # a connection that opened meanwhile took the listener
        for candidate in self._connections.connections.values():
            if candidate.live:
                self._register(candidate)
                return
        # No live connection: the next one that opens gets the listener (connection_added).

    def close(self) -> None:
        """Stop trying to register (the client is shutting down)."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
