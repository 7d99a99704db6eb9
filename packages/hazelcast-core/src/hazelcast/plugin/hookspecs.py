"""Every hook of the hazelcast client's plugin contract.

A plugin is a module (or object) with functions marked ``@hookimpl`` and named as below; distributions announce it with
an entry point in group ``hazelcast.plugins`` named after the distribution. Hooks return data; the client validates it
(a service name or attribute provided twice is a :class:`~hazelcast.errors.DuplicateServiceError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from hazelcast.plugin.spec import ClientServiceType, ProxyType

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "hazelcast"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def hazelcast_proxy_types() -> Sequence[ProxyType]:
    """Return the distributed-object proxy types this plugin provides.

    Called once per client, when the client is constructed. Each :class:`~hazelcast.plugin.ProxyType` names the
    member-side service and, for the types of the API reference, the ``HazelcastClient`` accessor it backs
    (``get_map``...). Since 0.1.
    """


@hookspec
def hazelcast_client_services() -> Sequence[ClientServiceType]:
    """Return the client-level services this plugin provides (``cp_subsystem``, ``sql``...).

    Called once per client, when the client is constructed. Each service becomes a read-only attribute of the client,
    built on first access. Since 0.1.
    """
