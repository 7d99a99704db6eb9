"""Distributed collections for the hazelcast asyncio client: ``Map``, ``List``, ``Set``, ``Queue``."""

from hazelcast.collections.list import List
from hazelcast.collections.map import Map
from hazelcast.collections.queue import Queue
from hazelcast.collections.set import Set

__all__ = ["List", "Map", "Queue", "Set"]
