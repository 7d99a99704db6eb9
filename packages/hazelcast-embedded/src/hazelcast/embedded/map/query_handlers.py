"""Map queries on the member: keySet/values/entrySet with a predicate (paged too), aggregate, project, removeAll.

A query visits every partition owner's store of the map. When the predicate can use the store's indexes
(:mod:`hazelcast.embedded.query.indexes`), only the entries the indexes name are visited, and only those the lookup is
not sure of are evaluated; otherwise every entry is evaluated.
:func:`query_statistics` counts queries, indexed queries and evaluated entries per map, for tests and tuning.

Paging sorts the matching entries (by the client's comparator, a server class with ``compare(entry1, entry2)``
returning a negative, zero or positive int, or else naturally: keys for key pages, values for value and entry
pages, ties by key) and returns one page. The client's anchors (the last entry of each page it read) position the
page: it starts after the anchor of the nearest page before it, so entries added or removed before that anchor do
not shift the pages that follow.
"""

from __future__ import annotations

import functools
import weakref
from collections import namedtuple
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded.map.events import REMOVED, entry_changed
from hazelcast.embedded.map.records import RecordStore
from hazelcast.embedded.query.aggregation import result_data
from hazelcast.embedded.query.compare import sort_key
from hazelcast.embedded.query.extraction import ExtractionContext, QueryableEntry, extraction_context
from hazelcast.embedded.query.predicates import Predicate, compile_predicate, server_object
from hazelcast.embedded.query.values import NonTerminalJsonValue, OpaqueValue
from hazelcast.embedded.requests import MemberRequest
from hazelcast.errors import IllegalArgumentError
from hazelcast.serialization.generic_record import GenericRecord

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["QUERY_HANDLERS", "QueryStatistics", "query_statistics", "select"]

_ITERATE_KEYS = 0
_ITERATE_VALUES = 1

_NOT_COMPARABLE = (GenericRecord, OpaqueValue, NonTerminalJsonValue, HazelcastJsonValue)
_AnchorDataListHolder = namedtuple("_AnchorDataListHolder", ["anchor_page_list", "anchor_data_list"])


@dataclass(slots=True)
class QueryStatistics:
    """Counters of the queries run on one map (since the cluster started)."""

    queries: int = 0
    #: Queries whose predicate could use an index in at least one partition.
    indexed_queries: int = 0
    #: Entries a query looked at: every entry of a scan, the entries the indexes named otherwise.
    visited_entries: int = 0
    #: Entries a predicate was evaluated on (an exact index lookup needs no evaluation).
    evaluated_entries: int = 0


_statistics: weakref.WeakKeyDictionary[Any, dict[str, QueryStatistics]] = weakref.WeakKeyDictionary()


def query_statistics(cluster: EmbeddedCluster, name: str) -> QueryStatistics:
    """The query counters of map ``name``."""
    per_map = _statistics.setdefault(cluster, {})
    stats = per_map.get(name)
    if stats is None:
        stats = per_map[name] = QueryStatistics()
    return stats


def _service() -> Any:
    from hazelcast.embedded.map import service

    return service


def select(
    request: MemberRequest, name: str, predicate: Predicate, context: ExtractionContext | None = None
) -> Iterator[tuple[int, RecordStore, QueryableEntry]]:
    """The live entries of map ``name`` that ``predicate`` selects, with their partition and store."""
    context = context or extraction_context(request.cluster)
    stats = query_statistics(request.cluster, name)
    stats.queries += 1
    indexed = False
    evaluated = 0
    visited = 0
    matches = predicate.matches
    try:
        for partition_id, store in _service()._stores(request, name):
            records = store.records
            lookup = None if store.indexes is None else predicate.index_lookup(store.indexes)
            if lookup is None:
                items: Any = records.items()
                visited += len(items)
            else:
                indexed = True
                candidates, unsure = lookup
                items = []
                for key in candidates:
                    record = records.get(key)
                    if record is None:
                        continue
                    visited += 1
                    if key in unsure:
                        items.append((key, record))
                    else:
                        yield partition_id, store, QueryableEntry(context, key, record.value)
            evaluated += len(items)
            for key, record in items:
                entry = QueryableEntry(context, key, record.value)
                if matches(entry):
                    yield partition_id, store, entry
    finally:
        stats.evaluated_entries += evaluated
        stats.visited_entries += visited
        if indexed:
            stats.indexed_queries += 1


def _selected(request: MemberRequest, name: str, predicate_data: bytes | None) -> list[QueryableEntry]:
    predicate = compile_predicate(request.cluster, predicate_data)
    return [entry for _, _, entry in select(request, name, predicate)]


def map_key_set_with_predicate(request: MemberRequest) -> list[bytes]:
    params = request.params
    return [entry.key_data for entry in _selected(request, params.name, params.predicate)]


def map_values_with_predicate(request: MemberRequest) -> list[bytes | None]:
    params = request.params
    return [entry.value_data for entry in _selected(request, params.name, params.predicate)]


def map_entries_with_predicate(request: MemberRequest) -> list[tuple[bytes, bytes | None]]:
    params = request.params
    return [(entry.key_data, entry.value_data) for entry in _selected(request, params.name, params.predicate)]


# -- paging -----------------------------------------------------------------------------------------------------------


def _natural_key(entry: QueryableEntry, iteration_type: int) -> tuple[Any, bytes]:
    if iteration_type != _ITERATE_KEYS:
        value = entry.value
        # As on a Java member, values that are not comparable (records, JSON, unreadable objects) sort by key.
        if not isinstance(value, _NOT_COMPARABLE):
            return (sort_key(value), entry.key_data)
    key = entry.key
    if isinstance(key, _NOT_COMPARABLE):
        return ((9, b""), entry.key_data)
    return (sort_key(key), entry.key_data)


def _page(request: MemberRequest, holder: Any, iteration_type: int) -> tuple[list[QueryableEntry], Any]:
    """The entries of the requested page, and the anchors to send back."""
    cluster = request.cluster
    if holder.page_size <= 0:
        raise IllegalArgumentError(f"page size must be positive, got {holder.page_size}")
    if holder.page < 0:
        raise IllegalArgumentError(f"page must be >= 0, got {holder.page}")
    context = extraction_context(cluster)
    predicate = compile_predicate(cluster, holder.predicate_data)
    entries = [entry for _, _, entry in select(request, request.params.name, predicate, context)]
    anchor_pages = list(holder.anchor_data_list_holder.anchor_page_list)
    anchor_entries = list(holder.anchor_data_list_holder.anchor_data_list)
    comparator = None if holder.comparator_data is None else server_object(cluster, holder.comparator_data)
    if comparator is not None:
        compare = getattr(comparator, "compare", None)
        if not callable(compare):
            raise IllegalArgumentError(f"{comparator!r} is not a comparator (it has no compare(entry1, entry2))")

        def ordering(first: QueryableEntry, second: QueryableEntry) -> int:
            result = int(compare(first, second))
            if result:
                return result
            return (first.key_data > second.key_data) - (first.key_data < second.key_data)

        sort_by: Any = functools.cmp_to_key(ordering)
    else:

        def sort_by(entry: QueryableEntry) -> Any:
            return _natural_key(entry, iteration_type)

    entries.sort(key=sort_by)
    page, size = holder.page, holder.page_size
    start = page * size
    kept_pages: list[int] = []
    kept_entries: list[tuple[bytes, bytes]] = []
    nearest: tuple[int, tuple[bytes, bytes]] | None = None
    for anchor_page, anchor in zip(anchor_pages, anchor_entries):
        if anchor_page < page:
            kept_pages.append(anchor_page)
            kept_entries.append(anchor)
            if nearest is None or anchor_page > nearest[0]:
                nearest = (anchor_page, anchor)
    if nearest is not None:
        anchor_key = sort_by(context.entry(nearest[1][0], nearest[1][1]))
        after = 0
        while after < len(entries) and not sort_by(entries[after]) > anchor_key:
            after += 1
        start = after + (page - nearest[0] - 1) * size
    selected = entries[start : start + size]
    if selected:
        last = selected[-1]
        kept_pages.append(page)
        kept_entries.append((last.key_data, last.value_data))  # type: ignore[arg-type]
    return selected, _AnchorDataListHolder(kept_pages, kept_entries)


def map_key_set_with_paging_predicate(request: MemberRequest) -> tuple[list[bytes], Any]:
    selected, anchors = _page(request, request.params.predicate, _ITERATE_KEYS)
    return [entry.key_data for entry in selected], anchors


def map_values_with_paging_predicate(request: MemberRequest) -> tuple[list[bytes | None], Any]:
    selected, anchors = _page(request, request.params.predicate, _ITERATE_VALUES)
    return [entry.value_data for entry in selected], anchors


def map_entries_with_paging_predicate(request: MemberRequest) -> tuple[list[tuple[bytes, bytes | None]], Any]:
    selected, anchors = _page(request, request.params.predicate, 2)
    return [(entry.key_data, entry.value_data) for entry in selected], anchors


# -- aggregations and projections -------------------------------------------------------------------------------------


def _aggregate(request: MemberRequest, predicate_data: bytes | None) -> bytes | None:
    params = request.params
    cluster = request.cluster
    aggregator = server_object(cluster, params.aggregator)
    accumulate = getattr(aggregator, "accumulate", None)
    if not callable(accumulate):
        raise IllegalArgumentError(f"{aggregator!r} is not an aggregator (it has no accumulate(entry))")
    for _, _, entry in select(request, params.name, compile_predicate(cluster, predicate_data)):
        accumulate(entry)
    return result_data(cluster, aggregator.result())


def map_aggregate(request: MemberRequest) -> bytes | None:
    return _aggregate(request, None)


def map_aggregate_with_predicate(request: MemberRequest) -> bytes | None:
    return _aggregate(request, request.params.predicate)


def _project(request: MemberRequest, predicate_data: bytes | None) -> list[bytes | None]:
    params = request.params
    cluster = request.cluster
    projection = server_object(cluster, params.projection)
    project = getattr(projection, "project", None)
    if not callable(project):
        raise IllegalArgumentError(f"{projection!r} is not a projection (it has no project(entry))")
    predicate = compile_predicate(cluster, predicate_data)
    return [result_data(cluster, project(entry)) for _, _, entry in select(request, params.name, predicate)]


def map_project(request: MemberRequest) -> list[bytes | None]:
    return _project(request, None)


def map_project_with_predicate(request: MemberRequest) -> list[bytes | None]:
    return _project(request, request.params.predicate)


def map_remove_all(request: MemberRequest) -> None:
    """Remove the entries the predicate selects, from owners and backups; each removal is published (REMOVED event
    with the old value, near-cache invalidation)."""
    params = request.params
    cluster = request.cluster
    predicate = compile_predicate(cluster, params.predicate)
    by_partition: dict[int, tuple[RecordStore, list[bytes]]] = {}
    for partition_id, store, entry in select(request, params.name, predicate):
        by_partition.setdefault(partition_id, (store, []))[1].append(entry.key_data)
    state_key = ("hz:impl:mapService", params.name)
    source = request.client_uuid
    for partition_id, (store, keys) in by_partition.items():
        records = store.records
        for key in keys:
            entry_changed(cluster, partition_id, store, REMOVED, key, None, records[key].value, source)
        store.remove_keys(keys)
        if store.backup_count:

            def remove_from(backup: RecordStore, keys: list[bytes] = keys) -> None:
                backup.remove_keys(keys)

            cluster.apply_to_backups(partition_id, store, state_key, remove_from)


QUERY_HANDLERS = {
    "Map.keySetWithPredicate": map_key_set_with_predicate,
    "Map.valuesWithPredicate": map_values_with_predicate,
    "Map.entriesWithPredicate": map_entries_with_predicate,
    "Map.keySetWithPagingPredicate": map_key_set_with_paging_predicate,
    "Map.valuesWithPagingPredicate": map_values_with_paging_predicate,
    "Map.entriesWithPagingPredicate": map_entries_with_paging_predicate,
    "Map.aggregate": map_aggregate,
    "Map.aggregateWithPredicate": map_aggregate_with_predicate,
    "Map.project": map_project,
    "Map.projectWithPredicate": map_project_with_predicate,
    "Map.removeAll": map_remove_all,
}
