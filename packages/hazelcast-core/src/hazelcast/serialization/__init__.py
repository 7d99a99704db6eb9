"""Serialization of Python objects to Hazelcast's binary format and back.

A serialized object is a plain ``bytes`` (see ``SerializationService``); ``partition_hash`` and
``partition_id`` tell which partition it belongs to.
"""

from __future__ import annotations

from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput, StreamSerializer
from hazelcast.serialization.hashing import MURMUR_SEED, murmur_hash3_x86_32, partition_hash, partition_id
from hazelcast.serialization.service import SerializationService
from hazelcast.serialization.type_ids import SerializerTypeId

__all__ = [
    "MURMUR_SEED",
    "IdentifiedDataSerializable",
    "ObjectDataInput",
    "ObjectDataOutput",
    "SerializationService",
    "SerializerTypeId",
    "StreamSerializer",
    "murmur_hash3_x86_32",
    "partition_hash",
    "partition_id",
]
