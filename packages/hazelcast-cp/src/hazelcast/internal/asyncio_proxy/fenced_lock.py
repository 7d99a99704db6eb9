"""The official client's import path for these names; they live in ``hazelcast.cp.fenced_lock``."""

from hazelcast.cp.fenced_lock import FencedLock

__all__ = ["FencedLock"]
