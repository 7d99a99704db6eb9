"""The member side of IQueue: the Queue protocol messages over the queue's state in the partition of its name.

Blocking calls park on the cluster's wait queues (:mod:`hazelcast.embedded.waiters`): ``take`` and ``poll(timeout)``
on the queue's *takers*, ``put`` and ``offer(timeout)`` on its *putters*. Whatever adds items wakes the takers,
whatever removes items wakes the putters, oldest waiter first. A parked request whose client connection closed is
dropped without running, so it never consumes an item nobody will receive; one whose timeout elapses is answered
with null (``poll``) or false (``offer``). Destroying the queue fails its waiters with
``DistributedObjectDestroyedException``. With ``empty-queue-ttl`` set, a queue that stays empty that many seconds,
with no consumer waiting, is destroyed (a ``DESTROYED`` distributed-object event tells the clients).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.collection.handlers import CollectionHandlers
from hazelcast.embedded.collection.state import ITEM_ADDED, ITEM_REMOVED, mutate
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.waiters import WaitQueue, drop_waiters, waiters_of
from hazelcast.errors import DistributedObjectDestroyedError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["QUEUE_SERVICE", "QUEUE_SERVICE_NAME", "QueueState"]

#: The distributed-object service name of queues.
QUEUE_SERVICE_NAME = "hz:impl:queueService"
_MAX_INT = 2**31 - 1


class QueueState:
    """The items of one queue (serialized ``Data``, head first): a :class:`~hazelcast.embedded.spec.PartitionState`."""

    __slots__ = ("items", "capacity", "backup_count", "emptied_at")

    def __init__(self, capacity: int, backup_count: int) -> None:
        self.capacity = capacity
        self.backup_count = backup_count
        self.items: deque[bytes] = deque()
        #: Loop time at which the queue last became empty (for ``empty-queue-ttl``); None while it holds items.
        self.emptied_at: float | None = None

    def copy(self) -> QueueState:
        clone = self.new_backup()
        clone.items = self.items.copy()
        clone.emptied_at = self.emptied_at
        return clone

    def new_backup(self) -> QueueState:
        return QueueState(self.capacity, self.backup_count)


_QUEUES: CollectionHandlers[QueueState] = CollectionHandlers(
    "Queue",
    QUEUE_SERVICE_NAME,
    "queue",
    lambda config: QueueState(config.capacity, config.total_backup_count),
    deque,
)


def _takers(request: MemberRequest, name: str) -> WaitQueue:
    return waiters_of(request.cluster, (QUEUE_SERVICE_NAME, name, "take"))


def _putters(request: MemberRequest, name: str) -> WaitQueue:
    return waiters_of(request.cluster, (QUEUE_SERVICE_NAME, name, "put"))


# -- the mutations every handler and woken waiter goes through ------------------------------------------------------


def _append(request: MemberRequest, name: str, state: QueueState, values: list[bytes]) -> None:
    """Add items at the tail (the caller then answers its request and wakes the takers)."""

    def append(target: QueueState) -> bool:
        target.items.extend(values)
        return True

    mutate(request, state, _QUEUES.key(name), append)
    state.emptied_at = None
    _QUEUES.events.publish(request, _QUEUES.key(name), values, ITEM_ADDED)


def _pop_head(request: MemberRequest, name: str, state: QueueState, count: int) -> list[bytes]:
    """Remove up to ``count`` items from the head (the caller then answers its request and wakes the putters)."""
    count = min(count, len(state.items))
    if count <= 0:
        return []
    taken = [state.items[index] for index in range(count)]

    def pop(target: QueueState) -> bool:
        for _ in range(count):
            target.items.popleft()
        return True

    mutate(request, state, _QUEUES.key(name), pop)
    _QUEUES.events.publish(request, _QUEUES.key(name), taken, ITEM_REMOVED)
    _note_if_empty(request, name, state)
    return taken


def _remove_where(request: MemberRequest, name: str, removed: Iterable[bytes], keep: Any) -> bool:
    """Remove the items for which ``keep(item)`` is false (``removed`` lists them, for the events)."""
    removed = list(removed)
    state = request.find_state(_QUEUES.key(name))
    if state is None or not removed:
        return False

    def filter_items(target: QueueState) -> bool:
        target.items = deque(item for item in target.items if keep(item))
        return True

    mutate(request, state, _QUEUES.key(name), filter_items)
    _QUEUES.events.publish(request, _QUEUES.key(name), removed, ITEM_REMOVED)
    _note_if_empty(request, name, state)
    _putters(request, name).notify()
    return True


def _note_if_empty(request: MemberRequest, name: str, state: QueueState) -> None:
    """Start the ``empty-queue-ttl`` clock of a queue that just became empty."""
    if state.items:
        return
    ttl = request.cluster.structure_configs.lookup("queue", name).empty_queue_ttl
    if ttl < 0:
        return
    loop = asyncio.get_running_loop()
    emptied_at = state.emptied_at = loop.time()
    loop.call_later(ttl, _purge_if_still_empty, request.cluster, name, emptied_at)


def _purge_if_still_empty(cluster: EmbeddedCluster, name: str, emptied_at: float) -> None:
    if not cluster.live_members:
        return
    partition_id = cluster.name_partition_id(name)
    owner = cluster.owner_of(partition_id)
    state = owner.partitions[partition_id].get(_QUEUES.key(name))
    if not isinstance(state, QueueState) or state.items or state.emptied_at != emptied_at:
        return  # refilled (or already gone) since
    if waiters_of(cluster, (QUEUE_SERVICE_NAME, name, "take")).has_waiters:
        return  # in use: a consumer waits on it
    cluster.destroy_object(QUEUE_SERVICE_NAME, name, owner)


# -- producers --------------------------------------------------------------------------------------------------------


def _try_offer(request: MemberRequest, respond_with: Any) -> bool:
    params = request.params
    state = _QUEUES.state(request, params.name)
    if len(state.items) >= state.capacity:
        return False
    _append(request, params.name, state, [params.value])
    # Answered before the takers wake, so that the producer hears back first.
    request.respond(respond_with)
    _takers(request, params.name).notify()
    return True


def queue_offer(request: MemberRequest) -> Any:
    params = request.params
    putters = _putters(request, params.name)
    if not putters.has_waiters and _try_offer(request, True):
        return PENDING
    if params.timeout_millis <= 0:
        return False
    return putters.park(request, params.timeout_millis, False, attempt=lambda parked: _try_offer(parked, True))


def queue_put(request: MemberRequest) -> Any:
    putters = _putters(request, request.params.name)
    if not putters.has_waiters and _try_offer(request, None):
        return PENDING
    return putters.park(request, -1, None, attempt=lambda parked: _try_offer(parked, None))


def queue_add_all(request: MemberRequest) -> Any:
    params = request.params
    state = _QUEUES.state(request, params.name)
    values = params.data_list
    if not values or len(state.items) + len(values) > state.capacity:
        return False
    _append(request, params.name, state, list(values))
    request.respond(True)
    _takers(request, params.name).notify()
    return PENDING


# -- consumers --------------------------------------------------------------------------------------------------------


def _try_poll(request: MemberRequest) -> bool:
    name = request.params if isinstance(request.params, str) else request.params.name
    state = request.find_state(_QUEUES.key(name))
    if state is None or not state.items:
        return False
    head = _pop_head(request, name, state, 1)[0]
    # Answered before the putters wake, so that the consumer hears back first.
    request.respond(head)
    _putters(request, name).notify()
    return True


def queue_poll(request: MemberRequest) -> Any:
    params = request.params
    takers = _takers(request, params.name)
    if not takers.has_waiters and _try_poll(request):
        return PENDING
    if params.timeout_millis <= 0:
        return None
    return takers.park(request, params.timeout_millis, None, attempt=_try_poll)


def queue_take(request: MemberRequest) -> Any:
    takers = _takers(request, request.params)
    if not takers.has_waiters and _try_poll(request):
        return PENDING
    return takers.park(request, -1, None, attempt=_try_poll)


def _drain(request: MemberRequest, name: str, max_size: int) -> list[bytes]:
    state = request.find_state(_QUEUES.key(name))
    if state is None:
        return []
    drained = _pop_head(request, name, state, max_size)
    if drained:
        request.respond(drained)
        _putters(request, name).notify()
        return PENDING  # type: ignore[return-value]
    return drained


def queue_drain_to(request: MemberRequest) -> list[bytes]:
    return _drain(request, request.params, _MAX_INT)


def queue_drain_to_max_size(request: MemberRequest) -> list[bytes]:
    params = request.params
    return _drain(request, params.name, params.max_size if params.max_size >= 0 else _MAX_INT)


def queue_remove(request: MemberRequest) -> bool:
    params = request.params
    state = request.find_state(_QUEUES.key(params.name))
    if state is None or params.value not in state.items:
        return False

    def remove_first(target: QueueState) -> bool:
        target.items.remove(params.value)
        return True

    mutate(request, state, _QUEUES.key(params.name), remove_first)
    _QUEUES.events.publish(request, _QUEUES.key(params.name), [params.value], ITEM_REMOVED)
    _note_if_empty(request, params.name, state)
    _putters(request, params.name).notify()
    return True


def queue_compare_and_remove_all(request: MemberRequest) -> bool:
    params = request.params
    state = request.find_state(_QUEUES.key(params.name))
    unwanted = set(params.data_list)
    removed = [item for item in state.items if item in unwanted] if state is not None else []
    return _remove_where(request, params.name, removed, lambda item: item not in unwanted)


def queue_compare_and_retain_all(request: MemberRequest) -> bool:
    params = request.params
    state = request.find_state(_QUEUES.key(params.name))
    wanted = set(params.data_list)
    removed = [item for item in state.items if item not in wanted] if state is not None else []
    return _remove_where(request, params.name, removed, lambda item: item in wanted)


def queue_clear(request: MemberRequest) -> None:
    name = request.params
    state = request.find_state(_QUEUES.key(name))
    if state is not None and state.items:
        _remove_where(request, name, list(state.items), lambda item: False)


# -- reads ------------------------------------------------------------------------------------------------------------


def queue_peek(request: MemberRequest) -> bytes | None:
    items = _QUEUES.items(request, request.params)
    return items[0] if items else None


def queue_remaining_capacity(request: MemberRequest) -> int:
    state = _QUEUES.state(request, request.params)
    return state.capacity - len(state.items)


def _destroy(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
    CollectionHandlers.destroy(cluster, service_name, name)
    error = DistributedObjectDestroyedError(f"queue {name!r} was destroyed")
    drop_waiters(cluster, (QUEUE_SERVICE_NAME, name, "take"), error)
    drop_waiters(cluster, (QUEUE_SERVICE_NAME, name, "put"), error)


QUEUE_SERVICE = _QUEUES.service_spec(
    {
        "Queue.offer": queue_offer,
        "Queue.put": queue_put,
        "Queue.addAll": queue_add_all,
        "Queue.poll": queue_poll,
        "Queue.take": queue_take,
        "Queue.drainTo": queue_drain_to,
        "Queue.drainToMaxSize": queue_drain_to_max_size,
        "Queue.remove": queue_remove,
        "Queue.compareAndRemoveAll": queue_compare_and_remove_all,
        "Queue.compareAndRetainAll": queue_compare_and_retain_all,
        "Queue.clear": queue_clear,
        "Queue.peek": queue_peek,
        "Queue.iterator": _QUEUES.get_all,
        "Queue.remainingCapacity": queue_remaining_capacity,
    },
    destroy=_destroy,
)
