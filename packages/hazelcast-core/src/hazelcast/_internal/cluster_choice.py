"""Which cluster the client connects to: its one configuration, or the current entry of a failover list."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from hazelcast.config import Config

__all__ = ["ClusterChoice"]

_logger = structlog.get_logger("hazelcast.connection")


class ClusterChoice:
    """The configurations the client may connect with, the current one, and moves along the list.

    Without failover there is one configuration and one attempt per connect. With a failover list the connection
    manager makes ``len(configs) * try_count`` cluster attempts, calling :meth:`move_on` between them; ``switched``
    then tells that the next successful connection is to another cluster (CHANGED_CLUSTER), and that the member
    addresses learned from the old cluster are no use.
    """

    def __init__(
        self, configs: Sequence[Config], try_count: int, make_ssl_context: Callable[[Config], ssl.SSLContext]
    ) -> None:
        self._configs = list(configs)
        self._try_count = try_count
        self._make_ssl_context = make_ssl_context
        self._ssl_contexts: dict[int, ssl.SSLContext | None] = {}
        self._index = 0
        self.switched = False

    @property
    def failover(self) -> bool:
        return len(self._configs) > 1 or self._try_count > 1

    @property
    def current(self) -> Config:
        return self._configs[self._index]

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        index = self._index
        if index not in self._ssl_contexts:
            config = self._configs[index]
            self._ssl_contexts[index] = self._make_ssl_context(config) if config.ssl_enabled else None
        return self._ssl_contexts[index]

    def attempts(self) -> int:
        """How many clusters one connect may try before it gives up."""
        return len(self._configs) * self._try_count if self.failover else 1

    def move_on(self) -> None:
        """Make the next configuration of the list (wrapping around) the current one."""
        previous = self.current.cluster_name
        self._index = (self._index + 1) % len(self._configs)
        self.switched = True
        _logger.warning("connection.cluster_failover", previous=previous, next=self.current.cluster_name)
