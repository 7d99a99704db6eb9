"""The member side of ISet: the Set protocol messages over the set's state in the partition of its name."""

from __future__ import annotations

from hazelcast.embedded.collection.handlers import list_or_set_handlers
from hazelcast.embedded.collection.state import ITEM_ADDED, ITEM_REMOVED, CollectionState, mutate
from hazelcast.embedded.requests import MemberRequest

__all__ = ["SET_SERVICE", "SET_SERVICE_NAME"]

#: The distributed-object service name of sets.
SET_SERVICE_NAME = "hz:impl:setService"
_SETS = list_or_set_handlers("Set", SET_SERVICE_NAME, "set", unique=True)


def _add(request: MemberRequest, name: str, values: list[bytes]) -> bool:
    state = _SETS.state(request, name)
    new = list(dict.fromkeys(value for value in values if value not in state.items))
    # As on a Java member, a set without room for every new item adds none of them.
    if not new or len(state.items) + len(new) > state.capacity:
        return False

    def add(target: CollectionState) -> bool:
        target.items.update(dict.fromkeys(new))
        return True

    mutate(request, state, _SETS.key(name), add)
    _SETS.events.publish(request, _SETS.key(name), new, ITEM_ADDED)
    return True


def set_add(request: MemberRequest) -> bool:
    return _add(request, request.params.name, [request.params.value])


def set_add_all(request: MemberRequest) -> bool:
    return _add(request, request.params.name, request.params.value_list)


def _remove(request: MemberRequest, name: str, removed: list[bytes]) -> bool:
    state = request.find_state(_SETS.key(name))
    if state is None or not removed:
        return False

    def remove(target: CollectionState) -> bool:
        for value in removed:
            target.items.pop(value, None)
        return True

    mutate(request, state, _SETS.key(name), remove)
    _SETS.events.publish(request, _SETS.key(name), removed, ITEM_REMOVED)
    return True


def set_remove(request: MemberRequest) -> bool:
    params = request.params
    present = params.value in _SETS.items(request, params.name)
    return present and _remove(request, params.name, [params.value])


def set_compare_and_remove_all(request: MemberRequest) -> bool:
    params = request.params
    items = _SETS.items(request, params.name)
    return _remove(request, params.name, [value for value in dict.fromkeys(params.values) if value in items])


def set_compare_and_retain_all(request: MemberRequest) -> bool:
    params = request.params
    wanted = set(params.values)
    return _remove(request, params.name, [item for item in _SETS.items(request, params.name) if item not in wanted])


SET_SERVICE = _SETS.service_spec(
    {
        "Set.getAll": _SETS.get_all,
        "Set.clear": _SETS.clear,
        "Set.add": set_add,
        "Set.addAll": set_add_all,
        "Set.remove": set_remove,
        "Set.compareAndRemoveAll": set_compare_and_remove_all,
        "Set.compareAndRetainAll": set_compare_and_retain_all,
    }
)
