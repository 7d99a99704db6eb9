"""The asyncio Hazelcast client: ``from hazelcast.asyncio import HazelcastClient``."""

from hazelcast._internal.client import HazelcastClient

__all__ = ["HazelcastClient"]
