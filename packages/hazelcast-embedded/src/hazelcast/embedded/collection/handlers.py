"""The handlers lists and sets share on the member, over the state of one kind of collection.

A list and a set answer their reads (``size``, ``isEmpty``, ``contains``, ``containsAll``, ``getAll``), ``clear``
and their listener messages the same way; only their service name, configuration section and the shape of their
items (a list of Data, or an insertion-ordered dict of Data for a set) differ, and :class:`CollectionHandlers`
holds those.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.collection.state import ITEM_REMOVED, CollectionState, ItemEvents, mutate
from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import Handler, MemberServiceSpec
from hazelcast.protocol import method

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["CollectionHandlers"]


class CollectionHandlers:
    """One kind of collection (lists or sets): its state in the partition of each name and the handlers of the
    messages both kinds answer alike; :meth:`service_spec` adds a kind's own handlers to them."""

    __slots__ = ("service_name", "events", "_protocol_service", "_config_section", "_unique")

    def __init__(self, protocol_service: str, service_name: str, config_section: str, unique: bool) -> None:
        #: The distributed-object service name (``hz:impl:listService``...).
        self.service_name = service_name
        self.events = ItemEvents(method(f"{protocol_service}.addListener"))
        self._protocol_service = protocol_service
        self._config_section = config_section
        self._unique = unique

    def key(self, name: str) -> tuple[str, str]:
        return (self.service_name, name)

    def state(self, request: MemberRequest, name: str) -> CollectionState:
        """The collection's state, created (from its configuration) on first use."""
        config = request.cluster.structure_configs.lookup(self._config_section, name)
        unique = self._unique
        state: CollectionState = request.state(
            self.key(name), lambda: CollectionState(config.capacity, config.total_backup_count, unique=unique)
        )
        return state

    def items(self, request: MemberRequest, name: str) -> Any:
        """The collection's items (a list, or a dict for a set); a new empty one if it was never written."""
        found = request.find_state(self.key(name))
        if found is not None:
            return found.items
        return {} if self._unique else []

    # -- handlers ------------------------------------------------------------------------------------------------------

    def size(self, request: MemberRequest) -> int:
        return len(self.items(request, request.params))

    def is_empty(self, request: MemberRequest) -> bool:
        return not self.items(request, request.params)

    def contains(self, request: MemberRequest) -> bool:
        return request.params.value in self.items(request, request.params.name)

    def contains_all(self, request: MemberRequest) -> bool:
        # (name, values) for a list, (name, items) for a set.
        name, values = request.params
        items = self.items(request, name)
        present = items if self._unique else set(items)
        return all(value in present for value in values)

    def get_all(self, request: MemberRequest) -> list[bytes]:
        return list(self.items(request, request.params))

    def clear(self, request: MemberRequest) -> None:
        name = request.params
        state = request.find_state(self.key(name))
        if state is None or not state.items:
            return
        removed = list(state.items)
        mutate(request, state, self.key(name), lambda target: target.items.clear() or True)
        self.events.publish(request, self.key(name), removed, ITEM_REMOVED)

    def add_listener(self, request: MemberRequest) -> Any:
        return ItemEvents.add_listener(request, self.key(request.params.name))

    def remove_listener(self, request: MemberRequest) -> bool:
        return ItemEvents.remove_listener(request, self.key(request.params.name))

    @staticmethod
    def destroy(cluster: EmbeddedCluster, service_name: str, name: str) -> None:
        cluster.events.remove_topic((service_name, name))

    def service_spec(self, own_handlers: Mapping[str, Handler]) -> MemberServiceSpec:
        """The member-side service of this kind of collection: the shared handlers and ``own_handlers``."""
        service = self._protocol_service
        return MemberServiceSpec(
            name=service,
            handlers={
                f"{service}.size": self.size,
                f"{service}.isEmpty": self.is_empty,
                f"{service}.contains": self.contains,
                f"{service}.containsAll": self.contains_all,
                f"{service}.getAll": self.get_all,
                f"{service}.clear": self.clear,
                f"{service}.addListener": self.add_listener,
                f"{service}.removeListener": self.remove_listener,
                **own_handlers,
            },
            object_service_names=(self.service_name,),
            destroy_object=self.destroy,
        )
