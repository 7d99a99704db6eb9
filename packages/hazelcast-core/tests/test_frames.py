"""The sans-I/O framing layer: message boundaries, fragments, limits, malformed input."""

from __future__ import annotations

import struct

import pytest

from hazelcast.protocol.frames import (
    BEGIN_FRAGMENT,
    END_FRAGMENT,
    IS_FINAL,
    UNFRAGMENTED,
    FramingError,
    MessageReader,
    correlation_id,
    encode_message,
    message_type,
)


def _initial(message_type_: int, correlation: int) -> bytes:
    return struct.pack("<iqi", message_type_, correlation, -1)


def test_reader_splits_messages_at_final_frames_whatever_the_chunking() -> None:
    first = encode_message([(UNFRAGMENTED, _initial(0x010100, 7)), (0, b"abc"), (0, b"")])
    second = encode_message([(UNFRAGMENTED, _initial(0x000B00, 8))])
    stream = bytes(first + second)
    for chunk in (1, 2, 5, 7, len(stream)):
        reader = MessageReader()
        messages = []
        for start in range(0, len(stream), chunk):
            messages += reader.feed(stream[start : start + chunk])
        assert [message_type(m) for m in messages] == [0x010100, 0x000B00]
        assert [correlation_id(m) for m in messages] == [7, 8]
        assert messages[0][1] == (0, b"abc")
        assert messages[0][2] == (IS_FINAL, b"")
        assert reader.pending_bytes == 0


def test_frame_shorter_than_its_header_is_rejected() -> None:
    reader = MessageReader()
    with pytest.raises(FramingError, match="shorter than the frame header"):
        reader.feed(struct.pack("<iH", 5, 0))


def test_unauthenticated_limit_counts_the_whole_message() -> None:
    reader = MessageReader(max_message_bytes=4096)
    with pytest.raises(FramingError, match="4096"):
        reader.feed(struct.pack("<iH", 5000, IS_FINAL))
    small = MessageReader(max_message_bytes=4096)
    assert len(small.feed(bytes(encode_message([(UNFRAGMENTED, b"x" * 4000)])))) == 1


def test_fragments_are_reassembled_in_order() -> None:
    fragment_id = struct.pack("<q", 99)
    part1 = encode_message([(BEGIN_FRAGMENT, fragment_id), (UNFRAGMENTED, _initial(0x010100, 3)), (0, b"a")])
    part2 = encode_message([(0, fragment_id), (0, b"b")])
    part3 = encode_message([(END_FRAGMENT, fragment_id), (0, b"c")])
    reader = MessageReader()
    assert reader.feed(bytes(part1)) == []
    assert reader.feed(bytes(part2)) == []
    (message,) = reader.feed(bytes(part3))
    assert message_type(message) == 0x010100
    assert [payload for _, payload in message[1:]] == [b"a", b"b", b"c"]


def test_fragments_refused_before_authentication_and_orphans_rejected() -> None:
    fragment_id = struct.pack("<q", 1)
    begin = encode_message([(BEGIN_FRAGMENT, fragment_id), (UNFRAGMENTED, _initial(1, 1))])
    with pytest.raises(FramingError, match="before authentication"):
        MessageReader(allow_fragments=False).feed(bytes(begin))
    orphan = encode_message([(END_FRAGMENT, fragment_id), (0, b"x")])
    with pytest.raises(FramingError, match="without its first fragment"):
        MessageReader().feed(bytes(orphan))


def test_large_frames_arriving_in_many_reads_keep_their_bytes_and_their_neighbours() -> None:
    large = bytes(range(256)) * 1500  # 384,000 bytes: past the size at which a frame is joined straight from the reads
    first = encode_message([(UNFRAGMENTED, _initial(0x010200, 5)), (0, large), (0, b"after")])
    second = encode_message([(UNFRAGMENTED, _initial(0x000B00, 6)), (0, large[:70_000])])
    stream = bytes(first + second)
    for chunk in (65_536, 100_003, 262_144, len(first) - 3, len(first), len(stream)):
        reader = MessageReader()
        messages = []
        for start in range(0, len(stream), chunk):
            messages += reader.feed(stream[start : start + chunk])
        assert [correlation_id(m) for m in messages] == [5, 6]
        assert messages[0][1] == (0, large)
        assert messages[0][2] == (IS_FINAL, b"after")
        assert messages[1][1] == (IS_FINAL, large[:70_000])
        assert reader.pending_bytes == 0


def test_large_frame_arriving_in_many_reads_still_counts_toward_the_unauthenticated_limit() -> None:
    message = bytes(encode_message([(UNFRAGMENTED, b"x" * 200_000)]))
    reader = MessageReader(max_message_bytes=150_000)
    with pytest.raises(FramingError, match="150000"):
        for start in range(0, len(message), 65_536):
            reader.feed(message[start : start + 65_536])
