"""Distributed collections for the hazelcast asyncio client: ``Map``, ``MultiMap``, ``ReplicatedMap``."""

from hazelcast.collections.entry_event import EntryEvent, EntryEventType
from hazelcast.collections.map import Map
from hazelcast.collections.multi_map import MultiMap
from hazelcast.collections.replicated_map import ReplicatedMap

__all__ = ["EntryEvent", "EntryEventType", "Map", "MultiMap", "ReplicatedMap"]
