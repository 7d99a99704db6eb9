"""The client's Compact schema service against a scripted cluster: holding requests, fetching, events, restarts."""

from __future__ import annotations

import asyncio
import struct
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast._internal.compact import CompactSchemaService
from hazelcast.config import Config
from hazelcast.errors import HazelcastClientNotActiveError, HazelcastSerializationError, IllegalStateError
from hazelcast.protocol import method, method_by_type
from hazelcast.protocol.frames import Message, MessageReader
from hazelcast.serialization import SerializationService
from hazelcast.serialization.compact import GenericRecordBuilder, Schema

_MAP_PUT = method("Map.put")


def wire(request: bytearray) -> Message:
    (message,) = MessageReader().feed(bytes(request))
    return message


class ScriptedCluster:
    """Answers the schema messages the way a member does; counts what it was sent."""

    def __init__(self, member_count: int = 1) -> None:
        self.schemas: dict[int, Schema] = {}
        self.members = [SimpleNamespace(uuid=uuid.uuid4()) for _ in range(member_count)]
        self.sent: list[str] = []
        #: How many members a sendSchema reaches, per attempt (the rest of the attempts reach all).
        self.partial_replies: list[int] = []
        self.gate: asyncio.Event | None = None
        self.error: Exception | None = None

    def get_members(self) -> list[Any]:
        return list(self.members)

    async def answer(self, request: bytearray, decoder: Callable[[Message], Any] | None) -> Any:
        message = wire(request)
        codec = method_by_type(struct.unpack_from("<i", message[0][1], 0)[0])
        assert codec is not None
        name = codec.spec.name
        self.sent.append(name)
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        params = codec.decode_request(message)
        if name == "Client.sendSchema":
            self.schemas[params.schema_id] = params
            reached = self.partial_replies.pop(0) if self.partial_replies else len(self.members)
            response = codec.encode_response([m.uuid for m in self.members[:reached]])
        elif name == "Client.sendAllSchemas":
            self.schemas.update((schema.schema_id, schema) for schema in params)
            response = codec.encode_response()
        elif name == "Client.fetchSchema":
            response = codec.encode_response(self.schemas.get(params))
        else:
            raise AssertionError(f"unexpected {name}")
        return decoder(wire(response)) if decoder is not None else None


class ScriptedInvocations:
    """The part of the InvocationService the schema service uses."""

    def __init__(self, cluster: ScriptedCluster) -> None:
        self.cluster = cluster
        self.handled: list[Message] = []
        self.failed: list[BaseException] = []

    def invoke(self, request: bytearray, decoder: Any = None, urgent: bool = False, retryable: bool = False) -> Any:
        assert retryable
        return asyncio.ensure_future(self.cluster.answer(request, decoder))

    def handle_response(self, message: Message) -> None:
        self.handled.append(message)

    def fail(self, invocation: Any, error: BaseException) -> None:
        self.failed.append(error)
        invocation.set_exception(error)


Harness = tuple[CompactSchemaService, SerializationService, ScriptedCluster, ScriptedInvocations]


def harness(member_count: int = 1) -> Harness:
    config = Config()
    config.invocation_retry_pause = 0.01
    serialization = SerializationService(config)
    cluster = ScriptedCluster(member_count)
    invocations = ScriptedInvocations(cluster)
    service = CompactSchemaService(
        serialization, invocations, cluster, config, asyncio.get_running_loop()  # type: ignore[arg-type]
    )
    return service, serialization, cluster, invocations


def pending_call(request: bytearray, timeout: float = 5.0) -> Any:
    """A stand-in for an Invocation: a future with a deadline and its request."""
    loop = asyncio.get_running_loop()
    future: Any = loop.create_future()
    future.request = request
    future.deadline = loop.time() + timeout
    return future


def record(name: str = "Point", x: int = 1) -> Any:
    return GenericRecordBuilder.compact(name).set_int32("x", x).build()


def put_request(data: bytes) -> bytearray:
    return _MAP_PUT.encode_request("map", b"\x00" * 12, data, 0, -1)


def response_with(*frames: bytes) -> Message:
    return [(0, struct.pack("<iqB", 0, 77, 0)), *((0, frame) for frame in frames)]


async def test_a_request_waits_for_the_schemas_it_carries_and_shares_one_send() -> None:
    service, serialization, cluster, _ = harness()
    data = serialization.to_data(record())
    started: list[Any] = []
    calls = [pending_call(put_request(data)) for _ in range(5)]
    assert all(service.hold(call, started.append) for call in calls)
    assert started == []
    await asyncio.sleep(0.05)
    assert started == calls
    assert cluster.sent == ["Client.sendSchema"]
    assert serialization.unreplicated_schemas == {}
    assert set(cluster.schemas) == set(serialization.compact_stream_serializer.schemas)


async def test_requests_without_pending_schemas_are_not_held() -> None:
    service, serialization, cluster, _ = harness()
    serialization.to_data(record())
    unrelated = pending_call(put_request(serialization.to_data("plain")))
    assert not service.hold(unrelated, lambda call: None)
    assert cluster.sent == []


async def test_replication_is_repeated_until_every_member_has_the_schema() -> None:
    service, serialization, cluster, _ = harness(member_count=3)
    cluster.partial_replies = [1, 2]
    started: list[Any] = []
    service.hold(pending_call(put_request(serialization.to_data(record()))), started.append)
    await asyncio.sleep(0.2)
    assert cluster.sent == ["Client.sendSchema"] * 3
    assert len(started) == 1


async def test_a_schema_that_cannot_be_replicated_fails_its_requests_and_is_tried_again_later() -> None:
    service, serialization, cluster, invocations = harness()
    cluster.error = IllegalStateError("refused")
    call = pending_call(put_request(serialization.to_data(record())))
    service.hold(call, lambda c: None)
    with pytest.raises(IllegalStateError, match="refused"):
        await call
    assert serialization.unreplicated_schemas == {}
    assert serialization.compact_stream_serializer.schemas == {}
    cluster.error = None
    started: list[Any] = []
    service.hold(pending_call(put_request(serialization.to_data(record()))), started.append)
    await asyncio.sleep(0.05)
    assert len(started) == 1 and len(cluster.schemas) == 1


async def test_a_held_request_fails_at_its_deadline() -> None:
    service, serialization, cluster, invocations = harness()
    cluster.gate = asyncio.Event()
    call = pending_call(put_request(serialization.to_data(record())), timeout=0.05)
    service.hold(call, lambda c: None)
    with pytest.raises(Exception, match="deadline"):
        await call
    cluster.gate.set()
    service.close()


async def test_unknown_schemas_of_a_response_are_fetched_first() -> None:
    writer, writer_serialization, cluster, _ = harness()
    nested = GenericRecordBuilder.compact("Outer").set_generic_record("inner", record("Inner")).build()
    data = writer_serialization.to_data(nested)
    cluster.schemas.update(writer_serialization.compact_stream_serializer.schemas)

    reader, reader_serialization, _, invocations = harness()
    invocations.cluster = cluster  # the reader talks to the cluster the writer filled
    message = response_with(data)
    call = pending_call(bytearray())
    assert reader.fetch_then_handle(call, message)
    await asyncio.sleep(0.05)
    # The outer schema first; its nested one is found only when the response is looked at again.
    assert invocations.handled == [message]
    assert reader.fetch_then_handle(call, message)
    await asyncio.sleep(0.05)
    assert not reader.fetch_then_handle(call, message)
    assert cluster.sent == ["Client.fetchSchema", "Client.fetchSchema"]
    value = reader_serialization.to_object(data)
    assert value.get_generic_record("inner").get_int32("x") == 1


async def test_frames_that_only_look_like_compact_data_are_harmless() -> None:
    service, _, cluster, _ = harness()
    lookalikes = [
        b"\x00\x00\x00\x00\xff\xff\xff\xc9",  # too short to hold a schema id
        b"text\xff\xff\xff\xc9" + b"\x01" * 8,  # a string frame; its "schema id" is unknown
    ]
    assert service.unknown_schema_ids(response_with(lookalikes[0])) == set()
    call = pending_call(bytearray())
    assert service.fetch_then_handle(call, response_with(lookalikes[1]))
    await asyncio.sleep(0.05)
    # The cluster does not know it: the response is handed back and the id is not asked for again.
    assert not service.fetch_then_handle(call, response_with(lookalikes[1]))
    assert cluster.sent == ["Client.fetchSchema"]
    # The initial frame is never taken for data, whatever its bytes.
    assert service.unknown_schema_ids([(0, b"\x00\x00\x00\x00\xff\xff\xff\xc9" + b"\x02" * 8)]) == set()


async def test_a_failed_fetch_fails_the_response() -> None:
    service, _, cluster, invocations = harness()
    cluster.error = HazelcastSerializationError("fetch broke")
    call = pending_call(bytearray())
    assert service.fetch_then_handle(call, response_with(b"\x00\x00\x00\x00\xff\xff\xff\xc9" + b"\x05" * 8))
    with pytest.raises(HazelcastSerializationError, match="fetch broke"):
        await call
    assert invocations.handled == []


async def test_events_wait_for_their_schemas() -> None:
    writer, writer_serialization, cluster, _ = harness()
    data = writer_serialization.to_data(record())
    cluster.schemas.update(writer_serialization.compact_stream_serializer.schemas)
    reader, reader_serialization, _, invocations = harness()
    invocations.cluster = cluster
    seen: list[Any] = []
    guarded = reader.guard_event_handler(lambda message: seen.append(reader_serialization.to_object(message[1][1])))
    guarded(response_with(data))
    assert seen == []
    await asyncio.sleep(0.05)
    assert [value.get_int32("x") for value in seen] == [1]
    guarded(response_with(data))  # known now: handled at once
    assert len(seen) == 2


async def test_after_a_cluster_restart_all_schemas_go_in_one_message_before_any_request() -> None:
    service, serialization, cluster, _ = harness()
    serialization.to_data(record("A"))
    serialization.to_data(record("B"))
    serialization.unreplicated_schemas.clear()  # as if replicated before the restart
    cluster.gate = asyncio.Event()
    service.cluster_restarted()
    started: list[Any] = []
    unrelated = pending_call(put_request(serialization.to_data("plain")))
    assert service.hold(unrelated, started.append)
    await asyncio.sleep(0.02)
    assert started == []
    cluster.gate.set()
    await asyncio.sleep(0.02)
    assert started == [unrelated]
    assert cluster.sent == ["Client.sendAllSchemas"]
    assert len(cluster.schemas) == 2 and serialization.unreplicated_schemas == {}


async def test_own_requests_are_never_held() -> None:
    service, serialization, cluster, _ = harness()
    serialization.to_data(record())
    cluster.gate = asyncio.Event()
    service.cluster_restarted()
    await asyncio.sleep(0.01)
    (own,) = service._own
    assert not service.hold(own, lambda call: None)
    cluster.gate.set()
    await asyncio.sleep(0.02)


async def test_closing_fails_the_requests_it_holds() -> None:
    service, serialization, cluster, _ = harness()
    cluster.gate = asyncio.Event()
    call = pending_call(put_request(serialization.to_data(record())))
    service.hold(call, lambda c: None)
    await asyncio.sleep(0.01)
    service.close()
    with pytest.raises(HazelcastClientNotActiveError):
        await call
