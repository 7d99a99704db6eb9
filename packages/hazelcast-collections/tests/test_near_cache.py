"""The near cache without a cluster: reservations, expiry, eviction, and the repair of stale entries from partition
UUIDs and sequences."""

from __future__ import annotations

import time
import uuid

from hazelcast.collections.near_cache import MISS, NearCache, find_near_cache_config
from hazelcast.config import EvictionPolicy, InMemoryFormat, NearCacheConfig


def near_cache(**options) -> NearCache:
    config = NearCacheConfig.from_dict(options)
    # Keys name their partition in their first byte, to keep the tests readable.
    return NearCache("m", config, lambda data: None if data is None else data.decode(), lambda data: data[0])


def cached(cache: NearCache, key: bytes, value: bytes) -> None:
    reservation = cache.reserve(key)
    assert reservation
    cache.publish(key, reservation, value)


def test_a_reserved_read_is_kept_only_if_no_invalidation_came_in_between() -> None:
    cache = near_cache()
    reservation = cache.reserve(b"\x01k")
    assert cache.reserve(b"\x01k") == 0  # one read fills a slot at a time
    assert cache.get(b"\x01k") is MISS
    cache.invalidate(b"\x01k")
    cache.publish(b"\x01k", reservation, b"old")
    assert cache.get(b"\x01k") is MISS
    cached(cache, b"\x01k", b"new")
    assert cache.get(b"\x01k") == "new"
    stats = cache.get_statistics()
    assert (stats["hits"], stats["misses"], stats["owned_entry_count"]) == (1, 2, 1)
    reservation = cache.reserve(b"\x01absent")
    cache.publish(b"\x01absent", reservation, None)  # absent values are not cached
    assert len(cache) == 1
    reservation = cache.reserve(b"\x01failed")
    cache.release(b"\x01failed", reservation)
    assert cache.reserve(b"\x01failed")


def test_a_sequence_gap_marks_older_entries_of_the_partition_stale() -> None:
    cache = near_cache()
    partition_uuid = uuid.uuid4()
    cache.apply_metadata([(1, 10), (2, 4)], [(1, partition_uuid), (2, partition_uuid)])
    cached(cache, b"\x01a", b"a")
    cached(cache, b"\x02b", b"b")
    cache.on_invalidation(b"\x01x", uuid.uuid4(), partition_uuid, 11)  # in order: nothing else is stale
    assert cache.get(b"\x01a") == "a"
    cache.on_invalidation(b"\x01x", uuid.uuid4(), partition_uuid, 14)  # 12 and 13 were missed
    assert cache.get(b"\x01a") is MISS
    assert cache.get(b"\x02b") == "b"  # another partition
    cached(cache, b"\x01a", b"a2")
    assert cache.get(b"\x01a") == "a2"
    cache.on_invalidation(b"\x01x", uuid.uuid4(), partition_uuid, 13)  # late duplicate: ignored
    assert cache.get(b"\x01a") == "a2"


def test_a_new_partition_uuid_or_a_newer_fetched_sequence_marks_entries_stale() -> None:
    cache = near_cache()
    first = uuid.uuid4()
    cache.apply_metadata([(1, 3)], [(1, first)])
    cached(cache, b"\x01a", b"a")
    cache.on_invalidation(b"\x01x", uuid.uuid4(), uuid.uuid4(), 1)  # the partition lost its owner
    assert cache.get(b"\x01a") is MISS
    cached(cache, b"\x01a", b"a")
    partition_uuid = cache._metadata[1].uuid
    cache.apply_metadata([(1, 9)], [(1, partition_uuid)])  # reconciliation: changes nobody told us about
    assert cache.get(b"\x01a") is MISS
    cached(cache, b"\x01a", b"a")
    cache.on_invalidation(None, uuid.uuid4(), uuid.uuid4(), 0)  # clear
    assert len(cache) == 0 and cache.get_statistics()["invalidation_requests"] == 2


def test_time_to_live_and_max_idle_expire_entries() -> None:
    cache = near_cache(time_to_live=0.05)
    cached(cache, b"\x01a", b"a")
    assert cache.get(b"\x01a") == "a"
    time.sleep(0.06)
    assert cache.get(b"\x01a") is MISS and cache.expirations == 1
    idle = near_cache(max_idle=0.05)
    cached(idle, b"\x01a", b"a")
    for _ in range(3):
        time.sleep(0.03)
        assert idle.get(b"\x01a") == "a"
    time.sleep(0.06)
    assert idle.get(b"\x01a") is MISS and idle.expirations == 1


def test_eviction_policies() -> None:
    lru = near_cache(eviction_max_size=3, eviction_policy=EvictionPolicy.LRU, eviction_sampling_count=3)
    for key in (b"\x01a", b"\x01b", b"\x01c"):
        cached(lru, key, key)
        time.sleep(0.001)
    lru.get(b"\x01a")  # a is now the most recently used
    cached(lru, b"\x01d", b"d")
    assert lru.get(b"\x01b") is MISS and lru.get(b"\x01a") == "\x01a" and lru.evictions == 1

    lfu = near_cache(eviction_max_size=2, eviction_policy=EvictionPolicy.LFU)
    cached(lfu, b"\x01a", b"a")
    cached(lfu, b"\x01b", b"b")
    lfu.get(b"\x01a")
    cached(lfu, b"\x01c", b"c")
    assert lfu.get(b"\x01b") is MISS and lfu.get(b"\x01a") == "a"

    none = near_cache(eviction_max_size=1, eviction_policy=EvictionPolicy.NONE)
    cached(none, b"\x01a", b"a")
    assert none.reserve(b"\x01b") == 0 and none.get(b"\x01a") == "a"


def test_object_format_keeps_the_object() -> None:
    cache = near_cache(in_memory_format=InMemoryFormat.OBJECT)
    value = ["shared"]
    cached(cache, b"\x01a", value)
    assert cache.get(b"\x01a") is value


def test_config_lookup_by_exact_name_then_most_specific_wildcard() -> None:
    configs = {name: NearCacheConfig() for name in ("orders", "ord*", "orders-*", "*-eu", "*")}
    assert find_near_cache_config(configs, "orders") is configs["orders"]
    assert find_near_cache_config(configs, "orders-2024") is configs["orders-*"]
    assert find_near_cache_config(configs, "ordinal") is configs["ord*"]
    assert find_near_cache_config(configs, "sales-eu") is configs["*-eu"]
    assert find_near_cache_config(configs, "x") is configs["*"]
    assert find_near_cache_config({"a*b*": NearCacheConfig()}, "ab") is None
