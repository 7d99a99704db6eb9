"""The Flake ID generator proxy: cluster-wide unique, roughly ordered 64-bit ids, fetched in batches."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from hazelcast.config import FlakeIdGeneratorConfig
from hazelcast.protocol import method
from hazelcast.proxy import Proxy, ProxyContext

__all__ = ["FlakeIdGenerator", "flake_id_config_for"]

_NEW_ID_BATCH = method("FlakeIdGenerator.newIdBatch")


def flake_id_config_for(configs: Mapping[str, FlakeIdGeneratorConfig], name: str) -> FlakeIdGeneratorConfig:
    """The configuration of generator ``name``: the exact name, else the best ``*`` pattern, else ``"default"``.

    As on a member, a pattern holds one ``*`` and the one matching the most characters wins; the text after ``@``
    in ``name`` is ignored.
    """
    base = name.partition("@")[0]
    found = configs.get(base)
    if found is not None:
        return found
    best: FlakeIdGeneratorConfig | None = None
    best_score = -1
    for pattern, config in configs.items():
        prefix, star, suffix = pattern.partition("*")
        if not star or "*" in suffix:
            continue
        if len(base) >= len(prefix) + len(suffix) and base.startswith(prefix) and base.endswith(suffix):
            score = len(prefix) + len(suffix)
            if score > best_score:
                best, best_score = config, score
    if best is not None:
        return best
    return configs.get("default") or FlakeIdGeneratorConfig()


class FlakeIdGenerator(Proxy):
    """Cluster-wide unique ids: a 41-bit timestamp (ms since 2018-01-01), a 6-bit sequence and a 16-bit member node id.

    Ids come from a random member in batches of ``prefetch_count`` (``Config.flake_id_generators``, by name or
    ``*`` pattern) and are handed out locally; a batch older than ``prefetch_validity`` seconds is dropped, since its
    ids would break the rough ordering. Concurrent callers share one batch request. Ids are unique across clients and
    increase per member node id; overall they are only roughly ordered.
    """

    def __init__(self, service_name: str, name: str, context: ProxyContext) -> None:
        super().__init__(service_name, name, context)
        config = flake_id_config_for(context.config.flake_id_generators, name)
        self._batch_size = config.prefetch_count
        self._validity = config.prefetch_validity
        self._next = 0
        self._increment = 0
        self._remaining = 0
        self._valid_until = 0.0
        #: The batch request in flight, shared by every caller that found the batch used up.
        self._fetching: asyncio.Future[Any] | None = None

    async def new_id(self) -> int:
        """A new cluster-wide unique id."""
        while True:
            if self._remaining > 0 and (not self._validity or self._loop.time() < self._valid_until):
                self._remaining -= 1
                value = self._next
                self._next = value + self._increment
                return value
            fetching = self._fetching
            if fetching is None:
                fetching = self._fetching = self._call(
                    _NEW_ID_BATCH.encode_request(self.name, self._batch_size), -1, _NEW_ID_BATCH.decode_response, True
                )
                fetching.add_done_callback(self._install)
            await asyncio.shield(fetching)
            # The done callback may not have run yet (it is scheduled, not immediate): install the batch now.
            self._install(fetching)

    def _install(self, fetched: asyncio.Future[Any]) -> None:
        if self._fetching is not fetched:
            return  # installed already
        self._fetching = None
        if fetched.cancelled() or fetched.exception() is not None:
            return
        base, increment, batch_size = fetched.result()
        self._next = base
        self._increment = increment
        self._remaining = batch_size
        self._valid_until = self._loop.time() + self._validity
