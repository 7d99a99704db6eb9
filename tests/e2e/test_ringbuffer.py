"""Ringbuffer end to end: every method and parameter against 1 and 3 embedded members."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.embedded.ringbuffer.waiting import Waiters
from hazelcast.errors import DistributedObjectDestroyedError, IllegalArgumentError, StaleSequenceError
from hazelcast.proxy.ringbuffer import (
    MAX_BATCH_SIZE,
    OVERFLOW_POLICY_FAIL,
    OVERFLOW_POLICY_OVERWRITE,
    ReadResult,
)
from hazelcast.serialization.api import IdentifiedDataSerializable

from .conftest import running_client, wait_until

_FILTER_FACTORY_ID = 77
_PREFIX_FILTER_CLASS_ID = 1

_CONFIG = {
    "ringbuffer": {
        "small-*": {"capacity": 3},
        "ttl-*": {"capacity": 3, "time-to-live-seconds": 1},
        "long-ttl-*": {"capacity": 3, "time-to-live-seconds": 600},
    }
}


class PrefixFilter(IdentifiedDataSerializable):
    """A ringbuffer filter: keeps the strings starting with ``prefix`` (the member calls ``test(item)``)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    def write_data(self, out: Any) -> None:
        out.write_string(self.prefix)

    def read_data(self, inp: Any) -> None:
        self.prefix = inp.read_string()

    def get_factory_id(self) -> int:
        return _FILTER_FACTORY_ID

    def get_class_id(self) -> int:
        return _PREFIX_FILTER_CLASS_ID

    def test(self, item: Any) -> bool:
        return isinstance(item, str) and item.startswith(self.prefix)


class _FilterPlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(_FILTER_FACTORY_ID, _PREFIX_FILTER_CLASS_ID, PrefixFilter),)


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=request.param, config=_CONFIG, plugins=[_FilterPlugin()]) as running:
        yield running


@pytest.fixture
async def client(cluster: EmbeddedCluster) -> AsyncIterator[HazelcastClient]:
    async with running_client(cluster) as running:
        yield running


async def test_a_new_ringbuffer_is_empty_with_its_configured_capacity(client: HazelcastClient) -> None:
    default = await client.get_ringbuffer("plain")
    assert await default.capacity() == 10_000
    assert await default.size() == 0
    assert await default.tail_sequence() == -1
    assert await default.head_sequence() == 0
    assert await default.remaining_capacity() == 10_000
    small = await client.get_ringbuffer("small-1")
    assert await small.capacity() == 3


async def test_add_returns_growing_sequences_and_read_one_reads_them(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    assert await rb.add("a") == 0
    assert await rb.add([1, 2]) == 1
    assert await rb.size() == 2
    assert await rb.tail_sequence() == 1
    assert await rb.head_sequence() == 0
    assert await rb.read_one(0) == "a"
    assert await rb.read_one(1) == [1, 2]
    # Reads are not destructive.
    assert await rb.read_one(0) == "a"


async def test_overwrite_policy_drops_the_oldest_and_stale_reads_fail(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("small-overwrite")
    for item in "abcd":
        await rb.add(item, OVERFLOW_POLICY_OVERWRITE)
    assert (await rb.head_sequence(), await rb.tail_sequence(), await rb.size()) == (1, 3, 3)
    # Without a time to live nothing ever counts as full: the FAIL policy overwrites as well, as on a Java member.
    assert await rb.remaining_capacity() == 3
    assert await rb.add("e", OVERFLOW_POLICY_FAIL) == 4
    with pytest.raises(StaleSequenceError):
        await rb.read_one(0)
    assert await rb.read_one(2) == "c"


async def test_fail_policy_refuses_to_overwrite_items_within_their_time_to_live(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("long-ttl-fail")
    assert await rb.add_all(["a", "b"]) == 1
    assert await rb.remaining_capacity() == 1
    assert await rb.add_all(["c", "d"], OVERFLOW_POLICY_FAIL) == -1  # all or nothing
    assert await rb.size() == 2
    assert await rb.add("c", OVERFLOW_POLICY_FAIL) == 2
    assert await rb.remaining_capacity() == 0
    assert await rb.add("d", OVERFLOW_POLICY_FAIL) == -1
    assert (await rb.head_sequence(), await rb.tail_sequence()) == (0, 2)
    assert await rb.add("d", OVERFLOW_POLICY_OVERWRITE) == 3
    assert (await rb.head_sequence(), await rb.tail_sequence()) == (1, 3)


async def test_add_all_adds_in_order_and_returns_the_last_sequence(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    assert await rb.add_all(["a", "b", "c"]) == 2
    assert await rb.add_all(("d",), OVERFLOW_POLICY_FAIL) == 3
    result = await rb.read_many(0, 4, 4)
    assert list(result) == ["a", "b", "c", "d"]
    small = await client.get_ringbuffer("small-all")
    assert await small.add_all(list(range(5)), OVERFLOW_POLICY_OVERWRITE) == 4
    assert list(await small.read_many(0, 0, 3)) == [2, 3, 4]


async def test_read_one_of_the_next_sequence_waits_on_the_member(
    cluster: EmbeddedCluster, client: HazelcastClient
) -> None:
    rb = await client.get_ringbuffer("plain")
    await rb.add("first")
    reader = asyncio.ensure_future(rb.read_one(1))
    await wait_until(lambda: Waiters.of(cluster).count("plain") == 1, what="the read parked on the member")
    assert not reader.done()
    await rb.add("second")
    assert await asyncio.wait_for(reader, 5) == "second"
    assert Waiters.of(cluster).count("plain") == 0


async def test_read_one_beyond_the_next_sequence_is_an_illegal_argument(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    with pytest.raises(IllegalArgumentError):
        await rb.read_one(1)


async def test_read_many_reads_between_min_and_max_items(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    await rb.add_all(["a", "b", "c", "d"])
    result = await rb.read_many(1, 1, 2)
    assert isinstance(result, ReadResult)
    assert list(result) == ["b", "c"]
    assert result.read_count == 2 and result.size == 2 and len(result) == 2
    assert [result.get_sequence(0), result.get_sequence(1)] == [1, 2]
    assert result.next_sequence_to_read_from == 3
    assert result[1] == "c"
    assert list(await rb.read_many(3, 0, 10)) == ["d"]
    empty = await rb.read_many(4, 0, 10)
    assert (empty.size, empty.read_count, empty.next_sequence_to_read_from) == (0, 0, 4)


async def test_read_many_waits_until_min_count_items_arrived(cluster: EmbeddedCluster, client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    reader = asyncio.ensure_future(rb.read_many(0, 3, 10))
    await wait_until(lambda: Waiters.of(cluster).count("plain") == 1, what="the read parked on the member")
    await rb.add("a")
    await rb.add("b")
    await asyncio.sleep(0.05)
    assert not reader.done()
    await rb.add_all(["c", "d"])
    result = await asyncio.wait_for(reader, 5)
    assert list(result) == ["a", "b", "c", "d"]
    assert result.next_sequence_to_read_from == 4


async def test_read_many_clamps_the_start_to_the_stored_items(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("small-clamp")
    await rb.add_all(["a", "b", "c", "d", "e"])  # head 2, tail 4
    behind = await rb.read_many(0, 1, 3)
    assert list(behind) == ["c", "d", "e"]
    # The gap shows in the sequences: the read started at the head, not at 0.
    assert behind.next_sequence_to_read_from - behind.read_count == 2
    ahead = asyncio.ensure_future(rb.read_many(100, 1, 3))
    await asyncio.sleep(0.05)
    assert not ahead.done()
    await rb.add("f")
    result = await asyncio.wait_for(ahead, 5)
    assert list(result) == ["f"] and result.get_sequence(0) == 5


async def test_read_many_filter_runs_on_the_member(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    await rb.add_all(["apple", "banana", "avocado", "cherry"])
    result = await rb.read_many(0, 1, 10, PrefixFilter("a"))
    assert list(result) == ["apple", "avocado"]
    assert result.read_count == 4
    assert [result.get_sequence(0), result.get_sequence(1)] == [0, 2]
    assert result.next_sequence_to_read_from == 4


async def test_a_filtered_read_waits_for_enough_matching_items(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    reader = asyncio.ensure_future(rb.read_many(0, 2, 10, PrefixFilter("x")))
    await rb.add_all(["xa", "b", "c"])
    await asyncio.sleep(0.05)
    assert not reader.done()
    await rb.add("xd")
    result = await asyncio.wait_for(reader, 5)
    assert list(result) == ["xa", "xd"] and result.read_count == 4


async def test_items_expire_after_their_time_to_live(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("ttl-expiring")
    await rb.add_all(["a", "b"])
    assert await rb.remaining_capacity() == 1
    await wait_until(lambda: _is_empty(rb), timeout=5, what="items expired")
    assert (await rb.head_sequence(), await rb.tail_sequence()) == (2, 1)
    assert await rb.remaining_capacity() == 3
    with pytest.raises(StaleSequenceError):
        await rb.read_one(0)


async def _is_empty(rb: Any) -> bool:
    return await rb.size() == 0


async def test_destroy_drops_the_items_and_fails_waiting_reads(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("plain")
    await rb.add("a")
    reader = asyncio.ensure_future(rb.read_one(1))
    await asyncio.sleep(0.05)
    assert await rb.destroy()
    with pytest.raises(DistributedObjectDestroyedError):
        await asyncio.wait_for(reader, 5)
    again = await client.get_ringbuffer("plain")
    assert await again.size() == 0 and await again.tail_sequence() == -1


async def test_bad_arguments_are_refused_before_sending(client: HazelcastClient) -> None:
    rb = await client.get_ringbuffer("small-bad")
    with pytest.raises(ValueError):
        await rb.add(None)
    with pytest.raises(ValueError):
        await rb.add("a", 2)
    with pytest.raises(TypeError):
        await rb.add("a", "FAIL")
    with pytest.raises(ValueError):
        await rb.add_all(None)
    with pytest.raises(ValueError):
        await rb.add_all([])
    with pytest.raises(ValueError):
        await rb.add_all(["a", None])
    with pytest.raises(ValueError):
        await rb.add_all(["a"] * (MAX_BATCH_SIZE + 1))
    with pytest.raises(ValueError):
        await rb.read_one(-1)
    with pytest.raises(TypeError):
        await rb.read_one("0")
    with pytest.raises(ValueError):
        await rb.read_many(-1, 0, 1)
    with pytest.raises(ValueError):
        await rb.read_many(0, -1, 1)
    # As the official client, which raises AssertionError for these: ours is both a ValueError and an AssertionError.
    with pytest.raises(AssertionError):
        await rb.read_many(0, 2, 1)
    with pytest.raises(ValueError):
        await rb.read_many(0, 0, MAX_BATCH_SIZE + 1)
    with pytest.raises(ValueError):
        await rb.read_many(0, 0, 4)  # beyond the capacity of 3
    assert await rb.size() == 0


async def test_a_killed_owner_loses_no_items_and_waiting_reads_are_answered() -> None:
    async with EmbeddedCluster(member_count=3) as cluster, running_client(cluster) as client:
        rb = await client.get_ringbuffer("survivor")
        await rb.add_all([f"item-{i}" for i in range(10)])
        reader = asyncio.ensure_future(rb.read_one(10))
        await wait_until(lambda: Waiters.of(cluster).count("survivor") == 1, what="the read parked on the member")
        owner = cluster.owner_of(cluster.name_partition_id("survivor"))
        await cluster.kill_member(owner)
        assert await rb.size() == 10
        assert list(await rb.read_many(0, 10, 10)) == [f"item-{i}" for i in range(10)]
        await rb.add("item-10")
        assert await asyncio.wait_for(reader, 10) == "item-10"
