"""Vector collections for the hazelcast asyncio client: documents with vectors, searched by similarity.

::

    from hazelcast.vector import Document, IndexConfig, Metric, Type, Vector

    await client.create_vector_collection_config("docs", [IndexConfig("text", Metric.COSINE, 384)])
    docs = await client.get_vector_collection("docs")
    await docs.set("a", Document("some text", Vector("text", Type.DENSE, embedding)))
    results = await docs.search_near_vector(Vector("text", Type.DENSE, query), include_value=True, limit=5)

Vectors may be lists of floats, ``array.array`` or numpy arrays (numpy is optional).
"""

from hazelcast.vector._types import (
    Document,
    IndexConfig,
    Metric,
    SearchResult,
    Type,
    Vector,
    VectorDocument,
    VectorIndexConfig,
    VectorPair,
    VectorSearchOptions,
    VectorSearchResult,
    VectorType,
)
from hazelcast.vector.collection import VectorCollection

__all__ = [
    "Document",
    "IndexConfig",
    "Metric",
    "SearchResult",
    "Type",
    "Vector",
    "VectorCollection",
    "VectorDocument",
    "VectorIndexConfig",
    "VectorPair",
    "VectorSearchOptions",
    "VectorSearchResult",
    "VectorType",
]
