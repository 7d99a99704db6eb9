"""Every hook of the embedded member's plugin contract.

A plugin is a module (or object) with functions marked ``@hookimpl`` and named as below. Distributions announce it
with an entry point in group ``hazelcast.embedded.plugins`` named after the distribution (the member's own Map service
is registered exactly like that, by ``hazelcast.embedded._plugin``). Hooks return data; the cluster validates it: a
protocol message handled twice raises :class:`~hazelcast.embedded.plugins.DuplicateHandlerError`, a configuration
section provided twice :class:`~hazelcast.embedded.plugins.DuplicateConfigSectionError`, a server class provided twice
:class:`~hazelcast.embedded.plugins.DuplicateServerClassError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from hazelcast.embedded.spec import MemberServiceSpec, ServerClass, StructureConfigSpec

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "hazelcast_embedded"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def hazelcast_embedded_services() -> Sequence[MemberServiceSpec]:
    """Return the member-side services this plugin provides.

    Called once per cluster, when the :class:`~hazelcast.embedded.EmbeddedCluster` is constructed. Each
    :class:`~hazelcast.embedded.spec.MemberServiceSpec` maps protocol method names (``"Map.put"``) to handlers; every
    name must exist in the protocol catalogue, and no two services may handle the same message. Since 0.1.
    """


@hookspec
def hazelcast_embedded_structure_configs() -> Sequence[StructureConfigSpec]:
    """Return the per-data-structure configuration sections this plugin understands (``map``...).

    Called once per cluster, before the member configuration is validated: a section of the configuration that no
    plugin declared is an error. Since 0.1.
    """


@hookspec
def hazelcast_embedded_server_classes() -> Sequence[ServerClass]:
    """Return the Python implementations of server-side code this plugin provides, by factory and class id.

    Called once per cluster, when it is constructed. Entry processors, predicates, interceptors, map stores,
    ``IFunction``s, executor tasks and ringbuffer filters that clients send as IdentifiedDataSerializable objects are
    created from these and run in the member; an object whose ids no plugin registered is an error answered to the
    client, as a Java member answers for a class it does not have. Since 0.2.
    """
