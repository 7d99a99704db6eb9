"""The executor proxy: runs serializable tasks on the members (``IExecutorService``)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

from hazelcast.core import MemberInfo
from hazelcast.protocol import method
from hazelcast.proxy import Proxy, ProxyContext, check_not_none

__all__ = ["Executor"]

_SUBMIT_TO_PARTITION = method("ExecutorService.submitToPartition")
_SUBMIT_TO_MEMBER = method("ExecutorService.submitToMember")
_SHUTDOWN = method("ExecutorService.shutdown")
_IS_SHUTDOWN = method("ExecutorService.isShutdown")


def _check_member(member: Any) -> None:
    check_not_none(member, "member")
    if not isinstance(member, MemberInfo):
        raise TypeError(f"member must be a MemberInfo, not {type(member).__name__}")


class Executor(Proxy):
    """Runs tasks on cluster members and returns their results.

    A task is any object the client can serialize and the members can run: on a Java member, a ``Callable`` with
    the same IdentifiedDataSerializable (or Portable...) ids; on the embedded member, the Python class registered
    for those ids, whose ``call()`` method runs. An error raised by the task is raised by the call here.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        self._decode_result = self._deserializing(_SUBMIT_TO_PARTITION.decode_response)

    async def execute_on_key_owner(self, key: Any, task: Any) -> Any:
        """Run ``task`` on the member that owns ``key``'s partition; returns its result."""
        check_not_none(key, "key")
        check_not_none(task, "task")
        key_data = self._to_data(key)
        partition_id = self._partition_of(key_data)
        request = _SUBMIT_TO_PARTITION.encode_request(self.name, uuid.uuid4(), self._to_data(task))
        return await self._call(request, partition_id, self._decode_result)

    async def execute_on_member(self, member: MemberInfo, task: Any) -> Any:
        """Run ``task`` on ``member``; returns its result."""
        _check_member(member)
        check_not_none(task, "task")
        return await self._submit_to(member, self._to_data(task))

    async def execute_on_members(self, members: Sequence[MemberInfo], task: Any) -> list[Any]:
        """Run ``task`` on each of ``members`` at once; returns their results in the order of ``members``."""
        check_not_none(members, "members")
        check_not_none(task, "task")
        for member in members:
            _check_member(member)
        task_data = self._to_data(task)
        return list(await asyncio.gather(*(self._submit_to(member, task_data) for member in members)))

    async def execute_on_all_members(self, task: Any) -> list[Any]:
        """Run ``task`` on every member the client knows; returns their results."""
        return await self.execute_on_members(self._context.cluster_service.get_members(), task)

    async def is_shutdown(self) -> bool:
        """Whether the executor was shut down."""
        return await self._invoke(_IS_SHUTDOWN.encode_request(self.name), _IS_SHUTDOWN.decode_response)

    async def shutdown(self) -> None:
        """Shut the executor down: tasks already submitted finish, new ones are rejected."""
        await self._invoke(_SHUTDOWN.encode_request(self.name))

    def _submit_to(self, member: MemberInfo, task_data: bytes) -> Any:
        request = _SUBMIT_TO_MEMBER.encode_request(self.name, uuid.uuid4(), task_data, member.uuid)
        # Straight to the member when connected to it; otherwise through any member, which forwards the task to the
        # member the message names (as a unisocket client's requests travel).
        target = member.uuid if member.uuid in self._context.connection_manager.connections else None
        return self._call(request, -1, self._decode_result, False, None, target)
