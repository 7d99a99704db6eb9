"""Tests of hazelcast.errors: the code table, error chains from members, error codes for the embedded member."""

from __future__ import annotations

import asyncio
import inspect
import pickle
from dataclasses import dataclass, field

import pytest

import hazelcast.errors as errors
from hazelcast.errors import (
    ClientOfflineError,
    DuplicateServiceError,
    HazelcastClientNotActiveError,
    HazelcastError,
    HazelcastPluginError,
    IllegalArgumentError,
    IllegalStateError,
    InvocationMightContainCompactDataError,
    PluginNotInstalledError,
    TargetDisconnectedError,
    UndefinedErrorCodeError,
    create_error_from_holders,
    error_class_for_code,
    error_code_for,
    is_retryable_error,
)


@dataclass
class StackElement:
    class_name: str
    method_name: str
    file_name: str | None
    line_number: int


@dataclass
class Holder:
    error_code: int
    class_name: str
    message: str | None
    stack_trace_elements: list[StackElement] = field(default_factory=list)


# Wire protocol §13: code -> (Python class name, Java class name). Codes 4, 5, 7 and 16 have no official Python class.
SERVER_ERRORS: dict[int, tuple[str, str]] = {
    1: ("ArrayIndexOutOfBoundsError", "java.lang.ArrayIndexOutOfBoundsException"),
    2: ("ArrayStoreError", "java.lang.ArrayStoreException"),
    3: ("AuthenticationError", "com.hazelcast.client.AuthenticationException"),
    4: ("CacheError", "javax.cache.CacheException"),
    5: ("CacheLoaderError", "javax.cache.integration.CacheLoaderException"),
    6: ("CacheNotExistsError", "com.hazelcast.cache.CacheNotExistsException"),
    7: ("CacheWriterError", "javax.cache.integration.CacheWriterException"),
    8: ("CallerNotMemberError", "com.hazelcast.spi.exception.CallerNotMemberException"),
    9: ("CancellationError", "java.util.concurrent.CancellationException"),
    10: ("ClassCastError", "java.lang.ClassCastException"),
    11: ("ClassNotFoundError", "java.lang.ClassNotFoundException"),
    12: ("ConcurrentModificationError", "java.util.ConcurrentModificationException"),
    13: ("ConfigMismatchError", "com.hazelcast.internal.cluster.impl.ConfigMismatchException"),
    14: ("DistributedObjectDestroyedError", "com.hazelcast.spi.exception.DistributedObjectDestroyedException"),
    15: ("HazelcastEOFError", "java.io.EOFException"),
    16: ("EntryProcessorError", "javax.cache.processor.EntryProcessorException"),
    17: ("ExecutionError", "java.util.concurrent.ExecutionException"),
    18: ("HazelcastError", "com.hazelcast.core.HazelcastException"),
    19: ("HazelcastInstanceNotActiveError", "com.hazelcast.core.HazelcastInstanceNotActiveException"),
    20: ("HazelcastOverloadError", "com.hazelcast.core.HazelcastOverloadException"),
    21: ("HazelcastSerializationError", "com.hazelcast.nio.serialization.HazelcastSerializationException"),
    22: ("HazelcastIOError", "java.io.IOException"),
    23: ("IllegalArgumentError", "java.lang.IllegalArgumentException"),
    24: ("IllegalAccessException", "java.lang.IllegalAccessException"),
    25: ("IllegalAccessError", "java.lang.IllegalAccessError"),
    26: ("IllegalMonitorStateError", "java.lang.IllegalMonitorStateException"),
    27: ("IllegalStateError", "java.lang.IllegalStateException"),
    28: ("IllegalThreadStateError", "java.lang.IllegalThreadStateException"),
    29: ("IndexOutOfBoundsError", "java.lang.IndexOutOfBoundsException"),
    30: ("HazelcastInterruptedError", "java.lang.InterruptedException"),
    31: ("InvalidAddressError", "com.hazelcast.internal.util.AddressUtil$InvalidAddressException"),
    32: ("InvalidConfigurationError", "com.hazelcast.config.InvalidConfigurationException"),
    33: ("MemberLeftError", "com.hazelcast.core.MemberLeftException"),
    34: ("NegativeArraySizeError", "java.lang.NegativeArraySizeException"),
    35: ("NoSuchElementError", "java.util.NoSuchElementException"),
    36: ("NotSerializableError", "java.io.NotSerializableException"),
    37: ("NullPointerError", "java.lang.NullPointerException"),
    38: ("OperationTimeoutError", "com.hazelcast.core.OperationTimeoutException"),
    39: ("PartitionMigratingError", "com.hazelcast.spi.exception.PartitionMigratingException"),
    40: ("QueryError", "com.hazelcast.query.QueryException"),
    41: ("QueryResultSizeExceededError", "com.hazelcast.map.QueryResultSizeExceededException"),
    42: ("SplitBrainProtectionError", "com.hazelcast.splitbrainprotection.SplitBrainProtectionException"),
    43: ("ReachedMaxSizeError", "com.hazelcast.map.ReachedMaxSizeException"),
    44: ("RejectedExecutionError", "java.util.concurrent.RejectedExecutionException"),
    45: ("ResponseAlreadySentError", "com.hazelcast.spi.exception.ResponseAlreadySentException"),
    46: ("RetryableHazelcastError", "com.hazelcast.spi.exception.RetryableHazelcastException"),
    47: ("RetryableIOError", "com.hazelcast.spi.exception.RetryableIOException"),
    48: ("HazelcastRuntimeError", "java.lang.RuntimeException"),
    49: ("SecurityError", "java.lang.SecurityException"),
    50: ("SocketError", "java.net.SocketException"),
    51: ("StaleSequenceError", "com.hazelcast.ringbuffer.StaleSequenceException"),
    52: ("TargetDisconnectedError", "com.hazelcast.spi.exception.TargetDisconnectedException"),
    53: ("TargetNotMemberError", "com.hazelcast.spi.exception.TargetNotMemberException"),
    54: ("HazelcastTimeoutError", "java.util.concurrent.TimeoutException"),
    55: ("TopicOverloadError", "com.hazelcast.topic.TopicOverloadException"),
    56: ("TransactionError", "com.hazelcast.transaction.TransactionException"),
    57: ("TransactionNotActiveError", "com.hazelcast.transaction.TransactionNotActiveException"),
    58: ("TransactionTimedOutError", "com.hazelcast.transaction.TransactionTimedOutException"),
    59: ("URISyntaxError", "java.net.URISyntaxException"),
    60: ("UTFDataFormatError", "java.io.UTFDataFormatException"),
    61: ("UnsupportedOperationError", "java.lang.UnsupportedOperationException"),
    62: ("WrongTargetError", "com.hazelcast.spi.exception.WrongTargetException"),
    63: ("XAError", "javax.transaction.xa.XAException"),
    64: ("AccessControlError", "java.security.AccessControlException"),
    65: ("LoginError", "javax.security.auth.login.LoginException"),
    66: ("UnsupportedCallbackError", "javax.security.auth.callback.UnsupportedCallbackException"),
    67: ("NoDataMemberInClusterError", "com.hazelcast.partition.NoDataMemberInClusterException"),
    68: (
        "ReplicatedMapCantBeCreatedOnLiteMemberError",
        "com.hazelcast.replicatedmap.ReplicatedMapCantBeCreatedOnLiteMemberException",
    ),
    69: ("MaxMessageSizeExceededError", "com.hazelcast.client.impl.protocol.exception.MaxMessageSizeExceeded"),
    70: ("WANReplicationQueueFullError", "com.hazelcast.wan.WanQueueFullException"),
    71: ("HazelcastAssertionError", "java.lang.AssertionError"),
    72: ("OutOfMemoryError", "java.lang.OutOfMemoryError"),
    73: ("StackOverflowError", "java.lang.StackOverflowError"),
    74: ("NativeOutOfMemoryError", "com.hazelcast.memory.NativeOutOfMemoryError"),
    75: ("ServiceNotFoundError", "com.hazelcast.spi.exception.ServiceNotFoundException"),
    76: ("StaleTaskIdError", "com.hazelcast.durableexecutor.StaleTaskIdException"),
    77: ("DuplicateTaskError", "com.hazelcast.scheduledexecutor.DuplicateTaskException"),
    78: ("StaleTaskError", "com.hazelcast.scheduledexecutor.StaleTaskException"),
    79: ("LocalMemberResetError", "com.hazelcast.core.LocalMemberResetException"),
    80: ("IndeterminateOperationStateError", "com.hazelcast.core.IndeterminateOperationStateException"),
    81: ("NodeIdOutOfRangeError", "com.hazelcast.flakeidgen.impl.NodeIdOutOfRangeException"),
    82: ("TargetNotReplicaError", "com.hazelcast.crdt.TargetNotReplicaException"),
    83: ("MutationDisallowedError", "com.hazelcast.crdt.MutationDisallowedException"),
    84: ("ConsistencyLostError", "com.hazelcast.core.ConsistencyLostException"),
    85: ("SessionExpiredError", "com.hazelcast.cp.internal.session.SessionExpiredException"),
    86: ("WaitKeyCancelledError", "com.hazelcast.cp.internal.datastructures.exception.WaitKeyCancelledException"),
    87: ("LockAcquireLimitReachedError", "com.hazelcast.cp.lock.exception.LockAcquireLimitReachedException"),
    88: ("LockOwnershipLostError", "com.hazelcast.cp.lock.exception.LockOwnershipLostException"),
    89: ("CPGroupDestroyedError", "com.hazelcast.cp.exception.CPGroupDestroyedException"),
    90: ("CannotReplicateError", "com.hazelcast.cp.exception.CannotReplicateException"),
    91: ("LeaderDemotedError", "com.hazelcast.cp.exception.LeaderDemotedException"),
    92: ("StaleAppendRequestError", "com.hazelcast.cp.exception.StaleAppendRequestException"),
    93: ("NotLeaderError", "com.hazelcast.cp.exception.NotLeaderException"),
    94: ("VersionMismatchError", "com.hazelcast.internal.cluster.impl.VersionMismatchException"),
    95: ("NoSuchMethodError", "java.lang.NoSuchMethodError"),
    96: ("NoSuchMethodException", "java.lang.NoSuchMethodException"),
    97: ("NoSuchFieldError", "java.lang.NoSuchFieldError"),
    98: ("NoSuchFieldException", "java.lang.NoSuchFieldException"),
    99: ("NoClassDefFoundError", "java.lang.NoClassDefFoundError"),
}

# Retryable in the protocol, plus HazelcastInstanceNotActive (19), which the official clients retry.
RETRYABLE_CODES = {8, 19, 33, 39, 46, 47, 53, 62, 82, 90}

# Every exception class of the official client's hazelcast.errors (5.7.0).
OFFICIAL_ERROR_NAMES = """
HazelcastError ArrayIndexOutOfBoundsError ArrayStoreError AuthenticationError CacheNotExistsError CallerNotMemberError
CancellationError ClassCastError ClassNotFoundError ConcurrentModificationError ConfigMismatchError ConfigurationError
DistributedObjectDestroyedError DuplicateInstanceNameError HazelcastEOFError ExecutionError
HazelcastInstanceNotActiveError HazelcastOverloadError HazelcastSerializationError HazelcastIOError
IllegalArgumentError IllegalAccessException IllegalAccessError IllegalMonitorStateError IllegalStateError
IllegalThreadStateError IndexOutOfBoundsError HazelcastInterruptedError InvalidAddressError InvalidConfigurationError
MemberLeftError NegativeArraySizeError NoSuchElementError NotSerializableError NullPointerError OperationTimeoutError
PartitionMigratingError QueryError QueryResultSizeExceededError SplitBrainProtectionError ReachedMaxSizeError
RejectedExecutionError ResponseAlreadySentError RetryableHazelcastError RetryableIOError HazelcastRuntimeError
SecurityError SocketError StaleSequenceError TargetDisconnectedError TargetNotMemberError HazelcastTimeoutError
TopicOverloadError TransactionError TransactionNotActiveError TransactionTimedOutError URISyntaxError
UTFDataFormatError UnsupportedOperationError WrongTargetError XAError AccessControlError LoginError
UnsupportedCallbackError NoDataMemberInClusterError ReplicatedMapCantBeCreatedOnLiteMemberError
MaxMessageSizeExceededError WANReplicationQueueFullError HazelcastAssertionError OutOfMemoryError StackOverflowError
NativeOutOfMemoryError ServiceNotFoundError StaleTaskIdError DuplicateTaskError StaleTaskError LocalMemberResetError
IndeterminateOperationStateError NodeIdOutOfRangeError TargetNotReplicaError MutationDisallowedError
ConsistencyLostError HazelcastClientNotActiveError HazelcastCertificationError ClientOfflineError
ClientNotAllowedInClusterError VersionMismatchError NoSuchMethodError NoSuchMethodException NoSuchFieldError
NoSuchFieldException NoClassDefFoundError UndefinedErrorCodeError SessionExpiredError WaitKeyCancelledError
LockAcquireLimitReachedError LockOwnershipLostError CPGroupDestroyedError CannotReplicateError LeaderDemotedError
StaleAppendRequestError NotLeaderError InvocationMightContainCompactDataError
""".split()

CLIENT_SIDE_ERRORS = [
    errors.ConfigurationError,
    errors.DuplicateInstanceNameError,
    errors.HazelcastClientNotActiveError,
    errors.HazelcastCertificationError,
    errors.ClientOfflineError,
    errors.ClientNotAllowedInClusterError,
    errors.UndefinedErrorCodeError,
    errors.InvocationMightContainCompactDataError,
    errors.HazelcastPluginError,
    errors.DuplicateServiceError,
]


def test_every_official_error_name_exists_and_is_a_hazelcast_error() -> None:
    assert len(OFFICIAL_ERROR_NAMES) == 103
    for name in OFFICIAL_ERROR_NAMES:
        assert name in errors.__all__
        assert issubclass(getattr(errors, name), HazelcastError)


def test_public_names_are_all_defined() -> None:
    for name in errors.__all__:
        assert hasattr(errors, name), name


# ----------------------------------------------------------------------------------------------------------------------
# The code table


@pytest.mark.parametrize("code", range(1, 100))
def test_each_code_maps_to_its_class(code: int) -> None:
    class_name, java_name = SERVER_ERRORS[code]
    error_class = getattr(errors, class_name)
    assert error_class_for_code(code) is error_class
    assert error_class.error_code == code
    assert error_class.java_class_name == java_name
    assert error_class.retryable is (code in RETRYABLE_CODES)


@pytest.mark.parametrize("code", range(1, 100))
def test_error_from_holder_and_back(code: int) -> None:
    class_name, java_name = SERVER_ERRORS[code]
    error = create_error_from_holders([Holder(code, java_name, f"failure {code}")])
    assert type(error) is getattr(errors, class_name)
    assert str(error) == f"failure {code}"
    assert error.server_class_name == java_name
    assert error_code_for(error) == (code, java_name)


@pytest.mark.parametrize("code", range(1, 100))
def test_locally_raised_error_reports_its_code(code: int) -> None:
    class_name, java_name = SERVER_ERRORS[code]
    assert error_code_for(getattr(errors, class_name)("local")) == (code, java_name)


@pytest.mark.parametrize("error_class", CLIENT_SIDE_ERRORS)
def test_client_side_errors_have_no_code(error_class: type[HazelcastError]) -> None:
    assert error_class.error_code == 0
    assert error_class.java_class_name is None
    assert error_class.retryable is False


@pytest.mark.parametrize("code", [0, 100, 1000, -1])
def test_unknown_codes_become_undefined_errors(code: int) -> None:
    assert error_class_for_code(code) is UndefinedErrorCodeError
    error = create_error_from_holders([Holder(code, "com.example.OddException", "odd")])
    assert type(error) is UndefinedErrorCodeError
    assert error.server_class_name == "com.example.OddException"
    assert "com.example.OddException" in str(error) and "odd" in str(error)
    # Passed on the way Java members do: code 0 with the original class name.
    assert error_code_for(error) == (0, "com.example.OddException")


def test_target_disconnected_is_not_retryable_by_class() -> None:
    # The invocation layer decides per request; by class alone the operation may already have run.
    assert TargetDisconnectedError.retryable is False
    assert is_retryable_error(TargetDisconnectedError("gone")) is False


def test_is_retryable_error() -> None:
    assert is_retryable_error(errors.WrongTargetError()) is True
    assert is_retryable_error(errors.HazelcastInstanceNotActiveError()) is True
    assert is_retryable_error(IllegalStateError()) is False
    assert is_retryable_error(ValueError()) is False


def test_retryable_is_inherited_by_user_subclasses() -> None:
    class MyMigrationError(errors.PartitionMigratingError):
        pass

    assert MyMigrationError.retryable is True


# ----------------------------------------------------------------------------------------------------------------------
# Builtin bases


@pytest.mark.parametrize(
    ("error_class", "builtin"),
    [
        (errors.IllegalArgumentError, ValueError),
        (errors.InvalidAddressError, ValueError),
        (errors.InvalidConfigurationError, ValueError),
        (errors.URISyntaxError, ValueError),
        (errors.ClassCastError, TypeError),
        (errors.IndexOutOfBoundsError, IndexError),
        (errors.ArrayIndexOutOfBoundsError, IndexError),
        (errors.NoSuchElementError, LookupError),
        (errors.HazelcastTimeoutError, TimeoutError),
        (errors.OperationTimeoutError, TimeoutError),
        (errors.TransactionTimedOutError, TimeoutError),
        (errors.TransactionTimedOutError, errors.TransactionError),
        (errors.HazelcastIOError, OSError),
        (errors.SocketError, OSError),
        (errors.RetryableIOError, OSError),
        (errors.HazelcastEOFError, EOFError),
        (errors.CallerNotMemberError, errors.RetryableHazelcastError),
        (errors.AccessControlError, errors.SecurityError),
        (errors.CacheLoaderError, errors.CacheError),
    ],
)
def test_builtin_and_family_bases(error_class: type[HazelcastError], builtin: type[BaseException]) -> None:
    assert issubclass(error_class, builtin)
    with pytest.raises(builtin):
        raise error_class("x")


def test_no_error_pretends_to_be_a_cancellation() -> None:
    # asyncio.CancelledError has a control-flow meaning; no Hazelcast error may be caught as one.
    for _, error_class in inspect.getmembers(errors, inspect.isclass):
        assert not issubclass(error_class, asyncio.CancelledError)


def test_os_error_based_classes_keep_the_message() -> None:
    error = errors.HazelcastIOError("disk full", ValueError("cause"))
    assert str(error) == "disk full"
    assert error.errno is None
    assert isinstance(error.__cause__, ValueError)


# ----------------------------------------------------------------------------------------------------------------------
# Error chains from members


def test_protocol_test_vector() -> None:
    # Wire protocol §13 example: one holder, code 27, "boom", one frame C.m with no file name and line 7.
    holder = Holder(27, "java.lang.IllegalStateException", "boom", [StackElement("C", "m", None, 7)])
    error = create_error_from_holders([holder])
    assert type(error) is IllegalStateError
    assert str(error) == "boom"
    assert error.server_class_name == "java.lang.IllegalStateException"
    assert error.server_stack_trace == "\tat C.m(Unknown Source)"
    assert error.__cause__ is None


def test_cause_chain() -> None:
    holders = [
        Holder(17, "java.util.concurrent.ExecutionException", "task failed"),
        Holder(23, "java.lang.IllegalArgumentException", "bad input"),
        Holder(37, "java.lang.NullPointerException", None),
    ]
    error = create_error_from_holders(holders)
    assert type(error) is errors.ExecutionError
    cause = error.__cause__
    assert type(cause) is IllegalArgumentError and str(cause) == "bad input"
    assert error.cause is cause
    root = cause.__cause__
    assert type(root) is errors.NullPointerError
    assert root.message is None and str(root) == "NullPointerError"
    assert root.__cause__ is None


def test_stack_trace_formats_like_java() -> None:
    elements = [
        StackElement("com.hazelcast.map.impl.MapProxy", "put", "MapProxy.java", 120),
        StackElement("sun.misc.Unsafe", "park", None, -2),
        StackElement("a.B", "c", "B.java", -1),
        StackElement("a.D", "e", None, 10),
    ]
    error = create_error_from_holders([Holder(48, "java.lang.RuntimeException", "x", elements)])
    assert error.server_stack_trace.splitlines() == [
        "\tat com.hazelcast.map.impl.MapProxy.put(MapProxy.java:120)",
        "\tat sun.misc.Unsafe.park(Native Method)",
        "\tat a.B.c(B.java)",
        "\tat a.D.e(Unknown Source)",
    ]


def test_local_errors_have_no_server_details() -> None:
    error = IllegalStateError("local")
    assert error.server_class_name is None
    assert error.server_stack_trace == ""


def test_subclass_without_a_code_keeps_its_java_name() -> None:
    holder = Holder(18, "com.hazelcast.sql.impl.QueryException", "bad sql")
    error = create_error_from_holders([holder])
    assert type(error) is HazelcastError
    assert str(error) == "com.hazelcast.sql.impl.QueryException: bad sql"
    assert error_code_for(error) == (18, "com.hazelcast.sql.impl.QueryException")


def test_empty_chain_is_rejected() -> None:
    with pytest.raises(ValueError):
        create_error_from_holders([])


def test_server_errors_survive_pickling() -> None:
    error = create_error_from_holders([Holder(27, "java.lang.IllegalStateException", "boom")])
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is IllegalStateError
    assert str(copy) == "boom"
    assert copy.server_class_name == "java.lang.IllegalStateException"


# ----------------------------------------------------------------------------------------------------------------------
# error_code_for on errors that are not Hazelcast's


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ValueError("v"), (23, "java.lang.IllegalArgumentException")),
        (TypeError("t"), (23, "java.lang.IllegalArgumentException")),
        (KeyError("k"), (35, "java.util.NoSuchElementException")),
        (IndexError("i"), (29, "java.lang.IndexOutOfBoundsException")),
        (TimeoutError(), (54, "java.util.concurrent.TimeoutException")),
        (asyncio.TimeoutError(), (54, "java.util.concurrent.TimeoutException")),
        (asyncio.CancelledError(), (9, "java.util.concurrent.CancellationException")),
        (PermissionError(), (49, "java.lang.SecurityException")),
        (ConnectionResetError(), (22, "java.io.IOException")),
        (EOFError(), (15, "java.io.EOFException")),
        (NotImplementedError(), (61, "java.lang.UnsupportedOperationException")),
        (AssertionError(), (71, "java.lang.AssertionError")),
        (RecursionError(), (73, "java.lang.StackOverflowError")),
        (MemoryError(), (72, "java.lang.OutOfMemoryError")),
        (ZeroDivisionError(), (48, "java.lang.RuntimeException")),
        (RuntimeError(), (48, "java.lang.RuntimeException")),
        (KeyboardInterrupt(), (48, "java.lang.RuntimeException")),
    ],
)
def test_error_code_for_builtins(exc: BaseException, expected: tuple[int, str]) -> None:
    assert error_code_for(exc) == expected


def test_error_code_for_client_side_and_user_errors() -> None:
    class UserArgumentError(IllegalArgumentError):
        pass

    assert UserArgumentError.error_code == 0
    assert error_code_for(UserArgumentError("x")) == (23, "java.lang.IllegalArgumentException")
    assert error_code_for(HazelcastClientNotActiveError()) == (18, "com.hazelcast.core.HazelcastException")
    assert error_code_for(PluginNotInstalledError("x")) == (18, "com.hazelcast.core.HazelcastException")


# ----------------------------------------------------------------------------------------------------------------------
# Constructors and messages


def test_hazelcast_error_message_and_cause() -> None:
    cause = OSError("reset")
    error = HazelcastError("outer", cause)
    assert str(error) == "outer"
    assert error.message == "outer"
    assert error.__cause__ is cause
    assert str(HazelcastError()) == "HazelcastError"


def test_client_side_default_messages() -> None:
    assert str(HazelcastClientNotActiveError()) == "Client is not active"
    assert str(ClientOfflineError()) == "No connection found to cluster"
    assert "Compact" in str(InvocationMightContainCompactDataError())
    assert str(ClientOfflineError("custom")) == "custom"


def test_plugin_not_installed_error() -> None:
    error = PluginNotInstalledError("hazelcast-collections", "HazelcastClient.get_map")
    assert isinstance(error, HazelcastPluginError)
    assert error.distribution == "hazelcast-collections"
    assert "pip install hazelcast-collections" in str(error)
    assert str(error).startswith("HazelcastClient.get_map requires")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.distribution, copy.feature, str(copy)) == (error.distribution, error.feature, str(error))


def test_duplicate_service_error_is_a_plugin_error() -> None:
    assert issubclass(DuplicateServiceError, HazelcastPluginError)
    assert issubclass(HazelcastPluginError, HazelcastError)
