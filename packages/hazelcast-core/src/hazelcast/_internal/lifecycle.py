"""Lifecycle states of the client and the listeners that watch them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import structlog

from hazelcast._internal.callbacks import CallbackRunner

__all__ = ["LifecycleService", "LifecycleState"]

_logger = structlog.get_logger("hazelcast.lifecycle")


class LifecycleState:
    """The states a client goes through; listeners receive these strings."""

    STARTING = "STARTING"
    STARTED = "STARTED"
    CONNECTED = "CONNECTED"
    DISCONNECTED = "DISCONNECTED"
    #: A failover client connected to another cluster of its list (before CONNECTED).
    CHANGED_CLUSTER = "CHANGED_CLUSTER"
    SHUTTING_DOWN = "SHUTTING_DOWN"
    SHUTDOWN = "SHUTDOWN"


class LifecycleService:
    """Tells whether the client runs and calls listeners on every state change.

    A listener is ``fn(state: str)``; an ``async def`` listener is awaited in a task the client owns. A listener that
    raises is logged and does not stop the others.
    """

    def __init__(self, callbacks: CallbackRunner, listeners: list[Callable[[str], Any]] | None = None) -> None:
        self._callbacks = callbacks
        self._listeners: dict[str, Callable[[str], Any]] = {}
        self._shutdown_tasks: set[asyncio.Task[None]] = set()
        self.running = False
        self.state: str | None = None
        #: Set by the client: shuts it down (used when reconnection is off or gives up).
        self.shutdown_callback: Callable[[], Coroutine[Any, Any, None]] | None = None
        for listener in listeners or ():
            self.add_listener(listener)

    def is_running(self) -> bool:
        """True from the start of the client until it begins shutting down."""
        return self.running

    def add_listener(self, on_state_change: Callable[[str], Any]) -> str:
        """Add a listener of state changes; returns its registration id."""
        if not callable(on_state_change):
            raise TypeError("on_state_change must be callable")
        registration_id = str(uuid.uuid4())
        self._listeners[registration_id] = on_state_change
        return registration_id

    def remove_listener(self, registration_id: str) -> bool:
        """Remove a listener; False when there was none with that id."""
        return self._listeners.pop(registration_id, None) is not None

    def fire(self, state: str) -> None:
        if state == LifecycleState.STARTING:
            self.running = True
        elif state == LifecycleState.SHUTTING_DOWN:
            self.running = False
        self.state = state
        _logger.info("lifecycle.state_changed", state=state)
        for listener in list(self._listeners.values()):
            self._callbacks.run("lifecycle", listener, state)

    def request_shutdown(self) -> None:
        """Shut the client down in a task of its own, for code that the shutdown itself would cancel."""
        if self.shutdown_callback is None or not self.running:
            return
        task = asyncio.get_running_loop().create_task(self.shutdown_callback())
        self._shutdown_tasks.add(task)
        task.add_done_callback(self._shutdown_tasks.discard)
