"""Compact values through the embedded member, between our client and the official hazelcast-python-client 5.7.0.

Our client writes every case of ``compact_cases`` to a map of a member process (two members), replicating the
schemas; the official client, in its own venv, fetches the schemas, reads the values and compares them with the
ones it builds itself, then writes its own copies; a fresh client of ours, which knows no schema yet, reads those
back (fetching the schemas the official client sent), once with the serializers and once as GenericRecords.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.serialization.compact import CompactGenericRecord
from tests.interop.compact_cases import CASES, PRELUDE, TYPES, build_value, make_our_serializers
from tests.interop.member_process import MemberProcess, member_process

pytestmark = pytest.mark.interop

_OFFICIAL_TIMEOUT_S = 60.0
_OFFICIAL_PROGRAM = (
    PRELUDE
    + r"""
import asyncio, json, sys
from hazelcast.asyncio import HazelcastClient
from hazelcast.serialization.api import CompactSerializer

request = json.load(sys.stdin)


async def main():
    serializers, obj = make_serializers(request["types"], CompactSerializer)
    client = await HazelcastClient.create_and_start(
        cluster_members=request["members"], cluster_name="dev", compact_serializers=serializers
    )
    try:
        m = await client.get_map(request["map"])
        names = {"obj": obj, "datetime": datetime, "decimal": decimal}
        results = {}
        for name, expr in request["cases"].items():
            expected = eval(expr, names)
            results[name] = await m.get("ours:" + name) == expected
            await m.put("official:" + name, expected)
        return results
    finally:
        await client.shutdown()


print(json.dumps(asyncio.run(asyncio.wait_for(main(), 50))))
"""
)


@pytest.fixture(scope="module")
def members() -> Iterator[MemberProcess]:
    with member_process(2) as running:
        yield running


async def test_compact_values_cross_between_the_clients(members: MemberProcess, official_python: Path) -> None:
    map_name = f"compact-interop-{uuid.uuid4()}"
    serializers, obj = make_our_serializers()
    options: dict[str, Any] = {"cluster_members": members.members, "cluster_name": "dev"}

    writer = await HazelcastClient.create_and_start(compact_serializers=serializers, **options)
    try:
        m = await writer.get_map(map_name)
        for name in CASES:
            await m.put("ours:" + name, build_value(name, obj))
    finally:
        await writer.shutdown()

    request = {"members": members.members, "map": map_name, "types": TYPES, "cases": CASES}
    completed = subprocess.run(
        [str(official_python), "-c", _OFFICIAL_PROGRAM],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=_OFFICIAL_TIMEOUT_S,
        check=False,
    )
    context = f"stderr:\n{completed.stderr[-4000:]}\nmember stderr:\n{members.stderr_text()[-4000:]}"
    assert completed.returncode == 0, context
    official_reads: dict[str, bool] = json.loads(completed.stdout.strip().splitlines()[-1])
    assert official_reads == {name: True for name in CASES}, context

    reader_serializers, reader_obj = make_our_serializers()
    reader = await HazelcastClient.create_and_start(compact_serializers=reader_serializers, **options)
    try:
        m = await reader.get_map(map_name)
        for name in CASES:
            assert await m.get("official:" + name) == build_value(name, reader_obj), name
    finally:
        await reader.shutdown()

    bare = await HazelcastClient.create_and_start(**options)
    try:
        person = await (await bare.get_map(map_name)).get("official:nested")
        assert isinstance(person, CompactGenericRecord)
        assert person.get_type_name() == "Person"
        assert person.get_string("name") == "Ann"
        assert person.get_generic_record("home").get_int32("zip") == 75001
        assert [None if a is None else a.get_string("city") for a in person.get_array_of_generic_record("past")] == [
            "Lyon",
            None,
            "",
        ]
    finally:
        await bare.shutdown()
