"""The client-side near cache of a map: recently read entries kept in the client, invalidated by the members.

Configured per map name (wildcards allowed) in ``Config.near_caches``; see
:class:`~hazelcast.config.NearCacheConfig` for the options.

**Never a stale value after an invalidation.** Members number the changes of each partition (a sequence per partition,
and a partition UUID that changes when a partition loses its owner without a graceful hand-over) and send them with
every invalidation. The cache keeps, per partition, the last UUID and sequence seen, and each cached entry remembers
those of its partition at the time it was read. A read on a miss first **reserves** the entry's slot, then asks the
member; the answer is stored only if the slot is still the same reservation: an invalidation that arrived in between
removed it, so a get racing a write never keeps the old value. An invalidation whose sequence skips numbers (events
lost while a connection was down) marks every entry of that partition read before it as stale, and so does a new
partition UUID: stale entries are dropped on their next read. The cache starts from the members' current numbers
(``Map.fetchNearCacheInvalidationMetadata``).

**Statistics** (:meth:`NearCache.get_statistics`, with the official client's names): hits, misses, evictions,
expirations, invalidations, owned entries and their approximate memory cost.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from itertools import islice
from typing import Any

from hazelcast.config import EvictionPolicy, InMemoryFormat, NearCacheConfig

__all__ = ["MISS", "NearCache", "find_near_cache_config"]


class _Miss:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISS"


#: What :meth:`NearCache.get` returns for a key it does not hold.
MISS: Any = _Miss()
_NEVER = float("inf")
_monotonic = time.monotonic


class _PartitionMetadata:
    """What the cache last heard of one partition."""

    __slots__ = ("uuid", "sequence", "stale_sequence")

    def __init__(self) -> None:
        self.uuid: uuid.UUID | None = None
        self.sequence = 0
        #: Entries read before this sequence may have missed an invalidation.
        self.stale_sequence = 0


class _Entry:
    __slots__ = ("value", "reservation", "expires", "last_access", "hits", "metadata", "uuid", "sequence")

    def __init__(self, reservation: int, metadata: _PartitionMetadata) -> None:
        self.value: Any = None
        self.reservation = reservation
        self.expires = _NEVER
        self.last_access = 0.0
        self.hits = 0
        self.metadata = metadata
        self.uuid = metadata.uuid
        self.sequence = metadata.sequence


def find_near_cache_config(near_caches: dict[str, NearCacheConfig], name: str) -> NearCacheConfig | None:
    """The near cache settings of map ``name``: an exact entry, else the most specific ``*`` pattern."""
    found = near_caches.get(name)
    if found is not None:
        return found
    best: tuple[int, NearCacheConfig] | None = None
    for pattern, config in near_caches.items():
        if pattern.count("*") != 1:
            continue
        prefix, suffix = pattern.split("*")
        if len(name) >= len(prefix) + len(suffix) and name.startswith(prefix) and name.endswith(suffix):
            specificity = len(prefix) + len(suffix)
            if best is None or specificity > best[0]:
                best = (specificity, config)
    return None if best is None else best[1]


class NearCache:
    """The near cache of one map (see the module documentation)."""

    def __init__(
        self,
        name: str,
        config: NearCacheConfig,
        to_object: Callable[[Any], Any],
        partition_of: Callable[[bytes], int],
    ) -> None:
        self.name = name
        self.config = config
        self._to_object = to_object
        self._partition_of = partition_of
        self._binary = config.in_memory_format == InMemoryFormat.BINARY
        self._ttl = _NEVER if config.time_to_live is None else float(config.time_to_live)
        self._max_idle = 0.0 if config.max_idle is None else float(config.max_idle)
        self._max_size = config.eviction_max_size
        self._policy = config.eviction_policy
        self._sampling = config.eviction_sampling_count
        self._entries: dict[bytes, _Entry] = {}
        self._metadata: dict[int, _PartitionMetadata] = {}
        self._reservations = 0
        self.creation_time = time.time()
        self.hits = 0
        self.misses = 0
        self.evictions = 0
        self.expirations = 0
        self.invalidations = 0
        self.invalidation_requests = 0

    # -- reads ------------------------------------------------------------------------------------------------------

    def get(self, key_data: bytes) -> Any:
        """The cached value of ``key_data``, or :data:`MISS` (counted)."""
        entry = self._entries.get(key_data)
        if entry is None or entry.reservation:
            self.misses += 1
            return MISS
        now = _monotonic()
        metadata = entry.metadata
        if entry.uuid is not metadata.uuid or entry.sequence < metadata.stale_sequence:
            del self._entries[key_data]
            self.invalidations += 1
            self.misses += 1
            return MISS
        if entry.expires <= now or (self._max_idle and entry.last_access + self._max_idle <= now):
            del self._entries[key_data]
            self.expirations += 1
            self.misses += 1
            return MISS
        entry.last_access = now
        entry.hits += 1
        self.hits += 1
        return self._to_object(entry.value) if self._binary else entry.value

    def reserve(self, key_data: bytes) -> int:
        """Take the slot of ``key_data`` before reading it from the cluster; 0 when it cannot be cached now (another
        read of the key is under way, or the cache is full and evicts nothing)."""
        entries = self._entries
        if key_data in entries:
            return 0
        if len(entries) >= self._max_size and not self._evict_one():
            return 0
        self._reservations += 1
        reservation = self._reservations
        entries[key_data] = _Entry(reservation, self._metadata_of(self._partition_of(key_data)))
        return reservation

    def publish(self, key_data: bytes, reservation: int, value: Any) -> None:
        """Store what the cluster answered for a reserved key (Data for BINARY, the object for OBJECT), unless an
        invalidation took the slot meanwhile; a None value is not cached."""
        entry = self._entries.get(key_data)
        if entry is None or entry.reservation != reservation:
            return
        if value is None:
            del self._entries[key_data]
            return
        now = time.monotonic()
        entry.value = value
        entry.reservation = 0
        entry.expires = now + self._ttl
        entry.last_access = now

    def release(self, key_data: bytes, reservation: int) -> None:
        """Give up a reservation (the read failed)."""
        entry = self._entries.get(key_data)
        if entry is not None and entry.reservation == reservation:
            del self._entries[key_data]

    # -- invalidation -----------------------------------------------------------------------------------------------

    def invalidate(self, key_data: bytes) -> None:
        """Drop ``key_data`` (a local write, or an invalidation from the cluster)."""
        if self._entries.pop(key_data, None) is not None:
            self.invalidations += 1

    def clear(self) -> None:
        self.invalidations += len(self._entries)
        self._entries.clear()

    def on_invalidation(
        self, key: bytes | None, _source: uuid.UUID, partition_uuid: uuid.UUID, sequence: int
    ) -> None:
        """An ``IMapInvalidation`` event: a key changed (None: the whole map was cleared)."""
        self.invalidation_requests += 1
        if key is None:
            self.clear()
            return
        self.invalidate(key)
        self._repair(self._partition_of(key), partition_uuid, sequence)

    def on_batch_invalidation(
        self, keys: list[bytes], sources: list[uuid.UUID], partition_uuids: list[uuid.UUID], sequences: list[int]
    ) -> None:
        for key, source, partition_uuid, sequence in zip(keys, sources, partition_uuids, sequences):
            self.on_invalidation(key, source, partition_uuid, sequence)

    def apply_metadata(self, sequences: list[tuple[int, int]], partition_uuids: list[tuple[int, uuid.UUID]]) -> None:
        """Start from (or reconcile with) a member's numbers: ``(partition, sequence)`` and ``(partition, uuid)``."""
        for partition_id, partition_uuid in partition_uuids:
            metadata = self._metadata_of(partition_id)
            if metadata.uuid != partition_uuid:
                metadata.uuid = partition_uuid
                metadata.sequence = metadata.stale_sequence = 0
        for partition_id, sequence in sequences:
            metadata = self._metadata_of(partition_id)
            if sequence > metadata.sequence:
                if metadata.sequence:
                    # Changes happened that no invalidation told us about.
                    metadata.stale_sequence = sequence
                metadata.sequence = sequence

    def forget_metadata(self) -> None:
        """Start over with unknown partition numbers (a new cluster): every entry read before becomes stale."""
        self._metadata.clear()

    def _repair(self, partition_id: int, partition_uuid: uuid.UUID, sequence: int) -> None:
        metadata = self._metadata_of(partition_id)
        if metadata.uuid != partition_uuid:
            # A new partition identity: whatever was read before may be stale (the entries' UUID no longer matches).
            metadata.uuid = partition_uuid
            metadata.sequence = metadata.stale_sequence = sequence
            return
        if sequence <= metadata.sequence:
            return
        if sequence > metadata.sequence + 1:
            metadata.stale_sequence = sequence
        metadata.sequence = sequence

    def _metadata_of(self, partition_id: int) -> _PartitionMetadata:
        metadata = self._metadata.get(partition_id)
        if metadata is None:
            metadata = self._metadata[partition_id] = _PartitionMetadata()
        return metadata

    # -- eviction ---------------------------------------------------------------------------------------------------

    def _evict_one(self) -> bool:
        """Make room for one entry: expired entries first, then one chosen by the policy among a sample of the
        oldest entries; False with policy NONE and nothing expired."""
        entries = self._entries
        now = time.monotonic()
        sample = list(islice(entries.items(), max(self._sampling, 1)))
        expired = [key for key, entry in sample if not entry.reservation and entry.expires <= now]
        if expired:
            for key in expired:
                del entries[key]
            self.expirations += len(expired)
            return True
        policy = self._policy
        if policy == EvictionPolicy.NONE:
            return False
        candidates = [(key, entry) for key, entry in sample if not entry.reservation]
        if not candidates:
            return False
        if policy == EvictionPolicy.LRU:
            victim = min(candidates, key=lambda item: item[1].last_access)[0]
        elif policy == EvictionPolicy.LFU:
            victim = min(candidates, key=lambda item: item[1].hits)[0]
        else:
            victim = candidates[0][0]
        del entries[victim]
        self.evictions += 1
        return True

    # -- statistics -------------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return sum(1 for entry in self._entries.values() if not entry.reservation)

    def get_statistics(self) -> dict[str, Any]:
        """The statistics of this near cache, named as the official client names them."""
        return {
            "creation_time": self.creation_time,
            "evictions": self.evictions,
            "expirations": self.expirations,
            "misses": self.misses,
            "hits": self.hits,
            "invalidations": self.invalidations,
            "invalidation_requests": self.invalidation_requests,
            "owned_entry_count": len(self),
            "owned_entry_memory_cost": self._memory_cost(),
        }

    def _memory_cost(self) -> int:
        cost = sys.getsizeof(self._entries)
        for key, entry in self._entries.items():
            cost += len(key) + (len(entry.value) if isinstance(entry.value, bytes) else sys.getsizeof(entry.value))
        return cost
