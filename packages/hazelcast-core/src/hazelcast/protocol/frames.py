"""Frames and message boundaries of the client protocol, without any I/O.

On the wire a message is a run of frames ``int32 length | uint16 flags | payload`` (little-endian, the length counts
the 6-byte header); the frame whose flags carry ``IS_FINAL`` ends the message. In memory an inbound message is a
``list`` of ``(flags, payload)`` tuples, the payload as ``bytes`` without the header (a ``bytearray`` for a large frame
read in place, see ``MessageReader``): decoders index into it directly.
An outbound message is a ``bytearray`` holding the complete wire bytes, so the socket layer writes it as it is.
"""

from __future__ import annotations

import struct
from sys import getrefcount
from typing import TypeAlias

__all__ = [
    "BACKUP_AWARE",
    "BACKUP_EVENT",
    "BEGIN_DATA_STRUCTURE",
    "BEGIN_FRAGMENT",
    "END_DATA_STRUCTURE",
    "END_FRAGMENT",
    "FRAME_HEADER",
    "IS_EVENT",
    "IS_FINAL",
    "IS_NULL",
    "UNFRAGMENTED",
    "Frame",
    "FramingError",
    "Message",
    "MessageReader",
    "correlation_id",
    "encode_message",
    "message_type",
    "set_correlation_id",
    "set_partition_id",
]

BEGIN_FRAGMENT = 0x8000
END_FRAGMENT = 0x4000
UNFRAGMENTED = BEGIN_FRAGMENT | END_FRAGMENT
IS_FINAL = 0x2000
BEGIN_DATA_STRUCTURE = 0x1000
END_DATA_STRUCTURE = 0x0800
IS_NULL = 0x0400
IS_EVENT = 0x0200
BACKUP_AWARE = 0x0100
BACKUP_EVENT = 0x0080

#: ``int32 length, uint16 flags``
FRAME_HEADER = struct.Struct("<iH")
_HEADER_SIZE = FRAME_HEADER.size
#: A frame at least this long, arriving in many reads, is joined straight into its payload (see ``_cut_large_frame``).
_LARGE_FRAME = 64 * 1024
#: A large frame's payload buffer up to this size is kept for the next large frame of the same size.
_SPARE_LIMIT = 32 * 1024 * 1024
_INT32 = struct.Struct("<i")
_INT64 = struct.Struct("<q")

Frame: TypeAlias = tuple[int, bytes]
Message: TypeAlias = list[Frame]

# Offsets inside an outbound buffer (frame header included) of the request header fields.
_CORRELATION_OFFSET = _HEADER_SIZE + 4
_PARTITION_OFFSET = _HEADER_SIZE + 12


class FramingError(ValueError):
    """The byte stream does not follow the protocol's framing; the connection cannot continue."""


def message_type(message: Message) -> int:
    value: int = _INT32.unpack_from(message[0][1], 0)[0]
    return value


def correlation_id(message: Message) -> int:
    value: int = _INT64.unpack_from(message[0][1], 4)[0]
    return value


def set_correlation_id(buffer: bytearray, value: int) -> None:
    _INT64.pack_into(buffer, _CORRELATION_OFFSET, value)


def set_partition_id(buffer: bytearray, value: int) -> None:
    _INT32.pack_into(buffer, _PARTITION_OFFSET, value)


def encode_message(message: Message) -> bytearray:
    """Wire bytes of an in-memory message (tests, fragment handling); IS_FINAL is set on the last frame."""
    out = bytearray()
    last = len(message) - 1
    for index, (flags, payload) in enumerate(message):
        if index == last:
            flags |= IS_FINAL
        out += FRAME_HEADER.pack(len(payload) + _HEADER_SIZE, flags)
        out += payload
    return out


class MessageReader:
    """Cuts a byte stream into messages, reassembling fragmented ones.

    ``feed`` takes whatever the transport delivered and returns the messages it completed, in order. A peer that has not
    authenticated yet is held to ``max_message_bytes`` per message and may not send fragments (as a Hazelcast member
    does); set ``max_message_bytes`` to None and ``allow_fragments`` to True once it has.

    A frame larger than one read arrives in many chunks: they are kept in a list and joined once the frame is complete,
    so a large value costs linear copying, not a copy of everything received so far at every read.

    With ``receive_large`` (the client's ``asyncio.BufferedProtocol`` connection), a frame of at least 64 KiB that
    ``feed`` leaves incomplete is not buffered in chunks: its payload gets a ``bytearray`` of its final size,
    :attr:`receiving`, which the caller fills in place (the socket reads straight into :meth:`receive_view`) and
    reports with :meth:`received`. That payload stays a ``bytearray`` in the message: no copy of it is made here.
    """

    __slots__ = (
        "_chunks", "_buffered", "_wanted", "_frames", "_size", "_fragments", "max_message_bytes", "allow_fragments",
        "receive_large", "receiving", "_received", "_receiving_flags", "_spare",
    )

    def __init__(
        self, max_message_bytes: int | None = None, allow_fragments: bool = True, receive_large: bool = False
    ) -> None:
        #: Received bytes not yet cut into frames, in arrival order, ``_buffered`` of them in all.
        self._chunks: list[bytes] = []
        self._buffered = 0
        #: How many buffered bytes the next cut needs: a frame header, or the whole frame whose header was read.
        self._wanted = 0
        self._frames: Message = []
        self._size = 0
        self._fragments: dict[int, Message] = {}
        self.max_message_bytes = max_message_bytes
        self.allow_fragments = allow_fragments
        self.receive_large = receive_large
        #: The payload of the large frame being received in place (``receive_large``), else None.
        self.receiving: bytearray | None = None
        #: How many bytes of ``receiving`` hold received data; its frame's flags.
        self._received = 0
        self._receiving_flags = 0
        #: The payload buffer of the last large frame received in place, to be reused (see ``_start_receiving``).
        self._spare: bytearray | None = None

    def feed(self, data: bytes) -> list[Message]:
        completed: list[Message] = []
        if self._buffered:
            self._chunks.append(data)
            self._buffered += len(data)
            if self._buffered < self._wanted:
                return completed
            if self._wanted >= _LARGE_FRAME:
                buf = self._cut_large_frame(completed)
            else:
                buf = b"".join(self._chunks)
            self._chunks = []
            self._buffered = 0
        else:
            buf = bytes(data)
        end = len(buf)
        pos = 0
        wanted = _HEADER_SIZE
        frames = self._frames
        limit = self.max_message_bytes
        unpack = FRAME_HEADER.unpack_from
        last_header = end - _HEADER_SIZE
        while pos <= last_header:
            length, flags = unpack(buf, pos)
            following = pos + length
            if length < _HEADER_SIZE:
                raise FramingError(f"frame length {length} is shorter than the frame header")
            if limit is not None:
                self._size += length
                if self._size > limit:
                    raise FramingError(f"message exceeds {limit} bytes before authentication")
            if following > end:
                if length >= _LARGE_FRAME and self.receive_large:
                    self._start_receiving(buf, pos, end, length, flags)
                    pos = end
                    break
                if limit is not None:
                    self._size -= length
                wanted = length
                break
            frames.append((flags, buf[pos + _HEADER_SIZE : following]))
            pos = following
            if flags & IS_FINAL:
                if limit is not None:
                    self._size = 0
                if frames[0][0] & UNFRAGMENTED == UNFRAGMENTED:
                    completed.append(frames)
                else:
                    self._add_fragment(frames, completed)
                frames = []
        self._frames = frames
        if pos < end:
            self._chunks = [buf[pos:] if pos else buf]
            self._buffered = end - pos
            self._wanted = wanted
        else:
            self._buffered = 0
        return completed

    def _start_receiving(self, buf: bytes, pos: int, end: int, length: int, flags: int) -> None:
        """Give the large frame whose header is at ``pos`` its payload buffer, holding the bytes of it in ``buf``."""
        size = length - _HEADER_SIZE
        payload = self._spare
        # The previous large payload is filled again when nothing refers to it any more (the references counted are
        # this attribute, the local name and getrefcount's argument): no zero-filling and no page faults of a fresh
        # buffer. Its value has been copied out by then, or dropped.
        if payload is None or len(payload) != size or getrefcount(payload) > 3:
            payload = bytearray(size)
            self._spare = payload if size <= _SPARE_LIMIT else None
        start = pos + _HEADER_SIZE
        present = end - start
        if present > 0:
            payload[:present] = memoryview(buf)[start:end]
        self.receiving = payload
        self._received = present
        self._receiving_flags = flags

    def receive_view(self) -> memoryview:
        """The part of :attr:`receiving` still to be filled (only while a large frame is being received)."""
        return memoryview(self.receiving)[self._received :]  # type: ignore[arg-type]

    @property
    def receive_remaining(self) -> int:
        """Bytes of :attr:`receiving` still to come (0 when no large frame is being received)."""
        payload = self.receiving
        return 0 if payload is None else len(payload) - self._received

    def received(self, count: int) -> list[Message]:
        """``count`` more bytes of :attr:`receiving` were filled; return the messages that completes (if any)."""
        self._received += count
        payload = self.receiving
        assert payload is not None
        if self._received < len(payload):
            return []
        self.receiving = None
        completed: list[Message] = []
        self._add_large_frame(self._receiving_flags, payload, completed)  # type: ignore[arg-type]
        return completed

    def _cut_large_frame(self, completed: list[Message]) -> bytes:
        """Cut the large frame the buffered chunks now hold (its header starts the first chunk); return what follows.

        The payload is joined straight from the chunks (memoryviews skip the header and the bytes after the frame), so
        a large value is copied once here rather than joined with its neighbours and then sliced out of them.
        """
        chunks = self._chunks
        length = self._wanted
        first = chunks[0]
        flags = FRAME_HEADER.unpack_from(first, 0)[1]
        limit = self.max_message_bytes
        if limit is not None:
            self._size += length
            if self._size > limit:
                raise FramingError(f"message exceeds {limit} bytes before authentication")
        after = self._buffered - length
        last = chunks[-1]
        keep = len(last) - after
        if len(chunks) == 1:
            payload = first[_HEADER_SIZE:length]
        else:
            parts: list[bytes | memoryview] = [memoryview(first)[_HEADER_SIZE:]]
            parts += chunks[1:-1]
            parts.append(memoryview(last)[:keep] if after else last)
            payload = b"".join(parts)
        self._add_large_frame(flags, payload, completed)
        return last[keep:] if after else b""

    def _add_large_frame(self, flags: int, payload: bytes, completed: list[Message]) -> None:
        """Add a large frame, cut or received whole, to the message being read; complete it if the frame is final."""
        frames = self._frames
        frames.append((flags, payload))
        if flags & IS_FINAL:
            self._size = 0
            if frames[0][0] & UNFRAGMENTED == UNFRAGMENTED:
                completed.append(frames)
            else:
                self._add_fragment(frames, completed)
            self._frames = []

    def _add_fragment(self, frames: Message, completed: list[Message]) -> None:
        if not self.allow_fragments:
            raise FramingError("fragmented messages are not allowed before authentication")
        flags, payload = frames[0]
        if len(payload) != 8:
            raise FramingError("fragmentation frame must carry an 8-byte fragment id")
        fragment_id = _INT64.unpack(payload)[0]
        if flags & BEGIN_FRAGMENT:
            self._fragments[fragment_id] = frames[1:]
            return
        assembled = self._fragments.get(fragment_id)
        if assembled is None:
            raise FramingError(f"fragment {fragment_id} arrived without its first fragment")
        assembled.extend(frames[1:])
        if flags & END_FRAGMENT:
            del self._fragments[fragment_id]
            completed.append(assembled)

    @property
    def pending_bytes(self) -> int:
        """Bytes received but not yet part of a completed message (a partial frame)."""
        return self._buffered + (self._received if self.receiving is not None else 0)
