"""Stand-ins for the client's services, so that the proxies run without a member (only hazelcast-core and
hazelcast-collections are installed with this distribution)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.proxy import ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import partition_hash, partition_id

PARTITIONS = 271
_CODECS = [method(name) for name in ("Topic.publish", "Topic.publishAll", "Topic.addMessageListener",
                                      "Topic.removeMessageListener")]


class Invocations:
    """Records (message name, decoded request, partition id); every call succeeds with no response value."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any, int]] = []

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False) -> Any:
        (message,) = MessageReader().feed(bytes(request))
        codec = next(c for c in _CODECS if c.request_type == message_type(message))
        self.sent.append((codec.spec.name, codec.decode_request(message), partition_id))
        future = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future


class Partitions:
    def __init__(self, serialization: SerializationService) -> None:
        self._serialization = serialization

    def get_partition_id(self, key: Any) -> int:
        return self.partition_id_of_data(self._serialization.to_data(key))

    def partition_id_of_data(self, data: bytes) -> int:
        return partition_id(partition_hash(data), PARTITIONS)


class Listeners:
    """Keeps what ``register`` was given, so a test can build requests and feed events."""

    def __init__(self) -> None:
        self.registered: dict[str, SimpleNamespace] = {}

    async def register(self, add_request: Callable[[bool], bytearray], decode_add_response: Any,
                       remove_request: Callable[[Any], bytearray], event_handler: Callable[[Any], None]) -> str:
        registration_id = f"registration-{len(self.registered)}"
        self.registered[registration_id] = SimpleNamespace(
            add_request=add_request, remove_request=remove_request, event_handler=event_handler
        )
        return registration_id

    async def deregister(self, registration_id: str) -> bool:
        return self.registered.pop(registration_id, None) is not None


class Callbacks:
    def __init__(self) -> None:
        self.events: list[str] = []

    def run(self, event_name: str, callback: Callable[..., Any], *args: Any) -> None:
        self.events.append(event_name)
        callback(*args)


class Members:
    def __init__(self) -> None:
        self.members: dict[Any, Any] = {}

    def get_member(self, member_uuid: Any) -> Any:
        return self.members.get(member_uuid)


@pytest.fixture
def make_context() -> Callable[..., ProxyContext]:
    def make(config: Config | None = None) -> ProxyContext:
        config = config or Config()
        serialization = SerializationService(config)
        return ProxyContext(
            config=config, loop=asyncio.get_running_loop(), serialization_service=serialization,
            invocation_service=Invocations(), partition_service=Partitions(serialization),
            cluster_service=Members(), listener_service=Listeners(), connection_manager=None,
            lifecycle_service=None, proxy_manager=None, callbacks=Callbacks(), client=None,
        )  # type: ignore[arg-type]

    return make
