"""The official client's import path for these names; they live in ``hazelcast.cp.atomic_reference``."""

from hazelcast.cp.atomic_reference import AtomicReference

__all__ = ["AtomicReference"]
