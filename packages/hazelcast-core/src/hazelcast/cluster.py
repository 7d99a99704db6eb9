"""The cluster's member list as the client sees it."""

from hazelcast._internal.cluster import ClusterService

__all__ = ["ClusterService"]
