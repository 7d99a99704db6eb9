"""floatArray parameters given as packed float32 bytes, and custom-type factories registered after first use."""

from __future__ import annotations

import struct
from collections import namedtuple

import pytest

from hazelcast.protocol import method
from hazelcast.protocol.codec import _custom_factories, register_custom_factory
from hazelcast.protocol.frames import MessageReader

Pair = namedtuple("Pair", "name type vector")
Doc = namedtuple("Doc", "value vectors")


def _round_trip(vector: object) -> object:
    codec = method("VectorCollection.set")
    (message,) = MessageReader().feed(bytes(codec.encode_request("c", b"k" * 8, Doc(b"v" * 8, [Pair("i", 0, vector)]))))
    return codec.decode_request(message)


def test_packed_bytes_and_sequences_encode_alike() -> None:
    packed = _round_trip(struct.pack("<3f", 1.5, -2, 0))
    listed = _round_trip([1.5, -2, 0])
    assert packed.value.vectors[0].vector == listed.value.vectors[0].vector == [1.5, -2.0, 0.0]


def test_packed_bytes_must_hold_whole_floats() -> None:
    with pytest.raises(ValueError, match="multiple of 4"):
        _round_trip(b"\x00" * 6)


def test_a_factory_registered_after_decoding_applies_to_later_decodes() -> None:
    previous = _custom_factories.get("VectorPair")
    _round_trip([1.0])  # compiles the decoders with whatever factory is current

    class Marked:
        def __init__(self, name: str, type: int, vector: list[float]) -> None:  # noqa: A002
            self.vector = vector

    register_custom_factory("VectorPair", Marked)
    try:
        assert isinstance(_round_trip([2.0]).value.vectors[0], Marked)
    finally:
        if previous is not None:
            register_custom_factory("VectorPair", previous)
        else:
            _custom_factories.pop("VectorPair", None)
            register_custom_factory("VectorPair", namedtuple("VectorPair", "name type vector"))
