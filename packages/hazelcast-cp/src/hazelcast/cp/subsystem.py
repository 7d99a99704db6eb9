"""CPSubsystem: the entry point to the CP data structures, ``client.cp_subsystem``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hazelcast.cp._base import BaseCPProxy
from hazelcast.cp._checks import CPArgumentError
from hazelcast.cp.atomic_long import AtomicLong
from hazelcast.cp.atomic_reference import AtomicReference
from hazelcast.cp.count_down_latch import CountDownLatch
from hazelcast.cp.fenced_lock import FencedLock
from hazelcast.cp.semaphore import Semaphore, SessionAwareSemaphore, SessionlessSemaphore
from hazelcast.cp.sessions import SessionManager
from hazelcast.protocol import method
from hazelcast.proxy import ProxyContext

__all__ = [
    "ATOMIC_LONG_SERVICE",
    "ATOMIC_REFERENCE_SERVICE",
    "COUNT_DOWN_LATCH_SERVICE",
    "LOCK_SERVICE",
    "SEMAPHORE_SERVICE",
    "CPSubsystem",
    "object_name_of",
    "without_default_group_name",
]

ATOMIC_LONG_SERVICE = "hz:raft:atomicLongService"
ATOMIC_REFERENCE_SERVICE = "hz:raft:atomicRefService"
COUNT_DOWN_LATCH_SERVICE = "hz:raft:countDownLatchService"
LOCK_SERVICE = "hz:raft:lockService"
SEMAPHORE_SERVICE = "hz:raft:semaphoreService"

_DEFAULT_GROUP_NAME = "default"
_METADATA_GROUP_NAME = "metadata"
_CREATE_GROUP = method("CPGroup.createCPGroup")
_SEMAPHORE_TYPE = method("Semaphore.getSemaphoreType")

P = TypeVar("P", bound=BaseCPProxy)


def without_default_group_name(name: Any) -> str:
    """The proxy name with an explicit default group (``x@default``, any case) left out; rejects bad group parts."""
    if name is None:
        raise CPArgumentError("name must not be None")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    text = name.strip()
    index = text.find("@")
    if index == -1:
        return text
    if text.find("@", index + 1) != -1:
        raise CPArgumentError(f"custom CP group name must be specified at most once: {text!r}")
    group = text[index + 1:].strip()
    if group.lower() == _METADATA_GROUP_NAME:
        raise CPArgumentError("CP data structures cannot run on the METADATA CP group")
    if group.lower() == _DEFAULT_GROUP_NAME:
        return text[:index]
    return text


def object_name_of(proxy_name: str) -> str:
    """The structure's name inside its group: the part before '@'."""
    index = proxy_name.find("@")
    if index == -1:
        if not proxy_name:
            raise CPArgumentError("object name cannot be empty")
        return proxy_name
    if not proxy_name[index + 1:].strip():
        raise CPArgumentError("custom CP group name cannot be empty")
    object_name = proxy_name[:index].strip()
    if not object_name:
        raise CPArgumentError("object name cannot be empty")
    return object_name


class CPSubsystem:
    """Strongly consistent data structures, each kept by the Raft consensus of a CP group of members.

    Name a structure ``"name"`` to put it in the default CP group, or ``"name@group"`` to put it in the CP group
    ``group`` (created on first use). Each ``get_*`` call asks the cluster for the group's id (a commit on the
    METADATA group on a Java member), so keep the proxies you get; the same proxy object is returned for the same
    name while its group lives. Destroying a structure is for good: its name cannot be used again in that group.
    """

    def __init__(self, context: ProxyContext) -> None:
        self._context = context
        self._call = context.invocation_service.call
        self._sessions = SessionManager(context)
        self._proxies: dict[tuple[str, str], BaseCPProxy] = {}

    async def get_atomic_long(self, name: str) -> AtomicLong:
        """The AtomicLong ``name`` (``"name@group"`` for a CP group other than the default one)."""
        return await self._get(ATOMIC_LONG_SERVICE, name, lambda gid, proxy, obj: AtomicLong(
            self._context, gid, ATOMIC_LONG_SERVICE, proxy, obj))

    async def get_atomic_reference(self, name: str) -> AtomicReference[Any]:
        """The AtomicReference ``name`` (``"name@group"`` for a CP group other than the default one)."""
        return await self._get(ATOMIC_REFERENCE_SERVICE, name, lambda gid, proxy, obj: AtomicReference(
            self._context, gid, ATOMIC_REFERENCE_SERVICE, proxy, obj))

    async def get_count_down_latch(self, name: str) -> CountDownLatch:
        """The CountDownLatch ``name`` (``"name@group"`` for a CP group other than the default one)."""
        return await self._get(COUNT_DOWN_LATCH_SERVICE, name, lambda gid, proxy, obj: CountDownLatch(
            self._context, gid, COUNT_DOWN_LATCH_SERVICE, proxy, obj))

    async def get_lock(self, name: str) -> FencedLock:
        """The FencedLock ``name`` (``"name@group"`` for a CP group other than the default one)."""
        return await self._get(LOCK_SERVICE, name, lambda gid, proxy, obj: FencedLock(
            self._context, gid, LOCK_SERVICE, proxy, obj, self._sessions))

    async def get_semaphore(self, name: str) -> Semaphore:
        """The Semaphore ``name`` (``"name@group"`` for a CP group other than the default one).

        Session-aware or sessionless (JDK-compatible) as the members' ``jdk-compatible`` setting for it says.
        """
        proxy_name = without_default_group_name(name)
        object_name_of(proxy_name)
        jdk_compatible = await self._call(
            _SEMAPHORE_TYPE.encode_request(proxy_name), -1, _SEMAPHORE_TYPE.decode_response, True
        )
        kind = SessionlessSemaphore if jdk_compatible else SessionAwareSemaphore
        proxy = await self._get(SEMAPHORE_SERVICE, name, lambda gid, proxy_name, obj: kind(
            self._context, gid, SEMAPHORE_SERVICE, proxy_name, obj, self._sessions))
        if not isinstance(proxy, kind):
            # The members' configuration changed (a new cluster): the cached proxy is of the other variant.
            proxy = self._proxies[(SEMAPHORE_SERVICE, proxy.name)] = kind(
                self._context, proxy.get_group_id(), SEMAPHORE_SERVICE, proxy.name, proxy._object_name,
                self._sessions,
            )
        return proxy

    async def shutdown(self) -> None:
        """Close the client's CP sessions (called when the client shuts down)."""
        await self._sessions.shutdown()

    async def _get(self, service: str, name: str, make: Callable[[Any, str, str], P]) -> P:
        proxy_name = without_default_group_name(name)
        object_name = object_name_of(proxy_name)
        group_id = await self._call(
            _CREATE_GROUP.encode_request(proxy_name), -1, _CREATE_GROUP.decode_response, True
        )
        key = (service, proxy_name)
        proxy = self._proxies.get(key)
        if proxy is None or proxy.get_group_id() != group_id:
            # A group id that changed means the group (or the whole cluster) was created anew.
            proxy = self._proxies[key] = make(group_id, proxy_name, object_name)
        return proxy  # type: ignore[return-value]
