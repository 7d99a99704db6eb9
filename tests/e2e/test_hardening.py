"""Overload, cancellation storms and secrets: what stays bounded, what leaves nothing behind, what is never logged."""

from __future__ import annotations

import asyncio
import gc
import ssl
import tracemalloc

import pytest
import trustme
from structlog.testing import capture_logs

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster
from hazelcast.errors import AuthenticationError
from hazelcast.security import BasicTokenProvider

from .conftest import running_client, wait_until


async def test_ten_thousand_calls_cancelled_mid_flight_leave_nothing_behind(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("storm")
        await m.put("k", "v")
        tasks_before = len(asyncio.all_tasks())
        member = cluster1.members[0]
        member.suspend()  # the member holds every answer: all calls are in flight when cancelled
        calls = [asyncio.create_task(m.get("k")) for _ in range(10_000)]
        await asyncio.sleep(0.2)
        assert client._invocations.pending_count > 0
        for call in calls:
            call.cancel()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(result, asyncio.CancelledError) for result in results)
        assert client._invocations.pending_count == 0
        member.resume()
        # The late answers to the cancelled calls find nothing to complete, and nobody mistakes them for theirs.
        assert await m.get("k") == "v"
        await asyncio.sleep(0.1)
        assert client._invocations.pending_count == 0
        assert len(asyncio.all_tasks()) <= tasks_before
        (connection,) = client._connections.connections.values()
        assert connection.reader.pending_bytes == 0
        assert connection._transport.get_write_buffer_size() == 0


async def test_a_producer_faster_than_the_member_is_held_by_the_in_flight_bound(cluster1: EmbeddedCluster) -> None:
    bound = 32
    async with running_client(cluster1, max_concurrent_invocations=bound) as client:
        m = await client.get_map("flood")
        cluster1.delay_responses("Map.set", 0.002)
        in_flight_seen: list[int] = []
        stop = asyncio.Event()

        async def sample() -> None:
            while not stop.is_set():
                in_flight_seen.append(client._invocations.pending_count)
                await asyncio.sleep(0.001)

        async def produce(count: int) -> None:
            # 256 producers, each firing as fast as the client lets it, over a fixed set of keys (the member runs in
            # this process: its memory is measured too, and must not grow with new entries).
            async def one(worker: int) -> None:
                for i in range(count):
                    await m.set(f"{worker}-{i % 4}", b"x" * 100)

            await asyncio.gather(*(one(worker) for worker in range(256)))

        sampler = asyncio.create_task(sample())
        tracemalloc.start()
        try:
            await produce(4)
            gc.collect()
            after_warmup, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            await produce(40)
            gc.collect()
            after_run, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            stop.set()
            await sampler
        assert max(in_flight_seen) <= bound
        # Ten times the operations, the same memory: what is held scales with the bound, not with the load.
        assert after_run - after_warmup < 1_000_000, (after_warmup, after_run)
        assert peak - after_warmup < 8_000_000, (after_warmup, peak)
        assert await m.size() == 256 * 4


async def test_credentials_are_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    password, token = "pa55-w0rd-secret", "t0ken-secret-value"
    config = {"credentials": {"username": "app", "password": password}}
    async with EmbeddedCluster(member_count=1, config=config) as cluster:
        with capture_logs() as logs:
            async with running_client(cluster, creds_username="app", creds_password=password) as client:
                await (await client.get_map("m")).put(1, 1)
                text = repr(client.config)
            with pytest.raises(AuthenticationError) as refused:
                await HazelcastClient.create_and_start(
                    cluster_members=cluster.addresses, creds_username="app", creds_password="wrong-" + password,
                    cluster_connect_timeout=2,
                )
    assert "credentials" in str(refused.value) and password not in str(refused.value)
    assert password not in text
    everything = repr(logs) + caplog.text
    assert password not in everything
    assert any(log["event"] == "member.client.authentication_failed" for log in logs)

    async with EmbeddedCluster(member_count=1, config={"credentials": {"token": token}}) as cluster:
        with capture_logs() as logs:
            async with running_client(cluster, token_provider=BasicTokenProvider(token)) as client:
                await (await client.get_map("m")).put(1, 1)
    assert token not in repr(logs)


def _server_context(authority: trustme.CA, *hosts: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert(*hosts).configure_cert(context)
    return context


async def test_hostname_verification_refuses_a_certificate_for_another_host(tmp_path) -> None:
    authority = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    # A certificate the client's CA signed, but for another name than the address the client dials.
    context = _server_context(authority, "members.example.com")
    async with EmbeddedCluster(member_count=1, ssl_context=context) as cluster:
        with pytest.raises(Exception) as refused:
            await HazelcastClient.create_and_start(
                cluster_members=cluster.addresses, ssl_enabled=True, ssl_cafile=str(ca_file),
                ssl_check_hostname=True, cluster_connect_timeout=1,
            )
        assert "unable to connect" in str(refused.value)
        # Without hostname verification the same certificate is accepted: the refusal above was the name check.
        async with running_client(
            cluster, ssl_enabled=True, ssl_cafile=str(ca_file), ssl_check_hostname=False
        ) as client:
            await (await client.get_map("tls")).put("k", "v")
            await wait_until(lambda: client.lifecycle_service.is_running(), what="running")
