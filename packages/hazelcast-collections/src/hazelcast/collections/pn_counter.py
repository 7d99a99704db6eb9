"""The PN counter proxy: a CRDT counter with read-your-writes and monotonic reads per proxy (a session)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

from hazelcast.errors import NoDataMemberInClusterError
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext

__all__ = ["PNCounter"]

_GET = method("PNCounter.get")
_ADD = method("PNCounter.add")
_GET_CONFIGURED_REPLICA_COUNT = method("PNCounter.getConfiguredReplicaCount")


def _check_delta(delta: Any) -> int:
    if isinstance(delta, bool) or not isinstance(delta, int):
        raise TypeError(f"delta must be an int, not {type(delta).__name__}")
    if not -(2**63) <= delta < 2**63:
        raise ValueError(f"delta must fit in a signed 64-bit long, got {delta}")
    return delta


class PNCounter(Proxy):
    """A counter that any replica updates without coordination; replicas converge by merging.

    Operations go to one replica, picked at random among the first ``replica-count`` data members and kept while
    it answers; a replica that fails is left out and another is tried. Each answer carries the replica's vector
    clock (replica id -> update count), which this proxy keeps and sends with the next call: a replica that has not
    seen the updates this proxy observed refuses with ``ConsistencyLostError`` (so does the call, once every replica
    refused or failed). :meth:`reset` forgets the observed clock and starts a new session.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        #: The vector clock observed so far: replica id -> the highest timestamp seen.
        self._observed: dict[uuid.UUID, int] = {}
        self._target: Any = None
        self._max_replica_count = 0
        # The responses of get and add carry (value, replica timestamps, replica count).
        self._decode: Callable[[Message], tuple[int, list[tuple[uuid.UUID, int]], int]] = _GET.decode_response

    async def get(self) -> int:
        """The current value."""
        return await self._run(lambda target: _GET.encode_request(self.name, self._clock(), target))

    async def get_and_add(self, delta: int) -> int:
        """Add ``delta``; returns the value before."""
        delta = _check_delta(delta)
        return await self._run(lambda target: _ADD.encode_request(self.name, delta, True, self._clock(), target))

    async def add_and_get(self, delta: int) -> int:
        """Add ``delta``; returns the value after."""
        delta = _check_delta(delta)
        return await self._run(lambda target: _ADD.encode_request(self.name, delta, False, self._clock(), target))

    async def get_and_subtract(self, delta: int) -> int:
        """Subtract ``delta``; returns the value before."""
        return await self.get_and_add(-_check_delta(delta))

    async def subtract_and_get(self, delta: int) -> int:
        """Subtract ``delta``; returns the value after."""
        return await self.add_and_get(-_check_delta(delta))

    async def get_and_decrement(self) -> int:
        """Subtract one; returns the value before."""
        return await self.get_and_add(-1)

    async def decrement_and_get(self) -> int:
        """Subtract one; returns the value after."""
        return await self.add_and_get(-1)

    async def get_and_increment(self) -> int:
        """Add one; returns the value before."""
        return await self.get_and_add(1)

    async def increment_and_get(self) -> int:
        """Add one; returns the value after."""
        return await self.add_and_get(1)

    def reset(self) -> None:
        """Forget the observed replica timestamps: the next call starts a new session (after a
        ``ConsistencyLostError``, to go on with the replicas that are reachable)."""
        self._observed = {}

    # -- replica selection and the session ------------------------------------------------------------------------

    def _route_to(self, member_uuid: uuid.UUID) -> uuid.UUID | None:
        """Send straight to the replica when connected to it; otherwise through any member, which forwards the
        request to the replica the message names (as a unisocket client's requests travel)."""
        return member_uuid if member_uuid in self._context.connection_manager.connections else None

    def _clock(self) -> list[tuple[uuid.UUID, int]]:
        return list(self._observed.items())

    async def _run(self, encode: Callable[[uuid.UUID], bytearray]) -> int:
        excluded: set[uuid.UUID] = set()
        last_error: BaseException | None = None
        while True:
            target = await self._pick_target(excluded)
            if target is None:
                if last_error is not None:
                    raise last_error
                raise NoDataMemberInClusterError(
                    f"PN counter {self.name!r}: the cluster has no data member to hold a replica"
                )
            try:
                value, timestamps, _ = await self._call(
                    encode(target.uuid), -1, self._decode, False, None, self._route_to(target.uuid)
                )
            except Exception as error:
                excluded.add(target.uuid)
                self._target = None
                last_error = error
                continue
            observed = self._observed
            for replica_id, timestamp in timestamps:
                if observed.get(replica_id, -1) < timestamp:
                    observed[replica_id] = timestamp
            return value

    async def _pick_target(self, excluded: set[uuid.UUID]) -> Any:
        target = self._target
        if target is not None and target.uuid not in excluded:
            return target
        if self._max_replica_count <= 0:
            request = _GET_CONFIGURED_REPLICA_COUNT.encode_request(self.name)
            self._max_replica_count = await self._invoke(request, _GET_CONFIGURED_REPLICA_COUNT.decode_response, True)
        data_members = self._context.cluster_service.get_members(lambda member: not member.lite_member)
        candidates = [m for m in data_members[: self._max_replica_count] if m.uuid not in excluded]
        self._target = random.choice(candidates) if candidates else None
        return self._target
