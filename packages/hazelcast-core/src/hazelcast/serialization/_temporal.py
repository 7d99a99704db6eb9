"""Java's date/time layouts, shared by the built-in, Compact and Portable formats.

All three write a ``LocalTime`` as hour, minute, second and nanoseconds and an ``OffsetDateTime``'s offset as whole
seconds east of UTC; these helpers convert between those fields and Python's values the same way everywhere.
"""

from __future__ import annotations

import datetime
import functools

__all__ = ["offset_seconds", "offset_timezone"]


def offset_seconds(value: datetime.datetime) -> int:
    """Seconds east of UTC of ``value`` (0 when naive); ``utcoffset()`` also resolves zoneinfo zones."""
    offset = value.utcoffset()
    return 0 if offset is None else offset.days * 86400 + offset.seconds


@functools.lru_cache(maxsize=256)
def offset_timezone(seconds: int) -> datetime.timezone:
    """The fixed-offset timezone of ``seconds`` east of UTC; cached, as few distinct offsets occur."""
    return datetime.UTC if seconds == 0 else datetime.timezone(datetime.timedelta(seconds=seconds))
