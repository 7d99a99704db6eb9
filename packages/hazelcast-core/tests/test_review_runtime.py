"""Client runtime fixes from a review: framing cost, malformed messages, the in-flight bound, listeners, shutdown."""

from __future__ import annotations

import asyncio
import struct
import time
import uuid
from types import SimpleNamespace
from typing import Any, cast

import pytest

from hazelcast._internal.connection import Connection
from hazelcast._internal.invocation import InvocationService
from hazelcast._internal.listener import ListenerService
from hazelcast.config import Config
from hazelcast.core import Address
from hazelcast.errors import ClientOfflineError, OperationTimeoutError, TargetDisconnectedError
from hazelcast.protocol import method
from hazelcast.protocol.frames import IS_FINAL, UNFRAGMENTED, MessageReader, encode_message

_SIZE = method("Map.size")


# -- framing -------------------------------------------------------------------------------------------------------


def test_a_large_frame_arriving_in_small_reads_costs_linear_time() -> None:
    # 16 MiB in 2 KiB reads: copying everything received so far at every read moves ~64 GB and takes seconds.
    payload = bytes(range(256)) * (64 * 1024)
    wire = bytes(encode_message([(UNFRAGMENTED, b"\0" * 13), (0, payload)]))
    reader = MessageReader()
    messages = []
    started = time.perf_counter()
    for offset in range(0, len(wire), 2048):
        messages += reader.feed(wire[offset : offset + 2048])
    elapsed = time.perf_counter() - started
    assert len(messages) == 1
    assert messages[0][1] == (IS_FINAL, payload)
    assert reader.pending_bytes == 0
    assert elapsed < 1.0, f"reassembling a 16 MiB frame took {elapsed:.2f}s"


def test_partial_frames_are_counted_as_pending_until_complete() -> None:
    wire = bytes(encode_message([(UNFRAGMENTED, b"\0" * 13), (0, b"x" * 100)]))
    reader = MessageReader()
    assert reader.feed(wire[:3]) == []
    assert reader.pending_bytes == 3
    assert reader.feed(wire[3:40]) == []
    # The 19-byte initial frame is complete; what is pending is the start of the second frame.
    assert reader.pending_bytes == 40 - 19
    assert reader.feed(wire[40:50]) == []
    assert reader.pending_bytes == 50 - 19
    (message,) = reader.feed(wire[50:])
    assert message[1] == (IS_FINAL, b"x" * 100)
    assert reader.pending_bytes == 0


# -- test doubles --------------------------------------------------------------------------------------------------


class _Wire:
    """Stands for a live connection: records the requests written to it."""

    def __init__(self) -> None:
        self.live = True
        self.event_handlers: dict[int, Any] = {}
        self.written: list[bytes] = []

    def write(self, buffer: bytes | bytearray) -> None:
        self.written.append(bytes(buffer))


def _invocation_service(loop: asyncio.AbstractEventLoop, **options: Any) -> tuple[InvocationService, dict[Any, Any]]:
    service = InvocationService(Config.from_dict(options), loop)
    connections: dict[Any, Any] = {}
    service.bind(cast(Any, SimpleNamespace(connections=connections)), cast(Any, SimpleNamespace(owners=[])))
    return service, connections


def _correlation_id(request: bytes) -> int:
    return struct.unpack_from("<q", request, 10)[0]


# -- inbound messages ----------------------------------------------------------------------------------------------


async def test_a_message_too_short_for_its_header_closes_the_connection_not_the_event_loop() -> None:
    loop = asyncio.get_running_loop()
    service, _ = _invocation_service(loop)
    manager = SimpleNamespace(loop=loop, invocation_service=service)
    connection = Connection(cast(Any, manager), Address("127.0.0.1", 5701), 1)
    connection.live = True
    # A response whose initial frame holds 2 bytes: no room for the correlation id.
    connection.data_received(bytes(encode_message([(UNFRAGMENTED, b"\x01\x00")])))
    assert connection.close_reason is not None and "malformed message" in connection.close_reason
    assert not connection.live


# -- the in-flight bound -------------------------------------------------------------------------------------------


async def test_a_call_waiting_for_an_in_flight_place_times_out_at_its_deadline_and_is_never_sent() -> None:
    loop = asyncio.get_running_loop()
    service, connections = _invocation_service(loop, max_concurrent_invocations=1)
    wire = connections[uuid.uuid4()] = _Wire()
    first = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response, timeout=5)
    queued = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response, timeout=0.2)
    assert len(wire.written) == 1
    with pytest.raises(OperationTimeoutError):
        await asyncio.wait_for(queued, 2)
    assert service.in_flight == 1
    # The first call's response frees the place: the expired call must not go out then.
    response = _SIZE.encode_response(3)
    struct.pack_into("<q", response, 10, _correlation_id(wire.written[0]))
    (message,) = MessageReader().feed(bytes(response))
    service.handle_response(message)
    assert await first == 3
    assert len(wire.written) == 1
    assert service.in_flight == 0


def _answer(service: InvocationService, request: bytes, response: bytearray, backup_acks: int = 0) -> None:
    struct.pack_into("<q", response, 10, _correlation_id(request))
    response[18] = backup_acks
    (message,) = MessageReader().feed(bytes(response))
    service.handle_response(message)


async def test_a_cancelled_call_kept_for_its_late_answer_gives_the_answer_over_and_then_frees_its_place() -> None:
    loop = asyncio.get_running_loop()
    service, connections = _invocation_service(loop)
    wire = connections[uuid.uuid4()] = _Wire()
    late: list[int] = []
    kept = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response, on_late_result=late.append)
    dropped = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response)
    kept.cancel()
    dropped.cancel()
    assert service.in_flight == 1 and service.pending_count == 1, "only the kept call still waits"
    _answer(service, wire.written[1], _SIZE.encode_response(9))
    _answer(service, wire.written[0], _SIZE.encode_response(7))
    assert late == [7]
    assert service.in_flight == 0 and service.pending_count == 0


async def test_a_kept_call_answered_with_backups_pending_gets_its_answer_with_the_last_backup_ack() -> None:
    loop = asyncio.get_running_loop()
    service, connections = _invocation_service(loop)
    wire = connections[uuid.uuid4()] = _Wire()
    late: list[int] = []
    kept = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response, on_late_result=late.append)
    kept.cancel()
    _answer(service, wire.written[0], _SIZE.encode_response(4), backup_acks=1)
    assert late == [] and service.in_flight == 1
    service.handle_backup_ack(_correlation_id(wire.written[0]))
    assert late == [4] and service.in_flight == 0


async def test_a_kept_call_answered_with_an_error_frees_its_place_and_gives_nothing() -> None:
    loop = asyncio.get_running_loop()
    service, connections = _invocation_service(loop)
    member = uuid.uuid4()
    wire = connections[member] = _Wire()
    late: list[int] = []
    kept = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response, on_late_result=late.append)
    kept.cancel()
    del connections[member]
    service.connection_closed(cast(Any, wire), TargetDisconnectedError("closed"))
    assert late == [] and service.in_flight == 0 and service.pending_count == 0


async def test_an_unanswered_call_fails_at_its_deadline_and_the_deadline_sweep_then_stops() -> None:
    loop = asyncio.get_running_loop()
    service, connections = _invocation_service(loop)
    connections[uuid.uuid4()] = _Wire()
    started = loop.time()
    unanswered = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response, timeout=0.15)
    with pytest.raises(OperationTimeoutError):
        await asyncio.wait_for(unanswered, 2)
    assert 0.15 <= loop.time() - started < 0.6
    assert service.in_flight == 0 and service.pending_count == 0
    await asyncio.sleep(0.25)
    assert service._sweep is None, "no timer is left running once nothing is in flight"


async def test_a_long_queue_of_waiting_calls_fails_without_recursing_when_the_client_is_offline() -> None:
    loop = asyncio.get_running_loop()
    service, connections = _invocation_service(loop, max_concurrent_invocations=1, reconnect_mode="ASYNC")
    member = uuid.uuid4()
    wire = connections[member] = _Wire()
    first = service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response)
    waiting = [service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response) for _ in range(3000)]
    # The only connection closes: the sent call fails, every waiting one finds no connection and fails at once.
    del connections[member]
    service.connection_closed(cast(Any, wire), TargetDisconnectedError("closed"))
    with pytest.raises(TargetDisconnectedError):
        await first
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(r, ClientOfflineError) for r in results)
    assert service.in_flight == 0
    assert len(wire.written) == 1


# -- listener registrations ----------------------------------------------------------------------------------------


async def _settle() -> None:
    """Let the tasks just started run up to their first real wait."""
    for _ in range(5):
        await asyncio.sleep(0)


class _HeldInvocations:
    """Answers nothing by itself: each request's future waits in ``answers`` for the test to resolve it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.answers: list[asyncio.Future[Any]] = []

    def invoke(self, request: bytearray, decoder: Any = None, connection: Any = None, event_handler: Any = None,
               urgent: bool = False) -> asyncio.Future[Any]:
        future = self._loop.create_future()
        self.answers.append(future)
        if event_handler is not None:
            connection.event_handlers[len(self.answers)] = event_handler
        return future


async def test_a_unisocket_listener_answered_as_its_connection_closes_moves_to_the_next_connection() -> None:
    loop = asyncio.get_running_loop()
    invocations = _HeldInvocations(loop)
    first = _Wire()
    connections: dict[Any, Any] = {uuid.uuid4(): first}
    manager = SimpleNamespace(connections=connections, check_offline=lambda: None)
    service = ListenerService(loop, cast(Any, invocations), cast(Any, manager), smart=False)
    registering = asyncio.ensure_future(
        service.register(lambda local_only: bytearray(22), lambda m: m, lambda server_id: bytearray(22), lambda m: None)
    )
    await _settle()
    assert len(invocations.answers) == 1
    # The answer arrives and, before the registering code runs again, the connection closes.
    invocations.answers[0].set_result("server-registration-id")
    first.live = False
    connections.clear()
    service.connection_removed(cast(Any, first))
    await registering
    assert first.event_handlers == {}
    second = _Wire()
    connections[uuid.uuid4()] = second
    service.connection_added(cast(Any, second))
    await _settle()
    assert len(invocations.answers) == 2, "the listener was not registered on the new connection"
    assert len(second.event_handlers) == 1


# -- writing -------------------------------------------------------------------------------------------------------


class _RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))


async def test_requests_of_callers_woken_by_a_read_go_out_in_one_write_in_the_turn_they_run() -> None:
    loop = asyncio.get_running_loop()
    service, connections = _invocation_service(loop)
    manager = SimpleNamespace(loop=loop, invocation_service=service)
    connection = Connection(cast(Any, manager), Address("127.0.0.1", 5701), 1)
    connection.live = True
    transport = connection._transport = cast(Any, _RecordingTransport())
    connections[uuid.uuid4()] = connection
    follow_ups: list[asyncio.Future[Any]] = []

    async def caller() -> None:
        await service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response)
        follow_ups.append(service.call(_SIZE.encode_request("m"), decoder=_SIZE.decode_response))

    callers = [asyncio.create_task(caller()) for _ in range(3)]
    while sum(len(write) for write in transport.writes) < 3 * len(_SIZE.encode_request("m")):
        await asyncio.sleep(0)
    requests = b"".join(transport.writes)
    transport.writes.clear()
    response = _SIZE.encode_response(1)
    answers = bytearray()
    for offset in range(0, len(requests), len(requests) // 3):
        struct.pack_into("<q", response, 10, _correlation_id(requests[offset:]))
        answers += response
    connection.data_received(bytes(answers))
    await asyncio.sleep(0)  # one loop turn: the callers resume and write, and the flush follows them
    assert len(transport.writes) == 1
    assert len(transport.writes[0]) == len(requests)
    await asyncio.gather(*callers)
    for future in follow_ups:
        future.cancel()
