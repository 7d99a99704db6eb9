"""Precompiled structs for the payload byte order.

The 8-byte header of a serialized object is always big-endian; the payload follows
``Config.is_big_endian``. Each stream and each fast path picks one ``PayloadStructs`` once, so no hot-path
code branches on the byte order.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["BIG_ENDIAN", "HEADER", "LITTLE_ENDIAN", "PayloadStructs", "payload_structs"]

HEADER = struct.Struct(">ii")
"""Partition hash and serializer type id, always big-endian."""


@dataclass(frozen=True, slots=True)
class PayloadStructs:
    """The structs of one payload byte order."""

    big_endian: bool
    prefix: str
    """``">"`` or ``"<"``, for formats built at run time (arrays of a given length)."""
    int8: struct.Struct
    int16: struct.Struct
    uint16: struct.Struct
    int32: struct.Struct
    int64: struct.Struct
    uint64_pair: struct.Struct
    float32: struct.Struct
    float64: struct.Struct
    date: struct.Struct
    """int32 year, int8 month, int8 day (LocalDate)."""
    time: struct.Struct
    """int8 hour, minute, second, int32 nanosecond (LocalTime)."""
    date_time: struct.Struct
    """LocalDate followed by LocalTime (LocalDateTime)."""
    offset_date_time: struct.Struct
    """LocalDateTime followed by int32 offset seconds (OffsetDateTime)."""

    @classmethod
    def build(cls, big_endian: bool) -> PayloadStructs:
        p = ">" if big_endian else "<"
        return cls(
            big_endian=big_endian,
            prefix=p,
            int8=struct.Struct(p + "b"),
            int16=struct.Struct(p + "h"),
            uint16=struct.Struct(p + "H"),
            int32=struct.Struct(p + "i"),
            int64=struct.Struct(p + "q"),
            uint64_pair=struct.Struct(p + "QQ"),
            float32=struct.Struct(p + "f"),
            float64=struct.Struct(p + "d"),
            date=struct.Struct(p + "ibb"),
            time=struct.Struct(p + "bbbi"),
            date_time=struct.Struct(p + "ibbbbbi"),
            offset_date_time=struct.Struct(p + "ibbbbbii"),
        )


BIG_ENDIAN = PayloadStructs.build(True)
LITTLE_ENDIAN = PayloadStructs.build(False)


def payload_structs(big_endian: bool) -> PayloadStructs:
    """The shared structs of the given payload byte order."""
    return BIG_ENDIAN if big_endian else LITTLE_ENDIAN
