"""Lifecycle states of the client and the service that reports them."""

from hazelcast._internal.lifecycle import LifecycleService, LifecycleState

__all__ = ["LifecycleService", "LifecycleState"]
