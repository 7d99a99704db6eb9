"""The member's vector index alone: exact search, scores per metric, deduplication, the HNSW graph, optimize."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from hazelcast.embedded.vector import VectorCollectionSettings, VectorIndexSettings
from hazelcast.embedded.vector import index as index_module
from hazelcast.embedded.vector.index import MemberIndex, VectorSupportMissingError
from hazelcast.errors import InvalidConfigurationError

EUCLIDEAN, COSINE, DOT = 0, 1, 2


def make_index(metric: int = EUCLIDEAN, dimension: int = 8, dedup: bool = True, **options: int) -> MemberIndex:
    return MemberIndex(VectorIndexSettings("v", dimension, metric, use_deduplication=dedup, **options))


def fill(index: MemberIndex, vectors: np.ndarray) -> None:
    for row, vector in enumerate(vectors):
        index.add(row % 7, row.to_bytes(4, "big"), index.prepare(vector.astype(np.float32)))


def brute_force(metric: int, vectors: np.ndarray, query: np.ndarray, limit: int) -> list[tuple[float, int]]:
    if metric == EUCLIDEAN:
        scores = 1 / (1 + ((vectors - query) ** 2).sum(axis=1))
    elif metric == COSINE:
        cosine = vectors @ query / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query))
        scores = (1 + cosine) / 2
    else:
        scores = (1 + vectors @ query) / 2
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(float(scores[row]), int(row)) for row in order]


@pytest.mark.parametrize("metric", [EUCLIDEAN, COSINE, DOT])
async def test_small_index_search_is_exact_with_hazelcast_scores(metric: int) -> None:
    rng = np.random.default_rng(metric)
    vectors = rng.standard_normal((300, 8)).astype(np.float32)
    if metric == DOT:
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = make_index(metric)
    fill(index, vectors)
    query = rng.standard_normal(8).astype(np.float32)
    if metric == DOT:
        query /= np.linalg.norm(query)
    found = index.search(index.prepare(query), 10, 100, False)
    expected = brute_force(metric, vectors.astype(np.float64), query.astype(np.float64), 10)
    assert [int.from_bytes(key, "big") for _, _, key in found] == [row for _, row in expected]
    assert [score for score, _, _ in found] == pytest.approx([score for score, _ in expected], abs=1e-5)
    assert all(0 <= score <= 1 for score, _, _ in found)


async def test_scores_of_known_vectors() -> None:
    euclid = make_index(EUCLIDEAN, 2)
    euclid.add(0, b"a", euclid.prepare(np.array([3, 4], dtype=np.float32)))
    assert euclid.search(np.zeros(2, dtype=np.float32), 1, 10, False)[0][0] == pytest.approx(1 / 26)
    cosine = make_index(COSINE, 2)
    cosine.add(0, b"a", cosine.prepare(np.array([0, 5], dtype=np.float32)))
    assert cosine.search(cosine.prepare(np.array([1, 0], dtype=np.float32)), 1, 10, False)[0][0] == pytest.approx(0.5)
    dot = make_index(DOT, 2)
    dot.add(0, b"a", np.array([0.6, 0.8], dtype=np.float32))
    assert dot.search(np.array([0.6, 0.8], dtype=np.float32), 1, 10, False)[0][0] == pytest.approx(1.0)


async def test_deduplication_shares_a_row_and_finds_every_document() -> None:
    index = make_index(dimension=2)
    same = np.array([1, 1], dtype=np.float32)
    index.add(0, b"a", same)
    index.add(1, b"b", same.copy())
    index.add(2, b"c", np.array([5, 5], dtype=np.float32))
    assert index.row_count == 2
    assert {key for _, _, key in index.search(same, 2, 10, False)} == {b"a", b"b"}
    index.remove(0, b"a")
    assert [key for _, _, key in index.search(same, 1, 10, False)] == [b"b"]
    assert index.live_count == 2


async def test_without_deduplication_identical_vectors_take_a_row_each() -> None:
    index = make_index(dimension=2, dedup=False)
    index.add(0, b"a", np.ones(2, dtype=np.float32))
    index.add(1, b"b", np.ones(2, dtype=np.float32))
    assert index.row_count == 2 and index.live_count == 2


async def test_updating_a_key_replaces_its_vector() -> None:
    index = make_index(dimension=2)
    index.add(0, b"a", np.array([0, 0], dtype=np.float32))
    index.add(0, b"a", np.array([9, 9], dtype=np.float32))
    assert index.live_count == 1
    (score, _, key), = index.search(np.array([9, 9], dtype=np.float32), 5, 10, False)
    assert key == b"a" and score == pytest.approx(1.0)


async def test_graph_search_finds_nearly_everything_skips_removed_and_optimize_compacts(monkeypatch) -> None:
    monkeypatch.setattr(index_module, "EXACT_SEARCH_LIMIT", 200)
    rng = np.random.default_rng(3)
    centres = rng.standard_normal((10, 16)).astype(np.float32) * 4
    vectors = centres[rng.integers(0, 10, 2000)] + rng.standard_normal((2000, 16)).astype(np.float32)
    index = make_index(EUCLIDEAN, 16, max_degree=16, ef_construction=64)
    fill(index, vectors)
    await index.update_graph()
    assert index.graph_rows == 2000
    # The graph honours the index settings: max_degree neighbours on its base layer, the configured efConstruction.
    assert index._graph.hnsw.nb_neighbors(0) == 16 and index._graph.hnsw.efConstruction == 64
    queries = rng.standard_normal((50, 16)).astype(np.float32) * 4
    hits = 0
    for query in queries:
        found = {int.from_bytes(key, "big") for _, _, key in index.search(query, 10, 64, False)}
        expected = {row for _, row in brute_force(EUCLIDEAN, vectors, query, 10)}
        hits += len(found & expected)
    assert hits / 500 >= 0.9
    # Removed vectors never come back, graph or not; the exact path agrees on the survivor.
    target = vectors[5]
    index.remove(5 % 7, (5).to_bytes(4, "big"))
    found = index.search(target, 3, 64, False)
    assert (5).to_bytes(4, "big") not in {key for _, _, key in found}
    assert [key for _, _, key in found] == [key for _, _, key in index.search(target, 3, 64, True)]
    for row in range(0, 1000):
        index.remove(row % 7, row.to_bytes(4, "big"))
    assert index.row_count == 2000
    await index.optimize()
    assert index.row_count == index.live_count == 1000
    assert index.graph_rows == 1000
    query = vectors[1500]
    assert index.search(query, 1, 64, False)[0][2] == (1500).to_bytes(4, "big")


async def test_rows_added_after_the_graph_are_searched_exactly(monkeypatch) -> None:
    monkeypatch.setattr(index_module, "EXACT_SEARCH_LIMIT", 50)
    rng = np.random.default_rng(5)
    index = make_index(EUCLIDEAN, 4)
    fill(index, rng.standard_normal((100, 4)).astype(np.float32))
    await index.update_graph()
    index.add(0, b"new", np.full(4, 50, dtype=np.float32))
    assert index.tail() == 1
    assert index.search(np.full(4, 50, dtype=np.float32), 1, 16, False)[0][2] == b"new"


def test_collection_settings_from_yaml_shape() -> None:
    settings = VectorCollectionSettings(indexes=[
        {"name": "text", "dimension": 4, "metric": "cosine", "max-degree": 16, "ef-construction": 50,
         "use-deduplication": False},
        {"name": "image", "dimension": 2, "metric": "DOT"},
    ], backup_count=2)
    assert settings.indexes[0] == VectorIndexSettings("text", 4, COSINE, 16, 50, False)
    assert settings.indexes[1].metric == DOT and settings.indexes[1].max_degree == 32
    assert settings.total_backups == 2


@pytest.mark.parametrize("indexes, message", [
    ([{"name": "a", "dimension": 2}, {"name": "a", "dimension": 3}], "unique"),
    ([{"name": "a", "dimension": 2}, {"dimension": 3}], "needs a name"),
    ([{"name": "a", "dimension": 0}], "dimension"),
    ([{"name": "a", "dimension": 2, "metric": "MANHATTAN"}], "unknown metric"),
    ([{"name": "a", "dimension": 2, "colour": 1}], "unknown setting"),
])
def test_bad_collection_settings_are_refused(indexes: list, message: str) -> None:
    with pytest.raises(InvalidConfigurationError, match=message):
        VectorCollectionSettings(indexes=indexes)


def test_missing_extra_is_named(monkeypatch) -> None:
    real_import = importlib.import_module

    def without_faiss(name: str, *args: object) -> object:
        if name == "faiss":
            raise ImportError("No module named 'faiss'")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_faiss)
    with pytest.raises(VectorSupportMissingError, match=r"hazelcast-embedded\[vector\]"):
        index_module._require_faiss()


@pytest.mark.parametrize("dedup", [True, False])
async def test_adding_a_block_equals_adding_one_by_one(dedup: bool) -> None:
    rng = np.random.default_rng(9)
    vectors = rng.standard_normal((40, 4)).astype(np.float32)
    vectors[10] = vectors[3]  # identical vectors inside the block
    keys = [i.to_bytes(2, "big") for i in range(40)]
    one_by_one, block = make_index(COSINE, 4, dedup), make_index(COSINE, 4, dedup)
    for key, vector in zip(keys, vectors):
        one_by_one.add(1, key, one_by_one.prepare(vector))
    block.add_many(1, keys[:20], block.prepare_many(vectors[:20]))
    block.add_many(1, keys[:8], block.prepare_many(vectors[:8] * 2))  # re-adding keys replaces them (same direction)
    block.add_many(1, keys[20:], block.prepare_many(vectors[20:]))
    assert block.live_count == one_by_one.live_count == (39 if dedup else 40)
    query = block.prepare(rng.standard_normal(4).astype(np.float32))
    found = block.search(query, 40, 10, False)
    expected = one_by_one.search(query, 40, 10, False)
    assert sorted(key for _, _, key in found) == sorted(key for _, _, key in expected) == sorted(keys)
    assert [s for s, _, _ in found] == pytest.approx([s for s, _, _ in expected], abs=1e-6)
