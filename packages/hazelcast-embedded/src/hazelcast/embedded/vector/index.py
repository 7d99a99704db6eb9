"""One vector index of one member: the vectors of the partitions it owns, searched exactly or through an HNSW graph.

Choice of library, measured on this project's build machine (2 shared x86_64 cores, Python 3.11), 100,000 vectors of
dimension 128, graph degree 32 (M=32), ef_construction 100, 1,000 single-vector queries, recall@10 against exact
search (hnswlib publishes no wheels, so it was not a candidate)::

                       build    ef=64            ef=128           ef=256
    faiss-cpu 1.15.1
      clustered data    7.7 s   0.993  6193 q/s  0.998  4719 q/s  1.000  3375 q/s
      random gaussian  26.1 s   0.613  2954 q/s  0.769  1612 q/s  0.881   770 q/s
    usearch 2.26.6
      clustered data   10.3 s   0.993  2441 q/s  0.998  2765 q/s  1.000  2005 q/s
      random gaussian  60.6 s   0.623  1499 q/s  0.781   798 q/s  0.897   457 q/s

faiss (``IndexHNSWFlat``) builds 1.3-2.3x faster and answers about 2x faster at equal recall, so it backs the
approximate index. (Uniform random data of dimension 128 is the worst case of any graph index: the benchmark prints
both kinds.) On random data no graph setting reached recall@10 0.95 at 1,000 queries/s: a denser graph (max_degree 64,
ef_construction 200, efSearch 512) gets 0.963 at 250 q/s. Exact search of a *batch* of queries does better: one
matrix product of 16 queries against 100,000 rows of dimension 128 takes about 11 ms on one core (0.7 ms a query,
recall 1.0), where 16 searches one by one take 4 ms each. So exact search is a strategy of the index, chosen per
``efSearch`` when the graph's measured recall is below 0.95 (:mod:`hazelcast.embedded.vector.strategy`); the
member answers searches that arrive together in one call (:mod:`hazelcast.embedded.vector.search_batch`).

How the index works:

* Rows: every stored vector is a row of a float32 matrix (normalised for COSINE). A removed vector's row is marked
  dead in a bitmap that the graph search skips, until :meth:`MemberIndex.optimize` compacts the rows and rebuilds
  the graph. With deduplication, documents whose vectors are identical share one row.
* Up to :data:`EXACT_SEARCH_LIMIT` live rows, searches compare against every row (exact). Beyond, a graph covers
  rows ``[0, graph_rows)``; rows added since (the *tail*) are compared exactly and merged, and are added to the graph
  in batches, in a worker thread (faiss releases the GIL) so the member keeps serving meanwhile.
* Searches (:meth:`MemberIndex.search_many`, one query or a batch): with a graph, each ``efSearch`` is answered
  through the graph while the share of the exact top-``limit`` it finds, measured on sampled searches, is at least
  :data:`~hazelcast.embedded.vector.strategy.RECALL_TARGET`, and exactly below that. Exact search is one matrix
  product of the batch's queries with the rows (numpy on one BLAS thread: on 2 shared cores, two BLAS threads took
  twice as long), then the best rows among the best blocks of rows (:mod:`hazelcast.embedded.vector.exact`); over
  at least :data:`SPLIT_ROWS` rows it runs in two halves on two threads when that was measured faster. Graph searches run
  with one OpenMP thread (two made batched HNSW searches 4x slower on 2 shared cores); graph builds use
  :data:`BUILD_THREADS`.
* ``max_degree`` is the graph's degree on its base layer (faiss ``M`` = max_degree / 2, whose base layer keeps 2·M
  neighbours); ``ef_construction`` is faiss' ``efConstruction``; searches explore ``max(efSearch, limit)``
  candidates (hint ``efSearch``, default :data:`DEFAULT_EF_SEARCH`).
* Scores, as Hazelcast (JVector, after Lucene) defines them: EUCLIDEAN ``1 / (1 + squared distance)``, COSINE
  ``(1 + cosine) / 2``, DOT ``(1 + dot product) / 2``.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.vector.config import VectorIndexSettings
from hazelcast.embedded.vector.exact import BLOCK, DEAD_RANK, best_rows, merge, one_blas_thread
from hazelcast.embedded.vector.strategy import BOTH, EXACT, GRAPH, SearchStrategy, SplitChoice

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DEFAULT_EF_SEARCH",
    "EXACT_SEARCH_LIMIT",
    "GRAPH_BATCH",
    "MemberIndex",
    "VectorSupportMissingError",
    "require_numpy",
]

EUCLIDEAN, COSINE, DOT = 0, 1, 2
#: Collections (per member) up to this many live vectors are searched exactly.
EXACT_SEARCH_LIMIT = 10_000
#: Candidates a graph search explores when the search gives no ``efSearch`` hint.
DEFAULT_EF_SEARCH = 100
#: Rows added to the graph per worker-thread call; a tail shorter than this is added on the event loop.
GRAPH_BATCH = 5_000
_SYNC_GRAPH_ADD = 256
#: OpenMP threads of a graph build (in a worker thread); searches use one.
BUILD_THREADS = 2
#: Exact searches over at least this many rows may run in two halves at once (if measured faster).
SPLIT_ROWS = 32_768
_EXTRA = "hazelcast-embedded[vector]"


class VectorSupportMissingError(ImportError):
    """numpy, faiss-cpu or threadpoolctl is not installed: vector collections need the ``hazelcast-embedded[vector]`` extra."""


def _import(module: str, distribution: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise VectorSupportMissingError(
            f"vector collections need {distribution}: install {_EXTRA!r} (pip install '{_EXTRA}')"
        ) from error


_numpy: Any = None


def require_numpy() -> Any:
    global _numpy
    if _numpy is None:
        _numpy = _import("numpy", "numpy")
    return _numpy


_faiss: Any = None


def _require_faiss() -> Any:
    """faiss, with one OpenMP thread for what the calling (event loop) thread runs: searches.

    Measured on 2 shared cores: batched HNSW searches run 4x slower with 2 threads than with 1 (the threads spin and
    wait on each other and on the client's process), a single search gains nothing from a second thread.
    """
    global _faiss
    faiss = _import("faiss", "faiss-cpu")
    if _faiss is not faiss:
        faiss.omp_set_num_threads(1)
        _faiss = faiss
    return faiss


_split_choice = SplitChoice()
_worker_pool: ThreadPoolExecutor | None = None


def _worker() -> ThreadPoolExecutor:
    """The thread that searches the second half of the rows of a split exact search."""
    global _worker_pool
    if _worker_pool is None:
        _worker_pool = ThreadPoolExecutor(1, thread_name_prefix="vector-search")
    return _worker_pool


def _build_with_threads(graph: Any, rows: np.ndarray) -> None:
    """Add ``rows`` to ``graph`` with :data:`BUILD_THREADS` OpenMP threads (the setting is per calling thread)."""
    _require_faiss().omp_set_num_threads(BUILD_THREADS)
    graph.add(rows)


class MemberIndex:
    """The rows and the search graph of one index over the partitions one member owns.

    References are ``(partition id, key)`` pairs. Mutations and searches run on the event loop; only graph inserts
    run in a worker thread, and :attr:`lock` keeps searches and rebuilds from touching the graph meanwhile.
    """

    def __init__(self, settings: VectorIndexSettings) -> None:
        self.settings = settings
        np = self._np = require_numpy()
        self.dimension = settings.dimension
        self.metric = settings.metric
        self._dedup = settings.use_deduplication
        # Row i: the vector, then its rank offset (see _rank_offsets; DEAD_RANK once removed), so that one matrix
        # product with queries extended by a 1 ranks every row for every query.
        self._matrix = np.empty((64, self.dimension + 1), dtype=np.float32)
        self._rows = self._matrix[:, : self.dimension]
        self._bits = np.zeros(8, dtype=np.uint8)  # live bitmap, faiss IDSelectorBitmap order
        self._count = 0
        self.live_count = 0
        self._refs: list[list[tuple[int, bytes]] | None] = []
        self._row_of: dict[tuple[int, bytes], int] = {}
        self._by_vector: dict[bytes, int] = {}
        self._graph: Any = None
        self._graph_rows = 0
        self._flush_task: asyncio.Task[None] | None = None
        self._search_params: tuple[Any, ...] | None = None
        self.strategy = SearchStrategy()
        #: Searches answered through the graph and exactly (a sampled search counts in both).
        self.graph_searches = 0
        self.exact_searches = 0
        self.lock = asyncio.Lock()

    # -- rows ---------------------------------------------------------------------------------------------------

    def prepare(self, vector: np.ndarray) -> np.ndarray:
        """The form the index keeps ``vector`` in (unit length for COSINE). Call after validation."""
        if self.metric == COSINE:
            unit: np.ndarray = vector / self._np.sqrt(self._np.dot(vector, vector))
            return unit
        return vector

    def prepare_many(self, vectors: np.ndarray) -> np.ndarray:
        """:meth:`prepare` for the rows of a matrix."""
        if self.metric == COSINE:
            units: np.ndarray = vectors / self._np.sqrt(self._np.einsum("ij,ij->i", vectors, vectors))[:, None]
            return units
        return vectors

    def add_many(self, partition_id: int, keys: list[bytes], vectors: np.ndarray) -> None:
        """:meth:`add` for many documents of one partition: the rows of ``vectors`` (prepared) go in as one block."""
        if len(keys) < 8 or len(set(keys)) != len(keys):
            for key, vector in zip(keys, vectors):
                self.add(partition_id, key, vector)
            return
        np = self._np
        row_of, refs = self._row_of, self._refs
        for key in keys:
            if (partition_id, key) in row_of:
                self.remove(partition_id, key)
        start = self._count
        if self._dedup:
            by_vector = self._by_vector
            chosen: list[int] = []
            for position, key in enumerate(keys):
                ref = (partition_id, key)
                raw = vectors[position].tobytes()
                row = by_vector.get(raw)
                if row is None:
                    row = by_vector[raw] = start + len(chosen)
                    chosen.append(position)
                    refs.append([ref])
                else:
                    refs[row].append(ref)  # type: ignore[union-attr]
                row_of[ref] = row
            block = vectors[np.asarray(chosen, dtype=np.int64)] if len(chosen) != len(keys) else vectors
        else:
            for position, key in enumerate(keys):
                ref = (partition_id, key)
                refs.append([ref])
                row_of[ref] = start + position
            block = vectors
        count = len(block)
        if not count:
            return
        while start + count > len(self._rows):
            self._grow()
        end = start + count
        self._rows[start:end] = block
        self._matrix[start:end, self.dimension] = self._rank_offsets(block)
        rows = np.arange(start, end)
        np.bitwise_or.at(self._bits, rows >> 3, (1 << (rows & 7)).astype(np.uint8))
        self._count = end
        self.live_count += count
        if self._graph is None and self.live_count > EXACT_SEARCH_LIMIT:
            self._graph = self._new_graph()

    def add(self, partition_id: int, key: bytes, vector: np.ndarray) -> None:
        """Index ``vector`` (already :meth:`prepare`-d) for the document ``key`` of ``partition_id``."""
        ref = (partition_id, key)
        if ref in self._row_of:
            self.remove(partition_id, key)
        if self._dedup:
            raw = vector.tobytes()
            row = self._by_vector.get(raw)
            if row is not None:
                self._refs[row].append(ref)  # type: ignore[union-attr]
                self._row_of[ref] = row
                return
        row = self._count
        if row == len(self._rows):
            self._grow()
        self._rows[row] = vector
        self._matrix[row, self.dimension] = self._rank_offsets(vector[None, :])[0]
        self._bits[row >> 3] |= 1 << (row & 7)
        self._refs.append([ref])
        self._row_of[ref] = row
        self._count = row + 1
        self.live_count += 1
        if self._dedup:
            self._by_vector[raw] = row
        if self._graph is None and self.live_count > EXACT_SEARCH_LIMIT:
            self._graph = self._new_graph()

    def remove(self, partition_id: int, key: bytes) -> None:
        row = self._row_of.pop((partition_id, key), None)
        if row is None:
            return
        refs = self._refs[row]
        assert refs is not None
        refs.remove((partition_id, key))
        if refs:
            return
        self._refs[row] = None
        self._bits[row >> 3] &= ~(1 << (row & 7)) & 0xFF
        self._matrix[row, self.dimension] = DEAD_RANK
        self.live_count -= 1
        if self._dedup:
            self._by_vector.pop(self._rows[row].tobytes(), None)

    def _rank_offsets(self, vectors: np.ndarray) -> np.ndarray:
        """What is added to ``row · query`` so that a higher value means nearer: ``-|row|²/2`` for EUCLIDEAN
        (``|q - r|² = |q|² - 2 (r·q - |r|²/2)``), nothing for the inner-product metrics."""
        numpy = self._np
        if self.metric == EUCLIDEAN:
            offsets: np.ndarray = numpy.einsum("ij,ij->i", vectors, vectors) * numpy.float32(-0.5)
        else:
            offsets = numpy.zeros(len(vectors), dtype=numpy.float32)
        return offsets

    def _set_matrix(self, matrix: np.ndarray) -> None:
        self._matrix = matrix
        self._rows = matrix[:, : self.dimension]

    def _grow(self) -> None:
        np = self._np
        capacity = len(self._rows) * 2
        matrix = np.empty((capacity, self.dimension + 1), dtype=np.float32)
        matrix[: self._count] = self._matrix[: self._count]
        bits = np.zeros((capacity + 7) // 8, dtype=np.uint8)
        bits[: len(self._bits)] = self._bits
        self._set_matrix(matrix)
        self._bits = bits

    @property
    def row_count(self) -> int:
        """Rows in use, dead ones included (what :meth:`optimize` compacts)."""
        return self._count

    @property
    def graph_rows(self) -> int:
        return self._graph_rows

    # -- graph --------------------------------------------------------------------------------------------------

    def _new_graph(self) -> Any:
        faiss = _require_faiss()
        metric = faiss.METRIC_L2 if self.metric == EUCLIDEAN else faiss.METRIC_INNER_PRODUCT
        graph = faiss.IndexHNSWFlat(self.dimension, max(2, self.settings.max_degree // 2), metric)
        graph.hnsw.efConstruction = self.settings.ef_construction
        self._graph_rows = 0
        self.strategy.reset()
        return graph

    def tail(self) -> int:
        """Rows not yet in the graph (0 while the index searches exactly)."""
        return self._count - self._graph_rows if self._graph is not None else 0

    def schedule_graph_update(self) -> None:
        """Start adding the tail to the graph in the background, unless that is running or there is no tail."""
        if self.tail() and (self._flush_task is None or self._flush_task.done()):
            self._flush_task = asyncio.get_running_loop().create_task(self.update_graph())

    async def update_graph(self) -> None:
        """Add every row to the graph, a batch at a time (in a worker thread unless the batch is small).

        The lock is taken per batch, so searches waiting for the graph get their turn between batches.
        """
        while True:
            async with self.lock:
                if self._graph is None or self._graph_rows >= self._count:
                    return
                start = self._graph_rows
                end = min(self._count, start + GRAPH_BATCH)
                batch = self._rows[start:end].copy()
                if end - start <= _SYNC_GRAPH_ADD:
                    self._graph.add(batch)
                else:
                    await asyncio.to_thread(_build_with_threads, self._graph, batch)
                self._graph_rows = end

    def close(self) -> None:
        """Stop a background graph update (the index is being dropped)."""
        if self._flush_task is not None:
            self._flush_task.cancel()

    async def optimize(self) -> None:
        """Compact away dead rows and rebuild the graph from the live ones; then every row is in the graph.

        Without dead rows there is nothing to compact: the graph is only brought up to date.
        """
        async with self.lock:
            if self.live_count == self._count and (self._graph is not None or self._count <= EXACT_SEARCH_LIMIT):
                dead = False
            else:
                dead = True
        if not dead:
            await self.update_graph()
            return
        async with self.lock:
            np = self._np
            live = [row for row in range(self._count) if self._refs[row] is not None]
            order = np.asarray(live, dtype=np.int64)
            count = len(live)
            capacity = max(64, 1 << max(0, (count - 1).bit_length()))
            matrix = np.empty((capacity, self.dimension + 1), dtype=np.float32)
            matrix[:count] = self._matrix[order] if count else matrix[:0]
            bits = np.zeros((capacity + 7) // 8, dtype=np.uint8)
            bits[: count >> 3] = 0xFF
            for row in range(count & ~7, count):
                bits[row >> 3] |= 1 << (row & 7)
            refs = [self._refs[row] for row in live]
            self._set_matrix(matrix)
            rows = self._rows
            self._bits, self._refs, self._count = bits, refs, count
            self._row_of = {ref: row for row, row_refs in enumerate(refs) for ref in row_refs}  # type: ignore[union-attr]
            if self._dedup:
                self._by_vector = {rows[row].tobytes(): row for row in range(count)}
            self._graph = self._new_graph() if count > EXACT_SEARCH_LIMIT else None
        await self.update_graph()

    # -- search -------------------------------------------------------------------------------------------------

    def search(self, query: np.ndarray, limit: int, ef_search: int, exact: bool) -> list[tuple[float, int, bytes]]:
        """The best ``limit`` documents for ``query`` (prepared) as ``(score, partition id, key)``, best first."""
        return self.search_many(query.reshape(1, -1), [limit], [ef_search], [exact])[0]

    def searches_exactly(self, ef_search: int, limit: int, exact: bool) -> bool:
        """Whether a search would compare against every row of an index above :data:`EXACT_SEARCH_LIMIT` rows
        (costly alone, cheap per query in a batch)."""
        if self.live_count <= EXACT_SEARCH_LIMIT:
            return False
        if exact or self._graph is None or not self._graph_rows:
            return True
        return self.strategy.prefers_exact(max(ef_search, limit))

    def search_many(
        self, queries: np.ndarray, limits: Sequence[int], ef_searches: Sequence[int], exacts: Sequence[bool]
    ) -> list[list[tuple[float, int, bytes]]]:
        """:meth:`search` for each row of ``queries`` (prepared), with its own limit, efSearch and exact flag.

        Queries answered exactly share one matrix product; graph searches with the same efSearch share one faiss
        call. Without a graph every query is exact; with one, :attr:`strategy` picks the graph or exact search
        per efSearch (see :mod:`hazelcast.embedded.vector.strategy`), and rows not yet in the graph are compared
        exactly and merged. The caller holds :attr:`lock` or knows it is free.
        """
        count = len(queries)
        if not self.live_count:
            return [[] for _ in range(count)]
        found: list[tuple[np.ndarray, np.ndarray] | None] = [None] * count
        graph_ready = self._graph is not None and self._graph_rows > 0
        to_exact: list[int] = []
        by_ef: dict[int, list[int]] = {}
        sampled: list[int] = []
        efs: list[int] = []
        for position in range(count):
            ef = max(ef_searches[position], limits[position])
            efs.append(ef)
            if exacts[position] or not graph_ready:
                to_exact.append(position)
                continue
            choice = self.strategy.choose(ef)
            if choice != EXACT:
                by_ef.setdefault(ef, []).append(position)
            if choice != GRAPH:
                to_exact.append(position)
                if choice == BOTH:
                    sampled.append(position)
        if to_exact:
            self.exact_searches += len(to_exact)
            limit = max(limits[position] for position in to_exact)
            scores, rows = self._exact(queries[to_exact], 0, self._count, limit)
            for at, position in enumerate(to_exact):
                found[position] = scores[at], rows[at]
        graph_found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for ef, positions in by_ef.items():
            self.graph_searches += len(positions)
            limit = max(limits[position] for position in positions)
            batch = queries[positions]
            graph_scores, graph_rows = self._graph_search(batch, limit, ef)
            if self._graph_rows < self._count:
                tail = self._exact(batch, self._graph_rows, self._count, limit)
                graph_scores, graph_rows = merge(self._np, (graph_scores, graph_rows), tail)
            for at, position in enumerate(positions):
                graph_found[position] = graph_scores[at], graph_rows[at]
        for position in sampled:
            exact_rows = found[position][1][: limits[position]]  # type: ignore[index]
            graph_rows = graph_found[position][1][: limits[position]]
            graph_rows = graph_rows[graph_rows >= 0]
            self.strategy.record(efs[position], len(set(exact_rows.tolist()) & set(graph_rows.tolist())), len(exact_rows))
        refs = self._refs
        answers: list[list[tuple[float, int, bytes]]] = []
        for position in range(count):
            scores, rows = found[position] or graph_found[position]
            limit = limits[position]
            results: list[tuple[float, int, bytes]] = []
            for score, row in zip(scores.tolist(), rows.tolist()):
                if row < 0:
                    break
                for partition_id, key in refs[row] or ():
                    results.append((score, partition_id, key))
                    if len(results) == limit:
                        break
                if len(results) == limit:
                    break
            answers.append(results)
        return answers

    def _exact_part(self, queries: np.ndarray, start: int, end: int, limit: int) -> tuple[np.ndarray, np.ndarray]:
        return best_rows(self._np, self._matrix, self.metric == EUCLIDEAN, queries, start, end, limit)

    def _exact(self, queries: np.ndarray, start: int, end: int, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """:func:`~hazelcast.embedded.vector.exact.best_rows` of ``[start, end)``, in two halves at once (the second in a worker thread) when that
        has been measured to be faster (see :class:`~hazelcast.embedded.vector.strategy.SplitChoice`)."""
        size = end - start
        with one_blas_thread():
            if size < SPLIT_ROWS:
                return self._exact_part(queries, start, end, limit)
            halves = _split_choice.choose()
            started = time.perf_counter()
            if halves == 1:
                found = self._exact_part(queries, start, end, limit)
            else:
                middle = start + (size // 2) // BLOCK * BLOCK
                second = _worker().submit(self._exact_part, queries, middle, end, limit)
                first = self._exact_part(queries, start, middle, limit)
                scores, rows = merge(self._np, first, second.result())
                found = scores[:, :limit], rows[:, :limit]
            _split_choice.record(halves, (time.perf_counter() - started) / (size * len(queries)))
            return found

    def _graph_search(self, queries: np.ndarray, limit: int, ef: int) -> tuple[np.ndarray, np.ndarray]:
        """Graph search of every query at ``ef``: (scores, rows), each ``(queries, limit)``, rows -1 where fewer
        were found (scores -inf)."""
        np = self._np
        faiss = _require_faiss()
        cached = self._search_params
        if cached is not None and cached[0] is self._bits and cached[1] == self._graph_rows and cached[2] == ef:
            params = cached[3]
        else:
            # The selector reads the live bitmap in place: rebuilt only when the bitmap or the graph changes size.
            selector = faiss.IDSelectorBitmap(self._graph_rows, faiss.swig_ptr(self._bits))
            params = faiss.SearchParametersHNSW(efSearch=ef, sel=selector)
            self._search_params = (self._bits, self._graph_rows, ef, params, selector)
        # Dead rows cost a result slot each in the graph's candidate list, not in what it returns.
        distances, labels = self._graph.search(np.ascontiguousarray(queries), limit, params=params)
        if self.metric == EUCLIDEAN:
            scores = 1 / (1 + np.maximum(distances, 0))
        else:
            scores = (1 + distances) / 2
        missing = labels < 0
        if missing.any():
            scores = np.where(missing, -np.inf, scores)
        return scores.astype(np.float32), labels.astype(np.int64)

