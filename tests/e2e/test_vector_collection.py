"""VectorCollection end to end: our client against embedded members, every method, bad input, failover."""

from __future__ import annotations

import asyncio
import math

import numpy as np
import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import (
    IllegalArgumentError,
    InvalidConfigurationError,
    OperationTimeoutError,
    TargetDisconnectedError,
)
from hazelcast.vector import Document, IndexConfig, Metric, SearchResult, Type, Vector

from .conftest import running_client, wait_until


def vec(values, name: str = "v") -> Vector:
    return Vector(name, Type.DENSE, values)


@pytest.fixture
async def collection(cluster1: EmbeddedCluster):
    async with running_client(cluster1) as client:
        await client.create_vector_collection_config("docs", [IndexConfig("v", Metric.EUCLIDEAN, 3)])
        yield await client.get_vector_collection("docs")


async def test_set_get_put_returns_previous(collection) -> None:
    assert await collection.get("a") is None
    await collection.set("a", Document("first", vec([1, 2, 3])))
    got = await collection.get("a")
    assert got.value == "first"
    assert got.vectors == [Vector("v", Type.DENSE, [1.0, 2.0, 3.0])]
    assert got.vector.type is Type.DENSE
    previous = await collection.put("a", Document(["x", 1], [vec([4, 5, 6])]))
    assert previous.value == "first"
    assert (await collection.get("a")).value == ["x", 1]
    assert await collection.put("b", Document("b", vec([0, 0, 0]))) is None


async def test_put_if_absent_keeps_the_first_document(collection) -> None:
    assert await collection.put_if_absent("k", Document("one", vec([1, 1, 1]))) is None
    existing = await collection.put_if_absent("k", Document("two", vec([2, 2, 2])))
    assert existing.value == "one"
    assert (await collection.get("k")).value == "one"
    assert (await collection.search_near_vector(vec([2, 2, 2]), limit=1))[0].score == pytest.approx(1 / 4)


async def test_put_all_size_remove_delete_clear(collection) -> None:
    await collection.put_all({i: Document(f"v{i}", vec([i, 0, 0])) for i in range(100)})
    assert await collection.size() == 100
    removed = await collection.remove(7)
    assert removed.value == "v7" and removed.vectors[0].vector == [7.0, 0.0, 0.0]
    assert await collection.remove(7) is None
    await collection.delete(8)
    assert await collection.get(8) is None
    assert await collection.size() == 98
    keys = {r.key for r in await collection.search_near_vector(vec([7.5, 0, 0]), limit=4)}
    assert keys == {6, 9, 5, 10}
    await collection.clear()
    assert await collection.size() == 0
    assert await collection.search_near_vector(vec([1, 0, 0])) == []
    await collection.put_all({})


async def test_search_equals_exact_search_with_values_and_vectors(collection) -> None:
    rng = np.random.default_rng(11)
    points = rng.standard_normal((300, 3)).astype(np.float32)
    await collection.put_all({i: Document(i * 10, vec(points[i])) for i in range(300)})
    query = rng.standard_normal(3).astype(np.float32)
    results = await collection.search_near_vector(vec(query), include_value=True, include_vectors=True, limit=15)
    squared = ((points.astype(np.float64) - query) ** 2).sum(axis=1)
    expected = np.argsort(squared, kind="stable")[:15]
    assert [r.key for r in results] == expected.tolist()
    assert [r.score for r in results] == pytest.approx((1 / (1 + squared[expected])).tolist(), rel=1e-4)
    assert all(isinstance(r, SearchResult) for r in results)
    assert [r.value for r in results] == [int(k) * 10 for k in expected]
    assert results[0].vectors[0].vector == pytest.approx(points[expected[0]].tolist())
    bare = await collection.search_near_vector(vec(query), limit=2)
    assert bare[0].value is None and bare[0].vectors is None
    exact = await collection.search_near_vector(vec(query), limit=15, hints={"exact": "true"})
    assert [r.key for r in exact] == [r.key for r in results]


async def test_optimize_keeps_search_results(collection) -> None:
    await collection.put_all({i: Document(i, vec([i, i, i])) for i in range(50)})
    for i in range(0, 50, 2):
        await collection.delete(i)
    await collection.optimize()
    await collection.optimize("v")
    results = await collection.search_near_vector(vec([10, 10, 10]), limit=3)
    # 9 and 11 are equally near, and so are 7 and 13: either order of a tie is right.
    keys = [r.key for r in results]
    assert set(keys[:2]) == {9, 11} and keys[2] in (7, 13)


async def test_vectors_from_numpy_array_module_and_tuples(collection) -> None:
    import array

    await collection.set("np", Document(1, vec(np.array([1, 2, 3], dtype=np.float64))))
    await collection.set("arr", Document(2, vec(array.array("f", [4, 5, 6]))))
    await collection.set("tuple", Document(3, vec((7, 8, 9))))
    assert (await collection.get("np")).vector.vector == [1.0, 2.0, 3.0]
    assert (await collection.get("arr")).vector.vector == [4.0, 5.0, 6.0]
    assert (await collection.get("tuple")).vector.vector == [7.0, 8.0, 9.0]


@pytest.mark.parametrize("document, message", [
    (Document("x", vec([1, 2])), "dimension 3"),
    (Document("x", vec([1, math.nan, 3])), "NaN"),
    (Document("x", vec([1, 2, 3], name="nope")), "no index 'nope'"),
    (Document("x", []), "no vector for index"),
])
async def test_bad_documents_are_refused_and_nothing_is_stored(collection, document, message) -> None:
    with pytest.raises(IllegalArgumentError, match=message):
        await collection.put("bad", document)
    with pytest.raises(IllegalArgumentError, match=message):
        await collection.put_all({"bad": document})
    assert await collection.size() == 0
    assert await collection.get("bad") is None


async def test_bad_searches_are_refused(collection) -> None:
    await collection.set("a", Document("a", vec([1, 1, 1])))
    with pytest.raises(ValueError, match="limit"):
        await collection.search_near_vector(vec([1, 1, 1]), limit=0)
    with pytest.raises(IllegalArgumentError, match="dimension"):
        await collection.search_near_vector(vec([1, 1]))
    with pytest.raises(IllegalArgumentError, match="NaN"):
        await collection.search_near_vector(vec([math.nan, 1, 1]))
    with pytest.raises(IllegalArgumentError, match="no index"):
        await collection.search_near_vector(vec([1, 1, 1], name="other"))
    with pytest.raises(IllegalArgumentError, match="efSearch"):
        await collection.search_near_vector(vec([1, 1, 1]), hints={"efSearch": "many"})


async def test_several_named_indexes(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        await client.create_vector_collection_config("multi", [
            IndexConfig("text", Metric.COSINE, 2), IndexConfig("image", Metric.DOT, 3, use_deduplication=False),
        ])
        multi = await client.get_vector_collection("multi")
        await multi.set("a", Document("a", [Vector("text", Type.DENSE, [1, 0]), Vector("image", Type.DENSE, [0, 0, 1])]))
        await multi.set("b", Document("b", [Vector("text", Type.DENSE, [0, 1]), Vector("image", Type.DENSE, [1, 0, 0])]))
        by_text = await multi.search_near_vector(Vector("text", Type.DENSE, [1, 0.1]), limit=1)
        by_image = await multi.search_near_vector(Vector("image", Type.DENSE, [1, 0, 0]), limit=2)
        assert by_text[0].key == "a"
        assert [r.key for r in by_image] == ["b", "a"]
        assert [r.score for r in by_image] == pytest.approx([1.0, 0.5])
        with pytest.raises(IllegalArgumentError, match="name the index"):
            await multi.search_near_vector(Vector("", Type.DENSE, [1, 0]))
        with pytest.raises(IllegalArgumentError, match="name the index"):
            await multi.set("c", Document("c", [Vector("", Type.DENSE, [1, 0]), Vector("image", Type.DENSE, [0, 0, 1])]))
        with pytest.raises(IllegalArgumentError, match="name the index"):
            await multi.optimize()
        await multi.optimize("text")
        assert await multi.size() == 2


async def test_collection_configured_in_member_yaml_shape() -> None:
    config = {"hazelcast": {"vector-collection": {"products-*": {
        "backup-count": 1,
        "indexes": [{"name": "emb", "dimension": 2, "metric": "COSINE", "max-degree": 16, "ef-construction": 64,
                     "use-deduplication": True}],
    }}}}
    async with EmbeddedCluster(member_count=1, config=config) as cluster, running_client(cluster) as client:
        products = await client.get_vector_collection("products-eu")
        await products.set(1, Document("p", Vector("", Type.DENSE, [3, 4])))
        (hit,) = await products.search_near_vector(Vector("emb", Type.DENSE, [-3, -4]), limit=1)
        assert hit.score == pytest.approx(0.0, abs=1e-6)
        unconfigured = await client.get_vector_collection("orders")
        with pytest.raises(InvalidConfigurationError, match="no vector collection configuration"):
            await unconfigured.size()


async def test_config_validation_on_client_and_member(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        with pytest.raises(ValueError, match="unique"):
            await client.create_vector_collection_config("c", [IndexConfig("a", Metric.DOT, 2)] * 2)
        with pytest.raises(ValueError, match="backup_count"):
            await client.create_vector_collection_config("c", [IndexConfig("a", Metric.DOT, 2)], backup_count=7)
        await client.create_vector_collection_config("c", [IndexConfig("a", Metric.DOT, 2)])
        await client.create_vector_collection_config("c", [IndexConfig("a", Metric.DOT, 2)])  # same again: fine
        with pytest.raises(InvalidConfigurationError, match="different configuration"):
            await client.create_vector_collection_config("c", [IndexConfig("a", Metric.DOT, 3)])


async def test_destroy_drops_the_documents(collection) -> None:
    await collection.set("a", Document("a", vec([1, 1, 1])))
    await collection.destroy()
    assert await collection.size() == 0
    assert await collection.search_near_vector(vec([1, 1, 1])) == []


@pytest.mark.parametrize("redo_operation", [False, True])
async def test_no_acknowledged_document_is_lost_when_a_member_dies(cluster3: EmbeddedCluster, redo_operation) -> None:
    async with running_client(cluster3, redo_operation=redo_operation, invocation_timeout=20) as client:
        await client.create_vector_collection_config("ha", [IndexConfig("v", Metric.EUCLIDEAN, 2)], backup_count=1)
        ha = await client.get_vector_collection("ha")
        await ha.put_all({i: Document(i, vec([i, -i])) for i in range(300)})
        acknowledged = set(range(300))
        failed = 0

        async def writer(start: int) -> None:
            nonlocal failed
            for i in range(start, start + 75):
                try:
                    await ha.set(i, Document(i, vec([i, -i])))
                    acknowledged.add(i)
                except (TargetDisconnectedError, OperationTimeoutError):
                    failed += 1

        writers = [asyncio.create_task(writer(300 + n * 75)) for n in range(4)]
        await wait_until(lambda: len(acknowledged) > 350, what="writes flowing")
        await cluster3.kill_member(cluster3.live_members[1])
        await asyncio.gather(*writers)
        if redo_operation:
            assert failed == 0, "with redo_operation every write is retried to completion"
        assert len(acknowledged) + failed == 600
        assert await ha.size() >= len(acknowledged)
        for i in sorted(acknowledged)[::25]:
            assert (await ha.get(i)).value == i
        everything = await ha.search_near_vector(vec([0, 0]), limit=600)
        assert {r.key for r in everything} >= acknowledged
        results = await ha.search_near_vector(vec([150, -150]), limit=3)
        assert [r.key for r in results][0] == 150 and {r.key for r in results} == {149, 150, 151}


def _record_batch_sizes(monkeypatch) -> list[int]:
    """Record how many queries each call of the member index's ``search_many`` answered together."""
    from hazelcast.embedded.vector.index import MemberIndex

    batch_sizes: list[int] = []
    search_many = MemberIndex.search_many

    def recording(self, queries, *args):
        batch_sizes.append(len(queries))
        return search_many(self, queries, *args)

    monkeypatch.setattr(MemberIndex, "search_many", recording)
    return batch_sizes


async def test_concurrent_searches_are_answered_together_each_with_its_own_options(collection, monkeypatch) -> None:
    batch_sizes = _record_batch_sizes(monkeypatch)
    rng = np.random.default_rng(21)
    points = rng.standard_normal((400, 3)).astype(np.float32)
    await collection.put_all({i: Document(f"d{i}", vec(points[i])) for i in range(400)})
    removed = list(range(0, 400, 9))
    for key in removed:
        await collection.delete(key)
    queries = rng.standard_normal((24, 3)).astype(np.float32)
    queries[0] = points[9]  # exactly a removed document's vector
    limits = [1 + (i * 7) % 30 for i in range(24)]
    results = await asyncio.gather(*(
        collection.search_near_vector(
            vec(query), limit=limit, include_value=i % 2 == 0, include_vectors=i % 3 == 0,
            hints={"exact": "true"} if i % 4 == 0 else {"efSearch": str(8 + i)},
        )
        for i, (query, limit) in enumerate(zip(queries, limits))
    ))
    assert max(batch_sizes) > 1  # some searches shared one index call
    live = np.array([i for i in range(400) if i not in removed])
    for i, (query, limit, found) in enumerate(zip(queries, limits, results)):
        squared = ((points[live].astype(np.float64) - query) ** 2).sum(axis=1)
        assert [r.key for r in found] == live[np.argsort(squared, kind="stable")[:limit]].tolist()
        assert all((r.value == f"d{r.key}") if i % 2 == 0 else r.value is None for r in found)
        assert all((r.vectors is not None) == (i % 3 == 0) for r in found)
    assert 9 not in {r.key for found in results for r in found}


class _Request:
    """Stands for a member request: records the answer."""

    def __init__(self, cluster: EmbeddedCluster) -> None:
        self.cluster = cluster
        self.answer = None

    def respond(self, result) -> None:
        self.answer = result

    def fail(self, error: BaseException) -> None:
        self.answer = error


async def test_exact_searches_of_a_large_index_wait_briefly_for_the_rest_of_their_batch(cluster1, monkeypatch) -> None:
    from hazelcast.embedded.vector import index as index_module
    from hazelcast.embedded.vector import search_batch
    from hazelcast.embedded.vector.service import settings_of

    monkeypatch.setattr(index_module, "EXACT_SEARCH_LIMIT", 50)
    batch_sizes = _record_batch_sizes(monkeypatch)
    async with running_client(cluster1) as client:
        await client.create_vector_collection_config("large", [IndexConfig("v", Metric.EUCLIDEAN, 3)])
        collection = await client.get_vector_collection("large")
        await collection.put_all({i: Document(i, vec([i, 0, 0])) for i in range(200)})
    settings = settings_of(cluster1, "large")

    def park(key: int) -> _Request:
        request = _Request(cluster1)
        query = np.array([key, 0, 0], dtype=np.float32)
        search = search_batch.ParkedSearch(request, "large", settings, 0, query, 1, 16, True, None)
        search_batch.park_search(search, lambda search, hits: [hit[2] for hit in hits])
        return request

    first = [park(key) for key in range(4)]
    await asyncio.sleep(0)
    assert batch_sizes == [4] and all(request.answer is not None for request in first)
    alone = park(10)
    await asyncio.sleep(0)
    assert batch_sizes == [4] and alone.answer is None  # held back: batches of this index had 4 searches
    rest = [park(key) for key in (11, 12, 13)]
    await asyncio.sleep(0)
    assert batch_sizes == [4, 4]  # answered as soon as the batch was complete
    assert [len(request.answer) for request in [alone, *rest]] == [1, 1, 1, 1]
    late = park(20)
    await asyncio.sleep(0)
    assert late.answer is None
    await wait_until(lambda: late.answer is not None, timeout=1)  # after at most BATCH_WAIT
    assert batch_sizes == [4, 4, 1]
