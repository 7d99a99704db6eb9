"""The member list and membership listeners."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast._internal.callbacks import CallbackRunner
from hazelcast.core import Address, MemberInfo, ProtocolType

if TYPE_CHECKING:
    from hazelcast._internal.connection import ConnectionManager

__all__ = ["ClusterService"]

_logger = structlog.get_logger("hazelcast.cluster")


class ClusterService:
    """Members of the cluster, as of the latest MembersView, and listeners of members joining and leaving.

    ``add_listener(member_added, member_removed, fire_for_existing)`` calls ``member_added(member)`` /
    ``member_removed(member)`` with :class:`~hazelcast.core.MemberInfo`; ``async def`` listeners are awaited.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, callbacks: CallbackRunner) -> None:
        self._loop = loop
        self._callbacks = callbacks
        self._members: dict[uuid.UUID, MemberInfo] = {}
        self._last_lookup: tuple[Any, Any, MemberInfo | None] = (None, None, None)
        self._version = -1
        self._listeners: dict[str, tuple[Callable[[MemberInfo], Any] | None, Callable[[MemberInfo], Any] | None]] = {}
        self._initial_list = loop.create_future()
        self.connection_manager: ConnectionManager | None = None
        self.smart_routing = True
        #: Connect to the members' public addresses (members behind NAT, in the cloud, ...).
        self.use_public_ip = False

    # -- public API ------------------------------------------------------------------------------------------------

    def add_listener(
        self,
        member_added: Callable[[MemberInfo], Any] | None = None,
        member_removed: Callable[[MemberInfo], Any] | None = None,
        fire_for_existing: bool = False,
    ) -> str:
        """Add a membership listener; returns its registration id."""
        for name, fn in (("member_added", member_added), ("member_removed", member_removed)):
            if fn is not None and not callable(fn):
                raise TypeError(f"{name} must be callable")
        registration_id = str(uuid.uuid4())
        self._listeners[registration_id] = (member_added, member_removed)
        if fire_for_existing and member_added is not None:
            for member in list(self._members.values()):
                self._callbacks.run("membership.added", member_added, member)
        return registration_id

    def remove_listener(self, registration_id: str) -> bool:
        """Remove a membership listener; False when there was none with that id."""
        return self._listeners.pop(registration_id, None) is not None

    def get_members(self, member_selector: Callable[[MemberInfo], bool] | None = None) -> list[MemberInfo]:
        """The current members, optionally filtered by ``member_selector(member) -> bool``."""
        members = list(self._members.values())
        if member_selector is None:
            return members
        return [m for m in members if member_selector(m)]

    # -- internal ---------------------------------------------------------------------------------------------------

    def get_member(self, member_uuid: uuid.UUID) -> MemberInfo | None:
        # Events name their member by UUID, which hashes in Python; decoded UUIDs are shared objects, so the last
        # answer is kept for the same object and the same member list (a new view is a new dict).
        members, last_uuid, last_member = self._last_lookup
        if last_uuid is member_uuid and members is self._members:
            return last_member
        member = self._members.get(member_uuid)
        self._last_lookup = (self._members, member_uuid, member)
        return member

    def member_addresses(self) -> list[Address]:
        return [self.address_of(member) for member in self._members.values()]

    def member_targets(self) -> list[tuple[uuid.UUID, Address]]:
        """(uuid, address to connect to) of every member."""
        return [(member_uuid, self.address_of(member)) for member_uuid, member in self._members.items()]

    def address_of(self, member: MemberInfo) -> Address:
        """Where to connect to ``member``: its public client address when ``use_public_ip`` is set and it has one."""
        if self.use_public_ip:
            for qualifier, address in (member.address_map or {}).items():
                if int(qualifier.type) == ProtocolType.CLIENT and qualifier.identifier == "public":
                    return address
        return member.address

    async def wait_initial_member_list(self, timeout: float | None) -> None:
        async with asyncio.timeout(timeout):
            await asyncio.shield(self._initial_list)

    def handle_members_view(self, version: int, member_infos: list[MemberInfo]) -> None:
        if version <= self._version and self._initial_list.done():
            return
        previous = self._members
        current: dict[uuid.UUID, MemberInfo] = {}
        for member in member_infos:
            # MemberInfo allows a None uuid, but the members of a member list always have one.
            assert member.uuid is not None
            current[member.uuid] = member
        self._members = current
        self._version = version
        removed = [(u, m) for u, m in previous.items() if u not in current]
        added = [m for u, m in current.items() if u not in previous]
        _logger.info("cluster.members_changed", version=version, members=[str(m.address) for m in member_infos])
        manager = self.connection_manager
        for member_uuid, member in removed:
            if manager is not None:
                manager.member_removed(member_uuid)
            for _added_fn, removed_fn in list(self._listeners.values()):
                if removed_fn is not None:
                    self._callbacks.run("membership.removed", removed_fn, member)
        for member in added:
            if manager is not None and self.smart_routing:
                manager.connect_to_member(self.address_of(member))
            for added_fn, _removed_fn in list(self._listeners.values()):
                if added_fn is not None:
                    self._callbacks.run("membership.added", added_fn, member)
        if not self._initial_list.done():
            self._initial_list.set_result(None)

    def reset_version(self) -> None:
        """Accept the next member list whatever its version (after reconnecting to a restarted cluster)."""
        self._version = -1
