"""How a member index chooses between its HNSW graph and exact search, per ``efSearch``: by the graph's measured recall.

A graph's recall depends on the data far more than on its settings: on clustered data a degree-32 graph finds 98% of
the true ten nearest neighbours exploring 64 candidates, on uniformly random 128-dimensional data it finds under
half, and raising ``efSearch`` until it reaches 95% costs more than comparing against every vector in a batch. So
the index measures it: some graph searches are also answered exactly (the exact answer is the one returned), and
:class:`SearchStrategy` keeps, per ``efSearch``, the share of the exact top-``limit`` the graph found. While that
share is at least :data:`RECALL_TARGET`, searches use the graph; below it, they are answered exactly (batched
exact search is a matrix product, see :mod:`hazelcast.embedded.vector.index`). A search keeps being sampled now and
then either way, so the choice follows the data as it changes.

:class:`SplitChoice` makes the same kind of measured choice for a large exact search: in one piece, or in two halves
at once on two threads. Which is faster depends on how busy the machine's cores are: on 2 cores shared with the
client and other processes, two halves were no faster than one piece; on idle cores they take about half the time.
"""

from __future__ import annotations

__all__ = ["BOTH", "EXACT", "GRAPH", "RECALL_TARGET", "SearchStrategy", "SplitChoice"]

#: The recall@limit (against exact search) below which a graph search is replaced by an exact one.
RECALL_TARGET = 0.95
#: What a search does: use the graph, compare against every row, or both (a sample: the exact answer is returned).
GRAPH, EXACT, BOTH = 0, 1, 2
#: Searches per ``efSearch`` sampled before the estimate is trusted.
_WARM_UP = 16
#: Then, while searches are answered exactly, one in this many is also searched through the graph (cheap)...
_SAMPLE_EVERY = 64
#: ... and while they use the graph, one in this many is also answered exactly. That costs as much as a graph batch
#: of 16 (a single exact search of 100,000 rows of dimension 128 takes 4 ms, a graph search 0.2 ms): one in 64 cost
#: clustered data a quarter of its queries/s.
_SAMPLE_GRAPH_EVERY = 1024
#: When this many expected results are counted, both counts are halved: the estimate follows recent searches.
_WINDOW = 4000


class SearchStrategy:
    """Per ``efSearch``: the graph's estimated recall, and so what the next search does."""

    __slots__ = ("_stats",)

    def __init__(self) -> None:
        # efSearch -> [results the graph found, results expected, samples taken, searches since the last sample]
        self._stats: dict[int, list[int]] = {}

    def choose(self, ef_search: int) -> int:
        """:data:`GRAPH`, :data:`EXACT` or :data:`BOTH` for the next graph-eligible search at ``ef_search``."""
        stats = self._stats.get(ef_search)
        if stats is None:
            stats = self._stats[ef_search] = [0, 0, 0, 0]
        if stats[2] < _WARM_UP:
            return BOTH
        stats[3] += 1
        graph = stats[0] >= RECALL_TARGET * stats[1]
        if stats[3] >= (_SAMPLE_GRAPH_EVERY if graph else _SAMPLE_EVERY):
            stats[3] = 0
            return BOTH
        return GRAPH if graph else EXACT

    def prefers_exact(self, ef_search: int) -> bool:
        """Whether searches at ``ef_search`` are answered exactly now (the graph's measured recall is too low)."""
        stats = self._stats.get(ef_search)
        return stats is not None and stats[2] >= _WARM_UP and stats[0] < RECALL_TARGET * stats[1]

    def record(self, ef_search: int, found: int, expected: int) -> None:
        """A sampled search at ``ef_search``: the graph found ``found`` of the ``expected`` exact results."""
        stats = self._stats.get(ef_search)
        if stats is None:
            stats = self._stats[ef_search] = [0, 0, 0, 0]
        stats[0] += found
        stats[1] += expected
        stats[2] += 1
        if stats[1] >= _WINDOW:
            stats[0] //= 2
            stats[1] //= 2

    def recall(self, ef_search: int) -> float | None:
        """The estimated recall of graph searches at ``ef_search`` (None before any sample)."""
        stats = self._stats.get(ef_search)
        return stats[0] / stats[1] if stats is not None and stats[1] else None

    def reset(self) -> None:
        """Forget every estimate (the graph was rebuilt)."""
        self._stats.clear()


class SplitChoice:
    """Whether a large exact search runs in one piece or in two halves at once: the faster, as measured lately.

    Costs are seconds per (row x query), smoothed; the way not taken is tried again every :data:`_TRY_OTHER` searches.
    """

    __slots__ = ("_cost", "_count")

    def __init__(self) -> None:
        self._cost: dict[int, float] = {}
        self._count = 0

    def choose(self) -> int:
        """1 or 2: the number of pieces of the next large exact search."""
        self._count += 1
        for pieces in (1, 2):
            if pieces not in self._cost:
                return pieces
        best = 1 if self._cost[1] <= self._cost[2] else 2
        return 3 - best if self._count % _TRY_OTHER == 0 else best

    def record(self, pieces: int, cost: float) -> None:
        previous = self._cost.get(pieces)
        self._cost[pieces] = cost if previous is None else previous + (cost - previous) / 4


#: A large exact search tries the way it does not prefer once in this many searches.
_TRY_OTHER = 16
