"""Batched searches of the member's vector index, and its choice between the graph and exact search by measured recall."""

from __future__ import annotations

import numpy as np
import pytest

from hazelcast.embedded.vector import VectorIndexSettings
from hazelcast.embedded.vector import index as index_module
from hazelcast.embedded.vector.index import MemberIndex
from hazelcast.embedded.vector.strategy import BOTH, EXACT, GRAPH, RECALL_TARGET, SearchStrategy, SplitChoice

EUCLIDEAN, COSINE, DOT = 0, 1, 2


def make_index(metric: int, dimension: int, **options: int) -> MemberIndex:
    return MemberIndex(VectorIndexSettings("v", dimension, metric, use_deduplication=False, **options))


def key_of(row: int) -> bytes:
    return row.to_bytes(4, "big")


def fill(index: MemberIndex, vectors: np.ndarray) -> None:
    keys = [key_of(row) for row in range(len(vectors))]
    index.add_many(3, keys, index.prepare_many(vectors))


def expected_rows(metric: int, vectors: np.ndarray, query: np.ndarray, limit: int, dead: set[int]) -> list[int]:
    vectors, query = vectors.astype(np.float64), query.astype(np.float64)
    if metric == EUCLIDEAN:
        scores = -((vectors - query) ** 2).sum(axis=1)
    elif metric == COSINE:
        scores = vectors @ query / np.linalg.norm(vectors, axis=1)
    else:
        scores = vectors @ query
    scores[list(dead)] = -np.inf
    return [int(row) for row in np.argsort(-scores, kind="stable")[:limit] if row not in dead]


@pytest.mark.parametrize("metric", [EUCLIDEAN, COSINE, DOT])
async def test_a_batch_of_exact_searches_equals_each_search_alone(metric: int) -> None:
    # 5,000 rows (not a multiple of the 64-row blocks) take the block-maxima path; removed rows never come back.
    rng = np.random.default_rng(metric + 20)
    vectors = rng.standard_normal((5003, 12)).astype(np.float32)
    index = make_index(metric, 12)
    fill(index, vectors)
    dead = {int(row) for row in rng.choice(5003, 300, replace=False)}
    for row in dead:
        index.remove(3, key_of(row))
    queries = rng.standard_normal((9, 12)).astype(np.float32)
    # Queries near removed rows: their nearest rows are gone.
    queries[0] = vectors[min(dead)]
    limits = [1, 5, 10, 37, 3, 64, 10, 2, 7]
    batch = index.search_many(index.prepare_many(queries), limits, [16] * 9, [False] * 9)
    for query, limit, found in zip(queries, limits, batch):
        assert [int.from_bytes(key, "big") for _, _, key in found] == expected_rows(metric, vectors, query, limit, dead)
        alone = index.search(index.prepare(query), limit, 16, False)
        assert [key for _, _, key in alone] == [key for _, _, key in found]
        assert [score for score, _, _ in alone] == pytest.approx([score for score, _, _ in found], abs=1e-6)
    # A limit larger than the live rows returns every live row once.
    (everything,) = index.search_many(index.prepare_many(queries[:1]), [6000], [16], [True])
    assert len(everything) == len({key for _, _, key in everything}) == 5003 - len(dead)


async def test_a_batch_mixing_graph_exact_and_tail_searches(monkeypatch) -> None:
    monkeypatch.setattr(index_module, "EXACT_SEARCH_LIMIT", 500)
    rng = np.random.default_rng(4)
    centres = rng.standard_normal((8, 16)).astype(np.float32) * 5
    vectors = centres[rng.integers(0, 8, 3000)] + rng.standard_normal((3000, 16)).astype(np.float32)
    index = make_index(EUCLIDEAN, 16, max_degree=16, ef_construction=64)
    fill(index, vectors[:2800])
    await index.update_graph()
    index.add_many(3, [key_of(row) for row in range(2800, 3000)], vectors[2800:])  # a tail outside the graph
    assert index.tail() == 200
    index.remove(3, key_of(2950))
    queries = vectors[[2950, 2951, 10, 11, 2999, 5]] + 0.01
    limits, efs, exacts = [3, 4, 10, 1, 6, 20], [16, 64, 64, 16, 64, 128], [False, True, False, False, True, False]
    found = index.search_many(queries, limits, efs, exacts)
    for query, limit, hits in zip(queries, limits, found):
        keys = [int.from_bytes(key, "big") for _, _, key in hits]
        assert len(keys) == limit and 2950 not in keys
        expected = expected_rows(EUCLIDEAN, vectors, query, limit, {2950})
        assert len(set(keys) & set(expected)) >= limit - 1
        assert [score for score, _, _ in hits] == sorted((score for score, _, _ in hits), reverse=True)
    # Tail rows are found by graph searches too.
    assert int.from_bytes(found[1][0][2], "big") == 2951 and int.from_bytes(found[4][0][2], "big") == 2999


async def test_a_good_graph_answers_and_a_poor_one_is_replaced_by_exact_search(monkeypatch) -> None:
    monkeypatch.setattr(index_module, "EXACT_SEARCH_LIMIT", 500)
    rng = np.random.default_rng(8)
    # Clustered points: the graph finds the neighbours, so searches keep using it.
    centres = rng.standard_normal((10, 8)).astype(np.float32) * 6
    clustered = centres[rng.integers(0, 10, 2000)] + rng.standard_normal((2000, 8)).astype(np.float32)
    good = make_index(EUCLIDEAN, 8, max_degree=16, ef_construction=64)
    fill(good, clustered)
    await good.update_graph()
    queries = clustered[rng.integers(0, 2000, 400)] + rng.standard_normal((400, 8)).astype(np.float32) * 0.1
    for start in range(0, 400, 16):
        good.search_many(queries[start : start + 16], [10] * 16, [64] * 16, [False] * 16)
    assert good.strategy.recall(64) >= RECALL_TARGET
    assert good.graph_searches == 400 and good.exact_searches < 400
    assert not good.searches_exactly(64, 10, False) and good.searches_exactly(64, 10, True)
    # Uniformly random points of dimension 64 with a sparse graph searched at ef 10: it misses too many neighbours,
    # so the index answers exactly, and every answer is the exact one.
    noise = rng.standard_normal((2000, 64)).astype(np.float32)
    poor = make_index(EUCLIDEAN, 64, max_degree=4, ef_construction=16)
    fill(poor, noise)
    await poor.update_graph()
    queries = rng.standard_normal((200, 64)).astype(np.float32)
    for start in range(0, 200, 8):
        batch = queries[start : start + 8]
        found = poor.search_many(batch, [10] * 8, [10] * 8, [False] * 8)
        for query, hits in zip(batch, found):
            assert [int.from_bytes(key, "big") for _, _, key in hits] == expected_rows(EUCLIDEAN, noise, query, 10, set())
    recall = poor.strategy.recall(10)
    assert recall is not None and recall < RECALL_TARGET
    assert poor.graph_searches < 50 and poor.exact_searches == 200
    assert poor.searches_exactly(10, 10, False)
    # A rebuilt graph is measured afresh.
    poor.remove(3, key_of(0))
    await poor.optimize()
    assert poor.strategy.recall(10) is None


def test_strategy_samples_first_then_follows_the_measured_recall() -> None:
    strategy = SearchStrategy()
    choices = []
    for _ in range(16):
        choices.append(strategy.choose(64))
        strategy.record(64, 10, 10)
    assert choices == [BOTH] * 16
    later = [strategy.choose(64) for _ in range(2048)]
    assert later.count(BOTH) == 2 and set(later) == {GRAPH, BOTH}  # exact samples are rare while the graph is good
    for _ in range(400):
        strategy.record(64, 5, 10)  # recent samples weigh most: the estimate falls below the target
    assert strategy.recall(64) < RECALL_TARGET
    assert {strategy.choose(64) for _ in range(10)} == {EXACT}
    assert [strategy.choose(64) for _ in range(128)].count(BOTH) == 2  # graph samples are cheap: more frequent
    assert strategy.recall(128) is None
    strategy.reset()
    assert strategy.recall(64) is None and strategy.choose(64) == BOTH


class Always(SplitChoice):
    def __init__(self, pieces: int) -> None:
        super().__init__()
        self.pieces = pieces

    def choose(self) -> int:
        return self.pieces


async def test_an_exact_search_in_two_halves_equals_one_in_one_piece(monkeypatch) -> None:
    monkeypatch.setattr(index_module, "SPLIT_ROWS", 1000)
    rng = np.random.default_rng(12)
    vectors = rng.standard_normal((4100, 6)).astype(np.float32)
    index = make_index(DOT, 6)
    fill(index, vectors)
    for row in range(0, 4100, 5):
        index.remove(3, key_of(row))
    queries = rng.standard_normal((5, 6)).astype(np.float32)
    answers = []
    for pieces in (1, 2):
        monkeypatch.setattr(index_module, "_split_choice", Always(pieces))
        answers.append(index.search_many(queries, [1, 10, 50, 3, 4000], [16] * 5, [True] * 5))
    for one, two in zip(*answers):
        assert len(one) == len(two)
        assert [score for score, _, _ in one] == pytest.approx([score for score, _, _ in two], abs=1e-6)
        assert {key for _, _, key in one} == {key for _, _, key in two}
    assert len(answers[1][4]) == 4100 - 820
    assert [int.from_bytes(k, "big") for _, _, k in answers[1][2]] == expected_rows(DOT, vectors, queries[2], 50, set(range(0, 4100, 5)))


def test_split_choice_tries_both_then_prefers_the_cheaper_and_retries_the_other() -> None:
    choice = SplitChoice()
    assert choice.choose() == 1
    choice.record(1, 2.0)
    assert choice.choose() == 2
    choice.record(2, 1.0)
    picks = [choice.choose() for _ in range(32)]
    assert picks.count(2) == 30 and picks.count(1) == 2
    for _ in range(20):
        choice.record(2, 5.0)  # the two halves got slower (busy cores): one piece wins again
    assert [choice.choose() for _ in range(8)].count(1) >= 7


def test_missing_threadpoolctl_names_the_extra(monkeypatch) -> None:
    import importlib

    from hazelcast.embedded.vector import exact
    from hazelcast.embedded.vector.index import VectorSupportMissingError

    real_import = importlib.import_module

    def without_threadpoolctl(name: str, *args: object) -> object:
        if name == "threadpoolctl":
            raise ImportError("No module named 'threadpoolctl'")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_threadpoolctl)
    monkeypatch.setattr(exact, "_blas", None)
    with pytest.raises(VectorSupportMissingError, match=r"hazelcast-embedded\[vector\]"):
        exact.one_blas_thread()
