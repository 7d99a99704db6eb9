"""Client statistics: the metrics blob format, the attribute string, the reporting period and shutdown."""

from __future__ import annotations

import asyncio
import struct
import zlib
from typing import Any, cast

import pytest
from structlog.testing import capture_logs

from hazelcast._internal.metrics import (
    MAX_WORD_LENGTH,
    MetricDescriptor,
    MetricsCompressor,
    ProbeUnit,
    ValueType,
    extract_metrics,
)
from hazelcast._internal.statistics import (
    TASK_NAME,
    NearCacheStats,
    StatisticsService,
    escape_name,
    format_attributes,
)
from hazelcast.config import Config
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader

_STATISTICS = method("Client.statistics")


# -- the metrics blob ----------------------------------------------------------------------------------------------


def _parse_dictionary(data: bytes) -> dict[int, str]:
    """The dictionary layout, decoded independently of the module under test."""
    (count,) = struct.unpack_from(">i", data)
    pos, previous, words = 4, "", {}
    for _ in range(count):
        word_id, shared, suffix = struct.unpack_from(">iBB", data, pos)
        pos += 6
        text = previous[:shared] + data[pos : pos + 2 * suffix].decode("utf-16-be")
        pos += 2 * suffix
        words[word_id] = previous = text
    assert pos == len(data)
    return words


def test_blob_decompresses_to_the_documented_layout() -> None:
    compressor = MetricsCompressor()
    compressor.add_long(MetricDescriptor("availableProcessors", "runtime"), 8)
    compressor.add_long(MetricDescriptor("usedMemory", "runtime"), 1 << 40)
    compressor.add_double(MetricDescriptor("systemLoadAverage", "os", unit=ProbeUnit.PERCENT), 0.5)
    blob = compressor.generate_blob()

    version, dictionary_size = struct.unpack_from(">Hi", blob)
    assert version == 1
    words = _parse_dictionary(zlib.decompress(blob[6 : 6 + dictionary_size]))
    assert sorted(words.values()) == ["availableProcessors", "os", "runtime", "systemLoadAverage", "usedMemory"]
    ids = {text: word_id for word_id, text in words.items()}
    (count,) = struct.unpack_from(">i", blob, 6 + dictionary_size)
    assert count == 3 == compressor.count
    metrics = zlib.decompress(blob[10 + dictionary_size :])

    # First metric: mask 0, every field written (no discriminator: -1, no unit: -1, no excluded targets, no tags).
    first = struct.Struct(">BiiiibBBBq")
    assert first.unpack_from(metrics) == (
        0, ids["runtime"], ids["availableProcessors"], -1, -1, -1, 0, 0, ValueType.LONG, 8,
    )
    # Second: only the metric name differs; the mask marks the other six fields as repeated.
    second = struct.Struct(">BiBq")
    assert second.unpack_from(metrics, first.size) == (0b1111101, ids["usedMemory"], ValueType.LONG, 1 << 40)
    # Third: prefix, name and unit differ.
    third = struct.Struct(">BiibBd")
    assert third.unpack_from(metrics, first.size + second.size) == (
        0b1101100, ids["os"], ids["systemLoadAverage"], ProbeUnit.PERCENT, ValueType.DOUBLE, 0.5,
    )
    assert len(metrics) == first.size + second.size + third.size


# The blob hazelcast-python-client 5.7.0's MetricsCompressor renders for the metrics added in the test below.
_OFFICIAL_BLOB = bytes.fromhex(
    "0001000000ce78015590db6ac2401086bfb5f554eb85083e46dfa194de5928f8046b1a4c20d1a2db4afaf4fd76f146c2ceecccfc87d900"
    "4be09135915f4f4b67dc1b6b3e3973a2f276f13b595dc43e33773e904a7f673cf2657fa24a233f15d4dcbab7cacccc875918cb7ab11bf9"
    "b69e8a3f7aef9dc338cccc518fca58a994bb30d237b39fc29aabf85aaf77731239f061dd97cd06de0a32897d50fbcc4f41b537fd112b75"
    "064fdebb672b3aaaf5eaab6bd191831916b293fe79c31036a292b3ce7fd114765bf6ebee9c77bef38ffa1f550f344000000007780163608"
    "000c6ff300015608f3e2b5a0b643331dabf8008d50029662066817019183812802c56206603627620e6804bb182b472023118b0e602292e"
    "2807a8a500c8e406621e343b995f0000dec31763"
)


def test_blob_is_byte_identical_to_the_official_clients() -> None:
    compressor = MetricsCompressor()
    compressor.add_long(MetricDescriptor("totalPhysicalMemorySize", "os"), 123456789)
    compressor.add_double(MetricDescriptor("systemLoadAverage", "os"), 0.75)
    compressor.add_long(MetricDescriptor("availableProcessors", "runtime"), 8)
    for metric in ("hits", "misses", "ownedEntryMemoryCost"):
        unit = ProbeUnit.BYTES if metric.startswith("owned") else ProbeUnit.COUNT
        compressor.add_long(MetricDescriptor(metric, "nearcache", "name", "my.map", unit), 5)
    compressor.add_long(MetricDescriptor("bytesSend", "tcp", unit=ProbeUnit.BYTES), 1000)
    assert compressor.generate_blob() == _OFFICIAL_BLOB


def test_extract_metrics_reads_back_every_descriptor_field() -> None:
    descriptors = [
        MetricDescriptor("hits", "nearcache", "name", "caf\u00e9 \U0001f600", ProbeUnit.COUNT),
        MetricDescriptor("hits", "nearcache", "name", "other", ProbeUnit.COUNT),
        MetricDescriptor("latency", "tcp", unit=ProbeUnit.NS, excluded_targets=3, tags=(("endpoint", "a:1"),)),
        MetricDescriptor("latency", "tcp", unit=ProbeUnit.NS, tags=(("endpoint", "b:2"), ("kind", "x"))),
        MetricDescriptor("plain"),
        MetricDescriptor("", ""),
    ]
    compressor = MetricsCompressor()
    for index, descriptor in enumerate(descriptors):
        if index % 2:
            compressor.add_double(descriptor, index + 0.25)
        else:
            compressor.add_long(descriptor, -(1 << 63) + index)
    decoded = extract_metrics(compressor.generate_blob())
    assert [m.descriptor for m in decoded] == descriptors
    assert [m.value for m in decoded] == [i + 0.25 if i % 2 else -(1 << 63) + i for i in range(len(descriptors))]
    assert [m.value_type for m in decoded] == [ValueType.DOUBLE if i % 2 else ValueType.LONG for i in range(6)]


def test_a_word_too_long_is_refused_and_the_blob_stays_valid() -> None:
    compressor = MetricsCompressor()
    compressor.add_long(MetricDescriptor("ok", "p"), 1)
    with pytest.raises(ValueError, match="255"):
        compressor.add_long(MetricDescriptor("m", "p", "name", "x" * (MAX_WORD_LENGTH + 1)), 2)
    # A supplementary character is two UTF-16 code units: 128 of them exceed the limit too.
    with pytest.raises(ValueError):
        compressor.add_long(MetricDescriptor("\U0001f600" * 128), 3)
    with pytest.raises(struct.error):
        compressor.add_long(MetricDescriptor("big", "p"), 1 << 63)
    compressor.add_long(MetricDescriptor("x" * MAX_WORD_LENGTH, "p"), 4)
    assert [(m.descriptor.metric, m.value) for m in extract_metrics(compressor.generate_blob())] == [
        ("ok", 1),
        ("x" * MAX_WORD_LENGTH, 4),
    ]


def test_malformed_blobs_raise_value_error() -> None:
    blob = MetricsCompressor().generate_blob()
    with pytest.raises(ValueError, match="version 2"):
        extract_metrics(b"\x00\x02" + blob[2:])
    with pytest.raises(ValueError):
        extract_metrics(blob[:-3])
    assert extract_metrics(blob) == []


# -- attributes ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("orders", "orders"),
        ("a.b", "a\\.b"),
        ("k=v,w", "k\\=v\\,w"),
        ("back\\slash", "back\\\\slash"),
        ("/hz/cache", "hz/cache"),
        ("", ""),
    ],
)
def test_escape_name(name: str, escaped: str) -> None:
    assert escape_name(name) == escaped


def test_format_attributes() -> None:
    assert format_attributes([("enterprise", False), ("n", 3), ("load", 0.5), ("name", "a,b")]) == (
        "enterprise=false,n=3,load=0.5,name=a,b"
    )
    assert format_attributes([]) == ""


# -- the service, with fakes for the connection manager and the invocation service ---------------------------------


class _FakeConnection:
    def __init__(self) -> None:
        self.local_address = "10.1.2.3:54321"
        self.live = True


class _FakeConnectionManager:
    def __init__(self, loop: asyncio.AbstractEventLoop, connection: _FakeConnection | None) -> None:
        self.loop = loop
        self.client_name = "stats-client"
        self.on_connection_added: list[Any] = []
        self.connection = connection

    def random_connection(self) -> _FakeConnection | None:
        return self.connection


class _FakeInvocationService:
    def __init__(self, loop: asyncio.AbstractEventLoop, fail_with: BaseException | None = None) -> None:
        self.loop = loop
        self.fail_with = fail_with
        #: Raise from invoke itself (instead of failing the future) this many times first.
        self.raise_first = 0
        self.sent: list[tuple[float, Any, Any]] = []
        self.futures: list[asyncio.Future[Any]] = []

    def invoke(self, request: bytearray, decoder: Any = None, connection: Any = None, **_: Any) -> asyncio.Future[Any]:
        (message,) = MessageReader().feed(bytes(request))
        self.sent.append((self.loop.time(), _STATISTICS.decode_request(message), connection))
        if self.raise_first:
            self.raise_first -= 1
            raise RuntimeError("invoke bug")
        future: asyncio.Future[Any] = self.loop.create_future()
        if self.fail_with is not None:
            future.set_exception(self.fail_with)
        self.futures.append(future)
        return future


def _service(
    connection: _FakeConnection | None = None, fail_with: BaseException | None = None, **options: Any
) -> tuple[StatisticsService, _FakeConnectionManager, _FakeInvocationService]:
    loop = asyncio.get_running_loop()
    options.setdefault("statistics_enabled", True)
    manager = _FakeConnectionManager(loop, connection)
    invocations = _FakeInvocationService(loop, fail_with)
    service = StatisticsService(Config.from_dict(options), cast(Any, manager), cast(Any, invocations))
    return service, manager, invocations


def _attributes(text: str) -> list[tuple[str, str]]:
    return [tuple(pair.split("=", 1)) for pair in text.split(",")]  # type: ignore[misc]


async def test_report_carries_the_official_attributes_and_matching_metrics() -> None:
    connection = _FakeConnection()
    service, manager, _ = _service(connection, creds_username="alice")
    for callback in manager.on_connection_added:
        callback(connection)
    service.start()
    try:
        timestamp, attributes, blob = service.collect(cast(Any, connection))
    finally:
        await service.shutdown()
    pairs = _attributes(attributes)
    keys = [key for key, _ in pairs]
    assert keys[:8] == [
        "lastStatisticsCollectionTime", "enterprise", "clientType", "clientVersion",
        "clusterConnectionTimestamp", "clientAddress", "clientName", "credentials.principal",
    ]
    values = dict(pairs)
    assert values["lastStatisticsCollectionTime"] == str(timestamp)
    assert values["enterprise"] == "false"
    assert values["clientType"] == "PYH"
    assert values["clientVersion"] == "5.7.0"
    assert 0 <= timestamp - int(values["clusterConnectionTimestamp"]) < 60_000
    assert values["clientAddress"] == "10.1.2.3:54321"
    assert values["clientName"] == "stats-client"
    assert values["credentials.principal"] == "alice"

    # Every runtime gauge is both an attribute and a metric, with the same value.
    metrics = {f"{m.descriptor.prefix}.{m.descriptor.metric}": m.value for m in extract_metrics(blob)}
    gauges = {key: value for key, value in pairs if key.startswith(("os.", "runtime."))}
    assert gauges and set(gauges) == set(metrics)
    assert "runtime.availableProcessors" in gauges
    for name, value in gauges.items():
        assert float(value) == pytest.approx(metrics[name])


async def test_no_principal_without_a_username() -> None:
    connection = _FakeConnection()
    service, _, _ = _service(connection)
    _, attributes, _ = service.collect(cast(Any, connection))
    assert "credentials.principal" not in dict(_attributes(attributes))


async def test_near_cache_names_are_escaped_in_keys_and_kept_in_the_blob() -> None:
    connection = _FakeConnection()
    service, _, _ = _service(connection)
    name = "/orders.eu,v=1\\x"
    stats = NearCacheStats(1_700_000_000.5, 1, 2, 3, 4, 5, 6, 7, 8)
    service.register_near_cache(name, lambda: stats)
    _, attributes, blob = service.collect(cast(Any, connection))
    prefix = "nc.orders\\.eu\\,v\\=1\\\\x."
    assert f"{prefix}creationTime=1700000000500" in attributes
    for key, value in [("evictions", 1), ("hits", 2), ("misses", 3), ("ownedEntryCount", 4), ("expirations", 5),
                       ("invalidations", 6), ("invalidationRequests", 7), ("ownedEntryMemoryCost", 8)]:
        assert f"{prefix}{key}={value}" in attributes
    near_cache = [m for m in extract_metrics(blob) if m.descriptor.prefix == "nearcache"]
    assert [m.descriptor.metric for m in near_cache][:3] == ["creationTime", "evictions", "hits"]
    assert {m.descriptor.discriminator_value for m in near_cache} == {name}
    assert {m.descriptor.discriminator for m in near_cache} == {"name"}
    units = {m.descriptor.metric: m.descriptor.unit for m in near_cache}
    assert (units["creationTime"], units["hits"], units["ownedEntryMemoryCost"]) == (
        ProbeUnit.MS, ProbeUnit.COUNT, ProbeUnit.BYTES,
    )

    service.deregister_near_cache(name)
    _, attributes, _ = service.collect(cast(Any, connection))
    assert "nc." not in attributes


async def test_reports_go_out_every_period_on_the_live_connection() -> None:
    connection = _FakeConnection()
    service, _, invocations = _service(connection, statistics_period=0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    service.start()
    await asyncio.sleep(0.32)
    await service.shutdown()
    times = [sent_at for sent_at, _, _ in invocations.sent]
    assert 3 <= len(times) <= 7, times
    assert times[0] - started >= 0.045
    assert all(later - earlier >= 0.045 for earlier, later in zip(times, times[1:]))
    assert all(target is connection for _, _, target in invocations.sent)
    params = invocations.sent[0][1]
    assert "clientName=stats-client" in params.client_attributes
    assert params.timestamp > 0 and extract_metrics(params.metrics_blob)


async def test_disabled_statistics_start_nothing() -> None:
    service, manager, invocations = _service(_FakeConnection(), statistics_enabled=False, statistics_period=0.01)
    assert not service.enabled and manager.on_connection_added == []
    service.start()
    assert not [t for t in asyncio.all_tasks() if t.get_name() == TASK_NAME]
    await asyncio.sleep(0.05)
    assert invocations.sent == []
    await service.shutdown()


async def test_shutdown_leaves_no_task_and_cancels_reports_in_flight() -> None:
    service, _, invocations = _service(_FakeConnection(), statistics_period=0.02)
    service.start()
    assert [t for t in asyncio.all_tasks() if t.get_name() == TASK_NAME]
    await asyncio.sleep(0.07)
    await service.shutdown()
    assert not [t for t in asyncio.all_tasks() if t.get_name() == TASK_NAME]
    assert invocations.futures and all(f.cancelled() for f in invocations.futures)
    count = len(invocations.sent)
    await asyncio.sleep(0.06)
    assert len(invocations.sent) == count
    await service.shutdown()  # a second shutdown is harmless


async def test_failures_are_logged_at_debug_and_reporting_goes_on() -> None:
    service, manager, invocations = _service(
        _FakeConnection(), fail_with=ConnectionError("member gone"), statistics_period=0.02
    )
    invocations.raise_first = 1
    with capture_logs() as logs:
        service.start()
        await asyncio.sleep(0.09)
        manager.connection = None
        await asyncio.sleep(0.05)
        await service.shutdown()
    assert len(invocations.sent) >= 3
    failures = [log for log in logs if log["event"] == "statistics.send_failed"]
    assert len(failures) >= 3 and {log["log_level"] for log in failures} == {"debug"}
    assert "invoke bug" in failures[0]["error"] and "member gone" in failures[1]["error"]
    assert any(log["event"] == "statistics.no_connection" and log["log_level"] == "debug" for log in logs)


async def test_an_error_while_collecting_does_not_stop_the_loop() -> None:
    connection = _FakeConnection()
    service, _, invocations = _service(connection, statistics_period=0.02)
    calls = 0

    def broken() -> NearCacheStats:
        nonlocal calls
        calls += 1
        raise RuntimeError("stats bug")

    service.register_near_cache("m", broken)
    with capture_logs() as logs:
        service.start()
        await asyncio.sleep(0.09)
        await service.shutdown()
    assert calls >= 2 and len(invocations.sent) >= 2
    assert any(log["event"] == "statistics.near_cache_failed" for log in logs)
