"""The official client's import path for these names; they live in ``hazelcast.cp.semaphore``."""

from hazelcast.cp.semaphore import Semaphore, SessionAwareSemaphore, SessionlessSemaphore

__all__ = ["Semaphore", "SessionAwareSemaphore", "SessionlessSemaphore"]
