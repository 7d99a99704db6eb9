"""The member's VectorCollection service over the raw protocol: configuration, atomic batches, backups, migration."""

from __future__ import annotations

import struct
from collections import namedtuple
from pathlib import Path

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.vector.member_indexes import VECTOR_SERVICE_NAME, collection_indexes
from hazelcast.embedded.vector.service import settings_of

Pair = namedtuple("Pair", "name type vector")
Doc = namedtuple("Doc", "value vectors")
IndexCfg = namedtuple("IndexCfg", "name metric dimension max_degree ef_construction use_deduplication")
Options = namedtuple("Options", "include_value include_vectors limit hints")


def doc(wire, value: str, *vector: float, index: str = "v") -> Doc:
    return Doc(wire.data_str(value), [Pair(index, 0, list(vector))])


async def configure(client, name: str, dimension: int = 2, backup_count: int = 1) -> None:
    await client.call("DynamicConfig.addVectorCollectionConfig", name, [IndexCfg("v", 0, dimension, 16, 50, True)],
                      backup_count, 0, None, "PutIfAbsentMergePolicy", 100, None)


async def search(client, name: str, vector: list[float], limit: int) -> list:
    return await client.call("VectorCollection.searchNearVector", name, [Pair("v", 0, vector)],
                             Options(False, False, limit, {}))


async def test_a_put_all_request_with_one_bad_document_stores_nothing(cluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    await configure(client, "vc")
    pid = 7
    entries = [(wire.data_str("good"), doc(wire, "g", 1, 2)), (wire.data_str("bad"), doc(wire, "b", 1, 2, 3))]
    with pytest.raises(wire.ProtocolError, match="dimension 2"):
        await client.call("VectorCollection.putAll", "vc", entries, partition_id=pid)
    assert await client.call("VectorCollection.size", "vc") == 0
    await client.call("VectorCollection.putAll", "vc", entries[:1], partition_id=pid)
    assert await client.call("VectorCollection.size", "vc") == 1


async def test_unconfigured_collections_and_conflicting_configs_are_errors(cluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    with pytest.raises(wire.ProtocolError, match="no vector collection configuration") as raised:
        await client.call("VectorCollection.size", "nothing")
    assert "InvalidConfiguration" in raised.value.class_name
    await configure(client, "vc")
    with pytest.raises(wire.ProtocolError, match="different configuration"):
        await configure(client, "vc", dimension=3)
    await configure(client, "vc-*", dimension=5)
    assert settings_of(cluster, "vc-long").indexes[0].dimension == 5
    assert settings_of(cluster, "vc").indexes[0].dimension == 2


async def test_writes_reach_the_backup_replica(cluster3, connect, wire) -> None:
    client = await connect(cluster3.addresses[0])
    await configure(client, "vc", backup_count=1)
    key = wire.data_str("k")
    await client.key_call("VectorCollection.set", "vc", key, doc(wire, "value", 3, 4))
    pid = client.partition_of(key)
    owner, backup = cluster3.replicas_of(pid)[:2]
    state_key = (VECTOR_SERVICE_NAME, "vc")
    assert owner.partitions[pid][state_key].documents[key].vectors[0].tolist() == [3.0, 4.0]
    assert backup.partitions[pid][state_key].documents[key].value == wire.data_str("value")
    await client.key_call("VectorCollection.delete", "vc", key)
    assert key not in backup.partitions[pid][state_key].documents


async def test_indexes_follow_partitions_when_members_join_and_leave(cluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    await configure(client, "vc")
    keys = [wire.data_str(f"k{i}") for i in range(200)]
    for i, key in enumerate(keys):
        await client.key_call("VectorCollection.set", "vc", key, doc(wire, f"v{i}", float(i), 0.0))
    joined = await cluster.add_member()
    assert len(await search(client, "vc", [0.0, 0.0], 500)) == 200
    settings = settings_of(cluster, "vc")
    per_member = {
        member.index: collection_indexes(cluster, member, "vc", settings).indexes[0].live_count
        for member in cluster.live_members
    }
    owned = {member.index: sum(
        len(member.partitions[pid].get((VECTOR_SERVICE_NAME, "vc")).documents)
        for pid, owner in enumerate(cluster.owners)
        if owner is member and member.partitions[pid].get((VECTOR_SERVICE_NAME, "vc")) is not None
    ) for member in cluster.live_members}
    assert per_member == owned and sum(per_member.values()) == 200 and all(per_member.values())
    await cluster.kill_member(joined)
    found = await search(client, "vc", [10.2, 0.0], 3)
    assert [r.key for r in found] == [keys[10], keys[11], keys[9]]
    assert await client.call("VectorCollection.size", "vc") == 200


async def test_destroy_drops_documents_and_indexes(cluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    await configure(client, "vc")
    await client.call("Client.createProxy", "vc", VECTOR_SERVICE_NAME)
    await client.key_call("VectorCollection.set", "vc", wire.data_str("a"), doc(wire, "a", 1, 1))
    await client.call("Client.destroyProxy", "vc", VECTOR_SERVICE_NAME)
    assert await client.call("VectorCollection.size", "vc") == 0
    assert await search(client, "vc", [1.0, 1.0], 5) == []


async def test_collection_configured_in_a_yaml_file(tmp_path: Path, connect, wire) -> None:
    path = tmp_path / "hazelcast.yaml"
    path.write_text(
        "hazelcast:\n"
        "  vector-collection:\n"
        "    images:\n"
        "      backup-count: 2\n"
        "      indexes:\n"
        "        - name: v\n"
        "          dimension: 3\n"
        "          metric: DOT\n"
        "          max-degree: 8\n"
        "          ef-construction: 40\n"
        "          use-deduplication: false\n"
    )
    async with EmbeddedCluster(config=path) as cluster:
        settings = settings_of(cluster, "images")
        assert settings.backup_count == 2 and settings.indexes[0].max_degree == 8
        assert cluster.replica_count == 3
        client = await connect(cluster.addresses[0])
        await client.key_call("VectorCollection.set", "images", wire.data_str("x"), doc(wire, "x", 0.0, 0.6, 0.8))
        (hit,) = await search(client, "images", [0.0, 0.6, 0.8], 1)
        assert hit.score == pytest.approx(1.0) and hit.value is None and hit.vectors is None
        got = await client.key_call("VectorCollection.get", "images", wire.data_str("x"))
        assert list(struct.unpack("<3f", struct.pack("<3f", *got.vectors[0].vector))) == pytest.approx([0, 0.6, 0.8])


async def test_without_the_vector_extra_requests_fail_naming_it(cluster, connect, wire, monkeypatch) -> None:
    import importlib

    real_import = importlib.import_module

    def without_numpy(name: str, *args: object) -> object:
        if name == "numpy":
            raise ImportError("No module named 'numpy'")
        return real_import(name, *args)

    client = await connect(cluster.addresses[0])
    await configure(client, "vc")
    monkeypatch.setattr(importlib, "import_module", without_numpy)
    monkeypatch.setattr("hazelcast.embedded.vector.index._numpy", None)  # forget the module found before
    with pytest.raises(wire.ProtocolError, match=r"hazelcast-embedded\[vector\]"):
        await client.key_call("VectorCollection.set", "vc", wire.data_str("k"), doc(wire, "v", 1, 2))
    assert await client.call("VectorCollection.size", "vc") == 0


async def test_changes_made_while_a_member_held_partitions_as_backup_reach_its_index(cluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    await configure(client, "vc")
    keys = [wire.data_str(f"k{i}") for i in range(120)]
    for i, key in enumerate(keys):
        await client.key_call("VectorCollection.set", "vc", key, doc(wire, f"v{i}", float(i), 1.0))
    assert len(await search(client, "vc", [0.0, 0.0], 500)) == 120  # the first member indexed everything
    joined = await cluster.add_member()
    first = cluster.members[0]
    moved = [key for key in keys if cluster.owner_of(client.partition_of(key)) is joined]
    assert moved and all(cluster.replicas_of(client.partition_of(key))[1] is first for key in moved)
    for key in moved[::2]:  # deleted on the new owner; the first member's backup copy follows
        await client.key_call("VectorCollection.delete", "vc", key)
    await cluster.kill_member(joined)  # the first member owns everything again, from its backup copies
    found = {r.key for r in await search(client, "vc", [0.0, 0.0], 500)}
    assert found == set(keys) - set(moved[::2])
