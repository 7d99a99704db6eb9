"""Partition hashing: MurmurHash3 over the payload, the header override and Java's partition-id rule."""

from __future__ import annotations

import random
import struct

import pytest

from hazelcast.config import Config
from hazelcast.serialization import (
    MURMUR_SEED,
    SerializationService,
    murmur_hash3_x86_32,
    partition_hash,
    partition_id,
)

PARTITION_COUNT = 271


def reference_murmur3_x86_32(data: bytes, seed: int) -> int:
    """Textbook MurmurHash3 x86 32-bit, as a signed int32 — an independent check of the mmh3-based code."""
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed & mask
    block_count = len(data) // 4
    for (k,) in struct.iter_unpack("<I", data[: block_count * 4]):
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    tail = data[block_count * 4 :]
    k = 0
    for index, byte in enumerate(tail):
        k |= byte << (8 * index)
    if tail:
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


def with_zero_header(payload: bytes) -> bytes:
    return bytes(8) + payload


@pytest.mark.parametrize(
    ("payload", "expected_hash", "expected_partition"),
    [
        # wire-protocol.md §8 (the official client's test vectors, taken from the Java implementation)
        (b"key-1", 1228513025, 107),
        (b"", -1585187909, 238),
        (b"abc", -2068121803, 208),
    ],
)
def test_murmur_vectors_of_the_java_implementation(payload: bytes, expected_hash: int, expected_partition: int) -> None:
    assert MURMUR_SEED == 0x01000193
    assert murmur_hash3_x86_32(payload) == expected_hash
    assert partition_hash(with_zero_header(payload)) == expected_hash
    assert partition_id(expected_hash, PARTITION_COUNT) == expected_partition


@pytest.mark.parametrize(
    ("value", "expected_hash", "expected_partition"),
    [("key-1", 2132451398, 94), (0, 923237662, 11), (True, 535970202, 223)],
)
def test_partition_of_real_keys(value: object, expected_hash: int, expected_partition: int) -> None:
    data = SerializationService(Config()).to_data(value)
    assert partition_hash(data) == expected_hash
    assert partition_id(partition_hash(data), PARTITION_COUNT) == expected_partition


def test_hash_covers_only_the_payload_not_the_type_id() -> None:
    # Same payload bytes under two type ids (int 0 and float of the same bits would differ in length,
    # so use String vs HazelcastJsonValue, whose payloads are identical).
    string_data = bytes.fromhex("00000000fffffff5") + b"\x00\x00\x00\x02{}"
    json_data = bytes.fromhex("00000000ffffff7e") + b"\x00\x00\x00\x02{}"
    assert partition_hash(string_data) == partition_hash(json_data)


def test_a_non_zero_header_is_the_partition_hash() -> None:
    # b"0000" read as a big-endian int32 is 0x30303030: the official test input spelled in ASCII digits.
    assert partition_hash(b"00000000key-1") == 0x30303030
    assert partition_hash(struct.pack(">ii", -5, -11) + b"whatever") == -5


def test_partition_id_follows_java_for_the_minimum_int() -> None:
    # Java's hashToIndex maps Integer.MIN_VALUE to 0; the official Python client returns 245 here.
    assert partition_id(-(2**31), PARTITION_COUNT) == 0
    assert partition_id(-(2**31) + 1, PARTITION_COUNT) == (2**31 - 1) % PARTITION_COUNT
    assert partition_id(-1585187909, PARTITION_COUNT) == 1585187909 % PARTITION_COUNT
    assert partition_id(2**31 - 1, 1) == 0


def test_partition_hash_accepts_any_bytes_like_buffer() -> None:
    data = with_zero_header(b"key-1")
    assert partition_hash(bytearray(data)) == 1228513025
    assert partition_hash(memoryview(b"xx" + data)[2:]) == 1228513025


def test_partition_hash_rejects_data_shorter_than_its_header() -> None:
    with pytest.raises(ValueError, match="at least 8 bytes"):
        partition_hash(b"")
    with pytest.raises(ValueError, match="at least 8 bytes"):
        partition_hash(b"\x00" * 7)


def test_murmur_matches_the_reference_algorithm_on_random_inputs() -> None:
    rng = random.Random(20240102)
    for length in list(range(0, 40)) + [rng.randrange(40, 5000) for _ in range(60)]:
        payload = rng.randbytes(length)
        expected = reference_murmur3_x86_32(payload, MURMUR_SEED)
        assert murmur_hash3_x86_32(payload) == expected, payload.hex()
        assert partition_hash(with_zero_header(payload)) == expected
    assert murmur_hash3_x86_32(b"key-1", seed=0) == reference_murmur3_x86_32(b"key-1", 0)
