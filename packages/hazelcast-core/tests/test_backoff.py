"""Reconnection backoff: growth by retry_multiplier up to retry_max_backoff, jitter, cluster_connect_timeout."""

from __future__ import annotations

import pytest

from hazelcast._internal.dialing import BackoffTimer, parse_address
from hazelcast.config import Config
from hazelcast.core import Address


class FakeLoop:
    def __init__(self) -> None:
        self.now = 100.0

    def time(self) -> float:
        return self.now


def test_backoff_grows_by_the_multiplier_up_to_the_maximum() -> None:
    config = Config.from_dict(dict(retry_initial_backoff=1, retry_max_backoff=5, retry_multiplier=2, retry_jitter=0))
    timer = BackoffTimer(config, FakeLoop())  # type: ignore[arg-type]
    timer.reset()
    assert [timer.next_sleep() for _ in range(5)] == [1, 2, 4, 5, 5]


def test_jitter_stays_within_its_band() -> None:
    config = Config.from_dict(dict(retry_initial_backoff=10, retry_max_backoff=10, retry_jitter=0.2))
    timer = BackoffTimer(config, FakeLoop())  # type: ignore[arg-type]
    timer.reset()
    sleeps = [timer.next_sleep() for _ in range(200)]
    assert all(8 <= s <= 12 for s in sleeps)
    assert max(sleeps) - min(sleeps) > 1


def test_cluster_connect_timeout_ends_the_attempts_and_caps_the_last_sleep() -> None:
    loop = FakeLoop()
    config = Config.from_dict(dict(retry_initial_backoff=4, retry_max_backoff=4, cluster_connect_timeout=6))
    timer = BackoffTimer(config, loop)  # type: ignore[arg-type]
    timer.reset()
    assert timer.next_sleep() == 4
    loop.now += 4
    assert timer.next_sleep() == pytest.approx(2)
    loop.now += 2
    assert timer.next_sleep() is None


def test_infinite_cluster_connect_timeout_never_gives_up() -> None:
    loop = FakeLoop()
    timer = BackoffTimer(Config(), loop)  # type: ignore[arg-type]
    timer.reset()
    loop.now += 10**6
    assert timer.next_sleep() is not None


def test_member_address_forms() -> None:
    assert parse_address("10.0.0.1:5702") == [Address("10.0.0.1", 5702)]
    assert parse_address("db.example") == [Address("db.example", p) for p in (5701, 5702, 5703)]
    assert parse_address("[::1]:6000") == [Address("::1", 6000)]
    assert parse_address("[fe80::1]") == [Address("fe80::1", p) for p in (5701, 5702, 5703)]
