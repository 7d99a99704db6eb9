"""The embedded member's ReplicatedMap service: every member holds all of a replicated map's entries."""

from hazelcast.embedded.replicatedmap.service import (
    REPLICATED_MAP_SERVICE,
    REPLICATED_MAP_SERVICE_NAME,
    predicate_matches,
)

__all__ = ["REPLICATED_MAP_SERVICE", "REPLICATED_MAP_SERVICE_NAME", "predicate_matches"]
