"""Member side: the CardinalityEstimator service of the embedded member, announced through ``hazelcast.embedded.plugins``.

Only the embedded member loads this module (it needs the ``member`` extra, ``hazelcast-sample-plugin[member]``); the
client side in :mod:`hazelcast_sample_plugin.plugin` imports nothing from here, so a client installation without the
embedded member is unaffected.

A real member estimates with HyperLogLog; this sample keeps the exact set of distinct hashes, so its estimate is the
true count. Settings come from the ``cardinality-estimator`` section of the member configuration, as on a Hazelcast
member::

    EmbeddedCluster(config={"cardinality-estimator": {"visits-*": {"backup-count": 2}}})
"""

from __future__ import annotations

from dataclasses import dataclass

from hazelcast.embedded import MemberRequest, MemberServiceSpec, StructureConfigSpec, hookimpl
from hazelcast.errors import InvalidConfigurationError

__all__ = [
    "CARDINALITY_ESTIMATOR_CONFIG_SECTION",
    "CARDINALITY_ESTIMATOR_SERVICE",
    "CONFIG_SECTION",
    "SERVICE_NAME",
    "CardinalityEstimatorConfig",
    "EstimatorState",
    "hazelcast_embedded_services",
    "hazelcast_embedded_structure_configs",
]

#: The distributed-object service name, the same as the client side's (kept literal: this module must not need the
#: client module, nor the client module this one).
SERVICE_NAME = "hz:impl:cardinalityEstimatorService"
CONFIG_SECTION = "cardinality-estimator"
# Hazelcast members allow replica indexes 1..6.
_MAX_BACKUP_COUNT = 6


@dataclass(frozen=True, slots=True)
class CardinalityEstimatorConfig:
    """Per-estimator settings, by name pattern under ``cardinality-estimator:``.

    ``backup_count``: synchronous backup replicas, 0 to 6 (a Hazelcast member's default is 1).
    """

    backup_count: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.backup_count <= _MAX_BACKUP_COUNT:
            raise InvalidConfigurationError(
                f"backup-count must be between 0 and {_MAX_BACKUP_COUNT}, got {self.backup_count}"
            )


class EstimatorState:
    """One estimator's distinct hashes in one partition replica (a ``hazelcast.embedded.PartitionState``).

    An estimator lives in the single partition its name maps to, so one state holds all of its hashes.
    """

    __slots__ = ("backup_count", "hashes")

    def __init__(self, backup_count: int, hashes: set[int] | None = None) -> None:
        self.backup_count = backup_count
        self.hashes: set[int] = set() if hashes is None else hashes

    def copy(self) -> EstimatorState:
        return EstimatorState(self.backup_count, set(self.hashes))

    def new_backup(self) -> EstimatorState:
        return EstimatorState(self.backup_count)

    def __repr__(self) -> str:
        return f"EstimatorState(backup_count={self.backup_count}, distinct={len(self.hashes)})"


def _new_state(request: MemberRequest, name: str) -> EstimatorState:
    settings: CardinalityEstimatorConfig = request.cluster.structure_configs.lookup(CONFIG_SECTION, name)
    return EstimatorState(settings.backup_count)


def add(request: MemberRequest) -> None:
    """CardinalityEstimator.add: remember the hash on the owner and its backups."""
    params = request.params
    name: str = params.name
    hash_: int = params.hash
    key = (SERVICE_NAME, name)
    state: EstimatorState = request.state(key, lambda: _new_state(request, name))
    state.hashes.add(hash_)
    # Backed up even when the hash was known already: a member's add always runs its backup, and the client waits
    # for the acknowledgements the response announces.
    request.backup(state, key, lambda backup: backup.hashes.add(hash_))


def estimate(request: MemberRequest) -> int:
    """CardinalityEstimator.estimate: the number of distinct hashes added so far (0 for an unknown estimator)."""
    state: EstimatorState | None = request.find_state((SERVICE_NAME, request.params))
    return 0 if state is None else len(state.hashes)


CARDINALITY_ESTIMATOR_SERVICE = MemberServiceSpec(
    name="CardinalityEstimator",
    handlers={
        "CardinalityEstimator.add": add,
        "CardinalityEstimator.estimate": estimate,
    },
    object_service_names=(SERVICE_NAME,),
)
CARDINALITY_ESTIMATOR_CONFIG_SECTION = StructureConfigSpec(
    section=CONFIG_SECTION, settings_type=CardinalityEstimatorConfig
)


@hookimpl
def hazelcast_embedded_services() -> tuple[MemberServiceSpec, ...]:
    return (CARDINALITY_ESTIMATOR_SERVICE,)


@hookimpl
def hazelcast_embedded_structure_configs() -> tuple[StructureConfigSpec, ...]:
    return (CARDINALITY_ESTIMATOR_CONFIG_SECTION,)
