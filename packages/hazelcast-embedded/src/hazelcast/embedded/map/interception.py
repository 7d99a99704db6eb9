"""Map interceptors on the member: ``Map.addInterceptor`` / ``Map.removeInterceptor``.

A client sends its interceptor as an IdentifiedDataSerializable object; the member runs the Python server class
registered for its factory and class id (hook ``hazelcast_embedded_server_classes``). The member calls, on every
interceptor of the map in the order they were added, those of these methods the class defines:

* ``intercept_get(value)`` before a ``get`` answers (``value`` may be None): return a replacement, or None to keep it;
  ``after_get(value)`` after it.
* ``intercept_put(old_value, new_value)`` before ``put``/``set``/``put_transient``/``try_put`` write (``old_value`` is
  None for a new entry): return the value to write instead, or None to write ``new_value``; ``after_put(value)``
  after the write.
* ``intercept_remove(removed_value)`` before ``remove``/``delete`` remove an entry: raise to cancel the removal (the
  client receives the error), return a value for ``remove`` to answer instead, or None; ``after_remove(value)``
  after it.

Values are Python objects when the member can deserialize them (built-in types, server classes), else
``GenericRecord``/``OpaqueValue``, as for entry processors. ``addInterceptor`` answers an id for
``removeInterceptor``; the same interceptor (equal bytes) added twice is registered once, under the same id.
Interceptors live as long as the map.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.map.locks import must_wait
from hazelcast.embedded.query.aggregation import result_data
from hazelcast.embedded.query.extraction import extraction_context
from hazelcast.embedded.query.predicates import server_object
from hazelcast.embedded.requests import MemberRequest
from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster

__all__ = ["forget_interceptors", "with_interceptors"]

_METHODS = ("intercept_get", "after_get", "intercept_put", "after_put", "intercept_remove", "after_remove")
_interceptors: weakref.WeakKeyDictionary[Any, dict[str, dict[str, Any]]] = weakref.WeakKeyDictionary()
# Set once any interceptor was added in this process: until then the wrapped handlers go straight to the map's own.
_any_interceptor = False


def _service() -> Any:
    from hazelcast.embedded.map import service

    return service


def forget_interceptors(cluster: EmbeddedCluster, name: str | None) -> None:
    """The map ``name`` was destroyed (None: every map, as a new cluster forms): its interceptors go with it."""
    if name is None:
        _interceptors.pop(cluster, None)
    else:
        _interceptors.get(cluster, {}).pop(name, None)


def map_add_interceptor(request: MemberRequest) -> str:
    global _any_interceptor
    params = request.params
    interceptor = server_object(request.cluster, params.interceptor)
    if not any(callable(getattr(interceptor, method, None)) for method in _METHODS):
        raise IllegalArgumentError(f"{interceptor!r} is not an interceptor (it has none of {', '.join(_METHODS)})")
    registration_id = hashlib.sha1(params.interceptor[4:], usedforsecurity=False).hexdigest()
    chain = _interceptors.setdefault(request.cluster, {}).setdefault(params.name, {})
    chain.setdefault(registration_id, interceptor)
    _any_interceptor = True
    return registration_id


def map_remove_interceptor(request: MemberRequest) -> bool:
    params = request.params
    chain = _interceptors.get(request.cluster, {}).get(params.name)
    return bool(chain) and chain.pop(params.id, None) is not None  # type: ignore[union-attr]


def _chain(request: MemberRequest) -> list[Any]:
    if not _any_interceptor:
        return []
    return list(_interceptors.get(request.cluster, {}).get(request.params.name, {}).values())


def _read(request: MemberRequest, data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return request.cluster.to_object(data)
    except HazelcastSerializationError:
        return extraction_context(request.cluster).read_value(data)


def _current_value(request: MemberRequest) -> bytes | None:
    store, _ = _service()._owned_store(request, request.params.name, False)
    if store is None:
        return None
    record = store.records.get(request.params.key)
    return None if record is None or record.expiration_time <= _service()._now() else record.value


def _call_each(chain: list[Any], method: str, *args: Any) -> None:
    for interceptor in chain:
        hook = getattr(interceptor, method, None)
        if hook is not None:
            hook(*args)


def _intercepted_get(original: Callable[[MemberRequest], Any]) -> Callable[[MemberRequest], Any]:
    def handler(request: MemberRequest) -> Any:
        result = original(request)
        if not _any_interceptor:
            return result
        chain = _chain(request)
        if not chain:
            return result
        value = _read(request, result)
        replaced = False
        for interceptor in chain:
            hook = getattr(interceptor, "intercept_get", None)
            if hook is not None:
                replacement = hook(value)
                if replacement is not None:
                    value, replaced = replacement, True
        _call_each(chain, "after_get", value)
        return result_data(request.cluster, value) if replaced else result

    return handler


def _intercepted_put(original: Callable[[MemberRequest], Any]) -> Callable[[MemberRequest], Any]:
    def handler(request: MemberRequest) -> Any:
        if not _any_interceptor:
            return original(request)
        chain = _chain(request)
        if not chain or must_wait(request):
            # Without interceptors, or waiting for the key's lock: the handler runs again through here once it goes.
            return original(request)
        params = request.params
        old_value = _read(request, _current_value(request))
        new_value = _read(request, params.value)
        replaced = False
        for interceptor in chain:
            hook = getattr(interceptor, "intercept_put", None)
            if hook is not None:
                replacement = hook(old_value, new_value)
                if replacement is not None:
                    new_value, replaced = replacement, True
        if replaced:
            request.params = params._replace(value=result_data(request.cluster, new_value))
        result = original(request)
        _call_each(chain, "after_put", new_value)
        return result

    return handler


def _intercepted_remove(
    original: Callable[[MemberRequest], Any], returns_value: bool
) -> Callable[[MemberRequest], Any]:
    def handler(request: MemberRequest) -> Any:
        if not _any_interceptor:
            return original(request)
        chain = _chain(request)
        if not chain or must_wait(request):
            return original(request)
        current = _current_value(request)
        removed = _read(request, current)
        answer: Any = None
        if current is not None:
            for interceptor in chain:
                hook = getattr(interceptor, "intercept_remove", None)
                if hook is not None:
                    replacement = hook(removed)
                    if replacement is not None:
                        answer = replacement
        result = original(request)
        if current is not None:
            _call_each(chain, "after_remove", removed)
        if returns_value and answer is not None:
            return result_data(request.cluster, answer)
        return result

    return handler


_WRAPPERS: dict[str, Callable[[Callable[[MemberRequest], Any]], Callable[[MemberRequest], Any]]] = {
    "Map.get": _intercepted_get,
    "Map.put": _intercepted_put,
    "Map.putWithMaxIdle": _intercepted_put,
    "Map.set": _intercepted_put,
    "Map.setWithMaxIdle": _intercepted_put,
    "Map.putTransient": _intercepted_put,
    "Map.putTransientWithMaxIdle": _intercepted_put,
    "Map.tryPut": _intercepted_put,
    "Map.remove": lambda original: _intercepted_remove(original, True),
    "Map.delete": lambda original: _intercepted_remove(original, False),
}


def with_interceptors(handlers: dict[str, Callable[[MemberRequest], Any]]) -> dict[str, Callable[[MemberRequest], Any]]:
    """The map service's handlers with ``Map.addInterceptor``/``removeInterceptor`` added and the intercepted
    operations (gets, puts, removals) wrapped so that the map's interceptors run around them."""
    wrapped = {name: _WRAPPERS[name](handler) if name in _WRAPPERS else handler for name, handler in handlers.items()}
    wrapped["Map.addInterceptor"] = map_add_interceptor
    wrapped["Map.removeInterceptor"] = map_remove_interceptor
    return wrapped
