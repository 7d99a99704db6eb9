"""The ``SqlPage`` protocol type: a page of SQL result rows, column by column.

Its layout is not described by the protocol's custom-type notation, so this module encodes and decodes it by hand
(the member encodes pages, the client decodes them). On the wire a page is::

    BEGIN | fixed frame (last: boolean) | column type ids (List_Integer) | one part per column | END

and each column part depends on the column's type id (see ``hazelcast.sql.SqlColumnType``):

* fixed-size types (BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DATE, TIME, TIMESTAMP,
  TIMESTAMP_WITH_TIME_ZONE) use one "nullable list" frame: a kind byte (1: only nulls, 2: no null, 3: mixed), the
  int32 count, then the items; a mixed list puts a bitmask byte before each run of 8 items, bit ``i`` set when item
  ``i`` of the run is present (only present items are written);
* VARCHAR, DECIMAL, OBJECT and JSON are a list of frames, a null frame standing for a null value;
* NULL is one frame holding the int32 count.

Python values: ``bool``, ``int``, ``float``, ``str``, ``decimal.Decimal``, ``datetime.date``/``time``/``datetime``
(aware for TIMESTAMP_WITH_TIME_ZONE), OBJECT values as their serialized ``Data`` bytes (deserializing them is the
reader's business), JSON values as :class:`~hazelcast.core.HazelcastJsonValue` (``str`` is accepted when encoding).
"""

from __future__ import annotations

import datetime
import struct
from collections.abc import Callable, Sequence
from typing import Any

from hazelcast.protocol.frames import (
    BEGIN_DATA_STRUCTURE,
    END_DATA_STRUCTURE,
    FRAME_HEADER,
    IS_NULL,
    Message,
)

__all__ = ["SqlPage", "decode_sql_page", "encode_sql_page"]

_H = FRAME_HEADER.pack
_HEADER_SIZE = FRAME_HEADER.size
_BEGIN_FRAME = _H(_HEADER_SIZE, BEGIN_DATA_STRUCTURE)
_END_FRAME = _H(_HEADER_SIZE, END_DATA_STRUCTURE)
_NULL_FRAME = _H(_HEADER_SIZE, IS_NULL)
_LIST_HEADER = struct.Struct("<Bi")
_INT = struct.Struct("<i")
_ONLY_NULLS, _NO_NULLS, _MIXED = 1, 2, 3

# Column type ids (the values of hazelcast.sql.SqlColumnType).
VARCHAR, BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE = range(9)
DATE, TIME, TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE, OBJECT, NULL, JSON = range(9, 16)


class SqlPage:
    """Rows of one page, held as columns: ``columns[c][r]`` is the value of column ``c`` in row ``r``."""

    __slots__ = ("column_types", "columns", "is_last")

    def __init__(self, column_types: Sequence[int], columns: Sequence[list[Any]], is_last: bool) -> None:
        self.column_types = list(column_types)
        self.columns = list(columns)
        self.is_last = is_last

    @property
    def row_count(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __repr__(self) -> str:
        return f"SqlPage(types={self.column_types}, rows={self.row_count}, is_last={self.is_last})"


# -- fixed-size item layouts -------------------------------------------------------------------------------------------

_DATE = struct.Struct("<ibb")
_TIME = struct.Struct("<bbbi")
_DATETIME = struct.Struct("<ibbbbbi")
_OFFSET_DATETIME = struct.Struct("<ibbbbbii")


def _pack_date(value: datetime.date) -> bytes:
    return _DATE.pack(value.year, value.month, value.day)


def _unpack_date(payload: bytes, offset: int) -> datetime.date:
    return datetime.date(*_DATE.unpack_from(payload, offset))


def _pack_time(value: datetime.time) -> bytes:
    return _TIME.pack(value.hour, value.minute, value.second, value.microsecond * 1000)


def _unpack_time(payload: bytes, offset: int) -> datetime.time:
    hour, minute, second, nano = _TIME.unpack_from(payload, offset)
    return datetime.time(hour, minute, second, nano // 1000)


def _pack_datetime(value: datetime.datetime) -> bytes:
    return _DATETIME.pack(
        value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond * 1000
    )


def _unpack_datetime(payload: bytes, offset: int) -> datetime.datetime:
    year, month, day, hour, minute, second, nano = _DATETIME.unpack_from(payload, offset)
    return datetime.datetime(year, month, day, hour, minute, second, nano // 1000)


def _pack_offset_datetime(value: datetime.datetime) -> bytes:
    offset = value.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return _OFFSET_DATETIME.pack(
        value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond * 1000, seconds
    )


def _unpack_offset_datetime(payload: bytes, offset: int) -> datetime.datetime:
    year, month, day, hour, minute, second, nano, seconds = _OFFSET_DATETIME.unpack_from(payload, offset)
    zone = datetime.timezone(datetime.timedelta(seconds=seconds))
    return datetime.datetime(year, month, day, hour, minute, second, nano // 1000, zone)


# type id -> (struct code for plain numbers or None, item size, pack, unpack)
_FIXED: dict[int, tuple[str | None, int, Callable[[Any], bytes] | None, Callable[[bytes, int], Any] | None]] = {
    BOOLEAN: ("?", 1, None, None),
    TINYINT: ("b", 1, None, None),
    SMALLINT: ("h", 2, None, None),
    INTEGER: ("i", 4, None, None),
    BIGINT: ("q", 8, None, None),
    REAL: ("f", 4, None, None),
    DOUBLE: ("d", 8, None, None),
    DATE: (None, _DATE.size, _pack_date, _unpack_date),
    TIME: (None, _TIME.size, _pack_time, _unpack_time),
    TIMESTAMP: (None, _DATETIME.size, _pack_datetime, _unpack_datetime),
    TIMESTAMP_WITH_TIME_ZONE: (None, _OFFSET_DATETIME.size, _pack_offset_datetime, _unpack_offset_datetime),
}


def _encode_fixed(buf: bytearray, type_id: int, values: list[Any]) -> None:
    code, _size, pack, _unpack = _FIXED[type_id]
    count = len(values)
    present = [v for v in values if v is not None]
    if not present and count:
        payload = _LIST_HEADER.pack(_ONLY_NULLS, count)
    elif len(present) == count:
        if code is not None:
            payload = _LIST_HEADER.pack(_NO_NULLS, count) + struct.pack(f"<{count}{code}", *values)
        else:
            assert pack is not None
            payload = _LIST_HEADER.pack(_NO_NULLS, count) + b"".join(map(pack, values))
    else:
        item = (lambda v: struct.pack("<" + code, v)) if code is not None else pack
        assert item is not None
        parts = [_LIST_HEADER.pack(_MIXED, count)]
        for start in range(0, count, 8):
            run = values[start:start + 8]
            mask = 0
            items = []
            for bit, value in enumerate(run):
                if value is not None:
                    mask |= 1 << bit
                    items.append(item(value))
            parts.append(bytes((mask,)))
            parts.extend(items)
        payload = b"".join(parts)
    buf += _H(len(payload) + _HEADER_SIZE, 0)
    buf += payload


def _decode_fixed(payload: bytes, type_id: int) -> list[Any]:
    code, size, _pack, unpack = _FIXED[type_id]
    kind, count = _LIST_HEADER.unpack_from(payload, 0)
    if kind == _ONLY_NULLS:
        return [None] * count
    position = _LIST_HEADER.size
    if kind == _NO_NULLS:
        if code is not None:
            return list(struct.unpack_from(f"<{count}{code}", payload, position))
        assert unpack is not None
        return [unpack(payload, offset) for offset in range(position, position + count * size, size)]
    if unpack is None:
        single = struct.Struct("<" + code)  # type: ignore[operator]

        def unpack(data: bytes, offset: int) -> Any:
            return single.unpack_from(data, offset)[0]

    values: list[Any] = [None] * count
    index = 0
    while index < count:
        mask = payload[position]
        position += 1
        for bit in range(min(8, count - index)):
            if mask & (1 << bit):
                values[index] = unpack(payload, position)
                position += size
            index += 1
    return values


# -- variable-size items -----------------------------------------------------------------------------------------------


def _frame(buf: bytearray, payload: bytes) -> None:
    buf += _H(len(payload) + _HEADER_SIZE, 0)
    buf += payload


def _encode_decimal(value: Any) -> bytes:
    from hazelcast.serialization._builtin_codecs import decimal_to_java

    raw, scale = decimal_to_java(value)
    return _INT.pack(len(raw)) + raw + _INT.pack(scale)


def _decode_decimal(payload: bytes) -> Any:
    from hazelcast.serialization._builtin_codecs import decimal_from_java

    size = _INT.unpack_from(payload, 0)[0]
    return decimal_from_java(payload[4:4 + size], _INT.unpack_from(payload, 4 + size)[0])


def _encode_json(buf: bytearray, value: Any) -> None:
    # HazelcastJsonValue is a custom type: BEGIN, its string, END.
    text = value if isinstance(value, str) else value.to_string()
    buf += _BEGIN_FRAME
    _frame(buf, text.encode("utf-8"))
    buf += _END_FRAME


def _encode_variable(buf: bytearray, type_id: int, values: list[Any]) -> None:
    buf += _BEGIN_FRAME
    for value in values:
        if value is None:
            buf += _NULL_FRAME
        elif type_id == VARCHAR:
            _frame(buf, value.encode("utf-8"))
        elif type_id == OBJECT:
            _frame(buf, value)
        elif type_id == DECIMAL:
            _frame(buf, _encode_decimal(value))
        else:
            _encode_json(buf, value)
    buf += _END_FRAME


def _decode_variable(message: Message, index: int, type_id: int) -> tuple[list[Any], int]:
    index += 1  # BEGIN
    values: list[Any] = []
    append = values.append
    if type_id == VARCHAR:
        while True:
            flags, payload = message[index]
            index += 1
            if flags & END_DATA_STRUCTURE:
                return values, index
            append(None if flags & IS_NULL else payload.decode("utf-8"))
    if type_id == OBJECT:
        while True:
            flags, payload = message[index]
            index += 1
            if flags & END_DATA_STRUCTURE:
                return values, index
            append(None if flags & IS_NULL else payload)
    if type_id == DECIMAL:
        while True:
            flags, payload = message[index]
            index += 1
            if flags & END_DATA_STRUCTURE:
                return values, index
            append(None if flags & IS_NULL else _decode_decimal(payload))
    from hazelcast.core import HazelcastJsonValue

    while True:
        flags, payload = message[index]
        if flags & END_DATA_STRUCTURE:
            return values, index + 1
        if flags & IS_NULL:
            append(None)
            index += 1
            continue
        # BEGIN, the string, then any newer fields up to the END of the value.
        append(HazelcastJsonValue(message[index + 1][1].decode("utf-8")))
        index += 2
        depth = 1
        while depth:
            inner = message[index][0]
            index += 1
            if inner & END_DATA_STRUCTURE:
                depth -= 1
            elif inner & BEGIN_DATA_STRUCTURE:
                depth += 1


# -- the page ----------------------------------------------------------------------------------------------------------


def encode_sql_page(buf: bytearray, page: SqlPage) -> int:
    """Append ``page``'s frames to ``buf``; returns the offset of its last frame."""
    buf += _BEGIN_FRAME
    _frame(buf, b"\x01" if page.is_last else b"\x00")
    types = page.column_types
    _frame(buf, struct.pack(f"<{len(types)}i", *types))
    for type_id, values in zip(types, page.columns):
        if type_id in _FIXED:
            _encode_fixed(buf, type_id, values)
        elif type_id == NULL:
            _frame(buf, _INT.pack(len(values)))
        elif type_id in (VARCHAR, OBJECT, DECIMAL, JSON):
            _encode_variable(buf, type_id, values)
        else:
            raise ValueError(f"unknown SQL column type id {type_id}")
    offset = len(buf)
    buf += _END_FRAME
    return offset


def decode_sql_page(message: Message, index: int) -> tuple[SqlPage, int]:
    """Decode the page starting at frame ``index`` (its BEGIN frame); returns it and the index past its END."""
    index += 1
    is_last = message[index][1][0] == 1
    payload = message[index + 1][1]
    types = list(struct.unpack(f"<{len(payload) // 4}i", payload))
    index += 2
    columns: list[list[Any]] = []
    for type_id in types:
        if type_id in _FIXED:
            columns.append(_decode_fixed(message[index][1], type_id))
            index += 1
        elif type_id == NULL:
            columns.append([None] * _INT.unpack_from(message[index][1], 0)[0])
            index += 1
        elif type_id in (VARCHAR, OBJECT, DECIMAL, JSON):
            column, index = _decode_variable(message, index, type_id)
            columns.append(column)
        else:
            raise ValueError(f"unknown SQL column type id {type_id}")
    # Skip anything a newer member added after the columns.
    depth = 1
    while depth:
        flags = message[index][0]
        index += 1
        if flags & END_DATA_STRUCTURE:
            depth -= 1
        elif flags & BEGIN_DATA_STRUCTURE:
            depth += 1
    return SqlPage(types, columns, is_last), index
