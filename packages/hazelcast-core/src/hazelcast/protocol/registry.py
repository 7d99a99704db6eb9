"""Look up compiled codecs by protocol method name or message type.

Specs come from the catalogue (``hazelcast.protocol.messages``), one module per service imported on first use; a
method is compiled the first time it is asked for and cached for the life of the process.
"""

from __future__ import annotations

import importlib

from hazelcast.protocol.codec import MethodCodec
from hazelcast.protocol.messages import SERVICE_MODULES
from hazelcast.protocol.spec import MethodSpec

__all__ = ["method", "method_by_type", "specs_of_service"]

_by_name: dict[str, MethodCodec] = {}
_by_type: dict[int, MethodCodec] = {}
_specs_by_name: dict[str, MethodSpec] = {}
_loaded_services: set[int] = set()
_MODULE_BY_SERVICE_NAME = {name: (service_id, module) for service_id, (name, module) in SERVICE_MODULES.items()}


def specs_of_service(service_id: int) -> tuple[MethodSpec, ...]:
    _, module_name = SERVICE_MODULES[service_id]
    module = importlib.import_module(f"hazelcast.protocol.messages.{module_name}")
    specs: tuple[MethodSpec, ...] = module.METHODS
    if service_id not in _loaded_services:
        _specs_by_name.update((spec.name, spec) for spec in specs)
        _loaded_services.add(service_id)
    return specs


def _compile(spec: MethodSpec) -> MethodCodec:
    codec = MethodCodec(spec)
    _by_name[spec.name] = codec
    _by_type[spec.request_type] = codec
    return codec


def method(name: str) -> MethodCodec:
    """The codec of ``"Service.method"`` (e.g. ``"Map.put"``); KeyError names an unknown method."""
    codec = _by_name.get(name)
    if codec is not None:
        return codec
    service_name = name.partition(".")[0]
    service = _MODULE_BY_SERVICE_NAME.get(service_name)
    if service is None:
        raise KeyError(f"unknown protocol service {service_name!r} in {name!r}")
    specs_of_service(service[0])
    spec = _specs_by_name.get(name)
    if spec is None:
        raise KeyError(f"unknown protocol method {name!r}")
    return _compile(spec)


def method_by_type(message_type: int) -> MethodCodec | None:
    """The codec whose request type is ``message_type``, or None when the catalogue has no such message."""
    codec = _by_type.get(message_type)
    if codec is not None:
        return codec
    service_id = message_type >> 16
    if service_id not in SERVICE_MODULES or message_type & 0xFF:
        return None
    for spec in specs_of_service(service_id):
        if spec.request_type == message_type:
            return _compile(spec)
    return None
