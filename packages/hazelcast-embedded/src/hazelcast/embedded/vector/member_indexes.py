"""Each member's indexes of each vector collection, kept in step with the partitions the member owns.

A member keeps, per collection, one :class:`~hazelcast.embedded.vector.index.MemberIndex` per configured index over
the partitions it owns (in ``member.service_states``, so they go when the member stops). Writes on the owner update
them directly; when the partition table changes, :func:`collection_indexes` drops the partitions the member no
longer owns and takes in those it gained or whose state changed while it was only a backup.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, cast

from hazelcast.embedded.vector.config import VectorCollectionSettings
from hazelcast.embedded.vector.index import MemberIndex, require_numpy
from hazelcast.embedded.vector.store import StoredDocument, VectorPartition

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = ["VECTOR_SERVICE_NAME", "CollectionIndexes", "collection_indexes", "forget_indexes", "owner_members"]

#: The distributed-object service name of vector collections (Hazelcast's, as the official client sends it).
VECTOR_SERVICE_NAME = "hz:service:vector"
_MEMBER_STATE = "vector-collections"


class CollectionIndexes:
    """One member's indexes of one collection, and what they hold of each partition the member owns."""

    __slots__ = ("settings", "indexes", "ingested", "keys", "version")

    def __init__(self, settings: VectorCollectionSettings) -> None:
        self.settings = settings
        self.indexes = [MemberIndex(index) for index in settings.indexes]
        #: Partition id -> (the owned state indexed, its generation then).
        self.ingested: dict[int, tuple[VectorPartition, int]] = {}
        #: Partition id -> the keys indexed (what to remove when the partition goes, whatever its state became).
        self.keys: dict[int, set[bytes]] = {}
        self.version = -1

    def is_current(self, partition_id: int, state: VectorPartition | None) -> bool:
        seen = self.ingested.get(partition_id)
        if state is None:
            return seen is None
        return seen is not None and seen[0] is state and seen[1] == state.generation

    def mark(self, partition_id: int, state: VectorPartition) -> None:
        """Record that the indexes hold ``state`` as it is now (after the owner changed both)."""
        self.ingested[partition_id] = (state, state.generation)

    def take_in(self, partition_id: int, state: VectorPartition) -> None:
        self.add(partition_id, list(state.documents.items()))
        self.mark(partition_id, state)

    def add(self, partition_id: int, documents: list[tuple[bytes, StoredDocument]]) -> None:
        """Index ``documents`` (key, document) of ``partition_id`` in every index, as one block per index."""
        if not documents:
            return
        keys = [key for key, _ in documents]
        self.keys.setdefault(partition_id, set()).update(keys)
        np = require_numpy()
        for position, index in enumerate(self.indexes):
            if len(documents) == 1:
                index.add(partition_id, keys[0], index.prepare(documents[0][1].vectors[position]))
            else:
                matrix = np.stack([document.vectors[position] for _, document in documents])
                index.add_many(partition_id, keys, index.prepare_many(matrix))

    def remove(self, partition_id: int, key: bytes) -> None:
        self.keys.get(partition_id, set()).discard(key)
        for index in self.indexes:
            index.remove(partition_id, key)

    def drop(self, partition_id: int) -> None:
        self.ingested.pop(partition_id, None)
        for key in self.keys.pop(partition_id, ()):
            for index in self.indexes:
                index.remove(partition_id, key)

    def close(self) -> None:
        for index in self.indexes:
            index.close()


def collection_indexes(
    cluster: EmbeddedCluster, member: EmbeddedMember, name: str, settings: VectorCollectionSettings
) -> CollectionIndexes:
    """``member``'s indexes of collection ``name``, brought up to date with the partitions it owns now."""
    collections = member.service_states.get(_MEMBER_STATE)
    if collections is None:
        collections = member.service_states[_MEMBER_STATE] = {}
    indexes = collections.get(name)
    if indexes is None:
        indexes = collections[name] = CollectionIndexes(settings)
    if indexes.version != cluster.partition_list_version:
        state_key = (VECTOR_SERVICE_NAME, name)
        owned = {pid for pid, owner in enumerate(cluster.owners) if owner is member}
        for pid in [pid for pid in indexes.ingested if pid not in owned]:
            indexes.drop(pid)
        for pid in owned:
            # The states under this service's keys are vector partitions.
            state = cast("VectorPartition | None", member.partitions[pid].get(state_key))
            if not indexes.is_current(pid, state):
                indexes.drop(pid)
                if state is not None:
                    indexes.take_in(pid, state)
        indexes.version = cluster.partition_list_version
        for index in indexes.indexes:
            index.schedule_graph_update()
    return indexes


def forget_indexes(cluster: EmbeddedCluster, name: str) -> None:
    for member in cluster.members:
        collections = member.service_states.get(_MEMBER_STATE)
        indexes = collections.pop(name, None) if collections else None
        if indexes is not None:
            indexes.close()


_owners_cache: weakref.WeakKeyDictionary[EmbeddedCluster, tuple[int, list[EmbeddedMember]]] = (
    weakref.WeakKeyDictionary()
)


def owner_members(cluster: EmbeddedCluster) -> list[EmbeddedMember]:
    """The members owning at least one partition (cached per partition table version)."""
    cached = _owners_cache.get(cluster)
    if cached is None or cached[0] != cluster.partition_list_version:
        cached = _owners_cache[cluster] = (cluster.partition_list_version, list(dict.fromkeys(cluster.owners)))
    return cached[1]
