"""Token credentials for clusters that authenticate clients by token."""

from __future__ import annotations

import abc

from hazelcast.core import Address

__all__ = ["BasicTokenProvider", "TokenProvider"]


class TokenProvider(abc.ABC):
    """Supplies the token sent in ``Client.authenticationCustom``; subclass it to fetch tokens from elsewhere."""

    @abc.abstractmethod
    def token(self, address: Address | None = None) -> bytes:
        """The token for a connection to the member at ``address``."""


class BasicTokenProvider(TokenProvider):
    """Always sends the same token (a str is sent UTF-8 encoded)."""

    def __init__(self, token: str | bytes = "") -> None:
        if isinstance(token, str):
            self._token = token.encode("utf-8")
        elif isinstance(token, bytes):
            self._token = token
        else:
            raise TypeError(f"token must be a str or bytes, not {type(token).__name__}")

    def token(self, address: Address | None = None) -> bytes:
        return self._token
