"""Distributed collections for the hazelcast asyncio client: ``Map`` (more types come in later releases)."""

from hazelcast.collections.map import Map

__all__ = ["Map"]
