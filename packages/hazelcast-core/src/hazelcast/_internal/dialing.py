"""How the client reaches members: the addresses a member string stands for, the backoff between attempts to reach a
cluster, and the TLS context of a cluster's configuration."""

from __future__ import annotations

import asyncio
import random
import ssl
from typing import TYPE_CHECKING

from hazelcast.core import Address

if TYPE_CHECKING:
    from hazelcast.config import Config

__all__ = ["BackoffTimer", "make_ssl_context_for", "parse_address"]

_DEFAULT_PORT = 5701
_DEFAULT_PORT_TRIES = 3


def parse_address(text: str) -> list[Address]:
    """``"host:port"``, ``"host"`` (ports 5701-5703 are tried), ``"[::1]:5701"`` -> the addresses to try."""
    text = text.strip()
    host, port = text, None
    if text.startswith("["):
        end = text.index("]")
        host = text[1:end]
        if text[end + 1 : end + 2] == ":":
            port = int(text[end + 2 :])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = int(port_text)
    if port is not None:
        return [Address(host, port)]
    return [Address(host, _DEFAULT_PORT + i) for i in range(_DEFAULT_PORT_TRIES)]


class BackoffTimer:
    """Exponential backoff with jitter, bounded by cluster_connect_timeout (-1: never give up)."""

    def __init__(self, config: Config, loop: asyncio.AbstractEventLoop) -> None:
        self._config = config
        self._loop = loop
        self._begin = 0.0
        self._backoff = 0.0
        self.attempt = 0

    def reset(self) -> None:
        self._begin = self._loop.time()
        self._backoff = min(self._config.retry_max_backoff, self._config.retry_initial_backoff)
        self.attempt = 0

    def next_sleep(self) -> float | None:
        """Seconds to wait before the next attempt, or None when cluster_connect_timeout has passed."""
        self.attempt += 1
        config = self._config
        timeout = config.cluster_connect_timeout
        elapsed = self._loop.time() - self._begin
        if timeout != -1 and elapsed >= timeout:
            return None
        sleep = self._backoff * (1 + config.retry_jitter * (2 * random.random() - 1))
        if timeout != -1:
            sleep = min(sleep, timeout - elapsed)
        self._backoff = min(self._backoff * config.retry_multiplier, config.retry_max_backoff)
        return max(0.0, sleep)


# SSLProtocol values of the config (TLSv1 2, TLSv1_1 3, TLSv1_2 4, TLSv1_3 5) pin the TLS version; SSLv2/SSLv3
# (0, 1) leave it to OpenSSL's defaults, which refuse them anyway.
_TLS_VERSIONS = {
    2: ssl.TLSVersion.TLSv1,
    3: ssl.TLSVersion.TLSv1_1,
    4: ssl.TLSVersion.TLSv1_2,
    5: ssl.TLSVersion.TLSv1_3,
}


def make_ssl_context_for(config: Config) -> ssl.SSLContext:
    """The TLS context the client uses for ``config`` (every ``ssl_*`` option applied)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = bool(config.ssl_check_hostname)
    context.verify_mode = ssl.CERT_REQUIRED
    version = _TLS_VERSIONS.get(int(config.ssl_protocol))
    if version is not None:
        context.minimum_version = version
        context.maximum_version = version
    if config.ssl_cafile:
        context.load_verify_locations(config.ssl_cafile)
    else:
        context.load_default_certs()
    if config.ssl_certfile:
        context.load_cert_chain(config.ssl_certfile, config.ssl_keyfile, config.ssl_password)
    if config.ssl_ciphers:
        context.set_ciphers(config.ssl_ciphers)
    return context

