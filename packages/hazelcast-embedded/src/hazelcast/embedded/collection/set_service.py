"""The member side of ISet: the Set protocol messages over the set's state in the partition of its name."""

from __future__ import annotations

from typing import Any

from hazelcast.embedded.collection.state import ITEM_ADDED, ITEM_REMOVED, CollectionState, ItemEvents, mutate
from hazelcast.embedded.requests import MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec
from hazelcast.protocol import method

__all__ = ["SET_SERVICE", "SET_SERVICE_NAME"]

#: The distributed-object service name of sets.
SET_SERVICE_NAME = "hz:impl:setService"
_EVENTS = ItemEvents(method("Set.addListener"))


def _key(name: str) -> tuple[str, str]:
    return (SET_SERVICE_NAME, name)


def _state(request: MemberRequest, name: str) -> CollectionState:
    config = request.cluster.structure_configs.lookup("set", name)
    return request.state(_key(name), lambda: CollectionState(config.capacity, config.total_backup_count, unique=True))


def _items(request: MemberRequest, name: str) -> dict[bytes, None]:
    found = request.find_state(_key(name))
    return found.items if found is not None else {}


def set_size(request: MemberRequest) -> int:
    return len(_items(request, request.params))


def set_is_empty(request: MemberRequest) -> bool:
    return not _items(request, request.params)


def set_contains(request: MemberRequest) -> bool:
    return request.params.value in _items(request, request.params.name)


def set_contains_all(request: MemberRequest) -> bool:
    items = _items(request, request.params.name)
    return all(value in items for value in request.params.items)


def set_get_all(request: MemberRequest) -> list[bytes]:
    return list(_items(request, request.params))


def _add(request: MemberRequest, name: str, values: list[bytes]) -> bool:
    state = _state(request, name)
    new = list(dict.fromkeys(value for value in values if value not in state.items))
    # As on a Java member, a set without room for every new item adds none of them.
    if not new or len(state.items) + len(new) > state.capacity:
        return False

    def add(target: CollectionState) -> bool:
        target.items.update(dict.fromkeys(new))
        return True

    mutate(request, state, _key(name), add)
    _EVENTS.publish(request, _key(name), new, ITEM_ADDED)
    return True


def set_add(request: MemberRequest) -> bool:
    return _add(request, request.params.name, [request.params.value])


def set_add_all(request: MemberRequest) -> bool:
    return _add(request, request.params.name, request.params.value_list)


def _remove(request: MemberRequest, name: str, removed: list[bytes]) -> bool:
    state = request.find_state(_key(name))
    if state is None or not removed:
        return False

    def remove(target: CollectionState) -> bool:
        for value in removed:
            target.items.pop(value, None)
        return True

    mutate(request, state, _key(name), remove)
    _EVENTS.publish(request, _key(name), removed, ITEM_REMOVED)
    return True


def set_remove(request: MemberRequest) -> bool:
    params = request.params
    present = params.value in _items(request, params.name)
    return present and _remove(request, params.name, [params.value])


def set_compare_and_remove_all(request: MemberRequest) -> bool:
    params = request.params
    items = _items(request, params.name)
    return _remove(request, params.name, [value for value in dict.fromkeys(params.values) if value in items])


def set_compare_and_retain_all(request: MemberRequest) -> bool:
    params = request.params
    wanted = set(params.values)
    return _remove(request, params.name, [item for item in _items(request, params.name) if item not in wanted])


def set_clear(request: MemberRequest) -> None:
    name = request.params
    _remove(request, name, list(_items(request, name)))


def set_add_listener(request: MemberRequest) -> Any:
    return ItemEvents.add_listener(request, _key(request.params.name))


def set_remove_listener(request: MemberRequest) -> bool:
    return ItemEvents.remove_listener(request, _key(request.params.name))


def _destroy(cluster: Any, service_name: str, name: str) -> None:
    cluster.events.remove_topic((service_name, name))


SET_SERVICE = MemberServiceSpec(
    name="Set",
    handlers={
        "Set.size": set_size,
        "Set.isEmpty": set_is_empty,
        "Set.contains": set_contains,
        "Set.containsAll": set_contains_all,
        "Set.getAll": set_get_all,
        "Set.add": set_add,
        "Set.addAll": set_add_all,
        "Set.remove": set_remove,
        "Set.compareAndRemoveAll": set_compare_and_remove_all,
        "Set.compareAndRetainAll": set_compare_and_retain_all,
        "Set.clear": set_clear,
        "Set.addListener": set_add_listener,
        "Set.removeListener": set_remove_listener,
    },
    object_service_names=(SET_SERVICE_NAME,),
    destroy_object=_destroy,
)
