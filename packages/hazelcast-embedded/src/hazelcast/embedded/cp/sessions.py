"""CP sessions: how a CP group knows its session-bound callers (lock holders, semaphore permit holders) are alive.

A client creates a session per CP group on first need (``CPSession.createSession``) and heartbeats it at the period
the member answers with (``session-heartbeat-interval-seconds``). A session not heartbeated for
``session-time-to-live-seconds`` expires: the locks and permits it held are freed and its parked requests answered
with ``SessionExpiredError``, exactly as when the client closes it. One timer per session, re-armed lazily when it
fires after a heartbeat moved the deadline, does the expiry.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.embedded.cp.state import cp_state
from hazelcast.errors import SessionExpiredError

if TYPE_CHECKING:
    from hazelcast.embedded.cp.state import CPState
    from hazelcast.embedded.requests import MemberRequest

__all__ = ["NO_SESSION_ID", "Session", "SessionRegistry", "SESSION_HANDLERS"]

_logger = structlog.get_logger("hazelcast.embedded")

#: The session id of a sessionless caller (a JDK-compatible semaphore's).
NO_SESSION_ID = -1


class Session:
    __slots__ = ("id", "group_id", "endpoint_name", "deadline", "timer")

    def __init__(self, session_id: int, group_id: Any, endpoint_name: str, deadline: float) -> None:
        self.id = session_id
        self.group_id = group_id
        self.endpoint_name = endpoint_name
        self.deadline = deadline
        self.timer: asyncio.TimerHandle | None = None


class SessionRegistry:
    """The live sessions of every CP group of one cluster."""

    def __init__(self, state: CPState) -> None:
        self._state = state
        self._ttl = state.settings.session_time_to_live_seconds
        self._heartbeat = state.settings.session_heartbeat_interval_seconds
        self._sessions: dict[int, Session] = {}
        self._next_id = 0

    def create(self, group_id: Any, endpoint_name: str) -> tuple[int, int, int]:
        """A new session: ``(id, ttl ms, heartbeat ms)`` as ``CPSession.createSession`` answers."""
        self._state.check_group(group_id)
        loop = asyncio.get_running_loop()
        self._next_id += 1
        session = Session(self._next_id, group_id, endpoint_name, loop.time() + self._ttl)
        session.timer = loop.call_at(session.deadline, self._check_expiry, session)
        self._sessions[session.id] = session
        _logger.debug("cp.session.created", session=session.id, group=group_id.name, endpoint=endpoint_name)
        return session.id, int(self._ttl * 1000), int(self._heartbeat * 1000)

    def is_active(self, group_id: Any, session_id: int) -> bool:
        session = self._sessions.get(session_id)
        return session is not None and session.group_id == group_id

    def check(self, group_id: Any, session_id: int) -> None:
        """Raise SessionExpiredError unless ``session_id`` is a live session of ``group_id``."""
        if not self.is_active(group_id, session_id):
            raise SessionExpiredError(f"CP session {session_id} does not exist or has expired")

    def heartbeat(self, group_id: Any, session_id: int) -> None:
        self.check(group_id, session_id)
        self._sessions[session_id].deadline = asyncio.get_running_loop().time() + self._ttl

    def close(self, group_id: Any, session_id: int) -> bool:
        """End a session and free what it held; False when there was no such live session."""
        session = self._sessions.get(session_id)
        if session is None or session.group_id != group_id:
            return False
        self._end(session, "closed")
        return True

    def session_ids(self) -> list[int]:
        """The ids of the live sessions, in every group."""
        return list(self._sessions)

    def live_count(self) -> int:
        """How many sessions are live, in every group."""
        return len(self._sessions)

    def close_all(self) -> None:
        for session in list(self._sessions.values()):
            if session.timer is not None:
                session.timer.cancel()
        self._sessions.clear()

    def _end(self, session: Session, why: str) -> None:
        del self._sessions[session.id]
        if session.timer is not None:
            session.timer.cancel()
            session.timer = None
        _logger.info("cp.session.ended", session=session.id, group=session.group_id.name, why=why)
        self._state.session_closed(session.group_id, session.id)

    def _check_expiry(self, session: Session) -> None:
        if self._sessions.get(session.id) is not session:
            return
        loop = asyncio.get_running_loop()
        if session.deadline > loop.time():
            session.timer = loop.call_at(session.deadline, self._check_expiry, session)
            return
        session.timer = None
        self._end(session, "expired")


def _create(request: MemberRequest) -> tuple[int, int, int]:
    params = request.params
    return cp_state(request.cluster).sessions.create(params.group_id, params.endpoint_name)


def _close(request: MemberRequest) -> bool:
    params = request.params
    return cp_state(request.cluster).sessions.close(params.group_id, params.session_id)


def _heartbeat(request: MemberRequest) -> None:
    params = request.params
    cp_state(request.cluster).sessions.heartbeat(params.group_id, params.session_id)


def _generate_thread_id(request: MemberRequest) -> int:
    state = cp_state(request.cluster)
    state.check_group(request.params)
    return state.next_thread_id()


SESSION_HANDLERS = {
    "CPSession.createSession": _create,
    "CPSession.closeSession": _close,
    "CPSession.heartbeatSession": _heartbeat,
    "CPSession.generateThreadId": _generate_thread_id,
}
