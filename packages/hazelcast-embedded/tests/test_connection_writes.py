"""How a member connection writes what it answers: a batch of requests read at once is answered in chunks, in order."""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.connection import FLUSH_DOUBLING_FROM, FLUSH_EVERY, PROTOCOL_PREAMBLE, ClientConnection
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader, correlation_id, message_type, set_correlation_id, set_partition_id
from hazelcast.serialization.hashing import partition_hash, partition_id

_SET = method("Map.set")
_GET = method("Map.get")


def _key(index: int) -> bytes:
    return struct.pack(">iii", 0, -7, index)


def _requests(count: int, partition_count: int, first_correlation: int = 1) -> list[bytes]:
    """Alternating sets and gets of ``count // 2`` keys, correlation ids counting up from ``first_correlation``."""
    encoded = []
    for index in range(count):
        key = _key(index // 2)
        if index % 2 == 0:
            buf = _SET.encode_request("chunks", key, struct.pack(">iii", 0, -7, index), 1, -1)
        else:
            buf = _GET.encode_request("chunks", key, 1)
        set_correlation_id(buf, first_correlation + index)
        set_partition_id(buf, partition_id(partition_hash(key), partition_count))
        encoded.append(bytes(buf))
    return encoded


class RecordingTransport(asyncio.Transport):
    """The connection's socket, in memory: keeps each write; ``on_write`` runs after each one."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.on_write: Any = None
        self.closing = False

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))
        if self.on_write is not None:
            self.on_write()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def is_closing(self) -> bool:
        return self.closing

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def close(self) -> None:
        self.closing = True

    def abort(self) -> None:
        pass


def _open(cluster: EmbeddedCluster) -> tuple[ClientConnection, RecordingTransport]:
    connection = ClientConnection(cluster.members[0])
    transport = RecordingTransport()
    connection.connection_made(transport)
    connection.data_received(PROTOCOL_PREAMBLE)
    connection.mark_authenticated(None, "test", "PYH")
    return connection, transport


def _messages(chunk: bytes) -> list[Any]:
    return MessageReader().feed(chunk)


async def test_a_long_batch_is_answered_in_chunks_in_order(cluster: EmbeddedCluster) -> None:
    connection, transport = _open(cluster)
    count = 4 * FLUSH_DOUBLING_FROM + 5
    connection.data_received(b"".join(_requests(count, cluster.partition_count)))

    # The first answers leave before the member has handled the whole batch: a write every FLUSH_EVERY messages,
    # then (past FLUSH_DOUBLING_FROM) each time the count of handled messages doubles, and the rest at the end.
    steady = [FLUSH_EVERY] * (FLUSH_DOUBLING_FROM // FLUSH_EVERY)
    assert [len(_messages(chunk)) for chunk in transport.writes] == [
        *steady, FLUSH_DOUBLING_FROM, 2 * FLUSH_DOUBLING_FROM, 5
    ]
    responses = [message for chunk in transport.writes for message in _messages(chunk)]
    assert [correlation_id(message) for message in responses] == list(range(1, count + 1))
    gets = responses[1::2]
    assert {message_type(message) for message in gets} == {_GET.response_type}
    assert [_GET.decode_response(message) for message in gets] == [
        struct.pack(">iii", 0, -7, index) for index in range(0, count - 1, 2)
    ]


async def test_a_short_batch_is_one_write(cluster: EmbeddedCluster) -> None:
    connection, transport = _open(cluster)
    connection.data_received(b"".join(_requests(FLUSH_EVERY - 1, cluster.partition_count)))

    assert len(transport.writes) == 1
    assert len(_messages(transport.writes[0])) == FLUSH_EVERY - 1


async def test_a_client_gone_in_the_middle_of_a_batch_stops_it_and_the_member_serves_others(
    cluster: EmbeddedCluster,
) -> None:
    member = cluster.members[0]
    connection, transport = _open(cluster)
    # The peer resets the connection as the first chunk is written.
    transport.on_write = lambda: connection.connection_lost(ConnectionResetError("reset by peer"))
    connection.data_received(b"".join(_requests(3 * FLUSH_EVERY, cluster.partition_count)))

    assert len(transport.writes) == 1
    assert connection.closed
    assert connection not in member.connections
    other, other_transport = _open(cluster)
    other.data_received(b"".join(_requests(2, cluster.partition_count, first_correlation=500)))
    assert [correlation_id(message) for message in _messages(other_transport.writes[0])] == [500, 501]


async def test_a_failed_write_in_the_middle_of_a_batch_ends_it(cluster: EmbeddedCluster) -> None:
    connection, transport = _open(cluster)

    # What asyncio does when a send fails: the transport closes, and connection_lost comes on a later loop turn.
    def fail() -> None:
        transport.closing = True

    transport.on_write = fail
    connection.data_received(b"".join(_requests(3 * FLUSH_EVERY, cluster.partition_count)))

    assert len(transport.writes) == 1


async def test_pipelined_requests_over_a_socket_are_all_answered_in_order(
    cluster: EmbeddedCluster, connect: Any
) -> None:
    client = await connect(cluster.addresses[0])
    first = client.next_correlation()
    count = 10 * FLUSH_EVERY + 3
    client.write(b"".join(_requests(count, cluster.partition_count, first_correlation=first)))

    received = [correlation_id(await client.read_message()) for _ in range(count)]
    assert received == list(range(first, first + count))


async def test_a_client_resetting_the_socket_mid_batch_leaves_the_member_serving(
    cluster: EmbeddedCluster, connect: Any
) -> None:
    leaving = await connect(cluster.addresses[0])
    leaving.write(b"".join(_requests(40 * FLUSH_EVERY, cluster.partition_count, first_correlation=100)))
    # A reset (linger 0), not an orderly close: the member's writes to it fail while it still has requests to answer.
    transport = leaving.writer.transport
    transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()

    client = await connect(cluster.addresses[0])
    await client.key_call("Map.set", "chunks", _key(0), _key(1), 1, -1)
    assert await client.key_call("Map.get", "chunks", _key(0), 1) == _key(1)
    member = cluster.members[0]
    for _ in range(300):  # the member notices the reset on its next read or write of that socket
        if len(member.connections) == 1:
            break
        await asyncio.sleep(0.01)
    assert len(member.connections) == 1
