"""What lists, sets and queues share on the member: their per-partition state and item events.

A list, set or queue lives whole in the partition of its name (``cluster.name_partition_id``), on that partition's
owner and its backup replicas. Every mutation is a deterministic function of the state: the owner applies it, and
:func:`mutate` applies the very same function to each backup replica (which holds an identical copy), so backups
never need a snapshot of the whole collection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from hazelcast.embedded.spec import PartitionState
from hazelcast.protocol import MethodCodec

if TYPE_CHECKING:
    from hazelcast.embedded.events import EventRegistration
    from hazelcast.embedded.requests import MemberRequest

__all__ = ["ITEM_ADDED", "ITEM_REMOVED", "CollectionState", "ItemEvents", "mutate"]

#: ItemEventType values on the wire.
ITEM_ADDED = 1
ITEM_REMOVED = 2

#: The state of a list, a set or a queue (:class:`CollectionState`, ``QueueState``).
_State = TypeVar("_State", bound=PartitionState)


class CollectionState:
    """The items of one list or set in its partition: a :class:`~hazelcast.embedded.spec.PartitionState`.

    Items are serialized ``Data`` bytes, compared by bytes as a Java member compares them. A list keeps a Python
    list; a set keeps an insertion-ordered dict (fast membership, stable iteration order).
    """

    __slots__ = ("items", "capacity", "backup_count", "unique")

    def __init__(self, capacity: int, backup_count: int, unique: bool) -> None:
        self.capacity = capacity
        self.backup_count = backup_count
        self.unique = unique
        self.items: Any = {} if unique else []

    def copy(self) -> CollectionState:
        clone = self.new_backup()
        clone.items = self.items.copy()
        return clone

    def new_backup(self) -> CollectionState:
        return CollectionState(self.capacity, self.backup_count, self.unique)

    def __len__(self) -> int:
        return len(self.items)

    def values(self) -> list[bytes]:
        return list(self.items)


def mutate(request: MemberRequest, state: _State, key: tuple[str, str], change: Callable[[_State], Any]) -> Any:
    """Apply ``change`` to the owner's state and, when it changed anything (a truthy result), to the backups."""
    result = change(state)
    if result and request.has_backups(state):
        request.backup(state, key, change)
    return result


class ItemEvents:
    """Publishes the item events of one kind of collection through the cluster's shared event registry.

    A registration's options are its ``include_value`` flag. Events originate on the partition owner and carry its
    uuid, as a Java member's do.
    """

    __slots__ = ("_encode",)

    def __init__(self, add_listener_codec: MethodCodec) -> None:
        self._encode = add_listener_codec.encode_event[0]

    def publish(self, request: MemberRequest, key: tuple[str, str], items: list[bytes], event_type: int) -> None:
        cluster = request.cluster
        events = cluster.events
        if not items or not events.has_listeners(key):
            return
        partition_id = request.partition_id
        member_uuid = cluster.owner_of(partition_id).uuid
        encode = self._encode
        for item in items:

            def encode_item(registration: EventRegistration, item: bytes = item) -> bytearray:
                return encode(item if registration.options else None, member_uuid, event_type)

            events.publish_on_partition(key, partition_id, encode_item)

    @staticmethod
    def add_listener(request: MemberRequest, key: tuple[str, str]) -> Any:
        params = request.params
        return request.cluster.events.add(request, key, params.local_only, params.include_value)

    @staticmethod
    def remove_listener(request: MemberRequest, key: tuple[str, str]) -> bool:
        return request.cluster.events.remove(request, request.params.registration_id)
