"""Serializer type ids written at offset 4 of every serialized object.

The values are the member's (``SerializationConstants`` in the Java code base); they are shared by every
Hazelcast client, so a Java member and a Python client agree on what a payload holds. Negative ids are
reserved for Hazelcast; user serializers (custom and global) must use ids greater than zero.
"""

from __future__ import annotations

import enum

__all__ = ["SerializerTypeId"]


class SerializerTypeId(enum.IntEnum):
    """Built-in serializer type ids (the int32 at offset 4 of a serialized object)."""

    NULL = 0
    PORTABLE = -1
    IDENTIFIED_DATA_SERIALIZABLE = -2
    BYTE = -3
    BOOLEAN = -4
    CHAR = -5
    SHORT = -6
    INTEGER = -7
    LONG = -8
    FLOAT = -9
    DOUBLE = -10
    STRING = -11
    BYTE_ARRAY = -12
    BOOLEAN_ARRAY = -13
    CHAR_ARRAY = -14
    SHORT_ARRAY = -15
    INTEGER_ARRAY = -16
    LONG_ARRAY = -17
    FLOAT_ARRAY = -18
    DOUBLE_ARRAY = -19
    STRING_ARRAY = -20
    UUID = -21
    SIMPLE_ENTRY = -22
    SIMPLE_IMMUTABLE_ENTRY = -23
    JAVA_CLASS = -24
    JAVA_DATE = -25
    BIG_INTEGER = -26
    BIG_DECIMAL = -27
    OBJECT_ARRAY = -28
    ARRAY_LIST = -29
    LINKED_LIST = -30
    LOCAL_DATE = -51
    LOCAL_TIME = -52
    LOCAL_DATE_TIME = -53
    OFFSET_DATE_TIME = -54
    COMPACT = -55
    COMPACT_WITH_SCHEMA = -56
    JAVA_SERIALIZABLE = -100
    JAVA_EXTERNALIZABLE = -101
    CSHARP_CLR = -110
    PYTHON_PICKLE = -120
    JSON = -130
    GO_GOB = -140
