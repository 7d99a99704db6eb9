"""Settings of a ringbuffer, the ``ringbuffer`` section of the member configuration."""

from __future__ import annotations

from dataclasses import dataclass

from hazelcast.embedded.config import MAX_BACKUP_COUNT
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["RINGBUFFER_CONFIG_SECTION", "RingbufferConfig"]

_IN_MEMORY_FORMATS = ("BINARY", "OBJECT")


@dataclass(frozen=True, slots=True)
class RingbufferConfig:
    """Per-ringbuffer settings, by name pattern under ``ringbuffer:`` as in a member's ``hazelcast.yaml``.

    ``capacity``: most items held; adding beyond it overwrites the oldest (or fails, see ``Ringbuffer.add``).
    ``time_to_live_seconds``: an item is removed this long after it was added (0 = kept until overwritten); with a
    time to live, ``remaining_capacity`` counts the free slots and the FAIL overflow policy refuses to overwrite a
    live item, as on a Java member.
    ``backup_count`` / ``async_backup_count``: backup replicas (the member keeps both kinds synchronously).
    ``in_memory_format``: ``BINARY`` or ``OBJECT``; items are kept serialized either way.
    """

    capacity: int = 10_000
    time_to_live_seconds: int = 0
    backup_count: int = 1
    async_backup_count: int = 0
    in_memory_format: str = "BINARY"

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise InvalidConfigurationError(f"capacity must be at least 1, got {self.capacity}")
        if self.time_to_live_seconds < 0:
            raise InvalidConfigurationError(f"time-to-live-seconds must be >= 0, got {self.time_to_live_seconds}")
        if not 0 <= self.backup_count + self.async_backup_count <= MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(
                f"backup-count plus async-backup-count must be between 0 and {MAX_BACKUP_COUNT}, got "
                f"{self.backup_count} + {self.async_backup_count}"
            )
        if self.async_backup_count < 0:
            raise InvalidConfigurationError(f"async-backup-count must be >= 0, got {self.async_backup_count}")
        if self.in_memory_format.upper() not in _IN_MEMORY_FORMATS:
            raise InvalidConfigurationError(
                f"in-memory-format must be one of {', '.join(_IN_MEMORY_FORMATS)}, got {self.in_memory_format!r}"
            )

    @property
    def total_backup_count(self) -> int:
        return self.backup_count + self.async_backup_count


RINGBUFFER_CONFIG_SECTION = StructureConfigSpec(section="ringbuffer", settings_type=RingbufferConfig)
