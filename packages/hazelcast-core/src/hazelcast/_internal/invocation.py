"""Invocations: sending a request, matching its response, retrying, timing out.

Hot path: a proxy encodes its request and awaits :meth:`InvocationService.call`, which returns the
:class:`Invocation` itself, an ``asyncio.Future`` resolved with the decoded response: one object per request.
Deadlines live on the loop's monotonic clock and are swept, not timed one by one: while anything is in flight or
waiting, one timer looks every 100 ms (longer when many thousands are pending, so a sweep stays a small share of the
loop) for requests past their deadline, so a request whose response never comes fails at its deadline. Nothing is
scheduled per request: its deadline is one number on it. Cancelling an invocation (directly or
through the task awaiting it) releases it at once, and its late response is ignored, unless the caller asked for
that answer (``on_late_result``: a queue consumer's item must not be lost). At most
``max_concurrent_invocations`` are in flight; further callers wait for a place, their deadline running meanwhile.
"""

from __future__ import annotations

import asyncio
import struct
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import structlog

from hazelcast.config import ReconnectMode
from hazelcast.errors import (
    ClientOfflineError,
    HazelcastClientNotActiveError,
    HazelcastError,
    IndeterminateOperationStateError,
    OperationTimeoutError,
    TargetDisconnectedError,
    create_error_from_holders,
)
from hazelcast._internal.compact import COMPACT_TYPE_ID_BYTES, may_hold_compact
from hazelcast.protocol.errors_codec import ERROR_MESSAGE_TYPE, decode_error
from hazelcast.serialization.compact import SchemaNotFoundError
from hazelcast.protocol.frames import BACKUP_AWARE, Message

if TYPE_CHECKING:
    from hazelcast._internal.compact import CompactSchemaService
    from hazelcast._internal.connection import Connection, ConnectionManager
    from hazelcast._internal.partition import PartitionService
    from hazelcast.config import Config
    from hazelcast.util import LoadBalancer

__all__ = ["Invocation", "InvocationService"]

_logger = structlog.get_logger("hazelcast.invocation")
_unpack_type_and_correlation = struct.Struct("<iq").unpack_from
_pack_correlation = struct.Struct("<q").pack_into
_pack_partition = struct.Struct("<i").pack_into
# Offsets in an outbound buffer (frame header included) and in an inbound response's initial payload.
_CORRELATION_OFFSET = 10
_PARTITION_OFFSET = 18
_BACKUP_ACKS_OFFSET = 12
_BACKUP_AWARE_HIGH = BACKUP_AWARE >> 8
#: How often deadlines are swept, at the least; with ``n`` invocations pending or waiting, every ``n / _SWEEP_RATE``
#: seconds when that is longer, which bounds the sweep's cost to about 1% of one core.
_SWEEP_INTERVAL = 0.1
_SWEEP_RATE = 100_000

#: What an invocation resolves with: its decoder's result (None without a decoder).
ResultType = TypeVar("ResultType")


class Invocation(asyncio.Future[ResultType], Generic[ResultType]):
    """One logical request and the future of its decoded response; it survives retries (each send gets a fresh
    correlation id)."""

    __slots__ = (
        "service",
        "request",
        "partition_id",
        "decoder",
        "retryable",
        "deadline",
        "held",
        "queued",
        "connection",
        "pinned",
        "target_uuid",
        "correlation_id",
        "event_handler",
        "backup_acks_expected",
        "backup_acks_received",
        "pending_response",
        "late_result",
    )
    # No Python ``__init__``: one that calls the future's own costs about 0.4 µs per request. ``_new_invocation``
    # sets every attribute.
    service: InvocationService
    request: bytearray
    partition_id: int
    decoder: Callable[[Message], ResultType] | None
    retryable: bool
    deadline: float
    #: Holds an in-flight place, or a place in the queue for one, until released.
    held: bool
    #: Waiting for an in-flight place (``max_concurrent_invocations``): it has a deadline but no place yet.
    queued: bool
    #: Where the current attempt was sent.
    connection: Connection | None
    #: Bound to ``connection`` for good (listener registrations, heartbeats): never re-routed or retried.
    pinned: bool
    target_uuid: Any
    correlation_id: int
    event_handler: Callable[[Message], None] | None
    backup_acks_expected: int
    backup_acks_received: int
    #: ``(value,)`` once the response came but backup acks are still missing.
    pending_response: tuple[Any] | None
    #: Receives the decoded answer that arrives after the caller cancelled; while set, a cancelled invocation stays
    #: pending until its answer (or failure) comes.
    late_result: Callable[[ResultType], None] | None

    def cancel(self, msg: Any = None) -> bool:
        cancelled = super().cancel(msg)
        if cancelled and self.late_result is None:
            self.service._release(self)
        return cancelled


def _new_invocation(
    service: InvocationService,
    request: bytearray,
    partition_id: int,
    decoder: Callable[[Message], Any] | None,
    retryable: bool,
    deadline: float,
    connection: Connection | None,
    target_uuid: Any,
    event_handler: Callable[[Message], None] | None,
) -> Invocation[Any]:
    invocation: Invocation[Any] = Invocation(loop=service.loop)
    invocation.service = service
    invocation.request = request
    invocation.partition_id = partition_id
    invocation.decoder = decoder
    invocation.retryable = retryable
    invocation.deadline = deadline
    invocation.held = invocation.queued = False
    invocation.connection = connection
    invocation.pinned = connection is not None
    invocation.target_uuid = target_uuid
    invocation.correlation_id = invocation.backup_acks_expected = invocation.backup_acks_received = 0
    invocation.event_handler = event_handler
    invocation.pending_response = invocation.late_result = None
    return invocation


class InvocationService:
    def __init__(self, config: Config, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._time = loop.time
        self._timeout = config.invocation_timeout
        self._retry_pause = config.invocation_retry_pause
        self._redo_operation = config.redo_operation
        self._smart = config.smart_routing
        self._backup_acks = config.backup_ack_to_client_enabled and config.smart_routing
        self._backup_timeout = config.operation_backup_timeout
        self._fail_on_indeterminate = config.fail_on_indeterminate_operation_state
        self._max_in_flight = config.max_concurrent_invocations
        # With async start or asynchronous reconnection the client runs while offline: calls fail at once then
        # instead of waiting for a connection.
        self._offline_fails_fast = config.async_start or config.reconnect_mode == ReconnectMode.ASYNC
        self._next_correlation_id = 1
        self._pending: dict[int, Invocation[Any]] = {}
        #: The timer of the next deadline sweep; None while nothing is in flight or waiting.
        self._sweep: asyncio.TimerHandle | None = None
        #: Invocations admitted and not yet finished (at most ``max_concurrent_invocations``).
        self.in_flight = 0
        self._waiting: deque[Invocation[Any]] = deque()
        self._draining = False
        self._shutdown = False
        self._connections: dict[Any, Connection] = {}
        self._owners: list[Any] = []
        #: Partition id -> (its owner when last routed, the connection then used); see ``_route``.
        self._routes: dict[int, tuple[Any, Connection]] = {}
        self.connection_manager: ConnectionManager | None = None
        self.partition_service: PartitionService | None = None
        #: Picks the member of requests that no partition routes.
        self.load_balancer: LoadBalancer | None = None
        #: The serialization service's Compact schemas not yet confirmed by the cluster (the same dict object), and
        #: the service that replicates them and fetches unknown ones; see ``hazelcast._internal.compact``.
        self.unreplicated_schemas: dict[int, Any] = {}
        self.compact_service: CompactSchemaService | None = None

    def bind(self, connection_manager: ConnectionManager, partition_service: PartitionService) -> None:
        self.connection_manager = connection_manager
        self.partition_service = partition_service
        # The same dict/list objects the services mutate: routing reads them without a call.
        self._connections = connection_manager.connections
        self._owners = partition_service.owners

    # -- public API ----------------------------------------------------------------------------------------------

    @overload
    def call(
        self,
        request: bytearray,
        partition_id: int = -1,
        decoder: None = None,
        retryable: bool = False,
        timeout: float | None = None,
        target_uuid: Any = None,
        on_late_result: Callable[[Any], None] | None = None,
    ) -> Invocation[None]: ...

    @overload
    def call(
        self,
        request: bytearray,
        partition_id: int = -1,
        decoder: Callable[[Message], ResultType] = ...,
        retryable: bool = False,
        timeout: float | None = None,
        target_uuid: Any = None,
        on_late_result: Callable[[ResultType], None] | None = None,
    ) -> Invocation[ResultType]: ...

    def call(
        self,
        request: bytearray,
        partition_id: int = -1,
        decoder: Callable[[Message], Any] | None = None,
        retryable: bool = False,
        timeout: float | None = None,
        target_uuid: Any = None,
        on_late_result: Callable[[Any], None] | None = None,
    ) -> Invocation[Any]:
        """Send ``request``; the returned future resolves with ``decoder(response)`` (None without a decoder).

        ``partition_id`` >= 0 routes to the partition owner (smart routing) and is written into the header;
        ``target_uuid`` sends to one member. ``timeout`` (seconds) replaces ``invocation_timeout`` for this call.
        ``on_late_result`` keeps the request alive when the caller cancels it: the answer that still comes is
        decoded and given to it (a queue consumer puts a late item back), instead of being dropped.
        """
        deadline = self._time() + (self._timeout if timeout is None else timeout)
        invocation = _new_invocation(
            self, request, partition_id, decoder, retryable or self._redo_operation, deadline, None, target_uuid, None
        )
        if partition_id >= 0:
            _pack_partition(request, _PARTITION_OFFSET, partition_id)
        if on_late_result is not None:
            invocation.late_result = on_late_result
        if self.unreplicated_schemas and self.compact_service is not None:
            # The request may carry compact data whose schema the cluster does not have yet.
            if self.compact_service.hold(invocation, self.start):
                return invocation
        if self.in_flight < self._max_in_flight and not self._shutdown:
            # What _start does for a request that has a place: every call's path, so without the extra call.
            self.in_flight += 1
            invocation.held = True
            if self._sweep is None:
                self._schedule_sweep()
            self._send(invocation)
        else:
            self._start(invocation, False)
        return invocation

    def start(self, invocation: Invocation[Any]) -> None:
        """Start an invocation that was held back until its Compact schemas were replicated."""
        self._start(invocation, False)

    def fail(self, invocation: Invocation[Any], error: BaseException) -> None:
        """Complete an invocation with ``error`` and release it."""
        self._complete_exception(invocation, error)

    @overload
    def invoke(
        self,
        request: bytearray,
        decoder: None = None,
        connection: Connection | None = None,
        event_handler: Callable[[Message], None] | None = None,
        urgent: bool = False,
        timeout: float | None = None,
        retryable: bool = False,
    ) -> Invocation[None]: ...

    @overload
    def invoke(
        self,
        request: bytearray,
        decoder: Callable[[Message], ResultType],
        connection: Connection | None = None,
        event_handler: Callable[[Message], None] | None = None,
        urgent: bool = False,
        timeout: float | None = None,
        retryable: bool = False,
    ) -> Invocation[ResultType]: ...

    def invoke(
        self,
        request: bytearray,
        decoder: Callable[[Message], Any] | None = None,
        connection: Connection | None = None,
        event_handler: Callable[[Message], None] | None = None,
        urgent: bool = False,
        timeout: float | None = None,
        retryable: bool = False,
    ) -> Invocation[Any]:
        """Like :meth:`call`, for the client's own bookkeeping: ``connection`` pins the request to one connection,
        ``event_handler`` receives the events that carry its correlation id (listener registrations), and ``urgent``
        requests skip the in-flight bound (authentication, heartbeats). These requests never wait for Compact
        schema replication."""
        deadline = self._time() + (self._timeout if timeout is None else timeout)
        invocation = _new_invocation(self, request, -1, decoder, retryable, deadline, connection, None, event_handler)
        self._start(invocation, urgent)
        return invocation

    def _start(self, invocation: Invocation[Any], urgent: bool) -> None:
        if self._shutdown:
            invocation.set_exception(HazelcastClientNotActiveError("the client is shut down"))
        elif self.in_flight >= self._max_in_flight and not urgent:
            # The deadline runs while it waits: a caller is never held past it, and an expired request is never sent.
            invocation.queued = invocation.held = True
            self._waiting.append(invocation)
            if self._sweep is None:
                self._schedule_sweep()
        else:
            self.in_flight += 1
            invocation.held = True
            if self._sweep is None:
                self._schedule_sweep()
            self._send(invocation)

    # -- sending ---------------------------------------------------------------------------------------------------

    def _send(self, invocation: Invocation[Any]) -> None:
        # The usual request goes to the partition owner it went to last time, on the same live connection: tested
        # here, so that only the others pay for the call to _route. Member UUIDs hash and compare in Python, hence an
        # identity test on the owner object rather than a dict lookup by UUID.
        partition_id = invocation.partition_id
        route = self._routes.get(partition_id)
        if (
            route is not None
            and route[0] is self._owners[partition_id]
            and route[1].live
            and invocation.target_uuid is None
        ):
            connection: Connection | None = route[1]
        else:
            connection = self._route(invocation)
        if connection is None:
            if not self._connections and self._offline_fails_fast and not invocation.pinned:
                self._complete_exception(
                    invocation, ClientOfflineError("the client is not connected to the cluster (it is reconnecting)")
                )
            else:
                # Nothing was sent, so even a non-idempotent request may wait for a connection and go then.
                self._retry_or_fail(
                    invocation, TargetDisconnectedError("no connection to the target of the request"), unsent=True
                )
            return
        correlation_id = self._next_correlation_id
        self._next_correlation_id = correlation_id + 1
        invocation.correlation_id = correlation_id
        invocation.connection = connection
        request = invocation.request
        _pack_correlation(request, _CORRELATION_OFFSET, correlation_id)
        if self._backup_acks:
            request[5] |= _BACKUP_AWARE_HIGH
        self._pending[correlation_id] = invocation
        if invocation.event_handler is not None:
            connection.event_handlers[correlation_id] = invocation.event_handler
        connection.write(request)

    def _route(self, invocation: Invocation[Any]) -> Connection | None:
        if invocation.pinned:
            connection = invocation.connection
            return connection if connection is not None and connection.live else None
        connections = self._connections
        if invocation.target_uuid is not None:
            return connections.get(invocation.target_uuid)
        partition_id = invocation.partition_id
        if self._smart and partition_id >= 0:
            owners = self._owners
            if partition_id < len(owners):
                owner = owners[partition_id]
                connection = connections.get(owner)
                if connection is not None:
                    # Remembered for _send's test (the partition table's owner objects change only with ownership).
                    self._routes[partition_id] = (owner, connection)
                    return connection
        member = self.load_balancer.next() if self.load_balancer is not None else None
        if member is not None:
            connection = connections.get(member.uuid)
            if connection is not None and connection.live:
                return connection
        for connection in connections.values():
            if connection.live:
                return connection
        return None

    # -- receiving -------------------------------------------------------------------------------------------------

    def handle_response(self, message: Message) -> None:
        """Called by a connection for every inbound message that is not an event."""
        payload = message[0][1]
        message_type, correlation_id = _unpack_type_and_correlation(payload, 0)
        invocation = self._pending.get(correlation_id)
        if invocation is None:
            return
        if message_type == ERROR_MESSAGE_TYPE:
            self._pending.pop(correlation_id, None)
            self._handle_error(invocation, message)
            return
        # Compact data needs its schemas before it is read: frames that start like a Compact object are handed to the
        # compact service, which walks them (nested Compact fields included) and hands the response back once it has
        # the schemas. Compact values inside other values are caught below, when the decoder meets them.
        compact = self.compact_service
        frame_count = len(message)
        if (
            frame_count > 1
            and compact is not None
            # The usual response of one value: its one frame tested here rather than through a call.
            and (message[1][1].startswith(COMPACT_TYPE_ID_BYTES, 4) if frame_count == 2 else may_hold_compact(message))
        ):
            if compact.fetch_then_handle(invocation, message):
                return
        decoder = invocation.decoder
        try:
            value = decoder(message) if decoder is not None else None
        except SchemaNotFoundError as exc:
            # Proxies deserialize in their decoders: a Compact schema met anywhere in the value (nested in a list,
            # in another Compact value...) is fetched, then the response is handled again.
            compact = self.compact_service
            if compact is None or not compact.fetch_then_handle(invocation, message, {exc.schema_id}):
                self._complete_exception(invocation, exc)
            return
        except Exception as exc:  # a malformed response fails its invocation, never the connection
            self._complete_exception(invocation, exc)
            return
        acks = payload[_BACKUP_ACKS_OFFSET]
        if acks and acks > invocation.backup_acks_received:
            # Complete once every backup has acknowledged, or at the backup timeout.
            invocation.backup_acks_expected = acks
            invocation.pending_response = (value,)
            invocation.deadline = self._time() + self._backup_timeout
            return
        self._complete(invocation, value)

    def _complete(self, invocation: Invocation[Any], value: Any) -> None:
        """Release ``invocation`` and give it its answer: to its caller, or to ``late_result`` once it was cancelled."""
        self._release(invocation)
        if not invocation.done():
            invocation.set_result(value)
        elif invocation.late_result is not None and invocation.cancelled():
            invocation.late_result(value)

    def handle_backup_ack(self, source_correlation_id: int) -> None:
        invocation = self._pending.get(source_correlation_id)
        if invocation is None:
            return
        invocation.backup_acks_received += 1
        response = invocation.pending_response
        if response is not None and invocation.backup_acks_received >= invocation.backup_acks_expected:
            self._complete(invocation, response[0])

    def _handle_error(self, invocation: Invocation[Any], message: Message) -> None:
        try:
            error: BaseException = create_error_from_holders(decode_error(message))
        except Exception as exc:
            error = exc
        self._retry_or_fail(invocation, error)

    # -- failures, retries, deadlines --------------------------------------------------------------------------------

    def _is_retryable(self, invocation: Invocation[Any], error: BaseException) -> bool:
        if self._shutdown or invocation.pinned:
            return False
        if isinstance(error, TargetDisconnectedError):
            return invocation.retryable
        if isinstance(error, HazelcastError):
            return error.retryable
        return isinstance(error, OSError)

    def _retry_or_fail(self, invocation: Invocation[Any], error: BaseException, unsent: bool = False) -> None:
        if invocation.done():
            # Cancelled but kept for a late answer (``late_result``): the answer is an error, nothing to give back.
            self._release(invocation)
            return
        if (unsent and not self._shutdown and not invocation.pinned) or self._is_retryable(invocation, error):
            if self.loop.time() + self._retry_pause < invocation.deadline:
                _logger.debug("invocation.retry", error=repr(error), correlation_id=invocation.correlation_id)
                self._pending.pop(invocation.correlation_id, None)
                self.loop.call_later(self._retry_pause, self._resend, invocation)
                return
            error = OperationTimeoutError(f"invocation deadline reached while retrying after: {error!r}")
        self._complete_exception(invocation, error)

    def _resend(self, invocation: Invocation[Any]) -> None:
        if invocation.done():
            return
        if self._shutdown:
            self._complete_exception(invocation, HazelcastClientNotActiveError("the client is shut down"))
            return
        invocation.backup_acks_expected = invocation.backup_acks_received = 0
        invocation.pending_response = None
        if self.unreplicated_schemas and self.compact_service is not None:
            # A retry after a reconnection may reach a cluster that must first get the schemas again.
            if self.compact_service.hold(invocation, self._send):
                return
        self._send(invocation)

    def _complete_exception(self, invocation: Invocation[Any], error: BaseException) -> None:
        self._release(invocation)
        if not invocation.done():
            invocation.set_exception(error)

    def _release(self, invocation: Invocation[Any]) -> None:
        """Forget a finished or abandoned invocation: its pending entry and its in-flight place."""
        self._pending.pop(invocation.correlation_id, None)
        if not invocation.held:
            return
        invocation.held = False
        if invocation.queued:
            # It never held an in-flight place; the queue skips it once it is done.
            invocation.queued = False
            return
        self.in_flight -= 1
        if self._waiting and not self._draining:
            self._admit_waiting()

    def _admit_waiting(self) -> None:
        # A queued invocation that fails at once (no connection) releases its place from inside this loop; the flag
        # makes that inner release leave the queue to this loop instead of recursing once per waiting invocation.
        self._draining = True
        try:
            waiting = self._waiting
            now = self.loop.time()
            while waiting and self.in_flight < self._max_in_flight:
                queued = waiting.popleft()
                if queued.done():
                    continue
                if queued.deadline <= now:
                    # Its deadline timer is due in this very loop iteration: never send what the caller gave up on.
                    self._expire_queued(queued)
                    continue
                # Its deadline keeps being swept; only its place changes.
                queued.queued = False
                self.in_flight += 1
                self._send(queued)
        finally:
            self._draining = False

    def _expire_queued(self, invocation: Invocation[Any]) -> None:
        self._complete_exception(
            invocation,
            OperationTimeoutError(
                "no in-flight place (max_concurrent_invocations) came free within the invocation timeout"
            ),
        )

    def _schedule_sweep(self) -> None:
        interval = max(_SWEEP_INTERVAL, (len(self._pending) + len(self._waiting)) / _SWEEP_RATE)
        self._sweep = self.loop.call_later(interval, self._sweep_deadlines)

    def _sweep_deadlines(self) -> None:
        """Expire what is past its deadline; look again later while anything is in flight or waiting."""
        self._sweep = None
        now = self._time()
        for invocation in [inv for inv in self._pending.values() if inv.deadline <= now]:
            self._expire(invocation)
        if self._waiting:
            for invocation in [inv for inv in self._waiting if inv.deadline <= now and not inv.done()]:
                self._expire_queued(invocation)
        if (self.in_flight or self._waiting or self._pending) and not self._shutdown:
            self._schedule_sweep()

    def _expire(self, invocation: Invocation[Any]) -> None:
        response = invocation.pending_response
        if invocation.done():
            if response is not None:
                self._complete(invocation, response[0])  # cancelled, kept for its late answer
            else:
                self._release(invocation)
        elif response is None:
            self._complete_exception(
                invocation,
                OperationTimeoutError(
                    f"no response within the invocation timeout (correlation id {invocation.correlation_id})"
                ),
            )
        elif self._fail_on_indeterminate:
            self._complete_exception(
                invocation,
                IndeterminateOperationStateError(
                    f"{invocation.backup_acks_received} of {invocation.backup_acks_expected} backup acks "
                    "arrived before operation_backup_timeout"
                ),
            )
        else:
            self._complete(invocation, response[0])

    # -- connection events -----------------------------------------------------------------------------------------

    def connection_closed(self, connection: Connection, error: BaseException) -> None:
        """Retry or fail every invocation that was waiting on ``connection``."""
        for invocation in [inv for inv in self._pending.values() if inv.connection is connection]:
            response = invocation.pending_response
            if response is not None:
                # The member answered; only backup acks were missing.
                self._complete(invocation, response[0])
                continue
            self._pending.pop(invocation.correlation_id, None)
            self._retry_or_fail(invocation, error)

    def shutdown(self) -> None:
        self._shutdown = True
        error = HazelcastClientNotActiveError("the client is shut down")
        waiting, self._waiting = self._waiting, deque()
        for invocation in [*self._pending.values(), *waiting]:
            self._complete_exception(invocation, error)
        if self._sweep is not None:
            self._sweep.cancel()
            self._sweep = None

    @property
    def pending_count(self) -> int:
        return len(self._pending)
