"""FencedLock: a reentrant lock owned by a (session, thread) pair, handing out fencing tokens.

Acquiring a free lock yields a new fence, greater than every earlier one; reentrant acquires by the owner return the
same fence and count up, up to the lock's ``lock-acquire-limit`` (0 = no limit), past which the lock answers the
invalid fence 0 (the client raises ``LockAcquireLimitReachedError``). Contended ``lock``/``tryLock`` requests park in
arrival order. Each request carries an invocation UUID: the last one per caller is remembered with its answer, so a
retried lock or unlock takes effect once. When the owner's session ends, the lock passes to the next live waiter.
"""

from __future__ import annotations

from typing import Any

from hazelcast.embedded.cp.exactly_once import ExactlyOnceState
from hazelcast.embedded.cp.state import LOCK_SERVICE, CPState, cp_state
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.errors import IllegalMonitorStateError

__all__ = ["INVALID_FENCE", "LOCK_HANDLERS", "LockState"]

INVALID_FENCE = 0
_NOT_LOCKED = (INVALID_FENCE, 0, -1, -1)


class LockState(ExactlyOnceState):
    __slots__ = ("limit", "owner", "fence", "count", "_cp")

    KIND = "FencedLock"

    def __init__(self, cp: CPState, name: str) -> None:
        super().__init__(name)
        self._cp = cp
        self.limit = cp.settings.lock(name).lock_acquire_limit
        #: ``(session id, thread id)`` of the holder, None when free.
        self.owner: tuple[int, int] | None = None
        self.fence = INVALID_FENCE
        self.count = 0

    def acquire(self, request: MemberRequest, endpoint: tuple[int, int], uid: Any, timeout_ms: int) -> Any:
        replay = self._replay(endpoint, uid)
        if replay is not None:
            return replay[0]
        if self.waiters.retried(request, uid):
            return PENDING
        if self.owner is None:
            return self._grant(endpoint, uid)
        if self.owner == endpoint:
            if self.limit and self.count >= self.limit:
                return self._answer(endpoint, uid, INVALID_FENCE)
            self.count += 1
            return self._answer(endpoint, uid, self.fence)
        if timeout_ms == 0:
            return self._answer(endpoint, uid, INVALID_FENCE)
        return self.waiters.park(request, timeout_ms, INVALID_FENCE, key=uid, endpoint=endpoint)

    def release(self, endpoint: tuple[int, int], uid: Any) -> bool:
        replay = self._replay(endpoint, uid)
        if replay is not None:
            answered: bool = replay[0]
            return answered
        if self.owner != endpoint:
            raise IllegalMonitorStateError(f"the caller does not hold FencedLock {self.name!r}")
        self.count -= 1
        still_held = self.count > 0
        if not still_held:
            self.owner = None
            self._hand_over()
        return self._answer(endpoint, uid, still_held)

    def ownership(self) -> tuple[int, int, int, int]:
        if self.owner is None:
            return _NOT_LOCKED
        return self.fence, self.count, self.owner[0], self.owner[1]

    def session_closed(self, session_id: int) -> None:
        self._end_session(session_id)
        if self.owner is not None and self.owner[0] == session_id:
            self.owner = None
            self.count = 0
            self._hand_over()

    def _grant(self, endpoint: tuple[int, int], uid: Any) -> int:
        self.owner = endpoint
        self.count = 1
        self.fence = self._cp.next_fence()
        return self._answer(endpoint, uid, self.fence)

    def _hand_over(self) -> None:
        for waiter in self.waiters:
            if waiter.gone or not self._cp.sessions.is_active(waiter.request.params.group_id, waiter.endpoint[0]):
                self.waiters.discard(waiter)
                continue
            self.waiters.respond(waiter, self._grant(waiter.endpoint, waiter.key))
            return


def _state(request: MemberRequest) -> LockState:
    params = request.params
    cp = cp_state(request.cluster)
    name = params.name
    state = cp.structure(params.group_id, LOCK_SERVICE, name, lambda: LockState(cp, name))
    if hasattr(params, "session_id"):
        cp.sessions.check(params.group_id, params.session_id)
    return state


def _lock(request: MemberRequest) -> Any:
    params = request.params
    return _state(request).acquire(request, (params.session_id, params.thread_id), params.invocation_uid, -1)


def _try_lock(request: MemberRequest) -> Any:
    params = request.params
    timeout_ms = max(0, params.timeout_ms)
    return _state(request).acquire(request, (params.session_id, params.thread_id), params.invocation_uid, timeout_ms)


def _unlock(request: MemberRequest) -> bool:
    params = request.params
    return _state(request).release((params.session_id, params.thread_id), params.invocation_uid)


def _ownership(request: MemberRequest) -> tuple[int, int, int, int]:
    return _state(request).ownership()


LOCK_HANDLERS = {
    "FencedLock.lock": _lock,
    "FencedLock.tryLock": _try_lock,
    "FencedLock.unlock": _unlock,
    "FencedLock.getLockOwnership": _ownership,
}
