"""CountDownLatch: a cluster-wide latch in a CP group, reusable once it reached zero."""

from __future__ import annotations

import uuid

from hazelcast.cp._base import BaseCPProxy
from hazelcast.cp._checks import check_positive, check_timeout, to_millis
from hazelcast.errors import OperationTimeoutError
from hazelcast.protocol import method

__all__ = ["CountDownLatch"]

_TRY_SET_COUNT = method("CountDownLatch.trySetCount")
_AWAIT = method("CountDownLatch.await")
_COUNT_DOWN = method("CountDownLatch.countDown")
_GET_COUNT = method("CountDownLatch.getCount")
_GET_ROUND = method("CountDownLatch.getRound")


class CountDownLatch(BaseCPProxy):
    """Lets callers wait until a count of operations done elsewhere reaches zero.

    Set the count with :meth:`try_set_count` (only while the count is zero, which makes the latch reusable), count
    down with :meth:`count_down`, wait with :meth:`await_latch` (always with a timeout). Every call takes effect exactly
    once: a ``count_down`` retried after a failure carries the same invocation id and counts once.
    """

    async def await_latch(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the count to reach zero; True if it did, False if the time ran out.

        A zero timeout does not wait. Raises ``DistributedObjectDestroyedError`` if the latch is destroyed meanwhile.
        """
        seconds = check_timeout(timeout)
        request = _AWAIT.encode_request(self._group_id, self._object_name, uuid.uuid4(), to_millis(seconds))
        return await self._send(_AWAIT, request, _AWAIT.decode_response, wait=seconds)

    async def count_down(self) -> None:
        """Decrement the count; at zero every waiter is released. Nothing happens when the count is already zero."""
        invocation_uid = uuid.uuid4()
        expected_round: int = await self._send(
            _GET_ROUND, _GET_ROUND.encode_request(self._group_id, self._object_name), _GET_ROUND.decode_response
        )
        while True:
            request = _COUNT_DOWN.encode_request(self._group_id, self._object_name, invocation_uid, expected_round)
            try:
                await self._send(_COUNT_DOWN, request)
                return
            except OperationTimeoutError:
                # The same invocation id again: the member counts it once however often it arrives.
                continue

    async def get_count(self) -> int:
        """The current count."""
        return await self._send(
            _GET_COUNT, _GET_COUNT.encode_request(self._group_id, self._object_name), _GET_COUNT.decode_response
        )

    async def try_set_count(self, count: int) -> bool:
        """Set the count to ``count`` (> 0) if it is zero; False (and nothing done) otherwise."""
        check_positive(count, "count")
        return await self._send(
            _TRY_SET_COUNT, _TRY_SET_COUNT.encode_request(self._group_id, self._object_name, count),
            _TRY_SET_COUNT.decode_response,
        )

    async def get_round(self) -> int:
        """How many times the count was set (the latch's current round)."""
        return await self._send(
            _GET_ROUND, _GET_ROUND.encode_request(self._group_id, self._object_name), _GET_ROUND.decode_response
        )
