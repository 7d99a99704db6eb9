"""Values written by the official hazelcast-python-client 5.7.0 are read correctly by the member's attribute extraction.

``scripts/official_extraction_values.py`` runs in the official client's venv against an
:class:`~hazelcast.embedded.EmbeddedCluster` in this test's event loop (the client is an asyncio subprocess, so the
loop keeps serving it). It stores a JSON, a Compact and a Portable value and a Compact key; the test then takes the
stored Data straight from the owning member's record store and extracts attributes from it as the member's queries
do, with the schemas the official client replicated through Client.sendSchema.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.map import MAP_SERVICE_NAME
from hazelcast.embedded.query import NON_TERMINAL_JSON_VALUE, MultiResult, QueryableEntry, extraction_context
from hazelcast.embedded.schemas import schema_registry
from hazelcast.serialization.compact import FieldDescriptor, FieldKind, GenericRecord, Schema
from tests.interop.official_env import SCRIPTS_DIR

pytestmark = pytest.mark.interop

_SCRIPT = SCRIPTS_DIR / "official_extraction_values.py"
_SCRIPT_TIMEOUT_S = 25.0
_PROCESS_TIMEOUT_S = _SCRIPT_TIMEOUT_S + 15.0

# The schemas the official client derives from its serializers, as this project computes their ids.
_ADDRESS_SCHEMA = Schema("Address", [FieldDescriptor("city", FieldKind.STRING), FieldDescriptor("zip", FieldKind.INT32)])
_PERSON_SCHEMA = Schema(
    "Person",
    [
        FieldDescriptor("name", FieldKind.STRING),
        FieldDescriptor("age", FieldKind.NULLABLE_INT32),
        FieldDescriptor("address", FieldKind.COMPACT),
        FieldDescriptor("tags", FieldKind.ARRAY_OF_STRING),
        FieldDescriptor("previous", FieldKind.ARRAY_OF_COMPACT),
        FieldDescriptor("scores", FieldKind.ARRAY_OF_INT32),
        FieldDescriptor("bonuses", FieldKind.ARRAY_OF_NULLABLE_INT32),
    ],
)


def _stored_entries(cluster: EmbeddedCluster, map_name: str) -> Iterator[tuple[bytes, bytes]]:
    for _pid, store in cluster.owned_states((MAP_SERVICE_NAME, map_name)):
        for key, record in store.records.items():
            yield key, record.value


def _only_entry(cluster: EmbeddedCluster, map_name: str) -> QueryableEntry:
    stored = list(_stored_entries(cluster, map_name))
    assert len(stored) == 1, f"{map_name}: {len(stored)} entries"
    key, value = stored[0]
    # Each member reads with its own copy of the schemas; the owner is the one a query runs on.
    owner = cluster.owner_of(cluster.partition_id(key))
    return extraction_context(owner).entry(key, value)


async def _run_official_script(official_python: Path, cluster: EmbeddedCluster) -> None:
    process = await asyncio.create_subprocess_exec(
        str(official_python),
        str(_SCRIPT),
        "--members",
        ",".join(cluster.addresses),
        "--cluster-name",
        cluster.cluster_name,
        "--timeout",
        str(_SCRIPT_TIMEOUT_S),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=_PROCESS_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        _, stderr = await process.communicate()
        pytest.fail(f"the official script did not finish in {_PROCESS_TIMEOUT_S} s\n{stderr.decode('utf-8', 'replace')}")
    lines = stdout.decode("utf-8").strip().splitlines()
    context = f"exit status {process.returncode}\nstdout:\n{stdout.decode()}\nstderr:\n{stderr.decode('utf-8', 'replace')}"
    assert lines, context
    report: dict[str, Any] = json.loads(lines[-1])
    assert report.get("ok") is True, context
    assert process.returncode == 0, context


@pytest.fixture
async def official_cluster(official_python: Path) -> Any:
    async with EmbeddedCluster(member_count=3) as cluster:
        await _run_official_script(official_python, cluster)
        yield cluster


async def test_official_client_replicated_its_schemas_to_every_member(official_cluster: EmbeddedCluster) -> None:
    for member in official_cluster.live_members:
        registry = schema_registry(member)
        # Found under the ids this project computes: the fingerprints agree with the official client's.
        person = registry.get(_PERSON_SCHEMA.schema_id)
        address = registry.get(_ADDRESS_SCHEMA.schema_id)
        assert person is not None and person.type_name == "Person"
        assert address is not None and address.type_name == "Address"
        assert len(registry) == 2


async def test_member_extracts_json_written_by_the_official_client(official_cluster: EmbeddedCluster) -> None:
    entry = _only_entry(official_cluster, "extraction-json")
    assert entry.attribute("__key") == "ann"
    assert isinstance(entry.attribute("this"), HazelcastJsonValue)
    assert entry.attribute("this").loads()["name"] == "Ann"
    assert entry.attribute("name") == "Ann"
    assert entry.attribute("age") == 31
    assert entry.attribute("address.city") == "Oslo"
    assert entry.attribute("address.geo.lat") == 59.9
    assert entry.attribute("address") is NON_TERMINAL_JSON_VALUE
    assert entry.attribute("tags[1]") == "b"
    assert entry.attribute("orders[2].total") == 7
    assert entry.attribute("missing") is None
    any_total = entry.attribute("orders[any].total")
    assert isinstance(any_total, MultiResult) and list(any_total) == [5.5, 7]


async def test_member_extracts_compact_written_by_the_official_client(official_cluster: EmbeddedCluster) -> None:
    entry = _only_entry(official_cluster, "extraction-compact")
    assert entry.attribute("__key") == "ann"
    person = entry.attribute("this")
    assert isinstance(person, GenericRecord) and person.get_type_name() == "Person"
    assert entry.attribute("name") == "Ann"
    assert entry.attribute("age") is None
    assert entry.attribute("address.city") == "Oslo"
    assert entry.attribute("address.zip") == 150
    assert entry.attribute("tags") == ["a", None, "c"]
    assert entry.attribute("tags[2]") == "c"
    assert entry.attribute("scores[1]") == 20
    assert entry.attribute("previous[2].city") == "Tromso"
    assert entry.attribute("previous[1].city") is None
    assert entry.attribute("unknown") is None
    cities = entry.attribute("previous[any].city")
    assert isinstance(cities, MultiResult)
    assert list(cities) == [None, "Bergen", "Tromso"] and cities.null_or_empty_target
    assert list(entry.attribute("bonuses[any]")) == [4, None]


async def test_member_extracts_portable_written_by_the_official_client(official_cluster: EmbeddedCluster) -> None:
    entry = _only_entry(official_cluster, "extraction-portable")
    assert entry.attribute("__key") == "ann"
    assert isinstance(entry.attribute("this"), GenericRecord)
    assert entry.attribute("name") == "Ann"
    assert entry.attribute("age") == 31
    assert entry.attribute("address.city") == "Oslo"
    assert entry.attribute("address.zip") == 150
    assert entry.attribute("previous[1].city") == "Tromso"
    assert list(entry.attribute("previous[any].zip")) == [5003, 9008]
    assert entry.attribute("tags[0]") == "a"
    assert entry.attribute("scores") == [10, 20, 30]
    assert list(entry.attribute("scores[any]")) == [10, 20, 30]
    assert entry.attribute("unknown") is None


async def test_member_extracts_a_compact_key_written_by_the_official_client(official_cluster: EmbeddedCluster) -> None:
    entry = _only_entry(official_cluster, "extraction-compact-key")
    assert entry.attribute("__key.city") == "Oslo"
    assert entry.attribute("__key.zip") == 150
    assert entry.attribute("__key").get_type_name() == "Address"
    assert entry.attribute("this") == "v"
