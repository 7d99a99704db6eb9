"""A member that stops answering (sockets open, no bytes) and a member that answers slowly, in a 3-member cluster.

What users rely on: a request fails at its deadline (``invocation_timeout``) or is retried as its kind allows (a read
is retryable, a put is not); the heartbeat closes a connection that stays silent past ``heartbeat_timeout``; the client
keeps working on the other members all along.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster, EmbeddedMember
from hazelcast.errors import OperationTimeoutError, TargetDisconnectedError
from hazelcast.lifecycle import LifecycleState

from .conftest import SOAK_FACTOR, ScenarioRecord, faulty_client

ROUNDS = SOAK_FACTOR


async def _wait(condition: Any, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"not within {timeout}s: {what}"
        await asyncio.sleep(0.02)


async def _key_owned_by(
    client: HazelcastClient, cluster: EmbeddedCluster, member: EmbeddedMember, tag: str, away_from: Any = None
) -> str:
    """A key ``member`` owns; with ``away_from``, one whose backup is not on that member either.

    A write waits for its backup's acknowledgement (up to ``operation_backup_timeout``, 5 s), as in Hazelcast, so a
    key backed up on a silent member is slow to write even though its owner answers.
    """
    for index in range(10_000):
        key = f"{tag}-{index}"
        replicas = cluster.replicas_of(await client.partition_service.get_partition_id(key))
        if replicas[0] is member and away_from not in replicas:
            return key
    raise AssertionError(f"no key of member {member.index}")


async def test_requests_to_a_silent_member_fail_at_their_deadline(record: ScenarioRecord) -> None:
    loop = asyncio.get_running_loop()
    async with EmbeddedCluster(member_count=3) as cluster, faulty_client(
        cluster, invocation_timeout=0.6, heartbeat_timeout=60, operation_backup_timeout=0.3
    ) as client:
        orders = await client.get_map("faults-silent")
        for round_ in range(ROUNDS):
            silent = cluster.members[round_ % 3]
            other = cluster.members[(round_ + 1) % 3]
            silent_key = await _key_owned_by(client, cluster, silent, f"silent{round_}")
            other_key = await _key_owned_by(client, cluster, other, f"other{round_}", away_from=silent)
            silent.suspend()
            record.fault("member-silent")
            for call in (orders.put(silent_key, 1), orders.get(silent_key)):
                started = loop.time()
                with pytest.raises(OperationTimeoutError):
                    await call
                record.operations += 1
                record.indeterminate += 1
                assert 0.5 < loop.time() - started < 2.0, "the call ends at its deadline"
            # The other members answer at once meanwhile.
            await orders.put(other_key, round_)
            assert await orders.get(other_key) == round_
            # A write whose backup sits on the silent member waits for the backup's acknowledgement only until
            # operation_backup_timeout, then succeeds on the owner's word.
            backed_up_key = next(
                key
                for key in (f"backup{round_}-{i}" for i in range(10_000))
                if cluster.replicas_of(cluster.partition_id(client._serialization.to_data(key)))[1:2] == [silent]
            )
            started = loop.time()
            await orders.put(backed_up_key, round_)
            assert 0.25 < loop.time() - started < 1.5
            assert await orders.get(backed_up_key) == round_
            record.operations += 4
            record.acknowledged_checked += 2
            silent.resume()
            await orders.put(silent_key, round_)
            assert await orders.get(silent_key) == round_
            record.operations += 2
            record.acknowledged_checked += 1
        assert client._invocations.pending_count == 0


async def test_the_heartbeat_drops_a_silent_member_and_reads_are_retried_after_failover(record: ScenarioRecord) -> None:
    states: list[str] = []
    loop = asyncio.get_running_loop()
    async with EmbeddedCluster(member_count=3) as cluster, faulty_client(
        cluster,
        heartbeat_interval=0.1,
        heartbeat_timeout=0.8,
        invocation_timeout=15,
        lifecycle_listeners=[states.append],
    ) as client:
        orders = await client.get_map("faults-heartbeat")
        for round_ in range(ROUNDS):
            silent = cluster.live_members[0]
            silent_key = await _key_owned_by(client, cluster, silent, f"hb{round_}")
            await orders.put(silent_key, "kept")
            record.operations += 1
            silent.suspend()
            suspended_at = loop.time()
            record.fault("member-silent")
            read = asyncio.create_task(orders.get(silent_key))  # retryable
            write = asyncio.create_task(orders.put(silent_key, "lost?"))  # not retryable once sent
            await _wait(lambda: silent.uuid not in client._connections.connections, 5, "the heartbeat closed it")
            closed_after = loop.time() - suspended_at
            assert closed_after < 0.8 + 0.5, f"the silent connection lived {closed_after:.2f}s"
            with pytest.raises(TargetDisconnectedError):
                await asyncio.wait_for(write, 1)
            record.indeterminate += 1
            # The other members keep working while the read waits for its partition.
            others = [m for m in cluster.live_members if m is not silent]
            other_key = await _key_owned_by(client, cluster, others[0], f"hb-other{round_}", away_from=silent)
            await orders.put(other_key, round_)
            assert await orders.get(other_key) == round_
            record.operations += 4
            assert not read.done()
            # The cluster gives the silent member up: the read is retried on the partition's new owner.
            await silent.kill()
            record.fault("member-kill")
            value = await asyncio.wait_for(read, 5)
            assert value in ("kept", "lost?")
            record.acknowledged_checked += 1
            await silent.restart()
            await _wait(lambda: len(client._connections.connections) == 3, 10, "connected to the restarted member")
        assert LifecycleState.DISCONNECTED not in states


async def test_a_slow_member_delays_without_disconnecting_and_late_answers_go_nowhere(record: ScenarioRecord) -> None:
    states: list[str] = []
    loop = asyncio.get_running_loop()
    async with EmbeddedCluster(member_count=3) as cluster, faulty_client(
        cluster,
        heartbeat_interval=0.1,
        heartbeat_timeout=0.8,
        invocation_timeout=0.6,
        lifecycle_listeners=[states.append],
    ) as client:
        orders = await client.get_map("faults-slow")
        await orders.put_all({i: i for i in range(50)})
        record.operations += 1
        for round_ in range(ROUNDS):
            cluster.delay_responses("Map.put", 0.9)
            cluster.delay_responses("Map.get", 0.2)
            record.fault("slow-responses")
            started = loop.time()
            with pytest.raises(OperationTimeoutError):
                await orders.put("slow", round_)
            assert 0.5 < loop.time() - started < 1.5
            # Slower than usual but within the deadline: answered, and each answer reaches its own caller even while
            # the late answer to the timed-out put arrives.
            values = await asyncio.gather(*(orders.get(i) for i in range(50)))
            assert values == list(range(50))
            record.operations += 51
            record.acknowledged_checked += 50
            cluster.clear_faults()
            await asyncio.sleep(0.5)
            # The timed-out put did happen on the member: its outcome was unknown to the caller, not undone.
            assert await orders.get("slow") == round_
            record.operations += 1
            record.indeterminate += 1
        # Pings were answered throughout: no connection was taken for dead.
        assert LifecycleState.DISCONNECTED not in states and len(client._connections.connections) == 3
        assert client._invocations.pending_count == 0
