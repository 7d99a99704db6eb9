"""Our client computes the same partition id for a key as the official client 5.7.0 — and as Java where they differ.

Keys of every JSON-expressible type the official client serializes the same way (str including unicode, int within
int32, float, bool, nested lists) are serialized by both clients and mapped onto 271 partitions. The two agree on
every key except one whose partition hash is exactly -2**31: Java's ``HashUtil.hashToIndex`` maps that hash to
partition 0, while the official Python client's ``hash_to_index`` compares the signed hash with ``0x80000000``, never
matches, and answers ``2**31 % 271 == 245`` (wire-protocol.md §8). Such a request would reach the wrong member, so we
follow Java; the test asserts both answers so the difference stays visible.
"""

from __future__ import annotations

import asyncio
import json
import random
import struct
import subprocess
from pathlib import Path
from typing import Any

import mmh3
import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import Config
from hazelcast.embedded import EmbeddedCluster
from hazelcast.partition import PartitionService
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import MURMUR_SEED, partition_id
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

PARTITION_COUNT = 271
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
_OFFICIAL_TIMEOUT_S = 60.0
_CLIENT_TIMEOUT_S = 15.0
_MASK32 = 0xFFFFFFFF


# -- a key whose partition hash is -2**31 -----------------------------------------------------------------------------
# MurmurHash3 x86 32 of a single 4-byte block is a bijection of the block, so the block hashing to a given value is
# found by running the steps backwards. An int key serializes to an 8-byte header plus its 4-byte big-endian value,
# and only those 4 payload bytes are hashed (wire-protocol.md §8).


def _rotate_right(value: int, bits: int) -> int:
    return ((value >> bits) | (value << (32 - bits))) & _MASK32


def _undo_xor_shift_right(value: int, shift: int) -> int:
    result = value
    for _ in range(32 // shift + 1):
        result = value ^ (result >> shift)
    return result & _MASK32


def _undo_multiply(value: int, factor: int) -> int:
    return (value * pow(factor, -1, 2**32)) & _MASK32


def murmur_block_with_hash(target: int, seed: int) -> bytes:
    """The 4 bytes whose MurmurHash3 x86 32 with ``seed`` is ``target`` (a signed int32)."""
    h = target & _MASK32
    # Final avalanche, backwards.
    h = _undo_xor_shift_right(h, 16)
    h = _undo_multiply(h, 0xC2B2AE35)
    h = _undo_xor_shift_right(h, 13)
    h = _undo_multiply(h, 0x85EBCA6B)
    h = _undo_xor_shift_right(h, 16)
    h ^= 4  # the input length
    # Mixing of the one block into the seed, backwards.
    h = _undo_multiply((h - 0xE6546B64) & _MASK32, 5)
    k = _rotate_right(h, 13) ^ seed
    k = _undo_multiply(k, 0x1B873593)
    k = _rotate_right(k, 15)
    k = _undo_multiply(k, 0xCC9E2D51)
    return struct.pack("<I", k)


#: An int key whose serialized form has partition hash -2**31.
MIN_HASH_KEY: int = struct.unpack(">i", murmur_block_with_hash(INT32_MIN, MURMUR_SEED))[0]
#: What the official 5.7.0 client answers for it (its ``hash_to_index`` misses the -2**31 special case).
OFFICIAL_MIN_HASH_PARTITION = 2**31 % PARTITION_COUNT


def _sample_keys() -> list[Any]:
    """A few hundred keys of every type both clients serialize alike, deterministic across runs."""
    rng = random.Random(20240611)
    keys: list[Any] = [f"key-{i}" for i in range(80)]
    keys += ["", " ", "ü", "ключ", "キー🔑", "地図🗺", "значение ✓ 🚀", "\u0000nul", "a" * 300, "😀" * 40]
    # Random text drawing from ASCII, the BMP beyond Latin-1 and astral emoji (4 UTF-8 bytes, a surrogate pair in Java).
    code_point_ranges = ((0x20, 0x7E), (0xA0, 0x2FFF), (0x1F300, 0x1FAFF))
    keys += [
        "".join(chr(rng.randint(*rng.choice(code_point_ranges))) for _ in range(rng.randint(1, 24))) for _ in range(40)
    ]
    keys += list(range(-20, 60))
    keys += [INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1, 2**24, -(2**24), 10**9, -(10**9)]
    keys += [rng.randint(INT32_MIN, INT32_MAX) for _ in range(40)]
    keys += [0.0, -0.0, 1.0, -1.0, 0.5, 3.141592653589793, 1e300, -1e-300, 5e-324, 2.0**53, float("inf"), -float("inf")]
    keys += [rng.uniform(-1e6, 1e6) for _ in range(20)]
    keys += [True, False]
    keys += [[], [1], [1, "two", 3.5, True], ["nested", [1, [2, [3]]], []], [INT32_MIN, INT32_MAX], ["ü", "🔑", ""]]
    keys += [[rng.randint(-1000, 1000) for _ in range(rng.randint(0, 6))] for _ in range(10)]
    keys.append(MIN_HASH_KEY)
    return keys


KEYS = _sample_keys()


def _official_partition_ids(official_python: Path, keys: list[Any]) -> list[int]:
    completed = subprocess.run(
        [
            str(official_python),
            str(SCRIPTS_DIR / "official_partition_ids.py"),
            "--partition-count",
            str(PARTITION_COUNT),
        ],
        input=json.dumps(keys),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=_OFFICIAL_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, f"official_partition_ids.py failed:\n{completed.stderr}"
    partition_ids: list[int] = json.loads(completed.stdout)
    return partition_ids


@pytest.fixture(scope="module")
def official_ids(official_python: Path) -> list[int]:
    return _official_partition_ids(official_python, KEYS)


@pytest.fixture(scope="module")
def serialization() -> SerializationService:
    return SerializationService(Config())


@pytest.fixture(scope="module")
def our_ids(serialization: SerializationService) -> list[int]:
    service = PartitionService(serialization)
    service.check_and_set_partition_count(PARTITION_COUNT)
    return [service.partition_id_of_data(serialization.to_data(key)) for key in KEYS]


def test_keys_survive_the_json_trip_to_the_official_client() -> None:
    # A key that JSON changes (a tuple, an int turned float) would compare different objects.
    assert len(KEYS) >= 300
    trip = json.loads(json.dumps(KEYS))
    assert [(type(key), repr(key)) for key in trip] == [(type(key), repr(key)) for key in KEYS]
    assert {type(key) for key in KEYS} == {str, int, float, bool, list}


def test_min_hash_key_has_partition_hash_int32_min(serialization: SerializationService) -> None:
    data = serialization.to_data(MIN_HASH_KEY)
    assert INT32_MIN <= MIN_HASH_KEY <= INT32_MAX
    assert len(data) == 12  # header + 4-byte int payload: an Integer, not a Long
    assert mmh3.hash(data[8:], MURMUR_SEED, True) == INT32_MIN
    assert serialization.partition_hash(data) == INT32_MIN


def test_partition_ids_equal_official_except_for_hash_int32_min(
    official_ids: list[int], our_ids: list[int]
) -> None:
    assert len(official_ids) == len(our_ids) == len(KEYS)
    differing = {
        repr(key): (ours, official) for key, ours, official in zip(KEYS, our_ids, official_ids) if ours != official
    }
    # The one documented difference: Java (and we) put hash -2**31 in partition 0, the official client in 245.
    assert differing == {repr(MIN_HASH_KEY): (0, OFFICIAL_MIN_HASH_PARTITION)}
    assert OFFICIAL_MIN_HASH_PARTITION == 245
    # The keys really spread over the table, so agreement is not agreement on a handful of partitions.
    assert len(set(our_ids)) > 150
    assert all(0 <= pid < PARTITION_COUNT for pid in our_ids)


def test_hash_to_index_follows_java_for_int32_min() -> None:
    assert partition_id(INT32_MIN, PARTITION_COUNT) == 0
    assert partition_id(INT32_MIN + 1, PARTITION_COUNT) == INT32_MAX % PARTITION_COUNT
    assert partition_id(INT32_MAX, PARTITION_COUNT) == INT32_MAX % PARTITION_COUNT
    assert partition_id(-1, PARTITION_COUNT) == 1
    assert partition_id(0, PARTITION_COUNT) == 0


def test_wire_protocol_section_8_vectors(serialization: SerializationService) -> None:
    service = PartitionService(serialization)
    service.check_and_set_partition_count(PARTITION_COUNT)
    vectors = (("key-1", 2132451398, 94), (0, 923237662, 11), (True, 535970202, 223))
    for key, expected_hash, expected_partition in vectors:
        data = serialization.to_data(key)
        assert serialization.partition_hash(data) == expected_hash
        assert service.partition_id_of_data(data) == expected_partition


async def test_started_client_and_member_agree_with_offline_partition_ids(
    serialization: SerializationService, our_ids: list[int]
) -> None:
    async with EmbeddedCluster(member_count=1) as cluster:
        client = await asyncio.wait_for(
            HazelcastClient.create_and_start(cluster_members=cluster.addresses, cluster_name="dev"),
            timeout=_CLIENT_TIMEOUT_S,
        )
        try:
            partitions = client.partition_service
            assert partitions.get_partition_count() == PARTITION_COUNT
            client_ids = [await partitions.get_partition_id(key) for key in KEYS]
        finally:
            await asyncio.wait_for(client.shutdown(), timeout=_CLIENT_TIMEOUT_S)
        member_ids = [cluster.partition_id(serialization.to_data(key)) for key in KEYS]
    assert client_ids == our_ids
    assert member_ids == our_ids
    assert client_ids[KEYS.index(MIN_HASH_KEY)] == 0
