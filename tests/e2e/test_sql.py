"""client.sql against embedded members: statements of every kind, column types, paging, closing, errors."""

from __future__ import annotations

import datetime
import decimal
import gc
from typing import Any

import pytest

from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.sql import open_cursor_count
from hazelcast.serialization.compact import CompactReader, CompactSerializer, CompactWriter, GenericRecord
from hazelcast.serialization.portable import Portable
from hazelcast.sql import HazelcastSqlError, SqlColumnType, SqlExpectedResultType, SqlResult
from tests.e2e.conftest import running_client, wait_until

PEOPLE = ("CREATE MAPPING people (__key INT, name VARCHAR, age INT) TYPE IMap "
          "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')")


async def _rows(result: SqlResult) -> list[list[Any]]:
    return [[row[i] for i in range(len(row))] async for row in result]


def _open_cursors(cluster: EmbeddedCluster) -> int:
    return sum(open_cursor_count(member) for member in cluster.live_members)


async def test_statements_of_every_kind(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        sql = client.sql
        created = await sql.execute(PEOPLE)
        assert not created.is_row_set() and created.update_count() == 0
        await sql.execute("INSERT INTO people VALUES (1, 'ann', 30), (2, 'bob', ?)", 40)
        await sql.execute("SINK INTO people (__key, name, age) VALUES (3, 'cy', 50)")
        people = await client.get_map("people")
        assert (await people.get(3)).loads() == {"name": "cy", "age": 50}
        await people.put(4, HazelcastJsonValue({"name": "dan", "age": 60}))
        await sql.execute("UPDATE people SET age = age + 1 WHERE __key = ?", 1)
        await sql.execute("DELETE FROM people WHERE name = 'bob'")
        async with await sql.execute("SELECT __key, name, age FROM people ORDER BY __key") as result:
            metadata = result.get_row_metadata()
            assert [(c.name, c.type) for c in metadata.columns] == [
                ("__key", SqlColumnType.INTEGER), ("name", SqlColumnType.VARCHAR), ("age", SqlColumnType.INTEGER)]
            assert await _rows(result) == [[1, "ann", 31], [3, "cy", 50], [4, "dan", 60]]
        result = await sql.execute("SELECT COUNT(*) AS n, MAX(age) FROM people WHERE age > ?", 30,
                                   expected_result_type=SqlExpectedResultType.ROWS)
        assert [(row["n"], row[1]) async for row in result] == [(3, 60)]
        result = await sql.execute("SHOW MAPPINGS")
        assert [row["name"] async for row in result] == ["people"]
        await sql.execute("DROP MAPPING people")


class Point:
    def __init__(self, x: int, label: str) -> None:
        self.x = x
        self.label = label


class PointSerializer(CompactSerializer[Point]):
    def read(self, reader: CompactReader) -> Point:
        return Point(reader.read_int32("x"), reader.read_string("label"))

    def write(self, writer: CompactWriter, obj: Point) -> None:
        writer.write_int32("x", obj.x)
        writer.write_string("label", obj.label)

    def get_type_name(self) -> str:
        return "Point"

    def get_class(self) -> type[Point]:
        return Point


async def test_every_column_type_reaches_the_client(cluster1: EmbeddedCluster) -> None:
    zone = datetime.timezone(datetime.timedelta(hours=-5))
    values = [True, -5, 300, 70000, 2_000_000_000, decimal.Decimal("12.345"), 1.5, 2.25, datetime.date(2024, 2, 29),
              datetime.time(23, 1, 2, 5000), datetime.datetime(2024, 2, 29, 23, 1, 2),
              datetime.datetime(2024, 2, 29, 23, 1, 2, tzinfo=zone), "text ✓"]
    async with running_client(cluster1) as client:
        await client.sql.execute(
            "CREATE MAPPING typed (__key INT, b BOOLEAN, t TINYINT, s SMALLINT, i INT, bi BIGINT, d DECIMAL, r REAL, "
            "f DOUBLE, dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, v VARCHAR) TYPE IMap "
            "OPTIONS ('keyFormat'='int', 'valueFormat'='compact', 'valueCompactTypeName'='Typed')")
        await client.sql.execute("INSERT INTO typed VALUES (1, " + ", ".join("?" * len(values)) + ")", *values)
        await client.sql.execute("INSERT INTO typed (__key) VALUES (2)")
        result = await client.sql.execute("SELECT * FROM typed ORDER BY __key")
        types = [column.type for column in result.get_row_metadata().columns]
        assert types == [SqlColumnType.INTEGER, *range(1, 13), SqlColumnType.VARCHAR]
        found = await _rows(result)
        assert found[0] == [1, *values]
        assert found[1] == [2] + [None] * len(values)
        # OBJECT, NULL and JSON columns; the Compact value's schema is fetched by the client to deserialize it.
        result = await client.sql.execute("SELECT this, NULL, CAST('{\"a\": [1]}' AS JSON) FROM typed WHERE __key = 1")
        assert [c.type for c in result.get_row_metadata().columns] == [
            SqlColumnType.OBJECT, SqlColumnType.NULL, SqlColumnType.JSON]
        ((record, null, document),) = await _rows(result)
        assert isinstance(record, GenericRecord) and record.get_type_name() == "Typed"
        assert record.get("v") == "text ✓"
        assert null is None and document.loads() == {"a": [1]}


async def test_values_written_by_the_client_are_queried(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, compact_serializers=[PointSerializer()]) as client:
        points = await client.get_map("points")
        await points.put("p", Point(3, "three"))
        await client.sql.execute(
            "CREATE MAPPING points (__key VARCHAR, x INT, label VARCHAR) TYPE IMap "
            "OPTIONS ('keyFormat'='varchar', 'valueFormat'='compact', 'valueCompactTypeName'='Point')")
        result = await client.sql.execute("SELECT __key, x * 2, label, this FROM points")
        ((key, doubled, label, point),) = await _rows(result)
        assert (key, doubled, label) == ("p", 6, "three")
        assert isinstance(point, Point) and point.x == 3
        await client.sql.execute("UPDATE points SET x = 4")
        assert (await points.get("p")).x == 4


async def test_paging_over_ten_thousand_rows_with_a_small_cursor_buffer(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        await client.sql.execute("CREATE MAPPING n TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='int')")
        numbers = await client.get_map("n")
        await numbers.put_all({i: i * 2 for i in range(10_000)})
        result = await client.sql.execute("SELECT __key, this FROM n WHERE this >= ?", 0, cursor_buffer_size=64)
        assert _open_cursors(cluster3) == 1
        seen = {row[0]: row[1] async for row in result}
        assert seen == {i: i * 2 for i in range(10_000)}
        assert _open_cursors(cluster3) == 0
        result = await client.sql.execute("SELECT this FROM n ORDER BY this DESC LIMIT 5", cursor_buffer_size=2)
        assert [row[0] async for row in result] == [19998, 19996, 19994, 19992, 19990]


async def test_closing_in_the_middle_releases_the_query_on_the_member(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        await client.sql.execute("CREATE MAPPING n TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='int')")
        await (await client.get_map("n")).put_all({i: i for i in range(100)})
        result = await client.sql.execute("SELECT this FROM n", cursor_buffer_size=10)
        rows = result.iterator()
        received = [(await rows.__anext__())[0] for _ in range(15)]
        await result.close()
        assert _open_cursors(cluster3) == 0
        with pytest.raises(HazelcastSqlError) as raised:
            while True:
                received.append((await rows.__anext__())[0])
        assert raised.value.code == 1003
        assert len(received) == 20 and len(set(received)) == 20  # the rows already received, then nothing more
        # A result dropped without close is closed on the member once collected.
        abandoned = await client.sql.execute("SELECT this FROM n", cursor_buffer_size=10)
        assert _open_cursors(cluster3) == 1
        del abandoned
        gc.collect()
        await wait_until(lambda: _open_cursors(cluster3) == 0, what="the abandoned query to be closed")
        # A result still open when the client shuts down is released with the client's connection.
        await client.sql.execute("SELECT this FROM n", cursor_buffer_size=10)
    await wait_until(lambda: _open_cursors(cluster3) == 0, what="the member to drop the shut-down client's query")


async def test_errors_carry_the_members_code_and_suggestion(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        plain = await client.get_map("plain")
        await plain.put("k", HazelcastJsonValue({"a": 1}))
        with pytest.raises(HazelcastSqlError) as raised:
            await client.sql.execute("SELECT * FROM plain")
        assert raised.value.code == 1010
        assert str(raised.value) == "Object 'plain' not found, did you forget to CREATE MAPPING?"
        assert raised.value.suggestion is not None and "'valueFormat' = 'json'" in raised.value.suggestion
        assert raised.value.originating_member_uuid == cluster1.live_members[0].uuid
        await client.sql.execute(raised.value.suggestion)
        await client.sql.execute(PEOPLE)
        for statement, params, code, text in [
            ("SELEC 1", (), 1008, "Encountered"),
            ("SELECT missing FROM people", (), 1008, "Column 'missing' not found"),
            ("SELECT name FROM people WHERE age = ?", ("x",), 2000, "must be of INTEGER type"),
            ("SELECT name FROM people WHERE age = ?", (), 2000, "Unexpected parameter count"),
            ("SELECT name || 1 FROM people WHERE age > 'a'", (), 1008, "Cannot apply '>'"),
            ("INSERT INTO people VALUES (1, 'a', 1)", (), -1, "doesn't produce rows"),
        ]:
            with pytest.raises(HazelcastSqlError) as raised:
                await client.sql.execute(statement, *params,
                                         expected_result_type="ROWS" if code == -1 else SqlExpectedResultType.ANY)
            assert raised.value.code == code, statement
            assert text in str(raised.value), statement
        result = await client.sql.execute("SELECT COUNT(*) FROM people")
        assert await _rows(result) == [[0]]  # the refused INSERT wrote nothing


async def test_a_member_leaving_during_a_query_fails_it_and_it_is_not_retried(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3) as client:
        await client.sql.execute("CREATE MAPPING n TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='int')")
        await (await client.get_map("n")).put_all({i: i for i in range(200)})
        result = await client.sql.execute("SELECT this FROM n", cursor_buffer_size=10)
        running_on = next(member for member in cluster3.live_members if open_cursor_count(member))
        rows = result.iterator()
        for _ in range(10):
            await rows.__anext__()
        await cluster3.kill_member(running_on)
        with pytest.raises(HazelcastSqlError) as raised:
            await rows.__anext__()
        assert raised.value.code == 1001
        assert "Member cannot be reached" in str(raised.value)
        # The other members still answer new queries.
        again = await client.sql.execute("SELECT COUNT(*) FROM n")
        assert len(await _rows(again)) == 1


class Employee(Portable):
    def __init__(self, name: str | None = None, age: int = 0) -> None:
        self.name = name
        self.age = age

    def get_factory_id(self) -> int:
        return 9

    def get_class_id(self) -> int:
        return 1

    def write_portable(self, writer: Any) -> None:
        writer.write_string("name", self.name)
        writer.write_int("age", self.age)

    def read_portable(self, reader: Any) -> None:
        self.name = reader.read_string("name")
        self.age = reader.read_int("age")


async def test_portable_and_java_formats(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, portable_factories={9: {1: Employee}}) as client:
        employees = await client.get_map("employees")
        await employees.put(1, Employee("ann", 30))
        await client.sql.execute(
            "CREATE MAPPING employees (__key INT, name VARCHAR, age INT) TYPE IMap OPTIONS ('keyFormat'='int', "
            "'valueFormat'='portable', 'valuePortableFactoryId'='9', 'valuePortableClassId'='1')")
        await client.sql.execute("INSERT INTO employees VALUES (2, 'bob', 40)")
        await client.sql.execute("UPDATE employees SET age = age + 1 WHERE __key = 1")
        result = await client.sql.execute("SELECT __key, name, age, this FROM employees ORDER BY __key")
        found = await _rows(result)
        assert [row[:3] for row in found] == [[1, "ann", 31], [2, "bob", 40]]
        assert isinstance(found[1][3], Employee) and found[1][3].name == "bob"
        assert vars(await employees.get(2)) == {"name": "bob", "age": 40}
        with pytest.raises(HazelcastSqlError, match="NULL to the primitive"):
            await client.sql.execute("INSERT INTO employees (__key, name) VALUES (3, 'cy')")

        await client.sql.execute(
            "CREATE MAPPING ids TYPE IMap OPTIONS ('keyFormat'='java', 'keyJavaClass'='java.lang.Long', "
            "'valueFormat'='java', 'valueJavaClass'='java.lang.String')")
        await client.sql.execute("INSERT INTO ids VALUES (?, ?)", 5, "five")
        result = await client.sql.execute("SELECT * FROM ids")
        assert [(c.name, c.type) for c in result.get_row_metadata().columns] == [
            ("__key", SqlColumnType.BIGINT), ("this", SqlColumnType.VARCHAR)]
        assert await _rows(result) == [[5, "five"]]
        with pytest.raises(HazelcastSqlError, match="only the built-in Java types"):
            await client.sql.execute("CREATE MAPPING bad TYPE IMap OPTIONS ('keyFormat'='java', "
                                     "'keyJavaClass'='com.acme.Thing', 'valueFormat'='int')")


async def test_compact_schemas_met_in_later_pages_are_fetched(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, compact_serializers=[PointSerializer()]) as writer:
        objects = await writer.get_map("objects")
        await objects.put(1, Point(1, "one"))
        await objects.put(2, HazelcastJsonValue({"j": 2}))
        await writer.sql.execute(
            "CREATE MAPPING other (__key INT, label VARCHAR) TYPE IMap "
            "OPTIONS ('keyFormat'='int', 'valueFormat'='compact', 'valueCompactTypeName'='Other')")
        await writer.sql.execute("INSERT INTO other VALUES (3, 'three')")
        other_value = await (await writer.get_map("other")).get(3)
        await objects.put(3, other_value)
    # A new client knows none of the schemas: each is fetched when a page first holds a value of it.
    async with running_client(cluster1) as reader:
        await reader.sql.execute("CREATE MAPPING objects TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='java', "
                                 "'valueJavaClass'='java.lang.Object')")
        result = await reader.sql.execute("SELECT __key, this FROM objects ORDER BY __key", cursor_buffer_size=1)
        found = {key: value async for key, value in ((row[0], row[1]) async for row in result)}
        assert isinstance(found[1], GenericRecord) and found[1].get_type_name() == "Point"
        assert found[2].loads() == {"j": 2}
        assert isinstance(found[3], GenericRecord) and found[3].get("label") == "three"


async def test_a_unisocket_client_pages_through_its_one_member(cluster3: EmbeddedCluster) -> None:
    async with running_client(cluster3, smart_routing=False) as client:
        await client.sql.execute("CREATE MAPPING n TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='int')")
        await (await client.get_map("n")).put_all({i: -i for i in range(500)})
        result = await client.sql.execute("SELECT __key, this FROM n WHERE this <= ?", -250, cursor_buffer_size=32)
        assert sorted([[row[0], row[1]] async for row in result]) == [[i, -i] for i in range(250, 500)]
        assert _open_cursors(cluster3) == 0


async def test_where_terms_use_the_maps_indexes(cluster3: EmbeddedCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    import hazelcast.embedded.sql.select as select_module

    visited = 0
    original_scan = select_module.scan

    def counting_scan(*args: Any) -> Any:
        nonlocal visited
        for entry in original_scan(*args):
            visited += 1
            yield entry

    monkeypatch.setattr(select_module, "scan", counting_scan)
    async with running_client(cluster3) as client:
        people = await client.get_map("people")
        await people.put_all({key: HazelcastJsonValue({"name": f"p{key}", "age": key % 50}) for key in range(1000)})
        await client.sql.execute(PEOPLE)

        async def keys(sql: str, *params: Any) -> list[int]:
            nonlocal visited
            visited = 0
            result = await client.sql.execute(sql, *params)
            return sorted([row[0] async for row in result])

        assert await keys("SELECT __key FROM people WHERE age = 7 AND name LIKE 'p%'") == list(range(7, 1000, 50))
        assert visited == 1000  # no index yet: every entry is read
        await people.add_index(attributes=["age"])
        assert await keys("SELECT __key FROM people WHERE age = ? AND name LIKE 'p%'", 7) == list(range(7, 1000, 50))
        assert visited == 20
        assert await keys("SELECT __key FROM people WHERE age IN (1, 2) AND __key < 200") == [
            1, 2, 51, 52, 101, 102, 151, 152]
        assert visited == 40
        assert await keys("SELECT __key FROM people WHERE age BETWEEN 48 AND 49 AND __key > 900") == [
            948, 949, 998, 999]
        assert visited == 40
        assert await keys("SELECT __key FROM people WHERE 3 > age AND __key < 100") == [0, 1, 2, 50, 51, 52]
        assert visited == 60
        await client.sql.execute("UPDATE people SET name = 'x' WHERE age = 3")
        assert await keys("SELECT __key FROM people WHERE name = 'x'") == list(range(3, 1000, 50))
        assert visited == 1000
        await client.sql.execute("DELETE FROM people WHERE age >= 45")
        assert len(await keys("SELECT __key FROM people")) == 900
