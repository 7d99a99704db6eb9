"""Fixtures shared by the tests of lists, sets, queues and the other non-map structures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster

from .conftest import running_client


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    """One and three embedded members; structures named ``bounded-*`` hold at most 3 items."""
    config = {
        "queue": {"bounded-*": {"max-size": 3}},
        "list": {"bounded-*": {"max-size": 3}},
        "set": {"bounded-*": {"max-size": 3}},
    }
    async with EmbeddedCluster(member_count=request.param, config=config) as running:
        yield running


@pytest.fixture
async def client(cluster: EmbeddedCluster) -> AsyncIterator[Any]:
    async with running_client(cluster) as connected:
        yield connected
