"""Map's queries and server-side logic: predicates, paging, aggregations, projections, indexes, entry processors.

A mixin of :class:`~hazelcast.collections.map.Map`, kept apart so each module stays about one thing.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from hazelcast.aggregator import Aggregator
from hazelcast.config import BitmapIndexOptions, IndexConfig, IndexType, IndexUtil
from hazelcast.predicate import IterationType, PagingPredicate, Predicate
from hazelcast.projection import Projection
from hazelcast.protocol import method
from hazelcast.protocol.codec import MethodCodec
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, check_not_none, task_id, to_millis

__all__ = ["MapQueryMixin"]

_KEY_SET = method("Map.keySet")
_KEY_SET_WITH_PREDICATE = method("Map.keySetWithPredicate")
_KEY_SET_WITH_PAGING = method("Map.keySetWithPagingPredicate")
_VALUES = method("Map.values")
_VALUES_WITH_PREDICATE = method("Map.valuesWithPredicate")
_VALUES_WITH_PAGING = method("Map.valuesWithPagingPredicate")
_ENTRY_SET = method("Map.entrySet")
_ENTRIES_WITH_PREDICATE = method("Map.entriesWithPredicate")
_ENTRIES_WITH_PAGING = method("Map.entriesWithPagingPredicate")
_AGGREGATE = method("Map.aggregate")
_AGGREGATE_WITH_PREDICATE = method("Map.aggregateWithPredicate")
_PROJECT = method("Map.project")
_PROJECT_WITH_PREDICATE = method("Map.projectWithPredicate")
_REMOVE_ALL = method("Map.removeAll")
_ADD_INDEX = method("Map.addIndex")
_EXECUTE_ON_KEY = method("Map.executeOnKey")
_EXECUTE_ON_KEYS = method("Map.executeOnKeys")
_EXECUTE_ON_ALL_KEYS = method("Map.executeOnAllKeys")
_EXECUTE_WITH_PREDICATE = method("Map.executeWithPredicate")
_PUT_TRANSIENT = method("Map.putTransient")
_PUT_TRANSIENT_WITH_MAX_IDLE = method("Map.putTransientWithMaxIdle")
_LOAD_ALL = method("Map.loadAll")
_LOAD_GIVEN_KEYS = method("Map.loadGivenKeys")
_FLUSH = method("Map.flush")
_ADD_INTERCEPTOR = method("Map.addInterceptor")
_REMOVE_INTERCEPTOR = method("Map.removeInterceptor")

# The protocol's custom types, with the field names their encoders read.
_IndexConfigHolder = namedtuple(
    "_IndexConfigHolder", ["name", "type", "attributes", "bitmap_index_options", "b_tree_index_config"]
)
_BitmapOptionsHolder = namedtuple("_BitmapOptionsHolder", ["unique_key", "unique_key_transformation"])
_AnchorsHolder = namedtuple("_AnchorsHolder", ["anchor_page_list", "anchor_data_list"])
_PagingHolder = namedtuple(
    "_PagingHolder",
    [
        "anchor_data_list_holder",
        "predicate_data",
        "comparator_data",
        "page_size",
        "page",
        "iteration_type_id",
        "partition_key_data",
        "partition_keys_data",
    ],
)


def _check_predicate(predicate: Any, allow_paging: bool = True) -> None:
    if predicate is None:
        raise ValueError("predicate must not be None")
    if not isinstance(predicate, Predicate):
        raise TypeError(f"predicate must be a hazelcast.predicate.Predicate, not {type(predicate).__name__}")
    if not allow_paging and isinstance(predicate, PagingPredicate):
        raise ValueError("a paging predicate cannot be used here")


KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")
ResultType = TypeVar("ResultType")


class MapQueryMixin(Proxy, Generic[KeyType, ValueType]):
    """Queries and server-side logic of a :class:`~hazelcast.collections.map.Map`."""

    # -- queries ---------------------------------------------------------------------------------------------------

    def _paging_request(self, codec: MethodCodec, predicate: PagingPredicate, iteration_type: IterationType) -> bytearray:
        predicate.iteration_type = iteration_type
        to_data = self._to_data
        pages = [page for page, _ in predicate.anchor_list]
        anchors = [(to_data(key), to_data(value)) for _, (key, value) in predicate.anchor_list]
        holder = _PagingHolder(
            _AnchorsHolder(pages, anchors),
            to_data(predicate.predicate),
            to_data(predicate.comparator),
            predicate.page_size,
            predicate.page,
            int(iteration_type),
            None,
            None,
        )
        return codec.encode_request(self.name, holder)

    def _paging_decoder(
        self, codec: MethodCodec, predicate: PagingPredicate, convert: Callable[[Any], ResultType]
    ) -> Callable[[Message], ResultType]:
        to_object = self._to_object

        def decode(message: Message) -> ResultType:
            response, anchor_holder = codec.decode_response(message)
            results = convert(response)
            predicate.anchor_list = [
                (page, (to_object(key), to_object(value)))
                for page, (key, value) in zip(anchor_holder.anchor_page_list, anchor_holder.anchor_data_list)
            ]
            return results

        return decode

    def _with_optional_predicate(
        self, plain: MethodCodec, filtered: MethodCodec, argument: bytes, predicate: Predicate | None
    ) -> tuple[bytearray, Callable[[Message], Any]]:
        """The request of an operation over every entry (``plain``) or over those ``predicate`` selects
        (``filtered``, which takes the predicate after ``argument``), with the decoder of its response."""
        if predicate is None:
            return plain.encode_request(self.name, argument), plain.decode_response
        _check_predicate(predicate, allow_paging=False)
        return filtered.encode_request(self.name, argument, self._to_data(predicate)), filtered.decode_response

    def _objects(self, data_list: list[bytes]) -> list[Any]:
        to_object = self._to_object
        return [to_object(data) for data in data_list]

    def _entries(self, entries: list[tuple[bytes, bytes]]) -> list[tuple[KeyType, ValueType]]:
        to_object = self._to_object
        return [(to_object(key), to_object(value)) for key, value in entries]

    async def key_set(self, predicate: Predicate | None = None) -> list[KeyType]:
        """The keys, or those of the entries ``predicate`` selects (one page of them with a paging predicate)."""
        decode_list = _KEY_SET.decode_response
        if predicate is None:
            return await self._invoke(
                _KEY_SET.encode_request(self.name), lambda m: self._objects(decode_list(m)), True
            )
        _check_predicate(predicate)
        if isinstance(predicate, PagingPredicate):
            request = self._paging_request(_KEY_SET_WITH_PAGING, predicate, IterationType.KEY)
            return await self._invoke(request, self._paging_decoder(_KEY_SET_WITH_PAGING, predicate, self._objects), True)
        request = _KEY_SET_WITH_PREDICATE.encode_request(self.name, self._to_data(predicate))
        return await self._invoke(request, lambda m: self._objects(decode_list(m)), True)

    async def values(self, predicate: Predicate | None = None) -> list[ValueType]:
        """The values, or those of the entries ``predicate`` selects (one page of them with a paging predicate)."""
        decode_list = _VALUES.decode_response
        if predicate is None:
            return await self._invoke(_VALUES.encode_request(self.name), lambda m: self._objects(decode_list(m)), True)
        _check_predicate(predicate)
        if isinstance(predicate, PagingPredicate):
            request = self._paging_request(_VALUES_WITH_PAGING, predicate, IterationType.VALUE)
            return await self._invoke(request, self._paging_decoder(_VALUES_WITH_PAGING, predicate, self._objects), True)
        request = _VALUES_WITH_PREDICATE.encode_request(self.name, self._to_data(predicate))
        return await self._invoke(request, lambda m: self._objects(decode_list(m)), True)

    async def entry_set(self, predicate: Predicate | None = None) -> list[tuple[KeyType, ValueType]]:
        """The (key, value) pairs, or those ``predicate`` selects (one page of them with a paging predicate)."""
        decode_entries = _ENTRY_SET.decode_response
        if predicate is None:
            return await self._invoke(
                _ENTRY_SET.encode_request(self.name), lambda m: self._entries(decode_entries(m)), True
            )
        _check_predicate(predicate)
        if isinstance(predicate, PagingPredicate):
            request = self._paging_request(_ENTRIES_WITH_PAGING, predicate, IterationType.ENTRY)
            return await self._invoke(
                request, self._paging_decoder(_ENTRIES_WITH_PAGING, predicate, self._entries), True
            )
        request = _ENTRIES_WITH_PREDICATE.encode_request(self.name, self._to_data(predicate))
        return await self._invoke(request, lambda m: self._entries(decode_entries(m)), True)

    async def remove_all(self, predicate: Predicate) -> None:
        """Remove every entry ``predicate`` selects."""
        _check_predicate(predicate, allow_paging=False)
        await self._invoke(_REMOVE_ALL.encode_request(self.name, self._to_data(predicate)))

    async def aggregate(self, aggregator: Aggregator[Any], predicate: Predicate | None = None) -> Any:
        """Run ``aggregator`` (see :mod:`hazelcast.aggregator`) over the entries, or those ``predicate`` selects."""
        check_not_none(aggregator, "aggregator")
        if not isinstance(aggregator, Aggregator):
            raise TypeError(f"aggregator must be a hazelcast.aggregator.Aggregator, not {type(aggregator).__name__}")
        to_object = self._to_object
        request, decode = self._with_optional_predicate(
            _AGGREGATE, _AGGREGATE_WITH_PREDICATE, self._to_data(aggregator), predicate
        )
        return await self._invoke(request, lambda m: to_object(decode(m)), True)

    async def project(self, projection: Projection[Any], predicate: Predicate | None = None) -> list[Any]:
        """Apply ``projection`` (see :mod:`hazelcast.projection`) to the entries, or those ``predicate`` selects."""
        check_not_none(projection, "projection")
        if not isinstance(projection, Projection):
            raise TypeError(f"projection must be a hazelcast.projection.Projection, not {type(projection).__name__}")
        request, decode = self._with_optional_predicate(
            _PROJECT, _PROJECT_WITH_PREDICATE, self._to_data(projection), predicate
        )
        return await self._invoke(request, lambda m: self._objects(decode(m)), True)

    # -- indexes ---------------------------------------------------------------------------------------------------

    async def add_index(
        self,
        attributes: Sequence[str] | None = None,
        index_type: IndexType | int | str = IndexType.SORTED,
        name: str | None = None,
        bitmap_index_options: BitmapIndexOptions | Mapping[str, Any] | None = None,
    ) -> None:
        """Index the entries by ``attributes`` so that queries on them do not visit every entry.

        ``index_type``: ``SORTED`` (equality and ranges), ``HASH`` (equality) or ``BITMAP`` (equality, one
        attribute, with ``bitmap_index_options``); ``name`` defaults to one derived from the map, type and
        attributes. Adding an index that exists does nothing.
        """
        config = IndexConfig(name=name, type=index_type, attributes=list(attributes or ()),
                             bitmap_index_options=bitmap_index_options)
        normalized = IndexUtil.validate_and_normalize(self.name, config)
        options = normalized.bitmap_index_options
        holder = _IndexConfigHolder(
            normalized.name,
            int(normalized.type),
            list(normalized.attributes),
            _BitmapOptionsHolder(str(options.unique_key), int(options.unique_key_transformation)),
            None,
        )
        await self._invoke(_ADD_INDEX.encode_request(self.name, holder))

    # -- entry processors ------------------------------------------------------------------------------------------

    async def execute_on_key(self, key: KeyType, entry_processor: Any) -> Any:
        """Run ``entry_processor`` (an object whose class the members know) on the entry of ``key``; its result."""
        check_not_none(key, "key")
        check_not_none(entry_processor, "entry_processor")
        key_data = self._to_data(key)
        request = _EXECUTE_ON_KEY.encode_request(self.name, self._to_data(entry_processor), key_data, task_id(self._loop))
        to_object = self._to_object
        decode = _EXECUTE_ON_KEY.decode_response
        return await self._call(request, self._partition_of(key_data), lambda m: to_object(decode(m)))

    async def execute_on_keys(self, keys: Sequence[KeyType], entry_processor: Any) -> list[tuple[KeyType, Any]]:
        """Run ``entry_processor`` on the entries of ``keys``; (key, result) pairs of the results that are not None."""
        check_not_none(keys, "keys")
        check_not_none(entry_processor, "entry_processor")
        key_list = []
        for key in keys:
            check_not_none(key, "key")
            key_list.append(self._to_data(key))
        if not key_list:
            return []
        request = _EXECUTE_ON_KEYS.encode_request(self.name, self._to_data(entry_processor), key_list)
        decode = _EXECUTE_ON_KEYS.decode_response
        return await self._invoke(request, lambda m: self._entries(decode(m)))

    async def execute_on_entries(
        self, entry_processor: Any, predicate: Predicate | None = None
    ) -> list[tuple[KeyType, Any]]:
        """Run ``entry_processor`` on every entry, or those ``predicate`` selects; (key, result) pairs."""
        check_not_none(entry_processor, "entry_processor")
        if predicate is None:
            request = _EXECUTE_ON_ALL_KEYS.encode_request(self.name, self._to_data(entry_processor))
            decode = _EXECUTE_ON_ALL_KEYS.decode_response
        else:
            _check_predicate(predicate, allow_paging=False)
            request = _EXECUTE_WITH_PREDICATE.encode_request(
                self.name, self._to_data(entry_processor), self._to_data(predicate)
            )
            decode = _EXECUTE_WITH_PREDICATE.decode_response
        return await self._invoke(request, lambda m: self._entries(decode(m)))

    # -- interceptors ----------------------------------------------------------------------------------------------

    async def add_interceptor(self, interceptor: Any) -> str:
        """Have the members run ``interceptor`` (an object whose class they know) around this map's gets, puts and
        removals; returns its registration id for :meth:`remove_interceptor`."""
        check_not_none(interceptor, "interceptor")
        request = _ADD_INTERCEPTOR.encode_request(self.name, self._to_data(interceptor))
        return await self._invoke(request, _ADD_INTERCEPTOR.decode_response)

    async def remove_interceptor(self, registration_id: str) -> bool:
        """Remove the interceptor :meth:`add_interceptor` registered; False if there was none with that id."""
        check_not_none(registration_id, "registration_id")
        if not isinstance(registration_id, str):
            raise TypeError(f"registration_id must be a str, not {type(registration_id).__name__}")
        request = _REMOVE_INTERCEPTOR.encode_request(self.name, registration_id)
        return await self._invoke(request, _REMOVE_INTERCEPTOR.decode_response)

    # -- MapStore --------------------------------------------------------------------------------------------------

    async def put_transient(self, key: KeyType, value: ValueType, ttl: float | None = None, max_idle: float | None = None) -> None:
        """Map ``key`` to ``value`` in memory only: the map's MapStore is not written.

        ``ttl`` / ``max_idle`` are seconds (0 = forever; None = the map's configuration on the member).
        """
        check_not_none(key, "key")
        check_not_none(value, "value")
        key_data = self._to_data(key)
        value_data = self._to_data(value)
        if max_idle is None:
            request = _PUT_TRANSIENT.encode_request(self.name, key_data, value_data, task_id(self._loop), to_millis(ttl))
        else:
            request = _PUT_TRANSIENT_WITH_MAX_IDLE.encode_request(
                self.name, key_data, value_data, task_id(self._loop), to_millis(ttl), to_millis(max_idle)
            )
        await self._call(request, self._partition_of(key_data))

    async def load_all(self, keys: Sequence[KeyType] | None = None, replace_existing_values: bool = True) -> None:
        """Load entries from the map's MapStore: those of ``keys``, or all the store has.

        ``replace_existing_values``: whether loaded values replace the ones in memory.
        """
        if keys:
            key_list = []
            for key in keys:
                check_not_none(key, "key")
                key_list.append(self._to_data(key))
            request = _LOAD_GIVEN_KEYS.encode_request(self.name, key_list, replace_existing_values)
        else:
            request = _LOAD_ALL.encode_request(self.name, replace_existing_values)
        await self._invoke(request)

    async def flush(self) -> None:
        """Write the map's pending write-behind changes to its MapStore now."""
        await self._invoke(_FLUSH.encode_request(self.name))
