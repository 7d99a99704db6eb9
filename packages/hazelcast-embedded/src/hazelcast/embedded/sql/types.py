"""SQL column types, error codes, and the conversions between Python values and SQL types.

Type ids and error codes are the protocol's (``hazelcast.sql.SqlColumnType`` and the member's ``SqlErrorCode``).
"""

from __future__ import annotations

import datetime
import decimal
import math
from typing import Any

from hazelcast.core import HazelcastJsonValue

__all__ = [
    "BIGINT", "BOOLEAN", "DATE", "DECIMAL", "DOUBLE", "INTEGER", "JSON", "NULL", "OBJECT", "REAL", "SMALLINT",
    "TIME", "TIMESTAMP", "TIMESTAMP_WITH_TIME_ZONE", "TINYINT", "VARCHAR",
    "ErrorCode", "SqlFailure", "TYPE_NAMES", "convert", "is_numeric", "parse_type_name", "type_of_value",
]

VARCHAR, BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE = range(9)
DATE, TIME, TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE, OBJECT, NULL, JSON = range(9, 16)

TYPE_NAMES = {
    VARCHAR: "VARCHAR", BOOLEAN: "BOOLEAN", TINYINT: "TINYINT", SMALLINT: "SMALLINT", INTEGER: "INTEGER",
    BIGINT: "BIGINT", DECIMAL: "DECIMAL", REAL: "REAL", DOUBLE: "DOUBLE", DATE: "DATE", TIME: "TIME",
    TIMESTAMP: "TIMESTAMP", TIMESTAMP_WITH_TIME_ZONE: "TIMESTAMP WITH TIME ZONE", OBJECT: "OBJECT", NULL: "NULL",
    JSON: "JSON",
}

# Names a DDL column type or a CAST may use (upper case, single spaces).
_TYPE_ALIASES = {
    "VARCHAR": VARCHAR, "CHAR VARYING": VARCHAR, "CHARACTER VARYING": VARCHAR, "STRING": VARCHAR, "TEXT": VARCHAR,
    "BOOLEAN": BOOLEAN, "BOOL": BOOLEAN,
    "TINYINT": TINYINT, "SMALLINT": SMALLINT, "INT": INTEGER, "INTEGER": INTEGER, "BIGINT": BIGINT,
    "DECIMAL": DECIMAL, "DEC": DECIMAL, "NUMERIC": DECIMAL,
    "REAL": REAL, "FLOAT": REAL, "DOUBLE": DOUBLE, "DOUBLE PRECISION": DOUBLE,
    "DATE": DATE, "TIME": TIME, "TIMESTAMP": TIMESTAMP, "TIMESTAMP WITH TIME ZONE": TIMESTAMP_WITH_TIME_ZONE,
    "TIMESTAMPTZ": TIMESTAMP_WITH_TIME_ZONE, "OBJECT": OBJECT, "JSON": JSON, "NULL": NULL,
}

_INTEGER_RANGES = {
    TINYINT: (-(2**7), 2**7 - 1),
    SMALLINT: (-(2**15), 2**15 - 1),
    INTEGER: (-(2**31), 2**31 - 1),
    BIGINT: (-(2**63), 2**63 - 1),
}
INTEGER_TYPES = (TINYINT, SMALLINT, INTEGER, BIGINT)
_NUMERIC_ORDER = (TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE)


class ErrorCode:
    """The member's SQL error codes, as the protocol's SqlError carries them."""

    GENERIC = -1
    CONNECTION_PROBLEM = 1001
    CANCELLED_BY_USER = 1003
    TIMEOUT = 1004
    PARTITION_DISTRIBUTION = 1005
    MAP_LOADING_IN_PROGRESS = 1007
    PARSING = 1008
    INDEX_INVALID = 1009
    OBJECT_NOT_FOUND = 1010
    DATA_EXCEPTION = 2000


class SqlFailure(Exception):
    """A statement failed: answered to the client as the protocol's SqlError (code, message, suggestion)."""

    def __init__(self, code: int, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.suggestion = suggestion


def parsing_error(message: str) -> SqlFailure:
    return SqlFailure(ErrorCode.PARSING, message)


def data_error(message: str) -> SqlFailure:
    return SqlFailure(ErrorCode.DATA_EXCEPTION, message)


def parse_type_name(name: str) -> int:
    """The type id of a DDL/CAST type name (``INT``, ``timestamp with time zone``, ``VARCHAR(10)``)."""
    text = " ".join(name.upper().split())
    if "(" in text:
        text = text[: text.index("(")].strip()
    type_id = _TYPE_ALIASES.get(text)
    if type_id is None:
        raise parsing_error(f"Unknown type: {name}")
    return type_id


def is_numeric(type_id: int) -> bool:
    return type_id in _NUMERIC_ORDER


def is_integer(type_id: int) -> bool:
    return type_id in _INTEGER_RANGES


def wider_numeric(left: int, right: int) -> int:
    return _NUMERIC_ORDER[max(_NUMERIC_ORDER.index(left), _NUMERIC_ORDER.index(right))]


def integer_literal_type(value: int) -> int:
    """The narrowest integer type holding ``value`` (how a member types integer literals); DECIMAL past BIGINT."""
    for type_id in INTEGER_TYPES:
        low, high = _INTEGER_RANGES[type_id]
        if low <= value <= high:
            return type_id
    return DECIMAL


def type_of_value(value: Any) -> int:
    """The SQL type a Python value naturally has (parameters, OBJECT values)."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return BIGINT if -(2**63) <= value < 2**63 else DECIMAL
    if isinstance(value, float):
        return DOUBLE
    if isinstance(value, str):
        return VARCHAR
    if isinstance(value, decimal.Decimal):
        return DECIMAL
    if isinstance(value, datetime.datetime):
        return TIMESTAMP_WITH_TIME_ZONE if value.tzinfo is not None else TIMESTAMP
    if isinstance(value, datetime.date):
        return DATE
    if isinstance(value, datetime.time):
        return TIME
    if isinstance(value, HazelcastJsonValue):
        return JSON
    return OBJECT


def type_name(type_id: int) -> str:
    return TYPE_NAMES.get(type_id, str(type_id))


def _integer(value: int, type_id: int) -> int:
    low, high = _INTEGER_RANGES[type_id]
    if not low <= value <= high:
        raise data_error(f"Numeric overflow while converting {value} to {type_name(type_id)}")
    return value


def convert(value: Any, type_id: int, explicit: bool = False) -> Any:
    """``value`` as a value of SQL type ``type_id``; SqlFailure (DATA_EXCEPTION) when it cannot be.

    Implicit conversions (``explicit`` False: reading a field, assigning a column) only widen numbers and accept the
    natural Python types of the target; a CAST (``explicit``) also converts between strings, numbers and booleans.
    """
    if value is None or type_id in (OBJECT, NULL):
        return value
    kind = type(value)
    if type_id in _INTEGER_RANGES:
        if kind is int:
            return _integer(value, type_id)
        if kind is bool:
            if explicit:
                return int(value)
        elif isinstance(value, (float, decimal.Decimal)):
            if explicit or value == int(value):
                if isinstance(value, float) and not math.isfinite(value):
                    raise data_error(f"Cannot convert {value} to {type_name(type_id)}")
                return _integer(int(value), type_id)
        elif kind is str and explicit:
            try:
                return _integer(int(value.strip()), type_id)
            except ValueError:
                pass
    elif type_id == VARCHAR:
        if kind is str:
            return value
        if explicit:
            if kind is bool:
                return "true" if value else "false"
            if isinstance(value, HazelcastJsonValue):
                return value.to_string()
            if isinstance(value, datetime.datetime):
                return value.isoformat()
            return str(value)
    elif type_id == DOUBLE or type_id == REAL:
        if kind is float:
            return value
        if kind is int or isinstance(value, decimal.Decimal):
            return float(value)
        if kind is str and explicit:
            try:
                return float(value)
            except ValueError:
                pass
    elif type_id == DECIMAL:
        if isinstance(value, decimal.Decimal):
            return value
        if kind is int:
            return decimal.Decimal(value)
        if kind is float:
            if math.isfinite(value):
                return decimal.Decimal(repr(value))
        elif kind is str and explicit:
            try:
                return decimal.Decimal(value.strip())
            except decimal.InvalidOperation:
                pass
    elif type_id == BOOLEAN:
        if kind is bool:
            return value
        if kind is str and explicit and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
    elif type_id == JSON:
        if isinstance(value, HazelcastJsonValue):
            return value
        if kind is str:
            return HazelcastJsonValue(value)
    elif type_id == TIMESTAMP_WITH_TIME_ZONE:
        if isinstance(value, datetime.datetime):
            return value if value.tzinfo is not None else value.replace(tzinfo=datetime.timezone.utc)
        if kind is str and explicit:
            return _parse_temporal(value, type_id)
    elif type_id == TIMESTAMP:
        if isinstance(value, datetime.datetime):
            # Java's OffsetDateTime.toLocalDateTime(): the wall-clock time at its own offset (a client sends a naive
            # datetime as an OffsetDateTime in UTC, so it comes back unchanged).
            return value.replace(tzinfo=None) if value.tzinfo is not None else value
        if kind is str and explicit:
            return _parse_temporal(value, type_id)
    elif type_id == DATE:
        if isinstance(value, datetime.datetime):
            if explicit:
                return value.date()
        elif isinstance(value, datetime.date):
            return value
        elif kind is str and explicit:
            return _parse_temporal(value, type_id)
    elif type_id == TIME:
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime) and explicit:
            return value.time()
        if kind is str and explicit:
            return _parse_temporal(value, type_id)
    raise data_error(
        f"Cannot convert {_describe(value)} to {type_name(type_id)}"
    )


def _parse_temporal(text: str, type_id: int) -> Any:
    try:
        if type_id == DATE:
            return datetime.date.fromisoformat(text.strip())
        if type_id == TIME:
            return datetime.time.fromisoformat(text.strip())
        parsed = datetime.datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise data_error(f"Cannot parse {text!r} as {type_name(type_id)}") from error
    if type_id == TIMESTAMP_WITH_TIME_ZONE and parsed.tzinfo is None:
        return parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def _describe(value: Any) -> str:
    kind = type_of_value(value)
    shown = repr(value) if isinstance(value, (str, int, float, decimal.Decimal, bool)) else type(value).__name__
    return f"{shown} ({type_name(kind)})"
