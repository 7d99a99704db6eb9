"""Several members: partition table, forwarding, backups and their acks, kill/restart, suspend, object events."""

from __future__ import annotations

import asyncio
import struct
import uuid

from hazelcast.embedded import EmbeddedCluster, MemberState
from hazelcast.embedded.map import MAP_SERVICE_NAME
from hazelcast.protocol import method
from hazelcast.protocol.errors_codec import decode_error
from hazelcast.protocol.frames import (
    BACKUP_EVENT,
    IS_EVENT,
    correlation_id,
    message_type,
)

_view = method("Client.addClusterViewListener")
_backup = method("Client.localBackupListener")
_objects = method("Client.addDistributedObjectListener")


def _owner_counts(cluster: EmbeddedCluster) -> list[int]:
    return [sum(1 for owner in cluster.owners if owner is member) for member in cluster.members]


async def _register_view(client) -> int:
    correlation, buf = client.encode("Client.addClusterViewListener")
    client.write(buf)
    await client.response(correlation)
    client.events.clear()
    return correlation


async def _next_views(client) -> tuple[object, object]:
    """The next MembersView and PartitionsView pushed to ``client``."""
    members = partitions = None
    while members is None or partitions is None:
        message = await client.read_message()
        if message_type(message) == 0x000302:
            members = _view.decode_event[0](message)
        elif message_type(message) == 0x000303:
            partitions = _view.decode_event[1](message)
    return members, partitions


async def test_partitions_are_spread_with_backups_on_other_members(cluster3: EmbeddedCluster) -> None:
    assert sorted(_owner_counts(cluster3)) == [90, 90, 91]
    for pid in range(cluster3.partition_count):
        owner, backup = cluster3.replicas_of(pid)
        assert owner is not backup


async def test_request_to_a_non_owner_runs_on_the_owner(cluster3: EmbeddedCluster, connect, wire) -> None:
    client = await connect(cluster3.addresses[0])
    key = next(wire.data_str(f"k{i}") for i in range(100)
               if cluster3.owners[client.partition_of(wire.data_str(f"k{i}"))] is not cluster3.members[0])
    pid = client.partition_of(key)
    await client.key_call("Map.set", "m", key, wire.data_int(7), 1, -1)
    owner, backup = cluster3.replicas_of(pid)
    assert key in owner.partitions[pid][(MAP_SERVICE_NAME, "m")].records
    assert key in backup.partitions[pid][(MAP_SERVICE_NAME, "m")].records
    third = next(m for m in cluster3.members if m is not owner and m is not backup)
    assert (MAP_SERVICE_NAME, "m") not in third.partitions[pid]


async def test_kill_keeps_data_pushes_views_and_restart_rejoins(cluster3: EmbeddedCluster, connect, wire) -> None:
    watcher = await connect(cluster3.addresses[0])
    await _register_view(watcher)
    writer = await connect(cluster3.addresses[2])
    entries = [(wire.data_int(i), wire.data_str(f"v{i}")) for i in range(300)]
    for key, value in entries:
        await writer.key_call("Map.set", "m", key, value, 1, -1)
    list_version = cluster3.member_list_version
    partition_version = cluster3.partition_list_version
    victim = cluster3.members[1]
    old_uuid = victim.uuid
    victim_client = await connect(victim.address)

    await victim.kill()
    assert victim.state == MemberState.KILLED
    assert await victim_client.is_closed_by_peer()
    members, partitions = await _next_views(watcher)
    assert members.version > list_version
    assert [info.uuid for info in members.member_infos] == [cluster3.members[0].uuid, cluster3.members[2].uuid]
    assert partitions.version > partition_version
    assert old_uuid not in dict(partitions.partitions)
    assert sorted(_owner_counts(cluster3)) == [0, 135, 136]
    try:
        await connect(victim.address, authenticate=False)
    except OSError:
        pass
    else:
        raise AssertionError("a killed member must not accept connections")
    assert await writer.call("Map.size", "m") == 300
    for key, value in entries[::7]:
        assert await writer.key_call("Map.get", "m", key, 1) == value
    # The backups were re-created: every partition again has an owner and a backup holding the entries.
    for pid in range(cluster3.partition_count):
        owner, backup = cluster3.replicas_of(pid)
        owned = owner.partitions[pid].get((MAP_SERVICE_NAME, "m"))
        if owned is not None:
            assert backup.partitions[pid][(MAP_SERVICE_NAME, "m")].records.keys() == owned.records.keys()

    await victim.restart()
    assert victim.alive and victim.uuid != old_uuid
    members, partitions = await _next_views(watcher)
    assert victim.uuid in [info.uuid for info in members.member_infos]
    assert sorted(_owner_counts(cluster3)) == [90, 90, 91]
    assert victim.uuid in dict(partitions.partitions)
    rejoined = await connect(victim.address)
    assert await rejoined.call("Map.size", "m") == 300

    # Lose another member right after the rebalance: the data still has its backups.
    await cluster3.members[0].kill()
    assert await writer.call("Map.size", "m") == 300


async def test_data_without_backup_is_lost_with_its_member(connect, wire) -> None:
    async with EmbeddedCluster(2, config={"map": {"default": {"backup-count": 0}}}) as cluster:
        client = await connect(cluster.addresses[0])
        for i in range(100):
            await client.key_call("Map.set", "m", wire.data_int(i), wire.data_int(i), 1, -1)
        lost = sum(1 for i in range(100) if cluster.owners[client.partition_of(wire.data_int(i))] is cluster.members[1])
        await cluster.members[1].kill()
        assert await client.call("Map.size", "m") == 100 - lost > 0


async def test_graceful_shutdown_hands_data_over(connect, wire) -> None:
    async with EmbeddedCluster(2, config={"map": {"default": {"backup-count": 0}}}) as cluster:
        client = await connect(cluster.addresses[0])
        for i in range(100):
            await client.key_call("Map.set", "m", wire.data_int(i), wire.data_int(i), 1, -1)
        await cluster.members[1].shutdown()
        assert cluster.members[1].state == MemberState.STOPPED
        assert await client.call("Map.size", "m") == 100


async def test_backup_count_from_config_places_two_backups(connect, wire) -> None:
    config = {"map": {"triple-*": {"backup-count": 2}}}
    async with EmbeddedCluster(3, config=config) as cluster:
        client = await connect(cluster.addresses[0])
        key = wire.data_str("k")
        pid = client.partition_of(key)
        await client.key_call("Map.set", "triple-1", key, wire.data_int(1), 1, -1)
        await client.key_call("Map.set", "single", key, wire.data_int(1), 1, -1)
        replicas = cluster.replicas_of(pid)
        assert len(replicas) == 3
        assert all(key in m.partitions[pid][(MAP_SERVICE_NAME, "triple-1")].records for m in replicas)
        holders = [m for m in replicas if (MAP_SERVICE_NAME, "single") in m.partitions[pid]]
        assert holders == replicas[:2]


async def test_backup_acks_come_from_the_backup_member(cluster3: EmbeddedCluster, connect, wire) -> None:
    clients = {}
    registrations = {}
    shared_uuid = uuid.uuid4()
    for member in cluster3.members:
        client = wire.RawClient(*(await asyncio.open_connection(member.host, member.port)))
        client.write(b"CP2")
        client.uuid = shared_uuid  # one client instance, one connection per member
        assert (await client.authenticate()).status == 0
        correlation, buf = client.encode("Client.localBackupListener")
        client.write(buf)
        await client.response(correlation)
        clients[member] = client
        registrations[member] = correlation
    try:
        key = wire.data_str("acked")
        pid = clients[cluster3.members[0]].partition_of(key)
        owner, backup = cluster3.replicas_of(pid)
        sender = clients[owner]
        correlation, buf = sender.encode("Map.put", "m", key, wire.data_int(1), 1, -1, partition_id=pid,
                                         backup_aware=True)
        sender.write(buf)
        response = await sender.response(correlation)
        assert response[0][1][12] == 1  # backup-acks byte
        event = await clients[backup].read_message()
        assert message_type(event) == _backup.spec.event_type(0)
        assert event[0][0] & IS_EVENT and event[0][0] & BACKUP_EVENT
        assert correlation_id(event) == registrations[backup]
        assert _backup.decode_event[0](event) == correlation
        # A read is not backed up: no acks.
        correlation, buf = sender.encode("Map.get", "m", key, 1, partition_id=pid, backup_aware=True)
        sender.write(buf)
        assert (await sender.response(correlation))[0][1][12] == 0
        # Without the flag the member does not ask the client to wait.
        correlation, buf = sender.encode("Map.set", "m", key, wire.data_int(2), 1, -1, partition_id=pid)
        sender.write(buf)
        assert (await sender.response(correlation))[0][1][12] == 0
    finally:
        for client in clients.values():
            await client.close()


async def test_no_backup_acks_when_the_backup_member_has_no_listener(cluster3: EmbeddedCluster, connect, wire) -> None:
    client = await connect(cluster3.addresses[0])
    await client.call("Client.localBackupListener")
    key = next(wire.data_int(i) for i in range(1000)
               if cluster3.replicas_of(client.partition_of(wire.data_int(i)))[1] is not cluster3.members[0])
    correlation, buf = client.encode("Map.put", "m", key, key, 1, -1, partition_id=client.partition_of(key),
                                     backup_aware=True)
    client.write(buf)
    assert (await client.response(correlation))[0][1][12] == 0


async def test_suspended_member_answers_after_resume(cluster3: EmbeddedCluster, connect, wire) -> None:
    member = cluster3.members[1]
    direct = await connect(member.address)
    other = await connect(cluster3.addresses[0])
    key = next(wire.data_int(i) for i in range(1000) if cluster3.owners[other.partition_of(wire.data_int(i))] is member)
    member.suspend()
    correlation, buf = direct.encode("Client.ping")
    direct.write(buf)
    forwarded, forwarded_buf = other.encode("Map.set", "m", key, key, 1, -1, partition_id=other.partition_of(key))
    other.write(forwarded_buf)
    try:
        await direct.response(correlation, timeout=0.3)
    except TimeoutError:
        pass
    else:
        raise AssertionError("a suspended member must not answer")
    try:
        await other.response(forwarded, timeout=0.2)
    except TimeoutError:
        pass
    else:
        raise AssertionError("work forwarded to a suspended owner must wait")
    member.resume()
    await direct.response(correlation)
    await other.response(forwarded)
    assert await other.key_call("Map.get", "m", key, 1) == key


async def test_drop_connections_keeps_the_member(cluster: EmbeddedCluster, connect) -> None:
    first = await connect(cluster.addresses[0])
    cluster.members[0].drop_connections()
    assert await first.is_closed_by_peer()
    second = await connect(cluster.addresses[0])
    assert await second.call("Client.ping") is None


async def test_distributed_object_events_reach_each_registration_once(cluster3: EmbeddedCluster, connect) -> None:
    smart = [await connect(address) for address in cluster3.addresses]
    for client in smart:
        await client.call("Client.addDistributedObjectListener", True)
    unisocket = await connect(cluster3.addresses[2])
    await unisocket.call("Client.addDistributedObjectListener", False)
    creator = await connect(cluster3.addresses[1])
    await creator.call("Client.createProxy", "orders", MAP_SERVICE_NAME)
    await creator.call("Client.createProxy", "orders", MAP_SERVICE_NAME)  # already exists: no second event
    await creator.call("Client.destroyProxy", "orders", MAP_SERVICE_NAME)
    await asyncio.sleep(0.1)

    async def drain(client) -> list[tuple[str, str]]:
        events = []
        while True:
            try:
                message = await client.read_message(timeout=0.1)
            except TimeoutError:
                return events
            event = _objects.decode_event[0](message)
            events.append((event.name, event.event_type))
            assert event.source == cluster3.members[1].uuid

    smart_events = [await drain(client) for client in smart]
    assert smart_events[0] == [] and smart_events[2] == []
    assert smart_events[1] == [("orders", "CREATED"), ("orders", "DESTROYED")]
    assert await drain(unisocket) == [("orders", "CREATED"), ("orders", "DESTROYED")]


async def test_get_distributed_objects_and_listener_removal(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0])
    registration = await client.call("Client.addDistributedObjectListener", False)
    await client.call("Client.createProxy", "a", MAP_SERVICE_NAME)
    objects = await client.call("Client.getDistributedObjects")
    assert [(o.service_name, o.name) for o in objects] == [(MAP_SERVICE_NAME, "a")]
    assert len(client.events) == 1
    assert await client.call("Client.removeDistributedObjectListener", registration) is True
    assert await client.call("Client.removeDistributedObjectListener", registration) is False
    await client.call("Client.createProxy", "b", MAP_SERVICE_NAME)
    assert len(client.events) == 1


async def test_add_member_joins_and_takes_partitions(cluster: EmbeddedCluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    for i in range(50):
        await client.key_call("Map.set", "m", wire.data_int(i), wire.data_int(i), 1, -1)
    member = await cluster.add_member()
    assert sorted(_owner_counts(cluster)) == [135, 136]
    late = await connect(member.address)
    for i in range(50):
        assert await late.key_call("Map.get", "m", wire.data_int(i), 1) == wire.data_int(i)


def test_backup_event_flags_are_event_and_backup() -> None:
    from hazelcast.embedded.requests import backup_event

    event = backup_event(11, 22)
    assert struct.unpack_from("<H", event, 4)[0] == 0xC000 | IS_EVENT | BACKUP_EVENT | 0x2000
    assert struct.unpack_from("<q", event, 10)[0] == 11


async def test_work_parked_on_a_killed_member_fails_with_member_left(cluster3: EmbeddedCluster, connect, wire) -> None:
    owner = cluster3.members[2]
    client = await connect(cluster3.addresses[0])
    key = next(wire.data_int(i) for i in range(1000) if cluster3.owners[client.partition_of(wire.data_int(i))] is owner)
    owner.suspend()
    correlation, buf = client.encode("Map.get", "m", key, 1, partition_id=client.partition_of(key))
    client.write(buf)
    await asyncio.sleep(0.05)
    await owner.kill()
    error = await client.response(correlation)
    assert message_type(error) == 0 and decode_error(error)[0].error_code == 33
    assert await client.key_call("Map.get", "m", key, 1) is None


async def test_members_take_consecutive_ports_from_a_base_port() -> None:
    import socket

    for _ in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base > 65000:
            continue
        try:
            async with EmbeddedCluster(3, port=base) as cluster:
                assert cluster.addresses == [f"127.0.0.1:{base + i}" for i in range(3)]
                await cluster.members[1].restart()
                assert cluster.members[1].port == base + 1
                return
        except OSError:
            continue  # another process took one of the ports meanwhile; try another range
    raise AssertionError("no free range of three consecutive ports found")


async def test_cluster_wide_injected_failure(cluster3: EmbeddedCluster, connect, wire) -> None:
    cluster3.fail_requests("Map.size", 20, "overloaded")
    for address in cluster3.addresses:
        client = await connect(address)
        try:
            await client.call("Map.size", "m")
        except wire.ProtocolError as failure:
            assert failure.code == 20
        else:
            raise AssertionError("every member must fail Map.size")
    cluster3.clear_faults()
    assert await client.call("Map.size", "m") == 0
