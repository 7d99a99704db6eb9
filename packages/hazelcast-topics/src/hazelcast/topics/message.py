"""What topic listeners receive, and the format reliable-topic messages are stored in."""

from __future__ import annotations

import struct
from typing import Generic, TypeVar

from hazelcast.core import Address, MemberInfo, MemberVersion
from hazelcast.errors import HazelcastSerializationError

__all__ = ["ReliableTopicMessageCodec", "TopicMessage"]

MessageType = TypeVar("MessageType")


class TopicMessage(Generic[MessageType]):
    """One message delivered to a topic listener.

    ``name``: the topic; ``message``: what was published; ``publish_time``: when, in seconds since the epoch (with
    millisecond precision); ``member``: the member that published it (a :class:`~hazelcast.core.MemberInfo`), or None
    when it is not known (a reliable-topic message published by a client).
    """

    __slots__ = ("name", "message", "publish_time", "member")

    def __init__(self, name: str, message: MessageType, publish_time: float, member: MemberInfo | None) -> None:
        self.name = name
        self.message = message
        self.publish_time = publish_time
        self.member = member

    def __repr__(self) -> str:
        return (
            f"TopicMessage(message={self.message!r}, publish_time={self.publish_time}, topic_name={self.name!r}, "
            f"publishing_member={self.member})"
        )


# A stored reliable-topic message is Java's ReliableTopicMessage, an IdentifiedDataSerializable of the topic factory:
# publish time (long, ms), publisher address (an object: null from clients, an Address from members), payload (the
# published object's serialized form, length-prefixed). Written here directly so that every client and member reads
# it, and so that a publish costs one struct pack rather than a pass through the serialization service.
_FACTORY_ID = -9
_CLASS_ID = 2
_HEADER = struct.Struct(">ii").pack(0, -2)  # partition hash, IdentifiedDataSerializable type id: always big-endian
_IDENTIFIED = 1
_NULL_TYPE_ID = 0
_IDS_TYPE_ID = -2
_ADDRESS_FACTORY_ID = 0
_ADDRESS_CLASS_ID = 1
_UNKNOWN_VERSION = MemberVersion(0, 0, 0)


class ReliableTopicMessageCodec:
    """Encodes and decodes stored reliable-topic messages in the client's byte order."""

    __slots__ = ("_fixed", "_int", "_long", "_start")

    def __init__(self, big_endian: bool) -> None:
        prefix = ">" if big_endian else "<"
        # identified header, factory id, class id, publish time, null publisher type id, payload length
        self._fixed = struct.Struct(prefix + "biiqii")
        self._int = struct.Struct(prefix + "i")
        self._long = struct.Struct(prefix + "q")
        self._start = struct.Struct(prefix + "bii")

    def encode(self, publish_time_ms: int, payload: bytes) -> bytes:
        """The stored form of a message published now by a client (no publisher address)."""
        fixed = self._fixed.pack(_IDENTIFIED, _FACTORY_ID, _CLASS_ID, publish_time_ms, _NULL_TYPE_ID, len(payload))
        return b"".join((_HEADER, fixed, payload))

    def decode(self, data: bytes) -> tuple[float, Address | None, bytes | None]:
        """``(publish time in seconds, publisher address or None, payload)`` of a stored message."""
        try:
            header, factory_id, class_id = self._start.unpack_from(data, 8)
            if factory_id != _FACTORY_ID or class_id != _CLASS_ID:
                raise HazelcastSerializationError(
                    f"not a reliable topic message: factory id {factory_id}, class id {class_id}"
                )
            position = 8 + self._start.size
            (publish_time,) = self._long.unpack_from(data, position)
            position += 8
            address, position = self._read_address(data, position)
            (length,) = self._int.unpack_from(data, position)
            position += 4
            payload = None if length < 0 else bytes(data[position:position + length])
        except struct.error as error:
            raise HazelcastSerializationError(f"a truncated reliable topic message: {error}") from error
        return publish_time / 1000.0, address, payload

    def _read_address(self, data: bytes, position: int) -> tuple[Address | None, int]:
        (type_id,) = self._int.unpack_from(data, position)
        position += 4
        if type_id == _NULL_TYPE_ID:
            return None, position
        if type_id != _IDS_TYPE_ID:
            raise HazelcastSerializationError(f"unexpected publisher address type id {type_id}")
        _, factory_id, class_id = self._start.unpack_from(data, position)
        position += self._start.size
        if (factory_id, class_id) != (_ADDRESS_FACTORY_ID, _ADDRESS_CLASS_ID):
            raise HazelcastSerializationError(f"unexpected publisher address class {factory_id}/{class_id}")
        (port,) = self._int.unpack_from(data, position)
        position += 5  # the port, then the address type byte (IPv4/IPv6), which the host string makes redundant
        (length,) = self._int.unpack_from(data, position)
        position += 4
        host = bytes(data[position:position + length]).decode("utf-8")
        return Address(host, port), position + length

    @staticmethod
    def member_of(address: Address | None) -> MemberInfo | None:
        """A member description for a publisher address (only the address is known)."""
        if address is None:
            return None
        return MemberInfo(None, address, False, None, _UNKNOWN_VERSION)
