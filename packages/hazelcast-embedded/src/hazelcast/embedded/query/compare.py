"""How the member compares attribute values with the values of a predicate: Java's rules, in Python.

* A predicate value is first converted to the type of the attribute value it is compared with (Hazelcast's
  ``TypeConverters``): ``"30"`` becomes the number 30 for a numeric attribute, ``30`` becomes ``"30"`` for a string
  attribute, ``"true"`` a boolean for a boolean attribute, a string a UUID, Decimal or date for such attributes. A
  string that is not a number of a numeric attribute is an :class:`~hazelcast.errors.IllegalArgumentError`.
* Numbers compare by value whatever their width or kind (an int and a long, an int and a double), as
  Hazelcast's ``Numbers`` do; a boolean is not a number.
* ``None`` (null or missing) equals only ``None`` and is neither less nor greater than anything.
* :data:`~hazelcast.embedded.query.values.NON_TERMINAL_JSON_VALUE` (a JSON object or array reached by a path)
  equals nothing and compares with nothing.

:func:`sort_key` orders values of mixed types deterministically (numbers, then strings, then the rest by type), for
sorted indexes and paging.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from hazelcast.embedded.query.values import NON_TERMINAL_JSON_VALUE, NonTerminalJsonValue, OpaqueValue
from hazelcast.errors import IllegalArgumentError

__all__ = ["comparable", "convert", "equal", "sort_key"]

_NUMBER_TYPES = (int, float, decimal.Decimal)


def _is_number(value: Any) -> bool:
    return isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool)


def _parse_number(text: str, like: Any) -> Any:
    stripped = text.strip()
    try:
        if isinstance(like, int):
            try:
                return int(stripped)
            except ValueError:
                return float(stripped)
        if isinstance(like, decimal.Decimal):
            return decimal.Decimal(stripped)
        return float(stripped)
    except (ValueError, decimal.InvalidOperation):
        raise IllegalArgumentError(f"cannot convert {text!r} to a number to compare it with {like!r}") from None


def convert(value: Any, like: Any) -> Any:
    """``value`` (from a predicate) converted to the type of ``like`` (an attribute value); see the module docs."""
    if value is None or like is None or type(value) is type(like):
        return value
    if isinstance(like, bool):
        if isinstance(value, str):
            return value.strip().lower() == "true"
        if _is_number(value):
            return value != 0
        return value
    if _is_number(like):
        if isinstance(value, str):
            return _parse_number(value, like)
        if isinstance(value, bool):
            return 1 if value else 0
        return value
    if isinstance(like, str):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (OpaqueValue, NonTerminalJsonValue)):
            return value
        return str(value)
    if isinstance(value, str):
        return _from_string(value, like)
    return value


def _from_string(value: str, like: Any) -> Any:
    try:
        if isinstance(like, uuid.UUID):
            return uuid.UUID(value)
        if isinstance(like, datetime.datetime):
            return datetime.datetime.fromisoformat(value)
        if isinstance(like, datetime.date):
            return datetime.date.fromisoformat(value)
        if isinstance(like, datetime.time):
            return datetime.time.fromisoformat(value)
    except ValueError:
        raise IllegalArgumentError(f"cannot convert {value!r} to compare it with {like!r}") from None
    return value


def equal(attribute: Any, value: Any) -> bool:
    """Whether the attribute value equals the (unconverted) predicate value."""
    if type(attribute) is type(value) and attribute is not NON_TERMINAL_JSON_VALUE:
        return bool(attribute == value)
    if attribute is None or value is None:
        return attribute is None and value is None
    if isinstance(attribute, NonTerminalJsonValue):
        return False
    converted = convert(value, attribute)
    if isinstance(attribute, bool) is not isinstance(converted, bool):
        return False
    return bool(attribute == converted)


def comparable(attribute: Any, value: Any) -> tuple[Any, Any] | None:
    """The attribute value and the converted predicate value if they can be ordered, else None."""
    if attribute is None or value is None or isinstance(attribute, NonTerminalJsonValue):
        return None
    converted = convert(value, attribute)
    if _is_number(attribute) and _is_number(converted):
        return attribute, converted
    if type(attribute) is type(converted) or isinstance(converted, type(attribute)):
        return attribute, converted
    if isinstance(attribute, datetime.date) and isinstance(converted, datetime.date):
        return attribute, converted
    return None


def sort_key(value: Any) -> tuple[int, Any]:
    """A key ordering values of any types: None first, then booleans, numbers, strings, then others by type name."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, value)
    if _is_number(value):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, uuid.UUID)):
        return (4, (type(value).__name__, value))
    return (5, (type(value).__name__, repr(value)))
