"""Size-bound eviction of map entries, configured as a member does under ``map: <name>: eviction:``.

``eviction-policy`` is ``NONE`` (the default: never evict), ``LRU`` (least recently read or written first), ``LFU``
(fewest reads first) or ``RANDOM``; ``max-size-policy`` is ``PER_NODE`` (``size`` entries per member, spread over its
partitions as a member does: a partition may hold ``size * members / partitions`` entries) or ``PER_PARTITION``
(``size`` entries per partition). When a put adds an entry beyond the bound, entries are evicted (from a sample of
:data:`SAMPLE_SIZE`, as a member samples) until the partition is within it again; each eviction publishes
``EVICTED``. Locked entries and the entry just written are never evicted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from collections.abc import Mapping
from itertools import islice
from typing import TYPE_CHECKING

from hazelcast.errors import InvalidConfigurationError

if TYPE_CHECKING:
    from hazelcast.embedded.map.records import RecordStore
    from hazelcast.embedded.requests import MemberRequest
    from hazelcast.embedded.spec import StateKey

__all__ = ["EVICTION_POLICIES", "MAX_SIZE_POLICIES", "SAMPLE_SIZE", "EvictionConfig", "evict_to_size"]

EVICTION_POLICIES = ("NONE", "LRU", "LFU", "RANDOM")
MAX_SIZE_POLICIES = ("PER_NODE", "PER_PARTITION")
#: Entries a member compares to pick one to evict.
SAMPLE_SIZE = 15


@dataclass(frozen=True, slots=True)
class EvictionConfig:
    """``eviction:`` of a map: ``eviction-policy``, ``max-size-policy`` and ``size``."""

    eviction_policy: str = "NONE"
    max_size_policy: str = "PER_NODE"
    size: int = 2**31 - 1

    def __post_init__(self) -> None:
        if self.eviction_policy not in EVICTION_POLICIES:
            raise InvalidConfigurationError(
                f"eviction-policy must be one of {', '.join(EVICTION_POLICIES)}, got {self.eviction_policy!r}"
            )
        if self.max_size_policy not in MAX_SIZE_POLICIES:
            raise InvalidConfigurationError(
                f"max-size-policy must be one of {', '.join(MAX_SIZE_POLICIES)} on the embedded member, "
                f"got {self.max_size_policy!r}"
            )
        if self.size < 1:
            raise InvalidConfigurationError(f"eviction size must be at least 1, got {self.size}")


def _partition_limit(request: MemberRequest, config: EvictionConfig) -> int:
    if config.max_size_policy == "PER_PARTITION":
        return config.size
    cluster = request.cluster
    return max(1, config.size * len(cluster.live_members) // cluster.partition_count)


def evict_to_size(
    request: MemberRequest, store: RecordStore, state_key: StateKey, partition_id: int, spared: bytes | None
) -> None:
    """Evict entries of ``store`` (in ``partition_id``) until it is within its configured bound, sparing the key
    just written."""
    from hazelcast.embedded.map import events

    config: EvictionConfig = store.config.eviction
    limit = _partition_limit(request, config)
    records = store.records
    if len(records) <= limit:
        return
    cluster = request.cluster
    locks = store.locks
    policy = config.eviction_policy
    while len(records) > limit:
        candidates = [
            key for key in _sample(records, policy)
            if key != spared and (not locks.locks or not locks.is_locked(key))
        ]
        if not candidates:
            return
        if policy == "LRU":
            victim = min(candidates, key=lambda key: records[key].last_access_time)
        elif policy == "LFU":
            victim = min(candidates, key=lambda key: records[key].hits)
        else:
            victim = random.choice(candidates)
        record = store.remove(victim)
        assert record is not None
        if store.backup_count:

            def remove_from(backup: RecordStore, victim: bytes = victim) -> None:
                backup.remove(victim)

            request.backup(store, state_key, remove_from, partition_id)
        events.entry_changed(cluster, partition_id, store, events.EVICTED, victim, None, record.value)


def _sample(records: Mapping[bytes, object], policy: str) -> list[bytes]:
    if len(records) <= SAMPLE_SIZE + 1:
        return list(records)
    if policy == "RANDOM":
        return random.sample(list(records), SAMPLE_SIZE + 1)
    # Dicts keep insertion order: the first entries are the oldest writes, a fair sample for LRU/LFU.
    start = random.randrange(0, max(1, len(records) - SAMPLE_SIZE - 1))
    return list(islice(records, start, start + SAMPLE_SIZE + 1))
