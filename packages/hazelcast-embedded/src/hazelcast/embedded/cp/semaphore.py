"""Semaphore: permits in a CP group, session-aware or JDK-compatible (sessionless) as configured per name.

A session-aware semaphore (``jdk-compatible: false``, the default) counts the permits each session holds: a session
may release only permits it holds (else ``IllegalArgumentException``), and the permits of a session that ends return to
the semaphore. A JDK-compatible one takes permits from callers without sessions (session id -1) and lets anyone
release. ``initial-permits`` initializes a semaphore when it is first used, as ``init`` would.

Acquires that cannot be served park in arrival order; when permits come back, the waiters are walked in that order and
each one whose request fits is served (so a request for one permit may pass a larger one ahead of it, as on a Java
member). Every mutation carries an invocation UUID; the last one per caller is remembered with its answer, so a
retried acquire, release, drain or change takes effect once.
"""

from __future__ import annotations

from typing import Any

from hazelcast.embedded.cp.exactly_once import ExactlyOnceState
from hazelcast.embedded.cp.sessions import NO_SESSION_ID
from hazelcast.embedded.cp.state import SEMAPHORE_SERVICE, CPState, cp_state, split_proxy_name
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.errors import IllegalArgumentError, SessionExpiredError

__all__ = ["SEMAPHORE_HANDLERS", "SemaphoreState"]

class SemaphoreState(ExactlyOnceState):
    __slots__ = ("jdk_compatible", "initialized", "available", "held", "_cp")

    KIND = "Semaphore"

    def __init__(self, cp: CPState, name: str) -> None:
        super().__init__(name)
        self._cp = cp
        settings = cp.settings.semaphore(name)
        self.jdk_compatible = settings.jdk_compatible
        self.initialized = settings.initial_permits > 0
        self.available = settings.initial_permits
        #: Session id -> permits it holds (session-aware semaphores only).
        self.held: dict[int, int] = {}

    def _take(self, session_id: int, permits: int) -> None:
        self.available -= permits
        if session_id != NO_SESSION_ID:
            self.held[session_id] = self.held.get(session_id, 0) + permits

    def init(self, permits: int) -> bool:
        if permits < 0:
            raise IllegalArgumentError(f"permits must not be negative, got {permits}")
        if self.initialized:
            return False
        self.initialized = True
        self.available = permits
        self._serve_waiters()
        return True

    def acquire(self, request: MemberRequest, endpoint: tuple[int, int], uid: Any, permits: int,
                timeout_ms: int) -> Any:
        if permits <= 0:
            raise IllegalArgumentError(f"permits must be positive, got {permits}")
        replay = self._replay(endpoint, uid)
        if replay is not None:
            return replay[0]
        if self.waiters.retried(request, uid):
            return PENDING
        if self.available >= permits:
            self._take(endpoint[0], permits)
            return self._answer(endpoint, uid, True)
        if timeout_ms == 0:
            return self._answer(endpoint, uid, False)
        return self.waiters.park(request, timeout_ms, False, key=uid, endpoint=endpoint, payload=permits)

    def release(self, endpoint: tuple[int, int], uid: Any, permits: int) -> bool:
        if permits <= 0:
            raise IllegalArgumentError(f"permits must be positive, got {permits}")
        replay = self._replay(endpoint, uid)
        if replay is not None:
            answered: bool = replay[0]
            return answered
        session_id = endpoint[0]
        if not self.jdk_compatible:
            held = self.held.get(session_id, 0)
            if held < permits:
                raise IllegalArgumentError(
                    f"Semaphore {self.name!r}: cannot release {permits} permit(s), the session holds {held}"
                )
            self._drop_held(session_id, permits)
        self.available += permits
        self._serve_waiters()
        return self._answer(endpoint, uid, True)

    def drain(self, endpoint: tuple[int, int], uid: Any) -> int:
        replay = self._replay(endpoint, uid)
        if replay is not None:
            answered: int = replay[0]
            return answered
        drained = max(0, self.available)
        if drained:
            self._take(endpoint[0], drained)
        return self._answer(endpoint, uid, drained)

    def change(self, endpoint: tuple[int, int], uid: Any, delta: int) -> bool:
        replay = self._replay(endpoint, uid)
        if replay is not None:
            answered: bool = replay[0]
            return answered
        self.initialized = True
        self.available += delta
        if delta > 0:
            self._serve_waiters()
        return self._answer(endpoint, uid, True)

    def session_closed(self, session_id: int) -> None:
        self._end_session(session_id)
        held = self.held.pop(session_id, 0)
        if held:
            self.available += held
            self._serve_waiters()

    def _drop_held(self, session_id: int, permits: int) -> None:
        left = self.held[session_id] - permits
        if left:
            self.held[session_id] = left
        else:
            del self.held[session_id]

    def _serve_waiters(self) -> None:
        for waiter in self.waiters:
            if self.available <= 0:
                return
            if waiter.gone:
                self.waiters.discard(waiter)
                continue
            permits = waiter.payload
            if permits <= self.available:
                self._take(waiter.endpoint[0], permits)
                self.waiters.respond(waiter, self._answer(waiter.endpoint, waiter.key, True))


def _state(request: MemberRequest) -> SemaphoreState:
    params = request.params
    cp = cp_state(request.cluster)
    name = params.name
    state = cp.structure(params.group_id, SEMAPHORE_SERVICE, name, lambda: SemaphoreState(cp, name))
    session_id = getattr(params, "session_id", NO_SESSION_ID)
    if session_id != NO_SESSION_ID:
        cp.sessions.check(params.group_id, session_id)
    elif not state.jdk_compatible and hasattr(params, "session_id"):
        raise SessionExpiredError(f"Semaphore {name!r} is session-aware and the request carries no session")
    return state


def _endpoint(params: Any) -> tuple[int, int]:
    return params.session_id, params.thread_id


def _init(request: MemberRequest) -> bool:
    return _state(request).init(request.params.permits)


def _acquire(request: MemberRequest) -> Any:
    params = request.params
    return _state(request).acquire(request, _endpoint(params), params.invocation_uid, params.permits,
                                   params.timeout_ms)


def _release(request: MemberRequest) -> bool:
    params = request.params
    return _state(request).release(_endpoint(params), params.invocation_uid, params.permits)


def _drain(request: MemberRequest) -> int:
    params = request.params
    return _state(request).drain(_endpoint(params), params.invocation_uid)


def _change(request: MemberRequest) -> bool:
    params = request.params
    return _state(request).change(_endpoint(params), params.invocation_uid, params.permits)


def _available(request: MemberRequest) -> int:
    return _state(request).available


def _semaphore_type(request: MemberRequest) -> bool:
    """Whether the semaphore ``proxyName`` names is JDK-compatible (sessionless)."""
    _, name = split_proxy_name(request.params)
    return cp_state(request.cluster).settings.semaphore(name).jdk_compatible


SEMAPHORE_HANDLERS = {
    "Semaphore.init": _init,
    "Semaphore.acquire": _acquire,
    "Semaphore.release": _release,
    "Semaphore.drain": _drain,
    "Semaphore.change": _change,
    "Semaphore.availablePermits": _available,
    "Semaphore.getSemaphoreType": _semaphore_type,
}
