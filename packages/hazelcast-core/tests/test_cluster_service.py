"""The cluster service without a cluster: member list diffs, listeners, public addresses."""

from __future__ import annotations

import asyncio
import uuid

from hazelcast._internal.callbacks import CallbackRunner
from hazelcast._internal.cluster import ClusterService
from hazelcast.core import Address, EndpointQualifier, MemberInfo, MemberVersion, ProtocolType


def _member(n: int, public: Address | None = None) -> MemberInfo:
    address_map = {EndpointQualifier(ProtocolType.MEMBER, None): Address("10.0.0.1", 5700 + n)}
    if public is not None:
        address_map[EndpointQualifier(ProtocolType.CLIENT, "public")] = public
    return MemberInfo(uuid.UUID(int=n), Address("10.0.0.1", 5700 + n), False, {}, MemberVersion(5, 5, 0), address_map)


async def test_members_view_fires_added_and_removed_once_and_ignores_stale_versions() -> None:
    loop = asyncio.get_running_loop()
    service = ClusterService(loop, CallbackRunner(loop))
    added, removed = [], []
    service.add_listener(added.append, removed.append)
    service.handle_members_view(1, [_member(1), _member(2)])
    service.handle_members_view(2, [_member(2), _member(3)])
    service.handle_members_view(1, [_member(9)])  # older than what we have
    assert [m.uuid.int for m in added] == [1, 2, 3]
    assert [m.uuid.int for m in removed] == [1]
    assert sorted(m.uuid.int for m in service.get_members()) == [2, 3]
    assert [m.uuid.int for m in service.get_members(lambda m: m.uuid.int == 3)] == [3]


async def test_public_addresses_are_used_only_when_asked() -> None:
    loop = asyncio.get_running_loop()
    service = ClusterService(loop, CallbackRunner(loop))
    behind_nat = _member(1, public=Address("203.0.113.7", 31000))
    plain = _member(2)
    service.handle_members_view(1, [behind_nat, plain])
    assert service.member_addresses() == [Address("10.0.0.1", 5701), Address("10.0.0.1", 5702)]
    service.use_public_ip = True
    assert service.member_addresses() == [Address("203.0.113.7", 31000), Address("10.0.0.1", 5702)]
