"""The VectorCollection proxy: documents with vectors, stored by key, searched by similarity."""

from __future__ import annotations

import uuid
from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext, await_all, check_not_none
from hazelcast.vector._packing import pack_vector
from hazelcast.vector._types import Document, SearchResult, Vector, VectorSearchOptions

__all__ = ["VectorCollection"]

KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")

_PUT = method("VectorCollection.put")
_PUT_IF_ABSENT = method("VectorCollection.putIfAbsent")
_PUT_ALL = method("VectorCollection.putAll")
_GET = method("VectorCollection.get")
_REMOVE = method("VectorCollection.remove")
_SET = method("VectorCollection.set")
_DELETE = method("VectorCollection.delete")
_SEARCH = method("VectorCollection.searchNearVector")
_OPTIMIZE = method("VectorCollection.optimize")
_CLEAR = method("VectorCollection.clear")
_SIZE = method("VectorCollection.size")
# The catalogue compiles its decoders at import time (typed Any); the response type is declared here.
_SIZE_RESPONSE: Callable[[Message], int] = _SIZE.decode_response

# What the encoders read: the same attribute names as Vector and Document, with the vector already packed.
_WireVector = namedtuple("_WireVector", "name type vector")
_WireDocument = namedtuple("_WireDocument", "value vectors")


def _wire_vector(vector: Any) -> _WireVector:
    if not isinstance(vector, Vector):
        raise TypeError(f"vectors must be Vector objects, not {type(vector).__name__}")
    name = vector.name
    if name is not None and not isinstance(name, str):
        raise TypeError(f"a vector's name must be a str, not {type(name).__name__}")
    kind = vector.type
    if isinstance(kind, bool) or not isinstance(kind, int):
        raise TypeError(f"a vector's type must be a vector Type, not {type(kind).__name__}")
    return _WireVector(name or "", kind, pack_vector(vector.vector))


class VectorCollection(Proxy, Generic[KeyType, ValueType]):
    """A distributed collection of :class:`~hazelcast.vector.Document` values by key, searchable by vector.

    The collection must be configured first (``client.create_vector_collection_config`` or the member's
    configuration). Keys are compared by their serialized form. Documents returned are copies. Not thread-safe: use
    it from the client's event loop.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        to_object = self._to_object
        # The codecs build the documents and results with the serialized keys and values, replaced here in place.
        decode_document: Callable[[Message], Document[Any] | None] = _GET.decode_response
        decode_results: Callable[[Message], list[SearchResult[Any, Any]]] = _SEARCH.decode_response

        def decode_optional_document(message: Message) -> Document[ValueType] | None:
            document = decode_document(message)
            if document is not None:
                document.value = to_object(document.value)
            return document

        def decode_search_results(message: Message) -> list[SearchResult[KeyType, ValueType]]:
            results = decode_results(message)
            for result in results:
                result.key = to_object(result.key)
                if result.value is not None:
                    result.value = to_object(result.value)
            return results

        # put, putIfAbsent and remove answer with the layout of get: one nullable VectorDocument.
        self._decode_document = decode_optional_document
        self._decode_results = decode_search_results

    def _wire_document(self, document: Document[ValueType]) -> _WireDocument:
        if not isinstance(document, Document):
            raise TypeError(f"document must be a Document, not {type(document).__name__}")
        check_not_none(document.value, "document value")
        vectors = document.vectors
        if vectors is None:
            raise ValueError("document vectors must not be None")
        if isinstance(vectors, Vector):
            vectors = [vectors]
        return _WireDocument(self._to_data(document.value), [_wire_vector(v) for v in vectors])

    # -- single-key operations (routed to the key's partition owner) ------------------------------------------------

    async def get(self, key: KeyType) -> Document[ValueType] | None:
        """The document of ``key`` (a copy), or None."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        return await self._call(
            _GET.encode_request(self.name, key_data), self._partition_of(key_data), self._decode_document, True
        )

    async def set(self, key: KeyType, document: Document[ValueType]) -> None:
        """Store ``document`` under ``key`` without returning the previous one (cheaper than :meth:`put`)."""
        check_not_none(key, "key")
        check_not_none(document, "document")
        wire = self._wire_document(document)
        key_data = self._to_data(key)
        await self._call(_SET.encode_request(self.name, key_data, wire), self._partition_of(key_data))

    async def put(self, key: KeyType, document: Document[ValueType]) -> Document[ValueType] | None:
        """Store ``document`` under ``key``; returns the previous document or None."""
        check_not_none(key, "key")
        check_not_none(document, "document")
        wire = self._wire_document(document)
        key_data = self._to_data(key)
        return await self._call(
            _PUT.encode_request(self.name, key_data, wire), self._partition_of(key_data), self._decode_document
        )

    async def put_if_absent(self, key: KeyType, document: Document[ValueType]) -> Document[ValueType] | None:
        """Store ``document`` only if ``key`` has none; returns the existing document, or None if it was stored."""
        check_not_none(key, "key")
        check_not_none(document, "document")
        wire = self._wire_document(document)
        key_data = self._to_data(key)
        return await self._call(
            _PUT_IF_ABSENT.encode_request(self.name, key_data, wire), self._partition_of(key_data),
            self._decode_document,
        )

    async def put_all(self, map: Mapping[KeyType, Document[ValueType]]) -> None:  # noqa: A002 - the official client's name
        """Store every document of ``map``: one request per partition, sent concurrently.

        Not atomic: if a request fails, the documents of other partitions may have been stored.
        """
        check_not_none(map, "map")
        if not isinstance(map, Mapping):
            raise TypeError(f"map must be a mapping of keys to documents, not {type(map).__name__}")
        by_partition: dict[int, list[tuple[bytes, _WireDocument]]] = {}
        partition_of = self._partition_of
        to_data = self._to_data
        wire_document = self._wire_document
        for key, document in map.items():
            check_not_none(key, "key")
            check_not_none(document, "document")
            key_data = to_data(key)
            by_partition.setdefault(partition_of(key_data), []).append((key_data, wire_document(document)))
        if by_partition:
            await await_all([
                self._call(_PUT_ALL.encode_request(self.name, entries), partition_id)
                for partition_id, entries in by_partition.items()
            ])

    async def remove(self, key: KeyType) -> Document[ValueType] | None:
        """Remove the document of ``key``; returns it, or None."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        return await self._call(
            _REMOVE.encode_request(self.name, key_data), self._partition_of(key_data), self._decode_document
        )

    async def delete(self, key: KeyType) -> None:
        """Remove the document of ``key`` without returning it (cheaper than :meth:`remove`)."""
        check_not_none(key, "key")
        key_data = self._to_data(key)
        await self._call(_DELETE.encode_request(self.name, key_data), self._partition_of(key_data))

    # -- whole-collection operations --------------------------------------------------------------------------------

    async def search_near_vector(
        self,
        vector: Vector,
        *,
        include_value: bool = False,
        include_vectors: bool = False,
        limit: int = 10,
        hints: dict[str, str] | None = None,
    ) -> list[SearchResult[KeyType, ValueType]]:
        """The documents most similar to ``vector`` in the index its name selects, best first, at most ``limit``.

        Each result carries its key and score (in [0, 1], higher is closer); its value and vectors only when
        ``include_value`` / ``include_vectors``. ``hints`` tune the member's search (``efSearch``: candidates
        explored by the approximate index; ``exact``: ``"true"`` to compare against every vector).
        """
        check_not_none(vector, "vector")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"limit must be an int, not {type(limit).__name__}")
        if limit < 1:
            raise ValueError(f"limit must be positive, got {limit}")
        if hints is not None and not (
            isinstance(hints, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in hints.items())
        ):
            raise TypeError("hints must map str to str")
        options = VectorSearchOptions(bool(include_value), bool(include_vectors), limit, dict(hints or {}))
        request = _SEARCH.encode_request(self.name, [_wire_vector(vector)], options)
        return await self._invoke(request, self._decode_results, True)

    async def optimize(self, index_name: str | None = None) -> None:
        """Rebuild the index ``index_name`` (required when there are several) without its removed vectors.

        This can take long on a large collection; searches and writes wait for it.
        """
        if index_name is not None and not isinstance(index_name, str):
            raise TypeError(f"index_name must be a str, not {type(index_name).__name__}")
        await self._invoke(_OPTIMIZE.encode_request(self.name, index_name, uuid.uuid4()))

    async def clear(self) -> None:
        """Remove every document."""
        await self._invoke(_CLEAR.encode_request(self.name))

    async def size(self) -> int:
        """Number of documents."""
        return await self._invoke(_SIZE.encode_request(self.name), _SIZE_RESPONSE, True)
