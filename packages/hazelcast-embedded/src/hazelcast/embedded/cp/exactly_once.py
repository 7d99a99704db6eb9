"""What FencedLock and Semaphore share: parked callers, and each caller's last answer for exactly-once retries.

Every call to these structures carries an invocation UUID. The last one per caller (``endpoint``: session and thread
ids) is remembered with its answer, so a call the client sends again (its connection was lost) is answered the same
way and takes effect once; a parked call sent again takes its waiter's place
(:meth:`~hazelcast.embedded.waiters.WaitQueue.retried`). A waiter whose time runs out is remembered with its timeout
answer too. When a session ends, its waiters fail with ``SessionExpiredException`` and its answers are forgotten.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from hazelcast.embedded.waiters import Waiter, WaitQueue
from hazelcast.errors import DistributedObjectDestroyedError, SessionExpiredError

__all__ = ["ExactlyOnceState"]

#: What a call answered, kept to answer its retry the same way.
_Answer = TypeVar("_Answer")


class ExactlyOnceState:
    """Base of a CP structure's state whose calls are answered once per invocation UUID; ``KIND`` names the
    structure in errors (``"FencedLock"``)."""

    __slots__ = ("name", "waiters", "answers")

    KIND: ClassVar[str]

    def __init__(self, name: str) -> None:
        self.name = name
        self.waiters = WaitQueue(on_timeout=self._timed_out)
        #: Caller -> (invocation UUID, answer) of its last completed request: a retry gets the same answer.
        self.answers: dict[tuple[int, int], tuple[Any, Any]] = {}

    def destroyed(self) -> None:
        self.waiters.fail_all(lambda: DistributedObjectDestroyedError(f"{self.KIND} {self.name!r} was destroyed"))

    def _replay(self, endpoint: tuple[int, int], uid: Any) -> tuple[Any, ...] | None:
        """``(answer,)`` when this call retries the last one: the answer is of that operation's result type."""
        previous = self.answers.get(endpoint)
        if previous is not None and previous[0] == uid:
            return (previous[1],)
        return None

    def _answer(self, endpoint: tuple[int, int], uid: Any, answer: _Answer) -> _Answer:
        self.answers[endpoint] = (uid, answer)
        return answer

    def _end_session(self, session_id: int) -> None:
        """Fail the session's waiters and forget its answers."""
        self.waiters.fail_all(
            lambda: SessionExpiredError(f"CP session {session_id} ended while waiting for {self.KIND} {self.name!r}"),
            lambda waiter: waiter.endpoint[0] == session_id,
        )
        for endpoint in [e for e in self.answers if e[0] == session_id]:
            del self.answers[endpoint]

    def _timed_out(self, waiter: Waiter) -> None:
        self.answers[waiter.endpoint] = (waiter.key, waiter.timeout_result)
