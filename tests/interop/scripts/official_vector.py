"""Drive a vector collection with the official asyncio client and print what it saw, as one JSON line.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_vector.py --members 127.0.0.1:5701 --name vc-official

It creates the collection ``--name`` (two indexes: "text", COSINE, dimension 4; "pos", EUCLIDEAN, dimension 2),
stores the documents of :func:`documents` with set, put, put_all and put_if_absent, reads some back, searches both
indexes, removes and deletes a few, optimizes, and reports every result. A bad vector (wrong dimension) must fail.
The same steps are run by our client in ``test_official_vector.py``; the two reports must be equal. It prints
``{"ok": true, "report": {...}}`` and exits 0, or ``{"ok": false, "detail": "..."}``; the run is bounded by
``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.vector import Document, IndexConfig, Metric, Type, Vector


def documents() -> dict[int, tuple[str, list[float], list[float]]]:
    """Key -> (value, text vector, pos vector): deterministic; keys 3 and 40 share their pos vector (deduplication)."""
    result = {}
    for key in range(40):
        text = [((key * 7 + i * 3) % 11) - 5.0 for i in range(4)]
        if not any(text):
            text[0] = 1.0
        result[key] = (f"doc-{key}", text, [float(key % 8), float(key // 8)])
    result[40] = ("twin", [2.0, 1.0, -1.0, 0.5], list(result[3][2]))
    return result


def _doc(value: str, text: list[float], pos: list[float]) -> Document:
    return Document(value, [Vector("text", Type.DENSE, text), Vector("pos", Type.DENSE, pos)])


def _results(results: Any) -> list[list[Any]]:
    return [
        [r.key, r.value, round(r.score, 5), None if r.vectors is None else sorted((v.name, v.vector) for v in r.vectors)]
        for r in results
    ]


async def scenario(client: Any, name: str) -> dict[str, Any]:
    """The steps both clients run (this file is also imported by our test, which passes our client)."""
    report: dict[str, Any] = {}
    await client.create_vector_collection_config(name, [
        IndexConfig("text", Metric.COSINE, 4), IndexConfig("pos", Metric.EUCLIDEAN, 2, max_degree=16),
    ], backup_count=1)
    collection = await client.get_vector_collection(name)
    docs = documents()
    await collection.set(0, _doc(*docs[0]))
    report["put_new"] = await collection.put(1, _doc(*docs[1]))
    previous = await collection.put(1, _doc(*docs[1]))
    report["put_again"] = [previous.value, sorted((v.name, v.vector) for v in previous.vectors)]
    await collection.put_all({key: _doc(*doc) for key, doc in docs.items() if key > 1})
    existing = await collection.put_if_absent(5, _doc("other", [1.0, 1.0, 1.0, 1.0], [0.0, 0.0]))
    report["put_if_absent"] = existing.value
    got = await collection.get(7)
    report["get"] = [got.value, sorted((v.name, v.vector) for v in got.vectors)]
    report["get_missing"] = await collection.get(1000)
    report["size"] = await collection.size()
    report["search_text"] = _results(await collection.search_near_vector(
        Vector("text", Type.DENSE, [1.0, -2.0, 0.5, 3.0]), include_value=True, include_vectors=True, limit=6))
    report["search_pos"] = _results(await collection.search_near_vector(
        Vector("pos", Type.DENSE, [3.2, 1.9]), include_value=True, limit=5))
    report["search_twins"] = sorted(r.key for r in await collection.search_near_vector(
        Vector("pos", Type.DENSE, docs[3][2]), limit=2))
    removed = await collection.remove(7)
    report["remove"] = removed.value
    await collection.delete(8)
    report["size_after"] = await collection.size()
    await collection.optimize("pos")
    report["search_after"] = _results(await collection.search_near_vector(
        Vector("pos", Type.DENSE, [7.0, 0.0]), limit=3))
    try:
        await collection.set(99, _doc("bad", [1.0, 2.0], [0.0, 0.0]))
        report["bad_vector"] = "accepted"
    except Exception as error:  # the error class names differ between the clients; the message is the member's
        report["bad_vector"] = "dimension" in str(error)
    report["size_end"] = await collection.size()
    await collection.clear()
    report["size_cleared"] = await collection.size()
    return report


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()

    async def run() -> dict[str, Any]:
        client = await HazelcastClient.create_and_start(cluster_members=args.members.split(","), cluster_name="dev")
        try:
            return await scenario(client, args.name)
        finally:
            await client.shutdown()

    try:
        report = await asyncio.wait_for(run(), args.timeout)
    except BaseException:
        print(json.dumps({"ok": False, "detail": traceback.format_exc()}))
        sys.exit(1)
    print(json.dumps({"ok": True, "report": report}))


if __name__ == "__main__":
    asyncio.run(main())
