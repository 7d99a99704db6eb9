"""Semaphore: a linearizable counting semaphore in a CP group, in two variants chosen by the member's configuration.

* :class:`SessionAwareSemaphore` (``jdk-compatible: false``, the default): permits belong to the client's CP session
  with the group, so those of a client that dies come back when its session expires; a client may release only
  permits it acquired. Every call takes effect exactly once (invocation ids are reused on retry).
* :class:`SessionlessSemaphore` (``jdk-compatible: true``): permits are not tied to anyone and anyone may release;
  nothing is freed when a holder dies.
"""

from __future__ import annotations

import abc
import uuid
from typing import Any

from hazelcast.cp._base import WAIT_FOREVER, BaseCPProxy, SessionAwareCPProxy
from hazelcast.cp._checks import check_not_negative, check_positive, check_timeout, to_millis
from hazelcast.cp.sessions import NO_SESSION_ID, SessionManager
from hazelcast.errors import IllegalStateError, SessionExpiredError, WaitKeyCancelledError
from hazelcast.protocol import method
from hazelcast.proxy import ProxyContext, task_id

__all__ = ["Semaphore", "SessionAwareSemaphore", "SessionlessSemaphore"]

_INIT = method("Semaphore.init")
_ACQUIRE = method("Semaphore.acquire")
_RELEASE = method("Semaphore.release")
_DRAIN = method("Semaphore.drain")
_CHANGE = method("Semaphore.change")
_AVAILABLE = method("Semaphore.availablePermits")
# A drain does not know how many permits it takes: it holds this many session shares until the answer says.
_DRAIN_SESSION_SHARES = 1024


class Semaphore(BaseCPProxy, abc.ABC):
    """A cluster-wide counting semaphore: callers acquire permits, waiting in FIFO order when there are too few.

    Waiters are served in arrival order, each as soon as the available permits cover its request: a caller waiting
    for one permit may be served before an earlier one waiting for several.
    """

    async def init(self, permits: int) -> bool:
        """Set the permit count if the semaphore has none set yet; False if it was already initialized."""
        check_not_negative(permits, "permits")
        return await self._send(
            _INIT, _INIT.encode_request(self._group_id, self._object_name, permits), _INIT.decode_response
        )

    async def available_permits(self) -> int:
        """The permits available now."""
        return await self._send(
            _AVAILABLE, _AVAILABLE.encode_request(self._group_id, self._object_name), _AVAILABLE.decode_response
        )

    async def reduce_permits(self, reduction: int) -> None:
        """Take ``reduction`` permits away without waiting (the count may go negative)."""
        check_not_negative(reduction, "reduction")
        if reduction:
            await self._change_permits(-reduction)

    async def increase_permits(self, increase: int) -> None:
        """Add ``increase`` permits, serving waiters they satisfy."""
        check_not_negative(increase, "increase")
        if increase:
            await self._change_permits(increase)

    @abc.abstractmethod
    async def acquire(self, permits: int = 1) -> None:
        """Acquire ``permits`` permits, waiting until they are available."""

    @abc.abstractmethod
    async def try_acquire(self, permits: int = 1, timeout: float = 0) -> bool:
        """Acquire ``permits`` permits if available within ``timeout`` seconds; whether it did."""

    @abc.abstractmethod
    async def release(self, permits: int = 1) -> None:
        """Give back ``permits`` permits, serving waiters they satisfy."""

    @abc.abstractmethod
    async def drain_permits(self) -> int:
        """Acquire every permit available now; how many."""

    @abc.abstractmethod
    async def _change_permits(self, delta: int) -> None:
        """Change the available permits by ``delta``."""


class SessionAwareSemaphore(Semaphore, SessionAwareCPProxy):
    """Permits held in the client's CP session (see the module docstring)."""

    async def acquire(self, permits: int = 1) -> None:
        check_positive(permits, "permits")
        thread_id = task_id(self._loop)
        invocation_uid = uuid.uuid4()
        while True:
            session_id = await self._acquire_session(permits)
            request = _ACQUIRE.encode_request(
                self._group_id, self._object_name, session_id, thread_id, invocation_uid, permits, -1
            )
            try:
                await self._send(_ACQUIRE, request, _ACQUIRE.decode_response, wait=WAIT_FOREVER)
                return
            except SessionExpiredError:
                self._invalidate_session(session_id)
            except WaitKeyCancelledError:
                self._release_session(session_id, permits)
                raise IllegalStateError(
                    f"acquire of semaphore {self.name!r} was cancelled by another call of the same task"
                ) from None
            except BaseException:
                self._release_session(session_id, permits)
                raise

    async def try_acquire(self, permits: int = 1, timeout: float = 0) -> bool:
        check_positive(permits, "permits")
        seconds = check_timeout(timeout)
        thread_id = task_id(self._loop)
        invocation_uid = uuid.uuid4()
        deadline = self._loop.time() + seconds
        while True:
            session_id = await self._acquire_session(permits)
            remaining = max(0.0, deadline - self._loop.time())
            request = _ACQUIRE.encode_request(
                self._group_id, self._object_name, session_id, thread_id, invocation_uid, permits,
                to_millis(remaining),
            )
            try:
                acquired: bool = await self._send(_ACQUIRE, request, _ACQUIRE.decode_response, wait=remaining)
            except SessionExpiredError:
                self._invalidate_session(session_id)
                if self._loop.time() >= deadline:
                    return False
                continue
            except WaitKeyCancelledError:
                self._release_session(session_id, permits)
                return False
            except BaseException:
                self._release_session(session_id, permits)
                raise
            if not acquired:
                self._release_session(session_id, permits)
            return acquired

    async def release(self, permits: int = 1) -> None:
        """Give back ``permits`` permits this client acquired.

        Raises ``IllegalStateError`` when the client holds no session with the group (it never acquired), and
        ``IllegalArgumentError`` (a ValueError) when its session holds fewer permits.
        """
        check_positive(permits, "permits")
        session_id = self._session_id()
        if session_id == NO_SESSION_ID:
            raise IllegalStateError(f"semaphore {self.name!r}: this client holds no permits (no CP session)")
        request = _RELEASE.encode_request(
            self._group_id, self._object_name, session_id, task_id(self._loop), uuid.uuid4(), permits
        )
        try:
            await self._send(_RELEASE, request, _RELEASE.decode_response)
        except SessionExpiredError as error:
            self._invalidate_session(session_id)
            raise IllegalStateError(f"semaphore {self.name!r}: the CP session of this client ended", error) from error
        else:
            self._release_session(session_id, permits)

    async def drain_permits(self) -> int:
        thread_id = task_id(self._loop)
        invocation_uid = uuid.uuid4()
        while True:
            session_id = await self._acquire_session(_DRAIN_SESSION_SHARES)
            request = _DRAIN.encode_request(self._group_id, self._object_name, session_id, thread_id, invocation_uid)
            try:
                drained: int = await self._send(_DRAIN, request, _DRAIN.decode_response)
            except SessionExpiredError:
                self._invalidate_session(session_id)
                continue
            except BaseException:
                self._release_session(session_id, _DRAIN_SESSION_SHARES)
                raise
            self._release_session(session_id, _DRAIN_SESSION_SHARES - drained)
            return drained

    async def _change_permits(self, delta: int) -> None:
        session_id = await self._acquire_session()
        request = _CHANGE.encode_request(
            self._group_id, self._object_name, session_id, task_id(self._loop), uuid.uuid4(), delta
        )
        try:
            await self._send(_CHANGE, request, _CHANGE.decode_response)
        except SessionExpiredError as error:
            self._invalidate_session(session_id)
            raise IllegalStateError(f"semaphore {self.name!r}: the CP session of this client ended", error) from error
        finally:
            self._release_session(session_id)


class SessionlessSemaphore(Semaphore):
    """JDK-compatible permits, tied to nobody (see the module docstring)."""

    def __init__(self, context: ProxyContext, group_id: Any, service_name: str, proxy_name: str,
                 object_name: str, sessions: SessionManager) -> None:
        super().__init__(context, group_id, service_name, proxy_name, object_name)
        self._sessions = sessions

    async def acquire(self, permits: int = 1) -> None:
        check_positive(permits, "permits")
        await self._acquire(permits, -1, WAIT_FOREVER)

    async def try_acquire(self, permits: int = 1, timeout: float = 0) -> bool:
        check_positive(permits, "permits")
        seconds = check_timeout(timeout)
        return await self._acquire(permits, to_millis(seconds), seconds)

    async def release(self, permits: int = 1) -> None:
        check_positive(permits, "permits")
        thread_id = await self._sessions.thread_id(self._group_id)
        request = _RELEASE.encode_request(
            self._group_id, self._object_name, NO_SESSION_ID, thread_id, uuid.uuid4(), permits
        )
        await self._send(_RELEASE, request, _RELEASE.decode_response)

    async def drain_permits(self) -> int:
        thread_id = await self._sessions.thread_id(self._group_id)
        request = _DRAIN.encode_request(self._group_id, self._object_name, NO_SESSION_ID, thread_id, uuid.uuid4())
        return await self._send(_DRAIN, request, _DRAIN.decode_response)

    async def _change_permits(self, delta: int) -> None:
        thread_id = await self._sessions.thread_id(self._group_id)
        request = _CHANGE.encode_request(
            self._group_id, self._object_name, NO_SESSION_ID, thread_id, uuid.uuid4(), delta
        )
        await self._send(_CHANGE, request, _CHANGE.decode_response)

    async def _acquire(self, permits: int, timeout_ms: int, wait: float) -> bool:
        thread_id = await self._sessions.thread_id(self._group_id)
        request = _ACQUIRE.encode_request(
            self._group_id, self._object_name, NO_SESSION_ID, thread_id, uuid.uuid4(), permits, timeout_ms
        )
        try:
            return await self._send(_ACQUIRE, request, _ACQUIRE.decode_response, wait=wait)
        except WaitKeyCancelledError:
            raise IllegalStateError(
                f"acquire of semaphore {self.name!r} was cancelled by another call of the same task"
            ) from None
