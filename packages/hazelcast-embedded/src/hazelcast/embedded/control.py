"""A tiny line-based JSON control interface, so another process can kill and restart members by number.

Each request is one line: a JSON object ``{"command": "kill", "member": 1}`` or the same as words, ``kill 1``. Each
answer is one JSON line, ``{"ok": true, ...}`` or ``{"ok": false, "error": "..."}``. Commands:

* ``members`` -> ``{"ok": true, "members": [{"index", "address", "uuid", "state", "suspended", "partitions"}, ...]}``
  (``partitions``: the ids of the partitions the member owns)
* ``partitions`` -> ``{"ok": true, "partition_table_version": V, "member_list_version": M, "partition_count": C,
  "members": [{"index", "owned": [...], "backups": [...]}, ...]}``: a test waits for a version above the one it saw
  before a membership change, then finds every partition moved (migrations are complete when the version is out)
* ``add`` -> a new member joins the running cluster; partitions migrate to it with their data and backups:
  ``{"ok": true, "member": {...}, "partition_table_version": V}``
* ``kill N`` / ``restart N`` / ``shutdown-member N`` / ``suspend N`` / ``resume N`` / ``drop N`` (drop N's client
  connections) -> ``{"ok": true, "member": {...}}``
* ``shutdown`` -> ``{"ok": true}``, then the process stops.

The server listens on localhost only; it is a test aid, not an administration API.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from hazelcast.embedded.cluster import EmbeddedCluster
from hazelcast.embedded.member import EmbeddedMember

__all__ = ["ControlServer", "member_summary"]

_logger = structlog.get_logger("hazelcast.embedded")
_MAX_LINE = 64 * 1024


def member_summary(member: EmbeddedMember) -> dict[str, Any]:
    return {
        "index": member.index,
        "address": member.address,
        "uuid": str(member.uuid),
        "state": member.state,
        "suspended": member.suspended,
        "partitions": member.cluster.partitions_of(member)[0],
    }


def partition_table(cluster: EmbeddedCluster) -> dict[str, Any]:
    """The partition table as the ``partitions`` command reports it."""
    members = []
    for member in cluster.live_members:
        owned, backups = cluster.partitions_of(member)
        members.append({"index": member.index, "owned": owned, "backups": backups})
    return {
        "partition_table_version": cluster.partition_list_version,
        "member_list_version": cluster.member_list_version,
        "partition_count": cluster.partition_count,
        "members": members,
    }


class ControlError(Exception):
    """A control request that cannot be carried out; its text is sent back."""


def _parse(line: str) -> tuple[str, int | None]:
    text = line.strip()
    if text.startswith("{"):
        try:
            request = json.loads(text)
        except json.JSONDecodeError as error:
            raise ControlError(f"invalid JSON: {error}") from error
        if not isinstance(request, dict) or not isinstance(request.get("command"), str):
            raise ControlError('a request object needs a "command" string')
        member = request.get("member")
        if member is not None and (isinstance(member, bool) or not isinstance(member, int)):
            raise ControlError('"member" must be an integer')
        return request["command"], member
    words = text.split()
    if not words:
        raise ControlError("empty command")
    if len(words) > 2:
        raise ControlError(f"too many words in {text!r}")
    if len(words) == 2:
        try:
            return words[0], int(words[1])
        except ValueError as error:
            raise ControlError(f"member number expected, got {words[1]!r}") from error
    return words[0], None


class ControlServer:
    """Serves the control commands for ``cluster``; ``shutdown`` calls ``on_shutdown``."""

    def __init__(self, cluster: EmbeddedCluster, on_shutdown: Callable[[], None]) -> None:
        self._cluster = cluster
        self._on_shutdown = on_shutdown
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self.address = ""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._server = await asyncio.start_server(self._serve, host, port, limit=_MAX_LINE)
        bound_host, bound_port = self._server.sockets[0].getsockname()[:2]
        self.address = f"{bound_host}:{bound_port}"
        _logger.info("control.started", address=self.address)
        return self.address

    async def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        # Handlers go first: from Python 3.12 on, wait_closed() also waits for open control connections.
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            while True:
                try:
                    line = await reader.readline()
                except (ValueError, asyncio.LimitOverrunError):
                    await self._reply(writer, {"ok": False, "error": "line too long"})
                    return
                if not line:
                    return
                if not line.strip():
                    continue
                answer, stop = await self._execute(line.decode("utf-8", "replace"))
                await self._reply(writer, answer)
                if stop:
                    self._on_shutdown()
                    return
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            if task is not None:
                self._handlers.discard(task)
            writer.close()

    @staticmethod
    async def _reply(writer: asyncio.StreamWriter, answer: dict[str, Any]) -> None:
        writer.write(json.dumps(answer).encode("utf-8") + b"\n")
        await writer.drain()

    def _member(self, number: int | None) -> EmbeddedMember:
        members = self._cluster.members
        if number is None:
            raise ControlError("this command needs a member number")
        if not 0 <= number < len(members):
            raise ControlError(f"no member {number}; members are 0..{len(members) - 1}")
        return members[number]

    async def _execute(self, line: str) -> tuple[dict[str, Any], bool]:
        try:
            command, number = _parse(line)
            if command == "members":
                return {"ok": True, "members": [member_summary(m) for m in self._cluster.members]}, False
            if command == "shutdown":
                return {"ok": True}, True
            if command == "partitions":
                return {"ok": True, **partition_table(self._cluster)}, False
            if command == "add":
                if number is not None:
                    raise ControlError("add takes no member number: the new member gets the next one")
                member = await self._cluster.add_member()
                _logger.info("control.command", command=command, member=member.index)
                answer = {"ok": True, "member": member_summary(member)}
                return {**answer, "partition_table_version": self._cluster.partition_list_version}, False
            action = self._actions().get(command)
            if action is None:
                raise ControlError(f"unknown command {command!r}")
            member = self._member(number)
            await action(member)
            _logger.info("control.command", command=command, member=member.index)
            return {"ok": True, "member": member_summary(member)}, False
        except ControlError as error:
            return {"ok": False, "error": str(error)}, False
        except Exception as error:
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}, False

    @staticmethod
    def _actions() -> dict[str, Callable[[EmbeddedMember], Awaitable[None]]]:
        async def suspend(member: EmbeddedMember) -> None:
            member.suspend()

        async def resume(member: EmbeddedMember) -> None:
            member.resume()

        async def drop(member: EmbeddedMember) -> None:
            member.drop_connections()

        return {
            "kill": EmbeddedMember.kill,
            "restart": EmbeddedMember.restart,
            "shutdown-member": EmbeddedMember.shutdown,
            "suspend": suspend,
            "resume": resume,
            "drop": drop,
        }
