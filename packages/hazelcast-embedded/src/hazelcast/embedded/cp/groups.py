"""CPGroup messages: creating (finding) the CP group of a proxy name, and destroying a CP data structure for good."""

from __future__ import annotations

from typing import Any

from hazelcast.embedded.cp.state import cp_state
from hazelcast.embedded.requests import MemberRequest

__all__ = ["GROUP_HANDLERS"]


def _create_group(request: MemberRequest) -> Any:
    return cp_state(request.cluster).create_group(request.params)


def _destroy_object(request: MemberRequest) -> None:
    params = request.params
    cp_state(request.cluster).destroy(params.group_id, params.service_name, params.object_name)


GROUP_HANDLERS = {
    "CPGroup.createCPGroup": _create_group,
    "CPGroup.destroyCPObject": _destroy_object,
}
