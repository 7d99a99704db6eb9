"""Listener registrations on the members, and the delivery of events to the clients that registered them.

Every member-side service with listeners (entry, item, message listeners...) shares this machinery instead of keeping
its own. A registration lives on the member that received the add-listener request, under a *topic*: any hashable
that names what is listened to, conventionally the ``(service name, object name)`` state key.

Delivery follows a Hazelcast member's event service. An event *originates* on one member (for partitioned data, the
partition's owner). It reaches:

* every registration on the originating member, and
* the registrations on other members that are not ``local_only``.

A smart client registers ``local_only`` on every member and so receives each event once, from the member that owns
the data; a unisocket client registers on one member without ``local_only`` and receives every event there. Events
go out on the registration's connection with its correlation id, in the order they are published: per connection,
the events of one key arrive in the order of the changes.

A registration leaves with :meth:`EventRegistry.remove`, with its connection, or with its member.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hazelcast.protocol.frames import set_correlation_id

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.connection import ClientConnection
    from hazelcast.embedded.member import EmbeddedMember
    from hazelcast.embedded.requests import MemberRequest

__all__ = ["EventRegistration", "EventRegistry"]


@dataclass(eq=False, slots=True)
class EventRegistration:
    """One client listener registered on one member.

    ``options`` is whatever the service needs to filter and shape events for this listener (``include_value``, a
    key, a predicate...); the registry does not look at it.
    """

    registration_id: uuid.UUID
    topic: Hashable
    member: EmbeddedMember
    connection: ClientConnection
    correlation_id: int
    local_only: bool
    options: Any = None

    def send(self, event: bytearray) -> None:
        """Send an encoded event message to the listener (its correlation id is set here)."""
        set_correlation_id(event, self.correlation_id)
        self.connection.send(event)


class EventRegistry:
    """The registrations of every member of a cluster, by topic."""

    def __init__(self, cluster: EmbeddedCluster) -> None:
        self._cluster = cluster
        self._by_topic: dict[Hashable, dict[uuid.UUID, EventRegistration]] = {}
        #: The topics that have registrations, each with them (read-only outside): empty while nothing listens, which
        #: a service may test on its hot path before building topics to ask :meth:`has_listeners` about.
        self.listened: Mapping[Hashable, Mapping[uuid.UUID, EventRegistration]] = self._by_topic
        self._by_id: dict[uuid.UUID, EventRegistration] = {}

    def add(self, request: MemberRequest, topic: Hashable, local_only: bool, options: Any = None) -> uuid.UUID:
        """Register a listener for ``topic`` from an add-listener request; returns the registration id to answer.

        The registration is held by the member the client sent the request to, on the request's connection, and
        events use the request's correlation id. It is dropped when that connection closes.
        """
        connection = request.connection
        registration = EventRegistration(
            uuid.uuid4(), topic, connection.member, connection, request.correlation_id, local_only, options
        )
        self._by_topic.setdefault(topic, {})[registration.registration_id] = registration
        self._by_id[registration.registration_id] = registration
        connection.registrations[registration.registration_id] = self
        return registration.registration_id

    def remove(self, request: MemberRequest, registration_id: uuid.UUID) -> bool:
        """Deregister a listener on the member the request came to; False if it holds no such registration."""
        registration = self._by_id.get(registration_id)
        if registration is None or registration.member is not request.connection.member:
            return False
        self._discard(registration)
        return True

    def remove_topic(self, topic: Hashable) -> None:
        """Drop every registration of ``topic`` (its object was destroyed)."""
        for registration in list(self._by_topic.get(topic, {}).values()):
            self._discard(registration)

    def registrations(self, topic: Hashable) -> list[EventRegistration]:
        """Every registration of ``topic``, on every member."""
        found = self._by_topic.get(topic)
        return list(found.values()) if found else []

    def has_listeners(self, topic: Hashable) -> bool:
        """Whether anything listens to ``topic`` (lets a service skip building events nobody receives)."""
        return bool(self._by_topic.get(topic))

    def recipients(self, topic: Hashable, origin: EmbeddedMember) -> Iterator[EventRegistration]:
        """The registrations an event of ``topic`` originating on ``origin`` reaches (see the module doc)."""
        found = self._by_topic.get(topic)
        if not found:
            return
        for registration in list(found.values()):
            if registration.member is origin or not registration.local_only:
                if registration.member.alive:
                    yield registration

    def publish(
        self,
        topic: Hashable,
        origin: EmbeddedMember,
        encode: Callable[[EventRegistration], bytearray | None],
    ) -> int:
        """Deliver an event: ``encode(registration)`` builds the message for each recipient (None skips it, so a
        filtering listener can decline); returns how many listeners it was sent to."""
        sent = 0
        for registration in self.recipients(topic, origin):
            event = encode(registration)
            if event is not None:
                registration.send(event)
                sent += 1
        return sent

    def publish_on_partition(
        self, topic: Hashable, partition_id: int, encode: Callable[[EventRegistration], bytearray | None]
    ) -> int:
        """:meth:`publish` for an event of partitioned data: it originates on the partition's owner."""
        return self.publish(topic, self._cluster.owner_of(partition_id), encode)

    # -- cleanup -----------------------------------------------------------------------------------------------------

    def connection_closed(self, connection: ClientConnection) -> None:
        """Drop the registrations made on ``connection``."""
        for registration_id, owner in list(connection.registrations.items()):
            if owner is self:
                registration = self._by_id.get(registration_id)
                if registration is not None:
                    self._discard(registration)

    def member_stopped(self, member: EmbeddedMember) -> None:
        """Drop the registrations a stopped member held."""
        for registration in [r for r in self._by_id.values() if r.member is member]:
            self._discard(registration)

    def _discard(self, registration: EventRegistration) -> None:
        self._by_id.pop(registration.registration_id, None)
        by_topic = self._by_topic.get(registration.topic)
        if by_topic is not None:
            by_topic.pop(registration.registration_id, None)
            if not by_topic:
                del self._by_topic[registration.topic]
        registration.connection.registrations.pop(registration.registration_id, None)
