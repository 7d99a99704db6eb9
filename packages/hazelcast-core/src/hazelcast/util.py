"""Load balancers: which member gets a request that no partition routes (``size``, ``clear``, queries...)."""

from __future__ import annotations

import abc
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hazelcast.cluster import ClusterService
    from hazelcast.core import MemberInfo

__all__ = ["LoadBalancer", "RandomLB", "RoundRobinLB"]


class LoadBalancer(abc.ABC):
    """Base of load balancers: ``init`` is called once with the cluster service, ``next`` per request."""

    @abc.abstractmethod
    def init(self, cluster_service: ClusterService) -> None:
        """Remember the cluster service to ask for members."""

    @abc.abstractmethod
    def next(self) -> MemberInfo | None:
        """The member for the next request, or None when no member is known."""


class _MemberListLoadBalancer(LoadBalancer):
    def __init__(self) -> None:
        self._cluster_service: ClusterService | None = None

    def init(self, cluster_service: ClusterService) -> None:
        self._cluster_service = cluster_service

    def _members(self) -> list[MemberInfo]:
        return self._cluster_service.get_members() if self._cluster_service is not None else []


class RoundRobinLB(_MemberListLoadBalancer):
    """Each member in turn (the default)."""

    def __init__(self) -> None:
        super().__init__()
        self._index = 0

    def next(self) -> MemberInfo | None:
        members = self._members()
        if not members:
            return None
        self._index = (self._index + 1) % len(members)
        return members[self._index]


class RandomLB(_MemberListLoadBalancer):
    """A member picked at random."""

    def next(self) -> MemberInfo | None:
        members = self._members()
        return random.choice(members) if members else None
