"""Entry processors, user predicates and comparators: server classes registered on the member, run for the client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast import predicate as p
from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.serialization.api import IdentifiedDataSerializable

from .conftest import running_client

FACTORY_ID = 1977
ADDER = 1
REMOVER = 2
EVEN_VALUES = 3
DESCENDING = 4


class _Ids(IdentifiedDataSerializable):
    CLASS_ID = 0

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID

    def write_data(self, out: Any) -> None:
        """No fields."""

    def read_data(self, inp: Any) -> None:
        """No fields."""


class Adder(_Ids):
    """Adds ``delta`` to the value (a missing entry counts as 0) and returns the previous value."""

    CLASS_ID = ADDER

    def __init__(self, delta: int = 0) -> None:
        self.delta = delta

    def write_data(self, out: Any) -> None:
        out.write_int(self.delta)

    def read_data(self, inp: Any) -> None:
        self.delta = inp.read_int()

    def process(self, entry: Any) -> Any:
        previous = entry.value
        entry.value = (previous or 0) + self.delta
        return previous


class Remover(_Ids):
    CLASS_ID = REMOVER

    def process(self, entry: Any) -> Any:
        entry.value = None
        return f"removed {entry.key}"


class EvenValues(_Ids, p.Predicate):
    """A user predicate: the member calls apply(entry)."""

    CLASS_ID = EVEN_VALUES

    def apply(self, entry: Any) -> bool:
        return entry.value % 2 == 0


class Descending(_Ids):
    """A comparator: the member calls compare(entry1, entry2)."""

    CLASS_ID = DESCENDING

    def compare(self, first: Any, second: Any) -> int:
        return second.value - first.value


class _ServerClasses:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return tuple(ServerClass(FACTORY_ID, cls.CLASS_ID, cls) for cls in (Adder, Remover, EvenValues, Descending))


_FACTORIES = {FACTORY_ID: {cls.CLASS_ID: cls for cls in (Adder, Remover, EvenValues, Descending)}}


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def counters(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    async with EmbeddedCluster(member_count=request.param, plugins=[_ServerClasses()]) as cluster:
        async with running_client(cluster, data_serializable_factories=_FACTORIES) as client:
            counters = await client.get_map("counters")
            await counters.put_all({f"c{i}": i for i in range(6)})
            yield counters


async def test_execute_on_key(counters: Any) -> None:
    assert await counters.execute_on_key("c2", Adder(10)) == 2
    assert await counters.get("c2") == 12
    # A processor may create an entry...
    assert await counters.execute_on_key("new", Adder(5)) is None
    assert await counters.get("new") == 5
    # ...or remove one by setting its value to None.
    assert await counters.execute_on_key("new", Remover()) == "removed new"
    assert await counters.contains_key("new") is False


async def test_execute_on_keys(counters: Any) -> None:
    results = await counters.execute_on_keys(["c1", "c3", "c3", "missing"], Adder(100))
    # Results that are None (the missing key's previous value) are left out.
    assert sorted(results) == [("c1", 1), ("c3", 3)]
    assert await counters.get_all(["c1", "c3", "missing"]) == {"c1": 101, "c3": 103, "missing": 100}
    assert await counters.execute_on_keys([], Adder(1)) == []
    with pytest.raises(ValueError):
        await counters.execute_on_keys(["c1", None], Adder(1))


async def test_execute_on_entries(counters: Any) -> None:
    results = await counters.execute_on_entries(Adder(1))
    assert sorted(results) == [(f"c{i}", i) for i in range(6)]
    assert sorted((await counters.entry_set())) == [(f"c{i}", i + 1) for i in range(6)]
    removed = await counters.execute_on_entries(Remover(), p.greater("this", 3))
    assert sorted(removed) == [("c3", "removed c3"), ("c4", "removed c4"), ("c5", "removed c5")]
    assert sorted(await counters.key_set()) == ["c0", "c1", "c2"]


async def test_processed_entries_survive_the_loss_of_their_owner() -> None:
    async with EmbeddedCluster(member_count=3, plugins=[_ServerClasses()]) as cluster:
        async with running_client(cluster, data_serializable_factories=_FACTORIES) as client:
            counters = await client.get_map("backed-up")
            await counters.put_all({f"c{i}": i for i in range(20)})
            await counters.execute_on_entries(Adder(1000), p.less("this", 10))
            await counters.execute_on_key("c15", Remover())
            await cluster.kill_member(cluster.live_members[0])
            expected = [i + 1000 for i in range(10)] + [*range(10, 15), *range(16, 20)]
            assert sorted(await counters.values()) == sorted(expected)


async def test_user_predicate_and_comparator(counters: Any) -> None:
    assert sorted(await counters.key_set(EvenValues())) == ["c0", "c2", "c4"]
    assert sorted(await counters.values(p.and_(EvenValues(), p.greater("this", 0)))) == [2, 4]
    page = p.paging(EvenValues(), 2, Descending())
    assert await counters.values(page) == [4, 2]
    page.next_page()
    assert await counters.values(page) == [0]


async def test_missing_arguments_are_rejected_before_sending(counters: Any) -> None:
    with pytest.raises(ValueError):
        await counters.execute_on_key(None, Adder(1))
    with pytest.raises(ValueError):
        await counters.execute_on_key("c1", None)
    with pytest.raises(ValueError):
        await counters.execute_on_entries(None)
    with pytest.raises(TypeError):
        await counters.execute_on_entries(Adder(1), "this > 1")
