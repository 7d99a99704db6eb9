"""Map queries end to end: predicates, paging, aggregations, projections, indexes, remove_all, on 1 and 3 members."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast import aggregator as agg
from hazelcast import predicate as p
from hazelcast import projection as proj
from hazelcast.config import IndexType
from hazelcast.core import HazelcastJsonValue, MapEntry
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.map.query_handlers import query_statistics
from hazelcast.errors import HazelcastError, QueryError

from .conftest import running_client

PEOPLE = {
    "alice": {"name": "Alice", "age": 31, "city": {"name": "Oslo"}, "tags": ["a", "b"], "active": True, "score": 1.5},
    "bob": {"name": "Bob", "age": 25, "city": {"name": "Rome"}, "tags": ["b"], "active": False, "score": 2.5},
    "carol": {"name": "Carol", "age": 40, "city": {"name": "Oslo"}, "tags": [], "active": True, "score": 3.0},
    "dave": {"name": "dave_x", "age": 25, "city": None, "tags": ["c"], "active": True, "score": 4.0},
}


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=request.param) as running:
        yield running


@pytest.fixture
async def people(cluster: EmbeddedCluster) -> AsyncIterator[Any]:
    async with running_client(cluster) as client:
        people = await client.get_map("people")
        await people.put_all({key: HazelcastJsonValue(json.dumps(value)) for key, value in PEOPLE.items()})
        yield people


async def keys(people: Any, predicate: Any) -> list[str]:
    return sorted(await people.key_set(predicate))


async def test_comparison_predicates(people: Any) -> None:
    assert await keys(people, p.equal("age", 25)) == ["bob", "dave"]
    assert await keys(people, p.not_equal("age", 25)) == ["alice", "carol"]
    assert await keys(people, p.greater("age", 30)) == ["alice", "carol"]
    assert await keys(people, p.greater_or_equal("age", 31)) == ["alice", "carol"]
    assert await keys(people, p.less("age", 31)) == ["bob", "dave"]
    assert await keys(people, p.less_or_equal("age", 31)) == ["alice", "bob", "dave"]
    assert await keys(people, p.between("age", 25, 31)) == ["alice", "bob", "dave"]
    assert await keys(people, p.in_("name", "Bob", "Carol", "nobody")) == ["bob", "carol"]
    # A long, a float and a string stand for the same number as the int attribute.
    assert await keys(people, p.equal("age", 25.0)) == ["bob", "dave"]
    assert await keys(people, p.greater("age", "30")) == ["alice", "carol"]
    assert await keys(people, p.less("score", 2)) == ["alice"]


async def test_string_predicates(people: Any) -> None:
    assert await keys(people, p.like("name", "%o%")) == ["bob", "carol"]
    assert await keys(people, p.like("name", "dave\\_%")) == ["dave"]
    assert await keys(people, p.like("name", "_ob")) == ["bob"]
    assert await keys(people, p.ilike("name", "A%")) == ["alice"]
    assert await keys(people, p.regex("name", "[AB].*")) == ["alice", "bob"]
    assert await keys(people, p.regex("name", "li")) == []


async def test_logical_and_constant_predicates(people: Any) -> None:
    assert await keys(people, p.and_(p.equal("active", True), p.greater("age", 30))) == ["alice", "carol"]
    assert await keys(people, p.or_(p.equal("name", "Bob"), p.equal("age", 40))) == ["bob", "carol"]
    assert await keys(people, p.not_(p.equal("active", True))) == ["bob"]
    assert await keys(people, p.true()) == sorted(PEOPLE)
    assert await keys(people, p.false()) == []
    assert await keys(people, p.and_()) == sorted(PEOPLE)
    assert await keys(people, p.or_()) == []


async def test_attribute_paths(people: Any) -> None:
    assert await keys(people, p.equal("city.name", "Oslo")) == ["alice", "carol"]
    assert await keys(people, p.equal("tags[0]", "b")) == ["bob"]
    assert await keys(people, p.equal("tags[any]", "b")) == ["alice", "bob"]
    assert await keys(people, p.equal("__key", "bob")) == ["bob"]
    assert await keys(people, p.like("__key", "%o%")) == ["bob", "carol"]
    # A missing attribute reads as null, as on a member.
    assert await keys(people, p.equal("missing", None)) == sorted(PEOPLE)
    assert await keys(people, p.equal("city.name", None)) == ["dave"]
    assert await keys(people, p.greater("missing", 1)) == []


async def test_this_and_key_field_on_plain_values(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        numbers = await client.get_map("numbers")
        await numbers.put_all({i: i * 10 for i in range(10)})
        assert sorted(await numbers.values(p.greater_or_equal("this", 70))) == [70, 80, 90]
        assert sorted(await numbers.key_set(p.less("__key", 2))) == [0, 1]
        assert sorted(await numbers.entry_set(p.equal("this", 50))) == [(5, 50)]
        # A plain value has no fields: the member answers with a query error.
        with pytest.raises(QueryError):
            await numbers.key_set(p.equal("field", 1))


async def test_sql_predicate(people: Any) -> None:
    assert await keys(people, p.sql("active AND (age > 30 OR name = 'Bob')")) == ["alice", "carol"]
    assert await keys(people, p.sql("age BETWEEN 25 AND 30")) == ["bob", "dave"]
    assert await keys(people, p.sql("name IN ('Bob', 'Carol')")) == ["bob", "carol"]
    assert await keys(people, p.sql("name NOT LIKE '%o%'")) == ["alice", "dave"]
    assert await keys(people, p.sql("name ILIKE 'alice'")) == ["alice"]
    assert await keys(people, p.sql("name REGEX 'C.*'")) == ["carol"]
    assert await keys(people, p.sql("city.name = NULL")) == ["dave"]
    assert await keys(people, p.sql("age <> 25 and not active = false")) == ["alice", "carol"]
    assert await keys(people, p.sql("__key = 'bob'")) == ["bob"]


async def test_bad_sql_is_a_query_error(people: Any) -> None:
    with pytest.raises(QueryError, match="Invalid SQL"):
        await people.key_set(p.sql("age >"))
    with pytest.raises(QueryError, match="Invalid SQL"):
        await people.key_set(p.sql("(age = 1"))


async def test_values_and_entry_set_with_predicate(people: Any) -> None:
    values = await people.values(p.equal("name", "Bob"))
    assert [json.loads(value.to_string()) for value in values] == [PEOPLE["bob"]]
    entries = await people.entry_set(p.equal("age", 40))
    assert [(key, json.loads(value.to_string())) for key, value in entries] == [("carol", PEOPLE["carol"])]


async def test_remove_all(people: Any) -> None:
    await people.remove_all(p.equal("active", True))
    assert await people.key_set() == ["bob"]


async def test_paging_navigation_and_anchors(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        numbers = await client.get_map("paged")
        await numbers.put_all({f"k{i:02}": i for i in range(25)})
        paging = p.paging(p.greater_or_equal("this", 3), 5)
        assert await numbers.values(paging) == [3, 4, 5, 6, 7]
        assert [page for page, _ in paging.anchor_list] == [0]
        assert paging.next_page() == 1
        assert await numbers.values(paging) == [8, 9, 10, 11, 12]
        assert [page for page, _ in paging.anchor_list] == [0, 1]
        paging.page = 4
        assert await numbers.values(paging) == [23, 24]
        paging.next_page()
        assert await numbers.values(paging) == []
        paging.page = 1
        assert paging.previous_page() == 0
        assert await numbers.values(paging) == [3, 4, 5, 6, 7]
        # An anchor keeps later pages in place when entries before it go away.
        paging.next_page()
        await numbers.remove("k03")
        assert await numbers.values(paging) == [8, 9, 10, 11, 12]
        paging.reset()
        assert paging.page == 0 and paging.anchor_list == []
        keys_page = p.paging(None, 3)
        assert await numbers.key_set(keys_page) == ["k00", "k01", "k02"]
        entries_page = p.paging(p.less("this", 2), 10)
        assert await numbers.entry_set(entries_page) == [("k00", 0), ("k01", 1)]


async def test_aggregators(people: Any) -> None:
    assert await people.aggregate(agg.count()) == 4
    assert await people.aggregate(agg.count("age"), p.equal("active", True)) == 3
    assert await people.aggregate(agg.distinct("age")) == {25, 31, 40}
    assert await people.aggregate(agg.int_sum("age")) == 121
    assert await people.aggregate(agg.long_sum("age")) == 121
    assert await people.aggregate(agg.fixed_point_sum("score")) == 1 + 2 + 3 + 4
    assert await people.aggregate(agg.floating_point_sum("age")) == 121.0
    assert await people.aggregate(agg.double_sum("score")) == 11.0
    assert await people.aggregate(agg.int_avg("age")) == 30.25
    assert await people.aggregate(agg.long_avg("age"), p.equal("age", 25)) == 25.0
    assert await people.aggregate(agg.double_avg("score")) == 2.75
    assert await people.aggregate(agg.number_avg("age")) == 30.25
    assert await people.aggregate(agg.max_("age")) == 40
    assert await people.aggregate(agg.min_("name")) == "Alice"
    oldest = await people.aggregate(agg.max_by("age"))
    assert isinstance(oldest, MapEntry) and oldest.key == "carol"
    youngest = await people.aggregate(agg.min_by("score"))
    assert youngest.key == "alice" and json.loads(youngest.value.to_string())["name"] == "Alice"
    assert await people.aggregate(agg.count("tags[any]")) == 4
    assert await people.aggregate(agg.int_avg("age"), p.false()) is None
    assert await people.aggregate(agg.max_("age"), p.false()) is None


async def test_projections(people: Any) -> None:
    assert sorted(await people.project(proj.single_attribute("name"))) == ["Alice", "Bob", "Carol", "dave_x"]
    assert sorted(await people.project(proj.multi_attribute("__key", "age"), p.equal("active", True))) == [
        ["alice", 31],
        ["carol", 40],
        ["dave", 25],
    ]
    [entry] = await people.project(proj.identity(), p.equal("name", "Bob"))
    assert entry.key == "bob" and json.loads(entry.value.to_string()) == PEOPLE["bob"]


@pytest.mark.parametrize("index_type", [IndexType.SORTED, IndexType.HASH, IndexType.BITMAP])
async def test_indexed_queries_evaluate_only_matching_entries(cluster: EmbeddedCluster, index_type: IndexType) -> None:
    async with running_client(cluster) as client:
        items = await client.get_map("indexed")
        await items.add_index(["age"], index_type)
        await items.put_all({i: HazelcastJsonValue(json.dumps({"age": i % 50})) for i in range(500)})
        stats = query_statistics(cluster, "indexed")
        assert len(await items.key_set(p.equal("age", 7))) == 10
        # The index named the 10 matching entries; its lookup is exact, so none needed evaluating.
        assert (stats.visited_entries, stats.evaluated_entries, stats.indexed_queries) == (10, 0, 1)
        # Index kept up to date by writes and removals.
        await items.put(7, HazelcastJsonValue('{"age": 1000}'))
        await items.remove(57)
        assert sorted(await items.key_set(p.equal("age", 7))) == [107, 157, 207, 257, 307, 357, 407, 457]
        assert await items.key_set(p.equal("age", 1000)) == [7]
        if index_type == IndexType.SORTED:
            before = stats.visited_entries
            assert sorted(await items.key_set(p.between("age", 48, 100))) == [
                i for i in range(500) if i % 50 >= 48
            ]
            assert sorted(await items.key_set(p.sql("age > 48"))) == [7] + [i for i in range(500) if i % 50 == 49]
            assert stats.visited_entries - before == 20 + 11
            assert stats.evaluated_entries == 0
        # A condition the index cannot answer is evaluated on the entries the index named.
        before = stats.visited_entries
        assert sorted(await items.key_set(p.and_(p.equal("age", 7), p.less("__key", 200)))) == [107, 157]
        assert (stats.visited_entries - before, stats.evaluated_entries) == (8, 8)
        # Without an index the query visits and evaluates every entry.
        before = stats.visited_entries
        assert len(await items.key_set(p.equal("__key", 3))) == 1
        assert stats.visited_entries - before == 499
        assert stats.evaluated_entries == 8 + 499


async def test_index_added_after_the_entries_and_survives_clear(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        items = await client.get_map("late-index")
        await items.put_all({i: HazelcastJsonValue(json.dumps({"name": f"n{i % 3}"})) for i in range(30)})
        await items.add_index(["name"], IndexType.HASH, name="by-name")
        await items.add_index(["name"], IndexType.HASH, name="by-name")
        stats = query_statistics(cluster, "late-index")
        assert len(await items.values(p.equal("name", "n1"))) == 10
        assert (stats.visited_entries, stats.evaluated_entries) == (10, 0)
        await items.clear()
        assert await items.values(p.equal("name", "n1")) == []
        await items.put(1, HazelcastJsonValue('{"name": "n1"}'))
        assert await items.key_set(p.in_("name", "n1", "n2")) == [1]


async def test_add_index_validates_before_sending(people: Any) -> None:
    with pytest.raises(ValueError):
        await people.add_index([])
    with pytest.raises(ValueError):
        await people.add_index(["a", "b"], IndexType.BITMAP)
    with pytest.raises(ValueError):
        await people.add_index(["a", "this.a"])
    await people.add_index(["age", "name"], IndexType.SORTED)
    await people.add_index(["name"], IndexType.BITMAP, bitmap_index_options={"unique_key": "__key"})
    assert await keys(people, p.equal("name", "Bob")) == ["bob"]


async def test_bad_input_is_rejected_before_sending(people: Any) -> None:
    with pytest.raises(TypeError):
        await people.key_set("age > 3")
    with pytest.raises(TypeError):
        await people.values(42)
    with pytest.raises(ValueError):
        await people.remove_all(None)
    with pytest.raises(ValueError):
        await people.remove_all(p.paging(None, 2))
    with pytest.raises(TypeError):
        await people.aggregate("count")
    with pytest.raises(ValueError):
        await people.aggregate(None)
    with pytest.raises(TypeError):
        await people.project(agg.count())
    with pytest.raises(ValueError):
        await people.aggregate(agg.count(), p.paging(None, 2))
    with pytest.raises(ValueError):
        p.equal(None, 1)
    with pytest.raises(TypeError):
        p.and_(p.true(), "x")
    with pytest.raises(ValueError):
        p.paging(p.true(), 0)
    with pytest.raises(ValueError):
        proj.single_attribute("tags[any]")


async def test_a_value_that_cannot_be_converted_fails_the_query(people: Any) -> None:
    with pytest.raises(HazelcastError):
        await people.key_set(p.greater("age", "not a number"))


async def test_key_fields_and_indexes_on_them(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        orders = await client.get_map("orders")
        await orders.add_index(["__key.region"], IndexType.HASH)
        await orders.put_all({
            HazelcastJsonValue(json.dumps({"id": i, "region": ["eu", "us"][i % 2]})): i * 10 for i in range(10)
        })
        stats = query_statistics(cluster, "orders")
        assert sorted(await orders.values(p.equal("__key.region", "eu"))) == [0, 20, 40, 60, 80]
        assert (stats.visited_entries, stats.evaluated_entries) == (5, 0)
        assert sorted(await orders.values(p.and_(p.greater("__key.id", 6), p.greater("this", 0)))) == [70, 80, 90]
        assert await orders.aggregate(agg.max_("__key.id")) == 9
        assert sorted(await orders.project(proj.single_attribute("__key.id"), p.less("this", 30))) == [0, 1, 2]


async def test_a_new_cluster_forgets_the_indexes() -> None:
    from hazelcast.embedded.map.indexing import index_definitions

    async with EmbeddedCluster(member_count=1) as cluster:
        async with running_client(cluster) as client:
            items = await client.get_map("forgotten")
            await items.add_index(["age"])
            assert len(index_definitions(cluster, "forgotten")) == 1
            await cluster.restart_member(cluster.members[0])
            assert index_definitions(cluster, "forgotten") == ()


async def test_paging_json_values_sorts_by_key(people: Any) -> None:
    page = p.paging(p.true(), 3)
    assert [key for key, _ in await people.entry_set(page)] == ["alice", "bob", "carol"]
    page.next_page()
    assert [key for key, _ in await people.entry_set(page)] == ["dave"]
    assert await people.key_set(p.paging(p.greater("age", 26), 5)) == ["alice", "carol"]


async def test_composite_index_is_used_for_equalities_on_all_its_attributes(cluster: EmbeddedCluster) -> None:
    async with running_client(cluster) as client:
        items = await client.get_map("composite")
        await items.add_index(["kind", "size"], IndexType.HASH)
        await items.put_all(
            {i: HazelcastJsonValue(json.dumps({"kind": f"k{i % 4}", "size": i % 5})) for i in range(200)}
        )
        stats = query_statistics(cluster, "composite")
        assert sorted(await items.key_set(p.and_(p.equal("kind", "k1"), p.equal("size", 3)))) == [
            i for i in range(200) if i % 4 == 1 and i % 5 == 3
        ]
        assert stats.evaluated_entries == 10
        assert len(await items.key_set(p.sql("kind = 'k2' AND size = 4"))) == 10
        assert stats.evaluated_entries == 20
