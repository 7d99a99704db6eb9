"""ReliableTopic without a member: the stored message format, the listener runner and the overload policies,
over a scripted stand-in for the ringbuffer."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Callable
from typing import Any

import pytest

from hazelcast.config import Config, TopicOverloadPolicy
from hazelcast.core import Address
from hazelcast.errors import (
    HazelcastClientNotActiveError,
    HazelcastSerializationError,
    IllegalArgumentError,
    OperationTimeoutError,
    TopicOverloadError,
)
from hazelcast.proxy import ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.serialization.api import IdentifiedDataSerializable
from hazelcast.topics import ReliableMessageListener, ReliableTopic, TopicMessage
from hazelcast.topics import reliable_topic as reliable_topic_module
from hazelcast.topics.message import ReliableTopicMessageCodec

_SERVICE = "hz:impl:reliableTopicService"


class JavaShapedMessage(IdentifiedDataSerializable):
    """Java's ReliableTopicMessage written through the serialization service, to check the codec's bytes."""

    def __init__(self, publish_time: int = 0, payload: bytes = b"") -> None:
        self.publish_time = publish_time
        self.payload = payload

    def write_data(self, out: Any) -> None:
        out.write_long(self.publish_time)
        out.write_object(None)
        out.write_byte_array(self.payload)

    def read_data(self, inp: Any) -> None:
        raise NotImplementedError("only written in this test")

    def get_factory_id(self) -> int:
        return -9

    def get_class_id(self) -> int:
        return 2


@pytest.mark.parametrize("big_endian", [True, False], ids=["big-endian", "little-endian"])
def test_stored_messages_have_javas_reliable_topic_message_layout(big_endian: bool) -> None:
    serialization = SerializationService(Config.from_dict({"is_big_endian": big_endian}))
    codec = ReliableTopicMessageCodec(big_endian)
    payload = serialization.to_data("hello")
    encoded = codec.encode(1_700_000_000_123, payload)
    assert encoded == serialization.to_data(JavaShapedMessage(1_700_000_000_123, payload))
    assert codec.decode(encoded) == (1_700_000_000.123, None, payload)


def test_a_message_published_by_a_member_carries_its_address() -> None:
    host = b"10.1.2.3"
    address = struct.pack(">ibii", -2, 1, 0, 1) + struct.pack(">ib", 5701, 4) + struct.pack(">i", len(host)) + host
    data = struct.pack(">ii", 0, -2) + struct.pack(">biiq", 1, -9, 2, 5000) + address + struct.pack(">i", 3) + b"abc"
    codec = ReliableTopicMessageCodec(True)
    publish_time, publisher, payload = codec.decode(data)
    assert (publish_time, publisher, payload) == (5.0, Address("10.1.2.3", 5701), b"abc")
    member = codec.member_of(publisher)
    assert member is not None and member.address == Address("10.1.2.3", 5701)
    assert codec.member_of(None) is None


@pytest.mark.parametrize(
    "data",
    [
        struct.pack(">iibii", 0, -2, 1, -9, 3) + bytes(20),  # another class of the topic factory
        struct.pack(">iibii", 0, -2, 1, -9, 2) + bytes(3),  # truncated
        struct.pack(">iibiiqi", 0, -2, 1, -9, 2, 0, -11) + bytes(8),  # a publisher that is not an address
    ],
)
def test_what_is_not_a_reliable_topic_message_is_refused(data: bytes) -> None:
    with pytest.raises(HazelcastSerializationError):
        ReliableTopicMessageCodec(True).decode(data)


class ScriptedRingbuffer:
    """Answers reads from a script of results and errors, then waits forever; records adds."""

    def __init__(self, codec: ReliableTopicMessageCodec, serialization: SerializationService, tail: int = -1) -> None:
        self._codec = codec
        self._serialization = serialization
        self.tail = tail
        self.head = 0
        self.script: list[Any] = []
        self.reads: list[tuple[int, int, int]] = []
        self.add_results: list[int] = []
        self.added: list[tuple[Any, int]] = []
        self.destroyed = False
        self.read_waiting = asyncio.Event()

    def batch(self, first: int, *messages: Any, read_count: int | None = None) -> None:
        items = [self._codec.encode(1000, self._serialization.to_data(m)) for m in messages]
        count = len(items) if read_count is None else read_count
        self.script.append((count, items, list(range(first, first + len(items))), first + count))

    async def tail_sequence(self) -> int:
        return self.tail

    async def head_sequence(self) -> int:
        return self.head

    async def _read_many_data(self, start: int, min_count: int, max_count: int, filter_data: Any = None) -> Any:
        self.reads.append((start, min_count, max_count))
        if not self.script:
            self.read_waiting.set()
            await asyncio.Event().wait()
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def _add_data(self, data: bytes, overflow_policy: int) -> int:
        self.added.append((data, overflow_policy))
        return self.add_results.pop(0) if self.add_results else 0

    async def _add_all_data(self, data_list: list[bytes], overflow_policy: int) -> int:
        self.added.append((data_list, overflow_policy))
        return self.add_results.pop(0) if self.add_results else 0

    async def destroy(self) -> bool:
        self.destroyed = True
        return True


class Recorder(ReliableMessageListener[Any]):
    def __init__(self, initial: int = -1, tolerant: bool = False, terminal: Any = False) -> None:
        self.initial = initial
        self.tolerant = tolerant
        self.terminal = terminal
        self.calls: list[Any] = []
        self.cancelled = 0

    def on_message(self, message: TopicMessage[Any]) -> None:
        self.calls.append(("message", message.message))
        if message.message == "bad":
            raise RuntimeError("bad message")

    def retrieve_initial_sequence(self) -> int:
        return self.initial

    def store_sequence(self, sequence: int) -> None:
        self.calls.append(("sequence", sequence))

    def is_loss_tolerant(self) -> bool:
        return self.tolerant

    def is_terminal(self, error: Exception) -> bool:
        if isinstance(self.terminal, Exception):
            raise self.terminal
        return self.terminal

    def on_cancel(self) -> None:
        self.cancelled += 1


def _topic(make_context: Callable[..., ProxyContext], config: Config | None = None, tail: int = -1
           ) -> tuple[ReliableTopic[Any], ScriptedRingbuffer]:
    context = make_context(config)
    codec = ReliableTopicMessageCodec(True)
    ringbuffer = ScriptedRingbuffer(codec, context.serialization_service, tail)
    return ReliableTopic(_SERVICE, "rt", context, ringbuffer), ringbuffer  # type: ignore[arg-type]


async def _settle(ringbuffer: ScriptedRingbuffer) -> None:
    await asyncio.wait_for(ringbuffer.read_waiting.wait(), 2)
    ringbuffer.read_waiting.clear()


async def test_a_function_listener_starts_after_the_tail_and_reads_in_batches(
    make_context: Callable[..., ProxyContext],
) -> None:
    config = Config.from_dict({"reliable_topics": {"rt": {"read_batch_size": 4}}})
    topic, ringbuffer = _topic(make_context, config, tail=6)
    ringbuffer.batch(7, "a", "b")
    ringbuffer.batch(9, "c")
    received: list[TopicMessage[Any]] = []
    await topic.add_listener(received.append)
    await _settle(ringbuffer)
    assert [m.message for m in received] == ["a", "b", "c"]
    assert all(m.name == "rt" and m.publish_time == 1.0 and m.member is None for m in received)
    assert ringbuffer.reads == [(7, 1, 4), (9, 1, 4), (10, 1, 4)]


async def test_store_sequence_comes_before_each_message_from_the_initial_sequence(
    make_context: Callable[..., ProxyContext],
) -> None:
    topic, ringbuffer = _topic(make_context, tail=10)
    ringbuffer.batch(2, "x", "y")
    listener = Recorder(initial=2)
    registration = await topic.add_listener(listener)
    await _settle(ringbuffer)
    assert listener.calls == [("sequence", 2), ("message", "x"), ("sequence", 3), ("message", "y")]
    assert ringbuffer.reads[0][0] == 2
    assert await topic.remove_listener(registration)
    assert not await topic.remove_listener(registration)
    assert listener.cancelled == 1


@pytest.mark.parametrize("tolerant", [True, False])
async def test_a_gap_in_the_sequences_is_loss(make_context: Callable[..., ProxyContext], tolerant: bool) -> None:
    topic, ringbuffer = _topic(make_context)
    ringbuffer.batch(5, "late")  # asked for 0, got 5: five messages were overwritten
    listener = Recorder(initial=0, tolerant=tolerant)
    await topic.add_listener(listener)
    if tolerant:
        await _settle(ringbuffer)
        assert listener.calls == [("sequence", 5), ("message", "late")] and listener.cancelled == 0
        assert ringbuffer.reads[-1][0] == 6
    else:
        await asyncio.sleep(0.05)
        assert listener.calls == [] and listener.cancelled == 1
        assert topic._runners == {}


@pytest.mark.parametrize("terminal", [False, True, RuntimeError("is_terminal bug")], ids=["go-on", "stop", "broken"])
async def test_is_terminal_decides_after_a_failing_message(
    make_context: Callable[..., ProxyContext], terminal: Any
) -> None:
    topic, ringbuffer = _topic(make_context)
    ringbuffer.batch(0, "bad", "next")
    listener = Recorder(initial=0, terminal=terminal)
    await topic.add_listener(listener)
    if terminal is False:
        await _settle(ringbuffer)
        assert ("message", "next") in listener.calls and listener.cancelled == 0
    else:
        await asyncio.sleep(0.05)
        assert ("message", "next") not in listener.calls and listener.cancelled == 1


async def test_timeouts_are_retried_and_a_lost_ringbuffer_restarts_a_tolerant_listener_at_its_head(
    make_context: Callable[..., ProxyContext],
) -> None:
    topic, ringbuffer = _topic(make_context)
    ringbuffer.head = 40
    ringbuffer.script.append(OperationTimeoutError("no answer"))
    ringbuffer.script.append(IllegalArgumentError("sequence beyond the tail"))
    ringbuffer.batch(40, "fresh")
    listener = Recorder(initial=100, tolerant=True)
    await topic.add_listener(listener)
    await _settle(ringbuffer)
    assert [start for start, _, _ in ringbuffer.reads] == [100, 100, 40, 41]
    assert listener.calls == [("sequence", 40), ("message", "fresh")]


@pytest.mark.parametrize(
    "error", [IllegalArgumentError("beyond the tail"), HazelcastClientNotActiveError("shut down"), KeyError("bug")]
)
async def test_other_read_errors_cancel_the_listener(
    make_context: Callable[..., ProxyContext], error: Exception
) -> None:
    topic, ringbuffer = _topic(make_context)
    ringbuffer.script.append(error)
    listener = Recorder(initial=0, tolerant=False)
    await topic.add_listener(listener)
    await asyncio.sleep(0.05)
    assert listener.cancelled == 1 and topic._runners == {}


@pytest.mark.parametrize(
    ("policy", "sent_policy"),
    [
        (TopicOverloadPolicy.DISCARD_OLDEST, 0),
        (TopicOverloadPolicy.DISCARD_NEWEST, 1),
        (TopicOverloadPolicy.ERROR, 1),
        (TopicOverloadPolicy.BLOCK, 1),
    ],
)
async def test_each_overload_policy_adds_with_its_overflow_policy(
    make_context: Callable[..., ProxyContext], policy: TopicOverloadPolicy, sent_policy: int
) -> None:
    topic, ringbuffer = _topic(make_context, Config.from_dict({"reliable_topics": {"rt": {"overload_policy": policy}}}))
    await topic.publish("m")
    await topic.publish_all(["a", "b"])
    assert [p for _, p in ringbuffer.added] == [sent_policy, sent_policy]
    data, _ = ringbuffer.added[0]
    assert ReliableTopicMessageCodec(True).decode(data)[2] == topic._to_data("m")


def _policy(policy: str) -> Config:
    return Config.from_dict({"reliable_topics": {"rt": {"overload_policy": policy}}})


async def test_error_policy_raises_and_discard_newest_drops_quietly(make_context: Callable[..., ProxyContext]) -> None:
    failing, ringbuffer = _topic(make_context, _policy("ERROR"))
    ringbuffer.add_results = [-1, -1]
    with pytest.raises(TopicOverloadError):
        await failing.publish("m")
    with pytest.raises(TopicOverloadError):
        await failing.publish_all(["m"])
    dropping, ringbuffer = _topic(make_context, _policy("DISCARD_NEWEST"))
    ringbuffer.add_results = [-1, -1]
    await dropping.publish("m")
    await dropping.publish_all(["m"])
    assert len(ringbuffer.added) == 2


async def test_block_retries_with_a_growing_pause(
    make_context: Callable[..., ProxyContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float) -> None:
        pauses.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(reliable_topic_module.asyncio, "sleep", recording_sleep)
    topic, ringbuffer = _topic(make_context)
    ringbuffer.add_results = [-1] * 7 + [3]
    await topic.publish("m")
    assert pauses == [0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0]
    ringbuffer.add_results = [-1, 5]
    await topic.publish_all(["a"])
    assert len(ringbuffer.added) == 10


async def test_publish_all_sends_batches_of_at_most_a_thousand(make_context: Callable[..., ProxyContext]) -> None:
    topic, ringbuffer = _topic(make_context)
    await topic.publish_all(list(range(2500)))
    assert [len(batch) for batch, _ in ringbuffer.added] == [1000, 1000, 500]
    await topic.publish_all([])
    assert len(ringbuffer.added) == 3


async def test_destroy_cancels_the_listeners_and_destroys_the_ringbuffer(
    make_context: Callable[..., ProxyContext],
) -> None:
    context = make_context()
    destroyed: list[tuple[str, str]] = []

    async def destroy_proxy(service_name: str, name: str) -> bool:
        destroyed.append((service_name, name))
        return True

    context = ProxyContext(**{**{f: getattr(context, f) for f in context.__dataclass_fields__},
                              "proxy_manager": type("PM", (), {"destroy_proxy": staticmethod(destroy_proxy)})()})
    ringbuffer = ScriptedRingbuffer(ReliableTopicMessageCodec(True), context.serialization_service)
    topic: ReliableTopic[Any] = ReliableTopic(_SERVICE, "rt", context, ringbuffer)  # type: ignore[arg-type]
    listeners = [Recorder(), Recorder()]
    for listener in listeners:
        await topic.add_listener(listener)
    assert await topic.destroy()
    assert [listener.cancelled for listener in listeners] == [1, 1]
    assert destroyed == [(_SERVICE, "rt")] and ringbuffer.destroyed


def test_a_proxy_made_by_the_plugin_uses_the_hz_rb_ringbuffer(make_context: Callable[..., Any]) -> None:
    async def build() -> Any:
        return ReliableTopic(_SERVICE, "orders", make_context())

    topic = asyncio.run(build())
    assert topic._ringbuffer.name == "_hz_rb_orders"
    assert topic._ringbuffer.service_name == "hz:impl:ringbufferService"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda t: t.publish(None), ValueError),
        (lambda t: t.publish_all(None), ValueError),
        (lambda t: t.publish_all([None]), ValueError),
        (lambda t: t.add_listener(None), ValueError),
        (lambda t: t.add_listener("not a listener"), TypeError),
        (lambda t: t.remove_listener(None), ValueError),
    ],
)
async def test_bad_arguments_are_refused(make_context: Callable[..., ProxyContext], call: Any, error: type) -> None:
    topic, ringbuffer = _topic(make_context)
    with pytest.raises(error):
        await call(topic)
    assert ringbuffer.added == [] and ringbuffer.reads == []
