"""Settings of topics and reliable topics: the ``topic`` and ``reliable-topic`` sections of the member configuration."""

from __future__ import annotations

from dataclasses import dataclass

from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["RELIABLE_TOPIC_CONFIG_SECTION", "TOPIC_CONFIG_SECTION", "ReliableTopicConfig", "TopicConfig"]

_OVERLOAD_POLICIES = ("DISCARD_OLDEST", "DISCARD_NEWEST", "BLOCK", "ERROR")


@dataclass(frozen=True, slots=True)
class TopicConfig:
    """Per-topic settings, by name pattern under ``topic:``.

    ``global_ordering_enabled``: every listener receives the messages of every publisher in one order. The embedded
    member delivers all events from one event loop in publication order, so messages are globally ordered either way;
    the setting is accepted for configurations shared with Java members. ``multi_threading_enabled`` and
    ``statistics_enabled`` likewise.
    """

    global_ordering_enabled: bool = False
    multi_threading_enabled: bool = False
    statistics_enabled: bool = True

    def __post_init__(self) -> None:
        if self.global_ordering_enabled and self.multi_threading_enabled:
            raise InvalidConfigurationError(
                "global-ordering-enabled and multi-threading-enabled cannot both be true"
            )


@dataclass(frozen=True, slots=True)
class ReliableTopicConfig:
    """Per-reliable-topic settings, by name pattern under ``reliable-topic:``.

    They configure the member's own reliable-topic listeners and publishers; clients read ``read_batch_size`` and
    the overload policy from their own ``Config.reliable_topics``. The messages live in the ringbuffer
    ``_hz_rb_<name>``, configured under ``ringbuffer:`` (capacity, time to live, backups).
    """

    read_batch_size: int = 10
    topic_overload_policy: str = "BLOCK"
    statistics_enabled: bool = True

    def __post_init__(self) -> None:
        if self.read_batch_size < 1:
            raise InvalidConfigurationError(f"read-batch-size must be at least 1, got {self.read_batch_size}")
        if self.topic_overload_policy.upper() not in _OVERLOAD_POLICIES:
            raise InvalidConfigurationError(
                f"topic-overload-policy must be one of {', '.join(_OVERLOAD_POLICIES)}, "
                f"got {self.topic_overload_policy!r}"
            )


TOPIC_CONFIG_SECTION = StructureConfigSpec(section="topic", settings_type=TopicConfig)
RELIABLE_TOPIC_CONFIG_SECTION = StructureConfigSpec(section="reliable-topic", settings_type=ReliableTopicConfig)
