"""The error response: message type 0 carrying the server-side exception and its causes as ErrorHolders."""

from __future__ import annotations

import struct
from typing import Any, NamedTuple

from hazelcast.protocol.codec import decoder_for, encoder_for, register_custom_factory
from hazelcast.protocol.frames import IS_FINAL, UNFRAGMENTED, Message

__all__ = ["ERROR_MESSAGE_TYPE", "ErrorHolder", "StackTraceElement", "decode_error", "encode_error"]

ERROR_MESSAGE_TYPE = 0
_INITIAL = struct.Struct("<iHiqB")


class StackTraceElement(NamedTuple):
    """One frame of a server-side stack trace."""

    class_name: str
    method_name: str
    file_name: str | None
    line_number: int


class ErrorHolder(NamedTuple):
    """One exception of an error response: its protocol code, Java class, message and stack."""

    error_code: int
    class_name: str
    message: str | None
    stack_trace_elements: list[StackTraceElement]


register_custom_factory("StackTraceElement", StackTraceElement)
register_custom_factory("ErrorHolder", ErrorHolder)


def encode_error(holders: list[Any]) -> bytearray:
    """Wire bytes of an error response (correlation id to be patched); ``holders`` are ErrorHolder-like objects
    with ``error_code``, ``class_name``, ``message`` and ``stack_trace_elements`` attributes, the error first."""
    buf = bytearray(_INITIAL.size)
    _INITIAL.pack_into(buf, 0, _INITIAL.size, UNFRAGMENTED, ERROR_MESSAGE_TYPE, 0, 0)
    offset = encoder_for("List_ErrorHolder")(buf, holders)
    buf[offset + 5] |= IS_FINAL >> 8
    return buf


def decode_error(message: Message) -> list[ErrorHolder]:
    """The ErrorHolders of an error response, the error first and then its causes."""
    holders: list[ErrorHolder]
    holders, _ = decoder_for("List_ErrorHolder")(message, 1)
    return holders
