"""The embedded member's IMap service: configuration, record stores and message handlers."""

from hazelcast.embedded.map.config import MAP_CONFIG_SECTION, MapConfig
from hazelcast.embedded.map.records import Record, RecordStore
from hazelcast.embedded.map.service import (
    MAP_SERVICE,
    MAP_SERVICE_NAME,
    sweep_expired_entries,
)

__all__ = [
    "MAP_CONFIG_SECTION",
    "MAP_SERVICE",
    "MAP_SERVICE_NAME",
    "MapConfig",
    "Record",
    "RecordStore",
    "sweep_expired_entries",
]
