"""Settings of a MultiMap, the ``multimap`` section of the member configuration."""

from __future__ import annotations

from dataclasses import dataclass

from hazelcast.embedded.config import MAX_BACKUP_COUNT
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["MULTIMAP_CONFIG_SECTION", "MultiMapConfig"]

_COLLECTION_TYPES = ("SET", "LIST")


@dataclass(frozen=True, slots=True)
class MultiMapConfig:
    """Per-MultiMap settings, by name pattern under ``multimap:``.

    ``value_collection_type``: ``SET`` (a key holds each value once; ``put`` of a value it has returns False) or
    ``LIST`` (duplicates kept, in insertion order).
    ``backup_count``: synchronous backup replicas, 0 to 6.
    """

    value_collection_type: str = "SET"
    backup_count: int = 1

    def __post_init__(self) -> None:
        if self.value_collection_type.upper() not in _COLLECTION_TYPES:
            raise InvalidConfigurationError(
                f"value-collection-type must be SET or LIST, got {self.value_collection_type!r}"
            )
        if not 0 <= self.backup_count <= MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(
                f"backup-count must be between 0 and {MAX_BACKUP_COUNT}, got {self.backup_count}"
            )

    @property
    def is_set(self) -> bool:
        return self.value_collection_type.upper() == "SET"


MULTIMAP_CONFIG_SECTION = StructureConfigSpec(section="multimap", settings_type=MultiMapConfig)
