"""Fixtures for end-to-end tests: our client against in-process embedded members."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster


@contextlib.asynccontextmanager
async def running_client(cluster: EmbeddedCluster, **options: Any) -> AsyncIterator[HazelcastClient]:
    options.setdefault("cluster_members", list(cluster.addresses))
    options.setdefault("cluster_connect_timeout", 10)
    client = await HazelcastClient.create_and_start(**options)
    try:
        yield client
    finally:
        await client.shutdown()


async def wait_until(condition: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0, what: str = "") -> None:
    """Poll ``condition`` until true; fail the test after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = condition()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            pytest.fail(f"condition not met within {timeout}s: {what}")
        await asyncio.sleep(0.02)


@pytest.fixture
async def cluster1() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=1) as cluster:
        yield cluster


@pytest.fixture
async def cluster3() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=3) as cluster:
        yield cluster
