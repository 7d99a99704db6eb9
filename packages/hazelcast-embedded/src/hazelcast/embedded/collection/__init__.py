"""The embedded member's IList and ISet services: configuration, per-partition state, item events and handlers."""

from hazelcast.embedded.collection.config import LIST_CONFIG_SECTION, SET_CONFIG_SECTION, CollectionConfig
from hazelcast.embedded.collection.list_service import LIST_SERVICE, LIST_SERVICE_NAME
from hazelcast.embedded.collection.set_service import SET_SERVICE, SET_SERVICE_NAME

__all__ = [
    "LIST_CONFIG_SECTION",
    "LIST_SERVICE",
    "LIST_SERVICE_NAME",
    "SET_CONFIG_SECTION",
    "SET_SERVICE",
    "SET_SERVICE_NAME",
    "CollectionConfig",
]
