"""The member's CP groups, configuration and sessions, over the raw protocol."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.cp import CPSubsystemSettings, cp_state
from hazelcast.errors import InvalidConfigurationError
from hazelcast.protocol import method

_SHORT = {"cp-subsystem": {"session-time-to-live-seconds": 0.3, "session-heartbeat-interval-seconds": 0.1}}


async def test_default_and_custom_groups(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    client = await connect(cluster.addresses[0])
    default = await client.call("CPGroup.createCPGroup", "counter")
    assert default.name == "default"
    assert await client.call("CPGroup.createCPGroup", "other@DEFAULT") == default
    assert await client.call("CPGroup.createCPGroup", " x @ Default ") == default
    custom = await client.call("CPGroup.createCPGroup", "counter@group1")
    assert custom.name == "group1" and custom != default
    assert await client.call("CPGroup.createCPGroup", "y@group1") == custom
    for bad in ("x@metadata", "x@MetaData", "x@a@b", "x@", "@g", ""):
        with pytest.raises(wire.ProtocolError) as raised:
            await client.call("CPGroup.createCPGroup", bad)
        assert raised.value.class_name == "java.lang.IllegalArgumentException"


async def test_unsafe_mode_group_ids_name_a_partition(cluster: EmbeddedCluster, connect: Any) -> None:
    client = await connect(cluster.addresses[0])
    group = await client.call("CPGroup.createCPGroup", "x@group1")
    assert (group.seed, group.id) == (0, cluster.name_partition_id("group1"))
    assert cp_state(cluster).settings.unsafe_mode


async def test_raft_mode_group_ids(connect: Any) -> None:
    async with EmbeddedCluster(member_count=3, config={"cp-subsystem": {"cp-member-count": 3}}) as cluster:
        client = await connect(cluster.addresses[1])
        default = await client.call("CPGroup.createCPGroup", "x")
        custom = await client.call("CPGroup.createCPGroup", "x@g")
        assert not cp_state(cluster).settings.unsafe_mode
        assert default.seed == custom.seed != 0
        assert 0 < default.id < custom.id  # the METADATA group has id 0
        # Every member answers for the same groups.
        other = await connect(cluster.addresses[2])
        assert await other.call("CPGroup.createCPGroup", "y@g") == custom


async def test_an_unknown_group_is_rejected(cluster: EmbeddedCluster, connect: Any, wire: Any) -> None:
    client = await connect(cluster.addresses[0])
    group = await client.call("CPGroup.createCPGroup", "x")
    stale = group._replace(seed=group.seed + 1)
    with pytest.raises(wire.ProtocolError) as raised:
        await client.call("AtomicLong.get", stale, "x")
    assert raised.value.class_name == "com.hazelcast.cp.exception.CPGroupDestroyedException"


@pytest.mark.parametrize(
    "section",
    [
        {"cp-member-count": 2},
        {"session-time-to-live-seconds": 1, "session-heartbeat-interval-seconds": 5},
        {"session-time-to-live-seconds": 0},
        {"unknown-key": 1},
        {"semaphores": {"s": {"initial-permits": -1}}},
        {"locks": {"l": {"lock-acquire-limit": -1}}},
        {"locks": {"a*b*": {}}},
    ],
)
def test_invalid_cp_configuration_is_rejected(section: dict[str, Any]) -> None:
    with pytest.raises(InvalidConfigurationError):
        EmbeddedCluster(config={"cp-subsystem": section})


def test_structure_settings_by_name_pattern() -> None:
    settings = CPSubsystemSettings(
        semaphores={"jdk-*": {"jdk-compatible": True}, "jdk-strict": {}, "default": {"initial-permits": 2}},
        locks={"*-single": {"lock-acquire-limit": 1}},
    )
    assert settings.semaphore("jdk-1").jdk_compatible is True
    assert settings.semaphore("jdk-strict").jdk_compatible is False
    assert settings.semaphore("other").initial_permits == 2
    assert settings.lock("a-single").lock_acquire_limit == 1
    assert settings.lock("other").lock_acquire_limit == 0


async def test_sessions_report_the_configured_timing(connect: Any) -> None:
    async with EmbeddedCluster(config=_SHORT) as cluster:
        client = await connect(cluster.addresses[0])
        group = await client.call("CPGroup.createCPGroup", "x")
        created = await client.call("CPSession.createSession", group, "client-a")
        assert (created.ttl_millis, created.heartbeat_millis) == (300, 100)
        second = await client.call("CPSession.createSession", group, "client-a")
        assert second.session_id != created.session_id
        first_thread = await client.call("CPSession.generateThreadId", group)
        assert await client.call("CPSession.generateThreadId", group) != first_thread


async def test_heartbeats_keep_a_session_and_expiry_ends_it(connect: Any, wire: Any) -> None:
    async with EmbeddedCluster(config=_SHORT) as cluster:
        client = await connect(cluster.addresses[0])
        group = await client.call("CPGroup.createCPGroup", "x")
        session = (await client.call("CPSession.createSession", group, "c")).session_id
        for _ in range(5):
            await asyncio.sleep(0.1)
            await client.call("CPSession.heartbeatSession", group, session)
        assert cp_state(cluster).sessions.is_active(group, session)
        await asyncio.sleep(0.45)
        assert not cp_state(cluster).sessions.is_active(group, session)
        with pytest.raises(wire.ProtocolError) as raised:
            await client.call("CPSession.heartbeatSession", group, session)
        assert raised.value.class_name == "com.hazelcast.cp.internal.session.SessionExpiredException"
        assert await client.call("CPSession.closeSession", group, session) is False


async def test_an_expired_session_frees_its_lock_and_permits_and_fails_its_waiters(connect: Any, wire: Any) -> None:
    async with EmbeddedCluster(config=_SHORT) as cluster:
        holder = await connect(cluster.addresses[0])
        group = await holder.call("CPGroup.createCPGroup", "x")
        session = (await holder.call("CPSession.createSession", group, "holder")).session_id
        assert await holder.call("FencedLock.lock", group, "lock", session, 1, uuid.uuid4()) > 0
        await holder.call("Semaphore.init", group, "sem", 1)
        assert await holder.call("Semaphore.acquire", group, "sem", session, 1, uuid.uuid4(), 1, -1) is True
        # The same session waits for more permits: that wait ends with the session.
        waiting = await connect(cluster.addresses[0])
        correlation, request = waiting.encode("Semaphore.acquire", group, "sem", session, 2, uuid.uuid4(), 1, -1)
        waiting.write(request)
        await asyncio.sleep(0.5)  # no heartbeat: the session expires
        response = await waiting.response(correlation)
        with pytest.raises(_Error) as error:
            _decode(response, "Semaphore.acquire")
        assert error.value.class_name == "com.hazelcast.cp.internal.session.SessionExpiredException"
        ownership = await holder.call("FencedLock.getLockOwnership", group, "lock")
        assert (ownership.fence, ownership.lock_count, ownership.session_id) == (0, 0, -1)
        assert await holder.call("Semaphore.availablePermits", group, "sem") == 1
        with pytest.raises(wire.ProtocolError):
            await holder.call("FencedLock.lock", group, "lock", session, 1, uuid.uuid4())


async def test_closing_a_session_hands_the_lock_to_the_next_waiter(cluster: EmbeddedCluster, connect: Any) -> None:
    first = await connect(cluster.addresses[0])
    second = await connect(cluster.addresses[0])
    group = await first.call("CPGroup.createCPGroup", "x")
    mine = (await first.call("CPSession.createSession", group, "a")).session_id
    theirs = (await first.call("CPSession.createSession", group, "b")).session_id
    fence = await first.call("FencedLock.lock", group, "lock", mine, 1, uuid.uuid4())
    correlation, request = second.encode("FencedLock.lock", group, "lock", theirs, 1, uuid.uuid4())
    second.write(request)
    await asyncio.sleep(0.05)
    assert await first.call("CPSession.closeSession", group, mine) is True
    assert _decode(await second.response(correlation), "FencedLock.lock") > fence


async def test_wait_queue_answers_at_timeout_and_lets_a_retry_take_its_place(
    cluster: EmbeddedCluster, connect: Any
) -> None:
    # A client whose connection failed sends a parked request again with the same invocation UUID.
    client = await connect(cluster.addresses[0])
    group = await client.call("CPGroup.createCPGroup", "x")
    await client.call("CountDownLatch.trySetCount", group, "latch", 1)
    uid = uuid.uuid4()
    other = await connect(cluster.addresses[0])
    correlation, request = other.encode("CountDownLatch.await", group, "latch", uid, 5000)
    other.write(request)
    retry = await connect(cluster.addresses[0])
    await asyncio.sleep(0.05)
    retry_correlation, retry_request = retry.encode("CountDownLatch.await", group, "latch", uid, 5000)
    retry.write(retry_request)
    await asyncio.sleep(0.05)
    [latch] = [s for (_, _, name), s in cp_state(cluster).objects.items() if name == "latch"]
    assert len(latch.waiters) == 1
    superseded = await other.response(correlation)
    with pytest.raises(_Error, match="WaitKeyCancelled"):
        _decode(superseded, "CountDownLatch.await")
    await client.call("CountDownLatch.countDown", group, "latch", uuid.uuid4(), 1)
    assert _decode(await retry.response(retry_correlation), "CountDownLatch.await") is True


def _decode(message: Any, name: str) -> Any:
    from hazelcast.protocol.errors_codec import decode_error
    from hazelcast.protocol.frames import message_type

    if message_type(message) == 0:
        holder = decode_error(message)[0]
        raise _Error(holder.class_name)
    return method(name).decode_response(message)


class _Error(Exception):
    def __init__(self, class_name: str) -> None:
        super().__init__(class_name)
        self.class_name = class_name
