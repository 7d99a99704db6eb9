"""Declarative descriptions of protocol messages and custom types.

A :class:`MethodSpec` is one line of the message catalogue (``hazelcast.protocol.messages``): the request id, the
parameters of request, response and events, the partition rule and retryability. Parameters are written compactly as
``"name:Type? other:Type@2.7"``; :func:`parse_params` turns that into :class:`Param` records. Nothing here encodes bytes:
``hazelcast.protocol.codec`` compiles these specs into encoder and decoder functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "FIXED_SIZES",
    "CustomSpec",
    "EventSpec",
    "MethodSpec",
    "Param",
    "parse_params",
    "snake_case",
]

#: Byte sizes of the fixed-size types: these travel packed in a message's (or a custom type's) initial frame.
FIXED_SIZES = {"boolean": 1, "byte": 1, "int": 4, "long": 8, "float": 4, "UUID": 17}

_SNAKE_1 = re.compile(r"(.)([A-Z][a-z]+)")
_SNAKE_2 = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """``clusterName`` -> ``cluster_name``; the Python-side name of a protocol parameter or field."""
    return _SNAKE_2.sub(r"\1_\2", _SNAKE_1.sub(r"\1_\2", name)).lower()


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a message or one field of a custom type."""

    name: str
    type: str
    nullable: bool = False
    #: The protocol version that added the parameter, when later than its method or type; None otherwise.
    since: str | None = None

    @property
    def py_name(self) -> str:
        return snake_case(self.name)

    @property
    def is_fixed(self) -> bool:
        return self.type in FIXED_SIZES

    @property
    def size(self) -> int:
        return FIXED_SIZES[self.type]


_PARAM = re.compile(r"^(?P<name>\w+):(?P<type>\w+)(?P<nullable>\?)?(?:@(?P<since>[\d.]+))?$")


def parse_params(text: str) -> tuple[Param, ...]:
    """Parse the compact notation ``"name:Type? other:Type@2.7"`` into parameters, keeping their order."""
    params = []
    for token in text.split():
        match = _PARAM.match(token)
        if match is None:
            raise ValueError(f"malformed protocol parameter {token!r}")
        params.append(Param(match["name"], match["type"], bool(match["nullable"]), match["since"]))
    return tuple(params)


@dataclass(frozen=True, slots=True)
class EventSpec:
    """An event a listener registration may deliver; its message type is the method's id + 2 + its index."""

    name: str
    since: str
    params_text: str
    params: tuple[Param, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", parse_params(self.params_text))


@dataclass(frozen=True, slots=True)
class MethodSpec:
    """A request/response pair of the protocol, with the events its registration may deliver."""

    request_type: int
    name: str
    since: str
    #: ``"-1"`` (no partition), ``"key"``, ``"name"``, ``"partitionId"``, ... as the protocol definitions say.
    partition: str
    retryable: bool
    request_text: str
    response_text: str
    events: tuple[EventSpec, ...] = ()
    request: tuple[Param, ...] = field(init=False)
    response: tuple[Param, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "request", parse_params(self.request_text))
        object.__setattr__(self, "response", parse_params(self.response_text))

    @property
    def response_type(self) -> int:
        return self.request_type + 1

    def event_type(self, index: int) -> int:
        return self.request_type + 2 + index


@dataclass(frozen=True, slots=True)
class CustomSpec:
    """A composite type carried inside messages (Address, MemberInfo, ErrorHolder, ...)."""

    name: str
    since: str
    params_text: str
    params: tuple[Param, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", parse_params(self.params_text))
