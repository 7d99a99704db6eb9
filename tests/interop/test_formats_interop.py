"""Portable, JSON, IdentifiedDataSerializable and built-in values through the embedded member, both ways.

Our client writes every case of ``format_cases`` to a member process; the official hazelcast-python-client 5.7.0,
in its own venv, reads each and compares it with the value it builds itself, then writes its own copy; our client
reads those back. (Compact has its own such test: ``test_compact_interop.py``.)
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue
from hazelcast.serialization.api import IdentifiedDataSerializable
from hazelcast.serialization.portable import ClassDefinitionBuilder, Portable
from tests.interop.member_process import member_process

pytestmark = pytest.mark.interop

INTEROP_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(INTEROP_DIR))

from format_cases import build_cases  # noqa: E402

_OFFICIAL_PROGRAM = r"""
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
from format_cases import build_cases
from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue
from hazelcast.serialization.api import IdentifiedDataSerializable, Portable
from hazelcast.serialization.portable.classdef import ClassDefinitionBuilder

request = json.load(sys.stdin)


async def main():
    cases, options = build_cases(Portable, IdentifiedDataSerializable, HazelcastJsonValue, ClassDefinitionBuilder)
    client = await HazelcastClient.create_and_start(cluster_members=request["members"], cluster_name="dev", **options)
    try:
        m = await client.get_map(request["map"])
        results = {}
        for name, expected in cases.items():
            got = await m.get("ours:" + name)
            results[name] = got == expected or repr(got)
            await m.put("official:" + name, expected)
        return results
    finally:
        await client.shutdown()


print(json.dumps(asyncio.run(asyncio.wait_for(main(), 50))))
"""


async def test_values_cross_between_the_clients_through_the_member(official_python: Path) -> None:
    cases, options = build_cases(Portable, IdentifiedDataSerializable, HazelcastJsonValue, ClassDefinitionBuilder)
    map_name = f"formats-{uuid.uuid4()}"
    with member_process(2) as members:
        client_options = {"cluster_members": members.members, "cluster_name": "dev", **options}
        writer = await HazelcastClient.create_and_start(**client_options)
        try:
            m = await writer.get_map(map_name)
            for name, value in cases.items():
                await m.put("ours:" + name, value)
        finally:
            await writer.shutdown()

        completed = subprocess.run(
            [str(official_python), "-c", _OFFICIAL_PROGRAM, str(INTEROP_DIR)],
            input=json.dumps({"members": members.members, "map": map_name}),
            capture_output=True, text=True, timeout=60, check=False,
        )
        context = f"stderr:\n{completed.stderr[-4000:]}\nmember stderr:\n{members.stderr_text()[-4000:]}"
        assert completed.returncode == 0, context
        official_reads = json.loads(completed.stdout.strip().splitlines()[-1])
        assert official_reads == {name: True for name in cases}, context

        reader = await HazelcastClient.create_and_start(**client_options)
        try:
            m = await reader.get_map(map_name)
            for name, expected in cases.items():
                assert await m.get("official:" + name) == expected, name
        finally:
            await reader.shutdown()
