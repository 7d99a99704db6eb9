"""The documents of one vector collection in one partition: the state the cluster replicates and moves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

__all__ = ["StoredDocument", "VectorPartition"]


class StoredDocument(NamedTuple):
    """A document as the member keeps it: the serialized value and one float32 vector per index (config order)."""

    value: bytes
    vectors: tuple[Any, ...]


class VectorPartition:
    """Key (serialized) -> :class:`StoredDocument`. Documents are immutable, so copies share them.

    Every change goes through the methods here, which count it in ``generation``: a member's index remembers the
    generation it has seen, and takes the partition in again when it finds another (changes it did not index, made
    while the member held the partition as a backup).
    """

    __slots__ = ("backup_count", "documents", "generation")

    def __init__(self, backup_count: int, documents: dict[bytes, StoredDocument] | None = None) -> None:
        self.backup_count = backup_count
        self.documents: dict[bytes, StoredDocument] = documents if documents is not None else {}
        self.generation = 0

    def store(self, entries: Iterable[tuple[bytes, StoredDocument]]) -> None:
        self.documents.update(entries)
        self.generation += 1

    def pop(self, key: bytes) -> StoredDocument | None:
        self.generation += 1
        return self.documents.pop(key, None)

    def clear(self) -> None:
        self.documents.clear()
        self.generation += 1

    def copy(self) -> VectorPartition:
        return VectorPartition(self.backup_count, dict(self.documents))

    def new_backup(self) -> VectorPartition:
        return VectorPartition(self.backup_count)
