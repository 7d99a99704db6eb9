"""A CP subsystem wired to a scripted cluster: requests are decoded and answered by a Python function, no member."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from hazelcast.config import Config
from hazelcast.cp import CPSubsystem
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.protocol.registry import method_by_type
from hazelcast.proxy import ProxyContext
from hazelcast.serialization import SerializationService


class ScriptedCluster:
    """Stands for the invocation service: records every request and answers with ``answer(name, params)``.

    ``answer`` returns the decoded response value, or raises to fail the call (a ``HazelcastError`` as a member's
    error would arrive).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, answer: Callable[[str, Any], Any]) -> None:
        self.loop = loop
        self.answer = answer
        #: (method name, decoded params, retryable, timeout) of every request sent.
        self.sent: list[tuple[str, Any, bool, float | None]] = []

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False,
             timeout: float | None = None, target_uuid: Any = None) -> asyncio.Future[Any]:
        [message] = MessageReader().feed(bytes(request))
        codec = method_by_type(message_type(message))
        params = codec.decode_request(message)
        name = codec.spec.name
        self.sent.append((name, params, retryable, timeout))
        future = self.loop.create_future()
        try:
            value = self.answer(name, params)
        except BaseException as error:  # noqa: BLE001 - handed to the caller as the call's failure
            future.set_exception(error)
            return future
        if decoder is None:
            future.set_result(None)
        else:
            # Encode the scripted answer as the member would and let the proxy's own decoder read it.
            encode = codec.encode_response
            response = encode() if not codec.response_names else (
                encode(value) if len(codec.response_names) == 1 else encode(*value)
            )
            [decoded_message] = MessageReader().feed(bytes(response))
            future.set_result(decoder(decoded_message))
        return future

    def names(self) -> list[str]:
        return [name for name, *_ in self.sent]


def make_subsystem(cluster: ScriptedCluster, config: Config | None = None) -> CPSubsystem:
    config = config or Config()
    serialization = SerializationService(config)
    context = ProxyContext(
        config=config,
        loop=cluster.loop,
        serialization_service=serialization,
        invocation_service=cluster,  # type: ignore[arg-type]
        partition_service=SimpleNamespace(partition_id_of_data=lambda data: 0),  # type: ignore[arg-type]
        cluster_service=None,  # type: ignore[arg-type]
        listener_service=None,  # type: ignore[arg-type]
        connection_manager=None,  # type: ignore[arg-type]
        lifecycle_service=None,  # type: ignore[arg-type]
        proxy_manager=None,  # type: ignore[arg-type]
        callbacks=None,  # type: ignore[arg-type]
        client=SimpleNamespace(name="unit-client"),
    )
    return CPSubsystem(context)


@pytest.fixture
def scripted() -> Callable[[Callable[[str, Any], Any]], tuple[ScriptedCluster, CPSubsystem]]:
    def build(answer: Callable[[str, Any], Any]) -> tuple[ScriptedCluster, CPSubsystem]:
        cluster = ScriptedCluster(asyncio.get_running_loop(), answer)
        return cluster, make_subsystem(cluster)

    return build
