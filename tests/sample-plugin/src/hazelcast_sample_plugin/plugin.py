"""Client side: the ``CardinalityEstimator`` proxy type, announced through the ``hazelcast.plugins`` entry point."""

from __future__ import annotations

import mmh3

from hazelcast.plugin import Proxy, ProxyContext, ProxyType, hookimpl
from hazelcast.protocol import method
from hazelcast.serialization.hashing import MURMUR_SEED

__all__ = ["SERVICE_NAME", "CardinalityEstimator", "hash64", "hazelcast_proxy_types"]

SERVICE_NAME = "hz:impl:cardinalityEstimatorService"
# Serialized objects start with the partition hash and the type id; the hash covers the payload after them.
_HEADER_SIZE = 8

_ADD = method("CardinalityEstimator.add")
_ESTIMATE = method("CardinalityEstimator.estimate")


def hash64(data: bytes) -> int:
    """The 64-bit hash of a serialized object that the member's estimator counts (Java's ``Data.hash64()``).

    MurmurHash3 x64 (the first half of the 128-bit result) over the payload, with the member's seed. It must not
    depend on the process, unlike Python's ``hash(bytes)``: clients in different processes add to one estimator.
    """
    return mmh3.hash64(data[_HEADER_SIZE:], MURMUR_SEED, True, True)[0]


class CardinalityEstimator(Proxy):
    """Estimates how many distinct objects were added (HyperLogLog on a real member)."""

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        # The estimator lives in the partition of its name, whose serialized form never changes.
        self._name_data = self._to_data(name)

    def _partition(self) -> int:
        return self._partition_of(self._name_data)

    async def add(self, obj: object) -> None:
        """Count ``obj`` (by its serialized form: equal objects count once)."""
        if obj is None:
            raise ValueError("obj must not be None")
        await self._invoke_on_partition(_ADD.encode_request(self.name, hash64(self._to_data(obj))), self._partition())

    async def estimate(self) -> int:
        """How many distinct objects were added so far."""
        return await self._invoke_on_partition(
            _ESTIMATE.encode_request(self.name), self._partition(), _ESTIMATE.decode_response, retryable=True
        )


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [ProxyType(SERVICE_NAME, CardinalityEstimator)]
