"""The Ringbuffer proxy without a cluster: what it sends, where, and what it refuses before sending."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hazelcast.collections import ReadResult, Ringbuffer
from hazelcast.collections._plugin import RINGBUFFER_SERVICE, hazelcast_proxy_types
from hazelcast.config import Config
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.proxy import ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import partition_hash, partition_id

PARTITIONS = 271
_CODECS = [method(f"Ringbuffer.{name}") for name in (
    "size", "tailSequence", "headSequence", "capacity", "remainingCapacity", "add", "addAll", "readOne", "readMany",
)]


class Invocations:
    """Records (message name, decoded request, partition, retryable); answers from ``responses``."""

    def __init__(self, responses: dict[str, Any]) -> None:
        self.responses = responses
        self.sent: list[tuple[str, Any, int, bool]] = []

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False) -> Any:
        (message,) = MessageReader().feed(bytes(request))
        codec = next(c for c in _CODECS if c.request_type == message_type(message))
        self.sent.append((codec.spec.name, codec.decode_request(message), partition_id, retryable))
        answer = self.responses.get(codec.spec.name)
        params = answer if len(codec.response_names) > 1 else (answer,)
        (response,) = MessageReader().feed(bytes(codec.encode_response(*params)))
        future = asyncio.get_running_loop().create_future()
        future.set_result(decoder(response))
        return future


class Partitions:
    def __init__(self, serialization: SerializationService) -> None:
        self._serialization = serialization

    def get_partition_id(self, key: Any) -> int:
        return self.partition_id_of_data(self._serialization.to_data(key))

    def partition_id_of_data(self, data: bytes) -> int:
        return partition_id(partition_hash(data), PARTITIONS)


def make(responses: dict[str, Any] | None = None, name: str = "events") -> tuple[Ringbuffer[Any], Invocations, Any]:
    serialization = SerializationService(Config())
    invocations = Invocations(responses or {})
    context = ProxyContext(
        config=Config(), loop=asyncio.get_running_loop(), serialization_service=serialization,
        invocation_service=invocations, partition_service=Partitions(serialization), cluster_service=None,
        listener_service=None, connection_manager=None, lifecycle_service=None, proxy_manager=None,
        callbacks=None, client=None,
    )  # type: ignore[arg-type]
    return Ringbuffer(RINGBUFFER_SERVICE, name, context), invocations, serialization


def test_plugin_provides_the_ringbuffer_for_get_ringbuffer() -> None:
    (proxy_type,) = [t for t in hazelcast_proxy_types() if t.service_name == RINGBUFFER_SERVICE]
    assert (proxy_type.proxy_class, proxy_type.accessor) == (Ringbuffer, "get_ringbuffer")


def test_the_official_import_path_holds_the_overflow_policies() -> None:
    from hazelcast.proxy.ringbuffer import MAX_BATCH_SIZE, OVERFLOW_POLICY_FAIL, OVERFLOW_POLICY_OVERWRITE
    from hazelcast.proxy.ringbuffer import ReadResult as OfficialPathReadResult

    assert (OVERFLOW_POLICY_OVERWRITE, OVERFLOW_POLICY_FAIL, MAX_BATCH_SIZE) == (0, 1, 1000)
    assert OfficialPathReadResult is ReadResult


async def test_every_request_goes_to_the_partition_of_the_name_or_its_key() -> None:
    rb, invocations, serialization = make({"Ringbuffer.size": 0, "Ringbuffer.add": 0})
    await rb.size()
    await rb.add("x")
    expected = partition_id(partition_hash(serialization.to_data("events")), PARTITIONS)
    assert {sent[2] for sent in invocations.sent} == {expected}
    keyed, keyed_invocations, _ = make({"Ringbuffer.size": 0}, name="events@shard")
    await keyed.size()
    assert keyed_invocations.sent[0][2] == partition_id(partition_hash(serialization.to_data("shard")), PARTITIONS)


async def test_capacity_is_asked_once() -> None:
    rb, invocations, _ = make({"Ringbuffer.capacity": 5})
    assert await rb.capacity() == 5
    assert await rb.capacity() == 5
    assert [sent[0] for sent in invocations.sent] == ["Ringbuffer.capacity"]


async def test_reads_are_retryable_and_writes_are_not() -> None:
    rb, invocations, serialization = make({
        "Ringbuffer.add": 3, "Ringbuffer.addAll": 5, "Ringbuffer.readOne": None, "Ringbuffer.tailSequence": 2,
    })
    assert await rb.add("a", 1) == 3
    assert await rb.add_all(["b", "c"], 1) == 5
    await rb.tail_sequence()
    await rb.read_one(0)
    assert [(name, retryable) for name, _, _, retryable in invocations.sent] == [
        ("Ringbuffer.add", False), ("Ringbuffer.addAll", False), ("Ringbuffer.tailSequence", True),
        ("Ringbuffer.readOne", True),
    ]
    add, add_all = invocations.sent[0][1], invocations.sent[1][1]
    assert (add.overflow_policy, add.value) == (1, serialization.to_data("a"))
    assert add_all.overflow_policy == 1
    assert add_all.value_list == [serialization.to_data("b"), serialization.to_data("c")]


async def test_read_many_sends_its_counts_and_filter_and_deserializes_the_items() -> None:
    serialization = SerializationService(Config())
    items = [serialization.to_data("a"), serialization.to_data("b")]
    rb, invocations, _ = make({"Ringbuffer.capacity": 10, "Ringbuffer.readMany": (3, items, [4, 6], 7)})
    result = await rb.read_many(4, 1, 5, filter="only-some")
    assert result == ReadResult(3, 7, [4, 6], ["a", "b"])
    assert (result.read_count, result.size, result.next_sequence_to_read_from) == (3, 2, 7)
    assert [result.get_sequence(0), result.get_sequence(1)] == [4, 6]
    assert list(result) == ["a", "b"] and result[0:1] == ["a"]
    request = invocations.sent[-1][1]
    assert (request.start_sequence, request.min_count, request.max_count) == (4, 1, 5)
    assert request.filter == serialization.to_data("only-some")


def test_a_result_without_sequences_says_they_are_unavailable() -> None:
    assert ReadResult(1, 1, None, ["x"]).get_sequence(0) == ReadResult.SEQUENCE_UNAVAILABLE


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda rb: rb.add(None), ValueError),
        (lambda rb: rb.add("a", 5), ValueError),
        (lambda rb: rb.add("a", None), TypeError),
        (lambda rb: rb.add_all(None), ValueError),
        (lambda rb: rb.add_all([]), ValueError),
        (lambda rb: rb.add_all([None]), ValueError),
        (lambda rb: rb.add_all(["a"] * 1001), ValueError),
        (lambda rb: rb.read_one(-1), ValueError),
        (lambda rb: rb.read_one(1.5), TypeError),
        (lambda rb: rb.read_many(-1, 0, 1), ValueError),
        (lambda rb: rb.read_many(0, -1, 1), ValueError),
        (lambda rb: rb.read_many(0, 2, 1), AssertionError),
        (lambda rb: rb.read_many(0, 0, 1001), ValueError),
        (lambda rb: rb.read_many(0, 0, 11), ValueError),
        (lambda rb: rb.read_many(0, True, 1), TypeError),
    ],
)
async def test_bad_arguments_are_refused_before_sending(call: Any, error: type[Exception]) -> None:
    rb, invocations, _ = make({"Ringbuffer.capacity": 10})
    with pytest.raises(error):
        await call(rb)
    assert [sent[0] for sent in invocations.sent] in ([], ["Ringbuffer.capacity"])
