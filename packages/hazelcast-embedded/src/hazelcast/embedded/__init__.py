"""A pure-Python Hazelcast member for tests and demos, speaking the member side of the client protocol.

Run it in-process::

    from hazelcast.embedded import EmbeddedCluster

    async with EmbeddedCluster(member_count=3, config={"map": {"orders-*": {"backup-count": 2}}}) as cluster:
        ...  # connect a client to cluster.addresses; cluster.members[1].kill() / .restart() / .suspend()

or as a process: ``python -m hazelcast.embedded --port 5701 --members 3`` (see ``hazelcast.embedded.__main__``).
Member-side services are pluggy plugins (``hazelcast.embedded.hookspecs``); the Map service is one of them, and
the Compact schema service (``hazelcast.embedded.schemas``) is built in. Values are stored as the serialized Data
clients send; ``hazelcast.embedded.query`` reads their attributes (JSON, Compact, Portable) for queries.
"""

from hazelcast.embedded.cluster import EmbeddedCluster
from hazelcast.embedded.config import CredentialsConfig, MemberConfig, StructureConfigs
from hazelcast.embedded.events import EventRegistration, EventRegistry
from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.member import EmbeddedMember, MemberState
from hazelcast.embedded.plugins import (
    DuplicateConfigSectionError,
    DuplicateHandlerError,
    DuplicateServerClassError,
    EmbeddedPluginManager,
    UnknownMessageError,
)
from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.spec import (
    MemberServiceSpec,
    PartitionState,
    PeriodicTask,
    ServerClass,
    StructureConfigSpec,
)

__all__ = [
    "PENDING",
    "CredentialsConfig",
    "DuplicateConfigSectionError",
    "DuplicateHandlerError",
    "DuplicateServerClassError",
    "EmbeddedCluster",
    "EmbeddedMember",
    "EmbeddedPluginManager",
    "EventRegistration",
    "EventRegistry",
    "MemberConfig",
    "MemberRequest",
    "MemberServiceSpec",
    "MemberState",
    "PartitionState",
    "PeriodicTask",
    "ServerClass",
    "StructureConfigSpec",
    "StructureConfigs",
    "UnknownMessageError",
    "hookimpl",
]
