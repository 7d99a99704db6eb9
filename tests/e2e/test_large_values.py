"""Large values end to end: 1-16 MiB values set and read back intact, alone, among many small requests on the same
connection, and over TLS (the client reads large frames in place and writes large requests in slices)."""

from __future__ import annotations

import asyncio
import socket
import ssl

import trustme

from hazelcast.embedded import EmbeddedCluster

from .conftest import running_client

MIB = 1024 * 1024


def _value(seed: int, size: int) -> bytes:
    # Every byte position differs from its neighbours and from other seeds, so a shifted or mixed-up slice shows.
    return bytes((seed + index) % 251 for index in range(251)) * (size // 251) + bytes([seed]) * (size % 251)


async def test_values_of_1_to_16_mib_round_trip_intact(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        m = await client.get_map("large")
        for seed, size in enumerate((MIB, 3 * MIB + 17, 16 * MIB)):
            value = _value(seed, size)
            await m.set(seed, value)
            got = await m.get(seed)
            assert type(got) is bytes and got == value
        connection = next(iter(client._connections.connections.values()))
        assert (connection._lowat_socket is not None) == hasattr(socket, "SO_RCVLOWAT")
        if connection._lowat_socket is not None:  # back to waking for any byte once the large frame is in
            assert connection._lowat_socket.getsockopt(socket.SOL_SOCKET, socket.SO_RCVLOWAT) == 1
        text = "zß€" * (MIB // 2)
        assert await m.put("text", text) is None
        assert await m.put("text", "small") == text  # a large str arrives as the old value
        previous = _value(9, 2 * MIB)
        await m.set("again", previous)
        assert await m.put("again", b"new") == previous


async def test_large_values_interleaved_with_small_requests_on_one_connection(cluster1: EmbeddedCluster) -> None:
    async with running_client(cluster1) as client:
        assert len(client._connections.connections) == 1
        m = await client.get_map("mixed")
        values = {key: _value(key, (key + 1) * MIB + key) for key in range(6)}

        async def large(key: int) -> None:
            await m.set(key, values[key])
            assert await m.get(key) == values[key]

        async def small(index: int) -> None:
            await m.set(f"s{index}", f"v{index}")
            assert await m.get(f"s{index}") == f"v{index}"

        await asyncio.wait_for(
            asyncio.gather(*(large(key) for key in values), *(small(index) for index in range(300))), 60
        )
        assert await m.get_all(list(values)) == values
        assert await m.size() == len(values) + 300


async def test_large_values_over_tls(tmp_path) -> None:
    authority = trustme.CA()
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(server)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    async with EmbeddedCluster(member_count=1, ssl_context=server) as cluster:
        async with running_client(cluster, ssl_enabled=True, ssl_cafile=str(ca_file)) as client:
            m = await client.get_map("secure-large")
            values = [_value(seed, size) for seed, size in enumerate((MIB, 5 * MIB + 3))]
            await asyncio.gather(*(m.set(seed, value) for seed, value in enumerate(values)), m.set("s", "small"))
            got = await asyncio.gather(m.get(0), m.get("s"), m.get(1))
            assert got == [values[0], "small", values[1]]
