"""Metrics in the compressed binary format members read from ``Client.statistics`` (format version 1).

The member decodes the blob with its ``MetricsCompressor.extractMetrics``, so every byte here follows that format:

* the blob is ``version:u16 | dictionary size:i32 | dictionary | metric count:i32 | metrics``, big-endian, where the
  dictionary and the metrics are each deflated with a zlib header (``zlib.compress``);
* the dictionary maps every word of the descriptors (prefix, metric name, discriminator...) to an ``i32`` id. It is
  written sorted, each word as ``id:i32 | shared prefix length:u8 | suffix length:u8 | suffix`` where the suffix is
  UTF-16 code units (Java ``char``) and the shared prefix is taken from the word written before it;
* each metric is a mask byte, then only the descriptor fields that differ from the previous metric's (the mask has
  a bit set for every field that is *the same*): word ids (``-1`` for none), the unit ordinal (``-1`` for none), the
  excluded-targets bitset, the tag count; then the tags as id pairs, the value type and the value.

Words are limited to 255 UTF-16 code units, as the shared-prefix and suffix lengths are single bytes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from enum import IntEnum

__all__ = [
    "BINARY_FORMAT_VERSION",
    "MAX_WORD_LENGTH",
    "Metric",
    "MetricDescriptor",
    "MetricsCompressor",
    "ProbeUnit",
    "ValueType",
    "extract_metrics",
]

BINARY_FORMAT_VERSION = 1
#: Longest word (in UTF-16 code units) a descriptor may hold.
MAX_WORD_LENGTH = 255

_MASK_PREFIX = 1
_MASK_METRIC = 1 << 1
_MASK_DISCRIMINATOR = 1 << 2
_MASK_DISCRIMINATOR_VALUE = 1 << 3
_MASK_UNIT = 1 << 4
_MASK_EXCLUDED_TARGETS = 1 << 5
_MASK_TAG_COUNT = 1 << 6

_NULL_WORD_ID = -1
_NULL_UNIT = -1
# Java's Deflater.BEST_SPEED, the level the member and the official clients use.
_COMPRESSION_LEVEL = 1

_U8 = struct.Struct(">B")
_I8 = struct.Struct(">b")
_U16 = struct.Struct(">H")
_I32 = struct.Struct(">i")
_I64 = struct.Struct(">q")
_F64 = struct.Struct(">d")
_ID_PAIR = struct.Struct(">ii")
_WORD_HEADER = struct.Struct(">iBB")
_VALUE_LONG = struct.Struct(">Bq")
_VALUE_DOUBLE = struct.Struct(">Bd")
_BLOB_HEADER = struct.Struct(">Hi")


class ProbeUnit(IntEnum):
    """Unit of a metric; the values are the ordinals of the member's ``ProbeUnit`` enum."""

    BYTES = 0
    MS = 1
    NS = 2
    PERCENT = 3
    COUNT = 4
    BOOLEAN = 5
    ENUM = 6


class ValueType(IntEnum):
    """Type of a metric's value; the values are the ordinals the blob carries."""

    LONG = 0
    DOUBLE = 1


@dataclass(frozen=True, slots=True)
class MetricDescriptor:
    """What a metric measures: ``prefix.metric`` plus an optional discriminator (``name=orders``), unit and tags.

    ``excluded_targets`` is the member's bitset of metric consumers that must not see the metric (0: all see it).
    """

    metric: str
    prefix: str | None = None
    discriminator: str | None = None
    discriminator_value: str | None = None
    unit: ProbeUnit | None = None
    excluded_targets: int = 0
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Metric:
    """One decoded metric: its descriptor, the type its value was sent as and the value."""

    descriptor: MetricDescriptor
    value_type: ValueType
    value: int | float


def _utf16(word: str) -> bytes:
    # Java strings are UTF-16: lengths and shared prefixes count code units, and a char is written big-endian.
    units = word.encode("utf-16-be", "surrogatepass")
    if len(units) > 2 * MAX_WORD_LENGTH:
        raise ValueError(
            f"metric descriptor word longer than {MAX_WORD_LENGTH} UTF-16 code units: {word[:40]!r}..."
        )
    return units


class MetricsCompressor:
    """Collects metrics and renders them as one blob a member can decode.

    Add metrics with :meth:`add_long` / :meth:`add_double` and take the blob with :meth:`generate_blob`. Consecutive
    metrics that share descriptor fields are cheaper (only the differing fields are written), so add the metrics of
    one prefix or one discriminated object together. A compressor renders one blob; use a new one per collection.
    """

    __slots__ = ("_metrics", "_words", "_count", "_last")

    def __init__(self) -> None:
        self._metrics = bytearray()
        #: word -> (dictionary id, its UTF-16-BE code units)
        self._words: dict[str, tuple[int, bytes]] = {}
        self._count = 0
        self._last: MetricDescriptor | None = None

    @property
    def count(self) -> int:
        """Number of metrics added so far."""
        return self._count

    def add_long(self, descriptor: MetricDescriptor, value: int) -> None:
        """Add a metric with a 64-bit integer value; ``ValueError``/``struct.error`` leave the compressor unchanged."""
        self._add(descriptor, _VALUE_LONG.pack(ValueType.LONG, value))

    def add_double(self, descriptor: MetricDescriptor, value: float) -> None:
        """Add a metric with a floating-point value."""
        self._add(descriptor, _VALUE_DOUBLE.pack(ValueType.DOUBLE, value))

    def generate_blob(self) -> bytes:
        """The complete blob: header, deflated dictionary, metric count and deflated metrics."""
        dictionary = zlib.compress(self._render_dictionary(), _COMPRESSION_LEVEL)
        metrics = zlib.compress(self._metrics, _COMPRESSION_LEVEL)
        return b"".join(
            (_BLOB_HEADER.pack(BINARY_FORMAT_VERSION, len(dictionary)), dictionary, _I32.pack(self._count), metrics)
        )

    def _word_id(self, word: str | None) -> int:
        if word is None:
            return _NULL_WORD_ID
        entry = self._words.get(word)
        if entry is None:
            entry = self._words[word] = (len(self._words), _utf16(word))
        return entry[0]

    def _add(self, descriptor: MetricDescriptor, value: bytes) -> None:
        # The record is built apart and appended at the end, so a word that is too long or a value out of range
        # raises before anything is written and the blob stays decodable.
        last = self._last
        mask = 0
        if last is not None:
            if descriptor.prefix == last.prefix:
                mask |= _MASK_PREFIX
            if descriptor.metric == last.metric:
                mask |= _MASK_METRIC
            if descriptor.discriminator == last.discriminator:
                mask |= _MASK_DISCRIMINATOR
            if descriptor.discriminator_value == last.discriminator_value:
                mask |= _MASK_DISCRIMINATOR_VALUE
            if descriptor.unit == last.unit:
                mask |= _MASK_UNIT
            if descriptor.excluded_targets == last.excluded_targets:
                mask |= _MASK_EXCLUDED_TARGETS
            if len(descriptor.tags) == len(last.tags):
                mask |= _MASK_TAG_COUNT
        record = bytearray(_U8.pack(mask))
        if not mask & _MASK_PREFIX:
            record += _I32.pack(self._word_id(descriptor.prefix))
        if not mask & _MASK_METRIC:
            record += _I32.pack(self._word_id(descriptor.metric))
        if not mask & _MASK_DISCRIMINATOR:
            record += _I32.pack(self._word_id(descriptor.discriminator))
        if not mask & _MASK_DISCRIMINATOR_VALUE:
            record += _I32.pack(self._word_id(descriptor.discriminator_value))
        if not mask & _MASK_UNIT:
            record += _I8.pack(_NULL_UNIT if descriptor.unit is None else int(descriptor.unit))
        if not mask & _MASK_EXCLUDED_TARGETS:
            record += _U8.pack(descriptor.excluded_targets)
        if not mask & _MASK_TAG_COUNT:
            record += _U8.pack(len(descriptor.tags))
        # Tags are always written in full; only their count is delta-encoded.
        for tag, tag_value in descriptor.tags:
            record += _ID_PAIR.pack(self._word_id(tag), self._word_id(tag_value))
        record += value
        self._metrics += record
        self._count += 1
        self._last = descriptor

    def _render_dictionary(self) -> bytearray:
        out = bytearray(_I32.pack(len(self._words)))
        previous = b""
        # Sorting the code units big-endian orders words as Java's String.compareTo does.
        for word_id, units in sorted(self._words.values(), key=lambda entry: entry[1]):
            limit = min(len(previous), len(units))
            shared = 0
            while shared < limit and units[shared : shared + 2] == previous[shared : shared + 2]:
                shared += 2
            out += _WORD_HEADER.pack(word_id, shared // 2, (len(units) - shared) // 2)
            out += units[shared:]
            previous = units
        return out


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, layout: struct.Struct) -> tuple[int | float, ...]:
        values = layout.unpack_from(self.data, self.pos)
        self.pos += layout.size
        return values

    def read_int(self, layout: struct.Struct) -> int:
        value = layout.unpack_from(self.data, self.pos)[0]
        self.pos += layout.size
        return int(value)

    def read_bytes(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError("metrics blob is truncated")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk


def _read_dictionary(data: bytes) -> dict[int, str]:
    reader = _Reader(data)
    words: dict[int, str] = {}
    previous = b""
    for _ in range(reader.read_int(_I32)):
        word_id, shared, suffix = reader.read(_WORD_HEADER)
        units = previous[: 2 * int(shared)] + reader.read_bytes(2 * int(suffix))
        words[int(word_id)] = units.decode("utf-16-be", "surrogatepass")
        previous = units
    return words


def extract_metrics(blob: bytes | bytearray) -> list[Metric]:
    """Decode a blob made by :class:`MetricsCompressor` (or by any Hazelcast client) into its metrics, in order.

    Raises ``ValueError`` for an unknown format version or a malformed blob.
    """
    try:
        return _extract(bytes(blob))
    except (struct.error, zlib.error, KeyError, UnicodeDecodeError) as error:
        raise ValueError(f"malformed metrics blob: {error!r}") from error


def _extract(blob: bytes) -> list[Metric]:
    header = _Reader(blob)
    version = header.read_int(_U16)
    if version != BINARY_FORMAT_VERSION:
        raise ValueError(f"metrics blob format version {version}, expected {BINARY_FORMAT_VERSION}")
    words = _read_dictionary(zlib.decompress(header.read_bytes(header.read_int(_I32))))
    count = header.read_int(_I32)
    reader = _Reader(zlib.decompress(blob[header.pos :]))

    def word() -> str | None:
        word_id = reader.read_int(_I32)
        return None if word_id == _NULL_WORD_ID else words[word_id]

    metrics: list[Metric] = []
    last = MetricDescriptor("")
    for _ in range(count):
        mask = reader.read_int(_U8)
        prefix = last.prefix if mask & _MASK_PREFIX else word()
        metric = last.metric if mask & _MASK_METRIC else word()
        discriminator = last.discriminator if mask & _MASK_DISCRIMINATOR else word()
        discriminator_value = last.discriminator_value if mask & _MASK_DISCRIMINATOR_VALUE else word()
        if mask & _MASK_UNIT:
            unit = last.unit
        else:
            ordinal = reader.read_int(_I8)
            unit = None if ordinal == _NULL_UNIT else ProbeUnit(ordinal)
        excluded_targets = last.excluded_targets if mask & _MASK_EXCLUDED_TARGETS else reader.read_int(_U8)
        tag_count = len(last.tags) if mask & _MASK_TAG_COUNT else reader.read_int(_U8)
        tags = []
        for _tag in range(tag_count):
            tag, tag_value = word(), word()
            if tag is None or tag_value is None:
                raise ValueError("metrics blob has a tag without a name or value")
            tags.append((tag, tag_value))
        descriptor = MetricDescriptor(
            metric or "", prefix, discriminator, discriminator_value, unit, excluded_targets, tuple(tags)
        )
        value_type = ValueType(reader.read_int(_U8))
        value: int | float = reader.read_int(_I64) if value_type is ValueType.LONG else float(reader.read(_F64)[0])
        metrics.append(Metric(descriptor, value_type, value))
        last = descriptor
    return metrics
