"""The error response: message type 0 carrying the server-side exception and its causes as ErrorHolders."""

from __future__ import annotations

import struct
from typing import Any

from hazelcast.protocol.codec import decoder_for, encoder_for
from hazelcast.protocol.frames import IS_FINAL, UNFRAGMENTED, Message

__all__ = ["ERROR_MESSAGE_TYPE", "decode_error", "encode_error"]

ERROR_MESSAGE_TYPE = 0
_INITIAL = struct.Struct("<iHiqB")


def encode_error(holders: list[Any]) -> bytearray:
    """Wire bytes of an error response (correlation id to be patched); ``holders`` are ErrorHolder-like objects
    with ``error_code``, ``class_name``, ``message`` and ``stack_trace_elements`` attributes, the error first."""
    buf = bytearray(_INITIAL.size)
    _INITIAL.pack_into(buf, 0, _INITIAL.size, UNFRAGMENTED, ERROR_MESSAGE_TYPE, 0, 0)
    offset = encoder_for("List_ErrorHolder")(buf, holders)
    buf[offset + 5] |= IS_FINAL >> 8
    return buf


def decode_error(message: Message) -> list[Any]:
    """The ErrorHolders of an error response, the error first and then its causes."""
    holders, _ = decoder_for("List_ErrorHolder")(message, 1)
    return holders
