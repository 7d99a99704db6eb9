"""The official client's import path for these names; they live in ``hazelcast.cp.count_down_latch``."""

from hazelcast.cp.count_down_latch import CountDownLatch

__all__ = ["CountDownLatch"]
