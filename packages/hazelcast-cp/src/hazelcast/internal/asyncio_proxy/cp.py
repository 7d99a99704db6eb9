"""The official client's import path for these names; they live in ``hazelcast.cp._base``."""

from hazelcast.cp._base import BaseCPProxy, SessionAwareCPProxy

__all__ = ["BaseCPProxy", "SessionAwareCPProxy"]
