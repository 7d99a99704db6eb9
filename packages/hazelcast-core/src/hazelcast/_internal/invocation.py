"""Invocations: sending a request, matching its response, retrying, timing out.

Hot path: a proxy encodes its request and calls :meth:`InvocationService.invoke`, which returns an
``asyncio.Future`` resolved with the decoded response. Deadlines live on the loop's monotonic clock in a coarse timer
wheel (one timer per 100 ms slot, not per invocation), so a request whose response never comes fails at its
deadline. A cancelled caller's invocation is dropped from the pending table, and its late response is ignored.
"""

from __future__ import annotations

import asyncio
import math
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.errors import (
    HazelcastClientNotActiveError,
    HazelcastError,
    IndeterminateOperationStateError,
    OperationTimeoutError,
    TargetDisconnectedError,
    create_error_from_holders,
)
from hazelcast.protocol.errors_codec import decode_error
from hazelcast.protocol.frames import BACKUP_AWARE, Message, set_correlation_id, set_partition_id

if TYPE_CHECKING:
    from hazelcast._internal.connection import Connection, ConnectionManager
    from hazelcast._internal.partition import PartitionService
    from hazelcast.config import Config

__all__ = ["Invocation", "InvocationService"]

_logger = structlog.get_logger("hazelcast.invocation")
_INT64 = struct.Struct("<q")
_WHEEL_RESOLUTION = 0.1
# Offset of the backup-acks byte in a response's initial frame payload.
_BACKUP_ACKS_OFFSET = 12
_BACKUP_AWARE_HIGH = BACKUP_AWARE >> 8


class Invocation:
    """One logical request: survives retries (each attempt gets a fresh correlation id)."""

    __slots__ = (
        "request",
        "partition_id",
        "decoder",
        "retryable",
        "future",
        "deadline",
        "slot",
        "connection",
        "target_uuid",
        "correlation_id",
        "event_handler",
        "backup_acks_expected",
        "backup_acks_received",
        "pending_response",
        "urgent",
        "pinned",
    )

    def __init__(
        self,
        request: bytearray,
        partition_id: int,
        decoder: Callable[[Message], Any] | None,
        retryable: bool,
        future: asyncio.Future[Any],
        deadline: float,
    ) -> None:
        self.request = request
        self.partition_id = partition_id
        self.decoder = decoder
        self.retryable = retryable
        self.future = future
        self.deadline = deadline
        self.slot = 0
        self.connection: Connection | None = None
        self.target_uuid: Any = None
        self.correlation_id = 0
        self.event_handler: Callable[[Message], None] | None = None
        self.backup_acks_expected = 0
        self.backup_acks_received = 0
        self.pending_response: Any = None
        #: Sent even when the in-flight bound is reached (authentication, heartbeats, listener bookkeeping).
        self.urgent = False
        #: Bound to ``connection`` for good: never re-routed, never retried elsewhere.
        self.pinned = False


class InvocationService:
    def __init__(self, config: Config, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._timeout = config.invocation_timeout
        self._retry_pause = config.invocation_retry_pause
        self._redo_operation = config.redo_operation
        self._smart = config.smart_routing
        self._backup_acks = config.backup_ack_to_client_enabled and config.smart_routing
        self._backup_timeout = config.operation_backup_timeout
        self._fail_on_indeterminate = config.fail_on_indeterminate_operation_state
        self._max_in_flight = config.max_concurrent_invocations
        self._next_correlation_id = 1
        self._pending: dict[int, Invocation] = {}
        self._slots: dict[int, set[Invocation]] = {}
        self._in_flight = 0
        self._waiters: list[asyncio.Future[None]] = []
        self._shutdown = False
        self.connection_manager: ConnectionManager | None = None
        self.partition_service: PartitionService | None = None

    # -- public API ----------------------------------------------------------------------------------------------

    def invoke(
        self,
        request: bytearray,
        partition_id: int = -1,
        decoder: Callable[[Message], Any] | None = None,
        retryable: bool = False,
        timeout: float | None = None,
        connection: Connection | None = None,
        target_uuid: Any = None,
        event_handler: Callable[[Message], None] | None = None,
        urgent: bool = False,
    ) -> asyncio.Future[Any]:
        """Send ``request`` and return a future of ``decoder(response)``.

        ``partition_id`` >= 0 routes to the partition owner (smart routing) and is written into the header;
        ``connection`` or ``target_uuid`` pin the request to one member. ``timeout`` (seconds) replaces
        ``invocation_timeout`` for this call. ``event_handler`` receives events carrying this request's correlation
        id (listener registrations).
        """
        return self._start(request, partition_id, decoder, retryable, timeout, connection, target_uuid,
                           event_handler, urgent).future

    async def call(
        self,
        request: bytearray,
        partition_id: int = -1,
        decoder: Callable[[Message], Any] | None = None,
        retryable: bool = False,
        timeout: float | None = None,
        target_uuid: Any = None,
    ) -> Any:
        """Await the decoded response of ``request`` (see :meth:`invoke`); the proxies' hot path.

        Cancelling the awaiting task drops the invocation at once: its slot is released and a late response is
        ignored.
        """
        invocation = self._start(request, partition_id, decoder, retryable, timeout, None, target_uuid, None, False)
        try:
            return await invocation.future
        except asyncio.CancelledError:
            self._release(invocation)
            raise

    def _start(
        self,
        request: bytearray,
        partition_id: int,
        decoder: Callable[[Message], Any] | None,
        retryable: bool,
        timeout: float | None,
        connection: Connection | None,
        target_uuid: Any,
        event_handler: Callable[[Message], None] | None,
        urgent: bool,
    ) -> Invocation:
        loop = self._loop
        future = loop.create_future()
        deadline = loop.time() + (self._timeout if timeout is None else timeout)
        invocation = Invocation(request, partition_id, decoder, retryable or self._redo_operation, future, deadline)
        if partition_id >= 0:
            set_partition_id(request, partition_id)
        invocation.connection = connection
        invocation.pinned = connection is not None
        invocation.target_uuid = target_uuid
        invocation.event_handler = event_handler
        invocation.urgent = urgent
        if self._shutdown:
            future.set_exception(HazelcastClientNotActiveError("the client is shut down"))
        elif self._in_flight >= self._max_in_flight and not urgent:
            loop.create_task(self._send_when_admitted(invocation))
        else:
            self._admit(invocation)
            self._send(invocation)
        return invocation

    async def _send_when_admitted(self, invocation: Invocation) -> None:
        while self._in_flight >= self._max_in_flight:
            waiter = self._loop.create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                return
            if invocation.future.done():
                return
        self._admit(invocation)
        self._send(invocation)

    # -- sending ---------------------------------------------------------------------------------------------------

    def _send(self, invocation: Invocation) -> None:
        connection = self._choose_connection(invocation)
        if connection is None:
            self._retry_or_fail(invocation, self._no_connection_error(invocation))
            return
        correlation_id = self._next_correlation_id
        self._next_correlation_id = correlation_id + 1
        invocation.correlation_id = correlation_id
        invocation.backup_acks_expected = 0
        invocation.backup_acks_received = 0
        invocation.pending_response = None
        request = invocation.request
        set_correlation_id(request, correlation_id)
        if self._backup_acks:
            request[5] |= _BACKUP_AWARE_HIGH
        self._pending[correlation_id] = invocation
        if invocation.event_handler is not None:
            connection.event_handlers[correlation_id] = invocation.event_handler
        invocation.connection = connection
        connection.write(request)

    def _choose_connection(self, invocation: Invocation) -> Connection | None:
        manager = self.connection_manager
        if manager is None:
            return None
        if invocation.pinned:
            # Pinned to one connection (listener registrations, heartbeats): no fail-over to another.
            connection = invocation.connection
            return connection if connection is not None and connection.live else None
        if invocation.target_uuid is not None:
            return manager.connections.get(invocation.target_uuid)
        if self._smart and invocation.partition_id >= 0 and self.partition_service is not None:
            owner = self.partition_service.owner_uuid(invocation.partition_id)
            if owner is not None:
                connection = manager.connections.get(owner)
                if connection is not None:
                    return connection
        return manager.random_connection()

    def _no_connection_error(self, invocation: Invocation) -> HazelcastError:
        if invocation.target_uuid is not None or invocation.connection is not None:
            return TargetDisconnectedError("the target member of the request is not connected")
        return TargetDisconnectedError("no connection to the cluster")

    # -- receiving -------------------------------------------------------------------------------------------------

    def handle_response(self, message: Message) -> None:
        """Called by a connection for every inbound message that is not an event."""
        payload = message[0][1]
        correlation_id = _INT64.unpack_from(payload, 4)[0]
        invocation = self._pending.get(correlation_id)
        if invocation is None:
            return
        if payload[0] == 0 and payload[1] == 0 and payload[2] == 0 and payload[3] == 0:
            self._pending.pop(correlation_id, None)
            self._handle_error(invocation, message)
            return
        acks = payload[_BACKUP_ACKS_OFFSET]
        decoder = invocation.decoder
        try:
            value = decoder(message) if decoder is not None else None
        except Exception as exc:  # a malformed response fails its invocation, never the connection
            self._complete_exception(invocation, exc)
            return
        if acks and acks > invocation.backup_acks_received:
            # Completed once every backup has acknowledged, or at the backup timeout.
            invocation.backup_acks_expected = acks
            invocation.pending_response = (value,)
            self._reschedule(invocation, self._loop.time() + self._backup_timeout)
            return
        self._release(invocation)
        future = invocation.future
        if not future.done():
            future.set_result(value)

    def handle_backup_ack(self, source_correlation_id: int) -> None:
        invocation = self._pending.get(source_correlation_id)
        if invocation is None:
            return
        invocation.backup_acks_received += 1
        response = invocation.pending_response
        if response is not None and invocation.backup_acks_received >= invocation.backup_acks_expected:
            self._release(invocation)
            if not invocation.future.done():
                invocation.future.set_result(response[0])

    def _handle_error(self, invocation: Invocation, message: Message) -> None:
        try:
            error: BaseException = create_error_from_holders(decode_error(message))
        except Exception as exc:
            error = exc
        self._retry_or_fail(invocation, error)

    # -- failures, retries, deadlines --------------------------------------------------------------------------------

    def _is_retryable(self, invocation: Invocation, error: BaseException) -> bool:
        if self._shutdown:
            return False
        if isinstance(error, TargetDisconnectedError):
            return invocation.retryable
        if isinstance(error, HazelcastError):
            return bool(getattr(error, "retryable", False))
        return isinstance(error, OSError)

    def _retry_or_fail(self, invocation: Invocation, error: BaseException) -> None:
        if invocation.future.done():
            return
        if not invocation.pinned and self._is_retryable(invocation, error):
            if self._loop.time() + self._retry_pause < invocation.deadline:
                _logger.debug("invocation.retry", error=repr(error), correlation_id=invocation.correlation_id)
                self._pending.pop(invocation.correlation_id, None)
                self._loop.call_later(self._retry_pause, self._resend, invocation)
                return
            error = OperationTimeoutError(f"invocation deadline reached while retrying after: {error!r}")
        self._complete_exception(invocation, error)

    def _resend(self, invocation: Invocation) -> None:
        if invocation.future.done():
            return
        if self._shutdown:
            self._complete_exception(invocation, HazelcastClientNotActiveError("the client is shut down"))
            return
        self._send(invocation)

    def _complete_exception(self, invocation: Invocation, error: BaseException) -> None:
        self._release(invocation)
        future = invocation.future
        if not future.done():
            future.set_exception(error)

    def _schedule_deadline(self, invocation: Invocation) -> None:
        slot = math.ceil(invocation.deadline / _WHEEL_RESOLUTION)
        invocation.slot = slot
        bucket = self._slots.get(slot)
        if bucket is None:
            bucket = self._slots[slot] = set()
            self._loop.call_at(slot * _WHEEL_RESOLUTION, self._expire_slot, slot)
        bucket.add(invocation)

    def _reschedule(self, invocation: Invocation, deadline: float) -> None:
        bucket = self._slots.get(invocation.slot)
        if bucket is not None:
            bucket.discard(invocation)
        invocation.deadline = deadline
        self._schedule_deadline(invocation)

    def _expire_slot(self, slot: int) -> None:
        bucket = self._slots.pop(slot, None)
        if not bucket:
            return
        for invocation in bucket:
            invocation.slot = slot  # _release looks the bucket up by slot; it is gone already
            if invocation.future.done():
                self._release(invocation)
                continue
            response = invocation.pending_response
            if response is not None:
                self._release(invocation)
                if self._fail_on_indeterminate:
                    invocation.future.set_exception(
                        IndeterminateOperationStateError(
                            f"{invocation.backup_acks_received} of {invocation.backup_acks_expected} backup acks "
                            "arrived before operation_backup_timeout"
                        )
                    )
                else:
                    invocation.future.set_result(response[0])
                continue
            self._complete_exception(
                invocation,
                OperationTimeoutError(
                    f"no response within the invocation timeout (correlation id {invocation.correlation_id})"
                ),
            )

    def _admit(self, invocation: Invocation) -> None:
        self._in_flight += 1
        self._schedule_deadline(invocation)

    def _release(self, invocation: Invocation) -> None:
        """Forget a finished or abandoned invocation: pending entry, deadline and in-flight slot."""
        self._pending.pop(invocation.correlation_id, None)
        slot = invocation.slot
        if slot:
            invocation.slot = 0
            bucket = self._slots.get(slot)
            if bucket is not None:
                bucket.discard(invocation)
            self._in_flight -= 1
            waiters = self._waiters
            while waiters:
                waiter = waiters.pop(0)
                if not waiter.done():
                    waiter.set_result(None)
                    break

    # -- connection events -----------------------------------------------------------------------------------------

    def connection_closed(self, connection: Connection, error: BaseException) -> None:
        """Fail or retry every invocation that was waiting on ``connection``."""
        for invocation in [inv for inv in self._pending.values() if inv.connection is connection]:
            if invocation.pending_response is not None:
                # The member answered; only backup acks were missing.
                self._release(invocation)
                if not invocation.future.done():
                    invocation.future.set_result(invocation.pending_response[0])
                continue
            self._retry_or_fail(invocation, error)

    def shutdown(self) -> None:
        self._shutdown = True
        error = HazelcastClientNotActiveError("the client is shut down")
        for invocation in list(self._pending.values()):
            self._complete_exception(invocation, error)
        for bucket in list(self._slots.values()):
            for invocation in list(bucket):
                self._complete_exception(invocation, error)
        for waiter in self._waiters:
            if not waiter.done():
                waiter.cancel()

    @property
    def pending_count(self) -> int:
        return len(self._pending)
