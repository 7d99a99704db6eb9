"""Compact serialization: schema-described binary values, readable field by field without their class.

User API (as in the official client): implement ``CompactSerializer`` for a class, register an instance in
``Config.compact_serializers``, and objects of that class are written in the Compact format. Values of other
type names read back as ``CompactGenericRecord``; ``GenericRecordBuilder`` builds such records by hand, and
``read_compact_record`` opens serialized Compact data without a serialization service.
"""

from __future__ import annotations

from hazelcast.serialization.compact.api import CompactReader, CompactSerializableType, CompactSerializer, CompactWriter
from hazelcast.serialization.compact.generic_record import (
    CompactGenericRecord,
    GenericRecordBuilder,
    SchemaNotFoundError,
    read_compact_record,
)
from hazelcast.serialization.compact.schema import FieldDescriptor, Schema, rabin_fingerprint_64
from hazelcast.serialization.compact.serializer import CompactStreamSerializer
from hazelcast.serialization.field_kind import FieldKind
from hazelcast.serialization.generic_record import GenericRecord

__all__ = [
    "CompactGenericRecord",
    "CompactReader",
    "CompactSerializableType",
    "CompactSerializer",
    "CompactStreamSerializer",
    "CompactWriter",
    "FieldDescriptor",
    "FieldKind",
    "GenericRecord",
    "GenericRecordBuilder",
    "Schema",
    "SchemaNotFoundError",
    "read_compact_record",
    "rabin_fingerprint_64",
]
