"""Partition hash of a serialized object and the partition it maps to.

A key's partition is decided on the client so that a request goes straight to the member that owns it; the
member computes the same value, so both sides must agree bit for bit with the Java ``HashUtil``:

* the hash is the int32 at offset 0 of the serialized key when that is non-zero (a partition-aware key wrote
  the hash of its partition key there), otherwise MurmurHash3 x86 32-bit of the payload (the bytes after the
  8-byte header) with seed ``0x01000193``, read as a signed int32;
* the partition id is ``abs(hash) % partition_count``, except that ``-2**31`` (whose absolute value does not
  fit in an int32 in Java) maps to partition 0.
"""

from __future__ import annotations

import struct

import mmh3

__all__ = ["MURMUR_SEED", "data_partition_id", "murmur_hash3_x86_32", "partition_hash", "partition_id"]

MURMUR_SEED = 0x01000193
"""Seed the member uses for partition hashing (``HashUtil.DEFAULT_MURMUR_SEED``)."""

_INT32_MIN = -(2**31)
_HEADER_SIZE = 8
_partition_hash_field = struct.Struct(">i").unpack_from
_murmur = mmh3.hash


def murmur_hash3_x86_32(buffer: bytes, seed: int = MURMUR_SEED) -> int:
    """Standard MurmurHash3 x86 32-bit of ``buffer`` as a signed int32."""
    result: int = _murmur(buffer, seed, True)
    return result


def partition_hash(data: bytes | bytearray | memoryview) -> int:
    """Partition hash of a serialized object (``data`` as produced by ``SerializationService.to_data``)."""
    if len(data) < _HEADER_SIZE:
        raise ValueError(f"a serialized object has at least {_HEADER_SIZE} bytes, got {len(data)}")
    written: int = _partition_hash_field(data, 0)[0]
    if written:
        return written
    payload = data[_HEADER_SIZE:]
    if type(payload) is not bytes:
        # mmh3 hashes only immutable bytes.
        payload = bytes(payload)
    murmur: int = _murmur(payload, MURMUR_SEED, True)
    return murmur


def partition_id(hash_: int, partition_count: int) -> int:
    """Partition that owns a key with partition hash ``hash_`` in a cluster of ``partition_count`` partitions."""
    if hash_ == _INT32_MIN:
        return 0
    return abs(hash_) % partition_count


def data_partition_id(data: bytes, partition_count: int) -> int:
    """``partition_id(partition_hash(data), partition_count)`` in one step, for the request path.

    ``data`` must be ``bytes`` of at least 8 bytes, as ``SerializationService.to_data`` makes for any non-None object.
    """
    hash_: int = _partition_hash_field(data, 0)[0] or _murmur(data[_HEADER_SIZE:], MURMUR_SEED, True)
    if hash_ == _INT32_MIN:
        return 0
    return abs(hash_) % partition_count
