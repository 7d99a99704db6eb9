"""The client's CP sessions, one per CP group, created on first need and kept alive by heartbeats.

Session-aware operations (FencedLock, the session-aware Semaphore) take a share of their group's session while they
hold something (``acquire_session(group, n)``) and give it back when done (``release_session``). Sessions are
heartbeated at the period the member gives, while they are in use; a session the member reports expired (or whose group
was destroyed) is dropped, and the next operation creates a new one. Shutting down closes every session, so the
member frees at once what it held instead of waiting for the session to expire.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.errors import CPGroupDestroyedError, HazelcastClientNotActiveError, SessionExpiredError
from hazelcast.protocol import method
from hazelcast.proxy import task_id

if TYPE_CHECKING:
    from hazelcast.proxy import ProxyContext

__all__ = ["NO_SESSION_ID", "SessionManager"]

_logger = structlog.get_logger("hazelcast.cp")

NO_SESSION_ID = -1
_CREATE = method("CPSession.createSession")
_CLOSE = method("CPSession.closeSession")
_HEARTBEAT = method("CPSession.heartbeatSession")
_THREAD_ID = method("CPSession.generateThreadId")
#: How long closing the sessions may hold up the client's shutdown.
_CLOSE_TIMEOUT = 5.0


class _Session:
    __slots__ = ("id", "group_id", "ttl", "created", "acquired")

    def __init__(self, session_id: int, group_id: Any, ttl: float, created: float) -> None:
        self.id = session_id
        self.group_id = group_id
        self.ttl = ttl
        self.created = created
        self.acquired = 0

    def valid(self, now: float) -> bool:
        # A session in use is heartbeated; one left unused may have expired on the member after its TTL.
        return self.acquired > 0 or now < self.created + self.ttl


class SessionManager:
    """The CP sessions and sessionless thread ids of one client."""

    def __init__(self, context: ProxyContext) -> None:
        self._context = context
        self._loop = context.loop
        self._call = context.invocation_service.call
        self._sessions: dict[Any, _Session] = {}
        self._creating: dict[Any, asyncio.Future[_Session]] = {}
        self._thread_ids: dict[tuple[Any, int], int] = {}
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._heartbeat_period = 0.0
        self._shutdown = False

    def get_session_id(self, group_id: Any) -> int:
        """The id of the session held with ``group_id``, or -1 when there is none."""
        session = self._sessions.get(group_id)
        return NO_SESSION_ID if session is None else session.id

    async def acquire_session(self, group_id: Any, count: int = 1) -> int:
        """Take ``count`` shares of the group's session (created when missing or no longer valid); its id."""
        session = self._sessions.get(group_id)
        if session is None or not session.valid(self._loop.time()):
            session = await self._create(group_id)
        session.acquired += count
        return session.id

    def release_session(self, group_id: Any, session_id: int, count: int = 1) -> None:
        session = self._sessions.get(group_id)
        if session is not None and session.id == session_id:
            session.acquired -= count

    def invalidate_session(self, group_id: Any, session_id: int) -> None:
        """Forget a session the member reported gone."""
        session = self._sessions.get(group_id)
        if session is not None and session.id == session_id:
            del self._sessions[group_id]

    async def thread_id(self, group_id: Any) -> int:
        """A cluster-wide unique id for the current task in ``group_id`` (sessionless semaphores)."""
        self._check_active()
        key = (group_id, task_id(self._loop))
        found = self._thread_ids.get(key)
        if found is None:
            generated = await self._call(_THREAD_ID.encode_request(group_id), -1, _THREAD_ID.decode_response, True)
            found = self._thread_ids.setdefault(key, generated)
        return found

    async def shutdown(self) -> None:
        """Stop heartbeating and close every session on the cluster (bounded in time)."""
        if self._shutdown:
            return
        self._shutdown = True
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
        sessions, self._sessions = list(self._sessions.values()), {}
        self._thread_ids.clear()
        connections = self._context.connection_manager
        if not sessions or (connections is not None and not connections.connections):
            # Nothing to close, or no member to tell: the sessions expire on their own at their TTL.
            return
        closing = [
            self._call(_CLOSE.encode_request(s.group_id, s.id), -1, _CLOSE.decode_response, True, _CLOSE_TIMEOUT)
            for s in sessions
        ]
        results = await asyncio.gather(*closing, return_exceptions=True)
        for session, result in zip(sessions, results, strict=True):
            if isinstance(result, BaseException):
                _logger.debug("cp.session.close_failed", session=session.id, error=repr(result))

    def _check_active(self) -> None:
        if self._shutdown:
            raise HazelcastClientNotActiveError("the CP session manager is shut down")

    async def _create(self, group_id: Any) -> _Session:
        self._check_active()
        creating = self._creating.get(group_id)
        if creating is not None:
            return await asyncio.shield(creating)
        future: asyncio.Future[_Session] = self._loop.create_future()
        self._creating[group_id] = future
        try:
            response = await self._call(
                _CREATE.encode_request(group_id, self._context.client.name), -1, _CREATE.decode_response, True
            )
            self._check_active()
            session = _Session(response.session_id, group_id, response.ttl_millis / 1000, self._loop.time())
            self._sessions[group_id] = session
            self._start_heartbeats(response.heartbeat_millis / 1000)
            _logger.debug("cp.session.created", session=session.id, group=group_id.name)
            future.set_result(session)
            return session
        except BaseException as error:
            future.set_exception(error)
            # Nobody else may be waiting: mark the exception retrieved.
            future.exception()
            raise
        finally:
            del self._creating[group_id]

    def _start_heartbeats(self, period: float) -> None:
        if self._heartbeat_task is not None and period >= self._heartbeat_period:
            return
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
        self._heartbeat_period = period
        self._heartbeat_task = self._loop.create_task(self._heartbeat(period), name="hazelcast:cp-heartbeat")

    async def _heartbeat(self, period: float) -> None:
        while not self._shutdown:
            await asyncio.sleep(period)
            for session in list(self._sessions.values()):
                if session.acquired > 0:
                    invocation = self._call(
                        _HEARTBEAT.encode_request(session.group_id, session.id), -1, None, True, period
                    )
                    invocation.add_done_callback(functools.partial(self._heartbeat_done, session))

    def _heartbeat_done(self, session: _Session, done: asyncio.Future[Any]) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if error is None:
            return
        if isinstance(error, (SessionExpiredError, CPGroupDestroyedError)):
            _logger.info("cp.session.lost", session=session.id, group=session.group_id.name, error=repr(error))
            self.invalidate_session(session.group_id, session.id)
        else:
            _logger.debug("cp.session.heartbeat_failed", session=session.id, error=repr(error))
