"""The member side of IList: the List protocol messages over the list's state in the partition of its name."""

from __future__ import annotations

from hazelcast.embedded.collection.handlers import list_or_set_handlers
from hazelcast.embedded.collection.state import ITEM_ADDED, ITEM_REMOVED, CollectionState, mutate
from hazelcast.embedded.requests import MemberRequest
from hazelcast.errors import IllegalStateError, IndexOutOfBoundsError

__all__ = ["LIST_SERVICE", "LIST_SERVICE_NAME"]

#: The distributed-object service name of lists.
LIST_SERVICE_NAME = "hz:impl:listService"
_LISTS = list_or_set_handlers("List", LIST_SERVICE_NAME, "list", unique=False)


def _check_index(index: int, size: int) -> None:
    if not 0 <= index < size:
        raise IndexOutOfBoundsError(f"index {index} out of range for a list of size {size}")


def _check_insert_index(index: int, size: int) -> None:
    if not 0 <= index <= size:
        raise IndexOutOfBoundsError(f"index {index} out of range for inserting into a list of size {size}")


# -- reads ------------------------------------------------------------------------------------------------------------


def list_get(request: MemberRequest) -> bytes:
    items: list[bytes] = _LISTS.items(request, request.params.name)
    index: int = request.params.index
    _check_index(index, len(items))
    return items[index]


def list_index_of(request: MemberRequest) -> int:
    items: list[bytes] = _LISTS.items(request, request.params.name)
    try:
        return items.index(request.params.value)
    except ValueError:
        return -1


def list_last_index_of(request: MemberRequest) -> int:
    items = _LISTS.items(request, request.params.name)
    value = request.params.value
    for index in range(len(items) - 1, -1, -1):
        if items[index] == value:
            return index
    return -1


def list_sub(request: MemberRequest) -> list[bytes]:
    params = request.params
    items: list[bytes] = _LISTS.items(request, params.name)
    if params.from_ < 0 or params.to > len(items):
        raise IndexOutOfBoundsError(f"sub list [{params.from_}, {params.to}) out of range for size {len(items)}")
    if params.from_ > params.to:
        raise ValueError(f"from index {params.from_} > to index {params.to}")
    return items[params.from_:params.to]


def list_iterator(request: MemberRequest) -> list[bytes]:
    return list(_LISTS.items(request, request.params))


def list_list_iterator(request: MemberRequest) -> list[bytes]:
    items: list[bytes] = _LISTS.items(request, request.params.name)
    _check_insert_index(request.params.index, len(items))
    return items[request.params.index:]


# -- writes -----------------------------------------------------------------------------------------------------------


def _insert(request: MemberRequest, name: str, index: int | None, values: list[bytes]) -> bool:
    """Insert ``values`` at ``index`` (None: append); False when the list has no room for all of them."""
    state = _LISTS.state(request, name)
    if len(state.items) + len(values) > state.capacity:
        return False
    if index is not None:
        _check_insert_index(index, len(state.items))
    if not values:
        return False

    def insert(target: CollectionState) -> bool:
        if index is None:
            target.items.extend(values)
        else:
            target.items[index:index] = values
        return True

    mutate(request, state, _LISTS.key(name), insert)
    _LISTS.events.publish(request, _LISTS.key(name), values, ITEM_ADDED)
    return True


def list_add(request: MemberRequest) -> bool:
    return _insert(request, request.params.name, None, [request.params.value])


def list_add_all(request: MemberRequest) -> bool:
    return _insert(request, request.params.name, None, request.params.value_list)


def list_add_with_index(request: MemberRequest) -> None:
    params = request.params
    if not _insert(request, params.name, params.index, [params.value]):
        raise IllegalStateError(f"list {params.name!r} is full")


def list_add_all_with_index(request: MemberRequest) -> bool:
    params = request.params
    return _insert(request, params.name, params.index, params.value_list)


def list_set(request: MemberRequest) -> bytes:
    params = request.params
    state = _LISTS.state(request, params.name)
    _check_index(params.index, len(state.items))
    old: bytes = state.items[params.index]

    def replace(target: CollectionState) -> bool:
        target.items[params.index] = params.value
        return True

    mutate(request, state, _LISTS.key(params.name), replace)
    _LISTS.events.publish(request, _LISTS.key(params.name), [old], ITEM_REMOVED)
    _LISTS.events.publish(request, _LISTS.key(params.name), [params.value], ITEM_ADDED)
    return old


def list_remove(request: MemberRequest) -> bool:
    params = request.params
    state = request.find_state(_LISTS.key(params.name))
    if state is None or params.value not in state.items:
        return False
    mutate(request, state, _LISTS.key(params.name), lambda target: target.items.remove(params.value) or True)
    _LISTS.events.publish(request, _LISTS.key(params.name), [params.value], ITEM_REMOVED)
    return True


def list_remove_with_index(request: MemberRequest) -> bytes:
    params = request.params
    state = _LISTS.state(request, params.name)
    _check_index(params.index, len(state.items))
    removed: bytes = state.items[params.index]
    mutate(request, state, _LISTS.key(params.name), lambda target: target.items.pop(params.index) is not None)
    _LISTS.events.publish(request, _LISTS.key(params.name), [removed], ITEM_REMOVED)
    return removed


def _filter(request: MemberRequest, name: str, values: list[bytes], retain: bool) -> bool:
    state = request.find_state(_LISTS.key(name))
    if state is None:
        return False
    wanted = set(values)
    removed = [item for item in state.items if (item in wanted) != retain]
    if not removed:
        return False

    def keep(target: CollectionState) -> bool:
        target.items[:] = [item for item in target.items if (item in wanted) == retain]
        return True

    mutate(request, state, _LISTS.key(name), keep)
    _LISTS.events.publish(request, _LISTS.key(name), removed, ITEM_REMOVED)
    return True


def list_compare_and_remove_all(request: MemberRequest) -> bool:
    return _filter(request, request.params.name, request.params.values, retain=False)


def list_compare_and_retain_all(request: MemberRequest) -> bool:
    return _filter(request, request.params.name, request.params.values, retain=True)


LIST_SERVICE = _LISTS.service_spec(
    {
        "List.getAll": _LISTS.get_all,
        "List.clear": _LISTS.clear,
        "List.get": list_get,
        "List.indexOf": list_index_of,
        "List.lastIndexOf": list_last_index_of,
        "List.sub": list_sub,
        "List.iterator": list_iterator,
        "List.listIterator": list_list_iterator,
        "List.add": list_add,
        "List.addAll": list_add_all,
        "List.addWithIndex": list_add_with_index,
        "List.addAllWithIndex": list_add_all_with_index,
        "List.set": list_set,
        "List.remove": list_remove,
        "List.removeWithIndex": list_remove_with_index,
        "List.compareAndRemoveAll": list_compare_and_remove_all,
        "List.compareAndRetainAll": list_compare_and_retain_all,
    }
)
