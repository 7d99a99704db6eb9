"""The write side of a connection over a real socket: large requests go out in slices, in order, without being
copied whole into the transport's buffer, also while the transport is paused."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from hazelcast._internal.outbox import WRITE_SLICE, Outbox
from hazelcast.protocol.outbound import splice


class Sender(Outbox, asyncio.Protocol):
    def __init__(self, in_flight: int = 64) -> None:
        self._loop = asyncio.get_running_loop()
        self._invocations = SimpleNamespace(in_flight=in_flight)
        self.live = False
        self.last_write = 0.0
        self._transport = None
        self._init_outbox()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self.limit_write_buffer(transport)  # type: ignore[arg-type]
        self.live = True


async def _pair() -> tuple[Sender, asyncio.StreamReader, asyncio.StreamWriter, asyncio.Server]:
    accepted: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Future()

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set_result((reader, writer))

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _, sender = await asyncio.get_running_loop().create_connection(Sender, "127.0.0.1", port)
    reader, writer = await asyncio.wait_for(accepted, 5)
    return sender, reader, writer, server


def _large_request(fill: int, size: int) -> bytes:
    """A request whose ``size``-byte payload is held by reference."""
    request = bytearray(b"head")
    request = splice(request, bytes([fill]) * size, 0)
    request += b"tail"
    return request


async def test_a_large_request_and_the_small_ones_after_it_arrive_whole_and_in_order() -> None:
    sender, reader, writer, server = await _pair()
    try:
        large = [_large_request(n, 8 * 1024 * 1024) for n in (1, 2)]
        expected = bytes(bytearray(b"small-0")) + bytes(large[0])
        sender.write(bytearray(b"small-0"))
        sender.write(large[0])
        # The peer reads nothing yet: the socket fills, the transport pauses, what remains stays as pieces.
        assert sender._write_paused
        assert sender._transport.get_write_buffer_size() <= WRITE_SLICE
        for index in range(1, 4):
            small = bytearray(b"small-%d" % index)
            sender.write(small)
            expected += bytes(small)
        sender.write(large[1])
        expected += bytes(large[1])
        sender.write(bytearray(b"last"))
        expected += b"last"
        received = await asyncio.wait_for(reader.readexactly(len(expected)), 10)
        assert received == expected
        assert not sender._write_paused and not sender._pieces
    finally:
        writer.close()
        sender._transport.close()
        server.close()


async def test_a_large_request_written_while_the_transport_is_paused_waits_for_it() -> None:
    sender, reader, writer, server = await _pair()
    try:
        sender.pause_writing()  # as the transport does when its buffer is not empty
        request = _large_request(7, 3 * 1024 * 1024)
        sender.write(request)
        assert sender._transport.get_write_buffer_size() == 0  # nothing handed over while paused
        sender.resume_writing()
        received = await asyncio.wait_for(reader.readexactly(request.wire_size), 10)
        assert received == bytes(request)
    finally:
        writer.close()
        sender._transport.close()
        server.close()


async def test_a_lone_small_request_goes_out_at_once_and_a_large_plain_buffer_in_slices() -> None:
    sender, reader, writer, server = await _pair()
    sender._invocations.in_flight = 1
    try:
        sender.write(bytearray(b"alone"))
        assert await asyncio.wait_for(reader.readexactly(5), 5) == b"alone"
        plain = bytearray(range(256)) * 4096  # 1 MiB in one buffer
        sender.write(plain)
        assert await asyncio.wait_for(reader.readexactly(len(plain)), 10) == plain
    finally:
        writer.close()
        sender._transport.close()
        server.close()
