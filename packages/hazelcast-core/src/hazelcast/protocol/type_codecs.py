"""Encoders and decoders of the protocol's variable-size types, and the frame-level pieces generated code uses.

An encoder appends a value's frames to a request being built (a ``bytearray``) and returns the offset of the last frame
it wrote, so that the caller can set IS_FINAL on it; a decoder takes ``(message, index)`` and returns ``(value, next
index)``. :func:`encoder_for` and :func:`decoder_for` give them by protocol type name (``String``, ``List_Data``,
``EntryList_UUID_Long``, a custom type...), built once on first use. :mod:`hazelcast.protocol.codec` compiles messages
and custom types on top of them.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable
from typing import Any

from hazelcast.protocol.frames import BEGIN_DATA_STRUCTURE, END_DATA_STRUCTURE, FRAME_HEADER, IS_FINAL, IS_NULL, Message

__all__ = [
    "BEGIN_FRAME",
    "END_FRAME",
    "FINAL_HIGH_BYTE",
    "HEADER_SIZE",
    "NULL_FRAME",
    "STRUCT_CODES",
    "decoder_for",
    "encode_bytes",
    "encoder_for",
    "pack_frame_header",
    "skip_to_end",
    "uuid_at",
    "uuid_parts",
]

pack_frame_header = FRAME_HEADER.pack
HEADER_SIZE = FRAME_HEADER.size
BEGIN_FRAME = pack_frame_header(HEADER_SIZE, BEGIN_DATA_STRUCTURE)
END_FRAME = pack_frame_header(HEADER_SIZE, END_DATA_STRUCTURE)
NULL_FRAME = pack_frame_header(HEADER_SIZE, IS_NULL)
# IS_FINAL sits in the high byte of the little-endian flags, at offset 5 of a frame.
FINAL_HIGH_BYTE = IS_FINAL >> 8

STRUCT_CODES = {"boolean": "?", "byte": "b", "int": "i", "long": "q", "float": "f", "UUID": "BQQ"}
_ELEMENT_TYPES = {"Integer": "int", "Long": "long", "UUID": "UUID", "Boolean": "boolean", "Byte": "byte"}
_MASK64 = (1 << 64) - 1



def uuid_parts(value: uuid.UUID | None) -> tuple[int, int, int]:
    if value is None:
        return 1, 0, 0
    bits = value.int
    return 0, bits >> 64, bits & _MASK64


#: UUIDs decoded lately, by their 16 bytes on the wire. The same few (member ids above all) arrive in message after
#: message, and building a ``uuid.UUID`` costs far more than a dict lookup; UUIDs are immutable, so one object serves.
_DECODED_UUIDS: dict[bytes, uuid.UUID] = {}
_DECODED_UUIDS_LIMIT = 4096
_unpack_uuid_bits = struct.Struct("<QQ").unpack


def uuid_at(payload: bytes, offset: int) -> uuid.UUID | None:
    if payload[offset]:  # the is-null flag
        return None
    raw = payload[offset + 1 : offset + 17]
    value = _DECODED_UUIDS.get(raw)
    if value is None:
        high, low = _unpack_uuid_bits(raw)
        value = uuid.UUID(int=(high << 64) | low)
        if len(_DECODED_UUIDS) >= _DECODED_UUIDS_LIMIT:
            _DECODED_UUIDS.clear()
        _DECODED_UUIDS[raw] = value
    return value


def skip_to_end(message: Message, index: int) -> int:
    """Index just past the END frame closing the structure that ``index`` is inside (skips unknown newer fields)."""
    depth = 1
    while True:
        flags = message[index][0]
        index += 1
        if flags & END_DATA_STRUCTURE:
            depth -= 1
            if depth == 0:
                return index
        elif flags & BEGIN_DATA_STRUCTURE:
            depth += 1


# ---------------------------------------------------------------------------------------------------------------------
# Encoders and decoders of variable-size types. Encoders append frames to a bytearray and return the offset of the last
# frame they wrote (so the caller can set IS_FINAL on it); decoders take (message, index) and return (value, next index).


def encode_bytes(buf: bytearray, value: bytes | bytearray) -> int:
    offset = len(buf)
    buf += pack_frame_header(len(value) + HEADER_SIZE, 0)
    buf += value
    return offset


def _enc_string(buf: bytearray, value: str) -> int:
    return encode_bytes(buf, value.encode("utf-8"))


def _dec_bytes(message: Message, index: int) -> tuple[bytes, int]:
    return message[index][1], index + 1


def _dec_string(message: Message, index: int) -> tuple[str, int]:
    return message[index][1].decode("utf-8"), index + 1


def _packed_list_codec(code: str, size: int) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    def encode(buf: bytearray, values: Any) -> int:
        return encode_bytes(buf, struct.pack(f"<{len(values)}{code}", *values))

    def decode(message: Message, index: int) -> tuple[list[Any], int]:
        payload = message[index][1]
        return list(struct.unpack(f"<{len(payload) // size}{code}", payload)), index + 1

    return encode, decode


def _fixed_element_pack(element: str) -> tuple[Callable[[Any], bytes], Callable[[bytes, int], Any], int]:
    """Pack/unpack/size of one fixed-size list element (UUIDs take 17 bytes)."""
    kind = _ELEMENT_TYPES[element]
    if kind == "UUID":
        uuid_struct = struct.Struct("<BQQ")
        return (lambda v: uuid_struct.pack(*uuid_parts(v))), uuid_at, 17
    single = struct.Struct("<" + STRUCT_CODES[kind])
    return single.pack, (lambda payload, offset: single.unpack_from(payload, offset)[0]), single.size


def _fixed_list_codec(element: str) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    kind = _ELEMENT_TYPES[element]
    if kind != "UUID":
        code = STRUCT_CODES[kind]
        return _packed_list_codec(code, struct.calcsize(code))
    pack, unpack, size = _fixed_element_pack(element)

    def encode(buf: bytearray, values: Any) -> int:
        return encode_bytes(buf, b"".join(pack(v) for v in values))

    def decode(message: Message, index: int) -> tuple[list[Any], int]:
        payload = message[index][1]
        return [unpack(payload, offset) for offset in range(0, len(payload), size)], index + 1

    return encode, decode


def _fixed_entry_list_codec(key: str, value: str) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    pack_key, unpack_key, key_size = _fixed_element_pack(key)
    pack_value, unpack_value, value_size = _fixed_element_pack(value)
    pair_size = key_size + value_size

    def encode(buf: bytearray, pairs: Any) -> int:
        items = pairs.items() if isinstance(pairs, dict) else pairs
        return encode_bytes(buf, b"".join(pack_key(k) + pack_value(v) for k, v in items))

    def decode(message: Message, index: int) -> tuple[list[tuple[Any, Any]], int]:
        payload = message[index][1]
        return [
            (unpack_key(payload, offset), unpack_value(payload, offset + key_size))
            for offset in range(0, len(payload), pair_size)
        ], index + 1

    return encode, decode


def _list_codec(element: str, nullable_items: bool) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    encode_item = encoder_for(element)
    decode_item = decoder_for(element)

    def encode(buf: bytearray, values: Any) -> int:
        buf += BEGIN_FRAME
        for value in values:
            if value is None and nullable_items:
                buf += NULL_FRAME
            else:
                encode_item(buf, value)
        offset = len(buf)
        buf += END_FRAME
        return offset

    def decode(message: Message, index: int) -> tuple[list[Any], int]:
        index += 1
        items: list[Any] = []
        while True:
            flags = message[index][0]
            if flags & END_DATA_STRUCTURE:
                return items, index + 1
            if flags & IS_NULL:
                items.append(None)
                index += 1
            else:
                item, index = decode_item(message, index)
                items.append(item)

    return encode, decode


def _entry_list_codec(key: str, value: str, as_dict: bool) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    encode_key, decode_key = encoder_for(key), decoder_for(key)
    encode_value, decode_value = encoder_for(value), decoder_for(value)

    def encode(buf: bytearray, pairs: Any) -> int:
        buf += BEGIN_FRAME
        for k, v in pairs.items() if isinstance(pairs, dict) else pairs:
            encode_key(buf, k)
            encode_value(buf, v)
        offset = len(buf)
        buf += END_FRAME
        return offset

    def decode(message: Message, index: int) -> tuple[Any, int]:
        index += 1
        pairs = []
        while not message[index][0] & END_DATA_STRUCTURE:
            k, index = decode_key(message, index)
            v, index = decode_value(message, index)
            pairs.append((k, v))
        return (dict(pairs) if as_dict else pairs), index + 1

    return encode, decode


def _keys_after_values_codec(key: str, value: str) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    """EntryList_UUID_List_Integer and EntryList_Long_byteArray: the values as a list, then the keys in one frame."""
    encode_values, decode_values = _list_codec(value, False)
    encode_keys, decode_keys = _fixed_list_codec(key)

    def encode(buf: bytearray, pairs: Any) -> int:
        items = list(pairs.items() if isinstance(pairs, dict) else pairs)
        encode_values(buf, [v for _, v in items])
        return encode_keys(buf, [k for k, _ in items])

    def decode(message: Message, index: int) -> tuple[list[tuple[Any, Any]], int]:
        values, index = decode_values(message, index)
        keys, index = decode_keys(message, index)
        return list(zip(keys, values)), index

    return encode, decode


def _float_array_codec() -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    """floatArray: a sequence of floats, or ``bytes``/``bytearray`` already packed as little-endian float32.

    The packed form lets a caller holding a contiguous array (``array.array('f')``, numpy ``astype('<f4')``) hand over
    its buffer in one piece instead of one Python float per element.
    """
    encode_sequence, decode = _packed_list_codec("f", 4)

    def encode(buf: bytearray, values: Any) -> int:
        if isinstance(values, (bytes, bytearray)):
            if len(values) % 4:
                raise ValueError(f"a packed float array must hold a multiple of 4 bytes, got {len(values)}")
            return encode_bytes(buf, values)
        return encode_sequence(buf, values)

    return encode, decode


_BUILTIN_CODECS: dict[str, tuple[Callable[..., int], Callable[..., tuple[Any, int]]]] = {
    "String": (_enc_string, _dec_string),
    "Data": (encode_bytes, _dec_bytes),
    "byteArray": (encode_bytes, _dec_bytes),
    "longArray": _packed_list_codec("q", 8),
    "floatArray": _float_array_codec(),
}
_codec_cache: dict[str, tuple[Callable[..., int], Callable[..., tuple[Any, int]]]] = {}


def _type_codec(type_name: str) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    cached = _codec_cache.get(type_name) or _BUILTIN_CODECS.get(type_name)
    if cached is not None:
        return cached
    codec = _build_type_codec(type_name)
    _codec_cache[type_name] = codec
    return codec


def _build_type_codec(type_name: str) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    head, _, rest = type_name.partition("_")
    if head in ("List", "Set") and rest in _ELEMENT_TYPES:
        return _fixed_list_codec(rest)
    if head == "List":
        return _list_codec(rest, False)
    if head == "ListCN":
        return _list_codec(rest, True)
    if head in ("EntryList", "Map"):
        key, _, value = rest.partition("_")
        if key in _ELEMENT_TYPES and value in _ELEMENT_TYPES:
            return _fixed_entry_list_codec(key, value)
        if (key, value) in (("UUID", "List_Integer"), ("Long", "byteArray")):
            return _keys_after_values_codec(key, value)
        return _entry_list_codec(key, value, head == "Map")
    if type_name == "SqlPage":
        # A hand-written layout (columns by type), not expressible in the custom-type notation.
        from hazelcast.protocol.sql_page import decode_sql_page, encode_sql_page

        return encode_sql_page, decode_sql_page
    # Custom types are compiled from their specs by the message compiler (which needs these codecs in turn).
    from hazelcast.protocol.codec import custom_type_codec

    return custom_type_codec(type_name)


def encoder_for(type_name: str) -> Callable[..., int]:
    """The frame encoder of a variable-size protocol type: ``encode(buf, value) -> offset of its last frame``."""
    return _type_codec(type_name)[0]


def decoder_for(type_name: str) -> Callable[..., tuple[Any, int]]:
    """The decoder of a variable-size protocol type: ``decode(message, index) -> (value, next index)``."""
    return _type_codec(type_name)[1]
