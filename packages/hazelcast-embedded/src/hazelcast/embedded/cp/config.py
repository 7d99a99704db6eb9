"""The ``cp-subsystem`` section of the member configuration, with the keys of Hazelcast's ``hazelcast.yaml``::

    cp-subsystem:
      cp-member-count: 0                        # 0: unsafe mode (no Raft); otherwise at least 3
      session-time-to-live-seconds: 300         # a session without heartbeats for this long expires
      session-heartbeat-interval-seconds: 5     # the period clients are told to heartbeat at
      semaphores:
        permits-*: {jdk-compatible: false, initial-permits: 3}
      locks:
        my-lock: {lock-acquire-limit: 1}        # 0: reentrant without limit, 1: not reentrant

Semaphore and lock settings are found by object name as other structures' are: an exact name, else the best single
``*`` wildcard pattern, else ``default``, else the built-in defaults.

``cp-member-count`` decides the shape of group ids and whether the member reports unsafe mode (a warning event
``cp.unsafe_mode`` when the subsystem is first used). Every embedded member answers CP requests from the one shared
state whatever the member count, so a Raft-mode cluster with fewer live members than ``cp-member-count`` keeps
working here where Java members would wait for CP discovery. ``group-size``, ``missing-cp-member-auto-removal-seconds``
and ``fail-on-indeterminate-operation-state`` are accepted, as a member's file may carry them, and change nothing (no
member is ever removed and every operation's outcome is known).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from hazelcast.embedded.config import DEFAULT_PATTERN, parse_settings
from hazelcast.embedded.spec import StructureConfigSpec
from hazelcast.errors import InvalidConfigurationError

__all__ = ["CP_CONFIG_SECTION", "CPSubsystemSettings", "LockSettings", "SemaphoreSettings"]

#: The fewest CP members a Raft-mode CP subsystem may have.
MIN_CP_MEMBERS = 3


@dataclass(frozen=True, slots=True)
class SemaphoreSettings:
    """``jdk_compatible``: sessionless semaphore (permits not bound to callers, released by anyone);
    ``initial_permits``: permits a semaphore starts with, as if ``init`` had been called."""

    jdk_compatible: bool = False
    initial_permits: int = 0

    def __post_init__(self) -> None:
        if self.initial_permits < 0:
            raise InvalidConfigurationError(f"initial-permits must be >= 0, got {self.initial_permits}")


@dataclass(frozen=True, slots=True)
class LockSettings:
    """``lock_acquire_limit``: how many times the owner may hold the lock reentrantly (0 = no limit)."""

    lock_acquire_limit: int = 0

    def __post_init__(self) -> None:
        if self.lock_acquire_limit < 0:
            raise InvalidConfigurationError(f"lock-acquire-limit must be >= 0, got {self.lock_acquire_limit}")


_Settings = TypeVar("_Settings")


def _by_pattern(settings_type: type[_Settings], raw: Any, where: str) -> dict[str, _Settings]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidConfigurationError(f"{where} must map names to settings, got {raw!r}")
    parsed: dict[str, _Settings] = {}
    for pattern, value in raw.items():
        if str(pattern).count("*") > 1:
            raise InvalidConfigurationError(f"{where}.{pattern}: a name pattern may hold at most one '*' wildcard")
        parsed[str(pattern)] = parse_settings(settings_type, value, f"{where}.{pattern}")
    return parsed


def _find(patterns: dict[str, _Settings], name: str, default: _Settings) -> _Settings:
    found = patterns.get(name)
    if found is not None:
        return found
    best: tuple[int, _Settings] | None = None
    for pattern, settings in patterns.items():
        prefix, star, suffix = pattern.partition("*")
        if not star or len(name) < len(prefix) + len(suffix):
            continue
        if name.startswith(prefix) and name.endswith(suffix):
            score = len(prefix) + len(suffix)
            if best is None or score > best[0]:
                best = (score, settings)
    if best is not None:
        return best[1]
    return patterns.get(DEFAULT_PATTERN, default)


@dataclass(frozen=True, slots=True)
class CPSubsystemSettings:
    """The whole ``cp-subsystem`` section (see the module docstring)."""

    cp_member_count: int = 0
    group_size: int = 0
    session_time_to_live_seconds: float = 300.0
    session_heartbeat_interval_seconds: float = 5.0
    missing_cp_member_auto_removal_seconds: int = 14400
    fail_on_indeterminate_operation_state: bool = False
    # Given as raw settings by name pattern; __post_init__ parses them in place.
    semaphores: dict[str, SemaphoreSettings] = field(default_factory=dict)
    locks: dict[str, LockSettings] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cp_member_count != 0 and self.cp_member_count < MIN_CP_MEMBERS:
            raise InvalidConfigurationError(
                f"cp-member-count must be 0 (unsafe mode) or at least {MIN_CP_MEMBERS}, got {self.cp_member_count}"
            )
        if self.session_time_to_live_seconds <= 0 or self.session_heartbeat_interval_seconds <= 0:
            raise InvalidConfigurationError("session-time-to-live-seconds and session-heartbeat-interval-seconds "
                                            "must be positive")
        if self.session_heartbeat_interval_seconds > self.session_time_to_live_seconds:
            raise InvalidConfigurationError(
                "session-time-to-live-seconds must be greater than session-heartbeat-interval-seconds"
            )
        # Frozen dataclass: the nested sections are parsed once, in place.
        object.__setattr__(self, "semaphores", _by_pattern(SemaphoreSettings, self.semaphores,
                                                           "cp-subsystem.semaphores"))
        object.__setattr__(self, "locks", _by_pattern(LockSettings, self.locks, "cp-subsystem.locks"))

    @property
    def unsafe_mode(self) -> bool:
        """Whether CP data structures run without Raft (``cp-member-count: 0``), as a member reports at startup."""
        return self.cp_member_count == 0

    def semaphore(self, name: str) -> SemaphoreSettings:
        return _find(self.semaphores, name, _DEFAULT_SEMAPHORE)

    def lock(self, name: str) -> LockSettings:
        return _find(self.locks, name, _DEFAULT_LOCK)


_DEFAULT_SEMAPHORE = SemaphoreSettings()
_DEFAULT_LOCK = LockSettings()

CP_CONFIG_SECTION = StructureConfigSpec(section="cp-subsystem", settings_type=CPSubsystemSettings, per_name=False)
