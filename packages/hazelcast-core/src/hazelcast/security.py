"""Token credentials for clusters that authenticate clients by token."""

from __future__ import annotations

from hazelcast.core import Address

__all__ = ["BasicTokenProvider", "TokenProvider"]


class TokenProvider:
    """Supplies the token sent in ``Client.authenticationCustom``; subclass it to fetch tokens from elsewhere."""

    def token(self, address: Address | None = None) -> bytes:
        """The token for a connection to the member at ``address``."""
        raise NotImplementedError("TokenProvider subclasses implement token()")


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
