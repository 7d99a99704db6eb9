"""The official client's import path for these names; they live in ``hazelcast.cp.subsystem``."""

from hazelcast.cp.subsystem import CPSubsystem

__all__ = ["CPSubsystem"]
