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


@dataclass(eq=False)
class _Registration:
    add_request: Callable[[bool], bytearray]
    decode_add_response: Callable[[Message], Any]
    remove_request: Callable[[Any], bytearray]
    event_handler: Callable[[Message], None]
    #: Connection -> the member-side registration id on it.
    on_connection: dict[Connection, Any] = field(default_factory=dict)


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
        registration = _Registration(add_request, decode_add_response, remove_request, self.event_guard(event_handler))
        registration_id = str(uuid.uuid4())
        self._registrations[registration_id] = registration
        targets = self._targets()
        if not targets:
            self._connections.check_offline()
        results = await asyncio.gather(*(self._register_on(registration, c) for c in targets), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures and len(failures) == len(results):
            del self._registrations[registration_id]
            raise failures[0]
        return registration_id

    async def deregister(self, registration_id: str) -> bool:
        registration = self._registrations.pop(registration_id, None)
        if registration is None:
            return False
        for connection, server_id in list(registration.on_connection.items()):
            self._drop_handler(connection, registration)
            if not connection.live:
                continue
            try:
                await self._invocations.invoke(
                    registration.remove_request(server_id), connection=connection, urgent=True
                )
            except HazelcastError as exc:
                _logger.debug("listener.deregister_failed", error=repr(exc))
        registration.on_connection.clear()
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


def _unguarded(handler: Callable[[Message], None]) -> Callable[[Message], None]:
    return handler


class ClusterViewListener:
    """Keeps the cluster view listener on exactly one connection and feeds members and partitions to their services."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        invocations: InvocationService,
        cluster: ClusterService,
        partitions: PartitionService,
    ) -> None:
        self._loop = loop
        self._invocations = invocations
        self._cluster = cluster
        self._partitions = partitions
        self._connection: Connection | None = None
        self._task: asyncio.Task[Any] | None = None

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

        future.add_done_callback(done)
