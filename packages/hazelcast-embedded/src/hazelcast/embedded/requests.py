"""The request a handler executes, and how its response, error and backup acknowledgements reach the client.

A handler is ``handler(request: MemberRequest) -> result``, called synchronously on the event loop:

* ``request.params`` is what the message's codec decoded: ``None`` for a message without parameters, the value itself
  for a single parameter, otherwise a named tuple with snake_case fields (``request.params.key``);
* the result is the response: ignored when the response has no parameters, the value for a single parameter, a tuple
  of the parameters otherwise. Returning :data:`PENDING` means the handler answers later with
  :meth:`MemberRequest.respond` or :meth:`MemberRequest.fail` (blocking operations); if the member executing it
  stops first, the request is failed with :class:`~hazelcast.errors.MemberLeftError` and a later answer is ignored;
* raising an exception answers with an error message: ``hazelcast.errors`` classes keep their protocol code
  (raise :class:`~hazelcast.errors.IllegalStateError` for code 27...), Python builtins map to their Java
  counterparts (``ValueError`` is ``IllegalArgumentException``), anything else is a ``RuntimeException``.

A partition-bound request runs on the member that owns its partition (``request.member``), whichever member received
it. Mutations call :meth:`MemberRequest.backup` so that the backup replicas apply the same change; the response then
tells a backup-aware client how many backup acknowledgements to wait for, and each backup member sends its own.
"""

from __future__ import annotations

import operator
import os
import traceback
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import structlog

from hazelcast.protocol.errors_codec import ErrorHolder, StackTraceElement
from hazelcast.embedded.spec import Handler, PartitionState, StateKey
from hazelcast.errors import error_class_for_code, error_code_for
from hazelcast.protocol import MethodCodec, method
from hazelcast.protocol.errors_codec import encode_error
from hazelcast.protocol.frames import BACKUP_EVENT, set_correlation_id

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.connection import ClientConnection
    from hazelcast.embedded.member import EmbeddedMember

__all__ = ["PENDING", "MemberRequest", "Route", "backup_event", "error_message", "error_message_for_code"]

_logger = structlog.get_logger("hazelcast.embedded")


class _Pending:
    __slots__ = ()

    def __repr__(self) -> str:
        return "PENDING"


#: Returned by a handler that will answer later through ``request.respond`` / ``request.fail``.
PENDING: Final = _Pending()

# Offset of the backup-acks byte in an encoded response: 6-byte frame header + type (4) + correlation id (8).
_BACKUP_ACKS_OFFSET = 18
# The BACKUP_EVENT flag lives in the low byte of the little-endian flags (offset 4 of the buffer).
_BACKUP_EVENT_FLAG_BYTE = BACKUP_EVENT & 0xFF
_MAX_STACK_ELEMENTS = 20
_backup_event_codec = method("Client.localBackupListener")
_encode_backup_event = _backup_event_codec.encode_event[0]


class Route:
    """How the member serves one message type: codec, handler and the response encoder fitted to its arity."""

    __slots__ = (
        "name",
        "codec",
        "decode",
        "handler",
        "encode",
        "partition_bound",
        "key_of",
        "name_of",
        "before_auth",
    )

    def __init__(self, codec: MethodCodec, handler: Handler, before_auth: bool = False) -> None:
        self.name = codec.spec.name
        self.codec = codec
        self.decode = codec.decode_request
        self.handler = handler
        self.encode = _response_encoder(codec)
        #: Whether the header's partition id decides where the request runs; for the others it is ignored (-1).
        self.partition_bound = codec.spec.partition != "-1"
        #: Key-based messages that arrive without a partition id get the key's partition.
        self.key_of = _param_getter(codec, "key") if codec.spec.partition == "key" else None
        #: Name-partitioned messages (queues, lists...) that arrive without one get the name's partition.
        self.name_of = _param_getter(codec, "name") if codec.spec.partition == "name" else None
        self.before_auth = before_auth


def _param_getter(codec: MethodCodec, name: str) -> Callable[[Any], Any] | None:
    """Reads one request parameter from decoded params (a lone parameter is decoded as the value itself)."""
    if name not in codec.request_names:
        return None
    if len(codec.request_names) == 1:
        return lambda params: params
    return operator.attrgetter(name)


def _response_encoder(codec: MethodCodec) -> Callable[[Any], bytearray]:
    encode = codec.encode_response
    arity = len(codec.response_names)
    if arity == 0:
        return lambda _result: encode()
    if arity == 1:
        return encode
    return lambda result: encode(*result)


def _stack_of(error: BaseException) -> list[StackTraceElement]:
    frames = traceback.extract_tb(error.__traceback__)[-_MAX_STACK_ELEMENTS:]
    # Python frames in Java's shape: the module stands where Java has the class.
    return [
        StackTraceElement(os.path.splitext(os.path.basename(frame.filename))[0], frame.name,
                          os.path.basename(frame.filename), frame.lineno or -1)
        for frame in frames
    ]


def error_message(error: BaseException, correlation_id: int) -> bytearray:
    """Wire bytes of the error response for ``error`` and its ``__cause__`` chain."""
    holders: list[ErrorHolder] = []
    current: BaseException | None = error
    while current is not None and len(holders) < 8:
        code, class_name = error_code_for(current)
        text = str(current) or None
        holders.append(ErrorHolder(code, class_name, text, _stack_of(current)))
        current = current.__cause__
    buf = encode_error(holders)
    set_correlation_id(buf, correlation_id)
    return buf


def error_message_for_code(code: int, text: str | None, correlation_id: int) -> bytearray:
    """Wire bytes of an error response with the given protocol error code (fault injection)."""
    java_name = error_class_for_code(code).java_class_name or "com.hazelcast.core.HazelcastException"
    buf = encode_error([ErrorHolder(code, java_name, text, [])])
    set_correlation_id(buf, correlation_id)
    return buf


def backup_event(registration_correlation_id: int, request_correlation_id: int) -> bytearray:
    """The ``Client.localBackupListener`` backup event acknowledging the request ``request_correlation_id``."""
    buf = _encode_backup_event(request_correlation_id)
    set_correlation_id(buf, registration_correlation_id)
    buf[4] |= _BACKUP_EVENT_FLAG_BYTE
    return buf


class MemberRequest:
    """One client request being executed; the handler's view of the cluster, the member and the client."""

    __slots__ = (
        "cluster",
        "member",
        "connection",
        "route",
        "params",
        "message_type",
        "correlation_id",
        "partition_id",
        "backup_aware",
        "_ack_members",
        "_done",
        # The executing member keeps PENDING requests in a WeakSet, to fail them if it stops before answering.
        "__weakref__",
    )

    def __init__(
        self,
        cluster: EmbeddedCluster,
        member: EmbeddedMember,
        connection: ClientConnection,
        route: Route,
        params: Any,
        message_type: int,
        correlation_id: int,
        partition_id: int,
        backup_aware: bool,
    ) -> None:
        self.cluster = cluster
        #: The member executing the request: the partition owner for partition-bound requests.
        self.member = member
        #: The client connection the request came in on (its member is the one that received it).
        self.connection = connection
        self.route = route
        self.params = params
        self.message_type = message_type
        self.correlation_id = correlation_id
        #: The request's partition, or -1 when it is not partition-bound.
        self.partition_id = partition_id
        self.backup_aware = backup_aware
        self._ack_members: list[EmbeddedMember] | None = None
        self._done = False

    @property
    def client_uuid(self) -> uuid.UUID | None:
        return self.connection.client_uuid

    # -- partition state ------------------------------------------------------------------------------------------

    def _partition(self, partition_id: int | None) -> int:
        pid = self.partition_id if partition_id is None else partition_id
        if pid < 0:
            raise ValueError(f"{self.route.name} needs a partition, and the request carries none")
        return pid

    def find_state(self, key: StateKey, partition_id: int | None = None) -> Any:
        """The owner's state of ``key`` in the request's partition (or ``partition_id``), None when there is none."""
        pid = self._partition(partition_id)
        return self.cluster.owner_of(pid).partitions[pid].get(key)

    def state(self, key: StateKey, factory: Callable[[], PartitionState], partition_id: int | None = None) -> Any:
        """The owner's state of ``key`` in the request's partition (or ``partition_id``), created when missing."""
        pid = self._partition(partition_id)
        states = self.cluster.owner_of(pid).partitions[pid]
        found = states.get(key)
        if found is None:
            found = states[key] = factory()
        return found

    def has_backups(self, state: PartitionState) -> bool:
        """Whether :meth:`backup` of ``state`` in the request's partition has a replica to apply a change to (a caller
        can skip building the change when there is none)."""
        pid = self.partition_id
        # Without a partition, backup() raises: leave that to it.
        return bool(state.backup_count) and (pid < 0 or len(self.cluster.replicas_of(pid)) > 1)

    def backup(
        self,
        state: PartitionState,
        key: StateKey,
        apply: Callable[[Any], None],
        partition_id: int | None = None,
    ) -> None:
        """Apply a mutation to the backup replicas of ``state`` (the owner's state of ``key``).

        ``apply(backup_state)`` runs once on each backup replica up to ``state.backup_count``, creating the backup
        state when the replica has none. For the request's own partition, backups on members where the requesting
        client registered a local backup listener are acknowledged to the client by those members.
        """
        pid = self._partition(partition_id)
        replicas = self.cluster.replicas_of(pid)
        last = min(state.backup_count, len(replicas) - 1)
        if last < 1:
            return
        acknowledge = self.backup_aware and pid == self.partition_id
        client_uuid = self.connection.client_uuid
        for index in range(1, last + 1):
            replica = replicas[index]
            states = replica.partitions[pid]
            target = states.get(key)
            if target is None:
                target = states[key] = state.new_backup()
            apply(target)
            if acknowledge and client_uuid in replica.backup_listeners:
                ack_members = self._ack_members
                if ack_members is None:
                    self._ack_members = [replica]
                elif replica not in ack_members:
                    ack_members.append(replica)

    # -- answering ------------------------------------------------------------------------------------------------

    def respond(self, result: Any) -> None:
        """Send the response (for a handler that returned :data:`PENDING`; the member calls it for the others)."""
        if self._done:
            return
        self._done = True
        try:
            buf = self.route.encode(result)
        except Exception as error:
            _logger.error("member.response.encode_failed", message=self.route.name, exc_info=True)
            self.connection.send(error_message(error, self.correlation_id))
            return
        set_correlation_id(buf, self.correlation_id)
        ack_members = self._ack_members
        if ack_members is not None:
            buf[_BACKUP_ACKS_OFFSET] = len(ack_members)
        self.connection.member.send_response(self.connection, self.message_type, buf)
        if ack_members is not None:
            client_uuid = self.connection.client_uuid
            for replica in ack_members:
                backup_connection = replica.backup_listeners.get(client_uuid) if client_uuid else None
                if backup_connection is not None and backup_connection.backup_listener_correlation is not None:
                    backup_connection.send(
                        backup_event(backup_connection.backup_listener_correlation, self.correlation_id)
                    )

    def fail(self, error: BaseException) -> None:
        """Answer with an error message for ``error`` (and its ``__cause__`` chain)."""
        if self._done:
            return
        self._done = True
        self.connection.send(error_message(error, self.correlation_id))

    @property
    def done(self) -> bool:
        return self._done
