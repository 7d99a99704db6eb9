"""The vector client without a cluster: value types, vector packing, what the proxy and the config service send.

A recording stand-in for the invocation service answers every call through the real response codecs, so these tests
need only hazelcast-core and this distribution (numpy comes from its ``numpy`` extra).
"""

from __future__ import annotations

import array
import asyncio
import struct
import uuid
from typing import Any

import numpy as np
import pytest

from hazelcast.config import Config
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.proxy import ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import partition_hash, partition_id
from hazelcast.vector import (
    Document,
    IndexConfig,
    Metric,
    SearchResult,
    Type,
    Vector,
    VectorCollection,
    VectorDocument,
    VectorPair,
    VectorSearchResult,
    VectorType,
)
from hazelcast.vector._packing import pack_vector
from hazelcast.vector._plugin import VECTOR_SERVICE, hazelcast_client_services, hazelcast_proxy_types
from hazelcast.vector._service import VectorCollections

PARTITIONS = 271
_NAMES = ("put", "putIfAbsent", "putAll", "get", "remove", "set", "delete", "searchNearVector", "optimize", "clear",
          "size")
_CODECS = [method(f"VectorCollection.{name}") for name in _NAMES] + [method("DynamicConfig.addVectorCollectionConfig")]


class RecordingInvocations:
    def __init__(self, responses: dict[str, Any] | None = None) -> None:
        self.responses = responses or {}
        self.sent: list[tuple[str, Any, int]] = []

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False,
             timeout: float | None = None, target_uuid: Any = None) -> asyncio.Future[Any]:
        (message,) = MessageReader().feed(bytes(request))
        codec = next(c for c in _CODECS if c.request_type == message_type(message))
        self.sent.append((codec.spec.name, codec.decode_request(message), partition_id))
        future = asyncio.get_running_loop().create_future()
        answer = self.responses.get(codec.spec.name)
        if decoder is not None:
            params = (answer,) if codec.response_names else ()
            (response,) = MessageReader().feed(bytes(codec.encode_response(*params)))
            answer = decoder(response)
        future.set_result(answer)
        return future


class FixedPartitions:
    def partition_id_of_data(self, data: bytes) -> int:
        return partition_id(partition_hash(data), PARTITIONS)


def make_context(invocations: RecordingInvocations) -> ProxyContext:
    return ProxyContext(
        config=Config(), loop=asyncio.get_running_loop(), serialization_service=SerializationService(Config()),
        invocation_service=invocations, partition_service=FixedPartitions(), cluster_service=None,
        listener_service=None, connection_manager=None, lifecycle_service=None, proxy_manager=None, callbacks=None,
        client=None,
    )  # type: ignore[arg-type]


def floats(packed: Any) -> list[float]:
    return list(struct.unpack(f"<{len(packed) // 4}f", packed)) if isinstance(packed, bytes) else list(packed)


# -- types ----------------------------------------------------------------------------------------------------------


def test_names_and_aliases_as_in_the_official_client() -> None:
    assert (Metric.EUCLIDEAN, Metric.COSINE, Metric.DOT) == (0, 1, 2)
    assert Type.DENSE == 0 and VectorType is Type
    assert VectorPair is Vector and VectorDocument is Document and VectorSearchResult is SearchResult
    config = IndexConfig("i", Metric.COSINE, 8)
    assert (config.max_degree, config.ef_construction, config.use_deduplication) == (32, 100, True)


def test_document_takes_one_vector_or_a_list() -> None:
    single = Document("v", Vector("a", Type.DENSE, [1.0]))
    assert single.vectors == [Vector("a", Type.DENSE, [1.0])] and single.vector == single.vectors[0]
    assert Document("v", []).vector is None
    assert Document("v", [Vector("a", Type.DENSE, [1.0])]) == single


# -- packing --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [
    [1, 2.5, -3], (1, 2.5, -3), array.array("f", [1, 2.5, -3]), array.array("d", [1, 2.5, -3]),
    np.array([1, 2.5, -3]), np.array([1, 2.5, -3], dtype=">f4"), np.array([1, 2, -3], dtype=np.int32) * 1.0 + [0, .5, 0],
])
def test_vectors_pack_as_little_endian_float32(values: Any) -> None:
    assert pack_vector(values) == struct.pack("<3f", 1, 2.5, -3)


def test_a_non_contiguous_numpy_view_packs_its_elements() -> None:
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert floats(pack_vector(matrix[:, 1])) == [1.0, 5.0, 9.0]


@pytest.mark.parametrize("values, error", [
    ("abc", TypeError), (b"\x00" * 8, TypeError), (["x"], TypeError), (5, TypeError), (None, ValueError),
    (np.zeros((2, 2)), ValueError), (np.array(["a"]), TypeError),
])
def test_bad_vectors_are_refused(values: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        pack_vector(values)


# -- the proxy ------------------------------------------------------------------------------------------------------


async def test_set_sends_the_packed_vector_to_the_key_partition() -> None:
    invocations = RecordingInvocations()
    collection = VectorCollection(VECTOR_SERVICE, "vc", make_context(invocations))
    await collection.set("k", Document("value", Vector("idx", Type.DENSE, np.array([0.5, 1.5]))))
    ((name, request, pid),) = invocations.sent
    assert name == "VectorCollection.set" and request.name == "vc"
    assert pid == FixedPartitions().partition_id_of_data(request.key)
    (pair,) = request.value.vectors
    assert (pair.name, pair.type, floats(pair.vector)) == ("idx", 0, [0.5, 1.5])
    assert SerializationService(Config()).to_object(request.value.value) == "value"


async def test_get_and_put_return_documents_with_deserialized_values() -> None:
    serialization = SerializationService(Config())
    stored = Document(serialization.to_data("old"), [Vector("", Type.DENSE, struct.pack("<2f", 1, 2))])
    invocations = RecordingInvocations({"VectorCollection.get": stored, "VectorCollection.put": stored})
    collection = VectorCollection(VECTOR_SERVICE, "vc", make_context(invocations))
    got = await collection.get("k")
    assert got.value == "old" and got.vectors == [Vector("", Type.DENSE, [1.0, 2.0])]
    assert got.vector.type is Type.DENSE
    previous = await collection.put("k", Document("new", Vector("", Type.DENSE, [3, 4])))
    assert previous.value == "old"


async def test_put_all_sends_one_request_per_partition() -> None:
    invocations = RecordingInvocations()
    collection = VectorCollection(VECTOR_SERVICE, "vc", make_context(invocations))
    await collection.put_all({i: Document(i, Vector("", Type.DENSE, [i, i])) for i in range(50)})
    partitions = [pid for _, _, pid in invocations.sent]
    assert len(partitions) == len(set(partitions))
    assert sum(len(request.entries) for _, request, _ in invocations.sent) == 50
    for _, request, pid in invocations.sent:
        assert all(FixedPartitions().partition_id_of_data(key) == pid for key, _ in request.entries)


async def test_search_sends_options_and_returns_results() -> None:
    serialization = SerializationService(Config())
    answer = [SearchResult(serialization.to_data("k"), serialization.to_data(7), 0.75, None)]
    invocations = RecordingInvocations({"VectorCollection.searchNearVector": answer})
    collection = VectorCollection(VECTOR_SERVICE, "vc", make_context(invocations))
    results = await collection.search_near_vector(
        Vector("i", Type.DENSE, [1, 2]), include_value=True, limit=3, hints={"efSearch": "50"})
    assert results == [SearchResult("k", 7, 0.75, None)]
    ((_, request, pid),) = invocations.sent
    assert pid == -1
    options = request.options
    assert (options.include_value, options.include_vectors, options.limit, options.hints) == (True, False, 3, {"efSearch": "50"})


async def test_optimize_clear_size_and_the_index_name() -> None:
    invocations = RecordingInvocations({"VectorCollection.size": 12})
    collection = VectorCollection(VECTOR_SERVICE, "vc", make_context(invocations))
    await collection.optimize()
    await collection.optimize("text")
    await collection.clear()
    assert await collection.size() == 12
    (_, first, _), (_, second, _) = invocations.sent[:2]
    assert first.index_name is None and second.index_name == "text" and isinstance(second.uuid, uuid.UUID)
    assert [name for name, _, _ in invocations.sent[2:]] == ["VectorCollection.clear", "VectorCollection.size"]


@pytest.mark.parametrize("call, error", [
    (lambda c: c.get(None), ValueError),
    (lambda c: c.set("k", None), ValueError),
    (lambda c: c.set("k", "not a document"), TypeError),
    (lambda c: c.put("k", Document(None, Vector("", Type.DENSE, [1.0]))), ValueError),
    (lambda c: c.put("k", Document("v", ["not a vector"])), TypeError),
    (lambda c: c.put_if_absent("k", Document("v", Vector("", Type.DENSE, "text"))), TypeError),
    (lambda c: c.put_all({"k": None}), ValueError),
    (lambda c: c.put_all([("k", Document("v", []))]), TypeError),
    (lambda c: c.search_near_vector(Vector("", Type.DENSE, [1.0]), limit=0), ValueError),
    (lambda c: c.search_near_vector(Vector("", Type.DENSE, [1.0]), limit=1.5), TypeError),
    (lambda c: c.search_near_vector(Vector("", Type.DENSE, [1.0]), hints={"efSearch": 5}), TypeError),
    (lambda c: c.search_near_vector(None), ValueError),
    (lambda c: c.optimize(3), TypeError),
    (lambda c: c.remove(None), ValueError),
    (lambda c: c.delete(None), ValueError),
])
async def test_bad_input_is_refused_before_anything_is_sent(call: Any, error: type[Exception]) -> None:
    invocations = RecordingInvocations()
    collection = VectorCollection(VECTOR_SERVICE, "vc", make_context(invocations))
    with pytest.raises(error):
        await call(collection)
    assert invocations.sent == []


# -- configuration and plugin ---------------------------------------------------------------------------------------


async def test_create_config_sends_every_parameter() -> None:
    invocations = RecordingInvocations()
    service = VectorCollections(make_context(invocations))
    await service.create_vector_collection_config(
        "vc-*", [IndexConfig("a", Metric.DOT, 4, max_degree=8, ef_construction=20, use_deduplication=False),
                 IndexConfig("b", Metric.COSINE, 2)],
        backup_count=2, async_backup_count=1, split_brain_protection_name="quorum", merge_policy="LatestUpdate",
        merge_batch_size=50,
    )
    ((name, request, pid),) = invocations.sent
    assert name == "DynamicConfig.addVectorCollectionConfig" and pid == -1
    assert request.name == "vc-*"
    assert [(i.name, i.metric, i.dimension, i.max_degree, i.ef_construction, i.use_deduplication)
            for i in request.index_configs] == [("a", 2, 4, 8, 20, False), ("b", 1, 2, 32, 100, True)]
    assert (request.backup_count, request.async_backup_count, request.split_brain_protection_name,
            request.merge_policy, request.merge_batch_size) == (2, 1, "quorum", "LatestUpdate", 50)


@pytest.mark.parametrize("indexes, options, error", [
    ([IndexConfig("a", Metric.DOT, 2), IndexConfig("a", Metric.DOT, 3)], {}, ValueError),
    ([], {}, ValueError),
    (None, {}, ValueError),
    (["a"], {}, TypeError),
    ([IndexConfig("a", Metric.DOT, 0)], {}, ValueError),
    ([IndexConfig("a", 9, 2)], {}, ValueError),
    ([IndexConfig("a", Metric.DOT, 2)], {"backup_count": -1}, ValueError),
    ([IndexConfig("a", Metric.DOT, 2)], {"backup_count": 4, "async_backup_count": 3}, ValueError),
    ([IndexConfig("a", Metric.DOT, 2)], {"merge_batch_size": 0}, ValueError),
])
async def test_bad_configurations_are_refused_before_sending(indexes: Any, options: dict, error: type) -> None:
    invocations = RecordingInvocations()
    with pytest.raises(error):
        await VectorCollections(make_context(invocations)).create_vector_collection_config("vc", indexes, **options)
    assert invocations.sent == []


def test_plugin_registers_the_proxy_type_and_client_service() -> None:
    (proxy_type,) = hazelcast_proxy_types()
    assert (proxy_type.service_name, proxy_type.proxy_class, proxy_type.accessor) == (
        "hz:service:vector", VectorCollection, "get_vector_collection")
    (service,) = hazelcast_client_services()
    assert service.attribute == "vector_collections" and service.factory is VectorCollections
