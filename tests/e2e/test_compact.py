"""Compact schemas end to end: replication before use, fetching on read, re-sending after a cluster restart."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from structlog.testing import capture_logs

from hazelcast.lifecycle import LifecycleState
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.schemas import cluster_schema, schema_registry
from hazelcast.errors import HazelcastError, HazelcastSerializationError
from hazelcast.serialization.compact import (
    CompactGenericRecord,
    CompactReader,
    CompactSerializer,
    CompactWriter,
    GenericRecordBuilder,
)

from .conftest import running_client, wait_until


class Address:
    def __init__(self, city: str, zip_code: int) -> None:
        self.city = city
        self.zip_code = zip_code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Address) and (self.city, self.zip_code) == (other.city, other.zip_code)


class Person:
    def __init__(self, name: str, home: Address | None, past: list[Address | None]) -> None:
        self.name = name
        self.home = home
        self.past = past

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Person) and (self.name, self.home, self.past) == (other.name, other.home, other.past)


class AddressSerializer(CompactSerializer[Address]):
    def read(self, reader: CompactReader) -> Address:
        return Address(reader.read_string("city") or "", reader.read_int32("zip"))

    def write(self, writer: CompactWriter, obj: Address) -> None:
        writer.write_string("city", obj.city)
        writer.write_int32("zip", obj.zip_code)

    def get_class(self) -> type[Address]:
        return Address

    def get_type_name(self) -> str:
        return "e2e.Address"


class PersonSerializer(CompactSerializer[Person]):
    def read(self, reader: CompactReader) -> Person:
        name = reader.read_string("name") or ""
        return Person(name, reader.read_compact("home"), reader.read_array_of_compact("past") or [])

    def write(self, writer: CompactWriter, obj: Person) -> None:
        writer.write_string("name", obj.name)
        writer.write_compact("home", obj.home)
        writer.write_array_of_compact("past", obj.past)

    def get_class(self) -> type[Person]:
        return Person

    def get_type_name(self) -> str:
        return "e2e.Person"


def serializers() -> list[CompactSerializer[Any]]:
    return [AddressSerializer(), PersonSerializer()]


def ann(index: int = 0) -> Person:
    return Person(f"Ann {index}", Address("Paris", 75001 + index), [Address("Lyon", 69001), None])


def schema_ids(client: Any) -> set[int]:
    return set(client._serialization.compact_stream_serializer.schemas)


def member_schema_ids(member: Any) -> set[int]:
    return {schema.schema_id for schema in schema_registry(member)}


@pytest.mark.parametrize("members", [1, 3])
async def test_concurrent_writes_share_one_replication_per_schema(members: int) -> None:
    async with EmbeddedCluster(member_count=members) as cluster, running_client(
        cluster, compact_serializers=serializers()
    ) as client:
        m = await client.get_map("people")
        with capture_logs() as logs:
            await asyncio.gather(*(m.put(i, ann(i)) for i in range(40)))
        replicated = [log for log in logs if log["event"] == "compact.schema_replicated"]
        assert sorted(log["type_name"] for log in replicated) == ["e2e.Address", "e2e.Person"]
        for member in cluster.live_members:
            assert member_schema_ids(member) >= schema_ids(client)
        assert client._serialization.unreplicated_schemas == {}
        assert await m.get(7) == ann(7)
        # Known schemas are never sent again.
        with capture_logs() as logs:
            await m.put("again", ann(99))
        assert not [log for log in logs if log["event"] == "compact.schema_replicated"]


async def test_a_request_is_not_sent_before_its_schema_is_replicated(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, compact_serializers=serializers(), invocation_timeout=5) as client:
        m = await client.get_map("held")
        cluster1.fail_requests("Client.sendSchema", 1, "no schemas today")
        with pytest.raises(HazelcastError, match="no schemas today"):
            await m.put("k", ann())
        assert await m.size() == 0  # the put itself never reached the member
        cluster1.clear_faults()
        cluster1.delay_responses("Client.sendSchema", 0.3)
        put = asyncio.ensure_future(m.put("k", ann()))
        await asyncio.sleep(0.15)
        assert await m.size() == 0  # still waiting for the schema; other requests are not held up forever
        await put
        assert await m.get("k") == ann()


async def test_another_client_fetches_the_schemas_it_reads(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, compact_serializers=serializers()) as writer:
        m = await writer.get_map("shared")
        await m.put("ann", ann())
        await m.put_all({i: ann(i) for i in range(5)})

    async with running_client(cluster1, compact_serializers=serializers()) as reader:
        m = await reader.get_map("shared")
        assert schema_ids(reader) == set()
        with capture_logs() as logs:
            assert await m.get("ann") == ann()
        assert sorted(log["schema_id"] for log in logs if log["event"] == "compact.schema_fetch") == sorted(
            schema_ids(reader)
        )
        assert await m.get_all(list(range(5))) == {i: ann(i) for i in range(5)}
        expected = [ann(), *(ann(i) for i in range(5))]
        assert sorted(await m.values(), key=lambda p: p.name) == sorted(expected, key=lambda p: p.name)
        assert reader._serialization.unreplicated_schemas == {}

    # Without serializers, the values read as GenericRecords; the nested schema is found and fetched only once
    # the outer one is known.
    async with running_client(cluster1) as bare:
        m = await bare.get_map("shared")
        with capture_logs() as logs:
            record = await m.get("ann")
        fetches = [log["schema_id"] for log in logs if log["event"] == "compact.schema_fetch"]
        assert len(fetches) == 2
        assert isinstance(record, CompactGenericRecord)
        assert record.get_string("name") == "Ann 0"
        assert record.get_generic_record("home").get_int32("zip") == 75001
        assert record.get_array_of_generic_record("past")[0].get_string("city") == "Lyon"


async def test_generic_records_are_replicated_and_read_as_objects_elsewhere(cluster1: EmbeddedCluster) -> None:
    record = GenericRecordBuilder.compact("e2e.Address").set_string("city", "Nice").set_int32("zip", 6000).build()
    async with running_client(cluster1) as writer:
        await (await writer.get_map("records")).put("nice", record)
    async with running_client(cluster1, compact_serializers=serializers()) as reader:
        assert await (await reader.get_map("records")).get("nice") == Address("Nice", 6000)


async def test_a_schema_the_cluster_does_not_know_fails_the_read_clearly(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, compact_serializers=serializers()) as careless:
        # Write once and pretend the cluster confirmed the schemas: this client never sends them.
        careless._serialization.to_data(ann())
        careless._serialization.unreplicated_schemas.clear()
        m = await careless.get_map("orphans")
        await m.put("ann", ann())
        assert all(cluster_schema(cluster1, schema_id) is None for schema_id in schema_ids(careless))

    async with running_client(cluster1, compact_serializers=serializers()) as reader:
        m = await reader.get_map("orphans")
        with pytest.raises(HazelcastSerializationError, match="unknown"):
            await m.get("ann")
        # The client keeps working, and does not ask again for what the cluster does not have.
        await m.put("fine", "plain string")
        assert await m.get("fine") == "plain string"
        with capture_logs() as logs, pytest.raises(HazelcastSerializationError):
            await m.get("ann")
        assert not [log for log in logs if log["event"] == "compact.schema_fetch"]


async def test_all_schemas_are_sent_again_after_the_cluster_restarts(cluster1: EmbeddedCluster) -> None:
    states: list[str] = []
    async with running_client(
        cluster1, compact_serializers=serializers(), lifecycle_listeners=[states.append], retry_initial_backoff=0.05
    ) as client:
        m = await client.get_map("restarting")
        await m.put("before", ann(1))
        known = schema_ids(client)
        member = cluster1.members[0]
        await member.kill()
        await wait_until(lambda: LifecycleState.DISCONNECTED in states, what="DISCONNECTED")
        await member.restart()
        assert not member_schema_ids(member)  # the new cluster starts without schemas
        with capture_logs() as logs:
            await wait_until(lambda: states.count(LifecycleState.CONNECTED) == 2, what="CONNECTED again")
            # Sent without any new write, in one message, before other requests.
            await wait_until(lambda: member_schema_ids(member) >= known, what="schemas re-sent")
            await m.put("after", ann(2))
        assert [log["count"] for log in logs if log["event"] == "compact.all_schemas_sent"] == [len(known)]
        assert not [log for log in logs if log["event"] == "compact.schema_replicated"]

    async with running_client(cluster1, compact_serializers=serializers()) as reader:
        assert await (await reader.get_map("restarting")).get("after") == ann(2)


async def test_compact_values_inside_other_values_have_their_schemas_fetched(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1, compact_serializers=serializers()) as writer:
        m = await writer.get_map("wrapped")
        await m.put("list", ["header", ann(1), [ann(2)], 7])
        await m.put("plain", ann(3))

    async with running_client(cluster1, compact_serializers=serializers()) as reader:
        m = await reader.get_map("wrapped")
        assert await m.get("list") == ["header", ann(1), [ann(2)], 7]
        assert sorted(await m.key_set()) == ["list", "plain"]
        assert dict(await m.entry_set())["plain"] == ann(3)

    async with running_client(cluster1) as bare:
        values = await (await bare.get_map("wrapped")).get_all(["list"])
        header, person, nested, seven = values["list"]
        assert (header, seven) == ("header", 7)
        assert person.get_string("name") == "Ann 1" and nested[0].get_string("name") == "Ann 2"
