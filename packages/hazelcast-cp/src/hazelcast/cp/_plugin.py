"""hazelcast-cp's plugin: provides ``client.cp_subsystem`` (entry point ``hazelcast.plugins``)."""

from __future__ import annotations

from typing import Any

from hazelcast.cp.subsystem import CPSubsystem
from hazelcast.plugin import ClientServiceType, hookimpl

__all__ = ["hazelcast_client_services"]


async def _close(subsystem: Any) -> None:
    await subsystem.shutdown()


@hookimpl
def hazelcast_client_services() -> list[ClientServiceType]:
    return [ClientServiceType("cp_subsystem", CPSubsystem, close=_close)]
