"""Fixtures driving the embedded member over raw sockets with the protocol codecs (no client library involved)."""

from __future__ import annotations

import asyncio
import struct
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.protocol import method
from hazelcast.protocol.errors_codec import decode_error
from hazelcast.protocol.frames import (
    BACKUP_AWARE,
    IS_EVENT,
    Message,
    MessageReader,
    correlation_id,
    message_type,
    set_correlation_id,
    set_partition_id,
)

READ_TIMEOUT = 3.0


def data_str(text: str) -> bytes:
    """A serialized Java String, as a client sends it (``Data`` bytes)."""
    payload = text.encode("utf-8")
    return struct.pack(">iii", 0, -11, len(payload)) + payload


def data_int(value: int) -> bytes:
    """A serialized Java Integer."""
    return struct.pack(">iii", 0, -7, value)


class ProtocolError(Exception):
    """The member answered with an error message."""

    def __init__(self, holders: list[Any]) -> None:
        super().__init__(f"{holders[0].error_code} {holders[0].class_name}: {holders[0].message}")
        self.code = holders[0].error_code
        self.class_name = holders[0].class_name
        self.holders = holders


class RawClient:
    """A minimal protocol client over one socket: requests by correlation id, events collected on the side."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._frames = MessageReader()
        self._inbox: list[Message] = []
        self.events: list[Message] = []
        self._next_correlation = 1
        self.uuid = uuid.uuid4()
        self.partition_count = 271

    @classmethod
    async def open(cls, address: str, preamble: bytes = b"CP2") -> RawClient:
        host, _, port = address.rpartition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        if preamble:
            writer.write(preamble)
        return cls(reader, writer)

    def next_correlation(self) -> int:
        value = self._next_correlation
        self._next_correlation += 1
        return value

    async def close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except ConnectionError:
            pass

    def write(self, data: bytes) -> None:
        self.writer.write(data)

    async def read_message(self, timeout: float = READ_TIMEOUT) -> Message:
        """The next inbound message (event or response), in arrival order."""
        while not self._inbox:
            chunk = await asyncio.wait_for(self.reader.read(65536), timeout)
            if not chunk:
                raise ConnectionResetError("the member closed the connection")
            self._inbox.extend(self._frames.feed(chunk))
        return self._inbox.pop(0)

    async def is_closed_by_peer(self, timeout: float = READ_TIMEOUT) -> bool:
        """Whether the member closes the connection (reading EOF or a reset), ignoring what it sends first."""
        try:
            while True:
                chunk = await asyncio.wait_for(self.reader.read(65536), timeout)
                if not chunk:
                    return True
        except ConnectionError:
            return True
        except TimeoutError:
            return False

    def encode(
        self, name: str, *params: Any, partition_id: int = -1, backup_aware: bool = False, correlation: int = 0
    ) -> tuple[int, bytearray]:
        buf = method(name).encode_request(*params)
        correlation = correlation or self.next_correlation()
        set_correlation_id(buf, correlation)
        set_partition_id(buf, partition_id)
        if backup_aware:
            buf[5] |= BACKUP_AWARE >> 8
        return correlation, buf

    async def response(self, correlation: int, timeout: float = READ_TIMEOUT) -> Message:
        """Read until the response with ``correlation``; events read on the way go to ``self.events``."""
        while True:
            message = await self.read_message(timeout)
            if message[0][0] & IS_EVENT:
                self.events.append(message)
                continue
            if correlation_id(message) == correlation:
                return message
            raise AssertionError(f"unexpected response {correlation_id(message)} while waiting for {correlation}")

    async def call_raw(self, name: str, *params: Any, **options: Any) -> Message:
        correlation, buf = self.encode(name, *params, **{k: v for k, v in options.items() if k != "timeout"})
        self.write(buf)
        return await self.response(correlation, options.get("timeout", READ_TIMEOUT))

    async def call(self, name: str, *params: Any, **options: Any) -> Any:
        """Send a request and decode its response; an error response raises :class:`ProtocolError`."""
        message = await self.call_raw(name, *params, **options)
        if message_type(message) == 0:
            raise ProtocolError(decode_error(message))
        return method(name).decode_response(message)

    def partition_of(self, key: bytes) -> int:
        from hazelcast.serialization.hashing import partition_hash, partition_id

        return partition_id(partition_hash(key), self.partition_count)

    async def key_call(self, name: str, map_name: str, key: bytes, *rest: Any, **options: Any) -> Any:
        """A key-based map call with the key's partition id in the header, as a smart client sends it."""
        return await self.call(name, map_name, key, *rest, partition_id=self.partition_of(key), **options)

    async def authenticate(
        self,
        cluster_name: str = "dev",
        username: str | None = None,
        password: str | None = None,
        serialization_version: int = 1,
    ) -> Any:
        response = await self.call(
            "Client.authentication",
            cluster_name,
            username,
            password,
            self.uuid,
            "PYH",
            serialization_version,
            "5.7.0",
            "raw-client",
            [],
            1,
            False,
        )
        if response.status == 0:
            self.partition_count = response.partition_count
        return response


Connect = Callable[..., Awaitable[RawClient]]


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    """``await connect(address, authenticate=True)``: a raw client, closed at the end of the test."""
    opened: list[RawClient] = []

    async def factory(address: str, authenticate: bool = True, preamble: bytes = b"CP2") -> RawClient:
        client = await RawClient.open(address, preamble)
        opened.append(client)
        if authenticate:
            response = await client.authenticate()
            assert response.status == 0
        return client

    yield factory
    for client in opened:
        await client.close()


@pytest.fixture
async def cluster() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=1) as running:
        yield running


@pytest.fixture
async def cluster3() -> AsyncIterator[EmbeddedCluster]:
    async with EmbeddedCluster(member_count=3) as running:
        yield running


@pytest.fixture
def wire() -> SimpleNamespace:
    """Helpers the tests share (test modules cannot import this conftest): ``wire.data_str("k")``,
    ``wire.data_int(1)``, ``wire.ProtocolError``, ``wire.RawClient``."""
    return SimpleNamespace(data_str=data_str, data_int=data_int, ProtocolError=ProtocolError, RawClient=RawClient)
