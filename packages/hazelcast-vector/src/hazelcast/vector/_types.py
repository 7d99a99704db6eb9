"""The value types of vector collections: documents, vectors, index configurations and search results.

They keep the names, fields and call shapes of the official client's ``hazelcast.vector`` module, so user code moves
over unchanged. The protocol codecs build these classes when they decode VectorDocument, VectorPair and
VectorSearchResult (registered at the bottom of this module).
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Generic, TypeVar

from hazelcast.protocol.codec import register_custom_factory

__all__ = [
    "Document",
    "IndexConfig",
    "Metric",
    "SearchResult",
    "Type",
    "Vector",
    "VectorDocument",
    "VectorIndexConfig",
    "VectorPair",
    "VectorSearchOptions",
    "VectorSearchResult",
    "VectorType",
]


class Type(enum.IntEnum):
    """The kind of a vector. Only dense vectors (a float per dimension) exist today."""

    DENSE = 0


VectorType = Type


class Metric(enum.IntEnum):
    """How an index measures similarity, and so how search scores are computed (all in [0, 1], higher is closer).

    ``EUCLIDEAN``: ``1 / (1 + squared distance)``; ``COSINE``: ``(1 + cosine) / 2``; ``DOT``: ``(1 + dot product) / 2``
    (meant for unit-length vectors, for which it equals COSINE).
    """

    EUCLIDEAN = 0
    COSINE = 1
    DOT = 2


@dataclasses.dataclass
class Vector:
    """A named vector: ``name`` picks the collection's index ("" for the only index of a single-index collection).

    ``vector`` may be a list or tuple of floats, an ``array.array`` or a one-dimensional numpy array; it travels as
    32-bit floats. Vectors read back from the cluster hold a list of floats.
    """

    name: str
    type: Type
    vector: Any


VectorPair = Vector


KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")


class Document(Generic[ValueType]):
    """A value with its vectors, one per index of the collection (``vectors`` may be a single :class:`Vector`)."""

    __slots__ = ("value", "vectors")

    def __init__(self, value: ValueType, vectors: Vector | list[Vector]) -> None:
        self.value = value
        self.vectors: list[Vector] = [vectors] if isinstance(vectors, Vector) else vectors

    @property
    def vector(self) -> Vector | None:
        """The first vector, or None when the document has none."""
        return self.vectors[0] if self.vectors else None

    def __copy__(self) -> Document[ValueType]:
        return Document(self.value, self.vectors)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return self.value == other.value and self.vectors == other.vectors

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Document<value={self.value!r}, vectors={self.vectors!r}>"


VectorDocument = Document


@dataclasses.dataclass
class SearchResult(Generic[KeyType, ValueType]):
    """One match of a search: its key, its value and vectors when asked for, and its ``score`` in [0, 1]."""

    key: KeyType
    value: ValueType | None
    score: float
    vectors: list[Vector] | None


VectorSearchResult = SearchResult


@dataclasses.dataclass
class IndexConfig:
    """One index of a vector collection.

    ``dimension``: the length of every vector of this index; ``metric``: see :class:`Metric`; ``max_degree``: the
    most neighbours a node of the search graph keeps; ``ef_construction``: how many candidates are explored while a
    vector is inserted (higher builds a better graph, more slowly); ``use_deduplication``: identical vectors are
    stored once in the index, the documents still found separately.
    """

    name: str
    metric: Metric
    dimension: int
    max_degree: int = 32
    ef_construction: int = 100
    use_deduplication: bool = True


VectorIndexConfig = IndexConfig


@dataclasses.dataclass
class VectorSearchOptions:
    """What a search sends besides the vector (built by :meth:`VectorCollection.search_near_vector`)."""

    include_value: bool
    include_vectors: bool
    limit: int
    hints: dict[str, str] = dataclasses.field(default_factory=dict)


def _vector_from_wire(name: str, type: int, vector: Any) -> Vector:  # noqa: A002 - the protocol's field name
    try:
        kind: Any = Type(type)
    except ValueError:
        kind = type  # a kind newer than this client: kept as the number the member sent
    return Vector(name, kind, vector)


register_custom_factory("VectorPair", _vector_from_wire)
register_custom_factory("VectorDocument", Document)
register_custom_factory("VectorSearchResult", SearchResult)
register_custom_factory("VectorIndexConfig", IndexConfig)
register_custom_factory("VectorSearchOptions", VectorSearchOptions)
