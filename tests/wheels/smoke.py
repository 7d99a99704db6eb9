"""Run by a fresh venv holding some of our wheels: what is installed works, what is not says what to install.

    python smoke.py --members 127.0.0.1:5701

For every accessor of the API reference it either exercises the proxy against the cluster (its distribution is
installed) or checks that the call raises PluginNotInstalledError naming the distribution. It prints one JSON line
``{"ok": true, "worked": [...], "missing": [...]}`` and exits 0, or ``{"ok": false, "detail": ...}`` and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import logging
import sys
import traceback
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from hazelcast.asyncio import HazelcastClient
from hazelcast.errors import PluginNotInstalledError


def _installed(distribution: str) -> bool:
    try:
        importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


async def _map(client: Any, name: str) -> None:
    m = await client.get_map(name)
    await m.put("k", "v")
    assert await m.get("k") == "v"


async def _queue(client: Any, name: str) -> None:
    q = await client.get_queue(name)
    assert await q.offer("item")
    assert await q.poll() == "item"


async def _list(client: Any, name: str) -> None:
    items = await client.get_list(name)
    assert await items.add("a")
    assert await items.size() == 1


async def _topic(client: Any, name: str) -> None:
    topic = await client.get_topic(name)
    await topic.publish("hello")


async def _atomic_long(client: Any, name: str) -> None:
    counter = await client.cp_subsystem.get_atomic_long(name)
    assert await counter.increment_and_get() == 1


async def _vector(client: Any, name: str) -> None:
    from hazelcast.vector import IndexConfig, Metric

    await client.create_vector_collection_config(name, indexes=[IndexConfig("v", Metric.EUCLIDEAN, 2)])
    collection = await client.get_vector_collection(name)
    assert await collection.size() == 0


async def _sql(client: Any, name: str) -> None:
    async with await client.sql.execute("SHOW MAPPINGS") as result:
        async for _row in result:
            pass


#: (accessor or attribute, its distribution, how to exercise it when installed)
CHECKS: list[tuple[str, str, Callable[[Any, str], Awaitable[None]]]] = [
    ("get_map", "hazelcast-collections", _map),
    ("get_queue", "hazelcast-collections", _queue),
    ("get_list", "hazelcast-collections", _list),
    ("sql", "hazelcast-collections", _sql),
    ("get_topic", "hazelcast-topics", _topic),
    ("cp_subsystem", "hazelcast-cp", _atomic_long),
    ("get_vector_collection", "hazelcast-vector", _vector),
]


async def _reach(client: Any, feature: str, name: str) -> None:
    """Only reach the feature: the accessor call, or the attribute read."""
    if feature.startswith("get_"):
        await getattr(client, feature)(name)
    else:
        getattr(client, feature)


async def run(members: list[str]) -> dict[str, Any]:
    client = await HazelcastClient.create_and_start(cluster_members=members, cluster_connect_timeout=10)
    worked, missing = [], []
    try:
        for feature, distribution, exercise in CHECKS:
            name = f"smoke-{uuid.uuid4().hex[:8]}"
            if _installed(distribution):
                await exercise(client, name)
                worked.append(feature)
                continue
            try:
                await _reach(client, feature, name)
            except PluginNotInstalledError as error:
                assert error.distribution == distribution, (feature, str(error))
                assert f"pip install {distribution}" in str(error), str(error)
                missing.append(feature)
            else:
                raise AssertionError(f"{feature} worked although {distribution} is not installed")
    finally:
        await client.shutdown()
    return {"ok": True, "worked": worked, "missing": missing}


def main() -> int:
    # An application: it decides where logs go (stderr, warnings only), keeping stdout for the one report line.
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", required=True)
    args = parser.parse_args()
    try:
        result = asyncio.run(asyncio.wait_for(run(args.members.split(",")), 60))
    except Exception as error:  # noqa: BLE001 - the one-line report carries any failure
        result = {"ok": False, "detail": "".join(traceback.format_exception(error))}
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
