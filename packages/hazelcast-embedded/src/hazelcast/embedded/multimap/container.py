"""A MultiMap's values and key locks in one partition of one member (its partition state).

Keys and values are serialized ``Data`` bytes compared by byte equality. Each key holds a collection: a ``dict`` used as
an insertion-ordered set for ``SET`` MultiMaps, a ``list`` for ``LIST`` ones. A key whose collection becomes empty is
removed, so ``values`` never holds an empty collection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hazelcast.embedded.locks import LockStore

if TYPE_CHECKING:
    from hazelcast.embedded.multimap.config import MultiMapConfig

__all__ = ["MultiMapContainer", "ValueCollection"]

#: The values of one key: an ordered set (dict keys) or a list.
ValueCollection = dict[bytes, None] | list[bytes]


class MultiMapContainer:
    """A :class:`~hazelcast.embedded.spec.PartitionState`: ``values`` per key and the ``locks`` of the keys."""

    __slots__ = ("name", "config", "backup_count", "is_set", "values", "locks")

    def __init__(self, name: str, config: MultiMapConfig) -> None:
        self.name = name
        self.config = config
        self.backup_count = config.backup_count
        self.is_set = config.is_set
        self.values: dict[bytes, ValueCollection] = {}
        self.locks = LockStore()

    def copy(self) -> MultiMapContainer:
        clone = self.new_backup()
        clone.values = {key: collection.copy() for key, collection in self.values.items()}
        clone.locks = self.locks.copy()
        return clone

    def new_backup(self) -> MultiMapContainer:
        return MultiMapContainer(self.name, self.config)

    # -- values ---------------------------------------------------------------------------------------------------

    def add(self, key: bytes, value: bytes) -> bool:
        """Add ``value`` to ``key``'s collection; False when a SET already holds it."""
        collection = self.values.get(key)
        if collection is None:
            collection = self.values[key] = {} if self.is_set else []
        # A SET's values are a dict (ordered, unique), a LIST's a list.
        if isinstance(collection, dict):
            if value in collection:
                return False
            collection[value] = None
        else:
            collection.append(value)
        return True

    def remove_value(self, key: bytes, value: bytes) -> bool:
        """Remove one occurrence of ``value`` from ``key``'s collection; False when it holds none."""
        collection = self.values.get(key)
        if collection is None or value not in collection:
            return False
        if isinstance(collection, dict):
            del collection[value]
        else:
            collection.remove(value)
        if not collection:
            del self.values[key]
        return True

    def pop_key(self, key: bytes) -> list[bytes]:
        """Remove ``key`` with all its values; returns them (empty when it had none)."""
        collection = self.values.pop(key, None)
        return list(collection) if collection else []

    def values_of(self, key: bytes) -> list[bytes]:
        collection = self.values.get(key)
        return list(collection) if collection else []

    def set_values(self, key: bytes, values: ValueCollection | None) -> None:
        """Install the owner's collection of ``key`` (on a backup replica); None or empty removes the key."""
        if values:
            self.values[key] = values
        else:
            self.values.pop(key, None)

    def clear_unlocked(self) -> int:
        """Remove every key that is not locked, as a member's clear does; returns how many keys went."""
        locked = self.locks.locked_keys() if self.locks.locks else set()
        if not locked:
            count = len(self.values)
            self.values.clear()
            return count
        kept = {key: values for key, values in self.values.items() if key in locked}
        count = len(self.values) - len(kept)
        self.values = kept
        return count
