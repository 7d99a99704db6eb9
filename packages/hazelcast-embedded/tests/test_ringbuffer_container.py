"""The ringbuffer's member-side state, configuration and parked reads, without a network."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.embedded.config import StructureConfigs
from hazelcast.embedded.ringbuffer import RINGBUFFER_CONFIG_SECTION, RingbufferConfig, RingbufferContainer
from hazelcast.embedded.ringbuffer.container import OVERFLOW_FAIL, OVERFLOW_OVERWRITE
from hazelcast.embedded.ringbuffer.waiting import ReadWaiter, Waiters
from hazelcast.errors import InvalidConfigurationError

NOW = 1_000_000


def _items(*names: str) -> list[bytes]:
    return [name.encode() for name in names]


def test_sequences_start_empty_and_grow_with_each_add() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=3))
    assert (rb.head, rb.tail, rb.size(), rb.remaining_capacity()) == (0, -1, 0, 3)
    assert rb.add(_items("a"), OVERFLOW_OVERWRITE, NOW) == 0
    assert rb.add(_items("b", "c"), OVERFLOW_OVERWRITE, NOW) == 2
    assert (rb.head, rb.tail, rb.size()) == (0, 2, 3)


def test_overwriting_beyond_the_capacity_moves_the_head() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=3))
    rb.add(_items("a", "b", "c", "d", "e"), OVERFLOW_OVERWRITE, NOW)
    assert (rb.head, rb.tail) == (2, 4)
    assert sorted(rb.items) == [2, 3, 4]
    # Without a time to live the FAIL policy never finds the ringbuffer full, as on a Java member.
    assert rb.remaining_capacity() == 3
    assert rb.add(_items("f"), OVERFLOW_FAIL, NOW) == 5


def test_fail_policy_with_a_time_to_live_refuses_to_overwrite_live_items() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=2, time_to_live_seconds=10))
    assert rb.add(_items("a", "b", "c"), OVERFLOW_FAIL, NOW) == -1
    assert rb.add(_items("a"), OVERFLOW_FAIL, NOW) == 0
    assert rb.remaining_capacity() == 1
    assert rb.add(_items("b", "c"), OVERFLOW_FAIL, NOW) == -1
    assert rb.add(_items("b"), OVERFLOW_FAIL, NOW) == 1
    assert rb.add(_items("c"), OVERFLOW_FAIL, NOW + 9_999) == -1
    # Once the oldest items expired there is room again.
    assert rb.add(_items("c"), OVERFLOW_FAIL, NOW + 10_000) == 2
    assert (rb.head, rb.tail) == (2, 2)


def test_cleanup_drops_expired_items_from_the_head_only() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=5, time_to_live_seconds=1))
    rb.add(_items("a"), OVERFLOW_OVERWRITE, NOW)
    rb.add(_items("b"), OVERFLOW_OVERWRITE, NOW + 500)
    assert not rb.cleanup(NOW + 999)
    assert rb.cleanup(NOW + 1_000)
    assert (rb.head, rb.tail, list(rb.items)) == (1, 1, [1])
    assert rb.cleanup(NOW + 1_500)
    assert (rb.head, rb.tail, rb.size(), rb.items, rb.expires) == (2, 1, 0, {}, {})


def test_a_backup_replaying_stores_ends_with_the_same_sequences() -> None:
    owner = RingbufferContainer(RingbufferConfig(capacity=3))
    backup = owner.new_backup()
    for batch in (_items("a", "b"), _items("c", "d"), _items("e")):
        last = owner.add(batch, OVERFLOW_OVERWRITE, NOW)
        backup.store(last - len(batch) + 1, batch, 0)
    assert (backup.head, backup.tail, backup.items) == (owner.head, owner.tail, owner.items)
    # A backup created late starts at the first sequence it is given.
    late = owner.new_backup()
    late.store(7, _items("x"), 0)
    assert (late.head, late.tail, late.items) == (7, 7, {7: b"x"})


def test_copy_is_independent() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=3, time_to_live_seconds=5))
    rb.add(_items("a"), OVERFLOW_OVERWRITE, NOW)
    clone = rb.copy()
    rb.add(_items("b"), OVERFLOW_OVERWRITE, NOW)
    assert (clone.tail, clone.items, clone.expires) == (0, {0: b"a"}, {0: NOW + 5_000})
    assert clone.backup_count == 1


@pytest.mark.parametrize(
    "settings",
    [
        {"capacity": 0},
        {"time-to-live-seconds": -1},
        {"backup-count": 7},
        {"backup-count": 4, "async-backup-count": 3},
        {"async-backup-count": -1},
        {"in-memory-format": "NATIVE"},
        {"capacity": "ten"},
        {"unknown-setting": 1},
    ],
)
def test_invalid_settings_are_refused(settings: dict[str, Any]) -> None:
    with pytest.raises(InvalidConfigurationError):
        StructureConfigs({"ringbuffer": RINGBUFFER_CONFIG_SECTION}, {"ringbuffer": {"rb": settings}})


def test_settings_are_found_by_wildcard_name_with_hazelcast_yaml_keys() -> None:
    configs = StructureConfigs(
        {"ringbuffer": RINGBUFFER_CONFIG_SECTION},
        {
            "ringbuffer": {
                "default": {"capacity": 100},
                "events-*": {
                    "capacity": 5, "time-to-live-seconds": 30, "backup-count": 2, "in-memory-format": "OBJECT"
                },
            }
        },
    )
    assert configs.lookup("ringbuffer", "other").capacity == 100
    events = configs.lookup("ringbuffer", "events-1")
    assert (events.capacity, events.time_to_live_seconds, events.total_backup_count) == (5, 30, 2)
    assert configs.max_backup_count() == 2


def _request() -> Any:
    answered: list[Any] = []
    request = SimpleNamespace(done=False, answered=answered, connection=SimpleNamespace(closed=False))
    request.respond = lambda result: (answered.append(result), setattr(request, "done", True))
    request.fail = lambda error: (answered.append(error), setattr(request, "done", True))
    return request


def test_a_parked_read_many_collects_items_until_its_minimum() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=10))
    request = _request()
    waiter = ReadWaiter(request, 0, 3, 5, lambda item: item != b"skip")
    assert not waiter.read(rb)
    rb.add(_items("a", "skip"), OVERFLOW_OVERWRITE, NOW)
    assert not waiter.read(rb)
    rb.add(_items("b", "c", "d", "e", "f"), OVERFLOW_OVERWRITE, NOW)
    assert waiter.read(rb)
    assert waiter.result() == (6, _items("a", "b", "c", "d", "e"), [0, 2, 3, 4, 5], 6)


def test_waiters_are_woken_in_arrival_order_and_answered_once() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=10))
    waiters = Waiters()
    first, second, gone = _request(), _request(), _request()
    waiters.park("rb", ReadWaiter(first, 0, 1, 1, None, single=True))
    waiters.park("rb", ReadWaiter(second, 0, 2, 2, None))
    waiters.park("rb", ReadWaiter(gone, 0, 1, 1, None))
    gone.connection.closed = True
    order: list[Any] = []

    def answer(waiter: ReadWaiter, container: RingbufferContainer) -> None:
        order.append(waiter.request)
        waiter.request.respond(waiter.next_sequence)

    rb.add(_items("a"), OVERFLOW_OVERWRITE, NOW)
    waiters.wake("rb", rb, answer)
    assert order == [first] and waiters.count("rb") == 1
    rb.add(_items("b"), OVERFLOW_OVERWRITE, NOW)
    waiters.wake("rb", rb, answer)
    assert order == [first, second] and waiters.count("rb") == 0


def test_a_failing_filter_fails_only_its_own_read() -> None:
    rb = RingbufferContainer(RingbufferConfig(capacity=10))
    waiters = Waiters()
    broken, fine = _request(), _request()

    def explode(item: bytes) -> bool:
        raise RuntimeError("filter bug")

    waiters.park("rb", ReadWaiter(broken, 0, 1, 1, explode))
    waiters.park("rb", ReadWaiter(fine, 0, 1, 1, None))
    rb.add(_items("a"), OVERFLOW_OVERWRITE, NOW)
    waiters.wake("rb", rb, lambda waiter, container: waiter.request.respond(waiter.result()))
    assert isinstance(broken.answered[0], RuntimeError)
    assert fine.answered == [(1, [b"a"], [0], 1)]
    waiters.park("rb", ReadWaiter(_request(), 5, 1, 1, None))
    survivor = _request()
    waiters.park("rb", ReadWaiter(survivor, 5, 1, 1, None))
    error = RuntimeError("destroyed")
    waiters.fail_all("rb", error)
    assert survivor.answered == [error] and waiters.count("rb") == 0


def test_reads_of_clients_that_left_are_pruned_as_they_pile_up() -> None:
    waiters = Waiters()
    left = [_request() for _ in range(64)]
    for request in left:
        waiters.park("rb", ReadWaiter(request, 0, 1, 1, None))
        request.connection.closed = True
    assert waiters.count("rb") == 0
    staying = _request()
    waiters.park("rb", ReadWaiter(staying, 0, 1, 1, None))
    assert len(waiters._by_name["rb"]) == 1 and waiters.count("rb") == 1
