"""``CompactStreamSerializer``: the Compact format inside the serialization service (type id -55).

It holds the registered ``CompactSerializer``s (by class and by type name) and every schema this process
knows by id. A serialized Compact value is the int64 schema id followed by the fields as the schema lays them
out (see ``schema``); nested values repeat that shape inside their parent.

Schemas the cluster must learn before it receives data that uses them are the runtime's business
(``hazelcast._internal.compact``): whenever this serializer writes with a schema it did not know, it records
the schema in ``unreplicated``, which the invocation service checks before sending a request. Schemas fetched
from the cluster go in with ``register_fetched`` and are not recorded there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError
from hazelcast.serialization.api import ObjectDataOutput
from hazelcast.serialization.compact._codecs import kind_codecs
from hazelcast.serialization.compact._reader import DefaultCompactReader
from hazelcast.serialization.compact._writer import DefaultCompactWriter, SchemaWriter
from hazelcast.serialization.compact.api import CompactSerializer
from hazelcast.serialization.compact.generic_record import CompactGenericRecord, RecordReader, SchemaNotFoundError
from hazelcast.serialization.compact.schema import Schema
from hazelcast.serialization.field_kind import FieldKind

__all__ = ["CompactStreamSerializer"]


class CompactStreamSerializer:
    """Writes and reads Compact values for one serialization service (one payload byte order)."""

    def __init__(self, serializers: Iterable[CompactSerializer[Any]], big_endian: bool) -> None:
        self.codecs = kind_codecs(big_endian)
        self._by_class: dict[type, CompactSerializer[Any]] = {}
        self._by_type_name: dict[str, CompactSerializer[Any]] = {}
        for serializer in serializers:
            cls = serializer.get_class()
            type_name = serializer.get_type_name()
            if not isinstance(cls, type):
                raise IllegalArgumentError(f"{type(serializer).__qualname__}.get_class() must return a class")
            if not isinstance(type_name, str) or not type_name:
                raise IllegalArgumentError(f"{type(serializer).__qualname__}.get_type_name() must return a name")
            if cls in self._by_class:
                raise IllegalArgumentError(f"more than one compact serializer is registered for {cls.__qualname__}")
            if type_name in self._by_type_name:
                raise IllegalArgumentError(f"more than one compact serializer uses the type name {type_name!r}")
            self._by_class[cls] = serializer
            self._by_type_name[type_name] = serializer
        self._class_schemas: dict[type, Schema] = {}
        #: Every schema known here, by id: written by this process or fetched from the cluster.
        self.schemas: dict[int, Schema] = {}
        #: Schemas written here that the cluster has not confirmed yet, by id (emptied by the runtime).
        self.unreplicated: dict[int, Schema] = {}
        self._records = RecordReader(self.codecs, self.schemas.get)

    @property
    def classes(self) -> frozenset[type]:
        """The classes with a registered compact serializer."""
        return frozenset(self._by_class)

    # -- schemas ---------------------------------------------------------------------------------------------------

    def _learn_written(self, schema: Schema) -> None:
        if schema.schema_id not in self.schemas:
            self.schemas[schema.schema_id] = schema
            self.unreplicated[schema.schema_id] = schema

    def forget(self, schema: Schema) -> None:
        """Drop a schema the cluster could not be given: the next value written with it records it again."""
        self.schemas.pop(schema.schema_id, None)
        self.unreplicated.pop(schema.schema_id, None)
        for cls in [cls for cls, known in self._class_schemas.items() if known.schema_id == schema.schema_id]:
            del self._class_schemas[cls]

    def register_fetched(self, schema: Schema) -> None:
        """Add a schema the cluster sent (it need not be replicated)."""
        self.schemas.setdefault(schema.schema_id, schema)

    def _schema_of_class(self, cls: type, serializer: CompactSerializer[Any], obj: Any) -> Schema:
        schema_writer = SchemaWriter(serializer.get_type_name())
        serializer.write(schema_writer, obj)
        schema = schema_writer.build()
        known = self.schemas.get(schema.schema_id)
        if known is not None:
            schema = known
        self._learn_written(schema)
        self._class_schemas[cls] = schema
        return schema

    # -- writing ---------------------------------------------------------------------------------------------------

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        """Write ``obj``'s payload to a stream (the service's writer entry for type id -55)."""
        out.write_from(self.encode(obj))

    def encode(self, obj: Any) -> bytearray:
        """``obj``'s payload: schema id and fields."""
        buf = bytearray()
        self.append_nested(buf, obj)
        return buf

    def append_nested(self, buf: bytearray, value: Any) -> None:
        cls = type(value)
        serializer = self._by_class.get(cls)
        if serializer is None:
            if isinstance(value, CompactGenericRecord):
                self._append_record(buf, value)
                return
            raise HazelcastSerializationError(
                f"there is no compact serializer for {cls.__module__}.{cls.__qualname__}: add one to "
                f"Config.compact_serializers"
            )
        schema = self._class_schemas.get(cls)
        if schema is None:
            schema = self._schema_of_class(cls, serializer, value)
        buf += self.codecs.pack_int64(schema.schema_id)
        writer = DefaultCompactWriter(self, buf, schema)
        serializer.write(writer, value)
        writer.finish()

    def append_nested_array(self, buf: bytearray, values: Sequence[Any]) -> None:
        first: Any = None
        for item in values:
            if item is None:
                continue
            identity = item.schema.schema_id if isinstance(item, CompactGenericRecord) else type(item)
            if first is None:
                first = identity
            elif identity != first:
                raise HazelcastSerializationError(
                    "the items of an array of compact values must all be of one class (or GenericRecords of one "
                    f"schema); found {first!r} and {identity!r}"
                )
        self.codecs.append_items(buf, values, self.append_nested)

    def _append_record(self, buf: bytearray, record: CompactGenericRecord) -> None:
        schema = record.schema
        self._learn_written(schema)
        buf += self.codecs.pack_int64(schema.schema_id)
        writer = DefaultCompactWriter(self, buf, schema)
        for field in schema.fields:
            writer.write_field(field.name, field.kind, record.get(field.name))
        writer.finish()

    # -- reading ---------------------------------------------------------------------------------------------------

    def decode_item(self, data: bytes, position: int) -> tuple[Any, int]:
        """Read the value whose schema id is at ``position``; returns it and the offset after it.

        The service's decoder of type id -55, for whole serialized objects, list items and ``read_object``.
        Values of a type name with a registered serializer become objects of its class; others become
        ``CompactGenericRecord``s (as in Java).

        Raises:
            SchemaNotFoundError: the schema id is unknown here.
        """
        schema_id: int = self.codecs.unpack_int64(data, position)[0]
        schema = self.schemas.get(schema_id)
        if schema is None:
            raise SchemaNotFoundError(schema_id)
        serializer = self._by_type_name.get(schema.type_name)
        if serializer is None:
            reader = DefaultCompactReader(self._records, data, position + 8, schema)
            return CompactGenericRecord._from_reader(reader), reader.end
        reader = DefaultCompactReader(self, data, position + 8, schema)
        return serializer.read(reader), reader.end

    def read_nested(self, data: bytes, position: int) -> Any:
        return self.decode_item(data, position)[0]

    # -- discovery of unknown schemas --------------------------------------------------------------------------------

    def unknown_schema_ids(self, data: bytes, position: int, found: set[int]) -> None:
        """Add to ``found`` the ids of unknown schemas of the value at ``position`` and of its nested values.

        Values of unknown schemas cannot be walked, so their nested values are found once those are known.
        """
        schema_id: int = self.codecs.unpack_int64(data, position)[0]
        schema = self.schemas.get(schema_id)
        if schema is None:
            found.add(schema_id)
            return
        nested = [layout for layout in schema.layouts.values() if layout.index >= 0 and layout.kind in _NESTED_KINDS]
        if not nested:
            return
        reader = DefaultCompactReader(_SchemaWalker(self, found), data, position + 8, schema)
        for layout in nested:
            reader.value(layout)


_NESTED_KINDS = frozenset({FieldKind.COMPACT, FieldKind.ARRAY_OF_COMPACT})


class _SchemaWalker:
    """A nested reader that decodes nothing, only collects unknown schema ids."""

    __slots__ = ("codecs", "_serializer", "_found")

    def __init__(self, serializer: CompactStreamSerializer, found: set[int]) -> None:
        self.codecs = serializer.codecs
        self._serializer = serializer
        self._found = found

    def read_nested(self, data: bytes, position: int) -> None:
        self._serializer.unknown_schema_ids(data, position, self._found)
