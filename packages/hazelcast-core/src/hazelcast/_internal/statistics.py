"""Client statistics: what the client periodically reports to the cluster with ``Client.statistics``.

With ``statistics_enabled``, every ``statistics_period`` seconds the :class:`StatisticsService` sends one message on
one live connection. It carries the collection time, an attribute string and a metrics blob:

* the attribute string is ``key=value`` pairs joined by commas, with the keys the official client sends
  (``lastStatisticsCollectionTime``, ``enterprise``, ``clientType``, ``clientVersion``,
  ``clusterConnectionTimestamp``, ``clientAddress``, ``clientName``, ``credentials.principal`` when a username is
  configured), then ``nc.<near cache name>.<statistic>`` for every registered near cache and the runtime gauges
  (``os.*``, ``runtime.*``). Values are not escaped; near cache names are (see :func:`escape_name`) because they sit
  inside keys, where ``.``, ``,``, ``=`` and ``\\`` have a meaning;
* the metrics blob (see :mod:`hazelcast._internal.metrics`) holds the near cache statistics and the gauges in the
  member's binary format.

The official client reads its runtime gauges through psutil when it is installed. This one reads the same values
from the standard library and, on Linux, ``/proc``; each gauge is tried once at start and left out where the platform
does not offer it.
"""

from __future__ import annotations

import asyncio
import os
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast._internal.connection import CLIENT_TYPE, CLIENT_VERSION
from hazelcast._internal.metrics import MetricDescriptor, MetricsCompressor, ProbeUnit, ValueType
from hazelcast.protocol import method

if TYPE_CHECKING:
    from hazelcast._internal.connection import Connection, ConnectionManager
    from hazelcast._internal.invocation import InvocationService
    from hazelcast.config import Config

__all__ = [
    "Gauge",
    "NearCacheStats",
    "StatisticsService",
    "TASK_NAME",
    "escape_name",
    "format_attributes",
    "runtime_gauges",
]

_logger = structlog.get_logger("hazelcast.statistics")
_STATISTICS = method("Client.statistics")
#: Name of the background task, so that tests and debuggers can find it.
TASK_NAME = "hazelcast.statistics"

_NEAR_CACHE_KEY_PREFIX = "nc."
_NEAR_CACHE_METRIC_PREFIX = "nearcache"
_NEAR_CACHE_DISCRIMINATOR = "name"
_ESCAPES = str.maketrans({"\\": "\\\\", ",": "\\,", ".": "\\.", "=": "\\="})


def escape_name(name: str) -> str:
    """A name as it may appear inside an attribute key: ``\\``, ``,``, ``.`` and ``=`` get a backslash, and a leading
    ``/`` is dropped (the official clients do both for near cache names)."""
    escaped = name.translate(_ESCAPES)
    return escaped[1:] if escaped.startswith("/") else escaped


def format_attributes(attributes: Iterable[tuple[str, object]]) -> str:
    """``key=value`` pairs joined by commas; booleans are written in lower case, as Java writes them."""
    return ",".join(f"{key}={_attribute_value(value)}" for key, value in attributes)


def _attribute_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _millis(seconds: float) -> int:
    return int(seconds * 1000)


# -- runtime gauges ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Gauge:
    """A runtime value reported as attribute ``name`` and as metric ``name`` split at its last dot (prefix, metric)."""

    name: str
    read: Callable[[], int | float]
    value_type: ValueType = ValueType.LONG


def _meminfo() -> dict[bytes, int]:
    """``/proc/meminfo`` in bytes."""
    values = {}
    with open("/proc/meminfo", "rb") as file:
        for line in file:
            key, _, rest = line.partition(b":")
            fields = rest.split()
            if fields:
                values[key] = int(fields[0]) * (1024 if fields[1:] == [b"kB"] else 1)
    return values


def _total_physical_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _free_physical_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")


def _used_physical_memory() -> int:
    # psutil's "used", which the official client reports under this name: neither free nor cache nor buffers.
    info = _meminfo()
    total, free = info[b"MemTotal"], info[b"MemFree"]
    used = total - free - info.get(b"Buffers", 0) - info.get(b"Cached", 0) - info.get(b"SReclaimable", 0)
    return used if used >= 0 else total - free


def _total_swap() -> int:
    return _meminfo()[b"SwapTotal"]


def _free_swap() -> int:
    return _meminfo()[b"SwapFree"]


def _load_average() -> float:
    return os.getloadavg()[0]


def _available_processors() -> int:
    count = os.cpu_count()
    if count is None:
        raise OSError("the number of processors is unknown")
    return count


def _resident_memory() -> int:
    with open("/proc/self/statm", "rb") as file:
        return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _open_file_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def _max_file_descriptors() -> int:
    import resource  # POSIX only: on other platforms the gauge is left out at start

    return resource.getrlimit(resource.RLIMIT_NOFILE)[1]


def _process_cpu_time() -> int:
    # User and system time of the process and its waited-for children, as psutil sums them; in nanoseconds.
    times = os.times()
    return int((times.user + times.system + times.children_user + times.children_system) * 1_000_000_000)


def _process_uptime() -> int:
    with open("/proc/self/stat", "rb") as file:
        stat = file.read()
    # The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
    start_ticks = int(stat[stat.rindex(b")") + 2 :].split()[19])
    with open("/proc/uptime", "rb") as file:
        system_uptime = float(file.read().split()[0])
    return _millis(system_uptime - start_ticks / os.sysconf("SC_CLK_TCK"))


def runtime_gauges() -> list[Gauge]:
    """Every runtime gauge the client may report, in the official client's order (not all exist everywhere)."""
    return [
        Gauge("os.totalPhysicalMemorySize", _total_physical_memory),
        Gauge("os.freePhysicalMemorySize", _free_physical_memory),
        Gauge("os.committedVirtualMemorySize", _used_physical_memory),
        Gauge("os.totalSwapSpaceSize", _total_swap),
        Gauge("os.freeSwapSpaceSize", _free_swap),
        Gauge("os.systemLoadAverage", _load_average, ValueType.DOUBLE),
        Gauge("runtime.availableProcessors", _available_processors),
        Gauge("runtime.usedMemory", _resident_memory),
        Gauge("os.openFileDescriptorCount", _open_file_descriptors),
        Gauge("os.maxFileDescriptorCount", _max_file_descriptors),
        Gauge("os.processCpuTime", _process_cpu_time),
        Gauge("runtime.uptime", _process_uptime),
    ]


def _available(gauges: Iterable[Gauge]) -> list[Gauge]:
    available = []
    for gauge in gauges:
        try:
            gauge.read()
        except Exception as exc:  # a platform without the source of this value: leave the gauge out
            _logger.debug("statistics.gauge_unavailable", gauge=gauge.name, error=repr(exc))
        else:
            available.append(gauge)
    return available


# -- near caches ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NearCacheStats:
    """A near cache's statistics at one moment; ``creation_time`` in seconds since the epoch."""

    creation_time: float
    evictions: int
    hits: int
    misses: int
    owned_entry_count: int
    expirations: int
    invalidations: int
    invalidation_requests: int
    owned_entry_memory_cost: int


# (statistic name, NearCacheStats field, unit), in the order the official client sends them.
_NEAR_CACHE_FIELDS = (
    ("evictions", "evictions", ProbeUnit.COUNT),
    ("hits", "hits", ProbeUnit.COUNT),
    ("misses", "misses", ProbeUnit.COUNT),
    ("ownedEntryCount", "owned_entry_count", ProbeUnit.COUNT),
    ("expirations", "expirations", ProbeUnit.COUNT),
    ("invalidations", "invalidations", ProbeUnit.COUNT),
    ("invalidationRequests", "invalidation_requests", ProbeUnit.COUNT),
    ("ownedEntryMemoryCost", "owned_entry_memory_cost", ProbeUnit.BYTES),
)


# -- the service ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ConnectionInfo:
    connected_at_ms: int
    local_address: str


class StatisticsService:
    """Sends ``Client.statistics`` every ``statistics_period`` seconds while the client runs, if enabled.

    :meth:`start` launches the background task (nothing happens when statistics are disabled); :meth:`shutdown`
    cancels it and any report still waiting for its answer. A report that cannot be sent is logged at debug level
    and the next period tries again.
    """

    def __init__(
        self, config: Config, connection_manager: ConnectionManager, invocation_service: InvocationService
    ) -> None:
        self._enabled = bool(config.statistics_enabled)
        self._period = float(config.statistics_period)
        self._principal = config.creds_username
        self._connections = connection_manager
        self._invocations = invocation_service
        self._client_name = connection_manager.client_name
        self._loop = connection_manager.loop
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Future[Any]] = set()
        self._gauges: list[Gauge] = []
        self._near_caches: dict[str, Callable[[], NearCacheStats]] = {}
        self._connection_info: weakref.WeakKeyDictionary[Connection, _ConnectionInfo] = weakref.WeakKeyDictionary()
        if self._enabled:
            # Registered now, before the client connects, so that the first connection is seen too.
            connection_manager.on_connection_added.append(self._connection_added)

    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def period(self) -> float:
        """Seconds between two reports."""
        return self._period

    def register_near_cache(self, name: str, statistics: Callable[[], NearCacheStats]) -> None:
        """Report the near cache of the map ``name``; ``statistics()`` is called at every collection."""
        self._near_caches[name] = statistics

    def deregister_near_cache(self, name: str) -> None:
        """Stop reporting the near cache of ``name`` (destroyed map, closed client)."""
        self._near_caches.pop(name, None)

    # -- lifecycle ---------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start reporting, when statistics are enabled; the first report goes one period after the start."""
        if not self._enabled or self._task is not None:
            return
        self._gauges = _available(runtime_gauges())
        self._task = self._loop.create_task(self._run(), name=TASK_NAME)
        _logger.info("statistics.enabled", period=self._period, gauges=len(self._gauges))

    async def shutdown(self) -> None:
        """Stop reporting: cancel the task and the reports still in flight; returns once the task has ended."""
        task, self._task = self._task, None
        for future in list(self._in_flight):
            future.cancel()
        self._in_flight.clear()
        if task is None:
            return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            # Our own cancellation of the task ends here; the caller's own cancellation must propagate.
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._period)
            try:
                self._send()
            except Exception as exc:  # a report that fails must never end the reporting
                _logger.debug("statistics.send_failed", error=repr(exc))

    def _connection_added(self, connection: Connection) -> None:
        self._connection_info[connection] = _ConnectionInfo(_millis(time.time()), connection.local_address)

    # -- collecting ----------------------------------------------------------------------------------------------------

    def _send(self) -> None:
        connection = self._connections.random_connection()
        if connection is None:
            _logger.debug("statistics.no_connection")
            return
        timestamp, attributes, blob = self.collect(connection)
        future = self._invocations.invoke(
            _STATISTICS.encode_request(timestamp, attributes, blob), connection=connection
        )
        self._in_flight.add(future)
        future.add_done_callback(self._sent)

    def _sent(self, future: asyncio.Future[Any]) -> None:
        self._in_flight.discard(future)
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:
            _logger.debug("statistics.send_failed", error=repr(error))

    def collect(self, connection: Connection) -> tuple[int, str, bytes]:
        """One report for ``connection``: (collection time in ms since the epoch, attribute string, metrics blob)."""
        timestamp = _millis(time.time())
        info = self._connection_info.get(connection)
        if info is None:
            info = self._connection_info[connection] = _ConnectionInfo(timestamp, connection.local_address)
        attributes: list[tuple[str, object]] = [
            ("lastStatisticsCollectionTime", timestamp),
            ("enterprise", False),
            ("clientType", CLIENT_TYPE),
            ("clientVersion", CLIENT_VERSION),
            ("clusterConnectionTimestamp", info.connected_at_ms),
            ("clientAddress", info.local_address),
            ("clientName", self._client_name),
        ]
        if self._principal:
            attributes.append(("credentials.principal", self._principal))
        compressor = MetricsCompressor()
        self._collect_near_caches(attributes, compressor)
        self._collect_gauges(attributes, compressor)
        return timestamp, format_attributes(attributes), compressor.generate_blob()

    def _collect_near_caches(self, attributes: list[tuple[str, object]], compressor: MetricsCompressor) -> None:
        for name, statistics in list(self._near_caches.items()):
            try:
                stats = statistics()
                key_prefix = f"{_NEAR_CACHE_KEY_PREFIX}{escape_name(name)}."
                values: list[tuple[str, int, ProbeUnit]] = [
                    ("creationTime", _millis(stats.creation_time), ProbeUnit.MS)
                ]
                values += [(metric, int(getattr(stats, field)), unit) for metric, field, unit in _NEAR_CACHE_FIELDS]
                for metric, value, unit in values:
                    compressor.add_long(
                        MetricDescriptor(metric, _NEAR_CACHE_METRIC_PREFIX, _NEAR_CACHE_DISCRIMINATOR, name, unit),
                        value,
                    )
                    attributes.append((key_prefix + metric, value))
            except Exception as exc:
                _logger.debug("statistics.near_cache_failed", near_cache=name, error=repr(exc))

    def _collect_gauges(self, attributes: list[tuple[str, object]], compressor: MetricsCompressor) -> None:
        for gauge in self._gauges:
            try:
                value = gauge.read()
                prefix, _, metric = gauge.name.rpartition(".")
                descriptor = MetricDescriptor(metric, prefix or None)
                if gauge.value_type is ValueType.DOUBLE:
                    compressor.add_double(descriptor, float(value))
                else:
                    value = int(value)
                    compressor.add_long(descriptor, value)
            except Exception as exc:
                _logger.debug("statistics.gauge_failed", gauge=gauge.name, error=repr(exc))
                continue
            attributes.append((gauge.name, value))
