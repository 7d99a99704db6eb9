"""The member side of VectorCollection: documents in partitions, one index per member over what it owns.

Documents live in per-partition states (:class:`~hazelcast.embedded.vector.store.VectorPartition`), replicated to
backups like a map's entries, so a lost member loses no document. Each member keeps, per collection and per index,
a :class:`~hazelcast.embedded.vector.index.MemberIndex` over the partitions it owns; writes update it directly, and
when partitions move (``partition_list_version`` changes) it drops the partitions it no longer owns and takes in those
it gained. A search asks every owner's index and merges their best results.

Bad input (a vector of the wrong dimension or with NaN/infinite components, an unknown index name, no index name in
a multi-index collection, a missing vector for an index, limit < 1) is rejected with ``IllegalArgumentException``
before anything is stored; a whole ``putAll`` is validated before any of it is stored.

Search hints: ``efSearch`` (candidates a graph search explores, default
:data:`~hazelcast.embedded.vector.index.DEFAULT_EF_SEARCH`) and ``exact`` (``"true"`` compares against every
vector). Other hints are ignored, as a member ignores hints it does not know. Without ``exact``, the member may still
answer exactly where its graph misses too many neighbours (:mod:`hazelcast.embedded.vector.strategy`). Searches that
arrive in the same event-loop turn are answered together (:mod:`hazelcast.embedded.vector.search_batch`).
"""

from __future__ import annotations

import asyncio
import heapq
import weakref
from collections import namedtuple
from typing import TYPE_CHECKING, Any, cast

from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec
from hazelcast.embedded.vector.config import VectorCollectionSettings, match_pattern
from hazelcast.embedded.vector.index import DEFAULT_EF_SEARCH, require_numpy
from hazelcast.embedded.vector.member_indexes import (
    VECTOR_SERVICE_NAME,
    CollectionIndexes,
    collection_indexes,
    forget_indexes,
    owner_members,
)
from hazelcast.embedded.vector.search_batch import ParkedSearch, park_search
from hazelcast.embedded.vector.store import StoredDocument, VectorPartition
from hazelcast.errors import InvalidConfigurationError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["VECTOR_SERVICE", "settings_of"]

_SECTION = "vector-collection"
_DENSE = 0
# A tail of this many rows outside the graph is handed to a background graph update after a write.
_SCHEDULE_TAIL = 1024

_WirePair = namedtuple("_WirePair", "name type vector")
_WireDocument = namedtuple("_WireDocument", "value vectors")
_WireResult = namedtuple("_WireResult", "key value score vectors")

#: Configurations added by clients, per cluster: name or pattern -> settings.
_added_configs: weakref.WeakKeyDictionary[EmbeddedCluster, dict[str, VectorCollectionSettings]] = (
    weakref.WeakKeyDictionary()
)


# -- configuration ----------------------------------------------------------------------------------------------------


def settings_of(cluster: EmbeddedCluster, name: str) -> VectorCollectionSettings:
    """The settings of collection ``name``: an added configuration, else the member file's; there is no default."""
    added = _added_configs.get(cluster)
    found = match_pattern(added, name) if added else None
    if found is None:
        configured: VectorCollectionSettings = cluster.structure_configs.lookup(_SECTION, name)
        if configured.indexes:
            found = configured
    if found is None:
        raise InvalidConfigurationError(
            f"no vector collection configuration matches {name!r}: create one first "
            "(client.create_vector_collection_config, or vector-collection in the member configuration)"
        )
    return found


def add_vector_collection_config(request: MemberRequest) -> None:
    params = request.params
    backups = params.backup_count if params.backup_count is not None else 1
    settings = VectorCollectionSettings(
        indexes=tuple(params.index_configs),
        backup_count=backups,
        async_backup_count=params.async_backup_count or 0,
    )
    if not settings.indexes:
        raise InvalidConfigurationError(f"vector collection {params.name!r} needs at least one index")
    added = _added_configs.setdefault(request.cluster, {})
    existing = added.get(params.name)
    if existing is not None and existing != settings:
        raise InvalidConfigurationError(
            f"a different configuration of vector collection {params.name!r} exists already: {existing}"
        )
    added[params.name] = settings


# -- validation -------------------------------------------------------------------------------------------------------


def _index_position(settings: VectorCollectionSettings, index_name: str | None) -> int:
    indexes = settings.indexes
    if not index_name:
        if len(indexes) == 1:
            return 0
        names = ", ".join(repr(index.display_name) for index in indexes)
        raise ValueError(f"the collection has several indexes ({names}): name the index")
    for position, index in enumerate(indexes):
        if index.display_name == index_name:
            return position
    names = ", ".join(repr(index.display_name) for index in indexes)
    raise ValueError(f"the collection has no index {index_name!r}; its indexes: {names}")


def _checked_vector(settings: VectorCollectionSettings, position: int, pair: Any) -> Any:
    np = require_numpy()
    index = settings.indexes[position]
    if pair.type != _DENSE:
        raise ValueError(f"unsupported vector type {pair.type} (only DENSE, 0)")
    if pair.vector is None:
        raise ValueError(f"the vector for index {index.display_name!r} is null")
    vector = np.asarray(pair.vector, dtype=np.float32)
    if vector.shape != (index.dimension,):
        raise ValueError(
            f"index {index.display_name!r} takes vectors of dimension {index.dimension}, got {vector.size}"
        )
    if not np.isfinite(vector).all():
        raise ValueError(f"a vector for index {index.display_name!r} has NaN or infinite components")
    if index.metric == 1 and not vector.any():
        raise ValueError(f"index {index.display_name!r} uses COSINE: a zero vector has no direction")
    return vector


def _checked_document(settings: VectorCollectionSettings, document: Any) -> StoredDocument:
    if document is None or document.value is None:
        raise ValueError("a document and its value must not be null")
    vectors: list[Any] = [None] * len(settings.indexes)
    for pair in document.vectors or ():
        position = _index_position(settings, pair.name)
        if vectors[position] is not None:
            raise ValueError(f"the document has two vectors for index {settings.indexes[position].display_name!r}")
        vectors[position] = _checked_vector(settings, position, pair)
    missing = [settings.indexes[p].display_name for p, vector in enumerate(vectors) if vector is None]
    if missing:
        raise ValueError(f"the document has no vector for index(es) {missing}")
    return StoredDocument(document.value, tuple(vectors))


def _wire_pairs(settings: VectorCollectionSettings, document: StoredDocument) -> list[_WirePair]:
    return [
        _WirePair(index.display_name, _DENSE, vector.astype("<f4", copy=False).tobytes())
        for index, vector in zip(settings.indexes, document.vectors)
    ]


def _wire_document(settings: VectorCollectionSettings, document: StoredDocument | None) -> _WireDocument | None:
    if document is None:
        return None
    return _WireDocument(document.value, _wire_pairs(settings, document))


# -- key operations ---------------------------------------------------------------------------------------------------


def _owned_state(request: MemberRequest, name: str, indexes: CollectionIndexes | None) -> VectorPartition | None:
    """The owner's state of collection ``name`` in the request's partition; created (and indexed) when ``indexes``."""
    states = request.member.partitions[request.partition_id]
    state_key = (VECTOR_SERVICE_NAME, name)
    # A partition holds every service's states; the ones under this service's keys are vector partitions.
    state = cast("VectorPartition | None", states.get(state_key))
    if state is None and indexes is not None:
        state = VectorPartition(indexes.settings.total_backups)
        states[state_key] = state
        indexes.mark(request.partition_id, state)
    return state


def _store(request: MemberRequest, name: str, entries: list[tuple[bytes, Any]], only_if_absent: bool) -> Any:
    """Validate every entry, then store them; returns the previous document of the last entry (wire form)."""
    cluster = request.cluster
    settings = settings_of(cluster, name)
    checked = [(key, _checked_document(settings, document)) for key, document in entries]
    indexes = collection_indexes(cluster, request.member, name, settings)
    state = _owned_state(request, name, indexes)
    assert state is not None
    pid = request.partition_id
    previous: StoredDocument | None = None
    written: list[tuple[bytes, StoredDocument]] = []
    for key, stored in checked:
        previous = state.documents.get(key)
        if only_if_absent and previous is not None:
            continue
        written.append((key, stored))
    if written:
        state.store(written)
        indexes.add(pid, written)
        indexes.mark(pid, state)
    for index in indexes.indexes:
        if index.tail() >= _SCHEDULE_TAIL:
            index.schedule_graph_update()
    if written and state.backup_count:
        request.backup(state, (VECTOR_SERVICE_NAME, name), lambda backup: backup.store(written))
    return _wire_document(settings, previous)


def vector_put(request: MemberRequest) -> Any:
    params = request.params
    return _store(request, params.name, [(params.key, params.value)], False)


def vector_set(request: MemberRequest) -> None:
    params = request.params
    _store(request, params.name, [(params.key, params.value)], False)


def vector_put_if_absent(request: MemberRequest) -> Any:
    params = request.params
    return _store(request, params.name, [(params.key, params.value)], True)


def vector_put_all(request: MemberRequest) -> None:
    params = request.params
    if params.entries:
        _store(request, params.name, params.entries, False)


def vector_get(request: MemberRequest) -> Any:
    params = request.params
    settings = settings_of(request.cluster, params.name)
    state = _owned_state(request, params.name, None)
    return _wire_document(settings, state.documents.get(params.key) if state is not None else None)


def _remove(request: MemberRequest) -> Any:
    params = request.params
    cluster = request.cluster
    settings = settings_of(cluster, params.name)
    state = _owned_state(request, params.name, None)
    if state is None or params.key not in state.documents:
        return None
    indexes = collection_indexes(cluster, request.member, params.name, settings)
    key = params.key
    removed = state.pop(key)
    indexes.remove(request.partition_id, key)
    indexes.mark(request.partition_id, state)
    if state.backup_count:
        request.backup(state, (VECTOR_SERVICE_NAME, params.name), lambda backup: backup.pop(key))
    return _wire_document(settings, removed)


def vector_remove(request: MemberRequest) -> Any:
    return _remove(request)


def vector_delete(request: MemberRequest) -> None:
    _remove(request)


# -- whole-collection operations --------------------------------------------------------------------------------------


def _search_options(options: Any) -> tuple[int, bool]:
    if options.limit < 1:
        raise ValueError(f"limit must be positive, got {options.limit}")
    hints = options.hints or {}
    ef_search = DEFAULT_EF_SEARCH
    raw = hints.get("efSearch")
    if raw is not None:
        try:
            ef_search = int(raw)
        except ValueError:
            raise ValueError(f"hint efSearch must be an integer, got {raw!r}") from None
        if ef_search < 1:
            raise ValueError(f"hint efSearch must be positive, got {ef_search}")
    exact = str(hints.get("exact", "false")).lower() == "true"
    return ef_search, exact


def vector_search(request: MemberRequest) -> Any:
    params = request.params
    settings = settings_of(request.cluster, params.name)
    options = params.options
    ef_search, exact = _search_options(options)
    if len(params.vectors) != 1:
        raise ValueError(f"a search takes exactly one vector, got {len(params.vectors)}")
    (pair,) = params.vectors
    position = _index_position(settings, pair.name)
    query = _checked_vector(settings, position, pair)
    park_search(
        ParkedSearch(request, params.name, settings, position, query, options.limit, ef_search, exact, options),
        _answer_search,
    )
    return PENDING


def _answer_search(search: ParkedSearch, hits: list[tuple[float, int, bytes]]) -> list[_WireResult]:
    return _search_results(search.request.cluster, search.name, search.settings, search.options, hits, search.limit)


def _search_results(
    cluster: EmbeddedCluster, name: str, settings: VectorCollectionSettings, options: Any,
    hits: list[tuple[float, int, bytes]], limit: int,
) -> list[_WireResult]:
    if len(hits) > limit:
        hits = heapq.nlargest(limit, hits, key=lambda hit: hit[0])
    else:
        hits.sort(key=lambda hit: hit[0], reverse=True)
    include_value, include_vectors = options.include_value, options.include_vectors
    state_key = (VECTOR_SERVICE_NAME, name)
    results = []
    for score, pid, key in hits:
        if include_value or include_vectors:
            state = cast("VectorPartition | None", cluster.owners[pid].partitions[pid].get(state_key))
            document = state.documents.get(key) if state is not None else None
            if document is None:
                continue  # removed while the search waited for an index
            results.append(_WireResult(
                key,
                document.value if include_value else None,
                score,
                _wire_pairs(settings, document) if include_vectors else None,
            ))
        else:
            results.append(_WireResult(key, None, score, None))
    return results


def vector_optimize(request: MemberRequest) -> Any:
    params = request.params
    cluster = request.cluster
    settings = settings_of(cluster, params.name)
    position = _index_position(settings, params.index_name)
    indexes = [
        collection_indexes(cluster, member, params.name, settings).indexes[position]
        for member in owner_members(cluster)
    ]

    async def optimize_all() -> None:
        try:
            for index in indexes:
                await index.optimize()
            request.respond(None)
        except Exception as error:
            request.fail(error)

    asyncio.get_running_loop().create_task(optimize_all())
    return PENDING


def vector_clear(request: MemberRequest) -> None:
    cluster = request.cluster
    name = request.params
    settings_of(cluster, name)
    state_key = (VECTOR_SERVICE_NAME, name)
    for pid, state in list(cluster.owned_states(state_key)):
        if state.documents:
            state.clear()
            if state.backup_count:
                cluster.apply_to_backups(pid, state, state_key, lambda backup: backup.clear())
    forget_indexes(cluster, name)


def vector_size(request: MemberRequest) -> int:
    name = request.params
    settings_of(request.cluster, name)
    return sum(len(state.documents) for _, state in request.cluster.owned_states((VECTOR_SERVICE_NAME, name)))


def _destroy_collection(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
    forget_indexes(cluster, name)


VECTOR_SERVICE = MemberServiceSpec(
    name="VectorCollection",
    handlers={
        "VectorCollection.put": vector_put,
        "VectorCollection.putIfAbsent": vector_put_if_absent,
        "VectorCollection.putAll": vector_put_all,
        "VectorCollection.get": vector_get,
        "VectorCollection.remove": vector_remove,
        "VectorCollection.set": vector_set,
        "VectorCollection.delete": vector_delete,
        "VectorCollection.searchNearVector": vector_search,
        "VectorCollection.optimize": vector_optimize,
        "VectorCollection.clear": vector_clear,
        "VectorCollection.size": vector_size,
        "DynamicConfig.addVectorCollectionConfig": add_vector_collection_config,
    },
    object_service_names=(VECTOR_SERVICE_NAME,),
    destroy_object=_destroy_collection,
)
