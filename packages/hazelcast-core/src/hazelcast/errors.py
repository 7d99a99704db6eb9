"""The exception hierarchy of the client and the embedded member.

Every error is a :class:`HazelcastError`. Errors the cluster reports travel as a list of error holders (wire protocol
§13): an integer code, the Java class name, a message and a stack trace, then the same for each cause. One table,
``_SERVER_ERRORS``, ties each code to its Python class and Java class name and says whether an invocation that failed
with it may be retried; :func:`create_error_from_holders` turns a received chain into Python exceptions and
:func:`error_code_for` does the reverse for the embedded member.

Where a Java exception means what a Python builtin means, the class also derives from that builtin, so
``except ValueError`` catches :class:`IllegalArgumentError` and ``except TimeoutError`` catches
:class:`OperationTimeoutError`. Retry decisions must read the ``retryable`` class attribute, not the builtin bases:
:class:`HazelcastIOError` is an ``OSError`` because Java's ``IOException`` is one, yet a member reporting it is not
grounds for a retry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar, Protocol

__all__ = [
    "AccessControlError",
    "ArrayIndexOutOfBoundsError",
    "ArrayStoreError",
    "AuthenticationError",
    "CPGroupDestroyedError",
    "CacheError",
    "CacheLoaderError",
    "CacheNotExistsError",
    "CacheWriterError",
    "CallerNotMemberError",
    "CancellationError",
    "CannotReplicateError",
    "ClassCastError",
    "ClassNotFoundError",
    "ClientNotAllowedInClusterError",
    "ClientOfflineError",
    "ConcurrentModificationError",
    "ConfigMismatchError",
    "ConfigurationError",
    "ConsistencyLostError",
    "DistributedObjectDestroyedError",
    "DuplicateInstanceNameError",
    "DuplicateServiceError",
    "DuplicateTaskError",
    "EntryProcessorError",
    "ErrorHolderLike",
    "ExecutionError",
    "HazelcastAssertionError",
    "HazelcastCertificationError",
    "HazelcastClientNotActiveError",
    "HazelcastEOFError",
    "HazelcastError",
    "HazelcastIOError",
    "HazelcastInstanceNotActiveError",
    "HazelcastInterruptedError",
    "HazelcastOverloadError",
    "HazelcastPluginError",
    "HazelcastRuntimeError",
    "HazelcastSerializationError",
    "HazelcastTimeoutError",
    "IllegalAccessError",
    "IllegalAccessException",
    "IllegalArgumentError",
    "IllegalMonitorStateError",
    "IllegalStateError",
    "IllegalThreadStateError",
    "IndeterminateOperationStateError",
    "IndexOutOfBoundsError",
    "InvalidAddressError",
    "InvalidConfigurationError",
    "InvocationMightContainCompactDataError",
    "LeaderDemotedError",
    "LocalMemberResetError",
    "LockAcquireLimitReachedError",
    "LockOwnershipLostError",
    "LoginError",
    "MaxMessageSizeExceededError",
    "MemberLeftError",
    "MutationDisallowedError",
    "NativeOutOfMemoryError",
    "NegativeArraySizeError",
    "NoClassDefFoundError",
    "NoDataMemberInClusterError",
    "NoSuchElementError",
    "NoSuchFieldError",
    "NoSuchFieldException",
    "NoSuchMethodError",
    "NoSuchMethodException",
    "NodeIdOutOfRangeError",
    "NotLeaderError",
    "NotSerializableError",
    "NullPointerError",
    "OperationTimeoutError",
    "OutOfMemoryError",
    "PartitionMigratingError",
    "PluginFeatureUnavailableError",
    "PluginNotInstalledError",
    "QueryError",
    "QueryResultSizeExceededError",
    "ReachedMaxSizeError",
    "RejectedExecutionError",
    "ReplicatedMapCantBeCreatedOnLiteMemberError",
    "ResponseAlreadySentError",
    "RetryableHazelcastError",
    "RetryableIOError",
    "SecurityError",
    "ServiceNotFoundError",
    "SessionExpiredError",
    "SocketError",
    "SplitBrainProtectionError",
    "StackOverflowError",
    "StackTraceElementLike",
    "StaleAppendRequestError",
    "StaleSequenceError",
    "StaleTaskError",
    "StaleTaskIdError",
    "TargetDisconnectedError",
    "TargetNotMemberError",
    "TargetNotReplicaError",
    "TopicOverloadError",
    "TransactionError",
    "TransactionNotActiveError",
    "TransactionTimedOutError",
    "URISyntaxError",
    "UTFDataFormatError",
    "UndefinedErrorCodeError",
    "UnsupportedCallbackError",
    "UnsupportedOperationError",
    "VersionMismatchError",
    "WANReplicationQueueFullError",
    "WaitKeyCancelledError",
    "WrongTargetError",
    "XAError",
    "create_error_from_holders",
    "error_class_for_code",
    "error_code_for",
    "is_retryable_error",
]


class HazelcastError(Exception):
    """Root of every error raised by the client, the embedded member and the plugins.

    ``error_code`` is the wire-protocol code of the class (0 for errors that only ever arise on the client),
    ``java_class_name`` the Java exception it stands for, and ``retryable`` whether an invocation failing with it may be
    sent again. Errors built from a member's response also carry the member's ``server_class_name`` and
    ``server_stack_trace``.
    """

    error_code: ClassVar[int] = 0
    java_class_name: ClassVar[str | None] = None
    retryable: ClassVar[bool] = False

    server_class_name: str | None = None
    """Java class name the member reported, or ``None`` for an error raised locally."""

    _server_stack_trace_elements: Sequence[StackTraceElementLike] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass is client-side until the server error table claims it; without this a client-only error would
        # inherit a wire code (and a Java name) from its parent and the member could report it with the wrong one.
        if "error_code" not in cls.__dict__:
            cls.error_code = 0
            cls.java_class_name = None

    def __init__(self, message: str | None = None, cause: BaseException | None = None) -> None:
        if message is None:
            super().__init__()
        else:
            super().__init__(message)
        self.message: str | None = message
        if cause is not None:
            self.__cause__ = cause

    @property
    def cause(self) -> BaseException | None:
        """The error that led to this one, if any (the same object as ``__cause__``)."""
        return self.__cause__

    @property
    def server_stack_trace(self) -> str:
        """The member-side stack trace, one ``\\tat Class.method(File.java:line)`` line per frame; empty if local.

        Formatted on first read: errors the invocation layer retries are never looked at, so their traces are
        never rendered.
        """
        return _format_stack_trace(self._server_stack_trace_elements)

    def __str__(self) -> str:
        return self.message if self.message is not None else type(self).__name__


# ----------------------------------------------------------------------------------------------------------------------
# Errors a member reports by code. Their codes, Java names and retryability are set from _SERVER_ERRORS below.


class RetryableHazelcastError(HazelcastError):
    """A transient condition on the member side; the invocation is sent again until it times out."""


class IndexOutOfBoundsError(HazelcastError, IndexError):
    """An index (of a list, an array, a ringbuffer...) is outside the valid range."""


class ArrayIndexOutOfBoundsError(IndexOutOfBoundsError):
    """An array was accessed with an index outside its bounds."""


class ArrayStoreError(HazelcastError):
    """An object of the wrong type was stored into a Java array."""


class AuthenticationError(HazelcastError):
    """The cluster refused the client's credentials or cluster name."""


class CacheError(HazelcastError):
    """A JCache operation failed on the member (``javax.cache.CacheException``)."""


class CacheLoaderError(CacheError):
    """The cache loader configured on the member failed (``javax.cache.integration.CacheLoaderException``)."""


class CacheNotExistsError(HazelcastError):
    """The requested cache is not configured on the cluster."""


class CacheWriterError(CacheError):
    """The cache writer configured on the member failed (``javax.cache.integration.CacheWriterException``)."""


class CallerNotMemberError(RetryableHazelcastError):
    """The operation was sent by a member the target does not (yet) see as a cluster member."""


class CancellationError(HazelcastError):
    """The operation or task was cancelled on the member side."""


class ClassCastError(HazelcastError, TypeError):
    """A value had a different type than the member-side code expected."""


class ClassNotFoundError(HazelcastError):
    """The member could not load a class the operation needs."""


class ConcurrentModificationError(HazelcastError):
    """A collection was modified while it was being iterated on the member side."""


class ConfigMismatchError(HazelcastError):
    """A joining member's configuration does not match the cluster's."""


class DistributedObjectDestroyedError(HazelcastError):
    """The distributed object was destroyed while the operation used it."""


class HazelcastIOError(HazelcastError, OSError):
    """An I/O operation failed (Java ``IOException``)."""


class HazelcastEOFError(HazelcastIOError, EOFError):
    """The end of a stream was reached unexpectedly."""


class EntryProcessorError(CacheError):
    """A JCache entry processor failed (``javax.cache.processor.EntryProcessorException``)."""


class ExecutionError(HazelcastError):
    """A task submitted for execution failed; the cause holds the task's own error."""


class HazelcastInstanceNotActiveError(HazelcastError):
    """The member that received the operation is shutting down or not yet started; retried on another member."""


class HazelcastOverloadError(HazelcastError):
    """The member or the client has too many pending invocations and refused another one."""


class HazelcastSerializationError(HazelcastError):
    """A value could not be serialized or deserialized."""


class IllegalArgumentError(HazelcastError, ValueError):
    """An argument had an invalid value."""


class IllegalAccessException(HazelcastError):
    """Java reflection was refused access to a class member (``IllegalAccessException``)."""


class IllegalAccessError(HazelcastError):
    """Java linkage error: code tried to access a member it may not (``IllegalAccessError``)."""


class IllegalMonitorStateError(HazelcastError):
    """A lock or monitor was used by a thread or session that does not own it."""


class IllegalStateError(HazelcastError):
    """The operation is not allowed in the current state of the object or the cluster."""


class IllegalThreadStateError(HazelcastError):
    """A Java thread was not in the state the operation requires."""


class HazelcastInterruptedError(HazelcastError):
    """A member-side thread was interrupted while it waited."""


class InvalidAddressError(IllegalArgumentError):
    """A network address could not be parsed or resolved."""


class InvalidConfigurationError(HazelcastError, ValueError):
    """A configuration is invalid: an unknown option, or a value the cluster rejects."""


class MemberLeftError(HazelcastError):
    """The member running the operation left the cluster before it answered; retried."""


class NegativeArraySizeError(HazelcastError):
    """A Java array was to be created with a negative size."""


class NoSuchElementError(HazelcastError, LookupError):
    """The requested element does not exist (an empty queue, an exhausted iterator...)."""


class NotSerializableError(HazelcastError):
    """An object that must be serialized has no serializer."""


class NullPointerError(HazelcastError):
    """A null value reached code that does not accept one; often a ``None`` key or value."""


class OperationTimeoutError(HazelcastError, TimeoutError):
    """The member did not complete the operation within the operation call timeout."""


class PartitionMigratingError(RetryableHazelcastError):
    """The partition is migrating between members; retried once migration settles."""


class QueryError(HazelcastError):
    """A query (predicate, projection or aggregation) failed."""


class QueryResultSizeExceededError(HazelcastError):
    """A query result is larger than the member's configured limit."""


class SplitBrainProtectionError(HazelcastError):
    """Too few members are present for the configured split-brain protection."""


class ReachedMaxSizeError(HazelcastError):
    """A bounded structure (a queue, a map with a size limit) is full."""


class RejectedExecutionError(HazelcastError):
    """An executor refused the task, usually because it is shut down or full."""


class ResponseAlreadySentError(HazelcastError):
    """Member-side bug guard: a second response was sent for one operation."""


class RetryableIOError(HazelcastIOError):
    """A transient I/O failure on the member side; retried."""


class HazelcastRuntimeError(HazelcastError):
    """A Java ``RuntimeException`` without a more specific code."""


class SecurityError(HazelcastError):
    """A security check failed on the member."""


class SocketError(HazelcastIOError):
    """A socket operation failed (Java ``SocketException``)."""


class StaleSequenceError(HazelcastError):
    """A ringbuffer was read from a sequence older than its head: the item was already overwritten."""


class TargetDisconnectedError(HazelcastError):
    """The connection to the member running the invocation closed before a response arrived.

    ``retryable`` is ``False`` on purpose: the operation may already have run, so the invocation layer retries this
    error only for requests marked retryable (read-only or idempotent messages) or when ``redo_operation`` is enabled.
    """


class TargetNotMemberError(RetryableHazelcastError):
    """The invocation target is not a member of the cluster (any more); retried."""


class HazelcastTimeoutError(HazelcastError, TimeoutError):
    """An operation did not finish within its time limit (Java ``TimeoutException``)."""


class TopicOverloadError(HazelcastError):
    """A reliable topic's ringbuffer is full and the overload policy is ``ERROR``."""


class TransactionError(HazelcastError):
    """A transaction failed."""


class TransactionNotActiveError(TransactionError):
    """The transaction is not active: not begun, already committed or rolled back."""


class TransactionTimedOutError(TransactionError, TimeoutError):
    """The transaction ran longer than its timeout."""


class URISyntaxError(HazelcastError, ValueError):
    """A string could not be parsed as a URI."""


class UTFDataFormatError(HazelcastError):
    """A string in modified UTF-8 was malformed."""


class UnsupportedOperationError(HazelcastError):
    """The member or the data structure does not support the requested operation."""


class WrongTargetError(RetryableHazelcastError):
    """The operation reached a member that is not the owner or replica it is meant for; retried."""


class XAError(HazelcastError):
    """An XA transaction operation failed."""


class AccessControlError(SecurityError):
    """The client lacks the permission for the operation."""


class LoginError(HazelcastError):
    """The member-side login of the client failed."""


class UnsupportedCallbackError(HazelcastError):
    """A JAAS callback handler does not support a callback."""


class NoDataMemberInClusterError(HazelcastError):
    """The operation needs a data member but the cluster has only lite members."""


class ReplicatedMapCantBeCreatedOnLiteMemberError(HazelcastError):
    """A replicated map cannot be created on a lite member."""


class MaxMessageSizeExceededError(HazelcastError):
    """A protocol message is larger than the maximum allowed size."""


class WANReplicationQueueFullError(HazelcastError):
    """The WAN replication queue is full."""


class HazelcastAssertionError(HazelcastError):
    """A Java ``AssertionError`` was raised on the member."""


class OutOfMemoryError(HazelcastError):
    """The member ran out of heap memory."""


class StackOverflowError(HazelcastError):
    """The member's thread overflowed its stack."""


class NativeOutOfMemoryError(HazelcastError):
    """The member ran out of native (off-heap) memory."""


class ServiceNotFoundError(HazelcastError):
    """The member has no service with the requested name."""


class StaleTaskIdError(HazelcastError):
    """A durable executor task id refers to a result that is no longer kept."""


class DuplicateTaskError(HazelcastError):
    """A scheduled task with the same name already exists."""


class StaleTaskError(HazelcastError):
    """A scheduled task handle refers to a task that was disposed of or lost."""


class LocalMemberResetError(HazelcastError):
    """The local member was reset (e.g. after a split-brain merge) while the operation ran."""


class IndeterminateOperationStateError(HazelcastError):
    """The outcome of the operation is unknown: its backups were not acknowledged in time."""


class NodeIdOutOfRangeError(HazelcastError):
    """The member's node id is too large for Flake ID generation; another member is tried."""


class TargetNotReplicaError(RetryableHazelcastError):
    """A CRDT operation reached a member that is not a replica; retried."""


class MutationDisallowedError(HazelcastError):
    """A CRDT mutation is not allowed while the member is cut off from the cluster."""


class ConsistencyLostError(HazelcastError):
    """The data structure lost its consistency guarantees (e.g. a PN counter replica left)."""


class SessionExpiredError(HazelcastError):
    """The CP session of the caller expired."""


class WaitKeyCancelledError(HazelcastError):
    """A wait on a CP data structure was cancelled."""


class LockAcquireLimitReachedError(HazelcastError):
    """A FencedLock reached its reentrant acquire limit."""


class LockOwnershipLostError(HazelcastError):
    """The caller lost ownership of a FencedLock (its CP session ended)."""


class CPGroupDestroyedError(HazelcastError):
    """The CP group of the data structure was destroyed."""


class CannotReplicateError(HazelcastError):
    """The CP group leader cannot replicate an entry right now; retried."""


class LeaderDemotedError(HazelcastError):
    """The CP group leader was demoted before it committed the operation."""


class StaleAppendRequestError(HazelcastError):
    """A Raft append request arrived after a newer one."""


class NotLeaderError(HazelcastError):
    """The CP member that received the operation is not the group leader."""


class VersionMismatchError(HazelcastError):
    """A member's cluster version is incompatible."""


class NoSuchMethodError(HazelcastError):
    """Java linkage error: a method no longer exists (``NoSuchMethodError``)."""


class NoSuchMethodException(HazelcastError):
    """Java reflection did not find a method (``NoSuchMethodException``)."""


class NoSuchFieldError(HazelcastError):
    """Java linkage error: a field no longer exists (``NoSuchFieldError``)."""


class NoSuchFieldException(HazelcastError):
    """Java reflection did not find a field (``NoSuchFieldException``)."""


class NoClassDefFoundError(HazelcastError):
    """A class present at compile time is missing at run time on the member."""


# ----------------------------------------------------------------------------------------------------------------------
# Errors that arise on the client only (error_code 0).


class ConfigurationError(HazelcastError):
    """The client configuration cannot be used as given."""


class DuplicateInstanceNameError(HazelcastError):
    """Another client instance with the same name is already running."""


class HazelcastClientNotActiveError(HazelcastError):
    """The client is shut down or shutting down and accepts no more work."""

    def __init__(self, message: str = "Client is not active", cause: BaseException | None = None) -> None:
        super().__init__(message, cause)


class HazelcastCertificationError(HazelcastError):
    """TLS certificate verification of a member failed."""


class ClientOfflineError(HazelcastError):
    """The client has no connection to the cluster (``ReconnectMode.ASYNC`` while it reconnects)."""

    def __init__(self, message: str = "No connection found to cluster", cause: BaseException | None = None) -> None:
        super().__init__(message, cause)


class ClientNotAllowedInClusterError(HazelcastError):
    """The cluster refused the client (a client filter or blue/green switch rejected it)."""


class UndefinedErrorCodeError(HazelcastError):
    """A member reported an error code this client does not know; ``server_class_name`` names the Java exception."""


class InvocationMightContainCompactDataError(HazelcastError):
    """An invocation may carry Compact data whose schema the cluster has not acknowledged yet.

    Raised while the client (re)connects, since sending such data before its schema would leave the member unable
    to read it.
    """

    def __init__(
        self,
        message: str = (
            "The invocation might contain Compact serialized data and it is not safe to invoke it "
            "while the client is not yet initialized on the cluster."
        ),
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(message, cause)


class HazelcastPluginError(HazelcastError):
    """A client plugin could not be loaded or registered."""


class DuplicateServiceError(HazelcastPluginError):
    """Two plugins provide the same distributed-object service or the same client accessor."""


class PluginNotInstalledError(HazelcastPluginError):
    """A feature needs a distribution that is not installed; the message says what to ``pip install``."""

    def __init__(self, distribution: str, feature: str | None = None) -> None:
        needs = f"{feature} requires" if feature else "This feature requires"
        super().__init__(
            f"{needs} the {distribution!r} distribution, which is not installed. "
            f"Install it with: pip install {distribution}"
        )
        self.distribution: str = distribution
        self.feature: str | None = feature

    def __reduce__(self) -> tuple[type[PluginNotInstalledError], tuple[str, str | None]]:
        return type(self), (self.distribution, self.feature)


class PluginFeatureUnavailableError(HazelcastPluginError):
    """A feature's distribution is installed, yet no loaded plugin provides the feature.

    Either plugin autoloading is off (``HAZELCAST_DISABLE_PLUGIN_AUTOLOAD``), or the installed version of the
    distribution predates the feature; ``reason`` says which.
    """

    def __init__(self, distribution: str, version: str, feature: str, reason: str) -> None:
        super().__init__(
            f"{feature} is not provided by any installed plugin. It comes from the {distribution!r} distribution; "
            f"{distribution} {version} is installed, but {reason}"
        )
        self.distribution: str = distribution
        self.version: str = version
        self.feature: str = feature
        self.reason: str = reason

    def __reduce__(self) -> tuple[type[PluginFeatureUnavailableError], tuple[str, str, str, str]]:
        return type(self), (self.distribution, self.version, self.feature, self.reason)


# ----------------------------------------------------------------------------------------------------------------------
# The one table of server error facts: code, Python class, Java class name, retryable.

_SERVER_ERRORS: tuple[tuple[int, type[HazelcastError], str, bool], ...] = (
    (1, ArrayIndexOutOfBoundsError, "java.lang.ArrayIndexOutOfBoundsException", False),
    (2, ArrayStoreError, "java.lang.ArrayStoreException", False),
    (3, AuthenticationError, "com.hazelcast.client.AuthenticationException", False),
    (4, CacheError, "javax.cache.CacheException", False),
    (5, CacheLoaderError, "javax.cache.integration.CacheLoaderException", False),
    (6, CacheNotExistsError, "com.hazelcast.cache.CacheNotExistsException", False),
    (7, CacheWriterError, "javax.cache.integration.CacheWriterException", False),
    (8, CallerNotMemberError, "com.hazelcast.spi.exception.CallerNotMemberException", True),
    (9, CancellationError, "java.util.concurrent.CancellationException", False),
    (10, ClassCastError, "java.lang.ClassCastException", False),
    (11, ClassNotFoundError, "java.lang.ClassNotFoundException", False),
    (12, ConcurrentModificationError, "java.util.ConcurrentModificationException", False),
    (13, ConfigMismatchError, "com.hazelcast.internal.cluster.impl.ConfigMismatchException", False),
    (14, DistributedObjectDestroyedError, "com.hazelcast.spi.exception.DistributedObjectDestroyedException", False),
    (15, HazelcastEOFError, "java.io.EOFException", False),
    (16, EntryProcessorError, "javax.cache.processor.EntryProcessorException", False),
    (17, ExecutionError, "java.util.concurrent.ExecutionException", False),
    (18, HazelcastError, "com.hazelcast.core.HazelcastException", False),
    # Not marked retryable by the protocol, but the official clients retry it: another member can take the call.
    (19, HazelcastInstanceNotActiveError, "com.hazelcast.core.HazelcastInstanceNotActiveException", True),
    (20, HazelcastOverloadError, "com.hazelcast.core.HazelcastOverloadException", False),
    (21, HazelcastSerializationError, "com.hazelcast.nio.serialization.HazelcastSerializationException", False),
    (22, HazelcastIOError, "java.io.IOException", False),
    (23, IllegalArgumentError, "java.lang.IllegalArgumentException", False),
    (24, IllegalAccessException, "java.lang.IllegalAccessException", False),
    (25, IllegalAccessError, "java.lang.IllegalAccessError", False),
    (26, IllegalMonitorStateError, "java.lang.IllegalMonitorStateException", False),
    (27, IllegalStateError, "java.lang.IllegalStateException", False),
    (28, IllegalThreadStateError, "java.lang.IllegalThreadStateException", False),
    (29, IndexOutOfBoundsError, "java.lang.IndexOutOfBoundsException", False),
    (30, HazelcastInterruptedError, "java.lang.InterruptedException", False),
    (31, InvalidAddressError, "com.hazelcast.internal.util.AddressUtil$InvalidAddressException", False),
    (32, InvalidConfigurationError, "com.hazelcast.config.InvalidConfigurationException", False),
    (33, MemberLeftError, "com.hazelcast.core.MemberLeftException", True),
    (34, NegativeArraySizeError, "java.lang.NegativeArraySizeException", False),
    (35, NoSuchElementError, "java.util.NoSuchElementException", False),
    (36, NotSerializableError, "java.io.NotSerializableException", False),
    (37, NullPointerError, "java.lang.NullPointerException", False),
    (38, OperationTimeoutError, "com.hazelcast.core.OperationTimeoutException", False),
    (39, PartitionMigratingError, "com.hazelcast.spi.exception.PartitionMigratingException", True),
    (40, QueryError, "com.hazelcast.query.QueryException", False),
    (41, QueryResultSizeExceededError, "com.hazelcast.map.QueryResultSizeExceededException", False),
    (42, SplitBrainProtectionError, "com.hazelcast.splitbrainprotection.SplitBrainProtectionException", False),
    (43, ReachedMaxSizeError, "com.hazelcast.map.ReachedMaxSizeException", False),
    (44, RejectedExecutionError, "java.util.concurrent.RejectedExecutionException", False),
    (45, ResponseAlreadySentError, "com.hazelcast.spi.exception.ResponseAlreadySentException", False),
    (46, RetryableHazelcastError, "com.hazelcast.spi.exception.RetryableHazelcastException", True),
    (47, RetryableIOError, "com.hazelcast.spi.exception.RetryableIOException", True),
    (48, HazelcastRuntimeError, "java.lang.RuntimeException", False),
    (49, SecurityError, "java.lang.SecurityException", False),
    (50, SocketError, "java.net.SocketException", False),
    (51, StaleSequenceError, "com.hazelcast.ringbuffer.StaleSequenceException", False),
    (52, TargetDisconnectedError, "com.hazelcast.spi.exception.TargetDisconnectedException", False),
    (53, TargetNotMemberError, "com.hazelcast.spi.exception.TargetNotMemberException", True),
    (54, HazelcastTimeoutError, "java.util.concurrent.TimeoutException", False),
    (55, TopicOverloadError, "com.hazelcast.topic.TopicOverloadException", False),
    (56, TransactionError, "com.hazelcast.transaction.TransactionException", False),
    (57, TransactionNotActiveError, "com.hazelcast.transaction.TransactionNotActiveException", False),
    (58, TransactionTimedOutError, "com.hazelcast.transaction.TransactionTimedOutException", False),
    (59, URISyntaxError, "java.net.URISyntaxException", False),
    (60, UTFDataFormatError, "java.io.UTFDataFormatException", False),
    (61, UnsupportedOperationError, "java.lang.UnsupportedOperationException", False),
    (62, WrongTargetError, "com.hazelcast.spi.exception.WrongTargetException", True),
    (63, XAError, "javax.transaction.xa.XAException", False),
    (64, AccessControlError, "java.security.AccessControlException", False),
    (65, LoginError, "javax.security.auth.login.LoginException", False),
    (66, UnsupportedCallbackError, "javax.security.auth.callback.UnsupportedCallbackException", False),
    (67, NoDataMemberInClusterError, "com.hazelcast.partition.NoDataMemberInClusterException", False),
    (
        68,
        ReplicatedMapCantBeCreatedOnLiteMemberError,
        "com.hazelcast.replicatedmap.ReplicatedMapCantBeCreatedOnLiteMemberException",
        False,
    ),
    (69, MaxMessageSizeExceededError, "com.hazelcast.client.impl.protocol.exception.MaxMessageSizeExceeded", False),
    (70, WANReplicationQueueFullError, "com.hazelcast.wan.WanQueueFullException", False),
    (71, HazelcastAssertionError, "java.lang.AssertionError", False),
    (72, OutOfMemoryError, "java.lang.OutOfMemoryError", False),
    (73, StackOverflowError, "java.lang.StackOverflowError", False),
    (74, NativeOutOfMemoryError, "com.hazelcast.memory.NativeOutOfMemoryError", False),
    (75, ServiceNotFoundError, "com.hazelcast.spi.exception.ServiceNotFoundException", False),
    (76, StaleTaskIdError, "com.hazelcast.durableexecutor.StaleTaskIdException", False),
    (77, DuplicateTaskError, "com.hazelcast.scheduledexecutor.DuplicateTaskException", False),
    (78, StaleTaskError, "com.hazelcast.scheduledexecutor.StaleTaskException", False),
    (79, LocalMemberResetError, "com.hazelcast.core.LocalMemberResetException", False),
    (80, IndeterminateOperationStateError, "com.hazelcast.core.IndeterminateOperationStateException", False),
    (81, NodeIdOutOfRangeError, "com.hazelcast.flakeidgen.impl.NodeIdOutOfRangeException", False),
    (82, TargetNotReplicaError, "com.hazelcast.crdt.TargetNotReplicaException", True),
    (83, MutationDisallowedError, "com.hazelcast.crdt.MutationDisallowedException", False),
    (84, ConsistencyLostError, "com.hazelcast.core.ConsistencyLostException", False),
    (85, SessionExpiredError, "com.hazelcast.cp.internal.session.SessionExpiredException", False),
    (
        86,
        WaitKeyCancelledError,
        "com.hazelcast.cp.internal.datastructures.exception.WaitKeyCancelledException",
        False,
    ),
    (87, LockAcquireLimitReachedError, "com.hazelcast.cp.lock.exception.LockAcquireLimitReachedException", False),
    (88, LockOwnershipLostError, "com.hazelcast.cp.lock.exception.LockOwnershipLostException", False),
    (89, CPGroupDestroyedError, "com.hazelcast.cp.exception.CPGroupDestroyedException", False),
    (90, CannotReplicateError, "com.hazelcast.cp.exception.CannotReplicateException", True),
    (91, LeaderDemotedError, "com.hazelcast.cp.exception.LeaderDemotedException", False),
    (92, StaleAppendRequestError, "com.hazelcast.cp.exception.StaleAppendRequestException", False),
    (93, NotLeaderError, "com.hazelcast.cp.exception.NotLeaderException", False),
    (94, VersionMismatchError, "com.hazelcast.internal.cluster.impl.VersionMismatchException", False),
    (95, NoSuchMethodError, "java.lang.NoSuchMethodError", False),
    (96, NoSuchMethodException, "java.lang.NoSuchMethodException", False),
    (97, NoSuchFieldError, "java.lang.NoSuchFieldError", False),
    (98, NoSuchFieldException, "java.lang.NoSuchFieldException", False),
    (99, NoClassDefFoundError, "java.lang.NoClassDefFoundError", False),
)

_CODE_TO_CLASS: dict[int, type[HazelcastError]] = {}

for _code, _cls, _java_name, _retryable in _SERVER_ERRORS:
    _cls.error_code = _code
    _cls.java_class_name = _java_name
    _cls.retryable = _retryable
    _CODE_TO_CLASS[_code] = _cls
del _code, _cls, _java_name, _retryable

_UNDEFINED_ERROR_CODE = 0
_UNDEFINED_JAVA_CLASS_NAME = "com.hazelcast.client.UndefinedErrorCodeException"

# Python builtins raised by user or member code, mapped to the code a Java peer understands. Order matters: the first
# matching entry wins, so subclasses come before their bases (TimeoutError before OSError, IndexError before LookupError).
_BUILTIN_ERROR_CODES: tuple[tuple[type[BaseException], type[HazelcastError]], ...] = (
    (asyncio.CancelledError, CancellationError),
    (TimeoutError, HazelcastTimeoutError),
    (PermissionError, SecurityError),
    (EOFError, HazelcastEOFError),
    (OSError, HazelcastIOError),
    (IndexError, IndexOutOfBoundsError),
    (LookupError, NoSuchElementError),
    (ValueError, IllegalArgumentError),
    (TypeError, IllegalArgumentError),
    (NotImplementedError, UnsupportedOperationError),
    (AssertionError, HazelcastAssertionError),
    (RecursionError, StackOverflowError),
    (MemoryError, OutOfMemoryError),
)


# ----------------------------------------------------------------------------------------------------------------------
# Decoding a member's error chain, and the reverse for the embedded member.


class StackTraceElementLike(Protocol):
    """One frame of a member-side stack trace as the protocol decodes it."""

    @property
    def class_name(self) -> str: ...

    @property
    def method_name(self) -> str: ...

    @property
    def file_name(self) -> str | None: ...

    @property
    def line_number(self) -> int: ...


class ErrorHolderLike(Protocol):
    """One error of a member's error chain as the protocol decodes it."""

    @property
    def error_code(self) -> int: ...

    @property
    def class_name(self) -> str: ...

    @property
    def message(self) -> str | None: ...

    @property
    def stack_trace_elements(self) -> Sequence[StackTraceElementLike]: ...


def _format_stack_trace(elements: Sequence[StackTraceElementLike]) -> str:
    lines = []
    for element in elements:
        # Java's own StackTraceElement.toString conventions, so the trace reads like a member log.
        file_name, line_number = element.file_name, element.line_number
        if line_number == -2:
            location = "Native Method"
        elif file_name is None:
            location = "Unknown Source"
        elif line_number >= 0:
            location = f"{file_name}:{line_number}"
        else:
            location = file_name
        lines.append(f"\tat {element.class_name}.{element.method_name}({location})")
    return "\n".join(lines)


def error_class_for_code(error_code: int) -> type[HazelcastError]:
    """The class of the server error ``error_code``; :class:`UndefinedErrorCodeError` for an unknown code."""
    return _CODE_TO_CLASS.get(error_code, UndefinedErrorCodeError)


def create_error_from_holders(holders: Sequence[ErrorHolderLike]) -> HazelcastError:
    """Build the Python error for a member's error chain.

    ``holders[0]`` is the error itself and each next holder the cause of the previous one; the causes become the
    ``__cause__`` chain. Each error keeps the member's ``server_class_name`` and ``server_stack_trace``. When the Java
    class is not the one the Python class stands for (a subclass the protocol has no code for, or an unknown code),
    the message starts with the Java class name so that it is not lost.

    Raises:
        ValueError: ``holders`` is empty.
    """
    if not holders:
        raise ValueError("an error response must hold at least one error")
    error: HazelcastError | None = None
    for holder in reversed(holders):
        error_class = _CODE_TO_CLASS.get(holder.error_code, UndefinedErrorCodeError)
        message = holder.message
        if holder.class_name != error_class.java_class_name:
            message = holder.class_name if message is None else f"{holder.class_name}: {message}"
        new_error = error_class(message, error)
        new_error.server_class_name = holder.class_name
        new_error._server_stack_trace_elements = holder.stack_trace_elements
        error = new_error
    assert error is not None
    return error


def error_code_for(exc: BaseException) -> tuple[int, str]:
    """The wire code and Java class name the embedded member reports for ``exc``.

    A :class:`HazelcastError` maps to the code of its class or of its nearest ancestor that has one; an error that
    came from another member keeps that member's Java class name. An :class:`UndefinedErrorCodeError` is passed on
    with code 0 and its original class name, as Java members do. Python builtins map to their Java counterparts
    (``ValueError`` and ``TypeError`` to ``IllegalArgumentException``, ``TimeoutError`` to ``TimeoutException``,
    ``KeyError`` to ``NoSuchElementException``...); anything else becomes ``java.lang.RuntimeException``.
    """
    if isinstance(exc, HazelcastError):
        if isinstance(exc, UndefinedErrorCodeError):
            return _UNDEFINED_ERROR_CODE, exc.server_class_name or _UNDEFINED_JAVA_CLASS_NAME
        for klass in type(exc).__mro__:
            code = klass.__dict__.get("error_code")
            if code:
                java_name = klass.__dict__["java_class_name"]
                if exc.server_class_name is not None and klass is type(exc):
                    java_name = exc.server_class_name
                return code, java_name
    for builtin, error_class in _BUILTIN_ERROR_CODES:
        if isinstance(exc, builtin):
            return error_class.error_code, error_class.java_class_name or ""
    return HazelcastRuntimeError.error_code, HazelcastRuntimeError.java_class_name or ""


def is_retryable_error(error: BaseException) -> bool:
    """Whether an invocation that failed with ``error`` may be sent again, judged by its class alone.

    :class:`TargetDisconnectedError` answers ``False`` here; the invocation layer retries it for retryable requests.
    """
    return bool(getattr(error, "retryable", False))
