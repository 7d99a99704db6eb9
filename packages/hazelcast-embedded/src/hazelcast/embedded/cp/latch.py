"""CountDownLatch: a count callers wait on, reusable in rounds.

``trySetCount`` starts a new round when the count is zero. ``countDown`` carries an invocation UUID and the round the
caller read: a count-down of an earlier round is ignored, and each UUID counts once per round, so a retried
count-down takes effect once. ``await`` parks until the count reaches zero or its timeout runs out.
"""

from __future__ import annotations

from typing import Any

from hazelcast.embedded.cp.state import LATCH_SERVICE, cp_state
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.waiters import WaitQueue
from hazelcast.errors import DistributedObjectDestroyedError, IllegalArgumentError

__all__ = ["LATCH_HANDLERS", "LatchState"]


class LatchState:
    __slots__ = ("round", "count_from", "counted", "waiters", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.round = 0
        self.count_from = 0
        #: Invocation UUIDs counted in this round.
        self.counted: set[Any] = set()
        self.waiters = WaitQueue()

    @property
    def remaining(self) -> int:
        return max(0, self.count_from - len(self.counted))

    def destroyed(self) -> None:
        self.waiters.fail_all(lambda: DistributedObjectDestroyedError(f"CountDownLatch {self.name!r} was destroyed"))


def _state(request: MemberRequest) -> LatchState:
    params = request.params
    name = params.name
    return cp_state(request.cluster).structure(params.group_id, LATCH_SERVICE, name, lambda: LatchState(name))


def _try_set_count(request: MemberRequest) -> bool:
    count = request.params.count
    if count <= 0:
        raise IllegalArgumentError(f"count must be positive, got {count}")
    state = _state(request)
    if state.remaining > 0:
        return False
    state.count_from = count
    state.counted = set()
    state.round += 1
    return True


def _count_down(request: MemberRequest) -> None:
    params = request.params
    state = _state(request)
    if params.expected_round > state.round:
        raise IllegalArgumentError(f"expected round {params.expected_round} is ahead of the latch's round {state.round}")
    if params.expected_round < state.round or state.remaining == 0:
        return
    state.counted.add(params.invocation_uid)
    if state.remaining == 0:
        for waiter in state.waiters:
            state.waiters.respond(waiter, True)


def _await(request: MemberRequest) -> Any:
    params = request.params
    state = _state(request)
    if state.remaining == 0:
        return True
    if state.waiters.retried(request, params.invocation_uid):
        return PENDING
    if params.timeout_ms <= 0:
        return False
    return state.waiters.park(request, params.timeout_ms, False, key=params.invocation_uid)


def _get_count(request: MemberRequest) -> int:
    return _state(request).remaining


def _get_round(request: MemberRequest) -> int:
    return _state(request).round


LATCH_HANDLERS = {
    "CountDownLatch.trySetCount": _try_set_count,
    "CountDownLatch.countDown": _count_down,
    "CountDownLatch.await": _await,
    "CountDownLatch.getCount": _get_count,
    "CountDownLatch.getRound": _get_round,
}
