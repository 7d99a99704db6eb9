"""Hostile bytes against the protocol layer of both sides: the frame reader, every codec, and a member connection.

The contract: whatever arrives, nothing crashes (no exception escapes to the event loop, no member crash logged), nothing
hangs, the only error a peer sees is the protocol's own (a framing error, an error response), and a connection that
received malformed input is closed.

CI runs a fixed-seed sample (``derandomize``). ``HAZELCAST_FUZZ=1`` turns it into the long run: about a million inputs
over the tests of this module (``HAZELCAST_FUZZ_EXAMPLES`` sets the examples per test directly).
"""

from __future__ import annotations

import asyncio
import os
import struct
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from structlog.testing import capture_logs

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.connection import ClientConnection
from hazelcast.protocol import method
from hazelcast.protocol.codec import MethodCodec
from hazelcast.protocol.errors_codec import decode_error
from hazelcast.protocol.frames import IS_FINAL, UNFRAGMENTED, FramingError, MessageReader
from hazelcast.protocol.messages import SERVICE_MODULES
from hazelcast.protocol.registry import specs_of_service

_LONG_RUN = bool(os.environ.get("HAZELCAST_FUZZ"))
# The four property tests of this module share the million inputs of the long run.
_EXAMPLES = int(os.environ.get("HAZELCAST_FUZZ_EXAMPLES", 250_000 if _LONG_RUN else 150))
_FUZZ = settings(
    max_examples=_EXAMPLES,
    derandomize=not _LONG_RUN,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)
_FRAME = struct.Struct("<iH")


def _all_codecs() -> list[MethodCodec]:
    codecs = []
    for service_id in sorted(SERVICE_MODULES):
        for spec in specs_of_service(service_id):
            try:
                codecs.append(method(spec.name))
            except TypeError:
                # A message with a custom type no codec is written for yet: nothing can send or read it.
                continue
    return codecs


_CODECS = _all_codecs()


def _frames(payloads: list[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for index, (flags, payload) in enumerate(payloads):
        if index == len(payloads) - 1:
            flags |= IS_FINAL
        else:
            flags &= ~IS_FINAL
        out += _FRAME.pack(_FRAME.size + len(payload), flags) + payload
    return bytes(out)


_payloads = st.lists(st.tuples(st.integers(0, 0xFFFF), st.binary(max_size=64)), min_size=1, max_size=8)


def _as_message(payloads: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    return [(flags | (UNFRAGMENTED if index == 0 else 0), payload) for index, (flags, payload) in enumerate(payloads)]


# -- the frame reader (client and member) --------------------------------------------------------------------------


@_FUZZ
@given(chunks=st.lists(st.binary(max_size=96), max_size=12), limit=st.sampled_from([None, 4096]))
def test_frame_reader_raises_only_framing_errors(chunks: list[bytes], limit: int | None) -> None:
    reader = MessageReader(max_message_bytes=limit, allow_fragments=limit is None)
    fed = 0
    try:
        for chunk in chunks:
            fed += len(chunk)
            for message in reader.feed(chunk):
                assert message and all(isinstance(payload, bytes) for _, payload in message)
            assert reader.pending_bytes <= fed
    except FramingError:
        pass


@_FUZZ
@given(payloads=_payloads, split=st.integers(0, 1000))
def test_frame_reader_gives_the_same_messages_however_the_bytes_are_cut(
    payloads: list[tuple[int, bytes]], split: int
) -> None:
    stream = _frames(_as_message(payloads))
    whole = MessageReader().feed(stream)
    cut = split % (len(stream) + 1)
    reader = MessageReader()
    pieces = reader.feed(stream[:cut]) + reader.feed(stream[cut:])
    assert pieces == whole


# -- every codec of the catalogue ----------------------------------------------------------------------------------


def _decoding_stays_contained(decode: Any, message: list[tuple[int, bytes]]) -> None:
    try:
        decode(message)
    except Exception:
        # Any ordinary exception is contained by the caller (member dispatch, client invocation); what must never
        # come out is a BaseException that would tear down the loop, nor a hang.
        pass


@_FUZZ
@given(codec=st.sampled_from(_CODECS), payloads=_payloads, side=st.sampled_from(["request", "response", "event"]))
def test_every_decoder_contains_malformed_messages(
    codec: MethodCodec, payloads: list[tuple[int, bytes]], side: str
) -> None:
    message = _as_message(payloads)
    if side == "request":
        _decoding_stays_contained(codec.decode_request, message)
    elif side == "response":
        _decoding_stays_contained(codec.decode_response, message)
    else:
        for decode in codec.decode_event:
            _decoding_stays_contained(decode, message)


# -- a member connection -------------------------------------------------------------------------------------------


class _Transport(asyncio.Transport):
    """Collects what the member writes; records whether it closed the connection."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False

    def write(self, data: Any) -> None:
        self.written += data

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.written += chunk

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 40000) if name == "peername" else default

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def _open_connection(cluster: EmbeddedCluster) -> tuple[ClientConnection, _Transport]:
    member = cluster.members[0]
    connection = ClientConnection(member)
    transport = _Transport()
    connection.connection_made(transport)
    connection.data_received(b"CP2")
    connection.mark_authenticated(None, "fuzz", "PYH")
    return connection, transport


def _mutations() -> st.SearchStrategy[bytes]:
    """Valid requests of messages the member serves, then cut, flipped or padded."""
    samples = [
        method("Map.put").encode_request("m", b"\x00" * 4 + b"\xff\xff\xff\xf9" + b"\x00\x00\x00\x01",
                                         b"\x00" * 4 + b"\xff\xff\xff\xf5" + b"\x00\x00\x00\x01a", 1, -1),
        method("Map.getAll").encode_request("m", [b"\x00" * 4 + b"\xff\xff\xff\xf9" + b"\x00\x00\x00\x02"]),
        method("Map.putAll").encode_request("m", [(b"\x00" * 8 + b"k", b"\x00" * 8 + b"v")], True),
        method("Client.createProxy").encode_request("m", "hz:impl:mapService"),
        method("Client.addDistributedObjectListener").encode_request(False),
        method("Client.ping").encode_request(),
    ]

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(samples)))
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["flip", "cut", "insert"]))
            position = draw(st.integers(0, max(0, len(data) - 1)))
            if kind == "flip" and data:
                data[position] ^= draw(st.integers(1, 255))
            elif kind == "cut":
                del data[position : position + draw(st.integers(1, 16))]
            else:
                data[position:position] = draw(st.binary(min_size=1, max_size=16))
        return bytes(data)

    return mutate()


def _random_requests() -> st.SearchStrategy[bytes]:
    @st.composite
    def request(draw: st.DrawFn) -> bytes:
        codec = draw(st.sampled_from(_CODECS))
        header = struct.pack("<iqi", codec.request_type, draw(st.integers(1, 2**40)), draw(st.integers(-2, 300)))
        header += draw(st.binary(max_size=24))
        rest = draw(st.lists(st.tuples(st.integers(0, 0xFFFF), st.binary(max_size=40)), max_size=6))
        return _frames([(UNFRAGMENTED, header), *rest])

    return request()


async def test_a_member_connection_survives_hostile_requests() -> None:
    async with EmbeddedCluster(member_count=2) as cluster:
        crashes: list[dict[str, Any]] = []

        @_FUZZ
        @given(data=st.one_of(_mutations(), _random_requests(), st.binary(min_size=1, max_size=200)))
        def one_input(data: bytes) -> None:
            connection, transport = _open_connection(cluster)
            with capture_logs() as logs:
                connection.data_received(data)
            crashes.extend(log for log in logs if log["event"] == "member.request.crashed")
            assert not crashes, crashes
            # What the member wrote is whole protocol messages: responses or error responses.
            replies = MessageReader().feed(bytes(transport.written))
            assert MessageReader().feed(bytes(transport.written)) == replies
            errors = [decode_error(reply)[0] for reply in replies if struct.unpack_from("<i", reply[0][1])[0] == 0]
            if any((error.message or "").startswith("malformed") for error in errors):
                # A request the member could not decode is answered with the protocol's error, then the connection
                # closes; other errors (an unknown message, a handler's refusal) keep it open.
                assert transport.closed
            if not transport.closed:
                connection.abort()
            connection.connection_lost(None)

        one_input()
        # The member still serves well-formed requests afterwards.
        connection, transport = _open_connection(cluster)
        ping = method("Client.ping").encode_request()
        struct.pack_into("<q", ping, 10, 77)
        connection.data_received(bytes(ping))
        connection.flush()
        [reply] = MessageReader().feed(bytes(transport.written))
        assert struct.unpack_from("<q", reply[0][1], 4)[0] == 77


async def test_a_malformed_request_is_answered_with_an_error_and_closes_the_connection() -> None:
    async with EmbeddedCluster(member_count=1) as cluster:
        connection, transport = _open_connection(cluster)
        request = method("Map.put").encode_request("m", b"\x00" * 12, b"\x00" * 12, 1, -1)
        struct.pack_into("<q", request, 10, 5)
        # Well framed, but the key, value and the rest of the parameters are missing.
        header, name = MessageReader().feed(bytes(request))[0][:2]
        connection.data_received(_frames([header, name]))
        connection.flush()
        [reply] = MessageReader().feed(bytes(transport.written))
        assert struct.unpack_from("<i", reply[0][1])[0] == 0, "an error response"
        assert struct.unpack_from("<q", reply[0][1], 4)[0] == 5
        assert transport.closed
