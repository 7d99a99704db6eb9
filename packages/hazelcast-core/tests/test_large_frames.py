"""Large values without copies: frames received in place, requests holding their payload by reference."""

from __future__ import annotations

import struct
import uuid

from hazelcast.config import Config
from hazelcast.protocol import method
from hazelcast.protocol.frames import (
    IS_FINAL,
    UNFRAGMENTED,
    MessageReader,
    correlation_id,
    encode_message,
    set_correlation_id,
)
from hazelcast.protocol.outbound import LARGE_PAYLOAD, DataPieces, SplicedRequest
from hazelcast.serialization import SerializationService

_MAP_SET = method("Map.set")


def _initial(message_type: int, correlation: int) -> bytes:
    return struct.pack("<iqi", message_type, correlation, -1)


def _read_in_place(reader: MessageReader, stream: bytes, read_size: int) -> list:
    """Feed ``stream`` as a BufferedProtocol connection does: small reads through ``feed``, and a large frame's
    bytes straight into its payload buffer, at most ``read_size`` bytes per read."""
    messages: list = []
    view = memoryview(stream)
    while view:
        if reader.receiving is not None:
            target = reader.receive_view()
            count = min(len(target), len(view), read_size)
            target[:count] = view[:count]
            messages += reader.received(count)
        else:
            count = min(len(view), read_size)
            messages += reader.feed(bytes(view[:count]))
        view = view[count:]
    return messages


def test_large_frames_are_received_in_place_between_small_messages_whatever_the_read_size() -> None:
    large = bytes(range(256)) * 4100  # 1,049,600 bytes
    small = encode_message([(UNFRAGMENTED, _initial(0x000B00, 1)), (0, b"tiny")])
    first = encode_message([(UNFRAGMENTED, _initial(0x010200, 2)), (0, large), (0, b"after")])
    second = encode_message([(UNFRAGMENTED, _initial(0x010200, 3)), (0, large[:LARGE_PAYLOAD])])
    stream = bytes(small + first + small + second + small)
    for read_size in (7, 1000, 65_536, 100_003, len(stream)):
        reader = MessageReader(receive_large=True)
        messages = _read_in_place(reader, stream, read_size)
        assert [correlation_id(m) for m in messages] == [1, 2, 1, 3, 1]
        assert messages[1][1] == (0, large)
        assert messages[1][2] == (IS_FINAL, b"after")
        assert messages[3][1] == (IS_FINAL, large[:LARGE_PAYLOAD])
        if read_size < len(large):  # then received into a buffer of its own, not copied out of the reads
            assert type(messages[1][1][1]) is bytearray
        assert reader.receiving is None and reader.pending_bytes == 0


def test_a_large_payload_still_referred_to_is_never_reused_for_the_next_frame() -> None:
    frames = [encode_message([(UNFRAGMENTED, _initial(1, n)), (0, bytes([n]) * 200_000)]) for n in (1, 2, 3)]
    reader = MessageReader(receive_large=True)
    kept = _read_in_place(reader, bytes(frames[0]), 65_536)[0][1][1]
    second = _read_in_place(reader, bytes(frames[1]), 65_536)[0][1][1]
    assert kept == bytes([1]) * 200_000 and second == bytes([2]) * 200_000
    second_buffer = id(second)
    del second  # nothing refers to it any more: its buffer carries the next frame of its size
    third = _read_in_place(reader, bytes(frames[2]), 65_536)[0][1][1]
    assert kept == bytes([1]) * 200_000 and third == bytes([3]) * 200_000
    assert id(third) == second_buffer


def test_values_deserialized_from_a_received_buffer_are_bytes_and_str() -> None:
    service = SerializationService(Config())
    for value in (b"\x01\x02" * 70_000, "é" * 70_000, [b"x" * 70_000], ["v" * 70_000, 3]):
        data = bytearray(service.to_data(value))
        result = service.to_object(data)
        assert result == value
        assert type(result) is type(value)
    nested = service.to_object(bytearray(service.to_data([b"x" * 70_000])))
    assert type(nested[0]) is bytes


def test_a_large_value_is_held_by_reference_and_the_wire_bytes_are_unchanged() -> None:
    service = SerializationService(Config())
    raw = b"v" * (2 * LARGE_PAYLOAD)
    value = service.to_data(raw)
    key = service.to_data("key")
    request = _MAP_SET.encode_request("map", key, service.to_value_data(raw), 7, -1)
    assert isinstance(request, SplicedRequest)
    assert any(payload is raw for _, payload in request.payloads)  # not copied
    assert len(request) < 200  # the buffer holds the frames around the value only
    set_correlation_id(request, 42)
    (message,) = MessageReader().feed(bytes(request))
    assert correlation_id(message) == 42
    decoded = _MAP_SET.decode_request(message)
    assert (decoded.name, decoded.key, decoded.value, decoded.thread_id) == ("map", key, value, 7)
    assert request.wire_size == len(bytes(request))
    assert b"".join(request.pieces()) == bytes(request)
    # The frames before the value and the value's own header go out as one piece, the value as another.
    assert [len(piece) for piece in request.pieces()] == [len(request) + 12, len(raw)]
    marker = uuid.uuid4().bytes
    assert marker not in request
    assert raw[100:116] in request  # searching a request searches its payloads too


def test_plain_data_of_any_size_is_copied_into_one_complete_buffer() -> None:
    # Whoever writes an encoded request as it is (a raw test client, say) writes the whole message.
    service = SerializationService(Config())
    value = service.to_data(b"v" * (2 * LARGE_PAYLOAD))
    request = _MAP_SET.encode_request("map", service.to_data(1), value, 1, -1)
    assert type(request) is bytearray
    (message,) = MessageReader().feed(bytes(request))
    assert _MAP_SET.decode_request(message).value == value


def test_a_small_value_stays_in_one_plain_buffer() -> None:
    service = SerializationService(Config())
    request = _MAP_SET.encode_request("map", service.to_data(1), service.to_data(b"v" * 1000), 1, -1)
    assert type(request) is bytearray
    (message,) = MessageReader().feed(bytes(request))
    assert _MAP_SET.decode_request(message).value == service.to_data(b"v" * 1000)


def test_a_large_bytes_value_goes_into_the_request_as_the_users_own_object() -> None:
    service = SerializationService(Config())
    value = bytes(range(256)) * 1024
    pieces = service.to_value_data(value)
    assert isinstance(pieces, DataPieces)
    assert bytes(pieces) == service.to_data(value) and len(pieces) == len(service.to_data(value))
    request = _MAP_SET.encode_request("map", service.to_data(1), pieces, 3, -1)
    assert any(payload is value for _, payload in request.payloads)  # spliced in, never copied
    expected = _MAP_SET.encode_request("map", service.to_data(1), service.to_data(value), 3, -1)
    assert bytes(request) == bytes(expected)
    assert service.to_object(bytes(pieces)) == value
    # A bytearray, which the caller may still change, is sent from a copy; a str from its UTF-8 encoding.
    array = bytearray(value)
    copied = service.to_value_data(array)
    assert bytes(copied) == service.to_data(array) and all(piece is not array for piece in copied.pieces)
    text = "zß€" * 30_000
    assert bytes(service.to_value_data(text)) == service.to_data(text)
    # Small values and other types are plain Data.
    for other in (b"small", "small", 12, [b"x" * 100_000]):
        assert service.to_value_data(other) == service.to_data(other)
