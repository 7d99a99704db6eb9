"""The member's SQL engine, statement by statement, without a client: mappings, queries, writes, types and errors."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.map import MAP_SERVICE_NAME
from hazelcast.embedded.query import OpaqueValue, extraction_context
from hazelcast.embedded.schemas import schema_registry
from hazelcast.embedded.sql.catalog import catalog_of
from hazelcast.embedded.sql.statements import run_statement
from hazelcast.embedded.sql.types import ErrorCode, SqlFailure
from hazelcast.serialization import SerializationService
from hazelcast.serialization.compact import GenericRecord

_SERIALIZATION = SerializationService(Config())
PEOPLE = ("CREATE MAPPING people (__key INT, name VARCHAR, age INT, city VARCHAR) TYPE IMap "
          "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')")


def run(cluster: EmbeddedCluster, sql: str, *params: Any, member: int = 0) -> tuple[Any, Any]:
    result = run_statement(cluster, cluster.live_members[member], sql, [_SERIALIZATION.to_data(p) for p in params])
    return result.columns, (list(result.rows) if result.rows is not None else None)


def rows(cluster: EmbeddedCluster, sql: str, *params: Any) -> list[list[Any]]:
    return run(cluster, sql, *params)[1]


def failure(cluster: EmbeddedCluster, sql: str, *params: Any) -> SqlFailure:
    with pytest.raises(SqlFailure) as raised:
        run(cluster, sql, *params)
    return raised.value


def map_entries(cluster: EmbeddedCluster, name: str) -> dict[Any, Any]:
    context = extraction_context(cluster)
    found = {}
    for _pid, store in cluster.owned_states((MAP_SERVICE_NAME, name)):
        for key, record in store.records.items():
            found[context.read_value(key)] = context.read_value(record.value)
    return found


@pytest.fixture
async def people(cluster3: EmbeddedCluster) -> AsyncIterator[EmbeddedCluster]:
    run(cluster3, PEOPLE)
    run(cluster3, "INSERT INTO people VALUES (1, 'ann', 30, 'Oslo'), (2, 'bob', 40, 'Rome'), (3, 'cy', 50, 'Oslo'), "
                  "(4, 'dan', NULL, NULL)")
    yield cluster3


# -- mappings --------------------------------------------------------------------------------------------------------


async def test_mapping_ddl_is_cluster_wide(cluster3: EmbeddedCluster) -> None:
    assert run(cluster3, PEOPLE) == (None, None)
    for member in cluster3.live_members:
        assert "people" in catalog_of(member).mappings
    assert rows(cluster3, "SHOW MAPPINGS") == [["people"]]
    assert failure(cluster3, PEOPLE).message == "Mapping already exists: people"
    run(cluster3, PEOPLE.replace("CREATE MAPPING", "CREATE MAPPING IF NOT EXISTS"))
    run(cluster3, PEOPLE.replace("CREATE MAPPING", "CREATE OR REPLACE MAPPING").replace("city VARCHAR", "town VARCHAR"))
    assert [name for name, _ in run(cluster3, "SELECT * FROM people")[0]] == ["__key", "name", "age", "town"]
    run(cluster3, "DROP MAPPING people")
    assert rows(cluster3, "SHOW MAPPINGS") == []
    assert failure(cluster3, "DROP MAPPING people").code == ErrorCode.OBJECT_NOT_FOUND
    run(cluster3, "DROP MAPPING IF EXISTS people")


async def test_mapping_without_columns_takes_key_and_this_of_primitive_formats(cluster: EmbeddedCluster) -> None:
    run(cluster, "CREATE MAPPING kv TYPE IMap OPTIONS ('keyFormat'='varchar', 'valueFormat'='java', "
                 "'valueJavaClass'='java.lang.Long')")
    run(cluster, "INSERT INTO kv VALUES ('a', 1), ('b', 2)")
    columns, found = run(cluster, "SELECT * FROM kv ORDER BY __key")
    assert columns == [("__key", 0), ("this", 5)]
    assert found == [["a", 1], ["b", 2]]
    assert map_entries(cluster, "kv") == {"a": 1, "b": 2}


@pytest.mark.parametrize("ddl, message", [
    ("CREATE MAPPING m TYPE IMap OPTIONS ('keyFormat'='int')", "Missing 'valueFormat' option"),
    ("CREATE MAPPING m TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')", "declare the columns"),
    ("CREATE MAPPING m TYPE Kafka OPTIONS ('keyFormat'='int', 'valueFormat'='int')", "Unknown connector type"),
    ("CREATE MAPPING m (a INT EXTERNAL NAME \"__key.a\") TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='int')",
     "not an object format"),
    ("CREATE MAPPING m (a INT, a INT) TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')",
     "specified more than once"),
    ("CREATE MAPPING m (a WHATEVER) TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')", "Unknown type"),
    ("CREATE MAPPING m TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='compact')", "valueCompactTypeName"),
    ("CREATE MAPPING m (__key VARCHAR, a INT) TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')",
     "Mismatch between declared and resolved type: __key"),
])
async def test_bad_mappings_are_refused(cluster: EmbeddedCluster, ddl: str, message: str) -> None:
    assert message in failure(cluster, ddl).message
    assert rows(cluster, "SHOW MAPPINGS") == []


# -- SELECT ----------------------------------------------------------------------------------------------------------


async def test_select_projection_where_order_limit(people: EmbeddedCluster) -> None:
    columns, found = run(people, "SELECT name, age + 1 AS next_age FROM people WHERE age >= ? ORDER BY next_age DESC "
                                 "LIMIT 2", 30)
    assert columns == [("name", 0), ("next_age", 5)]
    assert found == [["cy", 51], ["bob", 41]]
    assert rows(people, "SELECT __key FROM people ORDER BY __key LIMIT 2 OFFSET 1") == [[2], [3]]
    assert rows(people, "SELECT name FROM people WHERE city IS NULL") == [["dan"]]
    assert rows(people, "SELECT name FROM people WHERE name LIKE '_o%' OR age BETWEEN 45 AND 55 ORDER BY 1") == [
        ["bob"], ["cy"]]
    assert rows(people, "SELECT name FROM people WHERE __key IN (1, 4) AND NOT age > 100 ORDER BY name") == [["ann"]]
    # NULL sorts last ascending, first descending.
    assert [r[0] for r in rows(people, "SELECT age FROM people ORDER BY age")] == [30, 40, 50, None]
    assert [r[0] for r in rows(people, "SELECT age FROM people ORDER BY age DESC")] == [None, 50, 40, 30]
    assert rows(people, "SELECT p.name FROM people p WHERE p.__key = 2") == [["bob"]]
    assert rows(people, "SELECT CASE WHEN age > 35 THEN 'old' ELSE 'young' END, UPPER(name) || '!' FROM people "
                        "WHERE __key = 1") == [["young", "ANN!"]]


async def test_group_by_aggregates_and_distinct(people: EmbeddedCluster) -> None:
    columns, found = run(people, "SELECT city, COUNT(*), COUNT(age), SUM(age), AVG(age), MIN(name), MAX(age) "
                                 "FROM people GROUP BY city ORDER BY city")
    assert [type_id for _, type_id in columns] == [0, 5, 5, 5, 6, 0, 4]
    assert found == [
        ["Oslo", 2, 2, 80, decimal.Decimal(40), "ann", 50],
        ["Rome", 1, 1, 40, decimal.Decimal(40), "bob", 40],
        [None, 1, 0, None, None, "dan", None],
    ]
    assert rows(people, "SELECT COUNT(*), SUM(age) FROM people WHERE age > 100") == [[0, None]]
    assert rows(people, "SELECT city FROM people GROUP BY city HAVING COUNT(*) > 1") == [["Oslo"]]
    assert rows(people, "SELECT COUNT(DISTINCT city) FROM people") == [[2]]
    assert sorted(rows(people, "SELECT DISTINCT city FROM people WHERE city IS NOT NULL")) == [["Oslo"], ["Rome"]]
    assert "is not being grouped" in failure(people, "SELECT name, COUNT(*) FROM people GROUP BY city").message


async def test_select_without_from_and_literal_types(cluster: EmbeddedCluster) -> None:
    columns, found = run(cluster, "SELECT 1, 300, 70000, 5000000000, 1.5, 2e0, 'x', TRUE, NULL")
    assert [type_id for _, type_id in columns] == [2, 3, 4, 5, 6, 8, 0, 1, 14]
    assert found == [[1, 300, 70000, 5000000000, decimal.Decimal("1.5"), 2.0, "x", True, None]]


async def test_json_functions_and_json_format(cluster: EmbeddedCluster) -> None:
    run(cluster, "CREATE MAPPING docs TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='json')")
    run(cluster, "INSERT INTO docs VALUES (1, ?)", HazelcastJsonValue({"a": {"b": [1, 2]}, "n": "x"}))
    columns, found = run(cluster, "SELECT this, JSON_VALUE(this, '$.n'), JSON_QUERY(this, '$.a.b'), "
                                  "JSON_VALUE(this, '$.a.b[1]'), JSON_VALUE(this, '$.missing') FROM docs")
    assert [type_id for _, type_id in columns] == [15, 0, 15, 0, 0]
    assert found[0][0].loads() == {"a": {"b": [1, 2]}, "n": "x"}
    assert found[0][1:] == ["x", HazelcastJsonValue("[1, 2]"), "2", None] or (
        found[0][1] == "x" and found[0][2].loads() == [1, 2] and found[0][3:] == ["2", None])


# -- writes ----------------------------------------------------------------------------------------------------------


async def test_insert_sink_update_delete(people: EmbeddedCluster) -> None:
    entries = map_entries(people, "people")
    assert entries[1].loads() == {"name": "ann", "age": 30, "city": "Oslo"}
    error = failure(people, "INSERT INTO people (__key, name) VALUES (5, 'eve'), (1, 'again')")
    assert error.code == ErrorCode.DATA_EXCEPTION and "Duplicate key" in error.message
    assert 5 not in map_entries(people, "people")  # nothing of a failed statement was written
    run(people, "SINK INTO people (__key, name) VALUES (1, 'ann2')")
    assert map_entries(people, "people")[1].loads() == {"name": "ann2", "age": None, "city": None}
    run(people, "UPDATE people SET age = age + 5, city = ? WHERE city = 'Oslo'", "Bergen")
    assert rows(people, "SELECT __key, age, city FROM people WHERE city = 'Bergen'") == [[3, 55, "Bergen"]]
    assert "part of the key" in failure(people, "UPDATE people SET __key = 9").message
    run(people, "DELETE FROM people WHERE age > 50 OR city IS NULL")
    assert sorted(map_entries(people, "people")) == [2]
    # Backups hold the same entries: the owner's copy is not the only one.
    backups = 0
    for member in people.live_members:
        for pid, states in enumerate(member.partitions):
            store = states.get((MAP_SERVICE_NAME, "people"))
            if store is not None and people.owner_of(pid) is not member:
                backups += len(store.records)
    assert backups == 1


async def test_insert_values_of_every_type_into_compact(cluster: EmbeddedCluster) -> None:
    run(cluster, "CREATE MAPPING typed (__key BIGINT, b BOOLEAN, t TINYINT, s SMALLINT, i INT, d DECIMAL, r REAL, "
                 "f DOUBLE, dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, v VARCHAR) TYPE IMap "
                 "OPTIONS ('keyFormat'='bigint', 'valueFormat'='compact', 'valueCompactTypeName'='Typed')")
    zone = datetime.timezone(datetime.timedelta(hours=2))
    values = [7, True, 1, 2, 3, decimal.Decimal("4.5"), 1.5, 2.25, datetime.date(2024, 2, 29),
              datetime.time(12, 34, 56), datetime.datetime(2024, 2, 29, 12, 34, 56),
              datetime.datetime(2024, 2, 29, 12, 34, 56, tzinfo=zone), "x"]
    run(cluster, "INSERT INTO typed VALUES (" + ", ".join("?" * len(values)) + ")", *values)
    columns, found = run(cluster, "SELECT * FROM typed")
    assert [type_id for _, type_id in columns] == [5, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 0]
    assert found == [values]
    stored = map_entries(cluster, "typed")[7]
    assert isinstance(stored, GenericRecord) and stored.get_type_name() == "Typed"
    assert stored.get("v") == "x"
    for member in cluster.live_members:
        assert len(schema_registry(member)) == 1
    whole = rows(cluster, "SELECT this FROM typed")[0][0]
    assert isinstance(whole, OpaqueValue)


# -- bad input --------------------------------------------------------------------------------------------------------


async def test_errors_name_the_fault(people: EmbeddedCluster) -> None:
    missing = failure(people, "SELECT * FROM nope")
    assert missing.code == ErrorCode.OBJECT_NOT_FOUND
    assert missing.message == "Object 'nope' not found, did you forget to CREATE MAPPING?"
    assert failure(people, "SELECT nope FROM people").message == "Column 'nope' not found in any table"
    mismatch = failure(people, "SELECT name + 1 FROM people")
    assert mismatch.code == ErrorCode.PARSING and "Cannot apply '+'" in mismatch.message
    assert failure(people, "SELECT * FROM people WHERE name = 1").code == ErrorCode.PARSING
    assert failure(people, "SELEC 1").code == ErrorCode.PARSING
    assert failure(people, "SELECT * FROM people WHERE age > ?").message == (
        "Unexpected parameter count: expected 1, got 0")
    assert failure(people, "SELECT 1", 5).code == ErrorCode.DATA_EXCEPTION
    typed = failure(people, "SELECT name FROM people WHERE age = ?", "x")
    assert typed.message.startswith("Parameter at position 0 must be of INTEGER type, but VARCHAR was found")
    assert "Cannot assign" in failure(people, "INSERT INTO people (__key, age) VALUES (9, 'old')").message
    assert "Division by zero" in failure(people, "SELECT age / 0 FROM people").message
    assert failure(people, "SELECT 1; SELECT 2").code == ErrorCode.PARSING
    assert 9 not in map_entries(people, "people")


async def test_missing_mapping_suggests_one_from_the_data(cluster: EmbeddedCluster) -> None:
    store_key = _SERIALIZATION.to_data("k")
    from hazelcast.embedded.sql.entries import store_entries

    store_entries(cluster, "plain", [(store_key, _SERIALIZATION.to_data(HazelcastJsonValue({"a": 1})))])
    error = failure(cluster, "SELECT * FROM plain")
    assert error.suggestion is not None
    assert "CREATE OR REPLACE MAPPING \"plain\"" in error.suggestion and "'valueFormat' = 'json'" in error.suggestion
    run(cluster, error.suggestion)
    assert rows(cluster, "SELECT __key FROM plain") == [["k"]]


async def test_a_plain_query_streams_entries_as_pages_are_taken(cluster: EmbeddedCluster, monkeypatch: Any) -> None:
    import hazelcast.embedded.sql.select as select_module
    from hazelcast.embedded.sql.entries import store_entries
    from hazelcast.embedded.sql.service import Cursor

    run(cluster, "CREATE MAPPING n TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='int')")
    store_entries(cluster, "n", [(_SERIALIZATION.to_data(i), _SERIALIZATION.to_data(i)) for i in range(10_000)])
    visited = 0
    original_scan = select_module.scan

    def counting_scan(*args: Any) -> Any:
        nonlocal visited
        for entry in original_scan(*args):
            visited += 1
            yield entry

    monkeypatch.setattr(select_module, "scan", counting_scan)
    result = run_statement(cluster, cluster.live_members[0], "SELECT this FROM n WHERE this >= 0", [])
    assert visited == 0  # planning reads nothing
    cursor = Cursor(result.rows, [4], None, -1)  # type: ignore[arg-type]
    page = cursor.next_page(100)
    assert page.row_count == 100 and not page.is_last
    assert visited == 101  # one page and the look-ahead row
    total = page.row_count
    while not page.is_last:
        page = cursor.next_page(1000)
        total += page.row_count
    assert total == 10_000 and visited == 10_000


async def test_a_failing_update_changes_nothing(people: EmbeddedCluster) -> None:
    before = {key: value.loads() for key, value in map_entries(people, "people").items()}
    error = failure(people, "UPDATE people SET age = 100 / (age - 40) WHERE age IS NOT NULL")
    assert error.code == ErrorCode.DATA_EXCEPTION and "Division by zero" in error.message
    assert {key: value.loads() for key, value in map_entries(people, "people").items()} == before


async def test_object_keys_and_external_map_names(cluster: EmbeddedCluster) -> None:
    run(cluster, "CREATE MAPPING orders EXTERNAL NAME \"orders-2024\" (id INT EXTERNAL NAME \"__key.id\", "
                 "region VARCHAR EXTERNAL NAME \"__key.region\", total DECIMAL) TYPE IMap "
                 "OPTIONS ('keyFormat'='json-flat', 'valueFormat'='json-flat')")
    run(cluster, "INSERT INTO orders VALUES (1, 'eu', 9.5), (2, 'us', 3)")
    stored = map_entries(cluster, "orders-2024")
    assert sorted((key.loads()["id"], key.loads()["region"], value.loads()["total"])
                  for key, value in stored.items()) == [(1, "eu", 9.5), (2, "us", 3)]
    assert rows(cluster, "SELECT region, total FROM orders WHERE id = 2") == [["us", decimal.Decimal(3)]]
    assert [name for name, _ in run(cluster, "SELECT * FROM orders")[0]] == ["id", "region", "total"]
    assert map_entries(cluster, "orders") == {}


async def test_scalar_functions(cluster: EmbeddedCluster) -> None:
    found = rows(cluster, "SELECT UPPER('ab'), LOWER('AB'), CHAR_LENGTH('abc'), CONCAT('a', NULL, 'b', 1), "
                          "SUBSTRING('hazelcast', 2, 3), SUBSTRING('hazelcast' FROM 6), TRIM('  x '), LTRIM('  x '), "
                          "REPLACE('a-b-c', '-', '+'), ABS(-3), SIGN(-2.5e0), FLOOR(2.7), CEIL(2.1e0), "
                          "ROUND(2.345, 2), "
                          "ROUND(1250, -2), NULLIF(1, 1), NULLIF(2, 1), COALESCE(NULL, 'z'), 'a' || 'b'")
    assert found == [["AB", "ab", 3, "a" + "b1", "aze", "cast", "x", "x ", "a+b+c", 3, -1.0, decimal.Decimal(2), 3.0,
                      decimal.Decimal("2.35"), 1300, None, 2, "z", "ab"]]
    assert failure(cluster, "SELECT UPPER(1)").code == ErrorCode.PARSING
    assert failure(cluster, "SELECT NO_SUCH_FUNCTION(1)").code == ErrorCode.PARSING
