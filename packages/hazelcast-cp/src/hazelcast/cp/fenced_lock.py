"""FencedLock: a linearizable, reentrant distributed lock in a CP group, with fencing tokens.

The lock is owned by an asyncio task of a client (the protocol's thread id is the task's), within the client's CP
session with the lock's group: if the client dies, its session expires on the cluster and the lock is freed. Each
acquisition of a free lock returns a *fence*, a number greater than every fence handed out before, which the holder can
pass to other services to reject work of an earlier holder.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from hazelcast.cp._base import WAIT_FOREVER, SessionAwareCPProxy
from hazelcast.cp._checks import check_timeout, to_millis
from hazelcast.errors import (
    IllegalMonitorStateError,
    LockAcquireLimitReachedError,
    LockOwnershipLostError,
    SessionExpiredError,
    WaitKeyCancelledError,
)
from hazelcast.cp.sessions import NO_SESSION_ID
from hazelcast.protocol import method
from hazelcast.proxy import task_id

__all__ = ["FencedLock"]

_LOCK = method("FencedLock.lock")
_TRY_LOCK = method("FencedLock.tryLock")
_UNLOCK = method("FencedLock.unlock")
_OWNERSHIP = method("FencedLock.getLockOwnership")



class _LockOwnership(Protocol):
    """What FencedLock.getLockOwnership answers with (a record the protocol catalogue builds at run time)."""

    fence: int
    lock_count: int
    session_id: int
    thread_id: int

class FencedLock(SessionAwareCPProxy):
    """A reentrant lock held by an asyncio task, with fencing tokens (see the module docstring).

    Reentrant acquisitions by the holder return the same fence and must each be matched by an :meth:`unlock`; the
    member's ``lock-acquire-limit`` bounds them (``LockAcquireLimitReachedError`` beyond it).
    """

    #: The fence of a failed acquisition (``try_lock``), never a valid fence.
    INVALID_FENCE = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Task id -> session id in which that task holds the lock, to detect a session lost meanwhile.
        self._lock_sessions: dict[int, int] = {}

    async def lock(self) -> int:
        """Acquire the lock, waiting as long as it takes; the fence of this acquisition.

        Raises ``LockOwnershipLostError`` if the task held the lock in a session that has since ended, and
        ``LockAcquireLimitReachedError`` past the reentrancy limit.
        """
        thread_id = task_id(self._loop)
        invocation_uid = uuid.uuid4()
        while True:
            session_id = await self._acquire_session()
            self._check_held_session(thread_id, session_id, release=True)
            request = _LOCK.encode_request(self._group_id, self._object_name, session_id, thread_id, invocation_uid)
            try:
                fence: int = await self._send(_LOCK, request, _LOCK.decode_response, wait=WAIT_FOREVER)
            except SessionExpiredError:
                self._invalidate_session(session_id)
                self._check_no_held_session(thread_id)
                continue
            except WaitKeyCancelledError:
                self._release_session(session_id)
                raise IllegalMonitorStateError(
                    f"lock of {self.name!r} was cancelled by another call of the same task"
                ) from None
            except BaseException:
                self._release_session(session_id)
                raise
            if fence == self.INVALID_FENCE:
                self._release_session(session_id)
                raise LockAcquireLimitReachedError(f"the reentrant acquire limit of lock {self.name!r} is reached")
            self._lock_sessions[thread_id] = session_id
            return fence

    async def try_lock(self, timeout: float = 0) -> int:
        """Acquire the lock if it is free or comes free within ``timeout`` seconds; its fence, or 0 if it did not.

        A reentrant acquisition past the reentrancy limit also answers 0.
        """
        seconds = check_timeout(timeout)
        thread_id = task_id(self._loop)
        invocation_uid = uuid.uuid4()
        deadline = self._loop.time() + seconds
        while True:
            session_id = await self._acquire_session()
            self._check_held_session(thread_id, session_id, release=True)
            remaining = max(0.0, deadline - self._loop.time())
            request = _TRY_LOCK.encode_request(
                self._group_id, self._object_name, session_id, thread_id, invocation_uid, to_millis(remaining)
            )
            try:
                fence: int = await self._send(_TRY_LOCK, request, _TRY_LOCK.decode_response, wait=remaining)
            except SessionExpiredError:
                self._invalidate_session(session_id)
                self._check_no_held_session(thread_id)
                if self._loop.time() >= deadline:
                    return self.INVALID_FENCE
                continue
            except WaitKeyCancelledError:
                self._release_session(session_id)
                return self.INVALID_FENCE
            except BaseException:
                self._release_session(session_id)
                raise
            if fence == self.INVALID_FENCE:
                self._release_session(session_id)
            else:
                self._lock_sessions[thread_id] = session_id
            return fence

    async def unlock(self) -> None:
        """Release one hold of the lock.

        Raises ``IllegalMonitorStateError`` if the task does not hold it, ``LockOwnershipLostError`` if its session
        ended meanwhile (the lock was freed then).
        """
        thread_id = task_id(self._loop)
        session_id = self._session_id()
        self._check_held_session(thread_id, session_id, release=False)
        if session_id == NO_SESSION_ID:
            self._lock_sessions.pop(thread_id, None)
            raise IllegalMonitorStateError(f"the current task does not hold lock {self.name!r}")
        request = _UNLOCK.encode_request(self._group_id, self._object_name, session_id, thread_id, uuid.uuid4())
        try:
            still_held: bool = await self._send(_UNLOCK, request, _UNLOCK.decode_response)
        except SessionExpiredError:
            self._invalidate_session(session_id)
            self._lock_sessions.pop(thread_id, None)
            raise self._ownership_lost(session_id) from None
        except IllegalMonitorStateError:
            self._lock_sessions.pop(thread_id, None)
            raise
        if still_held:
            self._lock_sessions[thread_id] = session_id
        else:
            self._lock_sessions.pop(thread_id, None)
        self._release_session(session_id)

    async def is_locked(self) -> bool:
        """Whether any caller holds the lock."""
        state, _ = await self._ownership()
        return state.fence != self.INVALID_FENCE

    async def is_locked_by_current_thread(self) -> bool:
        """Whether the current asyncio task holds the lock."""
        _, mine = await self._ownership()
        return mine

    #: The official asyncio client's name for :meth:`is_locked_by_current_thread`.
    is_locked_by_current_task = is_locked_by_current_thread

    async def get_lock_count(self) -> int:
        """How many times the lock is held (reentrantly) by its holder; 0 when free."""
        state, _ = await self._ownership()
        return state.lock_count

    async def destroy(self) -> None:  # type: ignore[override]
        self._lock_sessions.clear()
        await super().destroy()

    async def _ownership(self) -> tuple[_LockOwnership, bool]:
        thread_id = task_id(self._loop)
        session_id = self._session_id()
        self._check_held_session(thread_id, session_id, release=False)
        state: _LockOwnership = await self._send(
            _OWNERSHIP, _OWNERSHIP.encode_request(self._group_id, self._object_name), _OWNERSHIP.decode_response
        )
        mine = (
            state.fence != self.INVALID_FENCE and state.session_id == session_id and state.thread_id == thread_id
        )
        if mine:
            self._lock_sessions[thread_id] = session_id
        else:
            self._check_no_held_session(thread_id)
        return state, mine

    def _check_held_session(self, thread_id: int, session_id: int, release: bool) -> None:
        held_in = self._lock_sessions.get(thread_id)
        if held_in is not None and held_in != session_id:
            del self._lock_sessions[thread_id]
            if release:
                self._release_session(session_id)
            raise self._ownership_lost(held_in)

    def _check_no_held_session(self, thread_id: int) -> None:
        held_in = self._lock_sessions.pop(thread_id, None)
        if held_in is not None:
            raise self._ownership_lost(held_in)

    def _ownership_lost(self, session_id: int) -> LockOwnershipLostError:
        return LockOwnershipLostError(
            f"the current task no longer holds lock {self.name!r}: its CP session {session_id} was closed"
        )
