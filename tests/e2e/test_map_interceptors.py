"""Map interceptors: a server class registered on the member runs around gets, puts and removals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster, ServerClass, hookimpl
from hazelcast.errors import HazelcastError
from hazelcast.serialization.api import IdentifiedDataSerializable

from .conftest import running_client

FACTORY_ID = 1978
CALLS: list[tuple[str, Any]] = []


class Shouter(IdentifiedDataSerializable):
    """Stores strings upper-cased, answers gets with a suffix, refuses to remove 'KEEP' and logs every call."""

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix

    def write_data(self, out: Any) -> None:
        out.write_string(self.suffix)

    def read_data(self, inp: Any) -> None:
        self.suffix = inp.read_string()

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return 1

    def intercept_get(self, value: Any) -> Any:
        return None if value is None else value + self.suffix

    def after_get(self, value: Any) -> None:
        CALLS.append(("after_get", value))

    def intercept_put(self, old_value: Any, new_value: Any) -> Any:
        CALLS.append(("intercept_put", (old_value, new_value)))
        return new_value.upper()

    def after_put(self, value: Any) -> None:
        CALLS.append(("after_put", value))

    def intercept_remove(self, removed_value: Any) -> Any:
        if removed_value == "KEEP":
            raise ValueError("this value stays")
        return None

    def after_remove(self, value: Any) -> None:
        CALLS.append(("after_remove", value))


class _Plugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(FACTORY_ID, 1, Shouter),)


@pytest.fixture(params=[1, 3], ids=["1-member", "3-members"])
async def words(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    CALLS.clear()
    async with EmbeddedCluster(member_count=request.param, plugins=[_Plugin()]) as cluster:
        async with running_client(cluster) as client:
            yield await client.get_map("words")


async def test_interceptor_changes_puts_and_gets_until_removed(words: Any) -> None:
    registration = await words.add_interceptor(Shouter("!"))
    assert await words.add_interceptor(Shouter("!")) == registration
    await words.put("a", "hello")
    assert ("intercept_put", (None, "hello")) in CALLS and ("after_put", "HELLO") in CALLS
    await words.set("b", "world")
    await words.put("c", "transient")
    assert await words.get("a") == "HELLO!"
    assert ("after_get", "HELLO!") in CALLS
    assert await words.get("missing") is None
    await words.put("a", "again")
    assert ("intercept_put", ("HELLO", "again")) in CALLS
    assert await words.remove("b") == "WORLD"
    assert ("after_remove", "WORLD") in CALLS
    await words.put("k", "keep")
    with pytest.raises(HazelcastError):
        await words.remove("k")
    with pytest.raises(HazelcastError):
        await words.delete("k")
    assert await words.get("k") == "KEEP!"
    assert await words.remove_interceptor(registration) is True
    assert await words.remove_interceptor(registration) is False
    await words.put("d", "quiet")
    assert await words.get("d") == "quiet"
    assert await words.get("c") == "TRANSIENT"
    await words.delete("k")
    assert await words.contains_key("k") is False


async def test_bad_interceptor_input(words: Any) -> None:
    with pytest.raises(ValueError):
        await words.add_interceptor(None)
    with pytest.raises(HazelcastError):
        await words.add_interceptor("not an interceptor")
    with pytest.raises(TypeError):
        await words.remove_interceptor(42)
