"""The member side of the Flake ID generator: batches of ids from a timestamp, a sequence and the member's node id.

An id is, from the most significant bit down (with the default layout of Hazelcast):

* 41 bits: milliseconds since ``epoch-start`` (2018-01-01T00:00:00Z);
* 6 bits (``bits-sequence``): a sequence within the millisecond;
* 16 bits (``bits-node-id``): the node id of the member that generated it.

Each member gets a node id when it first generates (the cluster's join counter plus ``node-id-offset``: a restarted
member gets a new one), so members never collide without coordinating. A batch of ``n`` ids reserves ``n`` consecutive
(timestamp, sequence) slots on that member: ``base`` is the first id and consecutive ids differ by
``1 << bits-node-id``. When more ids are requested than the milliseconds since the last batch can hold, slots in the
future are used; a batch that starts more than ``allowed-future-millis`` ahead of the clock is answered only once the
clock is that close (the member is not blocked meanwhile), as a Java member does.

Configuration, section ``flake-id-generator`` (keys of hazelcast.yaml): ``prefetch-count`` and
``prefetch-validity-millis`` (read by member-side proxies; clients have their own), ``epoch-start``,
``node-id-offset``, ``bits-sequence``, ``bits-node-id``, ``allowed-future-millis``, and ``statistics-enabled``
(accepted so that snippets load; the embedded member keeps no statistics).
"""

from __future__ import annotations

import asyncio
import itertools
import time
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.requests import PENDING, MemberRequest
from hazelcast.embedded.spec import MemberServiceSpec, StructureConfigSpec
from hazelcast.errors import HazelcastError, InvalidConfigurationError

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.member import EmbeddedMember

__all__ = ["FLAKE_ID_CONFIG_SECTION", "FLAKE_ID_SERVICE", "FLAKE_ID_SERVICE_NAME", "FlakeIdGeneratorConfig", "node_id_of"]

FLAKE_ID_SERVICE_NAME = "hz:impl:flakeIdGeneratorService"
_EPOCH_2018_MS = 1514764800000


@dataclass(frozen=True, slots=True)
class FlakeIdGeneratorConfig:
    """Per-generator settings under ``flake-id-generator:``."""

    prefetch_count: int = 100
    prefetch_validity_millis: int = 600000
    epoch_start: int = _EPOCH_2018_MS
    node_id_offset: int = 0
    bits_sequence: int = 6
    bits_node_id: int = 16
    allowed_future_millis: int = 15000
    statistics_enabled: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.prefetch_count <= 100000:
            raise InvalidConfigurationError(f"prefetch-count must be 1 to 100000, got {self.prefetch_count}")
        for label, value in (("prefetch-validity-millis", self.prefetch_validity_millis),
                             ("node-id-offset", self.node_id_offset),
                             ("allowed-future-millis", self.allowed_future_millis)):
            if value < 0:
                raise InvalidConfigurationError(f"{label} must be >= 0, got {value}")
        if not 0 <= self.bits_sequence <= 63 or not 0 <= self.bits_node_id <= 63:
            raise InvalidConfigurationError("bits-sequence and bits-node-id must be 0 to 63")
        if self.bits_sequence + self.bits_node_id > 63:
            raise InvalidConfigurationError("bits-sequence + bits-node-id must leave room for the timestamp (<= 63)")


FLAKE_ID_CONFIG_SECTION = StructureConfigSpec(section="flake-id-generator", settings_type=FlakeIdGeneratorConfig)

# Cluster -> (join counter, member -> node id). Weak, so that a cluster that is gone leaves nothing behind.
_NODE_IDS: weakref.WeakKeyDictionary[EmbeddedCluster, tuple[itertools.count[int], dict[Any, int]]] = (
    weakref.WeakKeyDictionary()
)


def node_id_of(member: EmbeddedMember) -> int:
    """The member's node id (without ``node-id-offset``), assigned at its first use and new after a restart."""
    counter, ids = _NODE_IDS.setdefault(member.cluster, (itertools.count(), {}))
    node_id = ids.get(member.uuid)
    if node_id is None:
        node_id = ids[member.uuid] = next(counter)
    return node_id


def _generators(member: EmbeddedMember) -> dict[str, list[int]]:
    found = member.service_states.get(FLAKE_ID_SERVICE_NAME)
    if found is None:
        found = member.service_states[FLAKE_ID_SERVICE_NAME] = {}
    return found


def _reserve(
    member: EmbeddedMember, name: str, config: FlakeIdGeneratorConfig, batch_size: int
) -> tuple[tuple[int, int, int], float]:
    """Reserve a batch: ``((base, increment, size), seconds to wait before handing it out)``."""
    node_id = node_id_of(member) + config.node_id_offset
    if node_id >= 1 << config.bits_node_id:
        raise _NodeIdOutOfRange(f"node id {node_id} of member {member.address} is out of range for flake id {name!r}")
    now = time.time_ns() // 1_000_000 - config.epoch_start
    state = _generators(member).setdefault(name, [0])
    # The next free (timestamp, sequence) slot of this member, counted in sequence units.
    base = max(now << config.bits_sequence, state[0])
    if (base + batch_size) >> config.bits_sequence >= 1 << (63 - config.bits_sequence - config.bits_node_id):
        raise HazelcastError(f"flake id {name!r}: the timestamp overflowed the id layout")
    state[0] = base + batch_size
    # Ids that start too far in the future are handed out once the clock is close enough to them.
    ahead_ms = (base >> config.bits_sequence) - now
    wait = max(0, ahead_ms - config.allowed_future_millis) / 1000
    return ((base << config.bits_node_id) | node_id, 1 << config.bits_node_id, batch_size), wait


class _NodeIdOutOfRange(HazelcastError):
    """This member's node id does not fit in ``bits-node-id``: another member has to generate."""


def flake_id_new_id_batch(request: MemberRequest) -> Any:
    params = request.params
    if params.batch_size <= 0:
        raise ValueError(f"batch size must be positive, got {params.batch_size}")
    config = request.cluster.structure_configs.lookup("flake-id-generator", params.name)
    # As a Java member does, one whose node id overflowed hands the request to a member whose node id fits.
    candidates = [request.member, *(m for m in request.cluster.live_members if m is not request.member)]
    for member in candidates:
        try:
            batch, wait = _reserve(member, params.name, config, params.batch_size)
        except _NodeIdOutOfRange as error:
            overflow = error
            continue
        break
    else:
        raise HazelcastError(f"no member has a node id in range for flake id {params.name!r}: {overflow}")
    if not wait:
        return batch
    asyncio.get_running_loop().call_later(wait, request.respond, batch)
    return PENDING


FLAKE_ID_SERVICE = MemberServiceSpec(
    name="FlakeIdGenerator",
    handlers={"FlakeIdGenerator.newIdBatch": flake_id_new_id_batch},
    object_service_names=(FLAKE_ID_SERVICE_NAME,),
)
