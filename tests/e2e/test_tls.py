"""TLS end to end: every ssl_* option of the client against members that accept TLS only."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator

import pytest
import trustme

from hazelcast.asyncio import HazelcastClient
from hazelcast.config import SSLProtocol
from hazelcast.embedded import EmbeddedCluster

from .conftest import running_client


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(authority: trustme.CA, tmp_path) -> Iterator[str]:
    path = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    yield str(path)


def server_context(authority: trustme.CA, require_client_cert: bool = False) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    if require_client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        authority.configure_trust(context)
    return context


async def test_client_talks_tls_to_members_it_trusts(authority: trustme.CA, ca_file: str) -> None:
    async with EmbeddedCluster(member_count=2, ssl_context=server_context(authority)) as cluster:
        async with running_client(
            cluster, ssl_enabled=True, ssl_cafile=ca_file, ssl_check_hostname=True, ssl_protocol=SSLProtocol.TLSv1_2
        ) as client:
            m = await client.get_map("secure")
            await m.put("k", "v")
            assert await m.get("k") == "v"
            connection = next(iter(client._connections.connections.values()))
            assert connection._transport.get_extra_info("ssl_object").version() == "TLSv1.2"


async def test_client_rejects_a_member_certificate_it_does_not_trust(authority: trustme.CA, tmp_path) -> None:
    other = trustme.CA()
    other_file = tmp_path / "other.pem"
    other.cert_pem.write_to_path(str(other_file))
    async with EmbeddedCluster(member_count=1, ssl_context=server_context(authority)) as cluster:
        with pytest.raises(Exception, match="unable to connect"):
            await HazelcastClient.create_and_start(
                cluster_members=cluster.addresses, ssl_enabled=True, ssl_cafile=str(other_file),
                cluster_connect_timeout=0.5, retry_initial_backoff=0.1,
            )


async def test_mutual_tls_with_a_client_certificate(authority: trustme.CA, ca_file: str, tmp_path) -> None:
    client_cert = authority.issue_cert("hazelcast-client")
    cert_file, key_file = tmp_path / "client.pem", tmp_path / "client.key"
    for blob in client_cert.cert_chain_pems:
        blob.write_to_path(str(cert_file), append=True)
    client_cert.private_key_pem.write_to_path(str(key_file))
    async with EmbeddedCluster(member_count=1, ssl_context=server_context(authority, True)) as cluster:
        async with running_client(
            cluster, ssl_enabled=True, ssl_cafile=ca_file, ssl_certfile=str(cert_file), ssl_keyfile=str(key_file),
            ssl_ciphers="ECDHE+AESGCM",
        ) as client:
            m = await client.get_map("mutual")
            await m.set(1, 2)
            assert await m.get(1) == 2
        # Without the client certificate the member refuses the handshake.
        with pytest.raises(Exception, match="unable to connect"):
            await asyncio.wait_for(HazelcastClient.create_and_start(
                cluster_members=cluster.addresses, ssl_enabled=True, ssl_cafile=ca_file,
                cluster_connect_timeout=0.5, retry_initial_backoff=0.1,
            ), 10)
