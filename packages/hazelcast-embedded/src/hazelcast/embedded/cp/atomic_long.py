"""AtomicLong: a 64-bit counter in a CP group.

``alter``/``apply`` receive the client's function as IdentifiedDataSerializable data; the member creates the Python
class registered for its factory and class id (hook ``hazelcast_embedded_server_classes``) and calls
``function.apply(value)`` with the current value (an int), expecting an int back for ``alter``.
"""

from __future__ import annotations

from typing import Any

from hazelcast.embedded.cp.state import ATOMIC_LONG_SERVICE, cp_state
from hazelcast.embedded.requests import MemberRequest

__all__ = ["ATOMIC_LONG_HANDLERS", "AtomicLongState"]

_RETURN_OLD = 0


def to_long(value: int) -> int:
    """Wrap an int to a signed 64-bit value, as Java's long arithmetic does."""
    return ((value + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


class AtomicLongState:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


def _state(request: MemberRequest) -> AtomicLongState:
    params = request.params
    return cp_state(request.cluster).structure(params.group_id, ATOMIC_LONG_SERVICE, params.name, AtomicLongState)


def _add_and_get(request: MemberRequest) -> int:
    state = _state(request)
    state.value = to_long(state.value + request.params.delta)
    return state.value


def _get_and_add(request: MemberRequest) -> int:
    state = _state(request)
    old = state.value
    state.value = to_long(old + request.params.delta)
    return old


def _get_and_set(request: MemberRequest) -> int:
    state = _state(request)
    old, state.value = state.value, request.params.new_value
    return old


def _compare_and_set(request: MemberRequest) -> bool:
    state = _state(request)
    params = request.params
    if state.value != params.expected:
        return False
    state.value = params.updated
    return True


def _get(request: MemberRequest) -> int:
    return _state(request).value


def _alter(request: MemberRequest) -> int:
    state = _state(request)
    params = request.params
    function = request.cluster.to_object(params.function)
    old = state.value
    new = function.apply(old)
    if isinstance(new, bool) or not isinstance(new, int):
        raise TypeError(f"the function of AtomicLong {params.name!r} returned {type(new).__name__}, not an int")
    state.value = to_long(new)
    return old if params.return_value_type == _RETURN_OLD else state.value


def _apply(request: MemberRequest) -> Any:
    state = _state(request)
    function = request.cluster.to_object(request.params.function)
    return request.cluster.to_data(function.apply(state.value))


ATOMIC_LONG_HANDLERS = {
    "AtomicLong.addAndGet": _add_and_get,
    "AtomicLong.getAndAdd": _get_and_add,
    "AtomicLong.getAndSet": _get_and_set,
    "AtomicLong.compareAndSet": _compare_and_set,
    "AtomicLong.get": _get,
    "AtomicLong.alter": _alter,
    "AtomicLong.apply": _apply,
}
