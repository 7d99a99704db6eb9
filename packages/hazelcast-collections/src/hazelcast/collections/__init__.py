"""Distributed data structures for the hazelcast asyncio client: ``Map``, ``MultiMap``, ``ReplicatedMap``, ``List``,
``Set``, ``Queue``, ``Ringbuffer``, ``PNCounter``, ``FlakeIdGenerator`` and ``Executor``."""

from hazelcast.collections.executor import Executor
from hazelcast.collections.flake_id_generator import FlakeIdGenerator
from hazelcast.collections.list import List
from hazelcast.collections.map import Map
from hazelcast.collections.multi_map import MultiMap
from hazelcast.collections.pn_counter import PNCounter
from hazelcast.collections.queue import Queue
from hazelcast.collections.replicated_map import ReplicatedMap
from hazelcast.collections.ringbuffer import ReadResult, Ringbuffer
from hazelcast.collections.set import Set

# Re-exported for compatibility: the one definition lives at the official client's path, hazelcast.proxy.base.
from hazelcast.proxy.base import EntryEvent, EntryEventType

__all__ = [
    "EntryEvent",
    "EntryEventType",
    "Executor",
    "FlakeIdGenerator",
    "List",
    "Map",
    "MultiMap",
    "PNCounter",
    "Queue",
    "ReadResult",
    "ReplicatedMap",
    "Ringbuffer",
    "Set",
]
