"""Distributed data structures for the hazelcast asyncio client: ``Map``, ``List``, ``Set``, ``Queue``, ``PNCounter``,
``FlakeIdGenerator`` and ``Executor``."""

from hazelcast.collections.executor import Executor
from hazelcast.collections.flake_id_generator import FlakeIdGenerator
from hazelcast.collections.list import List
from hazelcast.collections.map import Map
from hazelcast.collections.pn_counter import PNCounter
from hazelcast.collections.queue import Queue
from hazelcast.collections.set import Set

__all__ = ["Executor", "FlakeIdGenerator", "List", "Map", "PNCounter", "Queue", "Set"]
