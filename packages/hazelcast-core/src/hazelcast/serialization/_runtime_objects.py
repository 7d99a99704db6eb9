"""IdentifiedDataSerializable objects a member sends back as query results, known to every serialization service.

A member answers some queries with objects of its own classes rather than built-in types: ``distinct`` aggregations
with a set of the distinct values, ``max_by``/``min_by`` aggregations and identity projections with map entries.
Clients of every language read them by these factory and class ids; the embedded member writes them the same way.
"""

from __future__ import annotations

from typing import Any

from hazelcast.core import MapEntry
from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = ["RUNTIME_FACTORIES", "QueryResultSet", "SerializableMapEntry"]

# Java's MapDataSerializerHook LAZY_MAP_ENTRY and the aggregators' CanonicalizingHashSet.
_MAP_ENTRY_FACTORY_ID = -4
_MAP_ENTRY_CLASS_ID = 120
_HASH_SET_FACTORY_ID = -29
_HASH_SET_CLASS_ID = 19


class SerializableMapEntry(MapEntry[Any, Any], IdentifiedDataSerializable):
    """A map entry as a member serializes it: the key, then the value."""

    __slots__ = ()

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_object(self._key)
        object_data_output.write_object(self._value)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self._key = object_data_input.read_object()
        self._value = object_data_input.read_object()

    def get_factory_id(self) -> int:
        return _MAP_ENTRY_FACTORY_ID

    def get_class_id(self) -> int:
        return _MAP_ENTRY_CLASS_ID


class QueryResultSet(set[Any], IdentifiedDataSerializable):
    """A set of values as a member serializes it (the result of a ``distinct`` aggregation): a count, then items."""

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_int(len(self))
        for item in self:
            object_data_output.write_object(item)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        for _ in range(object_data_input.read_int()):
            self.add(object_data_input.read_object())

    def get_factory_id(self) -> int:
        return _HASH_SET_FACTORY_ID

    def get_class_id(self) -> int:
        return _HASH_SET_CLASS_ID


#: The factories every serialization service starts with; configured and plugin factories are added to them.
RUNTIME_FACTORIES: dict[int, dict[int, Any]] = {
    _MAP_ENTRY_FACTORY_ID: {_MAP_ENTRY_CLASS_ID: SerializableMapEntry},
    _HASH_SET_FACTORY_ID: {_HASH_SET_CLASS_ID: QueryResultSet},
}
