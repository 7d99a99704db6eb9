"""The client-level service behind ``HazelcastClient.create_vector_collection_config``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hazelcast.protocol import method
from hazelcast.proxy import ProxyContext
from hazelcast.vector._types import IndexConfig, Metric

__all__ = ["MAX_BACKUP_COUNT", "VectorCollections"]

_ADD_CONFIG = method("DynamicConfig.addVectorCollectionConfig")
#: Backups a Hazelcast member allows per structure (sync + async).
MAX_BACKUP_COUNT = 6


def _check_int(value: Any, name: str, minimum: int, maximum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise ValueError(f"{name} must be {bounds}, got {value}")


def check_index_config(index: Any) -> None:
    """Reject an index configuration a member would refuse, before anything is sent."""
    if not isinstance(index, IndexConfig):
        raise TypeError(f"indexes must hold IndexConfig objects, not {type(index).__name__}")
    if index.name is not None and not isinstance(index.name, str):
        raise TypeError(f"an index name must be a str, not {type(index.name).__name__}")
    if not isinstance(index.metric, int) or index.metric not in tuple(Metric):
        raise ValueError(f"index {index.name!r}: unknown metric {index.metric!r}")
    _check_int(index.dimension, f"index {index.name!r} dimension", 1)
    _check_int(index.max_degree, f"index {index.name!r} max_degree", 1)
    _check_int(index.ef_construction, f"index {index.name!r} ef_construction", 1)
    if not isinstance(index.use_deduplication, bool):
        raise TypeError(f"index {index.name!r} use_deduplication must be a bool")


class VectorCollections:
    """Creates vector collection configurations on the cluster (``client.vector_collections``)."""

    def __init__(self, context: ProxyContext) -> None:
        self._context = context

    async def create_vector_collection_config(
        self,
        name: str,
        indexes: Sequence[IndexConfig],
        backup_count: int = 1,
        async_backup_count: int = 0,
        split_brain_protection_name: str | None = None,
        merge_policy: str = "PutIfAbsentMergePolicy",
        merge_batch_size: int = 100,
    ) -> None:
        """Add the configuration of collection ``name`` (a name or a ``*`` pattern) to every member."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        if indexes is None:
            raise ValueError("indexes must not be None")
        indexes = list(indexes)
        if not indexes:
            raise ValueError("a vector collection needs at least one index")
        for index in indexes:
            check_index_config(index)
        names = [index.name for index in indexes]
        if len(set(names)) != len(names):
            raise ValueError(f"index names must be unique, got {names}")
        _check_int(backup_count, "backup_count", 0, MAX_BACKUP_COUNT)
        _check_int(async_backup_count, "async_backup_count", 0, MAX_BACKUP_COUNT)
        if backup_count + async_backup_count > MAX_BACKUP_COUNT:
            raise ValueError(f"backup_count + async_backup_count must be at most {MAX_BACKUP_COUNT}")
        if not isinstance(merge_policy, str):
            raise TypeError(f"merge_policy must be a str, not {type(merge_policy).__name__}")
        _check_int(merge_batch_size, "merge_batch_size", 1)
        request = _ADD_CONFIG.encode_request(
            name, indexes, backup_count, async_backup_count, split_brain_protection_name, merge_policy,
            merge_batch_size, None,
        )
        await self._context.invocation_service.call(request, -1, None, False)
