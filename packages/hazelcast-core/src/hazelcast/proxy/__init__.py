"""The base of every distributed-object proxy, and what a proxy gets from its client.

Plugins subclass :class:`Proxy` (``Map``, ``Queue``, a third party's type...) and use the helpers here to send requests:
``self._invoke_on_key(request, key_data, decoder)`` routes to the key's partition owner, ``self._invoke(request,
decoder)`` to any member, ``self._invoke_on_partition(request, partition_id, decoder)`` to a chosen partition.
"""

from __future__ import annotations

import asyncio
import pkgutil
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from hazelcast.protocol import method
from hazelcast.protocol.codec import reads_one_data_frame
from hazelcast.protocol.frames import Message

# Proxy distributions add modules at the official client's import paths (``hazelcast.proxy.ringbuffer``...): the
# package spans every installed distribution's ``hazelcast/proxy`` folder.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)

if TYPE_CHECKING:
    from hazelcast._internal.callbacks import CallbackRunner
    from hazelcast._internal.cluster import ClusterService
    from hazelcast._internal.connection import ConnectionManager
    from hazelcast._internal.invocation import InvocationService
    from hazelcast._internal.lifecycle import LifecycleService
    from hazelcast._internal.listener import ListenerService
    from hazelcast._internal.partition import PartitionService
    from hazelcast._internal.proxy_manager import ProxyManager
    from hazelcast.config import Config
    from hazelcast.serialization import SerializationService

__all__ = ["Proxy", "ProxyContext", "await_all", "check_not_none", "task_id", "to_millis"]

# The proxy distributions add modules here at the official client's import paths (``hazelcast.proxy.map``...): this
# package is regular, so its path is extended over every installed distribution's ``hazelcast/proxy`` folder.
__path__ = pkgutil.extend_path(__path__, __name__)

_DESTROY_PROXY = method("Client.destroyProxy")
ResultType = TypeVar("ResultType")


@dataclass(frozen=True, slots=True)
class ProxyContext:
    """The client's services, as proxies and plugin services see them."""

    config: Config
    loop: asyncio.AbstractEventLoop
    serialization_service: SerializationService
    invocation_service: InvocationService
    partition_service: PartitionService
    cluster_service: ClusterService
    listener_service: ListenerService
    connection_manager: ConnectionManager
    lifecycle_service: LifecycleService
    proxy_manager: ProxyManager
    callbacks: CallbackRunner
    client: Any


def check_not_none(value: Any, name: str) -> None:
    """Reject None where the cluster does not allow it (keys, values, ...)."""
    if value is None:
        raise ValueError(f"{name} must not be None")


def to_millis(seconds: float | None) -> int:
    """Seconds as the protocol's milliseconds; None means 'the member's configured default' (-1)."""
    if seconds is None:
        return -1
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"a duration in seconds must be a number, not {type(seconds).__name__}")
    return int(seconds * 1000)


def _running_tasks_lookup() -> Callable[[asyncio.AbstractEventLoop], asyncio.Task[Any] | None] | None:
    """The C dict lookup behind ``asyncio.current_task(loop)`` on CPython 3.11, whose ``current_task`` is a Python
    wrapper around it (3.12 and later implement ``current_task`` in C: nothing to skip there)."""
    if sys.version_info >= (3, 12) or asyncio.Task is not getattr(sys.modules.get("_asyncio"), "Task", None):
        return None
    from _asyncio import _current_tasks  # type: ignore[attr-defined,unused-ignore]

    return _current_tasks.get  # type: ignore[no-any-return]


_running_task_of = _running_tasks_lookup()


def task_id(loop: asyncio.AbstractEventLoop | None = None) -> int:
    """Stands for the protocol's thread id: locks are owned by the asyncio task that took them.

    Passing the running ``loop`` saves looking it up (this runs on every keyed request).
    """
    if loop is not None and _running_task_of is not None:
        task = _running_task_of(loop)
    else:
        task = asyncio.current_task(loop)
    return id(task) if task is not None else 0


async def await_all(invocations: list[Awaitable[ResultType]]) -> list[ResultType]:
    """The results of requests already sent, in order (a per-partition fan-out: ``put_all``, ``get_all``...).

    Cheaper than ``asyncio.gather``, which adds a done callback to every future and runs it in a loop turn of its own:
    here each answer that is already in when its turn comes costs nothing more. The first failure is raised and the
    rest are cancelled (their requests may still be carried out); so is everything if the caller is cancelled.
    """
    results = []
    try:
        for invocation in invocations:
            results.append(await invocation)
    except BaseException:
        for invocation in invocations:
            future = cast("asyncio.Future[ResultType]", invocation)
            if not future.done():
                future.cancel()
            elif not future.cancelled():
                future.exception()  # retrieved: no "exception was never retrieved" warning for the others
        raise
    return results


class _known_once_computed:  # noqa: N801 - used as a decorator, like property
    """Like ``functools.cached_property`` for an int that is -1 while unknown: the value is stored on the instance only
    once it is known (>= 0), after which reading it is a plain attribute read, not a call."""

    def __init__(self, compute: Callable[[Any], int]) -> None:
        self._compute = compute
        self.__doc__ = compute.__doc__
        self._name = compute.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self._compute(instance)
        if value >= 0:
            instance.__dict__[self._name] = value
        return value


class Proxy:
    """A client-side handle of a distributed object named ``name`` in service ``service_name``."""

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        self.service_name = service_name
        self.name = name
        self._context = context
        self._loop = context.loop
        serialization = context.serialization_service
        self._to_data = serialization.to_data
        # For a value that goes straight into one request (Map.set, Map.put): a large bytes value is not copied.
        self._to_value_data = getattr(serialization, "to_value_data", self._to_data)
        self._to_object = serialization.to_object
        self._invocations = context.invocation_service
        self._call = context.invocation_service.call
        self._partition_of = context.partition_service.partition_id_of_data

    @_known_once_computed
    def _name_partition(self) -> int:
        """The partition of a name-partitioned object (queue, list, set, ringbuffer, topic...).

        It is the partition of the name, or of the text after its '@' (``"orders@eu"`` lives with every object whose
        name ends in ``@eu``), as members place them. -1 while the partition count is unknown (before the first
        connection), and then worked out again on the next call; once known, a plain attribute of the proxy.
        """
        _, at, partition_key = self.name.partition("@")
        return self._partition_of(self._to_data(partition_key if at else self.name))

    def _deserializing(self, decode: Callable[[Message], Any]) -> Callable[[Message], Any]:
        """A response decoder that also deserializes the decoded Data.

        Deserializing while the response is handled, not after the caller resumes, lets the client fetch a Compact
        schema it meets anywhere in the value and handle the response again.
        """
        to_object = self._to_object
        if reads_one_data_frame(decode):

            def deserialize_frame(message: Message) -> Any:
                return to_object(message[1][1])  # the null frame's payload is empty: None

            return deserialize_frame

        def decode_object(message: Message) -> Any:
            return to_object(decode(message))

        return decode_object

    # Each helper resolves with its decoder's result (None without a decoder).

    @overload
    def _invoke(self, request: bytearray, decoder: None = None, retryable: bool = False) -> Awaitable[None]: ...

    @overload
    def _invoke(
        self, request: bytearray, decoder: Callable[[Message], ResultType] = ..., retryable: bool = False
    ) -> Awaitable[ResultType]: ...

    def _invoke(
        self, request: bytearray, decoder: Callable[[Message], Any] | None = None, retryable: bool = False
    ) -> Awaitable[Any]:
        return self._call(request, -1, decoder, retryable)

    @overload
    def _invoke_on_key(
        self, request: bytearray, key_data: bytes, decoder: None = None, retryable: bool = False
    ) -> Awaitable[None]: ...

    @overload
    def _invoke_on_key(
        self, request: bytearray, key_data: bytes, decoder: Callable[[Message], ResultType] = ...,
        retryable: bool = False,
    ) -> Awaitable[ResultType]: ...

    def _invoke_on_key(
        self, request: bytearray, key_data: bytes, decoder: Callable[[Message], Any] | None = None,
        retryable: bool = False,
    ) -> Awaitable[Any]:
        return self._call(request, self._partition_of(key_data), decoder, retryable)

    @overload
    def _invoke_on_partition(
        self, request: bytearray, partition_id: int, decoder: None = None, retryable: bool = False
    ) -> Awaitable[None]: ...

    @overload
    def _invoke_on_partition(
        self, request: bytearray, partition_id: int, decoder: Callable[[Message], ResultType] = ...,
        retryable: bool = False,
    ) -> Awaitable[ResultType]: ...

    def _invoke_on_partition(
        self, request: bytearray, partition_id: int, decoder: Callable[[Message], Any] | None = None,
        retryable: bool = False,
    ) -> Awaitable[Any]:
        return self._call(request, partition_id, decoder, retryable)

    async def destroy(self) -> bool:
        """Destroy this object on the cluster, with all its data; True if this call destroyed it."""
        return await self._context.proxy_manager.destroy_proxy(self.service_name, self.name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"
