"""Argument checks shared by the CP proxies: bad input is rejected before anything is sent."""

from __future__ import annotations

from typing import Any

__all__ = ["CPArgumentError", "check_long", "check_not_negative", "check_positive", "check_timeout", "to_millis"]

_LONG_MIN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1
_INT_MAX = (1 << 31) - 1


class CPArgumentError(ValueError, AssertionError):
    """An argument out of range: a ``ValueError``, and also the ``AssertionError`` the API reference documents."""


def _check_int(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        if value is None:
            raise CPArgumentError(f"{name} must not be None")
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")


def check_long(value: Any, name: str) -> None:
    """An int that fits Java's long."""
    _check_int(value, name)
    if not _LONG_MIN <= value <= _LONG_MAX:
        raise CPArgumentError(f"{name} must fit in a 64-bit signed integer, got {value}")


def check_positive(value: Any, name: str) -> None:
    """An int in 1..2**31-1 (permits, counts)."""
    _check_int(value, name)
    if not 0 < value <= _INT_MAX:
        raise CPArgumentError(f"{name} must be positive, got {value}")


def check_not_negative(value: Any, name: str) -> None:
    """An int in 0..2**31-1."""
    _check_int(value, name)
    if not 0 <= value <= _INT_MAX:
        raise CPArgumentError(f"{name} must not be negative, got {value}")


def check_timeout(value: Any, name: str = "timeout") -> float:
    """A duration in seconds, not negative."""
    if value is None:
        raise CPArgumentError(f"{name} must not be None")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if value < 0:
        raise CPArgumentError(f"{name} must not be negative, got {value}")
    return float(value)


def to_millis(seconds: float) -> int:
    return int(seconds * 1000)
