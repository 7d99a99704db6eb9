"""Our serialized bytes against the official hazelcast-python-client 5.7.0's, value by value.

The official client runs in its own venv (``official_env.official_python()``), since its regular ``hazelcast``
package would shadow ours. One subprocess serializes every case with ``SerializationServiceV1`` and also
deserializes our bytes; here we compare the bytes and deserialize the official ones.

Values are chosen where the official client follows Java; the cases where it does not are covered by exact
Java layouts in ``packages/hazelcast-core/tests/test_serialization_vectors.py``: negative ``int`` under
``IntType.VAR``/``BYTE`` (it fails to write them), ``bytes`` (it pickles them, we write ``byte[]``) and
``datetime`` with a ``zoneinfo`` zone (it writes offset 0).
"""

from __future__ import annotations

import datetime
import decimal
import json
import subprocess
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from hazelcast.config import Config, IntType
from hazelcast.core import HazelcastJsonValue
from hazelcast.serialization import SerializationService
from tests.interop.official_env import official_python

pytestmark = pytest.mark.interop

_OFFICIAL_PROGRAM = r"""
import datetime, decimal, json, sys, uuid
from hazelcast.config import Config, IntType
from hazelcast.core import HazelcastJsonValue
from hazelcast.serialization.data import Data
from hazelcast.serialization.service import SerializationServiceV1


def as_read_back(value):
    # A naive datetime is written with offset 0 and read back in UTC.
    if type(value) is datetime.datetime and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    if type(value) is list:
        return [as_read_back(item) for item in value]
    return value


results = {}
for case in json.load(sys.stdin):
    config = Config()
    config.default_int_type = getattr(IntType, case["int_type"])
    config.is_big_endian = case["big_endian"]
    service = SerializationServiceV1(config)
    names = {"uuid": uuid, "datetime": datetime, "decimal": decimal, "HazelcastJsonValue": HazelcastJsonValue}
    value = eval(case["expr"], names)
    read = service.to_object(Data(bytearray.fromhex(case["ours"])))
    results[case["id"]] = {
        "hex": service.to_data(value).buffer.hex(),
        "reads_ours": read == as_read_back(value),
        "read": repr(read),
    }
json.dump(results, sys.stdout)
"""

_NAMES = {"uuid": uuid, "datetime": datetime, "decimal": decimal, "HazelcastJsonValue": HazelcastJsonValue}


@dataclass(frozen=True)
class Case:
    expr: str
    int_type: str = "INT"
    big_endian: bool = True

    @property
    def id(self) -> str:
        order = "" if self.big_endian else " LE"
        return f"{self.int_type}{order}: {self.expr[:60]}"

    def value(self) -> Any:
        return eval(self.expr, dict(_NAMES))  # the expressions are the literals below

    def service(self) -> SerializationService:
        config = Config()
        config.default_int_type = IntType[self.int_type]
        config.is_big_endian = self.big_endian
        return SerializationService(config)


_DEFAULT_EXPRESSIONS = [
    "'key-1'",
    "''",
    "'a\\U0001f600b'",
    "'\\u00fcn\\u00efc\\u00f6d\\u00e9 \\u20ac'",
    "'x' * 5000",
    "54",
    "0",
    "-1",
    "2**31 - 1",
    "-2**31",
    "1.5",
    "-0.0",
    "1e308",
    "float('-inf')",
    "True",
    "False",
    "bytearray(b'ab\\x00\\xff')",
    "bytearray()",
    "[]",
    "[1, 'a', None, [2.5, True]]",
    "[[[]], [None, None]]",
    "uuid.UUID('12345678-1234-5678-1234-567812345678')",
    "uuid.UUID(int=2**128 - 1)",
    "uuid.UUID('f0000000-0000-0000-8000-00000000000f')",
    "datetime.date(2024, 1, 2)",
    "datetime.date(1, 1, 1)",
    "datetime.date(9999, 12, 31)",
    "datetime.time(0, 0)",
    "datetime.time(23, 59, 59, 999999)",
    "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)",
    "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30)))",
    "datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone(datetime.timedelta(hours=-8)))",
    "datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC)",
    "decimal.Decimal('-1.50')",
    "decimal.Decimal('1E+3')",
    "decimal.Decimal('0')",
    "decimal.Decimal('128')",
    "decimal.Decimal('-128')",
    "decimal.Decimal('123456789012345678901234567890.123456789')",
    "HazelcastJsonValue('{\"a\": 1}')",
    "HazelcastJsonValue('')",
    "[decimal.Decimal('2.5'), uuid.UUID(int=7), datetime.date(2020, 2, 29), HazelcastJsonValue('[]'), 'z']",
    "[datetime.time(1, 2, 3), datetime.datetime(2000, 1, 1), bytearray(b'q'), -7, 2.0]",
]

CASES = (
    [Case(expr) for expr in _DEFAULT_EXPRESSIONS]
    + [
        Case(expr, "VAR")
        for expr in (
            "0", "1", "127", "128", "200", "-200", "32767", "32768", "-32769", "40000", "-40000",
            "2**31 - 1", "2**31", "-2**31 - 1", "2**63 - 1", "-2**63", "2**63", "-2**63 - 1", "2**100", "-2**100",
            "[1, 300, 2**40, 2**80, 'a']",
        )
    ]
    + [Case(expr, "BYTE") for expr in ("0", "1", "127")]
    + [Case(expr, "SHORT") for expr in ("-2", "300", "-32768", "32767")]
    + [Case(expr, "LONG") for expr in ("1", "-1", "2**63 - 1", "-2**63", "[5, -5]")]
    + [Case(expr, "BIG_INT") for expr in ("0", "255", "-1", "-128", "-129", "2**70", "-2**70", "[2**64, -3]")]
    + [
        Case(expr, "INT", big_endian=False)
        for expr in (
            "'key-1'", "54", "-2", "1.5", "True", "[1, 'a', None, [2.5]]",
            "uuid.UUID('12345678-1234-5678-1234-567812345678')", "datetime.date(2024, 1, 2)",
            "datetime.time(23, 59, 59, 999999)", "datetime.datetime(2024, 1, 2, 3, 4, 5, 6)",
            "decimal.Decimal('-1.50')", "bytearray(b'ab')", "HazelcastJsonValue('{}')",
        )
    ]
    + [Case(expr, "VAR", big_endian=False) for expr in ("200", "40000", "2**40", "2**64", "[1, 300]")]
    + [Case(expr, "BIG_INT", big_endian=False) for expr in ("255", "-2**70")]
)  # fmt: skip


def _ours(case: Case) -> bytes:
    return case.service().to_data(case.value())


@pytest.fixture(scope="module")
def official_results() -> dict[str, dict[str, Any]]:
    cases = [
        {
            "id": case.id,
            "expr": case.expr,
            "int_type": case.int_type,
            "big_endian": case.big_endian,
            "ours": _ours(case).hex(),
        }
        for case in CASES
    ]
    assert len({case["id"] for case in cases}) == len(cases), "case ids must be unique"
    completed = subprocess.run(
        [str(official_python()), "-c", _OFFICIAL_PROGRAM],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results: dict[str, dict[str, Any]] = json.loads(completed.stdout)
    return results


def _as_read_back(value: Any) -> Any:
    if type(value) is datetime.datetime and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    if type(value) is bytearray:
        return bytes(value)
    if type(value) is list:
        return [_as_read_back(item) for item in value]
    return value


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_our_bytes_equal_the_official_clients(case: Case, official_results: dict[str, dict[str, Any]]) -> None:
    assert _ours(case).hex() == official_results[case.id]["hex"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_official_client_reads_our_bytes(case: Case, official_results: dict[str, dict[str, Any]]) -> None:
    result = official_results[case.id]
    assert result["reads_ours"], f"official client read {result['read']}"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_we_read_the_official_clients_bytes(case: Case, official_results: dict[str, dict[str, Any]]) -> None:
    official_bytes = bytes.fromhex(official_results[case.id]["hex"])
    assert case.service().to_object(official_bytes) == _as_read_back(case.value())
