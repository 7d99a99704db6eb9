"""hazelcast.predicate, hazelcast.aggregator and hazelcast.projection without a cluster: validation, paging state,
and the ids members read them by."""

from __future__ import annotations

import pytest

from hazelcast import aggregator as agg
from hazelcast import predicate as p
from hazelcast import projection as proj
from hazelcast.config import Config
from hazelcast.serialization import SerializationService


def test_ids_are_javas() -> None:
    assert (p.sql("a = 1").get_factory_id(), p.sql("a = 1").get_class_id()) == (-20, 0)
    assert [pred.get_class_id() for pred in (
        p.and_(), p.between("a", 1, 2), p.equal("a", 1), p.greater("a", 1), p.like("a", "x"), p.ilike("a", "x"),
        p.in_("a"), p.instance_of("C"), p.not_equal("a", 1), p.not_(p.true()), p.or_(), p.regex("a", "x"),
        p.false(), p.true(), p.paging(None, 1),
    )] == list(range(1, 16))
    assert [a.get_class_id() for a in (
        agg.count(), agg.distinct(), agg.double_avg(), agg.double_sum(), agg.fixed_point_sum(),
        agg.floating_point_sum(), agg.int_avg(), agg.int_sum(), agg.long_avg(), agg.long_sum(), agg.max_(),
        agg.min_(), agg.number_avg(), agg.max_by("a"), agg.min_by("a"),
    )] == list(range(4, 19))
    assert {a.get_factory_id() for a in (agg.count(), agg.max_by("x"))} == {-29}
    assert [x.get_class_id() for x in (proj.single_attribute("a"), proj.multi_attribute("a"), proj.identity())] == [
        0, 1, 2,
    ]
    assert proj.identity().get_factory_id() == -30


def test_paging_navigation() -> None:
    paging = p.paging(p.equal("a", 1), 10)
    assert (paging.page, paging.page_size) == (0, 10)
    assert paging.previous_page() == 0
    assert paging.next_page() == 1
    paging.page = 5
    assert paging.previous_page() == 4
    paging.anchor_list.append((0, ("k", "v")))
    paging.reset()
    assert (paging.page, paging.anchor_list) == (0, [])
    with pytest.raises(ValueError):
        paging.page = -1
    with pytest.raises(TypeError):
        p.paging(paging, 3)
    with pytest.raises(ValueError):
        p.paging(None, -1)
    with pytest.raises(TypeError):
        p.paging("a > 1", 3)  # type: ignore[arg-type]


def test_invalid_arguments_fail_at_construction() -> None:
    with pytest.raises(ValueError):
        p.sql(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        p.equal(3, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        p.greater("a", None)
    with pytest.raises(ValueError):
        p.between("a", None, 3)
    with pytest.raises(TypeError):
        p.not_("a")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        p.like("a", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        agg.max_by(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        agg.count(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        proj.multi_attribute()
    with pytest.raises(ValueError):
        proj.single_attribute("a[any].b")


def test_equality_and_repr() -> None:
    assert p.equal("a", 1) == p.equal("a", 1)
    assert p.equal("a", 1) != p.not_equal("a", 1)
    assert p.and_(p.true()) == p.and_(p.true())
    assert "age" in repr(p.greater("age", 3))
    assert agg.count("x") == agg.count("x")


def test_objects_serialize() -> None:
    service = SerializationService(Config())
    for obj in (p.paging(p.in_("a", 1, "b"), 3), agg.min_by("a"), proj.multi_attribute("a", "b"), p.sql("x")):
        assert service.to_data(obj)


def test_user_predicates_compare_by_their_attributes() -> None:
    class ByAge(p.Predicate):
        def __init__(self, age: int) -> None:
            self.age = age

        def write_data(self, object_data_output: object) -> None:
            """Not sent in this test."""

    assert ByAge(3) == ByAge(3)
    assert ByAge(3) != ByAge(4)
    assert len({ByAge(3), ByAge(3), ByAge(4)}) == 2
