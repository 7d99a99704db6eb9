"""The embedded member's PN counter service: CRDT replicas on the data members, replicated periodically."""

from hazelcast.embedded.pncounter.service import (
    PN_COUNTER_CONFIG_SECTION,
    PN_COUNTER_SERVICE,
    PN_COUNTER_SERVICE_NAME,
    REPLICATION_INTERVAL_SECONDS,
    CounterReplica,
    PNCounterConfig,
    replicate_counters,
)

__all__ = [
    "PN_COUNTER_CONFIG_SECTION",
    "PN_COUNTER_SERVICE",
    "PN_COUNTER_SERVICE_NAME",
    "REPLICATION_INTERVAL_SECONDS",
    "CounterReplica",
    "PNCounterConfig",
    "replicate_counters",
]
