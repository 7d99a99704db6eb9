"""Settings of a map, the ``map`` section of the member configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hazelcast.embedded.config import MAX_BACKUP_COUNT, parse_settings
from hazelcast.embedded.map.eviction import EvictionConfig
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["MAP_CONFIG_SECTION", "MapConfig", "MapStoreConfig"]


@dataclass(frozen=True, slots=True)
class MapStoreConfig:
    """The ``map-store`` of a map: the Python class that loads and stores its entries (see
    :mod:`hazelcast.embedded.map.store` for the methods it implements).

    ``class_name``: ``"package.module:Class"`` (or ``package.module.Class``), created without arguments; or
    ``factory_id`` and ``class_id`` of a server class registered through ``hazelcast_embedded_server_classes``.
    ``write_delay_seconds``: 0 writes through on every change; above 0 writes behind, in batches, that many seconds
    after the first pending change (``Map.flush`` writes at once). ``initial_load_mode``: ``LAZY`` or ``EAGER``
    (both load every key on the map's first use here). ``write_coalescing``: with write-behind, only the last change
    of a key is written.
    """

    enabled: bool = True
    class_name: str = ""
    factory_id: int = 0
    class_id: int = 0
    write_delay_seconds: int = 0
    write_batch_size: int = 1
    write_coalescing: bool = True
    initial_load_mode: str = "LAZY"

    def __post_init__(self) -> None:
        if self.write_delay_seconds < 0:
            raise InvalidConfigurationError(f"write-delay-seconds must be >= 0, got {self.write_delay_seconds}")
        if self.write_batch_size < 1:
            raise InvalidConfigurationError(f"write-batch-size must be >= 1, got {self.write_batch_size}")
        if self.initial_load_mode not in ("LAZY", "EAGER"):
            raise InvalidConfigurationError(f"initial-load-mode must be LAZY or EAGER, got {self.initial_load_mode!r}")
        if self.enabled and not self.class_name and not (self.factory_id or self.class_id):
            raise InvalidConfigurationError("map-store needs class-name, or factory-id and class-id")


@dataclass(frozen=True, slots=True)
class MapConfig:
    """Per-map settings, by name pattern under ``map:`` (``time-to-live-seconds``, ``max-idle-seconds``...).

    ``time_to_live_seconds``: lifetime of an entry after its last write when a put passes no TTL (0 = forever).
    ``max_idle_seconds``: an entry not read or written for this long expires (0 = never).
    ``backup_count``: synchronous backup replicas, 0 to 6.
    ``per_entry_stats_enabled``: keep creation, access and update times and hit counts for entry views (off by
    default, as on a member: entry views then report -1 for them).
    ``eviction``: ``{eviction-policy, max-size-policy, size}`` (see :mod:`hazelcast.embedded.map.eviction`).
    """

    time_to_live_seconds: int = 0
    max_idle_seconds: int = 0
    backup_count: int = 1
    per_entry_stats_enabled: bool = False
    eviction: EvictionConfig = EvictionConfig()
    #: The ``map-store`` section (a mapping in the YAML), or None.
    map_store: MapStoreConfig | Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.eviction, EvictionConfig):
            object.__setattr__(self, "eviction", parse_settings(EvictionConfig, self.eviction, "map.eviction"))
        if self.map_store is not None and not isinstance(self.map_store, MapStoreConfig):
            object.__setattr__(self, "map_store", parse_settings(MapStoreConfig, self.map_store, "map-store"))
        if self.time_to_live_seconds < 0:
            raise InvalidConfigurationError(f"time-to-live-seconds must be >= 0, got {self.time_to_live_seconds}")
        if self.max_idle_seconds < 0:
            raise InvalidConfigurationError(f"max-idle-seconds must be >= 0, got {self.max_idle_seconds}")
        if not 0 <= self.backup_count <= MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(
                f"backup-count must be between 0 and {MAX_BACKUP_COUNT}, got {self.backup_count}"
            )


MAP_CONFIG_SECTION = StructureConfigSpec(section="map", settings_type=MapConfig)
