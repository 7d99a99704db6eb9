"""Our client's Compact values on the embedded member: schemas replicated to every member, fields readable there,
and schemas re-sent when the whole cluster went down and formed again."""

from __future__ import annotations

from hazelcast.config import Config
from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.map import MAP_SERVICE_NAME
from hazelcast.embedded.query import extract
from hazelcast.embedded.schemas import schema_registry
from hazelcast.serialization import SerializationService
from hazelcast.serialization.compact import GenericRecordBuilder
from .conftest import running_client, wait_until


def _address(city: str) -> object:
    return GenericRecordBuilder.compact("Address").set_string("city", city).set_int32("zip", 150).build()


def _person(name: str, city: str) -> object:
    return (
        GenericRecordBuilder.compact("Person")
        .set_string("name", name)
        .set_generic_record("address", _address(city))  # type: ignore[arg-type]
        .build()
    )


def _key_data(key: str) -> bytes:
    """The bytes a client sends (and the member stores) for a string key."""
    return SerializationService(Config()).to_data(key)


def _stored_value(cluster: EmbeddedCluster, map_name: str, key_data: bytes) -> bytes:
    pid = cluster.partition_id(key_data)
    return cluster.owner_of(pid).partitions[pid][(MAP_SERVICE_NAME, map_name)].records[key_data].value


async def test_compact_put_replicates_schemas_to_every_member_which_reads_the_fields(
    cluster3: EmbeddedCluster,
) -> None:
    async with running_client(cluster3) as client:
        people = await client.get_map("people")
        await people.put("ann", _person("Ann", "Oslo"))
        for member in cluster3.live_members:
            assert sorted(schema.type_name for schema in schema_registry(member)) == ["Address", "Person"]
        key_data = _key_data("ann")
        stored = _stored_value(cluster3, "people", key_data)
        assert extract(cluster3, key_data, stored, "address.city") == "Oslo"
        assert extract(cluster3, key_data, stored, "name") == "Ann"
        assert (await people.get("ann")).get("address").get("city") == "Oslo"


async def test_schemas_are_sent_again_to_a_cluster_that_formed_anew() -> None:
    async with EmbeddedCluster(member_count=2) as cluster:
        async with running_client(cluster) as client:
            people = await client.get_map("people")
            await people.put("ann", _person("Ann", "Oslo"))
            first_cluster_id = cluster.cluster_id
            for member in list(cluster.members):
                await member.kill()
            for member in cluster.members:
                await member.restart()
            assert cluster.cluster_id != first_cluster_id
            # The client notices the new cluster and re-sends the schemas it knows with Client.sendAllSchemas.
            await wait_until(
                lambda: all(len(schema_registry(member)) == 2 for member in cluster.live_members),
                what="schemas re-sent to the new cluster",
            )
            await people.put("bob", _person("Bob", "Bergen"))
            key_data = _key_data("bob")
            assert extract(cluster, key_data, _stored_value(cluster, "people", key_data), "address.city") == "Bergen"
            assert (await people.get("bob")).get("name") == "Bob"
