"""The member side of IExecutorService: tasks clients submit, run by the Python classes plugins register.

A task arrives as an IdentifiedDataSerializable object. The member deserializes it with the server classes
registered through the ``hazelcast_embedded_server_classes`` hook (``ServerClass(factory_id, class_id, factory)``)
and calls its **``call()``** method with no arguments:

* ``call()`` may return a value, or an awaitable (``async def call(self)``): the member awaits it on its event loop,
  so an asynchronous task can wait without holding up the member;
* the result is serialized back to the client (None answers null);
* an exception is the client's error (a ``hazelcast.errors`` class keeps its protocol code, ``ValueError`` is
  ``IllegalArgumentException``...).

A synchronous ``call()`` runs on the member's event loop, as handlers do: keep it short. A task of a class the member
does not know fails with ``HazelcastSerializationException``, as on a Java member without the class.

``submitToPartition`` runs on the owner of the partition the client chose (a key's owner); ``submitToMember`` on
the member it names (``TargetNotMemberException`` if it is not in the cluster). Each member has, per executor
name, a pool of ``pool-size`` running tasks; the tasks beyond wait in a queue of ``queue-capacity`` (0: unbounded)
and a full queue rejects with ``RejectedExecutionException``. ``shutdown`` stops the executor on every member:
running and queued tasks finish, new ones are rejected; destroying the executor forgets that it was shut down.

Configuration, section ``executor-service`` (keys of hazelcast.yaml): ``pool-size`` (default 16),
``queue-capacity`` (default 0), and ``statistics-enabled`` (accepted so that snippets load; the embedded member keeps
no statistics).
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec, StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError, RejectedExecutionError, TargetNotMemberError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = ["EXECUTOR_CONFIG_SECTION", "EXECUTOR_SERVICE", "EXECUTOR_SERVICE_NAME", "ExecutorConfig"]

EXECUTOR_SERVICE_NAME = "hz:impl:executorService"
_logger = structlog.get_logger("hazelcast.embedded.executor")


@dataclass(frozen=True, slots=True)
class ExecutorConfig:
    """Per-executor settings under ``executor-service:``."""

    pool_size: int = 16
    queue_capacity: int = 0
    statistics_enabled: bool = True

    def __post_init__(self) -> None:
        if self.pool_size < 1:
            raise InvalidConfigurationError(f"pool-size must be >= 1, got {self.pool_size}")
        if self.queue_capacity < 0:
            raise InvalidConfigurationError(f"queue-capacity must be >= 0, got {self.queue_capacity}")


EXECUTOR_CONFIG_SECTION = StructureConfigSpec(section="executor-service", settings_type=ExecutorConfig)


class _Pool:
    """The running and queued tasks of one executor on one member."""

    __slots__ = ("config", "running", "queued")

    def __init__(self, config: ExecutorConfig) -> None:
        self.config = config
        self.running = 0
        self.queued: deque[tuple[MemberRequest, Any]] = deque()


# Cluster -> names of the executors that were shut down.
_SHUT_DOWN: weakref.WeakKeyDictionary[EmbeddedCluster, set[str]] = weakref.WeakKeyDictionary()


def _shut_down(cluster: EmbeddedCluster) -> set[str]:
    return _SHUT_DOWN.setdefault(cluster, set())


def _pool(member: EmbeddedMember, name: str) -> _Pool:
    pools = member.service_states.get(EXECUTOR_SERVICE_NAME)
    if pools is None:
        pools = member.service_states[EXECUTOR_SERVICE_NAME] = {}
    pool = pools.get(name)
    if pool is None:
        pool = pools[name] = _Pool(member.cluster.structure_configs.lookup("executor-service", name))
    return pool


def _submit(request: MemberRequest, member: EmbeddedMember, name: str, task_data: bytes) -> Any:
    cluster = request.cluster
    if name in _shut_down(cluster):
        raise RejectedExecutionError(f"executor {name!r} is shut down")
    task = cluster.to_object(task_data)
    if not callable(getattr(task, "call", None)):
        raise TypeError(f"the task {type(task).__name__} has no call() method")
    pool = _pool(member, name)
    if pool.running >= pool.config.pool_size:
        if pool.config.queue_capacity and len(pool.queued) >= pool.config.queue_capacity:
            raise RejectedExecutionError(f"executor {name!r} is full on member {member.address}")
        pool.queued.append((request, task))
        return PENDING
    _start(request, member, pool, task)
    return PENDING


def _start(request: MemberRequest, member: EmbeddedMember, pool: _Pool, task: Any) -> None:
    pool.running += 1
    try:
        result = task.call()
    except Exception as error:
        _finish(member, pool)
        request.fail(error)
        return
    if not inspect.isawaitable(result):
        _finish(member, pool)
        _respond(request, result)
        return

    async def run() -> Any:
        return await result

    running = asyncio.get_running_loop().create_task(run())

    def done(finished: asyncio.Task[Any]) -> None:
        _finish(member, pool)
        if finished.cancelled():
            request.fail(asyncio.CancelledError())
        elif (error := finished.exception()) is not None:
            request.fail(error)
        else:
            _respond(request, finished.result())

    running.add_done_callback(done)


def _respond(request: MemberRequest, result: Any) -> None:
    try:
        data = request.cluster.to_data(result)
    except Exception as error:
        request.fail(error)
        return
    request.respond(data)


def _finish(member: EmbeddedMember, pool: _Pool) -> None:
    pool.running -= 1
    while pool.queued and pool.running < pool.config.pool_size:
        request, task = pool.queued.popleft()
        if request.done or request.connection.closed or not member.alive:
            continue
        _start(request, member, pool, task)


def executor_submit_to_partition(request: MemberRequest) -> Any:
    params = request.params
    return _submit(request, request.member, params.name, params.callable)


def executor_submit_to_member(request: MemberRequest) -> Any:
    params = request.params
    target = next((m for m in request.cluster.live_members if m.uuid == params.member_uuid), None)
    if target is None:
        raise TargetNotMemberError(f"no member {params.member_uuid} in the cluster")
    return _submit(request, target, params.name, params.callable)


def executor_shutdown(request: MemberRequest) -> None:
    _shut_down(request.cluster).add(request.params)


def executor_is_shutdown(request: MemberRequest) -> bool:
    return request.params in _shut_down(request.cluster)


def executor_cancel(request: MemberRequest) -> bool:
    # Tasks run to completion once started: like a Java member asked to cancel a running task without interrupt.
    return False


def _destroy(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
    _shut_down(cluster).discard(name)


EXECUTOR_SERVICE = MemberServiceSpec(
    name="ExecutorService",
    handlers={
        "ExecutorService.submitToPartition": executor_submit_to_partition,
        "ExecutorService.submitToMember": executor_submit_to_member,
        "ExecutorService.shutdown": executor_shutdown,
        "ExecutorService.isShutdown": executor_is_shutdown,
        "ExecutorService.cancelOnPartition": executor_cancel,
        "ExecutorService.cancelOnMember": executor_cancel,
    },
    object_service_names=(EXECUTOR_SERVICE_NAME,),
    destroy_object=_destroy,
)
