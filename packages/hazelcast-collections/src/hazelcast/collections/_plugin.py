"""hazelcast-collections' plugin: registers its proxy types and ``client.sql`` with the client (entry point
``hazelcast.plugins``)."""

from __future__ import annotations

from hazelcast.collections._near_cached_map import create_map_proxy
from hazelcast.collections.executor import Executor
from hazelcast.collections.flake_id_generator import FlakeIdGenerator
from hazelcast.collections.list import List
from hazelcast.collections.map import Map
from hazelcast.collections.multi_map import MultiMap
from hazelcast.collections.pn_counter import PNCounter
from hazelcast.collections.queue import Queue
from hazelcast.collections.replicated_map import ReplicatedMap
from hazelcast.collections.ringbuffer import Ringbuffer
from hazelcast.collections.set import Set
from hazelcast.plugin import ClientServiceType, ProxyType, hookimpl
from hazelcast.sql import SqlService
from hazelcast.sql._service import close_sql_service

MAP_SERVICE = "hz:impl:mapService"
MULTI_MAP_SERVICE = "hz:impl:multiMapService"
REPLICATED_MAP_SERVICE = "hz:impl:replicatedMapService"
LIST_SERVICE = "hz:impl:listService"
SET_SERVICE = "hz:impl:setService"
QUEUE_SERVICE = "hz:impl:queueService"
PN_COUNTER_SERVICE = "hz:impl:PNCounterService"
FLAKE_ID_GENERATOR_SERVICE = "hz:impl:flakeIdGeneratorService"
EXECUTOR_SERVICE = "hz:impl:executorService"
RINGBUFFER_SERVICE = "hz:impl:ringbufferService"


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [
        ProxyType(MAP_SERVICE, Map, accessor="get_map", factory=create_map_proxy),
        ProxyType(MULTI_MAP_SERVICE, MultiMap, accessor="get_multi_map"),
        ProxyType(REPLICATED_MAP_SERVICE, ReplicatedMap, accessor="get_replicated_map"),
        ProxyType(LIST_SERVICE, List, accessor="get_list"),
        ProxyType(SET_SERVICE, Set, accessor="get_set"),
        ProxyType(QUEUE_SERVICE, Queue, accessor="get_queue"),
        ProxyType(PN_COUNTER_SERVICE, PNCounter, accessor="get_pn_counter"),
        ProxyType(FLAKE_ID_GENERATOR_SERVICE, FlakeIdGenerator, accessor="get_flake_id_generator"),
        ProxyType(EXECUTOR_SERVICE, Executor, accessor="get_executor"),
        ProxyType(RINGBUFFER_SERVICE, Ringbuffer, accessor="get_ringbuffer"),
    ]


@hookimpl
def hazelcast_client_services() -> list[ClientServiceType]:
    return [ClientServiceType("sql", SqlService, close=close_sql_service)]
