"""Exact search of a batch of queries over a block of rows: one matrix product, then the best rows per query.

The rows are a float32 matrix whose last column is each row's rank offset (``-|row|²/2`` for EUCLIDEAN, 0 for the
inner-product metrics, :data:`DEAD_RANK` for a removed row), so that ``row · query + offset`` (the query extended by
a 1) ranks every row for every query, higher being nearer. Used by
:class:`~hazelcast.embedded.vector.index.MemberIndex`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = ["BLOCK", "DEAD_RANK", "best_rows", "merge", "one_blas_thread"]

#: The rank offset of a removed row: no query can rank it above a live one.
DEAD_RANK = -1e30
#: Exact search finds its best rows among the best blocks of this many rows (one maximum per block first).
BLOCK = 64


def _require_threadpoolctl() -> Any:
    from hazelcast.embedded.vector.index import VectorSupportMissingError  # index imports this module

    try:
        return importlib.import_module("threadpoolctl")
    except ImportError as error:
        raise VectorSupportMissingError(
            "vector collections need threadpoolctl: install 'hazelcast-embedded[vector]'"
        ) from error


_blas: Any = None


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on the calling thread alone (threadpoolctl).

    Measured on 2 shared cores with the client on the same machine: a 16-query matrix product over 100,000 rows of
    dimension 128 takes 11 ms on one BLAS thread and 22-24 ms on two, which wait on each other (30,000 rows: 3 ms
    against 8 ms); end to end, one thread doubles the queries per second.
    """
    global _blas
    if _blas is None:
        _blas = _require_threadpoolctl().ThreadpoolController().select(user_api="blas")
    return _blas.limit(limits=1)


def best_rows(
    np: Any, matrix: np.ndarray, euclidean: bool, queries: np.ndarray, start: int, end: int, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """The best ``limit`` live rows of ``matrix[start:end]`` for each query: (scores, rows), best first, each
    ``(queries, limit)``; where fewer rows qualify, rows are -1 (and scores -inf).

    One matrix product ranks every row for every query (rows carry their rank offset, queries a 1). Rather
    than partially sorting every query's whole rank column, the maximum of each block of :data:`BLOCK` rows
    is taken, and the best rows are picked among the ``limit`` best blocks only: every one of the best
    ``limit`` rows lies in one of those blocks.
    """
    dimension = matrix.shape[1] - 1
    count = len(queries)
    extended = np.empty((count, dimension + 1), dtype=np.float32)
    extended[:, :dimension] = queries
    extended[:, dimension] = 1
    ranks = matrix[start:end] @ extended.T  # (rows, queries)
    size = end - start
    keep = min(limit, size)
    if size > 4 * BLOCK * keep:
        whole = size - size % BLOCK
        # Halving the blocks pairwise with contiguous slices is 4x faster than max(axis=1) on the 3-d view.
        block_best = ranks[:whole].reshape(whole // BLOCK, BLOCK * count)
        width = BLOCK * count
        while width > count:
            width //= 2
            block_best = np.maximum(block_best[:, :width], block_best[:, width : 2 * width])
        blocks = np.argpartition(block_best, len(block_best) - keep, axis=0)[len(block_best) - keep :]
        candidates = (blocks[:, None, :] * BLOCK + np.arange(BLOCK)[None, :, None]).reshape(-1, count)
        if whole < size:
            rest = np.broadcast_to(np.arange(whole, size)[:, None], (size - whole, count))
            candidates = np.concatenate((candidates, rest))
        candidate_ranks = np.take_along_axis(ranks, candidates, axis=0)
    else:
        candidates = np.broadcast_to(np.arange(size)[:, None], (size, count))
        candidate_ranks = ranks
    if len(candidates) > keep:
        best = np.argpartition(candidate_ranks, len(candidates) - keep, axis=0)[len(candidates) - keep :]
        candidates = np.take_along_axis(candidates, best, axis=0)
        candidate_ranks = np.take_along_axis(candidate_ranks, best, axis=0)
    order = np.argsort(-candidate_ranks, axis=0, kind="stable")
    rows = np.take_along_axis(candidates, order, axis=0).T + start
    best_ranks = np.take_along_axis(candidate_ranks, order, axis=0).T
    if euclidean:
        squared = np.einsum("ij,ij->i", queries, queries)[:, None] - 2 * best_ranks
        scores = 1 / (1 + np.maximum(squared, 0))
    else:
        scores = (1 + best_ranks) / 2
    dead = best_ranks < DEAD_RANK / 2
    if dead.any():
        rows = np.where(dead, -1, rows)
        scores = np.where(dead, -np.inf, scores)
    return scores.astype(np.float32), rows.astype(np.int64)


def merge(
    np: Any, first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Two (scores, rows) results of the same queries as one, best first per query (missing rows stay last)."""
    scores = np.concatenate((first[0], second[0]), axis=1)
    rows = np.concatenate((first[1], second[1]), axis=1)
    order = np.argsort(-scores, axis=1, kind="stable")
    return np.take_along_axis(scores, order, axis=1), np.take_along_axis(rows, order, axis=1)
