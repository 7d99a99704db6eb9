"""Settings of vector collections: the ``vector-collection`` section of the member configuration, and the
configurations clients add at run time (``DynamicConfig.addVectorCollectionConfig``).

In a configuration file, as in a Hazelcast member's ``hazelcast.yaml``::

    vector-collection:
      products:
        backup-count: 1
        indexes:
          - name: text
            dimension: 384
            metric: COSINE          # EUCLIDEAN, COSINE or DOT
            max-degree: 32
            ef-construction: 100
            use-deduplication: true

Unlike other structures a vector collection has no default configuration: using a collection that no configuration
names is an error. Added configurations are looked up first (exact name, then the best ``*`` pattern), then the
file's. ``async-backup-count`` backups are kept synchronously here, in addition to ``backup-count``. A client's
split-brain protection name, merge policy and merge batch size are accepted and not used: an in-process cluster
never splits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from hazelcast.embedded.config import MAX_BACKUP_COUNT, parse_settings
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = [
    "METRIC_NAMES",
    "VECTOR_CONFIG_SECTION",
    "VectorCollectionSettings",
    "VectorIndexSettings",
    "match_pattern",
]

#: Protocol metric ids by name (com.hazelcast.config.vector.Metric).
METRIC_NAMES = {"EUCLIDEAN": 0, "COSINE": 1, "DOT": 2}


@dataclass(frozen=True, slots=True)
class VectorIndexSettings:
    """One index: its ``name`` (may be None or "" in a single-index collection), vector ``dimension``, ``metric``
    (0 EUCLIDEAN, 1 COSINE, 2 DOT, or the name), graph ``max_degree``, ``ef_construction`` and
    ``use_deduplication``."""

    name: str | None = None
    dimension: int = 0
    metric: int | str = 0
    max_degree: int = 32
    ef_construction: int = 100
    use_deduplication: bool = True

    def __post_init__(self) -> None:
        metric = self.metric
        if isinstance(metric, str):
            if metric.upper() not in METRIC_NAMES:
                raise InvalidConfigurationError(f"unknown metric {metric!r}; known: {sorted(METRIC_NAMES)}")
            object.__setattr__(self, "metric", METRIC_NAMES[metric.upper()])
        elif isinstance(metric, bool) or not isinstance(metric, int) or metric not in METRIC_NAMES.values():
            raise InvalidConfigurationError(f"unknown metric {metric!r}")
        else:
            object.__setattr__(self, "metric", int(metric))
        if self.name is not None and not isinstance(self.name, str):
            raise InvalidConfigurationError(f"an index name must be a string, got {self.name!r}")
        for field_name in ("dimension", "max_degree", "ef_construction"):
            value = getattr(self, field_name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidConfigurationError(
                    f"index {self.name!r}: {field_name.replace('_', '-')} must be a positive integer, got {value!r}"
                )
        if not isinstance(self.use_deduplication, bool):
            raise InvalidConfigurationError(f"index {self.name!r}: use-deduplication must be true or false")

    @property
    def display_name(self) -> str:
        return self.name or ""


@dataclass(frozen=True, slots=True)
class VectorCollectionSettings:
    """A collection's ``indexes`` (at least one, unique names) and its ``backup_count`` / ``async_backup_count``."""

    indexes: tuple[VectorIndexSettings, ...] = ()
    backup_count: int = 1
    async_backup_count: int = 0

    def __post_init__(self) -> None:
        raw = self.indexes
        if isinstance(raw, Mapping) or isinstance(raw, (str, bytes)) or not hasattr(raw, "__iter__"):
            raise InvalidConfigurationError(f"indexes must be a list of index settings, got {raw!r}")
        indexes = tuple(
            parse_settings(VectorIndexSettings, index, f"indexes[{position}]")
            if isinstance(index, (Mapping, VectorIndexSettings))
            else _from_protocol(index)
            for position, index in enumerate(raw)
        )
        object.__setattr__(self, "indexes", indexes)
        names = [index.display_name for index in indexes]
        if len(set(names)) != len(names):
            raise InvalidConfigurationError(f"index names must be unique, got {names}")
        if len(indexes) > 1 and not all(names):
            raise InvalidConfigurationError("every index of a collection with several indexes needs a name")
        for field_name in ("backup_count", "async_backup_count"):
            value = getattr(self, field_name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BACKUP_COUNT:
                raise InvalidConfigurationError(
                    f"{field_name.replace('_', '-')} must be between 0 and {MAX_BACKUP_COUNT}, got {value!r}"
                )
        if self.backup_count + self.async_backup_count > MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(f"backup-count + async-backup-count must be at most {MAX_BACKUP_COUNT}")

    @property
    def total_backups(self) -> int:
        return self.backup_count + self.async_backup_count


def _from_protocol(index: Any) -> VectorIndexSettings:
    """An index configuration as a client sent it (the decoded VectorIndexConfig)."""
    try:
        return VectorIndexSettings(
            name=index.name,
            dimension=index.dimension,
            metric=index.metric,
            max_degree=index.max_degree,
            ef_construction=index.ef_construction,
            use_deduplication=index.use_deduplication,
        )
    except AttributeError as error:
        raise InvalidConfigurationError(f"not an index configuration: {index!r}") from error


PatternValue = TypeVar("PatternValue")


def match_pattern(patterns: Mapping[str, PatternValue], name: str) -> PatternValue | None:
    """The value of ``name``'s exact entry, else of the ``*`` pattern matching it with the most literal characters."""
    base = name.partition("@")[0]
    found = patterns.get(base)
    if found is not None:
        return found
    best: tuple[int, PatternValue] | None = None
    for pattern, value in patterns.items():
        if pattern.count("*") != 1:
            continue
        prefix, _, suffix = pattern.partition("*")
        if len(base) >= len(prefix) + len(suffix) and base.startswith(prefix) and base.endswith(suffix):
            score = len(prefix) + len(suffix)
            if best is None or score > best[0]:
                best = (score, value)
    return None if best is None else best[1]


VECTOR_CONFIG_SECTION = StructureConfigSpec(section="vector-collection", settings_type=VectorCollectionSettings)
