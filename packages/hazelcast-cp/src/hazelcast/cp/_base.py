"""What every CP proxy shares: its CP group, the object name inside the group, and destruction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from hazelcast.protocol import MethodCodec, method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext

if TYPE_CHECKING:
    from hazelcast.cp.sessions import SessionManager

__all__ = ["BaseCPProxy", "SessionAwareCPProxy"]

_DESTROY = method("CPGroup.destroyCPObject")
#: How long a call that may wait without a time limit (``lock``, ``acquire``) may take: practically for ever.
WAIT_FOREVER = 10 * 365 * 24 * 3600.0
ResultType = TypeVar("ResultType")


class BaseCPProxy(Proxy):
    """A proxy of a data structure that lives in a CP group.

    ``name`` is the proxy name (``counter@group1``, the default group left out); requests name the object by its
    name inside the group (``counter``) together with the group id.
    """

    def __init__(self, context: ProxyContext, group_id: Any, service_name: str, proxy_name: str,
                 object_name: str) -> None:
        super().__init__(service_name, proxy_name, context)
        self._group_id = group_id
        self._object_name = object_name
        self._invocation_timeout = context.config.invocation_timeout

    def get_group_id(self) -> Any:
        """The id of the CP group this structure lives in (``RaftGroupId``: name, seed, id)."""
        return self._group_id

    @overload
    def _send(self, codec: MethodCodec, request: bytearray, decoder: None = None,
              wait: float | None = None) -> Awaitable[None]: ...

    @overload
    def _send(self, codec: MethodCodec, request: bytearray, decoder: Callable[[Message], ResultType] = ...,
              wait: float | None = None) -> Awaitable[ResultType]: ...

    def _send(self, codec: MethodCodec, request: bytearray, decoder: Callable[[Message], Any] | None = None,
              wait: float | None = None) -> Awaitable[Any]:
        """Send to any member (the CP group's leader answers); ``wait`` extends the deadline of a blocking call."""
        timeout = None if wait is None else wait + self._invocation_timeout
        return self._invocations.call(request, -1, decoder, codec.spec.retryable, timeout)

    async def destroy(self) -> None:  # type: ignore[override]
        """Destroy this structure on its CP group, for good: it cannot be created again under the same name.

        Later calls on any proxy of it fail with ``DistributedObjectDestroyedError``.
        """
        request = _DESTROY.encode_request(self._group_id, self.service_name, self._object_name)
        await self._send(_DESTROY, request)


class SessionAwareCPProxy(BaseCPProxy):
    """A CP proxy whose operations run in the CP session the client holds with the proxy's group."""

    def __init__(self, context: ProxyContext, group_id: Any, service_name: str, proxy_name: str,
                 object_name: str, sessions: SessionManager) -> None:
        super().__init__(context, group_id, service_name, proxy_name, object_name)
        self._sessions = sessions

    def _session_id(self) -> int:
        return self._sessions.get_session_id(self._group_id)

    async def _acquire_session(self, count: int = 1) -> int:
        return await self._sessions.acquire_session(self._group_id, count)

    def _release_session(self, session_id: int, count: int = 1) -> None:
        self._sessions.release_session(self._group_id, session_id, count)

    def _invalidate_session(self, session_id: int) -> None:
        self._sessions.invalidate_session(self._group_id, session_id)
