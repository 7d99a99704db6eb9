"""The member's query engine without a network: comparison rules, predicates over each format, SQL, indexes and
aggregations, with entries serialized as a client serializes them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded.query import ExtractionContext
from hazelcast.embedded.query.aggregation import AGGREGATION_SERVER_CLASSES, StoredEntry
from hazelcast.embedded.query.compare import comparable, convert, equal, sort_key
from hazelcast.embedded.query.indexes import HASH, SORTED, IndexDefinition, StoreIndexes
from hazelcast.embedded.query.predicates import (
    AndPredicate,
    BetweenPredicate,
    EqualPredicate,
    GreaterLessPredicate,
    ILikePredicate,
    InPredicate,
    InstanceOfPredicate,
    LikePredicate,
    NotEqualPredicate,
    OrPredicate,
    Predicate,
    RegexPredicate,
)
from hazelcast.embedded.query.sql import parse_sql
from hazelcast.embedded.query.values import NON_TERMINAL_JSON_VALUE
from hazelcast.errors import IllegalArgumentError, QueryError
from hazelcast.serialization import SerializationService
from hazelcast.serialization.compact import GenericRecordBuilder

SERVICE = SerializationService(Config())
CONTEXT = ExtractionContext(SERVICE.compact_stream_serializer.schemas.get)


def entry(value: Any, key: Any = "k") -> Any:
    return CONTEXT.entry(SERVICE.to_data(key), SERVICE.to_data(value))


def person(name: str, age: int) -> Any:
    return GenericRecordBuilder.compact("Person").set_string("name", name).set_int32("age", age).build()


def test_conversion_follows_the_attribute_type() -> None:
    assert convert("30", 1) == 30
    assert convert("2.5", 1.0) == 2.5
    assert convert(30, "x") == "30"
    assert convert("TRUE", False) is True
    assert convert(True, "x") == "true"
    with pytest.raises(IllegalArgumentError):
        convert("thirty", 1)


def test_numbers_compare_by_value_and_booleans_are_not_numbers() -> None:
    assert equal(25, 25.0)
    assert equal(2**40, 2**40)
    assert equal(1, True) and not equal("1", True)  # Java converts a boolean to 1 or 0 for a numeric attribute
    assert equal(None, None) and not equal(None, 0)
    assert not equal(NON_TERMINAL_JSON_VALUE, NON_TERMINAL_JSON_VALUE)
    assert comparable(3, "2") == (3, 2)
    assert comparable(None, 1) is None
    assert comparable("a", 1) == ("a", "1")
    assert sorted([3, "b", None, 1.5, True], key=sort_key) == [None, True, 1.5, 3, "b"]


@pytest.mark.parametrize(
    "value",
    [HazelcastJsonValue(json.dumps({"name": "Ann", "age": 30})), person("Ann", 30)],
    ids=["json", "compact"],
)
def test_predicates_on_fields(value: Any) -> None:
    ann = entry(value)
    assert EqualPredicate("age", 30).matches(ann)
    assert EqualPredicate("age", "30").matches(ann)
    assert NotEqualPredicate("age", 31).matches(ann)
    assert GreaterLessPredicate("age", 29, False, False).matches(ann)
    assert not GreaterLessPredicate("age", 30, False, True).matches(ann)
    assert GreaterLessPredicate("age", 30, True, True).matches(ann)
    assert BetweenPredicate("age", 30, 40).matches(ann)
    assert InPredicate("name", ["Bob", "Ann"]).matches(ann)
    assert LikePredicate("name", "A_n").matches(ann)
    assert not LikePredicate("name", "a%").matches(ann)
    assert ILikePredicate("name", "a%").matches(ann)
    assert RegexPredicate("name", "A.+").matches(ann)
    assert EqualPredicate("missing", None).matches(ann)
    assert not GreaterLessPredicate("missing", 1, False, False).matches(ann)
    assert AndPredicate([EqualPredicate("age", 30), EqualPredicate("__key", "k")]).matches(ann)
    assert OrPredicate([EqualPredicate("age", 1), EqualPredicate("name", "Ann")]).matches(ann)


def test_any_paths_match_when_one_item_does() -> None:
    value = entry(HazelcastJsonValue(json.dumps({"items": [{"price": 5}, {"price": 50}]})))
    assert GreaterLessPredicate("items[any].price", 40, False, False).matches(value)
    assert not GreaterLessPredicate("items[any].price", 60, False, False).matches(value)
    assert EqualPredicate("items[1].price", 50).matches(value)


def test_instance_of_names_java_classes() -> None:
    assert InstanceOfPredicate("java.lang.String").matches(entry("text"))
    assert InstanceOfPredicate("java.lang.Number").matches(entry(3))
    assert not InstanceOfPredicate("java.lang.String").matches(entry(3))
    assert InstanceOfPredicate("Person").matches(entry(person("Ann", 1)))
    assert InstanceOfPredicate("java.lang.Object").matches(entry(1.5))


def test_sql_grammar() -> None:
    ann = entry(HazelcastJsonValue(json.dumps({"name": "O'Hara", "age": 30, "active": True, "city": None})))
    for sql, expected in [
        ("age = 30", True),
        ("age == 30 and active", True),
        ("age <> 30 OR name = 'O''Hara'", True),
        ("NOT (age >= 30)", False),
        ("age BETWEEN 20 AND 29", False),
        ("age NOT BETWEEN 20 AND 29", True),
        ("age in (1, 30, 5)", True),
        ("age NOT IN (30)", False),
        ("name LIKE 'O%'", True),
        ("name ILIKE 'o%'", True),
        ("name REGEX 'O.H.*'", True),
        ("city = NULL", True),
        ("city != null", False),
    ]:
        assert parse_sql(sql).matches(ann) is expected, sql
    for bad in ["", "age >", "age = 1 AND", "(age = 1", "age = 1)", "age ~ 3", "= 3", "age BETWEEN 1 5"]:
        with pytest.raises(QueryError, match="Invalid SQL"):
            parse_sql(bad)


def indexed_store(index_type: int) -> tuple[StoreIndexes, dict[bytes, Any]]:
    indexes = StoreIndexes(CONTEXT, (IndexDefinition("by-age", index_type, ("age",)),))
    values: dict[bytes, Any] = {}
    for i in range(20):
        key = SERVICE.to_data(i)
        values[key] = SERVICE.to_data(HazelcastJsonValue(json.dumps({"age": i % 5})))
        indexes.put(key, values[key])
    # A value the index cannot read: every lookup returns it, for the predicate to decide.
    odd_key = SERVICE.to_data("odd")
    indexes.put(odd_key, SERVICE.to_data(7))
    return indexes, values


@pytest.mark.parametrize("index_type", [SORTED, HASH])
def test_index_lookups(index_type: int) -> None:
    indexes, _ = indexed_store(index_type)
    odd = SERVICE.to_data("odd")
    three = {SERVICE.to_data(i) for i in range(20) if i % 5 == 3}
    assert EqualPredicate("age", 3).index_candidates(indexes) == three | {odd}
    # Only the value the index could not read needs evaluating.
    assert EqualPredicate("age", 3).index_lookup(indexes) == (three | {odd}, {odd})
    assert OrPredicate([EqualPredicate("age", 3), InPredicate("age", [4])]).index_lookup(indexes)[1] == {odd}
    assert AndPredicate([EqualPredicate("age", 3), EqualPredicate("age", 3)]).index_lookup(indexes)[1] == three | {odd}
    assert EqualPredicate("age", "3").index_candidates(indexes) == three | {odd}
    assert InPredicate("age", [3, 99]).index_candidates(indexes) == three | {odd}
    assert NotEqualPredicate("age", 3).index_candidates(indexes) is None
    assert EqualPredicate("name", 3).index_candidates(indexes) is None
    ranged = GreaterLessPredicate("age", 3, True, False).index_candidates(indexes)
    if index_type == SORTED:
        assert ranged == {SERVICE.to_data(i) for i in range(20) if i % 5 >= 3} | {odd}
        assert BetweenPredicate("age", "1", "2").index_candidates(indexes) == {
            SERVICE.to_data(i) for i in range(20) if i % 5 in (1, 2)
        } | {odd}
    else:
        assert ranged is None
    indexes.remove(odd)
    for key in three:
        indexes.remove(key)
    assert EqualPredicate("age", 3).index_candidates(indexes) == set()
    and_candidates = AndPredicate([NotEqualPredicate("age", 1), EqualPredicate("age", 4)]).index_candidates(indexes)
    assert and_candidates == {SERVICE.to_data(i) for i in range(20) if i % 5 == 4}
    assert OrPredicate([EqualPredicate("age", 4), EqualPredicate("x", 1)]).index_candidates(indexes) is None


def aggregation(class_id: int, path: str | None) -> Any:
    [server_class] = [c for c in AGGREGATION_SERVER_CLASSES if c.factory_id == -29 and c.class_id == class_id]
    aggregator = server_class.factory()
    aggregator.path = None if path is None else __import__(
        "hazelcast.embedded.query.paths", fromlist=["parse_attribute_path"]
    ).parse_attribute_path(path)
    aggregator.reset()
    return aggregator


def run(class_id: int, path: str | None, values: list[Any]) -> Any:
    aggregator = aggregation(class_id, path)
    for index, value in enumerate(values):
        aggregator.accumulate(entry(value, key=index))
    return aggregator.result()


def test_aggregations_follow_java_result_types() -> None:
    numbers = [3, 1, None, 4]
    assert run(4, None, numbers) == 4
    assert run(5, None, [1, 1, 2]) == {1, 2}
    assert run(11, None, numbers) == 8
    assert run(8, None, [1.9, 2.2]) == 3
    assert run(9, None, [1, 2.5]) == 3.5
    assert run(10, None, numbers) == pytest.approx(8 / 3)
    assert run(16, None, []) is None
    assert run(14, None, numbers) == 4
    assert run(15, None, ["b", "a"]) == "a"
    best = run(17, None, numbers)
    assert isinstance(best, StoredEntry) and best.key_data == SERVICE.to_data(3)
    with pytest.raises(IllegalArgumentError):
        run(11, None, ["x"])


def test_user_predicates_take_part() -> None:
    class Short(Predicate):
        def read_data(self, object_data_input: Any) -> None:
            """No fields."""

        def matches(self, entry: Any) -> bool:
            return len(entry.value) < 3

    assert AndPredicate([Short(), EqualPredicate("this", "ab")]).matches(entry("ab"))
    assert not Short().matches(entry("abc"))


def test_composite_index_answers_an_and_of_equalities() -> None:
    indexes = StoreIndexes(CONTEXT, (IndexDefinition("by-age-city", SORTED, ("age", "city")),))
    for i in range(12):
        value = HazelcastJsonValue(json.dumps({"age": i % 3, "city": ["Oslo", "Rome"][i % 2]}))
        indexes.put(SERVICE.to_data(i), SERVICE.to_data(value))
    both = AndPredicate([EqualPredicate("city", "Rome"), EqualPredicate("age", "1"), GreaterLessPredicate("x", 0)])
    assert both.index_candidates(indexes) == {SERVICE.to_data(i) for i in (1, 7)}
    assert AndPredicate([EqualPredicate("age", 1)]).index_candidates(indexes) is None
