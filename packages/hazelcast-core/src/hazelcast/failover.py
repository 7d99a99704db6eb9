"""Blue/green failover: a list of cluster configurations the client moves along when it loses its cluster.

As the Java and Node.js clients offer it: the client starts on the first cluster it can reach, trying the
configurations in order. When it later loses that cluster (no member answers within the configuration's
``cluster_connect_timeout``, or the cluster refuses the client), it tries the next configuration, wrapping around, up
to ``try_count`` rounds over the list. Moving to another cluster fires the ``CHANGED_CLUSTER`` lifecycle state before
``CONNECTED``; the client then behaves as after a cluster restart: partition table and member list come from the new
cluster, Compact schemas are sent to it, listeners are registered on it.

The configurations may differ only in how to reach and join a cluster (:data:`ClientFailoverConfig.CLUSTER_OPTIONS`);
everything else, listeners included, comes from the first one::

    from hazelcast.asyncio import HazelcastClient
    from hazelcast.config import ClientFailoverConfig, Config

    blue, green = Config(), Config()
    blue.cluster_name, blue.cluster_members = "blue", ["10.0.0.1:5701"]
    green.cluster_name, green.cluster_members = "green", ["10.0.1.1:5701"]
    client = await HazelcastClient.create_and_start(ClientFailoverConfig([blue, green], try_count=3))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from hazelcast.errors import InvalidConfigurationError

if TYPE_CHECKING:
    from hazelcast.config import Config

__all__ = ["ClientFailoverConfig"]

#: Java's default: keep moving along the list for as long as the client runs.
DEFAULT_TRY_COUNT = 2**31 - 1


class ClientFailoverConfig:
    """The clusters a client may use, in order, and how many rounds over them it makes before it gives up."""

    #: The options in which the configurations may differ: a cluster's name, addresses, TLS and credentials.
    CLUSTER_OPTIONS = frozenset({
        "cluster_name",
        "cluster_members",
        "ssl_enabled",
        "ssl_cafile",
        "ssl_certfile",
        "ssl_keyfile",
        "ssl_password",
        "ssl_protocol",
        "ssl_ciphers",
        "ssl_check_hostname",
        "creds_username",
        "creds_password",
        "token_provider",
    })
    #: Taken from the first configuration only, so they need not be repeated in the others.
    FIRST_CONFIG_OPTIONS = frozenset({"lifecycle_listeners", "membership_listeners"})

    def __init__(self, configs: Iterable[Config] = (), try_count: int = DEFAULT_TRY_COUNT) -> None:
        self.configs: list[Config] = []
        for config in configs:
            self.add_config(config)
        self.try_count = try_count

    @property
    def try_count(self) -> int:
        """Rounds over the configurations before the client gives up (at least 1)."""
        return self._try_count

    @try_count.setter
    def try_count(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"try_count must be an int, not {type(value).__name__}")
        if value < 1:
            raise ValueError(f"try_count must be at least 1, got {value}")
        self._try_count = value

    def add_config(self, config: Config) -> None:
        """Append a cluster's configuration to the list."""
        from hazelcast.config import Config

        if not isinstance(config, Config):
            raise TypeError(f"a failover configuration holds Config objects, not {type(config).__name__}")
        self.configs.append(config)

    def validate(self) -> None:
        """Raise :class:`~hazelcast.errors.InvalidConfigurationError` unless the list can drive a client."""
        if not self.configs:
            raise InvalidConfigurationError("a ClientFailoverConfig needs at least one cluster configuration")
        first = self.configs[0]
        skipped = self.CLUSTER_OPTIONS | self.FIRST_CONFIG_OPTIONS
        for position, other in enumerate(self.configs[1:], start=1):
            for name in first.option_names():
                if name not in skipped and getattr(first, name) != getattr(other, name):
                    raise InvalidConfigurationError(
                        f"failover configuration {position} differs from the first in {name!r}; the configurations "
                        f"may differ only in {', '.join(sorted(self.CLUSTER_OPTIONS))}"
                    )

    def __repr__(self) -> str:
        names = [config.cluster_name for config in self.configs]
        return f"ClientFailoverConfig(clusters={names!r}, try_count={self._try_count})"
