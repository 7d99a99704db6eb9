"""Settings of a map, the ``map`` section of the member configuration."""

from __future__ import annotations

from dataclasses import dataclass

from hazelcast.embedded.config import MAX_BACKUP_COUNT, parse_settings
from hazelcast.embedded.map.eviction import EvictionConfig
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["MAP_CONFIG_SECTION", "MapConfig"]


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

    def __post_init__(self) -> None:
        if not isinstance(self.eviction, EvictionConfig):
            object.__setattr__(self, "eviction", parse_settings(EvictionConfig, self.eviction, "map.eviction"))
        if self.time_to_live_seconds < 0:
            raise InvalidConfigurationError(f"time-to-live-seconds must be >= 0, got {self.time_to_live_seconds}")
        if self.max_idle_seconds < 0:
            raise InvalidConfigurationError(f"max-idle-seconds must be >= 0, got {self.max_idle_seconds}")
        if not 0 <= self.backup_count <= MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(
                f"backup-count must be between 0 and {MAX_BACKUP_COUNT}, got {self.backup_count}"
            )


MAP_CONFIG_SECTION = StructureConfigSpec(section="map", settings_type=MapConfig)
