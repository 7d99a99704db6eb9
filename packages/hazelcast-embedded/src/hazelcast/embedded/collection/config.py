"""Settings of lists and sets: the ``list`` and ``set`` sections of the member configuration, and the size bound and
backups that queues share with them."""

from __future__ import annotations

from dataclasses import dataclass

from hazelcast.embedded.config import MAX_BACKUP_COUNT
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["LIST_CONFIG_SECTION", "SET_CONFIG_SECTION", "BoundedItemsSettings", "CollectionConfig"]


class BoundedItemsSettings:
    """What the settings of lists, sets and queues share: ``max-size`` and the backup counts, their checks and the
    figures the services use. Mixed into each one's dataclass, which declares the three fields."""

    __slots__ = ()

    max_size: int
    backup_count: int
    async_backup_count: int

    def _check_size_and_backups(self) -> None:
        if self.max_size < 0:
            raise InvalidConfigurationError(f"max-size must be >= 0, got {self.max_size}")
        if not 0 <= self.backup_count <= MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(
                f"backup-count must be between 0 and {MAX_BACKUP_COUNT}, got {self.backup_count}"
            )
        if self.async_backup_count < 0 or self.backup_count + self.async_backup_count > MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(
                f"async-backup-count must be >= 0 and backup-count + async-backup-count <= {MAX_BACKUP_COUNT}, "
                f"got {self.backup_count} + {self.async_backup_count}"
            )

    @property
    def total_backup_count(self) -> int:
        """Every backup replica the items are copied to: the embedded member makes asynchronous backups at once too."""
        return self.backup_count + self.async_backup_count

    @property
    def capacity(self) -> int:
        """The effective bound on the number of items."""
        return self.max_size if self.max_size > 0 else 2**31 - 1


@dataclass(frozen=True, slots=True)
class CollectionConfig(BoundedItemsSettings):
    """Per-list or per-set settings, by name pattern under ``list:`` / ``set:`` (as in Hazelcast's hazelcast.yaml).

    ``max_size`` (``max-size``): most items the collection holds; 0 means unbounded (Java's default,
    ``Integer.MAX_VALUE``). ``backup_count`` (``backup-count``): synchronous backup replicas, 0 to 6;
    ``async_backup_count`` (``async-backup-count``): more replicas, which the embedded member also copies at once.
    ``statistics_enabled`` (``statistics-enabled``): accepted so that hazelcast.yaml snippets load as they are; the
    embedded member keeps no per-collection statistics.
    """

    max_size: int = 0
    backup_count: int = 1
    async_backup_count: int = 0
    statistics_enabled: bool = True

    def __post_init__(self) -> None:
        self._check_size_and_backups()


LIST_CONFIG_SECTION = StructureConfigSpec(section="list", settings_type=CollectionConfig)
SET_CONFIG_SECTION = StructureConfigSpec(section="set", settings_type=CollectionConfig)
