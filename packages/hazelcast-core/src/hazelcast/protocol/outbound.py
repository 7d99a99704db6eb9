"""Requests whose large payloads are not copied into the message.

An encoded request is normally one ``bytearray`` of wire bytes. A request given a Data parameter as
:class:`DataPieces` (``SerializationService.to_value_data`` makes them for values of at least
:data:`LARGE_PAYLOAD` bytes: a megabyte value, say) is a :class:`SplicedRequest` instead: the ``bytearray`` holds
every frame header and every small frame, and the pieces stay the objects they were (the value's header and the
value's own bytes), recorded with the offset at which they go on the wire. Plain ``bytes`` Data is always copied
in, so a request built from ordinary Data is complete wire bytes, whoever writes it. The connection sends the pieces
in order (:meth:`SplicedRequest.pieces`), so the payload is never copied into a message buffer. Everything that
patches a request in place (correlation id, partition id, flags) works on it unchanged, since those fields sit in
the initial frame; ``bytes(request)`` gives the complete wire bytes and ``in`` searches them.
"""

from __future__ import annotations

from hazelcast.protocol.frames import FRAME_HEADER

__all__ = ["LARGE_PAYLOAD", "DataPieces", "SplicedRequest", "splice"]

#: A value serialized to at least this many bytes is made DataPieces by ``to_value_data``, to be spliced in.
LARGE_PAYLOAD = 64 * 1024

#: Pieces shorter than this are joined with their neighbours rather than written on their own.
_SMALL_PIECE = 4096
_H = FRAME_HEADER.pack
_HEADER_SIZE = FRAME_HEADER.size


class DataPieces:
    """A large serialized value as its pieces: the Data header and the user's own ``bytes`` object after it.

    Only a request encoder's Data parameter takes it (it splices the pieces in, so the value is never copied on the
    client); anything else wanting the Data's bytes gets a TypeError, not a copy made behind its back.
    """

    __slots__ = ("pieces", "size")

    def __init__(self, *pieces: bytes) -> None:
        self.pieces = pieces
        self.size = sum(len(piece) for piece in pieces)

    def __len__(self) -> int:
        return self.size

    def __bytes__(self) -> bytes:
        return b"".join(self.pieces)


class SplicedRequest(bytearray):
    """A request message with large payloads held by reference (see the module docstring)."""

    __slots__ = ("payloads",)

    #: (offset in this buffer, payload) pairs; payloads at the same offset follow one another.
    payloads: list[tuple[int, bytes | bytearray | memoryview]]

    def pieces(self) -> list[memoryview]:
        """The wire bytes in order, as memoryviews: the large payloads as they are, and what lies between them (frame
        headers, small frames, a value's 12-byte header) joined into one piece each, so that it takes one write."""
        view = memoryview(self)
        out: list[memoryview] = []
        small: list[bytes | bytearray | memoryview] = []
        start = 0
        for offset, payload in self.payloads:
            if offset > start:
                small.append(view[start:offset])
                start = offset
            if len(payload) < _SMALL_PIECE:
                small.append(payload)
                continue
            if small:
                out.append(memoryview(b"".join(small)))
                small = []
            out.append(memoryview(payload))
        if start < len(self):
            small.append(view[start:])
        if small:
            out.append(memoryview(b"".join(small)))
        return out

    @property
    def wire_size(self) -> int:
        """Bytes of the whole message on the wire."""
        return len(self) + sum(len(payload) for _, payload in self.payloads)

    def __bytes__(self) -> bytes:
        return b"".join(self.pieces())

    def __contains__(self, sub: object) -> bool:
        # Searched piece by piece: what is looked for (a Compact schema id) lies inside one frame.
        if bytearray.__contains__(self, sub):  # type: ignore[operator]
            return True
        return any(sub in payload for _, payload in self.payloads)


def splice(buf: bytearray, payload: bytes | bytearray | memoryview | DataPieces, flags: int) -> SplicedRequest:
    """Append a frame for ``payload`` to the request being encoded in ``buf``, by reference; return the request.

    The encoder carries on with the returned object (the same one once it is a :class:`SplicedRequest`).
    """
    if buf.__class__ is SplicedRequest:
        request: SplicedRequest = buf
    else:
        request = SplicedRequest(buf)
        request.payloads = []
    request += _H(len(payload) + _HEADER_SIZE, flags)
    offset = len(request)
    if payload.__class__ is DataPieces:
        request.payloads += [(offset, piece) for piece in payload.pieces]
    else:
        request.payloads.append((offset, payload))  # type: ignore[arg-type]
    return request
