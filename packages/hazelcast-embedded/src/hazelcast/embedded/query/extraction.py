"""Reading attributes of stored entries: the one mechanism behind the member's predicates, aggregations,
projections and indexes.

The member stores keys and values as the serialized ``Data`` clients send; nothing is converted on put. A query
reads what it needs when it visits an entry::

    context = extraction_context(member)                 # or the cluster
    entry = context.entry(key_data, value_data)          # decodes key and value at most once each
    entry.attribute("address.city"), entry.attribute("__key"), entry.attribute("orders[any].total")

or, for a single read, ``extract(member, key_data, value_data, "address.city")``.

What ``__key``/``this`` are and how a path is followed depend on the serialization format, as on a Java member:

* HazelcastJsonValue (type id -130): ``this`` is the :class:`~hazelcast.core.HazelcastJsonValue`; a path walks JSON
  objects by key and arrays by index. A path ending on a string, number, boolean or null gives that value (``str``,
  ``int``/``float``, ``bool``, None); one ending on an object or array gives
  :data:`~hazelcast.embedded.query.values.NON_TERMINAL_JSON_VALUE`. Anything missing on the way, an index past the end
  and malformed JSON give None. ``items[any]`` gives the scalar items (``items[any].price``: the scalar ``price`` of
  each object item; items without one are skipped).
* Compact (-55, read with the schemas replicated to the member) and Portable (-1): ``this`` is a
  :class:`~hazelcast.serialization.generic_record.GenericRecord`; a path reads fields (nested records as
  GenericRecord, arrays as lists). A field the record does not have gives None (Hazelcast reads unknown fields of
  Compact and Portable values as null in queries); so does a null or missing record on the way, and an index past the
  end of an array. Stepping into a field that is not a nested record, indexing one that is not an array, or
  ``[any]`` on one that is not an array raises :class:`~hazelcast.errors.QueryError`.
* Built-in types (strings, numbers, UUIDs, dates, arrays and lists of them...): ``this`` is the Python value. They have
  no attributes: a path into one raises :class:`~hazelcast.errors.QueryError`.
* IdentifiedDataSerializable values whose class a plugin registered as a server class (contexts made by
  :func:`extraction_context`): ``this`` is the Python object and each step of a path reads the attribute of that name
  (an index or ``[any]`` the items of a list); a missing attribute raises :class:`~hazelcast.errors.QueryError`.
* Anything else (other IdentifiedDataSerializable, custom or global serializers): the member has no user classes, so
  ``this`` is an :class:`~hazelcast.embedded.query.values.OpaqueValue` (equal to another one with the same bytes) and
  a path into it raises :class:`~hazelcast.errors.QueryError`. Pickled values are never unpickled here.

A path with an ``[any]`` quantifier always gives a :class:`~hazelcast.embedded.query.values.MultiResult`, the others a
single value.
"""

from __future__ import annotations

import functools
import json
import struct
from collections.abc import Callable
from typing import Any, Final, TypeAlias

from hazelcast.config import Config
from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded.cluster import EmbeddedCluster
from hazelcast.embedded.member import EmbeddedMember
from hazelcast.embedded.query.paths import AttributePath, PathStep, parse_attribute_path
from hazelcast.embedded.query.values import NON_TERMINAL_JSON_VALUE, MultiResult, OpaqueValue
from hazelcast.embedded.schemas import cluster_schema, schema_registry
from hazelcast.errors import HazelcastSerializationError, QueryError
from hazelcast.serialization import SerializationService
from hazelcast.serialization.api import IdentifiedDataSerializable
from hazelcast.serialization.compact import Schema, read_compact_record
from hazelcast.serialization.field_kind import FieldKind
from hazelcast.serialization.generic_record import GenericRecord
from hazelcast.serialization.portable import read_portable_record
from hazelcast.serialization.type_ids import SerializerTypeId

__all__ = ["ExtractionContext", "QueryableEntry", "SchemaLookup", "extract", "extraction_context"]

#: Finds a Compact schema by its id (fingerprint); None when nobody sent it.
SchemaLookup: TypeAlias = Callable[[int], Schema | None]

_TYPE_ID = struct.Struct(">i")
# The payload of a Data starts after the partition hash and the type id.
_PAYLOAD_OFFSET = 8
_COMPACT = int(SerializerTypeId.COMPACT)
_PORTABLE = int(SerializerTypeId.PORTABLE)
_NULL = int(SerializerTypeId.NULL)
_IDENTIFIED = int(SerializerTypeId.IDENTIFIED_DATA_SERIALIZABLE)
_JSON_TYPE_ID_BYTES = _TYPE_ID.pack(int(SerializerTypeId.JSON))
# Type ids the built-in service must never see: formats with readers of their own here, and objects of user classes
# (whose readers may run user code). What remains are the built-in types.
_UNREADABLE_TYPE_IDS = frozenset(
    int(type_id)
    for type_id in (
        SerializerTypeId.PORTABLE,
        SerializerTypeId.IDENTIFIED_DATA_SERIALIZABLE,
        SerializerTypeId.COMPACT,
        SerializerTypeId.COMPACT_WITH_SCHEMA,
        SerializerTypeId.JAVA_SERIALIZABLE,
        SerializerTypeId.JAVA_EXTERNALIZABLE,
        SerializerTypeId.CSHARP_CLR,
        SerializerTypeId.PYTHON_PICKLE,
        SerializerTypeId.GO_GOB,
    )
)
_BUILTIN_TYPE_IDS = frozenset(int(type_id) for type_id in SerializerTypeId if type_id < 0) - _UNREADABLE_TYPE_IDS

_RECORD_KINDS = frozenset({FieldKind.COMPACT, FieldKind.PORTABLE})
_RECORD_ARRAY_KINDS = frozenset({FieldKind.ARRAY_OF_COMPACT, FieldKind.ARRAY_OF_PORTABLE})
_ARRAY_KINDS = frozenset(kind for kind in FieldKind if kind.name.startswith("ARRAY_OF_"))
_NOT_AVAILABLE = FieldKind.NOT_AVAILABLE
_JSON_SCALARS = (str, int, float, bool, type(None))


class _Marker:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


_UNREAD: Final = _Marker("UNREAD")
_MALFORMED_JSON: Final = _Marker("MALFORMED_JSON")


@functools.cache
def _builtin_service(big_endian: bool) -> SerializationService:
    # A service without user serializers, factories or pickle: it can only produce built-in Python values.
    config = Config()
    config.is_big_endian = big_endian
    return SerializationService(config)


class ExtractionContext:
    """Reads keys, values and their attributes, with ``schema_lookup`` for Compact values.

    ``big_endian`` is the byte order of the stored payloads (the clients' ``is_big_endian``; big-endian by default,
    as on a Java member). A context holds no per-entry state: make one per query and an entry per visited entry.
    """

    __slots__ = ("schema_lookup", "big_endian", "object_reader")

    def __init__(
        self, schema_lookup: SchemaLookup, big_endian: bool = True, object_reader: Callable[[bytes], Any] | None = None
    ) -> None:
        self.schema_lookup = schema_lookup
        self.big_endian = big_endian
        #: Reads IdentifiedDataSerializable values with the member's server classes (``EmbeddedCluster.to_object``).
        self.object_reader = object_reader

    def entry(self, key_data: bytes, value_data: bytes | None) -> QueryableEntry:
        """The entry whose key and value are serialized as ``key_data`` and ``value_data``."""
        return QueryableEntry(self, key_data, value_data)

    def extract(self, key_data: bytes, value_data: bytes | None, path: str | AttributePath) -> Any:
        """The attribute ``path`` of an entry (see the module documentation)."""
        return QueryableEntry(self, key_data, value_data).attribute(path)

    def read_value(self, data: bytes | None) -> Any:
        """What ``this`` is for a value serialized as ``data`` (None for null Data).

        Raises:
            HazelcastSerializationError: a Compact value's schema is unknown, or the bytes are malformed.
        """
        if not data:
            return None
        if len(data) < _PAYLOAD_OFFSET:
            raise HazelcastSerializationError(f"a serialized object has at least 8 bytes, got {len(data)}")
        type_id = _TYPE_ID.unpack_from(data, 4)[0]
        if type_id == _COMPACT:
            return read_compact_record(data, _PAYLOAD_OFFSET, self.schema_lookup, self.big_endian)
        if type_id == _PORTABLE:
            return read_portable_record(data, _PAYLOAD_OFFSET, self.big_endian)
        if type_id == _NULL:
            return None
        if type_id == _IDENTIFIED and self.object_reader is not None:
            try:
                return self.object_reader(data)
            except HazelcastSerializationError:
                return OpaqueValue(data)
        if type_id in _BUILTIN_TYPE_IDS:
            try:
                return _builtin_service(self.big_endian).to_object(data)
            except HazelcastSerializationError:
                # A built-in container (a list...) holding items of user classes.
                return OpaqueValue(data)
        return OpaqueValue(data)


class QueryableEntry:
    """One stored entry as a query sees it; its key and value are decoded on first use and kept."""

    __slots__ = ("_context", "key_data", "value_data", "_key", "_value", "_key_json", "_value_json")

    def __init__(self, context: ExtractionContext, key_data: bytes, value_data: bytes | None) -> None:
        self._context = context
        self.key_data = key_data
        self.value_data = value_data
        self._key: Any = _UNREAD
        self._value: Any = _UNREAD
        self._key_json: Any = _UNREAD
        self._value_json: Any = _UNREAD

    @property
    def key(self) -> Any:
        """The key as ``__key`` reads it."""
        key = self._key
        if key is _UNREAD:
            key = self._key = self._context.read_value(self.key_data)
        return key

    @property
    def value(self) -> Any:
        """The value as ``this`` reads it."""
        value = self._value
        if value is _UNREAD:
            value = self._value = self._context.read_value(self.value_data)
        return value

    def attribute(self, path: str | AttributePath) -> Any:
        """The attribute ``path`` (``"__key"``, ``"this"``, ``"address.city"``, ``"tags[0]"``, ``"items[any].id"``...).

        Raises:
            IllegalArgumentError: the path is malformed.
            QueryError: the path steps into something that has no such attribute (see the module documentation).
            HazelcastSerializationError: the key or value cannot be decoded.
        """
        parsed = path if isinstance(path, AttributePath) else parse_attribute_path(path)
        if parsed.steps:
            # JSON values are walked straight from their bytes: the hot path of queries over JSON.
            of_key = parsed.of_key
            tree = self._key_json if of_key else self._value_json
            if tree is _UNREAD:
                data = self.key_data if of_key else self.value_data
                if data is not None and data[4:8] == _JSON_TYPE_ID_BYTES:
                    tree = self._json_tree_of(of_key, data)
            if tree is not _UNREAD:
                return _json_attribute(tree, parsed)
        target = self.key if parsed.of_key else self.value
        if not parsed.steps:
            return target
        if isinstance(target, GenericRecord):
            return _record_attribute(target, parsed)
        if isinstance(target, HazelcastJsonValue):
            return _json_attribute(self._json_tree(parsed.of_key, target), parsed)
        if target is None:
            return _absent(parsed)
        if isinstance(target, IdentifiedDataSerializable):
            return _object_attribute(target, parsed)
        raise QueryError(
            f"cannot read attribute {parsed.attribute!r} of the entry's {'key' if parsed.of_key else 'value'}: "
            f"{_describe(target)} has no attributes this member can read"
        )

    def _json_tree_of(self, of_key: bool, data: bytes) -> Any:
        # After the 8-byte header, the text's length (4 bytes) and the UTF-8 text, which runs to the end.
        try:
            tree = json.loads(data[12:].decode())
        except (ValueError, RecursionError):
            tree = _MALFORMED_JSON
        if of_key:
            self._key_json = tree
        else:
            self._value_json = tree
        return tree

    def _json_tree(self, of_key: bool, target: HazelcastJsonValue) -> Any:
        tree = self._key_json if of_key else self._value_json
        if tree is _UNREAD:
            try:
                tree = json.loads(target.to_string())
            except (ValueError, RecursionError):
                tree = _MALFORMED_JSON
            if of_key:
                self._key_json = tree
            else:
                self._value_json = tree
        return tree


def extraction_context(source: EmbeddedCluster | EmbeddedMember | ExtractionContext) -> ExtractionContext:
    """A context reading Compact values with the schemas ``source`` holds.

    A member reads with its own copy of the cluster's schemas, the cluster with those of its live members.
    """
    if isinstance(source, ExtractionContext):
        return source
    if isinstance(source, EmbeddedMember):
        return ExtractionContext(schema_registry(source).get, object_reader=source.cluster.to_object)
    if isinstance(source, EmbeddedCluster):
        return ExtractionContext(functools.partial(cluster_schema, source), object_reader=source.to_object)
    raise TypeError(f"expected an EmbeddedCluster, EmbeddedMember or ExtractionContext, got {type(source).__name__}")


def extract(
    source: EmbeddedCluster | EmbeddedMember | ExtractionContext,
    key_data: bytes,
    value_data: bytes | None,
    path: str | AttributePath,
) -> Any:
    """The attribute ``path`` of the entry (``key_data``, ``value_data``), as a member of ``source`` reads it.

    For many reads, make one :func:`extraction_context` and an entry per visited entry instead.
    """
    return extraction_context(source).extract(key_data, value_data, path)


def _object_attribute(root: Any, path: AttributePath) -> Any:
    """A path through a server-class object: each step reads the attribute of that name (a Java member calls the
    getter or reads the field), an index or ``[any]`` the items of a list or tuple."""
    current: list[Any] = [root]
    for step in path.steps:
        reached: list[Any] = []
        for item in current:
            if item is None:
                reached.append(None)
                continue
            if isinstance(item, (GenericRecord, HazelcastJsonValue)) or not hasattr(item, step.name):
                raise QueryError(f"cannot read attribute {step.name!r} of {type(item).__name__} in {path.text!r}")
            value = getattr(item, step.name)
            if step.plain:
                reached.append(value)
            elif not isinstance(value, (list, tuple)):
                raise QueryError(f"{step.name!r} of {type(item).__name__} is not a list, in {path.text!r}")
            elif step.any:
                reached.extend(value)
            else:
                index = step.index
                assert index is not None, "a step neither plain nor [any] has an index"
                reached.append(value[index] if index < len(value) else None)
        current = reached
    if path.has_any:
        return MultiResult(current)
    return current[0]


def _absent(path: AttributePath) -> Any:
    """What a path gives when its target is null or missing."""
    return MultiResult((None,), null_or_empty_target=True) if path.has_any else None


def _describe(target: Any) -> str:
    if isinstance(target, OpaqueValue):
        return f"a value of serializer type id {target.type_id}"
    return f"a built-in {type(target).__name__}"


# -- Compact and Portable ---------------------------------------------------------------------------------------------


def _record_attribute(root: GenericRecord, path: AttributePath) -> Any:
    steps = path.steps
    # A field may be named like a whole path ("a.b"); Hazelcast reads such a field before walking the path. For a
    # bare field name (the common case) that is the whole answer.
    if root.get_field_kind(path.attribute) != _NOT_AVAILABLE:
        return root.get(path.attribute)
    if len(steps) == 1 and steps[0].plain:
        return None
    records: list[GenericRecord] = [root]
    null_or_empty = False
    for step in steps[:-1]:
        reached: list[GenericRecord] = []
        for record in records:
            name = step.name
            kind = record.get_field_kind(name)
            if kind == _NOT_AVAILABLE:
                null_or_empty = True
                continue
            if step.plain:
                if kind not in _RECORD_KINDS:
                    raise _not_a(record, name, kind, "nested record", path)
                nested = record.get(name)
                if nested is None:
                    null_or_empty = True
                else:
                    reached.append(nested)
                continue
            if kind not in _RECORD_ARRAY_KINDS:
                raise _not_a(record, name, kind, "array of records", path)
            items = record.get(name)
            if step.any:
                if not items:
                    null_or_empty = True
                    continue
                for item in items:
                    if item is None:
                        null_or_empty = True
                    else:
                        reached.append(item)
            else:
                item = _item(items, step.index)
                if item is None:
                    null_or_empty = True
                else:
                    reached.append(item)
        records = reached

    leaf = steps[-1]
    results: list[Any] = []
    for record in records:
        name = leaf.name
        kind = record.get_field_kind(name)
        if kind == _NOT_AVAILABLE:
            if leaf.any:
                null_or_empty = True
            else:
                results.append(None)
            continue
        if leaf.plain:
            results.append(record.get(name))
            continue
        if kind not in _ARRAY_KINDS:
            raise _not_a(record, name, kind, "array", path)
        values = record.get(name)
        if leaf.any:
            if values:
                results.extend(values)
            else:
                null_or_empty = True
        else:
            results.append(_item(values, leaf.index))

    if not path.has_any:
        return results[0] if results else None
    if null_or_empty:
        results.insert(0, None)
    return MultiResult(results, null_or_empty_target=null_or_empty)


def _item(items: list[Any] | None, index: int | None) -> Any:
    if items is None or index is None or index >= len(items):
        return None
    return items[index]


def _not_a(record: GenericRecord, name: str, kind: FieldKind, wanted: str, path: AttributePath) -> QueryError:
    return QueryError(
        f"attribute path {path.text!r}: field {name!r} of {record.get_type_name()!r} is {kind.name}, not a {wanted}"
    )


# -- JSON -------------------------------------------------------------------------------------------------------------


def _json_attribute(tree: Any, path: AttributePath) -> Any:
    if tree is _MALFORMED_JSON:
        return _absent(path)
    node = tree
    steps = path.steps
    for position, step in enumerate(steps):
        if not isinstance(node, dict) or step.name not in node:
            return _absent(path)
        node = node[step.name]
        if step.any:
            if not isinstance(node, list):
                return _absent(path)
            found = MultiResult()
            for item in node:
                _collect_json(item, steps, position + 1, found)
            return found
        if step.index is not None:
            if not isinstance(node, list) or step.index >= len(node):
                return _absent(path)
            node = node[step.index]
    return node if isinstance(node, _JSON_SCALARS) else NON_TERMINAL_JSON_VALUE


def _collect_json(node: Any, steps: tuple[PathStep, ...], start: int, found: list[Any]) -> None:
    """Add the scalars that ``steps[start:]`` reach from ``node`` (one array item of an ``[any]``) to ``found``."""
    for position in range(start, len(steps)):
        step = steps[position]
        if not isinstance(node, dict) or step.name not in node:
            return
        node = node[step.name]
        if step.any:
            if isinstance(node, list):
                for item in node:
                    _collect_json(item, steps, position + 1, found)
            return
        if step.index is not None:
            if not isinstance(node, list) or step.index >= len(node):
                return
            node = node[step.index]
    # As Hazelcast does, objects and arrays among the items are skipped rather than reported as non-terminal.
    if isinstance(node, _JSON_SCALARS):
        found.append(node)
