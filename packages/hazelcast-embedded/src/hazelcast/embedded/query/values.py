"""What attribute extraction yields besides plain values: several values, JSON containers and unreadable objects."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any, Final

__all__ = ["NON_TERMINAL_JSON_VALUE", "MultiResult", "NonTerminalJsonValue", "OpaqueValue"]

_TYPE_ID = struct.Struct(">i")


class MultiResult(list[Any]):
    """The values a path with an ``[any]`` quantifier reads, one per array item reached.

    A condition holds for a MultiResult when it holds for at least one of its values. When the path met a missing or
    null record or array, or an empty array, on its way (``null_or_empty_target``), the list starts with a None that
    stands for those, so that ``attribute == None`` matches them as Hazelcast's ``MultiResult`` does.
    """

    __slots__ = ("null_or_empty_target",)

    def __init__(self, values: Iterable[Any] = (), null_or_empty_target: bool = False) -> None:
        super().__init__(values)
        self.null_or_empty_target = null_or_empty_target

    def __repr__(self) -> str:
        suffix = ", null_or_empty_target=True" if self.null_or_empty_target else ""
        return f"MultiResult({list.__repr__(self)}{suffix})"


class NonTerminalJsonValue:
    """A JSON object or array reached by a path that should end on a scalar (Hazelcast's ``NonTerminalJsonValue``).

    It is not None (the attribute exists) but equals only itself: a comparison with it never holds. There is one
    instance, :data:`NON_TERMINAL_JSON_VALUE`.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "NON_TERMINAL_JSON_VALUE"


NON_TERMINAL_JSON_VALUE: Final = NonTerminalJsonValue()


class OpaqueValue:
    """A stored key or value the member cannot read: IdentifiedDataSerializable, custom- or globally-serialized.

    A Java member would deserialize it with the user's classes; this member has none and keeps the serialized form,
    so ``__key``/``this`` still compare by identity of content: two OpaqueValues are equal when their serialized bytes
    (after the partition hash) are.
    """

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    @property
    def type_id(self) -> int:
        """The serializer type id of the value (``SerializerTypeId`` for the built-in ones)."""
        return int(_TYPE_ID.unpack_from(self.data, 4)[0])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OpaqueValue):
            return self.data[4:] == other.data[4:]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.data[4:])

    def __repr__(self) -> str:
        return f"OpaqueValue(type_id={self.type_id}, {len(self.data)} bytes)"
