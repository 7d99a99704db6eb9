"""AtomicReference: one serialized value (or None) in a CP group, compared by its bytes.

``alter``/``apply`` receive the client's function as IdentifiedDataSerializable data; the member creates the Python
class registered for its factory and class id (hook ``hazelcast_embedded_server_classes``) and calls
``function.apply(value)`` with the deserialized current value (None when unset).
"""

from __future__ import annotations

from typing import Any

from hazelcast.embedded.cp.state import ATOMIC_REF_SERVICE, cp_state
from hazelcast.embedded.requests import MemberRequest

__all__ = ["ATOMIC_REF_HANDLERS", "AtomicRefState"]

# AtomicRef.apply's returnValueType: what the response carries.
_NO_VALUE = 0
_OLD_VALUE = 1


class AtomicRefState:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: bytes | None = None


def _state(request: MemberRequest) -> AtomicRefState:
    params = request.params
    return cp_state(request.cluster).structure(params.group_id, ATOMIC_REF_SERVICE, params.name, AtomicRefState)


def _stored(data: bytes | None) -> bytes | None:
    """The bytes to keep for ``data``: None for a null Data (absent, or empty as some senders write it)."""
    return bytes(data) if data else None


def _same(left: bytes | None, right: bytes | None) -> bool:
    return _stored(left) == _stored(right)


def _get(request: MemberRequest) -> bytes | None:
    return _state(request).value


def _set(request: MemberRequest) -> bytes | None:
    state = _state(request)
    params = request.params
    old, state.value = state.value, _stored(params.new_value)
    return old if params.return_old_value else None


def _compare_and_set(request: MemberRequest) -> bool:
    state = _state(request)
    params = request.params
    if not _same(state.value, params.old_value):
        return False
    state.value = _stored(params.new_value)
    return True


def _contains(request: MemberRequest) -> bool:
    return _same(_state(request).value, request.params.value)


def _apply(request: MemberRequest) -> Any:
    state = _state(request)
    params = request.params
    cluster = request.cluster
    function = cluster.to_object(params.function)
    old = state.value
    result = cluster.to_data(function.apply(cluster.to_object(old)))
    if params.alter:
        state.value = _stored(result)
    if params.return_value_type == _NO_VALUE:
        return None
    if params.return_value_type == _OLD_VALUE:
        return old
    return result


ATOMIC_REF_HANDLERS = {
    "AtomicRef.get": _get,
    "AtomicRef.set": _set,
    "AtomicRef.compareAndSet": _compare_and_set,
    "AtomicRef.contains": _contains,
    "AtomicRef.apply": _apply,
}
