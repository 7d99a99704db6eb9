"""Compact bytes: ours against the official hazelcast-python-client 5.7.0's, schema by schema.

Both sides serialize the same objects with equivalent serializers: one generic serializer per type name that
writes every field with the ``write_<kind>`` method of its kind, in the declared order (the order of the writes
decides where variable-size values land, so it must match). The official client runs in its own venv; it
serializes every case and also deserializes our bytes; here we compare the bytes and read the official ones.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.serialization import SerializationService
from tests.interop.compact_cases import CASES, PRELUDE, TYPES, build_value, make_our_serializers
from tests.interop.official_env import official_python

pytestmark = pytest.mark.interop

_OFFICIAL_PROGRAM = (
    PRELUDE
    + r"""
import json, sys
from hazelcast.config import Config
from hazelcast.serialization.api import CompactSerializer
from hazelcast.serialization.compact import SchemaNotReplicatedError
from hazelcast.serialization.data import Data
from hazelcast.serialization.service import SerializationServiceV1

request = json.load(sys.stdin)
results = {}
for case in request["cases"]:
    serializers, obj = make_serializers(request["types"], CompactSerializer)
    config = Config()
    config.compact_serializers = serializers
    config.is_big_endian = case["big_endian"]
    service = SerializationServiceV1(config)
    value = eval(case["expr"], {"obj": obj, "datetime": datetime, "decimal": decimal})
    while True:
        try:
            data = service.to_data(value)
            break
        except SchemaNotReplicatedError as error:
            service.compact_stream_serializer.register_schema_to_type(error.schema, error.clazz)
    read = service.to_object(Data(bytearray.fromhex(case["ours"])))
    results[case["id"]] = {"hex": bytes(data.buffer).hex(), "reads_ours": read == value}
json.dump(results, sys.stdout)
"""
)


@dataclass(frozen=True)
class Case:
    name: str
    big_endian: bool

    @property
    def id(self) -> str:
        return self.name + ("" if self.big_endian else " LE")

    def build(self) -> tuple[SerializationService, Any]:
        serializers, obj = make_our_serializers()
        config = Config()
        config.compact_serializers = serializers
        config.is_big_endian = self.big_endian
        return SerializationService(config), build_value(self.name, obj)


ALL_CASES = [Case(name, True) for name in CASES] + [Case(name, False) for name in ("scalars", "arrays", "nested")]


@pytest.fixture(scope="module")
def official_results() -> dict[str, dict[str, Any]]:
    cases = []
    for case in ALL_CASES:
        service, value = case.build()
        ours = service.to_data(value).hex()
        cases.append({"id": case.id, "expr": CASES[case.name], "big_endian": case.big_endian, "ours": ours})
    completed = subprocess.run(
        [str(official_python()), "-c", _OFFICIAL_PROGRAM],
        input=json.dumps({"types": TYPES, "cases": cases}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results: dict[str, dict[str, Any]] = json.loads(completed.stdout)
    return results


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_our_compact_bytes_equal_the_official_clients(case: Case, official_results: dict[str, dict[str, Any]]) -> None:
    service, value = case.build()
    result = official_results[case.id]
    assert service.to_data(value).hex() == result["hex"]
    assert result["reads_ours"], "the official client read our bytes back differently"
    assert service.to_object(bytes.fromhex(result["hex"])) == value


def test_the_cases_cover_every_compact_kind() -> None:
    from hazelcast.serialization.compact.schema import COMPACT_KINDS

    used = {kind for kinds in TYPES.values() for kind in kinds.values()}
    assert used == {kind.name for kind in COMPACT_KINDS}
