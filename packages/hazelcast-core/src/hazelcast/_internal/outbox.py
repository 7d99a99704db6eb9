"""The writing half of a connection: small requests batched per loop iteration, large ones sent without copies.

Small requests (the hot path) are queued and written once per loop iteration, so many concurrent requests share one
``write`` call; a lone request (nothing else in flight) goes out at once.

A large request (a :class:`~hazelcast.protocol.outbound.SplicedRequest`, or any buffer of 64 KiB or more) is not
handed to the transport whole: asyncio's socket transport would copy whatever the socket does not take at once into
its own buffer, most of a multi-megabyte value. Its pieces (memoryviews of the request and of the value's Data) are
kept here and written in slices while the transport's buffer is empty: each slice goes straight to the socket, and
only the part of the last slice the socket refused is copied. The write-buffer limits of a plain TCP transport are
set to 0, so the transport pauses this protocol as soon as it buffers anything and resumes it once it is empty again;
writing then carries on. Requests written meanwhile wait behind the large one, in order. A TLS transport keeps its
limits (its TLS layer buffers encrypted records anyway) and is fed the same slices as its flow control allows.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING

from hazelcast.protocol.outbound import SplicedRequest

if TYPE_CHECKING:
    from hazelcast._internal.invocation import InvocationService

__all__ = ["Outbox"]

#: A request at least this long is written as pieces, in slices (see the module docstring).
LARGE_WRITE = 64 * 1024
#: The most handed to the transport in one ``write`` while a large request goes out: what the socket refuses of the
#: last slice is copied into the transport's buffer, so a slice bounds that copy; a smaller one costs more calls (in
#: A/B runs of 1 and 16 MiB sets, 1 MiB slices cost less CPU than 128 or 256 KiB ones, and than whole requests).
WRITE_SLICE = 1024 * 1024


class Outbox:
    """Mixin of :class:`~hazelcast._internal.connection.Connection`: its write side (see the module docstring)."""

    _transport: asyncio.Transport | None
    _loop: asyncio.AbstractEventLoop
    _invocations: InvocationService
    live: bool
    last_write: float

    def _init_outbox(self) -> None:
        self._queue: list[bytes | bytearray] = []
        self._flush_scheduled = False
        #: True while requests must wait: the transport paused writing, or a large request is still going out.
        self._write_paused = False
        self._transport_paused = False
        #: Pieces of large requests not yet handed to the transport, in order.
        self._pieces: deque[memoryview] = deque()

    def limit_write_buffer(self, transport: asyncio.Transport) -> None:
        """Have a plain TCP ``transport`` pause this protocol whenever it holds unsent bytes (see the docstring)."""
        if transport.get_extra_info("ssl_object") is None:
            transport.set_write_buffer_limits(0)

    # -- asyncio flow control ---------------------------------------------------------------------------------------

    def pause_writing(self) -> None:
        self._transport_paused = self._write_paused = True

    def resume_writing(self) -> None:
        self._transport_paused = False
        if self._pieces:
            self._write_pieces()
        else:
            self._write_paused = False
        if self._queue and not self._write_paused:
            self._flush()

    # -- writing ------------------------------------------------------------------------------------------------------

    def write(self, buffer: bytes | bytearray) -> None:
        if buffer.__class__ is not bytearray:  # a SplicedRequest (plain requests are bytearrays)
            self._write_large(buffer)
            return
        if not self._flush_scheduled:
            if self._invocations.in_flight <= 1 and self.live and not self._write_paused and not self._queue:
                # A lone request (nothing else in flight) goes out at once: deferring it would only cost a loop
                # iteration. Under load, writes of one iteration are gathered into one.
                if len(buffer) < LARGE_WRITE:
                    self._transport.write(buffer)  # type: ignore[union-attr]
                    self.last_write = self._loop.time()
                else:
                    self._write_large(buffer)
                return
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)
        self._queue.append(buffer)

    def _flush(self) -> None:
        self._flush_scheduled = False
        transport = self._transport
        if transport is None or not self.live or self._write_paused or not self._queue:
            return
        queue = self._queue
        self._queue = []
        data = queue[0] if len(queue) == 1 else b"".join(queue)
        if len(data) < LARGE_WRITE:
            transport.write(data)
            self.last_write = self._loop.time()
        else:
            self._write_large(data)

    def _write_large(self, buffer: bytes | bytearray) -> None:
        pieces = self._pieces
        if self._queue:
            # Requests queued before this one go before it.
            pieces.append(memoryview(b"".join(self._queue)))
            self._queue = []
        if buffer.__class__ is SplicedRequest:
            pieces.extend(buffer.pieces())
        else:
            pieces.append(memoryview(buffer))
        self._write_paused = True
        if not self._transport_paused:
            self._write_pieces()

    def _write_pieces(self) -> None:
        """Hand pending pieces to the transport, a slice at a time, until they are out or the transport pauses."""
        transport = self._transport
        if transport is None or not self.live:
            return
        pieces = self._pieces
        while pieces and not self._transport_paused:
            piece = pieces[0]
            if len(piece) > WRITE_SLICE:
                pieces[0] = piece[WRITE_SLICE:]
                piece = piece[:WRITE_SLICE]
            else:
                pieces.popleft()
            transport.write(piece)  # may call pause_writing
        self.last_write = self._loop.time()
        self._write_paused = self._transport_paused or bool(pieces)
