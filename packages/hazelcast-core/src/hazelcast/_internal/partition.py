"""The partition table as the cluster reports it, and partition ids of keys."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.errors import ClientOfflineError, IllegalStateError
from hazelcast.serialization.hashing import data_partition_id

if TYPE_CHECKING:
    from hazelcast._internal.connection import Connection
    from hazelcast.serialization import SerializationService

__all__ = ["PartitionService"]

_logger = structlog.get_logger("hazelcast.partition")


class PartitionService:
    """Partition count, owners and partition ids of keys.

    Owners come from the cluster's PartitionsView events; a view older than the one applied (by version, from the same
    connection) is ignored, as are empty views.
    """

    def __init__(self, serialization: SerializationService) -> None:
        self._serialization = serialization
        self._count = 0
        #: Owner of each partition (None while unknown); updated in place, so holders of the list see changes.
        self.owners: list[uuid.UUID | None] = []
        self._version = -1
        self._source: Connection | None = None
        #: Set by the client: waits until the cluster has every pending Compact schema found in a Data.
        self.replicate_schemas_of: Callable[[bytes], Awaitable[None]] | None = None

    # -- public API ------------------------------------------------------------------------------------------------

    def get_partition_owner(self, partition_id: int) -> uuid.UUID | None:
        """UUID of the member owning ``partition_id``, or None when not known yet."""
        if 0 <= partition_id < len(self.owners):
            return self.owners[partition_id]
        return None

    async def get_partition_id(self, key: Any) -> int:
        """The partition of ``key`` (serialized as the client would send it).

        A coroutine, as in the official asyncio client: a Compact key written for the first time carries a schema the
        cluster may not have, and the schema is sent to the cluster before the partition id is given out.
        """
        if self._count == 0:
            raise ClientOfflineError("the partition count is not known before the client has connected")
        data = self._serialization.to_data(key)
        if self._serialization.unreplicated_schemas and self.replicate_schemas_of is not None:
            await self.replicate_schemas_of(data)
        return self.partition_id_of_data(data)

    def get_partition_count(self) -> int:
        """Number of partitions of the cluster; 0 before the first connection."""
        return self._count

    # -- internal ---------------------------------------------------------------------------------------------------

    def partition_id_of_data(self, data: bytes) -> int:
        count = self._count
        return data_partition_id(data, count) if count else -1

    def check_and_set_partition_count(self, count: int) -> None:
        if self._count == 0:
            self._count = count
            self.owners[:] = [None] * count
        elif self._count != count:
            raise IllegalStateError(
                f"the cluster's partition count changed from {self._count} to {count}; "
                "a client cannot move between clusters with different partition counts"
            )

    def handle_partitions_view(self, connection: Connection, version: int, partitions: list[tuple[uuid.UUID, list[int]]]) -> None:
        if not partitions:
            return
        if connection is self._source and version <= self._version:
            return
        owners: list[uuid.UUID | None] = [None] * self._count
        for member_uuid, partition_ids in partitions:
            for partition_id in partition_ids:
                if partition_id < self._count:
                    owners[partition_id] = member_uuid
        self.owners[:] = owners
        self._version = version
        self._source = connection
        _logger.debug("partition.table_updated", version=version)

    def reset(self) -> None:
        """Forget the table (the cluster restarted); the count stays, as it must not change."""
        self.owners[:] = [None] * self._count
        self._version = -1
        self._source = None
