"""Client side: the ``CardinalityEstimator`` proxy type, announced through the ``hazelcast.plugins`` entry point."""

from __future__ import annotations

from hazelcast.plugin import Proxy, ProxyType, hookimpl
from hazelcast.protocol import method

SERVICE_NAME = "hz:impl:cardinalityEstimatorService"

_ADD = method("CardinalityEstimator.add")
_ESTIMATE = method("CardinalityEstimator.estimate")


class CardinalityEstimator(Proxy):
    """Estimates how many distinct objects were added (HyperLogLog on a real member)."""

    def _partition(self) -> int:
        return self._partition_of(self._to_data(self.name))

    async def add(self, obj: object) -> None:
        if obj is None:
            raise ValueError("obj must not be None")
        # The member expects the 64-bit hash of the object's serialized form; the partition hash widened will do for
        # a sample, as equal objects have equal serialized forms.
        data = self._to_data(obj)
        await self._invoke_on_partition(_ADD.encode_request(self.name, hash(data)), self._partition())

    async def estimate(self) -> int:
        return await self._invoke_on_partition(
            _ESTIMATE.encode_request(self.name), self._partition(), _ESTIMATE.decode_response, retryable=True
        )


@hookimpl
def hazelcast_proxy_types() -> list[ProxyType]:
    return [ProxyType(SERVICE_NAME, CardinalityEstimator)]
