"""The handlers lists, sets and queues share on the member, over the state of one kind of collection.

Lists, sets and queues answer ``size``, ``isEmpty``, ``contains``, ``containsAll`` and their listener messages the
same way, and lists and sets ``getAll`` (a queue's ``iterator``) and ``clear`` too; only their service name,
configuration section and state differ (a list of Data for a list, an insertion-ordered dict of Data for a set, a
deque for a queue), and :class:`CollectionHandlers` holds those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from hazelcast.embedded.collection.state import ITEM_REMOVED, CollectionState, ItemEvents, mutate
from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import Handler, MemberServiceSpec, PartitionState
from hazelcast.protocol import method

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["CollectionHandlers", "list_or_set_handlers"]

_State = TypeVar("_State", bound=PartitionState)


class CollectionHandlers(Generic[_State]):
    """One kind of collection (lists, sets or queues): its state in the partition of each name and the handlers of
    the messages the kinds answer alike; :meth:`service_spec` adds a kind's own handlers to them.

    ``new_state(config)`` makes the state of a new collection from its configuration section's settings;
    ``empty_items()`` stands for the items of one never written.
    """

    __slots__ = ("service_name", "events", "_protocol_service", "_config_section", "_new_state", "_empty_items")

    def __init__(self, protocol_service: str, service_name: str, config_section: str,
                 new_state: Callable[[Any], _State], empty_items: Callable[[], Any]) -> None:
        #: The distributed-object service name (``hz:impl:listService``...).
        self.service_name = service_name
        self.events = ItemEvents(method(f"{protocol_service}.addListener"))
        self._protocol_service = protocol_service
        self._config_section = config_section
        self._new_state = new_state
        self._empty_items = empty_items

    def key(self, name: str) -> tuple[str, str]:
        return (self.service_name, name)

    def state(self, request: MemberRequest, name: str) -> _State:
        """The collection's state, created (from its configuration) on first use."""
        key = (self.service_name, name)
        state: _State | None = request.find_state(key)
        if state is None:
            config = request.cluster.structure_configs.lookup(self._config_section, name)
            new_state = self._new_state
            state = request.state(key, lambda: new_state(config))
        return state

    def items(self, request: MemberRequest, name: str) -> Any:
        """The collection's items; a new empty one if it was never written."""
        found = request.find_state(self.key(name))
        if found is not None:
            return found.items
        return self._empty_items()

    # -- handlers ------------------------------------------------------------------------------------------------------

    def size(self, request: MemberRequest) -> int:
        return len(self.items(request, request.params))

    def is_empty(self, request: MemberRequest) -> bool:
        return not self.items(request, request.params)

    def contains(self, request: MemberRequest) -> bool:
        return request.params.value in self.items(request, request.params.name)

    def contains_all(self, request: MemberRequest) -> bool:
        # (name, values) for a list, (name, items) for a set, (name, dataList) for a queue.
        name, values = request.params
        items = self.items(request, name)
        present = items if isinstance(items, dict) else set(items)
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

    def service_spec(
        self,
        own_handlers: Mapping[str, Handler],
        destroy: Callable[[EmbeddedCluster, str, str], None] | None = None,
    ) -> MemberServiceSpec:
        """The member-side service of this kind of collection: the handlers every kind shares and ``own_handlers``;
        destroying an object runs ``destroy`` (by default :meth:`destroy`)."""
        service = self._protocol_service
        return MemberServiceSpec(
            name=service,
            handlers={
                f"{service}.size": self.size,
                f"{service}.isEmpty": self.is_empty,
                f"{service}.contains": self.contains,
                f"{service}.containsAll": self.contains_all,
                f"{service}.addListener": self.add_listener,
                f"{service}.removeListener": self.remove_listener,
                **own_handlers,
            },
            object_service_names=(self.service_name,),
            destroy_object=destroy or self.destroy,
        )


def list_or_set_handlers(
    protocol_service: str, service_name: str, config_section: str, unique: bool
) -> CollectionHandlers[CollectionState]:
    """The handlers of lists or (``unique``) sets, whose state is a :class:`CollectionState`."""
    return CollectionHandlers(
        protocol_service,
        service_name,
        config_section,
        lambda config: CollectionState(config.capacity, config.total_backup_count, unique=unique),
        dict if unique else list,
    )
