"""The Map proxy without a cluster: what it sends, where it routes, what it rejects.

A recording stand-in for the invocation service answers every call from a table, so these tests need only
hazelcast-core and this distribution.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hazelcast.collections import Map
from hazelcast.collections._plugin import MAP_SERVICE, hazelcast_proxy_types
from hazelcast.config import Config
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.proxy import ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import partition_hash, partition_id

PARTITIONS = 271


class RecordingInvocations:
    """Records (message name, decoded request, partition id) and answers with ``responses[name]``."""

    def __init__(self, responses: dict[str, Any]) -> None:
        self.responses = responses
        self.sent: list[tuple[str, Any, int]] = []

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False,
             timeout: float | None = None, target_uuid: Any = None) -> asyncio.Future[Any]:
        (message,) = MessageReader().feed(bytes(request))
        codec = next(c for c in _CODECS if c.request_type == message_type(message))
        name = codec.spec.name
        self.sent.append((name, codec.decode_request(message), partition_id))
        future = asyncio.get_running_loop().create_future()
        answer = self.responses.get(name)
        if decoder is not None:
            # Round-trip the canned answer through the real response codec, as the wire would.
            params = (answer,) if codec.response_names else ()
            (response,) = MessageReader().feed(bytes(codec.encode_response(*params)))
            answer = decoder(response)
        future.set_result(answer)
        return future


class FixedPartitions:
    def partition_id_of_data(self, data: bytes) -> int:
        return partition_id(partition_hash(data), PARTITIONS)


_CODECS = [method(f"Map.{name}") for name in (
    "put", "putWithMaxIdle", "set", "get", "remove", "delete", "putAll", "getAll", "size", "containsKey",
    "replaceIfSame", "keySetWithPredicate", "entrySet",
)]


def make_map(responses: dict[str, Any] | None = None) -> tuple[Map[Any, Any], RecordingInvocations, SerializationService]:
    serialization = SerializationService(Config())
    invocations = RecordingInvocations(responses or {})
    context = ProxyContext(
        config=Config(), loop=asyncio.get_running_loop(), serialization_service=serialization,
        invocation_service=invocations, partition_service=FixedPartitions(), cluster_service=None,
        listener_service=None, connection_manager=None, lifecycle_service=None, proxy_manager=None,
        callbacks=None, client=None,
    )  # type: ignore[arg-type]
    return Map(MAP_SERVICE, "orders", context), invocations, serialization


def test_plugin_provides_the_map_type_for_get_map() -> None:
    proxy_type = next(t for t in hazelcast_proxy_types() if t.service_name == MAP_SERVICE)
    assert (proxy_type.service_name, proxy_type.proxy_class, proxy_type.accessor) == (MAP_SERVICE, Map, "get_map")


async def test_put_sends_key_value_ttl_to_the_key_partition() -> None:
    m, invocations, serialization = make_map({"Map.put": None})
    assert await m.put("k", 7, ttl=1.5) is None
    ((name, request, partition),) = invocations.sent
    key = serialization.to_data("k")
    assert name == "Map.put"
    assert (request.name, request.key, request.value, request.ttl) == ("orders", key, serialization.to_data(7), 1500)
    assert partition == partition_id(partition_hash(key), PARTITIONS)


async def test_max_idle_selects_the_max_idle_message_and_none_means_member_default() -> None:
    m, invocations, _ = make_map()
    await m.put("k", 1, max_idle=2)
    name, request, _ = invocations.sent[0]
    assert name == "Map.putWithMaxIdle" and (request.ttl, request.max_idle) == (-1, 2000)


async def test_returned_values_are_deserialized() -> None:
    serialization = SerializationService(Config())
    m, _, _ = make_map({"Map.get": serialization.to_data("value"), "Map.size": 3})
    assert await m.get("k") == "value"
    assert await m.size() == 3


async def test_put_all_sends_one_request_per_partition() -> None:
    m, invocations, serialization = make_map()
    entries = {i: str(i) for i in range(100)}
    await m.put_all(entries)
    partitions = {partition_id(partition_hash(serialization.to_data(k)), PARTITIONS) for k in entries}
    assert sorted(p for _, _, p in invocations.sent) == sorted(partitions)
    sent_keys = [serialization.to_object(k) for _, request, _ in invocations.sent for k, _ in request.entries]
    assert sorted(sent_keys) == list(range(100))
    for _, request, partition in invocations.sent:
        assert {partition_id(partition_hash(k), PARTITIONS) for k, _ in request.entries} == {partition}


async def test_get_all_merges_the_partition_answers() -> None:
    serialization = SerializationService(Config())
    answer = [(serialization.to_data(1), serialization.to_data("one"))]
    m, invocations, _ = make_map({"Map.getAll": answer})
    assert await m.get_all([1]) == {1: "one"}
    assert await m.get_all([]) == {}
    assert len(invocations.sent) == 1


async def test_predicate_queries_send_the_serialized_predicate() -> None:
    from hazelcast import predicate as p

    m, invocations, serialization = make_map({"Map.keySetWithPredicate": []})
    assert await m.key_set(predicate=p.equal("age", 3)) == []
    name, request, partition = invocations.sent[0]
    assert name == "Map.keySetWithPredicate" and partition == -1
    assert request.predicate == serialization.to_data(p.equal("age", 3))
    # Something that is not a predicate is refused before anything is sent.
    with pytest.raises(TypeError):
        await m.key_set(predicate="age = 3")
    assert len(invocations.sent) == 1


@pytest.mark.parametrize("call", [
    lambda m: m.put(None, 1), lambda m: m.put(1, None), lambda m: m.get(None), lambda m: m.delete(None),
    lambda m: m.contains_key(None), lambda m: m.replace_if_same(1, 2, None), lambda m: m.get_all([1, None]),
    lambda m: m.put_all(None),
])
async def test_none_is_rejected_before_anything_is_sent(call: Any) -> None:
    m, invocations, _ = make_map()
    with pytest.raises(ValueError, match="must not be None"):
        await call(m)
    assert invocations.sent == []


async def test_ttl_must_be_a_number() -> None:
    m, invocations, _ = make_map()
    with pytest.raises(TypeError, match="number"):
        await m.set("k", "v", ttl="10")
    assert invocations.sent == []
