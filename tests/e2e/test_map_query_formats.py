"""Queries over each value format the member reads: Compact, Portable, IdentifiedDataSerializable through a server
class, and built-in values; on 1 and 3 members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from hazelcast import aggregator as agg
from hazelcast import predicate as p
from hazelcast import projection as proj
from hazelcast.config import IndexType
from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.errors import QueryError
from hazelcast.serialization.api import IdentifiedDataSerializable
from hazelcast.serialization.compact import CompactReader, CompactSerializer, CompactWriter
from hazelcast.serialization.portable import Portable, PortableReader, PortableWriter

from .conftest import running_client


@dataclass
class Employee:
    name: str
    age: int
    skills: list[str]


class EmployeeSerializer(CompactSerializer[Employee]):
    def read(self, reader: CompactReader) -> Employee:
        return Employee(reader.read_string("name"), reader.read_int32("age"), reader.read_array_of_string("skills"))

    def write(self, writer: CompactWriter, obj: Employee) -> None:
        writer.write_string("name", obj.name)
        writer.write_int32("age", obj.age)
        writer.write_array_of_string("skills", obj.skills)

    def get_class(self) -> type[Employee]:
        return Employee

    def get_type_name(self) -> str:
        return "Employee"


class PortableEmployee(Portable):
    def __init__(self, name: str = "", age: int = 0) -> None:
        self.name = name
        self.age = age

    def write_portable(self, writer: PortableWriter) -> None:
        writer.write_string("name", self.name)
        writer.write_int("age", self.age)

    def read_portable(self, reader: PortableReader) -> None:
        self.name = reader.read_string("name") or ""
        self.age = reader.read_int("age")

    def get_factory_id(self) -> int:
        return 77

    def get_class_id(self) -> int:
        return 1


class IdsEmployee(IdentifiedDataSerializable):
    def __init__(self, name: str = "", age: int = 0, skills: list[str] | None = None) -> None:
        self.name = name
        self.age = age
        self.skills = skills or []

    def write_data(self, out: Any) -> None:
        out.write_string(self.name)
        out.write_int(self.age)
        out.write_string_array(self.skills)

    def read_data(self, inp: Any) -> None:
        self.name = inp.read_string()
        self.age = inp.read_int()
        self.skills = inp.read_string_array()

    def get_factory_id(self) -> int:
        return 78

    def get_class_id(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdsEmployee) and vars(self) == vars(other)


class _Plugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(78, 1, IdsEmployee),)


STAFF = [("ann", "Ann", 30, ["py", "go"]), ("bob", "Bob", 41, ["java"]), ("cid", "Cid", 25, [])]


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    async with EmbeddedCluster(member_count=request.param, plugins=[_Plugin()]) as cluster:
        async with running_client(
            cluster,
            compact_serializers=[EmployeeSerializer()],
            portable_factories={77: {1: PortableEmployee}},
            data_serializable_factories={78: {1: IdsEmployee}},
        ) as client:
            yield client


@pytest.mark.parametrize(
    "make",
    [
        lambda name, age, skills: Employee(name, age, skills),
        lambda name, age, skills: PortableEmployee(name, age),
        lambda name, age, skills: IdsEmployee(name, age, skills),
    ],
    ids=["compact", "portable", "identified"],
)
async def test_queries_on_fields(client: Any, make: Any) -> None:
    staff = await client.get_map("staff")
    await staff.add_index(["age"], IndexType.SORTED)
    await staff.put_all({key: make(name, age, skills) for key, name, age, skills in STAFF})
    assert sorted(await staff.key_set(p.greater("age", 28))) == ["ann", "bob"]
    assert sorted(await staff.key_set(p.sql("name LIKE '%o%' OR age < 26"))) == ["bob", "cid"]
    assert await staff.aggregate(agg.int_sum("age")) == 96
    assert await staff.aggregate(agg.max_("name")) == "Cid"
    assert sorted(await staff.project(proj.single_attribute("name"), p.less("age", 40))) == ["Ann", "Cid"]
    [(key, value)] = await staff.entry_set(p.equal("name", "Bob"))
    assert key == "bob" and value.name == "Bob"
    # A field the record lacks reads as null (Compact, Portable); an object without the attribute is an error.
    if isinstance(value, IdsEmployee):
        with pytest.raises(QueryError):
            await staff.key_set(p.equal("missing", None))
    else:
        assert sorted(await staff.key_set(p.equal("missing", None))) == ["ann", "bob", "cid"]


async def test_any_paths_over_compact_and_identified_arrays(client: Any) -> None:
    for name, make in (("c", Employee), ("i", IdsEmployee)):
        staff = await client.get_map(f"skills-{name}")
        await staff.put_all({key: make(n, age, skills) for key, n, age, skills in STAFF})
        assert sorted(await staff.key_set(p.equal("skills[any]", "go"))) == ["ann"]
        assert sorted(await staff.key_set(p.equal("skills[0]", "java"))) == ["bob"]
        assert await staff.aggregate(agg.count("skills[any]")) == 3


async def test_identified_values_without_a_server_class_have_no_attributes(client: Any) -> None:
    values = await client.get_map("ids-missing-attribute")
    await values.put("x", IdsEmployee("X", 1))
    with pytest.raises(QueryError):
        await values.key_set(p.equal("salary", 3))


async def test_built_in_values(client: Any) -> None:
    words = await client.get_map("words")
    await words.put_all({i: word for i, word in enumerate(["apple", "Banana", "cherry", "date"])})
    assert sorted(await words.values(p.ilike("this", "b%"))) == ["Banana"]
    assert sorted(await words.values(p.instance_of("java.lang.String"))) == ["Banana", "apple", "cherry", "date"]
    assert await words.values(p.instance_of("java.lang.Integer")) == []
    assert await words.aggregate(agg.distinct()) == {"apple", "Banana", "cherry", "date"}
    assert await words.aggregate(agg.count(), p.regex("this", "[a-c].*")) == 2
