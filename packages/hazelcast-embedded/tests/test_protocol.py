"""The member side of the connection protocol: preamble, authentication, cluster view, errors, hostile input."""

from __future__ import annotations

import asyncio
import struct
import uuid
from types import SimpleNamespace

from hazelcast.embedded import EmbeddedCluster, MemberConfig
from hazelcast.embedded.config import CredentialsConfig
from hazelcast.protocol import method
from hazelcast.protocol.errors_codec import decode_error
from hazelcast.protocol.frames import (
    BEGIN_FRAGMENT,
    END_FRAGMENT,
    IS_EVENT,
    UNFRAGMENTED,
    correlation_id,
    encode_message,
    message_type,
)

MEMBERS_VIEW = 0x000302
PARTITIONS_VIEW = 0x000303


async def _ping_works(connect, address: str) -> None:
    client = await connect(address)
    assert await client.call("Client.ping") is None


async def test_garbage_instead_of_preamble_closes_only_that_connection(cluster: EmbeddedCluster, connect) -> None:
    bad = await connect(cluster.addresses[0], authenticate=False, preamble=b"HTTP/1.1")
    assert await bad.is_closed_by_peer()
    await _ping_works(connect, cluster.addresses[0])


async def test_preamble_split_over_writes_is_accepted(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0], authenticate=False, preamble=b"C")
    await asyncio.sleep(0.01)
    client.write(b"P")
    await asyncio.sleep(0.01)
    client.write(b"2")
    assert (await client.authenticate()).status == 0


async def test_successful_authentication_describes_member_and_cluster(cluster3: EmbeddedCluster, connect) -> None:
    client = await connect(cluster3.addresses[1], authenticate=False)
    response = await client.authenticate()
    member = cluster3.members[1]
    assert response.status == 0
    assert response.member_uuid == member.uuid
    assert (response.address.host, response.address.port) == (member.host, member.port)
    assert response.serialization_version == 1
    assert response.server_hazelcast_version == "5.5.0"
    assert response.partition_count == 271
    assert response.cluster_id == cluster3.cluster_id
    assert response.failover_supported is False
    # The 2.7 fields: member list and partition table with their versions.
    assert response.member_list_version == cluster3.member_list_version
    assert [info.uuid for info in response.member_infos] == [m.uuid for m in cluster3.members]
    assert response.partition_list_version == cluster3.partition_list_version
    owned = {owner: set(partitions) for owner, partitions in response.partitions}
    assert set().union(*owned.values()) == set(range(271))
    assert set(owned) == {m.uuid for m in cluster3.members}


async def test_old_authentication_request_without_routing_mode_is_accepted(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0], authenticate=False)
    correlation, buf = client.encode(
        "Client.authentication", "dev", None, None, uuid.uuid4(), "PYH", 1, "5.7.0", "old-client", [], 1, False
    )
    # Drop routingMode (byte) and cpDirectToLeaderRouting (boolean): the 2.8 fields at the end of the initial frame.
    initial_length = struct.unpack_from("<i", buf, 0)[0]
    old = bytearray(buf[: initial_length - 2] + buf[initial_length:])
    struct.pack_into("<i", old, 0, initial_length - 2)
    client.write(old)
    response = method("Client.authentication").decode_response(await client.response(correlation))
    assert response.status == 0


async def test_wrong_cluster_name_fails_with_status_1_and_closes(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0], authenticate=False)
    response = await client.authenticate(cluster_name="prod")
    assert response.status == 1
    assert response.member_uuid is None and response.address is None
    assert await client.is_closed_by_peer()


async def test_credentials_without_security_fail(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0], authenticate=False)
    assert (await client.authenticate(username="admin", password="secret")).status == 1


async def test_serialization_version_mismatch_is_status_2(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0], authenticate=False)
    assert (await client.authenticate(serialization_version=2)).status == 2


async def test_configured_username_and_password_are_checked(connect) -> None:
    config = MemberConfig(credentials=CredentialsConfig(username="admin", password="secret"))
    async with EmbeddedCluster(config=config) as cluster:
        wrong = await connect(cluster.addresses[0], authenticate=False)
        assert (await wrong.authenticate(username="admin", password="guess")).status == 1
        anonymous = await connect(cluster.addresses[0], authenticate=False)
        assert (await anonymous.authenticate()).status == 1
        right = await connect(cluster.addresses[0], authenticate=False)
        assert (await right.authenticate(username="admin", password="secret")).status == 0


async def test_custom_authentication_checks_the_token(connect) -> None:
    config = MemberConfig.from_dict({"credentials": {"token": "s3cret-token"}})
    async with EmbeddedCluster(config=config) as cluster:
        for token, status in ((b"nope", 1), (b"s3cret-token", 0)):
            client = await connect(cluster.addresses[0], authenticate=False)
            response = await client.call(
                "Client.authenticationCustom", "dev", token, uuid.uuid4(), "PYH", 1, "5.7.0", "c", [], 1, False
            )
            assert response.status == status


async def test_token_is_refused_without_security(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0], authenticate=False)
    response = await client.call(
        "Client.authenticationCustom", "dev", b"token", uuid.uuid4(), "PYH", 1, "5.7.0", "c", [], 1, False
    )
    assert response.status == 1


async def test_request_before_authentication_is_refused_and_closed(
    cluster: EmbeddedCluster, connect, wire: SimpleNamespace
) -> None:
    client = await connect(cluster.addresses[0], authenticate=False)
    message = await client.call_raw("Client.ping")
    assert decode_error(message)[0].error_code == 3
    assert await client.is_closed_by_peer()


async def test_cluster_view_events_come_before_the_registration_response(
    cluster3: EmbeddedCluster, connect
) -> None:
    client = await connect(cluster3.addresses[0])
    correlation, buf = client.encode("Client.addClusterViewListener")
    client.write(buf)
    first, second, third = [await client.read_message() for _ in range(3)]
    codec = method("Client.addClusterViewListener")
    assert message_type(first) == MEMBERS_VIEW and first[0][0] & IS_EVENT
    assert message_type(second) == PARTITIONS_VIEW and second[0][0] & IS_EVENT
    assert message_type(third) == codec.response_type
    assert {correlation_id(m) for m in (first, second, third)} == {correlation}
    members = codec.decode_event[0](first)
    assert members.version == cluster3.member_list_version
    assert [(m.address.port, m.uuid) for m in members.member_infos] == [(m.port, m.uuid) for m in cluster3.members]
    partitions = codec.decode_event[1](second)
    assert sorted(pid for _, pids in partitions.partitions for pid in pids) == list(range(271))


async def test_ping_statistics_and_backup_listener_answer(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0])
    assert await client.call("Client.ping") is None
    assert await client.call("Client.statistics", 1234, "a=b", b"\x00\x01") is None
    assert isinstance(await client.call("Client.localBackupListener"), uuid.UUID)


async def test_unknown_message_type_is_code_61_and_connection_stays(
    cluster: EmbeddedCluster, connect, wire: SimpleNamespace
) -> None:
    client = await connect(cluster.addresses[0])
    unknown = encode_message([(UNFRAGMENTED, struct.pack("<iqi", 0x7F0100, 77, -1))])
    client.write(unknown)
    error = decode_error(await client.response(77))[0]
    assert error.error_code == 61
    assert error.class_name == "java.lang.UnsupportedOperationException"
    # A known message with no member-side handler is unsupported too.
    try:
        await client.call("Map.addPartitionLostListener", "m", False)
    except wire.ProtocolError as failure:
        assert failure.code == 61
    else:
        raise AssertionError("Map.addPartitionLostListener is not served by this member")
    assert await client.call("Client.ping") is None


async def test_malformed_request_body_is_an_error_response_then_the_connection_closes(
    cluster: EmbeddedCluster, connect
) -> None:
    client = await connect(cluster.addresses[0])
    # Map.put with its initial frame only: the name/key/value frames are missing.
    initial = struct.pack("<iqiqq", 0x010100, 5, 3, 1, -1)
    client.write(encode_message([(UNFRAGMENTED, initial)]))
    error = decode_error(await client.response(5))[0]
    assert error.error_code == 23
    assert await client.is_closed_by_peer()
    await _ping_works(connect, cluster.addresses[0])


async def test_short_initial_frame_with_readable_header_gets_an_error_then_the_connection_closes(
    cluster: EmbeddedCluster, connect
) -> None:
    client = await connect(cluster.addresses[0])
    client.write(encode_message([(UNFRAGMENTED, struct.pack("<iq", 0x000B00, 9))]))
    assert decode_error(await client.response(9))[0].error_code == 23
    assert await client.is_closed_by_peer()
    await _ping_works(connect, cluster.addresses[0])


async def test_oversized_message_before_authentication_closes(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0], authenticate=False)
    client.write(struct.pack("<iH", 5000, UNFRAGMENTED) + b"x" * 4994)
    assert await client.is_closed_by_peer()
    await _ping_works(connect, cluster.addresses[0])


async def test_large_message_after_authentication_is_fine(cluster: EmbeddedCluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    value = b"\x00\x00\x00\x00\xff\xff\xff\xf4" + struct.pack(">i", 100_000) + b"v" * 100_000
    key = wire.data_str("big")
    await client.key_call("Map.set", "m", key, value, 1, -1)
    assert await client.key_call("Map.get", "m", key, 1) == value


async def test_frame_shorter_than_header_closes_connection(cluster: EmbeddedCluster, connect) -> None:
    client = await connect(cluster.addresses[0])
    client.write(struct.pack("<iH", 3, 0))
    assert await client.is_closed_by_peer()
    await _ping_works(connect, cluster.addresses[0])


async def test_fragments_rejected_before_auth_and_reassembled_after(cluster: EmbeddedCluster, connect) -> None:
    fragment_id = struct.pack("<q", 1)
    ping = struct.pack("<iqi", 0x000B00, 42, -1)
    early = await connect(cluster.addresses[0], authenticate=False)
    early.write(encode_message([(BEGIN_FRAGMENT, fragment_id), (UNFRAGMENTED, ping)]))
    assert await early.is_closed_by_peer()

    client = await connect(cluster.addresses[0])
    client.write(encode_message([(BEGIN_FRAGMENT, fragment_id), (UNFRAGMENTED, ping)]))
    client.write(encode_message([(END_FRAGMENT, fragment_id)]))
    response = await client.response(42)
    assert message_type(response) == method("Client.ping").response_type


async def test_abrupt_disconnects_mid_message_do_not_disturb_others(cluster: EmbeddedCluster, connect) -> None:
    survivor = await connect(cluster.addresses[0])
    for _ in range(5):
        victim = await connect(cluster.addresses[0])
        _, buf = victim.encode("Client.ping")
        victim.write(buf[:9])
        victim.writer.transport.abort()
    random_bytes = await connect(cluster.addresses[0], authenticate=False)
    random_bytes.write(bytes(range(256)) * 4)
    assert await random_bytes.is_closed_by_peer()
    assert await survivor.call("Client.ping") is None
    await asyncio.sleep(0.05)
    assert len(cluster.members[0].connections) == 1


async def test_handler_errors_map_to_protocol_codes(cluster: EmbeddedCluster, connect, wire) -> None:
    client = await connect(cluster.addresses[0])
    try:
        await client.call("Client.createProxy", "x", "hz:impl:noSuchService")
    except wire.ProtocolError as failure:
        assert failure.code == 75
        assert failure.class_name.endswith("ServiceNotFoundException")
    else:
        raise AssertionError("an unknown service must be refused")
    assert await client.call("Client.ping") is None


async def test_injected_failure_and_delay(cluster: EmbeddedCluster, connect, wire) -> None:
    member = cluster.members[0]
    client = await connect(cluster.addresses[0])
    member.fail_requests("Map.get", 27, "injected")
    try:
        await client.key_call("Map.get", "m", wire.data_str("k"), 1)
    except wire.ProtocolError as failure:
        assert failure.code == 27
        assert failure.class_name == "java.lang.IllegalStateException"
        assert "injected" in str(failure)
    else:
        raise AssertionError("the injected failure did not happen")
    member.clear_faults()
    assert await client.key_call("Map.get", "m", wire.data_str("k"), 1) is None

    member.delay_responses("Client.ping", 0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await client.call("Client.ping") is None
    assert loop.time() - started >= 0.25
    member.clear_faults()


async def test_random_messages_never_crash_the_member(cluster3: EmbeddedCluster, connect) -> None:
    import random

    from hazelcast.protocol.registry import specs_of_service

    rng = random.Random(20240611)
    types = [spec.request_type for service in (0, 1) for spec in specs_of_service(service)]
    client = await connect(cluster3.addresses[0])
    sent = 0
    for round_number in range(400):
        if client.writer.is_closing() or client.reader.at_eof():
            client = await connect(cluster3.addresses[round_number % 3])
        frames = []
        partition_id = rng.choice([-7, -1, 0, 5, 270, 271, 10**6])
        header = struct.pack("<iqi", rng.choice(types), 1000 + round_number, partition_id)
        frames.append((UNFRAGMENTED, header + rng.randbytes(rng.randrange(0, 40))))
        for _ in range(rng.randrange(0, 6)):
            frames.append((rng.choice([0, 0, 0x1000, 0x0800, 0x0400]), rng.randbytes(rng.randrange(0, 30))))
        client.write(encode_message(frames))
        sent += 1
        if round_number % 20 == 19:
            await asyncio.sleep(0)
    await asyncio.sleep(0.2)
    assert sent == 400
    for address in cluster3.addresses:
        fresh = await connect(address)
        assert await fresh.call("Client.ping") is None
        assert await fresh.call("Map.size", "fuzz") >= 0
    assert all(member.alive for member in cluster3.members)


async def test_random_bytes_before_authentication_never_crash_the_member(cluster: EmbeddedCluster, connect) -> None:
    import random

    rng = random.Random(7)
    for _ in range(50):
        client = await connect(cluster.addresses[0], authenticate=False)
        client.write(rng.randbytes(rng.randrange(1, 300)))
        client.writer.transport.abort()
    await _ping_works(connect, cluster.addresses[0])
