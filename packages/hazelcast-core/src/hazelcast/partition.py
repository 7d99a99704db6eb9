"""Partitions of the cluster: count, owners, partition ids of keys."""

from hazelcast._internal.partition import PartitionService

__all__ = ["PartitionService"]
