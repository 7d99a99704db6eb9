"""CP sessions end to end: heartbeats keep them, shutdown closes them, a killed client's holdings are freed at TTL."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.cp import cp_state
from hazelcast.errors import LockOwnershipLostError

from .conftest import running_client, wait_until

_HOLDER = Path(__file__).parent / "scripts" / "cp_holder.py"
_SHORT_SESSIONS = {"cp-subsystem": {"session-time-to-live-seconds": 0.6, "session-heartbeat-interval-seconds": 0.15}}


async def test_a_killed_client_frees_its_lock_and_permits_after_the_session_ttl() -> None:
    async with EmbeddedCluster(member_count=1, config=_SHORT_SESSIONS) as cluster:
        holder = await asyncio.create_subprocess_exec(
            sys.executable, str(_HOLDER), cluster.addresses[0],
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            assert holder.stdout is not None
            line = await asyncio.wait_for(holder.stdout.readline(), 20)
            assert line.strip() == b"ready"
            async with running_client(cluster) as client:
                lock = await client.cp_subsystem.get_lock("held-lock")
                permits = await client.cp_subsystem.get_semaphore("held-permits")
                assert await lock.is_locked() is True
                assert await permits.available_permits() == 0
                # Heartbeats keep the holder's session past its TTL while it lives.
                await asyncio.sleep(0.9)
                assert await lock.try_lock() == 0
                holder.kill()  # no shutdown: its connections just drop
                await holder.wait()
                loop = asyncio.get_running_loop()
                killed_at = loop.time()
                assert await lock.try_lock(5) > 0
                assert await permits.try_acquire(2, 5) is True
                assert loop.time() - killed_at < 3
        finally:
            if holder.returncode is None:
                holder.kill()
                await holder.wait()


async def test_shutdown_closes_the_sessions_and_frees_at_once() -> None:
    async with EmbeddedCluster(member_count=1) as cluster:  # default TTL: 300 s
        async with running_client(cluster) as client:
            lock = await client.cp_subsystem.get_lock("released-on-shutdown")
            await lock.lock()
            assert cp_state(cluster).sessions.live_count() == 1
        assert cp_state(cluster).sessions.live_count() == 0
        async with running_client(cluster) as client:
            lock = await client.cp_subsystem.get_lock("released-on-shutdown")
            assert await lock.is_locked() is False


async def test_a_session_lost_on_the_member_is_replaced() -> None:
    async with EmbeddedCluster(member_count=1, config=_SHORT_SESSIONS) as cluster:
        async with running_client(cluster) as client:
            lock = await client.cp_subsystem.get_lock("lost")
            await lock.lock()
            state = cp_state(cluster)
            [session_id] = state.sessions.session_ids()
            state.sessions.close(lock.get_group_id(), session_id)  # as if it had expired
            # The task learns its hold is gone with the session, then locks again in a new session.
            with pytest.raises(LockOwnershipLostError):
                await lock.is_locked()
            with pytest.raises(LockOwnershipLostError):
                await lock.unlock()
            assert await lock.lock() > 0
            await wait_until(lambda: state.sessions.live_count() == 1, what="a new session")


async def test_shutdown_without_a_cluster_does_not_wait_to_close_sessions() -> None:
    async with EmbeddedCluster(member_count=1) as cluster:
        async with running_client(cluster) as client:
            lock = await client.cp_subsystem.get_lock("orphan")
            await lock.lock()
            await cluster.members[0].kill()
            await asyncio.sleep(0.2)  # the client sees its connection drop and tries to reconnect
            loop = asyncio.get_running_loop()
            started = loop.time()
            await client.shutdown()
            assert loop.time() - started < 1
