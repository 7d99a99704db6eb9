"""Distributed collections for the hazelcast asyncio client: ``Map``, ``Ringbuffer`` (more types come later)."""

from hazelcast.collections.map import Map
from hazelcast.collections.ringbuffer import ReadResult, Ringbuffer

__all__ = ["Map", "ReadResult", "Ringbuffer"]
