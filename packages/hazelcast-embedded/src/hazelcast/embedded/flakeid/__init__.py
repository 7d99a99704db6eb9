"""The embedded member's Flake ID generator service."""

from hazelcast.embedded.flakeid.service import (
    FLAKE_ID_CONFIG_SECTION,
    FLAKE_ID_SERVICE,
    FLAKE_ID_SERVICE_NAME,
    FlakeIdGeneratorConfig,
    node_id_of,
)

__all__ = [
    "FLAKE_ID_CONFIG_SECTION",
    "FLAKE_ID_SERVICE",
    "FLAKE_ID_SERVICE_NAME",
    "FlakeIdGeneratorConfig",
    "node_id_of",
]
