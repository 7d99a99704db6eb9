"""The official client's import path for these names; they live in ``hazelcast.cp.atomic_long``."""

from hazelcast.cp.atomic_long import AtomicLong

__all__ = ["AtomicLong"]
