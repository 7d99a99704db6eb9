"""Member-side query support: attribute paths, the one mechanism that reads attributes of stored entries, and the
query engine built on it.

* :mod:`~hazelcast.embedded.query.extraction`: what each serialization format yields for a path.
* :mod:`~hazelcast.embedded.query.predicates`: ``compile_predicate(cluster, data)`` -> :class:`Predicate` with
  ``matches(entry)`` and ``index_candidates(indexes)``; :mod:`~hazelcast.embedded.query.sql` parses SQL predicates.
* :mod:`~hazelcast.embedded.query.compare`: Java's conversion and comparison rules.
* :mod:`~hazelcast.embedded.query.indexes`: per-partition hash/sorted indexes kept by the record stores.
* :mod:`~hazelcast.embedded.query.aggregation`: aggregators, projections, and ``result_data`` for answers.
"""

from hazelcast.embedded.query.extraction import (
    ExtractionContext,
    QueryableEntry,
    SchemaLookup,
    extract,
    extraction_context,
)
from hazelcast.embedded.query.paths import KEY_ATTRIBUTE, THIS_ATTRIBUTE, AttributePath, PathStep, parse_attribute_path
from hazelcast.embedded.query.predicates import Predicate, compile_predicate
from hazelcast.embedded.query.values import NON_TERMINAL_JSON_VALUE, MultiResult, NonTerminalJsonValue, OpaqueValue

__all__ = [
    "KEY_ATTRIBUTE",
    "NON_TERMINAL_JSON_VALUE",
    "THIS_ATTRIBUTE",
    "AttributePath",
    "ExtractionContext",
    "MultiResult",
    "NonTerminalJsonValue",
    "OpaqueValue",
    "PathStep",
    "Predicate",
    "QueryableEntry",
    "SchemaLookup",
    "compile_predicate",
    "extract",
    "extraction_context",
    "parse_attribute_path",
]
