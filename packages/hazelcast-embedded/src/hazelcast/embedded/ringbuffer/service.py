"""The member side of Ringbuffer: handlers of the Ringbuffer protocol messages.

A ringbuffer lives in the partition of its name, on the owner and its backup replicas; every add is copied to the
backups (with the same sequences), so a member that dies loses nothing. Items with a time to live are dropped when an
operation meets them and by a sweep every :data:`EXPIRY_SWEEP_INTERVAL_SECONDS`, on owners and backups alike.

Reads follow a Java member:

* ``readOne(sequence)``: a sequence below the head fails with ``StaleSequenceException``, one beyond ``tail + 1``
  with ``IllegalArgumentException``; ``tail + 1`` parks the request until that item is added.
* ``readMany(start, min, max, filter)``: the start is clamped to ``[head, tail + 1]`` (a reader that fell behind
  sees the gap in the response's sequences); up to ``max`` items that pass the filter are returned, and the request
  parks until at least ``min`` did. ``readCount`` counts every item read, filtered out or not.

The filter is an IdentifiedDataSerializable object the client sent; the member creates it from the Python classes
that plugins register through ``hazelcast_embedded_server_classes`` and calls ``filter.test(item)`` on each
deserialized item (``filter.apply(item)`` for a class that defines only that, as Java's ``IFunction``): a true result
keeps the item.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.ringbuffer.container import RingbufferContainer
from hazelcast.embedded.ringbuffer.waiting import ReadWaiter, Waiters
from hazelcast.embedded.spec import MemberServiceSpec, PeriodicTask, StateKey
from hazelcast.errors import DistributedObjectDestroyedError, StaleSequenceError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["EXPIRY_SWEEP_INTERVAL_SECONDS", "RINGBUFFER_SERVICE", "RINGBUFFER_SERVICE_NAME", "sweep_expired_items"]

#: The distributed-object service name of ringbuffers (``Client.createProxy``/``destroyProxy``).
RINGBUFFER_SERVICE_NAME = "hz:impl:ringbufferService"
EXPIRY_SWEEP_INTERVAL_SECONDS = 1.0
#: Most items one readMany may ask for, as on a Java member.
MAX_BATCH_SIZE = 1000


def _now() -> int:
    return time.time_ns() // 1_000_000


def _container(request: MemberRequest, name: str) -> tuple[RingbufferContainer, StateKey]:
    """The owner's ringbuffer ``name`` (created with its configuration when missing), its expired items dropped."""
    key = (RINGBUFFER_SERVICE_NAME, name)
    states = request.member.partitions[request.partition_id]
    # A partition holds every service's states; the ones under this service's keys are ringbuffers.
    container = cast("RingbufferContainer | None", states.get(key))
    if container is None:
        container = RingbufferContainer(request.cluster.structure_configs.lookup("ringbuffer", name))
        states[key] = container
    else:
        container.cleanup(_now())
    return container, key


# -- queries ----------------------------------------------------------------------------------------------------------


def ringbuffer_size(request: MemberRequest) -> int:
    return _container(request, request.params)[0].size()


def ringbuffer_tail_sequence(request: MemberRequest) -> int:
    return _container(request, request.params)[0].tail


def ringbuffer_head_sequence(request: MemberRequest) -> int:
    return _container(request, request.params)[0].head


def ringbuffer_capacity(request: MemberRequest) -> int:
    return _container(request, request.params)[0].capacity


def ringbuffer_remaining_capacity(request: MemberRequest) -> int:
    return _container(request, request.params)[0].remaining_capacity()


# -- writes -----------------------------------------------------------------------------------------------------------


def _add(request: MemberRequest, name: str, items: list[bytes], overflow_policy: int) -> int:
    if not items:
        raise ValueError("there must be at least one item to add")
    if len(items) > MAX_BATCH_SIZE:
        raise ValueError(f"at most {MAX_BATCH_SIZE} items may be added at once, got {len(items)}")
    if any(item is None for item in items):
        raise ValueError("a ringbuffer item must not be null")
    container, key = _container(request, name)
    sequence = container.add(items, overflow_policy, _now())
    if sequence == -1:
        return -1
    if container.backup_count:
        first = sequence - len(items) + 1
        expires_at = container.expires.get(sequence, 0)
        request.backup(container, key, lambda backup: backup.store(first, items, expires_at))
    Waiters.of(request.cluster).wake(name, container, _answer)
    return sequence


def ringbuffer_add(request: MemberRequest) -> int:
    params = request.params
    return _add(request, params.name, [params.value], params.overflow_policy)


def ringbuffer_add_all(request: MemberRequest) -> int:
    params = request.params
    return _add(request, params.name, list(params.value_list), params.overflow_policy)


# -- reads ------------------------------------------------------------------------------------------------------------


def _answer(waiter: ReadWaiter, container: RingbufferContainer) -> None:
    request = waiter.request
    if not waiter.single:
        request.respond(waiter.result())
        return
    sequence = waiter.next_sequence
    if sequence < container.head:
        request.fail(_stale(sequence, container))
    else:
        request.respond(container.items[sequence])


def _stale(sequence: int, container: RingbufferContainer) -> StaleSequenceError:
    return StaleSequenceError(
        f"sequence {sequence} is too small: the head sequence is {container.head}, the tail {container.tail}"
    )


def ringbuffer_read_one(request: MemberRequest) -> Any:
    params = request.params
    sequence = params.sequence
    container, _ = _container(request, params.name)
    if sequence < container.head:
        raise _stale(sequence, container)
    if sequence > container.tail + 1:
        raise ValueError(f"sequence {sequence} is too large: the tail sequence is {container.tail}")
    if sequence <= container.tail:
        return container.items[sequence]
    Waiters.of(request.cluster).park(params.name, ReadWaiter(request, sequence, 1, 1, None, single=True))
    return PENDING


def _filter_of(request: MemberRequest, filter_data: bytes | None) -> Callable[[bytes], bool] | None:
    if filter_data is None:
        return None
    cluster = request.cluster
    to_object = cluster.to_object
    server_filter = to_object(filter_data)
    test = getattr(server_filter, "test", None) or getattr(server_filter, "apply", None)
    if test is None:
        raise ValueError(f"the ringbuffer filter {type(server_filter).__name__} has neither test() nor apply()")
    return lambda item: bool(test(to_object(item)))


def ringbuffer_read_many(request: MemberRequest) -> Any:
    params = request.params
    min_count, max_count = params.min_count, params.max_count
    if params.start_sequence < 0:
        raise ValueError(f"the start sequence must not be negative, got {params.start_sequence}")
    if min_count < 0:
        raise ValueError(f"the minimum count must not be negative, got {min_count}")
    if max_count < min_count:
        raise ValueError(f"the maximum count {max_count} is smaller than the minimum count {min_count}")
    if max_count > MAX_BATCH_SIZE:
        raise ValueError(f"the maximum count must not exceed {MAX_BATCH_SIZE}, got {max_count}")
    # A maximum beyond the capacity is not an error here (clients check it for their users): a reliable topic reads
    # in batches of its configured size whatever its ringbuffer's capacity.
    container, _ = _container(request, params.name)
    start = min(max(params.start_sequence, container.head), container.tail + 1)
    waiter = ReadWaiter(request, start, min_count, max_count, _filter_of(request, params.filter))
    if waiter.read(container):
        return waiter.result()
    Waiters.of(request.cluster).park(params.name, waiter)
    return PENDING


# -- lifecycle --------------------------------------------------------------------------------------------------------


def destroy_ringbuffer(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
    """Parked reads of a destroyed ringbuffer fail, as on a Java member."""
    Waiters.of(cluster).fail_all(name, DistributedObjectDestroyedError(f"ringbuffer {name!r} was destroyed"))


def sweep_expired_items(cluster: EmbeddedCluster) -> None:
    """Drop the expired items of every ringbuffer with a time to live, on owners and backups alike."""
    now = _now()
    for member in cluster.live_members:
        if member.suspended:
            continue
        for states in member.partitions:
            for key, state in states.items():
                if key[0] == RINGBUFFER_SERVICE_NAME:
                    cast(RingbufferContainer, state).cleanup(now)


RINGBUFFER_SERVICE = MemberServiceSpec(
    name="Ringbuffer",
    handlers={
        "Ringbuffer.size": ringbuffer_size,
        "Ringbuffer.tailSequence": ringbuffer_tail_sequence,
        "Ringbuffer.headSequence": ringbuffer_head_sequence,
        "Ringbuffer.capacity": ringbuffer_capacity,
        "Ringbuffer.remainingCapacity": ringbuffer_remaining_capacity,
        "Ringbuffer.add": ringbuffer_add,
        "Ringbuffer.addAll": ringbuffer_add_all,
        "Ringbuffer.readOne": ringbuffer_read_one,
        "Ringbuffer.readMany": ringbuffer_read_many,
    },
    object_service_names=(RINGBUFFER_SERVICE_NAME,),
    destroy_object=destroy_ringbuffer,
    periodic_tasks=(PeriodicTask("ringbuffer.expiry", EXPIRY_SWEEP_INTERVAL_SECONDS, sweep_expired_items),),
)
