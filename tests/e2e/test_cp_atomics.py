"""AtomicLong and AtomicReference end to end: every method, functions run by the member, groups, bad input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.cp import AtomicLong, AtomicReference
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.spec import ServerClass
from hazelcast.errors import DistributedObjectDestroyedError, HazelcastSerializationError
from hazelcast.serialization.api import IdentifiedDataSerializable

from .conftest import running_client

_FACTORY_ID = 77
_MULTIPLY = 1
_SUFFIX = 2


class Multiply(IdentifiedDataSerializable):
    """An IFunction over longs: the member runs ``apply(value)``."""

    def __init__(self, factor: int = 1) -> None:
        self.factor = factor

    def write_data(self, out: Any) -> None:
        out.write_int(self.factor)

    def read_data(self, inp: Any) -> None:
        self.factor = inp.read_int()

    def get_factory_id(self) -> int:
        return _FACTORY_ID

    def get_class_id(self) -> int:
        return _MULTIPLY

    def apply(self, value: int) -> int:
        return value * self.factor


class AppendSuffix(IdentifiedDataSerializable):
    """An IFunction over strings (None stands for the empty string)."""

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix

    def write_data(self, out: Any) -> None:
        out.write_string(self.suffix)

    def read_data(self, inp: Any) -> None:
        self.suffix = inp.read_string()

    def get_factory_id(self) -> int:
        return _FACTORY_ID

    def get_class_id(self) -> int:
        return _SUFFIX

    def apply(self, value: str | None) -> str:
        return (value or "") + self.suffix


class _FunctionsPlugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(_FACTORY_ID, _MULTIPLY, Multiply), ServerClass(_FACTORY_ID, _SUFFIX, AppendSuffix))


@pytest.fixture
async def client() -> AsyncIterator[HazelcastClient]:
    async with EmbeddedCluster(member_count=2, plugins=[_FunctionsPlugin()]) as cluster:
        async with running_client(cluster) as client:
            yield client


async def test_atomic_long_arithmetic(client: HazelcastClient) -> None:
    counter = await client.cp_subsystem.get_atomic_long("arith")
    assert isinstance(counter, AtomicLong)
    assert await counter.get() == 0
    assert await counter.increment_and_get() == 1
    assert await counter.get_and_increment() == 1
    assert await counter.decrement_and_get() == 1
    assert await counter.get_and_decrement() == 1
    assert await counter.add_and_get(10) == 10
    assert await counter.get_and_add(-4) == 10
    assert await counter.get_and_set(100) == 6
    await counter.set(7)
    assert await counter.compare_and_set(8, 9) is False
    assert await counter.compare_and_set(7, 9) is True
    assert await counter.get() == 9


async def test_atomic_long_wraps_like_a_java_long(client: HazelcastClient) -> None:
    counter = await client.cp_subsystem.get_atomic_long("wrap")
    await counter.set(2**63 - 1)
    assert await counter.increment_and_get() == -(2**63)


async def test_atomic_long_functions_run_on_the_member(client: HazelcastClient) -> None:
    counter = await client.cp_subsystem.get_atomic_long("functions")
    await counter.set(3)
    await counter.alter(Multiply(2))
    assert await counter.get() == 6
    assert await counter.alter_and_get(Multiply(10)) == 60
    assert await counter.get_and_alter(Multiply(2)) == 60
    assert await counter.get() == 120
    assert await counter.apply(Multiply(3)) == 360
    assert await counter.get() == 120


async def test_a_function_the_member_lacks_is_an_error(client: HazelcastClient) -> None:
    counter = await client.cp_subsystem.get_atomic_long("unknown-function")

    class Unknown(Multiply):
        def get_class_id(self) -> int:
            return 99

    with pytest.raises(HazelcastSerializationError):
        await counter.alter(Unknown(2))


async def test_atomic_long_rejects_bad_input_before_sending(client: HazelcastClient) -> None:
    counter = await client.cp_subsystem.get_atomic_long("bad")
    with pytest.raises(TypeError):
        await counter.add_and_get("1")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await counter.set(2**63)
    with pytest.raises(ValueError):
        await counter.alter(None)
    with pytest.raises(ValueError):
        await counter.apply(None)


async def test_atomic_reference_values(client: HazelcastClient) -> None:
    ref = await client.cp_subsystem.get_atomic_reference("ref")
    assert isinstance(ref, AtomicReference)
    assert await ref.get() is None
    assert await ref.is_none() is True
    await ref.set("a")
    assert await ref.get() == "a"
    assert await ref.contains("a") is True
    assert await ref.contains(None) is False
    assert await ref.get_and_set(["x", 1]) == "a"
    assert await ref.get() == ["x", 1]
    assert await ref.compare_and_set("a", "b") is False
    assert await ref.compare_and_set(["x", 1], "b") is True
    assert await ref.compare_and_set("b", None) is True
    assert await ref.is_none() is True
    await ref.set(5)
    await ref.clear()
    assert await ref.get() is None


async def test_atomic_reference_functions(client: HazelcastClient) -> None:
    ref = await client.cp_subsystem.get_atomic_reference("ref-functions")
    await ref.alter(AppendSuffix("a"))
    assert await ref.get() == "a"
    assert await ref.alter_and_get(AppendSuffix("b")) == "ab"
    assert await ref.get_and_alter(AppendSuffix("c")) == "ab"
    assert await ref.apply(AppendSuffix("!")) == "abc!"
    assert await ref.get() == "abc"
    with pytest.raises(ValueError):
        await ref.alter(None)


async def test_groups_proxies_and_names(client: HazelcastClient) -> None:
    cp = client.cp_subsystem
    first = await cp.get_atomic_long("shared")
    assert await cp.get_atomic_long("shared") is first
    assert await cp.get_atomic_long("shared@Default") is first
    assert first.get_group_id().name == "default"
    other = await cp.get_atomic_long("shared@group1")
    assert other is not first and other.get_group_id().name == "group1"
    await first.set(1)
    await other.set(2)
    assert (await first.get(), await other.get()) == (1, 2)
    assert (await cp.get_atomic_reference("shared@group1")).get_group_id() == other.get_group_id()
    for bad in ("x@metadata", "x@METADATA", "x@a@b", "x@", "@g", ""):
        with pytest.raises(ValueError):
            await cp.get_atomic_long(bad)
    with pytest.raises(ValueError):
        await cp.get_atomic_long(None)  # type: ignore[arg-type]


async def test_destroyed_structures_cannot_be_used_again(client: HazelcastClient) -> None:
    cp = client.cp_subsystem
    counter = await cp.get_atomic_long("doomed")
    await counter.increment_and_get()
    await counter.destroy()
    with pytest.raises(DistributedObjectDestroyedError):
        await counter.get()
    again = await cp.get_atomic_long("doomed")
    with pytest.raises(DistributedObjectDestroyedError):
        await again.increment_and_get()
    ref = await cp.get_atomic_reference("doomed")
    await ref.set(1)  # another service's object of the same name is a different structure


async def test_fifty_tasks_over_two_clients_count_exactly() -> None:
    async with EmbeddedCluster(member_count=3) as cluster:
        async with running_client(cluster) as first, running_client(cluster) as second:
            counters = [
                await first.cp_subsystem.get_atomic_long("hits"),
                await second.cp_subsystem.get_atomic_long("hits"),
            ]

            async def work(index: int) -> None:
                for _ in range(20):
                    await counters[index % 2].increment_and_get()

            await asyncio.gather(*(work(i) for i in range(50)))
            assert await counters[0].get() == 1000
