"""The embedded member's MultiMap service: configuration, per-partition containers with key locks, handlers."""

from hazelcast.embedded.multimap.config import MULTIMAP_CONFIG_SECTION, MultiMapConfig
from hazelcast.embedded.multimap.container import MultiMapContainer
from hazelcast.embedded.multimap.service import MULTIMAP_SERVICE, MULTIMAP_SERVICE_NAME

__all__ = [
    "MULTIMAP_CONFIG_SECTION",
    "MULTIMAP_SERVICE",
    "MULTIMAP_SERVICE_NAME",
    "MultiMapConfig",
    "MultiMapContainer",
]
