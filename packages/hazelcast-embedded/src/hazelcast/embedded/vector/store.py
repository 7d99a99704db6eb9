"""The documents of one vector collection in one partition: the state the cluster replicates and moves."""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["StoredDocument", "VectorPartition"]


class StoredDocument(NamedTuple):
    """A document as the member keeps it: the serialized value and one float32 vector per index (config order)."""

    value: bytes
    vectors: tuple[Any, ...]


class VectorPartition:
    """Key (serialized) -> :class:`StoredDocument`. Documents are immutable, so copies share them."""

    __slots__ = ("backup_count", "documents")

    def __init__(self, backup_count: int, documents: dict[bytes, StoredDocument] | None = None) -> None:
        self.backup_count = backup_count
        self.documents: dict[bytes, StoredDocument] = documents if documents is not None else {}

    def copy(self) -> VectorPartition:
        return VectorPartition(self.backup_count, dict(self.documents))

    def new_backup(self) -> VectorPartition:
        return VectorPartition(self.backup_count)
