"""The Client protocol service every member answers: authentication, cluster view, proxies, listeners, ping.

Registered by the cluster as a built-in plugin, so it is there even when entry-point autoloading is disabled, and a
plugin that handles one of these messages as well is a duplicate-handler error.
"""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from hazelcast.core import Address, DistributedObjectInfo
from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.member import MEMBER_VERSION, ObjectListenerRegistration
from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec
from hazelcast.errors import ServiceNotFoundError

__all__ = [
    "AUTHENTICATED",
    "AUTH_MESSAGES",
    "CLIENT_SERVICE",
    "CREDENTIALS_FAILED",
    "NOT_ALLOWED_IN_CLUSTER",
    "SERIALIZATION_VERSION",
    "SERIALIZATION_VERSION_MISMATCH",
    "SERVER_VERSION",
    "hazelcast_embedded_services",
]

# Authentication status codes (AuthenticationStatus on the member).
AUTHENTICATED = 0
CREDENTIALS_FAILED = 1
SERIALIZATION_VERSION_MISMATCH = 2
NOT_ALLOWED_IN_CLUSTER = 3

SERIALIZATION_VERSION = 1
SERVER_VERSION = f"{MEMBER_VERSION.major}.{MEMBER_VERSION.minor}.{MEMBER_VERSION.patch}"
#: The only messages a connection may send before it is authenticated.
AUTH_MESSAGES = frozenset({"Client.authentication", "Client.authenticationCustom"})

_logger = structlog.get_logger("hazelcast.embedded")


def _authentication_response(request: MemberRequest, status: int) -> tuple[Any, ...]:
    cluster = request.cluster
    if status != AUTHENTICATED:
        return (
            status, None, None, SERIALIZATION_VERSION, SERVER_VERSION, cluster.partition_count, cluster.cluster_id,
            False, None, None, -1, [], -1, [], {},
        )
    member = request.connection.member
    return (
        status,
        Address(member.host, member.port),
        member.uuid,
        SERIALIZATION_VERSION,
        SERVER_VERSION,
        cluster.partition_count,
        cluster.cluster_id,
        False,
        None,
        None,
        cluster.member_list_version,
        cluster.member_infos(),
        cluster.partition_list_version,
        cluster.partition_view(),
        {},
    )


def _finish_authentication(request: MemberRequest, status: int) -> tuple[Any, ...]:
    params = request.params
    connection = request.connection
    if status == AUTHENTICATED:
        if not connection.authenticated:
            connection.mark_authenticated(params.uuid, params.client_name, params.client_type)
            _logger.info(
                "member.client.authenticated",
                member=connection.member.index,
                client=str(params.uuid),
                client_name=params.client_name,
                client_type=params.client_type,
                client_version=params.client_hazelcast_version,
            )
    else:
        _logger.warning(
            "member.client.authentication_failed",
            member=connection.member.index,
            peer=connection.peer,
            status=status,
            cluster_name=params.cluster_name,
        )
        # A client that failed authentication gets its answer and nothing more.
        connection.close_after_flush()
    return _authentication_response(request, status)


def authenticate(request: MemberRequest) -> tuple[Any, ...]:
    """Client.authentication: cluster name, optional username/password, serialization version."""
    params = request.params
    return _authenticate(request, username=params.username, password=params.password)


def authenticate_custom(request: MemberRequest) -> tuple[Any, ...]:
    """Client.authenticationCustom: cluster name, a credentials token, serialization version."""
    return _authenticate(request, token=request.params.credentials, custom=True)


def _authenticate(request: MemberRequest, **credentials: Any) -> tuple[Any, ...]:
    """Check the cluster name, serialization version and ``credentials`` (once per connection) and answer."""
    if request.connection.authenticated:
        return _finish_authentication(request, AUTHENTICATED)
    params = request.params
    status = request.cluster.authentication_status(params.cluster_name, params.serialization_version, **credentials)
    return _finish_authentication(request, status)


def add_cluster_view_listener(request: MemberRequest) -> None:
    """Register for MembersView/PartitionsView; the current views are written before the response."""
    connection = request.connection
    connection.cluster_view_correlation = request.correlation_id
    members_view, partitions_view = request.cluster.cluster_view_events(request.correlation_id)
    connection.send(members_view)
    connection.send(partitions_view)


def _require_object_service(request: MemberRequest, service_name: str) -> None:
    if request.cluster.object_service(service_name) is None:
        raise ServiceNotFoundError(f"no service named {service_name!r} on this member")


def create_proxy(request: MemberRequest) -> None:
    params = request.params
    _require_object_service(request, params.service_name)
    request.cluster.create_object(params.service_name, params.name, request.connection.member)


def create_proxies(request: MemberRequest) -> None:
    for _name, service_name in request.params:
        _require_object_service(request, service_name)
    for name, service_name in request.params:
        request.cluster.create_object(service_name, name, request.connection.member)


def destroy_proxy(request: MemberRequest) -> None:
    params = request.params
    _require_object_service(request, params.service_name)
    request.cluster.destroy_object(params.service_name, params.name, request.connection.member)


def get_distributed_objects(request: MemberRequest) -> list[DistributedObjectInfo]:
    return [DistributedObjectInfo(service_name, name) for service_name, name in request.cluster.distributed_objects]


def add_distributed_object_listener(request: MemberRequest) -> uuid.UUID:
    registration_id = uuid.uuid4()
    connection = request.connection
    registration = ObjectListenerRegistration(connection, request.correlation_id, bool(request.params))
    connection.member.object_listeners[registration_id] = registration
    connection.registrations[registration_id] = registration
    return registration_id


def remove_distributed_object_listener(request: MemberRequest) -> bool:
    registration_id = request.params
    connection = request.connection
    registration = connection.member.object_listeners.get(registration_id)
    if registration is None or registration.connection.client_uuid != connection.client_uuid:
        return False
    del connection.member.object_listeners[registration_id]
    registration.connection.registrations.pop(registration_id, None)
    return True


def add_local_backup_listener(request: MemberRequest) -> uuid.UUID:
    """Client.localBackupListener: this member will acknowledge the client's backups on this connection."""
    connection = request.connection
    connection.backup_listener_correlation = request.correlation_id
    if connection.client_uuid is not None:
        connection.member.backup_listeners[connection.client_uuid] = connection
    return uuid.uuid4()


def accept(request: MemberRequest) -> None:
    """Ping, statistics and partition-assignment triggers need no work: the answer is the acknowledgement."""


CLIENT_SERVICE = MemberServiceSpec(
    name="Client",
    handlers={
        "Client.authentication": authenticate,
        "Client.authenticationCustom": authenticate_custom,
        "Client.addClusterViewListener": add_cluster_view_listener,
        "Client.createProxy": create_proxy,
        "Client.createProxies": create_proxies,
        "Client.destroyProxy": destroy_proxy,
        "Client.getDistributedObjects": get_distributed_objects,
        "Client.addDistributedObjectListener": add_distributed_object_listener,
        "Client.removeDistributedObjectListener": remove_distributed_object_listener,
        "Client.localBackupListener": add_local_backup_listener,
        "Client.ping": accept,
        "Client.statistics": accept,
        "Client.triggerPartitionAssignment": accept,
    },
)


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (CLIENT_SERVICE,)
