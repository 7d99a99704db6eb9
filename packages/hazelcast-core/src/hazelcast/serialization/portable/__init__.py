"""Portable serialization (type id -1): named, typed fields that members can query without the class.

Register the classes in ``Config.portable_factories`` (``{factory_id: {class_id: class}}``); optionally
register class definitions up front in ``Config.class_definitions`` (needed to write null nested Portables
and empty Portable arrays without ``write_null_portable``). Data of a class without a factory reads as a
``PortableGenericRecord``; ``read_portable_record`` reads any Portable data that way without a
configuration.
"""

from __future__ import annotations

from hazelcast.serialization.portable._serializer import read_portable_record
from hazelcast.serialization.portable.api import Portable, PortableReader, PortableWriter
from hazelcast.serialization.portable.classdef import (
    ClassDefinition,
    ClassDefinitionBuilder,
    FieldDefinition,
    FieldType,
)
from hazelcast.serialization.portable.generic_record import PortableGenericRecord, PortableGenericRecordBuilder

__all__ = [
    "ClassDefinition",
    "ClassDefinitionBuilder",
    "FieldDefinition",
    "FieldType",
    "Portable",
    "PortableGenericRecord",
    "PortableGenericRecordBuilder",
    "PortableReader",
    "PortableWriter",
    "read_portable_record",
]
