"""Member-side query support: attribute paths and the one mechanism that reads attributes of stored entries.

See :mod:`hazelcast.embedded.query.extraction` for what each serialization format yields.
"""

from hazelcast.embedded.query.extraction import (
    ExtractionContext,
    QueryableEntry,
    SchemaLookup,
    extract,
    extraction_context,
)
from hazelcast.embedded.query.paths import KEY_ATTRIBUTE, THIS_ATTRIBUTE, AttributePath, PathStep, parse_attribute_path
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
    "QueryableEntry",
    "SchemaLookup",
    "extract",
    "extraction_context",
    "parse_attribute_path",
]
