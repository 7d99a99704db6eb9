"""Running user callbacks: sync ones inline, ``async def`` ones in tasks the client owns; failures are logged."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

__all__ = ["CallbackRunner"]

_logger = structlog.get_logger("hazelcast.listener")


#: How long a shutting-down client waits for async listener callbacks still running.
CLOSE_GRACE_SECONDS = 2.0


class CallbackRunner:
    """Isolates the client from its users' listener code: an exception is logged, never propagated."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._tasks: set[asyncio.Task[Any]] = set()

    def run(self, event_name: str, callback: Callable[..., Any], *args: Any) -> None:
        try:
            result = callback(*args)
        except Exception:
            _logger.exception("listener.callback_failed", listener_event=event_name)
            return
        if result is not None and inspect.isawaitable(result):
            task = self._loop.create_task(self._await(event_name, result))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _await(self, event_name: str, awaitable: Awaitable[Any]) -> None:
        try:
            await awaitable
        except Exception:
            _logger.exception("listener.callback_failed", listener_event=event_name)

    async def close(self, grace: float = CLOSE_GRACE_SECONDS) -> None:
        """Let running async callbacks finish (the SHUTDOWN listener's among them) for up to ``grace`` seconds, then
        cancel the rest."""
        tasks = list(self._tasks)
        if tasks and grace > 0:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
