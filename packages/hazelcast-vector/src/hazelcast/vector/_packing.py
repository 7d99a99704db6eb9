"""Vectors as the protocol carries them: little-endian 32-bit floats, packed in one piece.

A numpy array is converted with ``astype('<f4').tobytes()`` and an ``array.array`` with ``tobytes()``: no Python
work per element. Any other sequence of numbers is packed by one ``struct.pack`` call. numpy is never imported here
unless the caller already passed a numpy array (so it is already loaded).
"""

from __future__ import annotations

import array
import struct
import sys
from typing import Any

__all__ = ["pack_vector"]

_LITTLE_ENDIAN = sys.byteorder == "little"


def pack_vector(values: Any) -> bytes:
    """``values`` (numbers of a vector) as packed little-endian float32 bytes; TypeError/ValueError for bad input."""
    if values is None:
        raise ValueError("a vector must not be None")
    if isinstance(values, (bytes, bytearray, str)):
        raise TypeError(f"a vector is a sequence of floats, not {type(values).__name__}")
    if type(values).__module__ == "numpy":
        return _pack_numpy(values)
    if isinstance(values, array.array):
        if values.typecode == "f" and _LITTLE_ENDIAN:
            return values.tobytes()
        if values.typecode in "fd":
            converted = array.array("f", values)
            if not _LITTLE_ENDIAN:
                converted.byteswap()
            return converted.tobytes()
    try:
        count = len(values)
    except TypeError:
        raise TypeError(f"a vector is a sequence of floats, not {type(values).__name__}") from None
    try:
        return struct.pack(f"<{count}f", *values)
    except struct.error as error:
        raise TypeError(f"every component of a vector must be a number: {error}") from None


def _pack_numpy(values: Any) -> bytes:
    import numpy  # already imported by whoever built the array

    if values.ndim != 1:
        raise ValueError(f"a vector must be one-dimensional, got an array of shape {values.shape}")
    if values.dtype.kind not in "fiu":
        raise TypeError(f"a vector must hold numbers, got an array of dtype {values.dtype}")
    return numpy.ascontiguousarray(values, dtype="<f4").tobytes()
