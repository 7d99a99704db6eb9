"""Portable and pickle bytes against the official hazelcast-python-client 5.7.0's.

The same Portable classes (``portable_classes.py``, built once on our ``Portable`` and once on the official one) are
serialized by both clients, in both byte orders; one subprocess in the official venv serializes every case and reads
our bytes back. We compare the bytes, read the official bytes with factories (objects), without them (generic
records) and with ``read_portable_record`` (no configuration at all).
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization import SerializationService
from hazelcast.serialization.portable import (
    ClassDefinitionBuilder,
    FieldType,
    Portable,
    PortableGenericRecord,
    PortableGenericRecordBuilder,
    read_portable_record,
)
from tests.interop import portable_classes
from tests.interop.official_env import SCRIPTS_DIR, official_python

pytestmark = pytest.mark.interop

MODEL = portable_classes.define(Portable)
CASES = MODEL.cases()
KEYS = [(case, big_endian) for case in CASES for big_endian in (True, False)]
RECORD_KEYS = [(case, big_endian) for case, big_endian in KEYS if not isinstance(CASES[case], list)]


def _key(case: str, big_endian: bool) -> str:
    return f"{case} {'BE' if big_endian else 'LE'}"


def _service(big_endian: bool = True, *, factories: bool = True, pickle_enabled: bool = False) -> SerializationService:
    config = Config()
    config.is_big_endian = big_endian
    if factories:
        config.portable_factories = MODEL.factories()
    config.class_definitions = portable_classes.class_definitions(ClassDefinitionBuilder)
    config.pickle_enabled = pickle_enabled
    return SerializationService(config)


def _ours(case: str, big_endian: bool) -> bytes:
    return _service(big_endian).to_data(CASES[case])


def _pickled(expr: str) -> Any:
    return eval(expr, {})  # the expressions are the literals of portable_classes.PICKLE_EXPRESSIONS


@pytest.fixture(scope="module")
def official() -> dict[str, dict[str, Any]]:
    request = {
        "portable": [
            {"case": case, "big_endian": big_endian, "ours": _ours(case, big_endian).hex()} for case, big_endian in KEYS
        ],
        "pickle": [
            {"expr": expr, "ours": _service(pickle_enabled=True).to_data(_pickled(expr)).hex()}
            for expr in portable_classes.PICKLE_EXPRESSIONS
        ],
    }
    completed = subprocess.run(
        [str(official_python()), str(SCRIPTS_DIR / "official_portable.py"), portable_classes.__file__],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results: dict[str, dict[str, Any]] = json.loads(completed.stdout)
    return results


def _official_bytes(official: dict[str, dict[str, Any]], case: str, big_endian: bool) -> bytes:
    return bytes.fromhex(official["portable"][_key(case, big_endian)]["hex"])


# ---------------------------------------------------------------------------------------------- Portable objects


@pytest.mark.parametrize(("case", "big_endian"), KEYS, ids=[_key(*key) for key in KEYS])
def test_our_portable_bytes_equal_the_official_clients(
    case: str, big_endian: bool, official: dict[str, dict[str, Any]]
) -> None:
    assert _ours(case, big_endian).hex() == official["portable"][_key(case, big_endian)]["hex"]


@pytest.mark.parametrize(("case", "big_endian"), KEYS, ids=[_key(*key) for key in KEYS])
def test_the_official_client_reads_our_portable_bytes(
    case: str, big_endian: bool, official: dict[str, dict[str, Any]]
) -> None:
    result = official["portable"][_key(case, big_endian)]
    assert result["reads_ours"], f"official client read {result['read']}"


@pytest.mark.parametrize(("case", "big_endian"), KEYS, ids=[_key(*key) for key in KEYS])
def test_we_read_the_official_clients_portable_bytes(
    case: str, big_endian: bool, official: dict[str, dict[str, Any]]
) -> None:
    assert _service(big_endian).to_object(_official_bytes(official, case, big_endian)) == CASES[case]


# ---------------------------------------------------------------------------------------------- generic records


@pytest.mark.parametrize(("case", "big_endian"), RECORD_KEYS, ids=[_key(*key) for key in RECORD_KEYS])
def test_official_portable_bytes_read_as_the_same_record_with_and_without_configuration(
    case: str, big_endian: bool, official: dict[str, dict[str, Any]]
) -> None:
    data = _official_bytes(official, case, big_endian)
    record = read_portable_record(data, 8, big_endian)
    assert isinstance(record, PortableGenericRecord)
    assert record.get_class_id() == CASES[case].get_class_id()
    # A service without factories reads the same record, and writes it back to the very same bytes (but for the
    # raw data after the named fields, which is not part of a record).
    service = _service(big_endian, factories=False)
    from_service = service.to_object(data)
    assert from_service == record
    rewritten = service.to_data(from_service)
    if case == "raw data":
        assert rewritten != data and service.to_object(rewritten) == record
    else:
        assert rewritten == data


def test_read_portable_record_gives_the_fields_of_a_person_written_by_the_official_client(
    official: dict[str, dict[str, Any]],
) -> None:
    record = read_portable_record(_official_bytes(official, "person", True), 8)
    assert record.get_field_names() == ["name", "age", "address", "past"]
    assert record.get_string("name") == "Ann"
    assert record.get_int32("age") == 37
    address = record.get_generic_record("address")
    assert isinstance(address, PortableGenericRecord)
    assert (address.get_string("street"), address.get_int32("number"), address.get_int16("zip")) == ("Elm", 5, 99)
    past = record.get_array_of_generic_record("past")
    assert past is not None and [item and item.get_string("street") for item in past] == ["Oak"]
    assert record.get_field_type("past") == FieldType.PORTABLE_ARRAY


def test_read_portable_record_gives_every_field_type_written_by_the_official_client(
    official: dict[str, dict[str, Any]],
) -> None:
    record = read_portable_record(_official_bytes(official, "all types", False), 8, big_endian=False)
    values = CASES["all types"].values
    assert record.get_int8("byte") == 127
    assert record.get_boolean("boolean") is True
    assert record.get_char("char") == "\u20ac"
    assert record.get_int16("short") == -32768
    assert record.get_int64("long") == -(2**63)
    assert record.get_float32("float") == 0.25
    assert record.get_string("string") == values["string"]
    assert record.get_decimal("decimal") == values["decimal"]
    assert record.get_time("time") == values["time"]
    assert record.get_date("date") == values["date"]
    assert record.get_timestamp("timestamp") == values["timestamp"]
    assert record.get_timestamp_with_timezone("timestamp_tz") == values["timestamp_tz"]
    assert record.get_array_of_int8("bytes") == [0, 127, -128, -1]
    assert record.get_array_of_char("chars") == ["a", "\u00fc"]
    assert record.get_array_of_string("strings") == ["x", None, ""]
    assert record.get_array_of_decimal("decimals") == values["decimals"]
    assert record.get_array_of_timestamp_with_timezone("timestamps_tz") == values["timestamps_tz"]
    nested = record.get_array_of_generic_record("portables")
    assert nested is not None and [item and item.get_int32("number") for item in nested] == [1, 2]


def test_read_portable_record_reads_a_null_nested_portable_of_the_official_client(
    official: dict[str, dict[str, Any]],
) -> None:
    record = read_portable_record(_official_bytes(official, "null nested portable", True), 8)
    assert record.get_generic_record("inner") is None
    assert record.get_array_of_generic_record("inners") == []
    inner = record.get_class_definition().get_field("inner")
    assert inner is not None and (inner.factory_id, inner.class_id) == (7, portable_classes.ADDRESS_ID)


def test_a_built_record_has_the_official_bytes_of_the_portable(official: dict[str, dict[str, Any]]) -> None:
    address_def, _ = portable_classes.class_definitions(ClassDefinitionBuilder)
    person_def = (
        ClassDefinitionBuilder(portable_classes.FACTORY_ID, portable_classes.PERSON_ID)
        .add_string_field("name")
        .add_int_field("age")
        .add_portable_field("address", address_def)
        .add_portable_array_field("past", address_def)
        .build()
    )

    def address(street: str, number: int, zip_code: int) -> PortableGenericRecord:
        builder = PortableGenericRecordBuilder(address_def)
        return builder.set_string("street", street).set_int32("number", number).set_int16("zip", zip_code).build()

    person = (
        PortableGenericRecordBuilder(person_def)
        .set_string("name", "Ann")
        .set_int32("age", 37)
        .set_generic_record("address", address("Elm", 5, 99))
        .set_array_of_generic_record("past", [address("Oak", 1, 1)])
        .build()
    )
    data = SerializationService(Config()).to_data(person)
    assert data == _official_bytes(official, "person", True)
    assert _service().to_object(data) == CASES["person"]


# ---------------------------------------------------------------------------------------------- pickle


@pytest.mark.parametrize("expr", portable_classes.PICKLE_EXPRESSIONS)
def test_our_pickle_bytes_equal_the_official_clients(expr: str, official: dict[str, dict[str, Any]]) -> None:
    ours = _service(pickle_enabled=True).to_data(_pickled(expr))
    assert ours[4:8] == (-120).to_bytes(4, "big", signed=True)
    assert ours.hex() == official["pickle"][expr]["hex"]


@pytest.mark.parametrize("expr", portable_classes.PICKLE_EXPRESSIONS)
def test_pickles_read_across_clients(expr: str, official: dict[str, dict[str, Any]]) -> None:
    result = official["pickle"][expr]
    assert result["reads_ours"], f"official client read {result['read']}"
    assert _service(pickle_enabled=True).to_object(bytes.fromhex(result["hex"])) == _pickled(expr)


def test_pickled_data_of_the_official_client_is_refused_unless_enabled(official: dict[str, dict[str, Any]]) -> None:
    data = bytes.fromhex(official["pickle"][portable_classes.PICKLE_EXPRESSIONS[0]]["hex"])
    with pytest.raises(HazelcastSerializationError, match="pickle_enabled"):
        _service().to_object(data)
