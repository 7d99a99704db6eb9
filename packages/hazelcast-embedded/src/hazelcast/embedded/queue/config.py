"""Settings of queues: the ``queue`` section of the member configuration."""

from __future__ import annotations

from dataclasses import dataclass

from hazelcast.embedded.collection.config import BoundedItemsSettings
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["QUEUE_CONFIG_SECTION", "QueueConfig"]


@dataclass(frozen=True, slots=True)
class QueueConfig(BoundedItemsSettings):
    """Per-queue settings, by name pattern under ``queue:`` (the keys of Hazelcast's hazelcast.yaml).

    ``max_size`` (``max-size``): most items the queue holds, 0 for unbounded (``Integer.MAX_VALUE``); a full queue
    answers ``offer`` with false and parks ``put`` and ``offer(timeout)`` until a consumer makes room.
    ``backup_count`` (``backup-count``): synchronous backup replicas, 0 to 6;
    ``async_backup_count`` (``async-backup-count``): more replicas, which the embedded member also copies at once.
    ``empty_queue_ttl`` (``empty-queue-ttl``): seconds after which a queue that stayed empty (and that nobody waits
    on) is destroyed; -1 (the default) keeps it.
    ``statistics_enabled`` (``statistics-enabled``): accepted so that hazelcast.yaml snippets load as they are; the
    embedded member keeps no per-queue statistics.
    """

    max_size: int = 0
    backup_count: int = 1
    async_backup_count: int = 0
    empty_queue_ttl: int = -1
    statistics_enabled: bool = True

    def __post_init__(self) -> None:
        self._check_size_and_backups()
        if self.empty_queue_ttl < -1:
            raise InvalidConfigurationError(f"empty-queue-ttl must be -1 or >= 0, got {self.empty_queue_ttl}")


QUEUE_CONFIG_SECTION = StructureConfigSpec(section="queue", settings_type=QueueConfig)
