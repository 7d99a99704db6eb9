"""A map's entries in one partition of one member, with expiry and per-entry statistics.

Keys and values are the serialized ``Data`` bytes exactly as clients sent them; equality is byte equality, as on a
member with the BINARY in-memory format. Times are epoch milliseconds. An entry expires ``ttl`` ms after its last
write (or its last ``setTtl``) or ``max_idle`` ms after its last read or write, whichever comes first;
``expiration_time`` caches that instant (:data:`NEVER` when neither applies) so the checks on the hot path are one
comparison.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.locks import LockStore

if TYPE_CHECKING:
    from hazelcast.embedded.map.config import MapConfig

__all__ = ["NEVER", "Record", "RecordStore"]

#: Java's Long.MAX_VALUE: the expiration time of an entry that never expires.
NEVER = 2**63 - 1


class Record:
    """One entry: its value and metadata."""

    __slots__ = (
        "value",
        "creation_time",
        "last_access_time",
        "last_update_time",
        "hits",
        "version",
        "ttl",
        "ttl_start",
        "max_idle",
        "expiration_time",
    )

    def __init__(self, value: bytes, now: int, ttl: int, max_idle: int) -> None:
        self.value = value
        self.creation_time = now
        self.last_access_time = now
        self.last_update_time = now
        self.hits = 0
        self.version = 0
        #: Effective time to live and max idle in ms; 0 = none.
        self.ttl = ttl
        self.ttl_start = now
        self.max_idle = max_idle
        self.expiration_time = NEVER
        self.refresh_expiration()

    def refresh_expiration(self) -> None:
        expires = NEVER
        if self.ttl > 0:
            expires = self.ttl_start + self.ttl
        if self.max_idle > 0:
            expires = min(expires, self.last_access_time + self.max_idle)
        self.expiration_time = expires

    def copy(self) -> Record:
        clone = Record.__new__(Record)
        clone.value = self.value
        clone.creation_time = self.creation_time
        clone.last_access_time = self.last_access_time
        clone.last_update_time = self.last_update_time
        clone.hits = self.hits
        clone.version = self.version
        clone.ttl = self.ttl
        clone.ttl_start = self.ttl_start
        clone.max_idle = self.max_idle
        clone.expiration_time = self.expiration_time
        return clone


class RecordStore:
    """The entries of one map in one partition: a :class:`~hazelcast.embedded.spec.PartitionState`."""

    __slots__ = ("name", "config", "backup_count", "stats_enabled", "default_ttl", "default_max_idle", "records",
                 "may_expire", "indexes", "partition_uuid", "invalidation_sequence", "size_bounded", "locks")

    def __init__(self, name: str, config: MapConfig) -> None:
        self.name = name
        self.config = config
        self.backup_count = config.backup_count
        self.stats_enabled = config.per_entry_stats_enabled
        self.default_ttl = config.time_to_live_seconds * 1000
        self.default_max_idle = config.max_idle_seconds * 1000
        self.records: dict[bytes, Record] = {}
        #: Whether any entry has ever had an expiration time (lets the sweep skip stores that never expire).
        self.may_expire = bool(self.default_ttl or self.default_max_idle)
        #: The map's indexes over these entries (:class:`~hazelcast.embedded.query.indexes.StoreIndexes`), or None.
        #: The index seam: every method here that changes ``records`` reports the change to them, so code outside
        #: this class changes entries only through these methods (``put``, ``update_value``, ``set_record``,
        #: ``remove``, ``remove_keys``, ``clear``).
        self.indexes: Any = None
        #: Near-cache metadata: this replica's identity and the count of changes published as invalidations. A
        #: backup promoted to owner has another UUID, so clients know that they may have missed invalidations.
        self.partition_uuid = uuid.uuid4()
        self.invalidation_sequence = 0
        #: Whether puts must check the configured size bound (see ``map/eviction.py``).
        self.size_bounded = config.eviction.eviction_policy != "NONE"
        #: The key locks of the map in this partition (see ``map/locks.py``); they exist with or without an entry.
        self.locks = LockStore()

    # -- PartitionState -------------------------------------------------------------------------------------------

    def copy(self) -> RecordStore:
        clone = self.new_backup()
        clone.records = {key: record.copy() for key, record in self.records.items()}
        clone.may_expire = self.may_expire
        clone.locks = self.locks.copy()
        clone.partition_uuid = self.partition_uuid
        clone.invalidation_sequence = self.invalidation_sequence
        if clone.indexes is not None:
            clone.indexes.rebuild(clone.records)
        return clone

    def new_backup(self) -> RecordStore:
        clone = RecordStore(self.name, self.config)
        if self.indexes is not None:
            clone.indexes = self.indexes.empty_copy()
        return clone

    def promoted(self, now: int) -> None:
        """This backup replica became the owner after the owner was lost.

        Reads touched only the owner's records, so a backup's access times are those of the last write: restart
        the idle clock of entries with a max idle rather than expire entries that were in use. Changes the owner
        made after its last copy reached this replica published invalidations this replica never counted: a new
        partition UUID tells near caches to drop what they hold of the partition.
        """
        self.partition_uuid = uuid.uuid4()
        for record in self.records.values():
            if record.max_idle > 0:
                record.last_access_time = max(record.last_access_time, now)
                record.refresh_expiration()

    # -- entries --------------------------------------------------------------------------------------------------

    def ttl_for(self, ttl: int) -> int:
        """Effective TTL in ms of a write that asked for ``ttl`` (negative = the map's default, 0 = forever)."""
        return self.default_ttl if ttl < 0 else ttl

    def max_idle_for(self, max_idle: int) -> int:
        return self.default_max_idle if max_idle < 0 else max_idle

    def put(self, key: bytes, value: bytes, now: int, ttl: int, max_idle: int) -> Record:
        """Create or update the entry with effective ``ttl``/``max_idle`` (ms, 0 = none); returns its record.

        An expired entry that is still stored is replaced by a new one, as if it had been removed first.
        """
        record = self.records.get(key)
        if record is None or record.expiration_time <= now:
            record = self.records[key] = Record(value, now, ttl, max_idle)
        else:
            record.value = value
            record.last_update_time = now
            record.last_access_time = now
            record.version += 1
            record.ttl = ttl
            record.ttl_start = now
            record.max_idle = max_idle
            record.refresh_expiration()
        if record.expiration_time != NEVER:
            self.may_expire = True
        if self.indexes is not None:
            self.indexes.put(key, value)
        return record

    def update_value(self, key: bytes, record: Record, value: bytes, now: int) -> None:
        """Replace the value of the existing entry of ``key``, keeping its expiry settings."""
        if self.indexes is not None:
            self.indexes.put(key, value)
        record.value = value
        record.last_update_time = now
        record.last_access_time = now
        record.ttl_start = now
        record.version += 1
        record.refresh_expiration()

    def set_ttl(self, record: Record, ttl: int, now: int) -> None:
        """Give an entry a new effective TTL (ms, 0 = forever), counted from ``now``."""
        record.ttl = ttl
        record.ttl_start = now
        record.refresh_expiration()
        if record.expiration_time != NEVER:
            self.may_expire = True

    def set_record(self, key: bytes, record: Record) -> None:
        """Install a copy of the owner's record (on a backup replica)."""
        self.records[key] = record
        if record.expiration_time != NEVER:
            self.may_expire = True
        if self.indexes is not None:
            self.indexes.put(key, record.value)

    def touch(self, record: Record, now: int) -> None:
        """Count a read of ``record`` (hits serve LFU eviction even when entry views do not show them)."""
        record.hits += 1
        record.last_access_time = now
        if record.max_idle > 0:
            record.refresh_expiration()

    def expired_keys(self, now: int) -> list[bytes]:
        return [key for key, record in self.records.items() if record.expiration_time <= now]

    def remove_keys(self, keys: list[bytes]) -> None:
        records = self.records
        indexes = self.indexes
        for key in keys:
            if records.pop(key, None) is not None and indexes is not None:
                indexes.remove(key)

    def remove(self, key: bytes) -> Record | None:
        """Remove the entry of ``key``; the removed record, or None."""
        record = self.records.pop(key, None)
        if record is not None and self.indexes is not None:
            self.indexes.remove(key)
        return record

    def clear(self) -> None:
        self.records.clear()
        if self.indexes is not None:
            self.indexes.clear()
