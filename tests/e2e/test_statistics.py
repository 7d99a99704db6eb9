"""Client statistics end to end: what the embedded member receives with statistics enabled, and that it gets none
by default.

The member answers ``Client.statistics`` without keeping anything, so the test wraps its handler to see the requests.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hazelcast._internal.metrics import extract_metrics
from hazelcast.embedded import EmbeddedCluster
from hazelcast.protocol import method

from .conftest import running_client, wait_until

_STATISTICS = method("Client.statistics")


def _record_statistics(cluster: EmbeddedCluster) -> list[tuple[Any, str]]:
    """Wrap the member's Client.statistics handler; returns the list it appends (params, client peer) to."""
    received: list[tuple[Any, str]] = []
    route = cluster.routes[_STATISTICS.request_type]
    original = route.handler

    def recording_handler(request: Any) -> Any:
        received.append((request.params, request.connection.peer))
        return original(request)

    route.handler = recording_handler
    return received


def _attributes(text: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in text.split(","))


async def test_member_receives_statistics_every_period_when_enabled(cluster1: EmbeddedCluster) -> None:
    received = _record_statistics(cluster1)
    async with running_client(
        cluster1, statistics_enabled=True, statistics_period=0.2, client_name="stats-e2e"
    ) as client:
        await wait_until(lambda: len(received) >= 2, timeout=5.0, what="two statistics messages")
        await client.get_map("still-works")
    count = len(received)
    await asyncio.sleep(0.5)
    assert len(received) == count, "statistics kept coming after the client shut down"

    for params, peer in received[:2]:
        attributes = _attributes(params.client_attributes)
        assert attributes["clientName"] == "stats-e2e"
        assert attributes["clientType"] == "PYH"
        assert attributes["clientVersion"] == "5.7.0"
        assert attributes["enterprise"] == "false"
        assert attributes["clientAddress"] == peer
        assert attributes["lastStatisticsCollectionTime"] == str(params.timestamp)
        metrics = {f"{m.descriptor.prefix}.{m.descriptor.metric}": m.value for m in extract_metrics(params.metrics_blob)}
        assert "runtime.availableProcessors" in metrics
        assert set(metrics) <= {key for key in attributes if key.startswith(("os.", "runtime."))}
    first, second = received[0][0], received[1][0]
    assert 150 <= second.timestamp - first.timestamp <= 2000


async def test_member_receives_no_statistics_by_default(cluster1: EmbeddedCluster) -> None:
    received = _record_statistics(cluster1)
    # The short period shows that nothing is sent because statistics are disabled, not because it is not time yet.
    async with running_client(cluster1, statistics_period=0.2) as client:
        assert not client.config.statistics_enabled
        await client.get_map("m")
        await asyncio.sleep(0.7)
    assert received == []
