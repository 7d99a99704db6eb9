"""Compiled codecs: byte vectors of the protocol facts, round trips, forward compatibility."""

from __future__ import annotations

import struct
import uuid
from collections import namedtuple
from typing import Any

import pytest

from hazelcast.protocol import method, method_by_type
from hazelcast.protocol.codec import decoder_for, encoder_for
from hazelcast.protocol.errors_codec import decode_error, encode_error
from hazelcast.protocol.frames import (
    BEGIN_DATA_STRUCTURE,
    END_DATA_STRUCTURE,
    IS_EVENT,
    IS_FINAL,
    MessageReader,
    set_correlation_id,
    set_partition_id,
)


def _hex(text: str) -> bytes:
    return bytes.fromhex("".join(text.split()))


def _read(buf: bytes | bytearray) -> list:
    (message,) = MessageReader().feed(bytes(buf))
    return message


# An initial frame (UNFRAGMENTED) to carry the frames of a type under test.
_INITIAL = _hex("16000000 00c0 00000000 0000000000000000 ffffffff")
KEY_1 = _hex("00000000 fffffff5 00000005 6b65792d31")
INT_54 = _hex("00000000 fffffff9 00000036")


def test_map_put_request_matches_the_protocol_vector() -> None:
    request = method("Map.put").encode_request("map", KEY_1, INT_54, 1, -1)
    set_correlation_id(request, 2)
    set_partition_id(request, 94)
    assert bytes(request) == _hex(
        "26000000 00c0 00010100 0200000000000000 5e000000 0100000000000000 ffffffffffffffff"
        "09000000 0000 6d6170"
        "17000000 0000 00000000fffffff5000000056b65792d31"
        "12000000 0020 00000000fffffff900000036"
    )


def test_authentication_request_matches_the_vector_plus_the_2_8_fields() -> None:
    request = method("Client.authentication").encode_request(
        "dev", None, None, uuid.UUID("00000000-0000-0001-0000-000000000002"), "PYH", 1, "5.7.0", "hz.client_0", [],
        1, False,
    )
    set_correlation_id(request, 1)
    # The vector of the facts is the 5.7.0 client's (no routingMode/cpDirectToLeaderRouting): ours adds 2 bytes.
    assert bytes(request) == _hex(
        "2a000000 00c0 00010000 0100000000000000 ffffffff 00 0100000000000000 0200000000000000 01 01 00"
        "09000000 0000 646576  06000000 0004  06000000 0004  09000000 0000 505948"
        "0b000000 0000 352e372e30  11000000 0000 687a2e636c69656e745f30  06000000 0010  06000000 0028"
    )


def test_request_round_trip_through_the_member_side_decoder() -> None:
    codec = method("Map.put")
    decoded = codec.decode_request(_read(codec.encode_request("näme", KEY_1, INT_54, -5, 0)))
    assert decoded == ("näme", KEY_1, INT_54, -5, 0)
    assert decoded.thread_id == -5


def test_response_with_nullable_data_round_trips() -> None:
    codec = method("Map.get")
    assert codec.decode_response(_read(codec.encode_response(INT_54))) == INT_54
    assert codec.decode_response(_read(codec.encode_response(None))) is None


def test_fixed_size_response_and_header_only_messages() -> None:
    size = method("Map.size")
    assert size.decode_response(_read(size.encode_response(2**31 - 1))) == 2**31 - 1
    ping = method("Client.ping")
    request = ping.encode_request()
    assert len(request) == 22 and request[4:6] == bytes([0x00, 0xE0])  # UNFRAGMENTED | IS_FINAL
    assert ping.decode_response(_read(ping.encode_response())) is None


def test_members_view_event_matches_the_protocol_vector() -> None:
    from hazelcast.core import Address, MemberInfo, MemberVersion

    vector = _hex(
        "1a000000 00c2 02030000 0300000000000000 ffffffff 01000000"
        "06000000 0010  06000000 0010"
        "18000000 0000 00 0100000000000000 0200000000000000 00"
        "06000000 0010  0a000000 0000 45160000  0f000000 0000 3132372e302e302e31  06000000 0008"
        "06000000 0010  06000000 0008"
        "06000000 0010  09000000 0000 050500  06000000 0008"
        "06000000 0010  06000000 0008"
        "06000000 0008  06000000 0028"
    )
    codec = method("Client.addClusterViewListener")
    version, members = codec.decode_event[0](_read(vector))
    assert version == 1
    (member,) = members
    assert member.uuid == uuid.UUID("00000000-0000-0001-0000-000000000002")
    assert member.address == Address("127.0.0.1", 5701)
    assert member.version == MemberVersion(5, 5, 0)
    assert not member.lite_member
    event = codec.encode_event[0](1, members)
    set_correlation_id(event, 3)
    assert bytes(event) == vector


def test_partitions_view_event_matches_the_protocol_vector() -> None:
    vector = _hex(
        "1a000000 00c2 03030000 0300000000000000 ffffffff 01000000"
        "06000000 0010  12000000 0000 00000000 01000000 02000000  06000000 0008"
        "17000000 0020 00 0100000000000000 0200000000000000"
    )
    codec = method("Client.addClusterViewListener")
    member = uuid.UUID("00000000-0000-0001-0000-000000000002")
    assert codec.decode_event[1](_read(vector)) == (1, [(member, [0, 1, 2])])
    event = codec.encode_event[1](1, [(member, [0, 1, 2])])
    set_correlation_id(event, 3)
    assert bytes(event) == vector
    assert event[4] | (event[5] << 8) & IS_EVENT


def test_error_message_matches_the_protocol_vector() -> None:
    vector = _hex(
        "13000000 00c0 00000000 2a00000000000000 00"
        "06000000 0010"
        "06000000 0010  0a000000 0000 1b000000"
        "25000000 0000 6a6176612e6c616e672e496c6c6567616c5374617465457863657074696f6e"
        "0a000000 0000 626f6f6d"
        "06000000 0010"
        "06000000 0010  0a000000 0000 07000000  07000000 0000 43  07000000 0000 6d  06000000 0004  06000000 0008"
        "06000000 0008  06000000 0008  06000000 0028"
    )
    (holder,) = decode_error(_read(vector))
    assert (holder.error_code, holder.class_name, holder.message) == (27, "java.lang.IllegalStateException", "boom")
    (element,) = holder.stack_trace_elements
    assert (element.class_name, element.method_name, element.file_name, element.line_number) == ("C", "m", None, 7)
    encoded = encode_error([holder])
    set_correlation_id(encoded, 42)
    assert bytes(encoded) == vector


def test_decoders_tolerate_fields_a_newer_peer_appends() -> None:
    codec = method("Map.size")
    message = _read(codec.encode_response(3))
    flags, payload = message[0]
    # A newer member may add fixed fields to the initial frame and whole frames after the known ones.
    newer = [(flags & ~IS_FINAL, payload + b"\x01\x02\x03\x04"), (0, b"unknown"), (IS_FINAL, b"")]
    assert codec.decode_response(newer) == 3


def test_custom_type_skips_unknown_trailing_fields() -> None:
    from hazelcast.core import Address

    buf = bytearray(_INITIAL)
    encoder_for("Address")(buf, Address("example.org", 5702))
    # An Address from a newer peer with an unknown string and an unknown nested structure before its END.
    newer = bytes(buf[:-6]) + _hex("0b000000 0000 7a7a7a7a7a 06000000 0010 06000000 0008 06000000 0028")
    message = _read(newer)
    address, index = decoder_for("Address")(message, 1)
    assert address == Address("example.org", 5702)
    assert index == len(message)


def test_older_peer_without_versioned_params_decodes_them_as_none() -> None:
    auth = method("Client.authentication")
    full = _read(auth.encode_request("dev", None, None, None, "PYH", 1, "5.7.0", "c", ["a"], 1, True))
    flags, payload = full[0]
    old_style = [(flags, payload[:-2])] + full[1:]
    decoded = auth.decode_request(old_style)
    assert decoded.labels == ["a"]
    assert decoded.routing_mode is None and decoded.cp_direct_to_leader_routing is None


def test_lookup_by_type_and_unknown_messages() -> None:
    assert method_by_type(0x010100) is method("Map.put")
    assert method_by_type(0x7F0100) is None
    assert method_by_type(0x010101) is None
    with pytest.raises(KeyError):
        method("Map.noSuchMethod")


def test_list_and_map_types_round_trip() -> None:
    cases = {
        "List_Data": [b"\x00" * 8, b"\x01" * 9],
        "ListCN_Data": [b"\x00" * 8, None],
        "Map_String_String": {"a": "1", "ü": ""},
        "EntryList_Data_Data": [(KEY_1, INT_54)],
        "EntryList_Integer_Long": [(1, 2), (-1, -(2**63))],
        "List_UUID": [uuid.UUID(int=5), None],
        "EntryList_UUID_List_Integer": [(uuid.UUID(int=7), [1, 2]), (uuid.UUID(int=8), [])],
        "longArray": [1, -1, 2**62],
    }
    for type_name, value in cases.items():
        buf = bytearray(_INITIAL)
        last = encoder_for(type_name)(buf, value)
        buf[last + 5] |= IS_FINAL >> 8
        decoded, index = decoder_for(type_name)(_read(buf), 1)
        assert decoded == value, type_name
    assert BEGIN_DATA_STRUCTURE and END_DATA_STRUCTURE


def test_a_remembered_custom_encoding_is_reused_only_for_the_same_object() -> None:
    codec = method("AtomicLong.addAndGet")
    group_type = method("CPGroup.createCPGroup")
    (created,) = MessageReader().feed(bytes(group_type.encode_response(_group("default", 0, 7))))
    group = group_type.decode_response(created)
    first = bytes(codec.encode_request(group, "counter", 1))
    again = bytes(codec.encode_request(group, "counter", 1))
    assert first == again
    (message,) = MessageReader().feed(again)
    assert codec.decode_request(message).group_id == group
    other = group._replace(name="other", id=8)
    (message,) = MessageReader().feed(bytes(codec.encode_request(other, "counter", 1)))
    assert codec.decode_request(message).group_id == other
    (message,) = MessageReader().feed(bytes(codec.encode_request(group, "counter", 2)))
    decoded = codec.decode_request(message)
    assert decoded.group_id == group and decoded.delta == 2


def _group(name: str, seed: int, id_: int) -> Any:
    return namedtuple("RaftGroupId", "name seed id")(name, seed, id_)


def test_structure_names_are_encoded_once_and_decode_as_sent() -> None:
    from hazelcast.protocol.codec import _NAME_FRAMES, _NAME_FRAMES_LIMIT

    get = method("Map.get")
    for name in ["orders", "ürün-ä", "orders", "ürün-ä"]:
        (message,) = MessageReader().feed(bytes(get.encode_request(name, b"\0" * 12, 1)))
        assert get.decode_request(message).name == name
    raw = "ürün-ä".encode()
    assert _NAME_FRAMES["ürün-ä"] == struct.pack("<iH", len(raw) + 6, 0) + raw
    for index in range(_NAME_FRAMES_LIMIT + 10):
        get.encode_request(f"name-{index}", b"\0" * 12, 1)
    assert len(_NAME_FRAMES) <= _NAME_FRAMES_LIMIT
    # Past the bound, names are still encoded right (each time).
    (message,) = MessageReader().feed(bytes(get.encode_request("one-more-name", b"\0" * 12, 1)))
    assert get.decode_request(message).name == "one-more-name"
