"""Distributed data structures for the hazelcast asyncio client: ``Map``, ``MultiMap``, ``ReplicatedMap``, ``List``,
``Set``, ``Queue``, ``PNCounter``, ``FlakeIdGenerator`` and ``Executor``."""

from hazelcast.collections.entry_event import EntryEvent, EntryEventType
from hazelcast.collections.executor import Executor
from hazelcast.collections.flake_id_generator import FlakeIdGenerator
from hazelcast.collections.list import List
from hazelcast.collections.map import Map
from hazelcast.collections.multi_map import MultiMap
from hazelcast.collections.pn_counter import PNCounter
from hazelcast.collections.queue import Queue
from hazelcast.collections.replicated_map import ReplicatedMap
from hazelcast.collections.set import Set

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
    "ReplicatedMap",
    "Set",
]
