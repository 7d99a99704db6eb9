"""The embedded member's VectorCollection service: configuration, partitioned documents, per-member indexes.

Needs the ``hazelcast-embedded[vector]`` extra (numpy, faiss-cpu); without it, vector requests fail with an error
naming the extra, and the rest of the member works.
"""

from hazelcast.embedded.vector.config import VECTOR_CONFIG_SECTION, VectorCollectionSettings, VectorIndexSettings
from hazelcast.embedded.vector.member_indexes import VECTOR_SERVICE_NAME
from hazelcast.embedded.vector.service import VECTOR_SERVICE

__all__ = [
    "VECTOR_CONFIG_SECTION",
    "VECTOR_SERVICE",
    "VECTOR_SERVICE_NAME",
    "VectorCollectionSettings",
    "VectorIndexSettings",
]
