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
approximate index; numpy does the exact search. (Uniform random data of dimension 128 is the worst case of any
graph index: the benchmark prints both kinds.)

How the index works:

* Rows: every stored vector is a row of a float32 matrix (normalised for COSINE). A removed vector's row is marked
  dead in a bitmap that the graph search skips, until :meth:`MemberIndex.optimize` compacts the rows and rebuilds
  the graph. With deduplication, documents whose vectors are identical share one row.
* Up to :data:`EXACT_SEARCH_LIMIT` live rows, searches compare against every row (exact). Beyond, the graph covers
  rows ``[0, graph_rows)``; rows added since (the *tail*) are compared exactly and merged, and are added to the graph
  in batches, in a worker thread (faiss releases the GIL) so the member keeps serving meanwhile.
* ``max_degree`` is the graph's degree on its base layer (faiss ``M`` = max_degree / 2, whose base layer keeps 2·M
  neighbours); ``ef_construction`` is faiss' ``efConstruction``; searches explore ``max(efSearch, limit)``
  candidates (hint ``efSearch``, default :data:`DEFAULT_EF_SEARCH`).
* Scores, as Hazelcast (JVector, after Lucene) defines them: EUCLIDEAN ``1 / (1 + squared distance)``, COSINE
  ``(1 + cosine) / 2``, DOT ``(1 + dot product) / 2``.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.vector.config import VectorIndexSettings

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
_EXTRA = "hazelcast-embedded[vector]"


class VectorSupportMissingError(ImportError):
    """numpy or faiss-cpu is not installed: vector collections need the ``hazelcast-embedded[vector]`` extra."""


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


def _require_faiss() -> Any:
    faiss = _import("faiss", "faiss-cpu")
    faiss.omp_set_num_threads(2)
    return faiss


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
        self._rows = np.empty((64, self.dimension), dtype=np.float32)
        self._norms = np.empty(64, dtype=np.float32)  # squared norms, for EUCLIDEAN exact search
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
        self._norms[start:end] = np.einsum("ij,ij->i", block, block)
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
        self._norms[row] = self._np.dot(vector, vector)
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
        self.live_count -= 1
        if self._dedup:
            self._by_vector.pop(self._rows[row].tobytes(), None)

    def _grow(self) -> None:
        np = self._np
        capacity = len(self._rows) * 2
        rows = np.empty((capacity, self.dimension), dtype=np.float32)
        rows[: self._count] = self._rows[: self._count]
        norms = np.empty(capacity, dtype=np.float32)
        norms[: self._count] = self._norms[: self._count]
        bits = np.zeros((capacity + 7) // 8, dtype=np.uint8)
        bits[: len(self._bits)] = self._bits
        self._rows, self._norms, self._bits = rows, norms, bits

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
                    await asyncio.to_thread(self._graph.add, batch)
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
            rows = np.empty((capacity, self.dimension), dtype=np.float32)
            rows[:count] = self._rows[order] if count else rows[:0]
            norms = np.empty(capacity, dtype=np.float32)
            norms[:count] = self._norms[order] if count else norms[:0]
            bits = np.zeros((capacity + 7) // 8, dtype=np.uint8)
            bits[: count >> 3] = 0xFF
            for row in range(count & ~7, count):
                bits[row >> 3] |= 1 << (row & 7)
            refs = [self._refs[row] for row in live]
            self._rows, self._norms, self._bits, self._refs, self._count = rows, norms, bits, refs, count
            self._row_of = {ref: row for row, row_refs in enumerate(refs) for ref in row_refs}  # type: ignore[union-attr]
            if self._dedup:
                self._by_vector = {rows[row].tobytes(): row for row in range(count)}
            self._graph = self._new_graph() if count > EXACT_SEARCH_LIMIT else None
        await self.update_graph()

    # -- search -------------------------------------------------------------------------------------------------

    def search(self, query: np.ndarray, limit: int, ef_search: int, exact: bool) -> list[tuple[float, int, bytes]]:
        """The best ``limit`` documents for ``query`` (prepared) as ``(score, partition id, key)``, best first.

        The graph is used unless ``exact`` or there is none; rows not yet in the graph are compared exactly. The
        caller holds :attr:`lock` or knows it is free.
        """
        if not self.live_count:
            return []
        np = self._np
        if exact or self._graph is None or self._graph_rows == 0:
            scores, rows = self._exact(query, 0, self._count, limit)
        else:
            scores, rows = self._graph_search(query, limit, ef_search)
            if self._graph_rows < self._count:
                tail_scores, tail_rows = self._exact(query, self._graph_rows, self._count, limit)
                scores = np.concatenate((scores, tail_scores))
                rows = np.concatenate((rows, tail_rows))
                order = np.argsort(-scores, kind="stable")
                scores, rows = scores[order], rows[order]
        results: list[tuple[float, int, bytes]] = []
        refs = self._refs
        for score, row in zip(scores.tolist(), rows.tolist()):
            for partition_id, key in refs[row] or ():
                results.append((score, partition_id, key))
                if len(results) == limit:
                    return results
        return results

    def _exact(self, query: np.ndarray, start: int, end: int, limit: int) -> tuple[np.ndarray, np.ndarray]:
        np = self._np
        rows = self._rows[start:end]
        dots = rows @ query
        if self.metric == EUCLIDEAN:
            squared = np.maximum(self._norms[start:end] - 2 * dots + np.dot(query, query), 0)
            scores = 1 / (1 + squared)
        else:
            scores = (1 + dots) / 2
        live = np.unpackbits(self._bits, bitorder="little")[start:end].astype(bool)
        candidates = np.flatnonzero(live)
        if len(candidates) > limit:
            best = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[best]
        order = np.argsort(-scores[candidates], kind="stable")
        chosen = candidates[order]
        return scores[chosen].astype(np.float32), chosen + start

    def _graph_search(self, query: np.ndarray, limit: int, ef_search: int) -> tuple[np.ndarray, np.ndarray]:
        np = self._np
        faiss = _require_faiss()
        ef = max(ef_search, limit)
        cached = self._search_params
        if cached is not None and cached[0] is self._bits and cached[1] == self._graph_rows and cached[2] == ef:
            params = cached[3]
        else:
            # The selector reads the live bitmap in place: rebuilt only when the bitmap or the graph changes size.
            selector = faiss.IDSelectorBitmap(self._graph_rows, faiss.swig_ptr(self._bits))
            params = faiss.SearchParametersHNSW(efSearch=ef, sel=selector)
            self._search_params = (self._bits, self._graph_rows, ef, params, selector)
        # Dead rows cost a result slot each in the graph's candidate list, not in what it returns.
        distances, labels = self._graph.search(query.reshape(1, -1), limit, params=params)
        found = labels[0] >= 0
        distances, labels = distances[0][found], labels[0][found]
        if self.metric == EUCLIDEAN:
            scores = 1 / (1 + np.maximum(distances, 0))
        else:
            scores = (1 + distances) / 2
        return scores.astype(np.float32), labels.astype(np.int64)
