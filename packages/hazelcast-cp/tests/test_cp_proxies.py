"""CP proxies without a member: names, argument checks before sending, invocation UUIDs, sessions, variants."""

from __future__ import annotations

import asyncio
from collections import namedtuple
from typing import Any

import pytest

from hazelcast.cp import (
    CPArgumentError,
    CPSubsystem,
    FencedLock,
    SessionAwareSemaphore,
    SessionlessSemaphore,
)
from hazelcast.cp.subsystem import object_name_of, without_default_group_name
from hazelcast.errors import (
    IllegalMonitorStateError,
    IllegalStateError,
    LockAcquireLimitReachedError,
    OperationTimeoutError,
    SessionExpiredError,
)

Group = namedtuple("Group", "name seed id")
Session = namedtuple("Session", "session_id ttl_millis heartbeat_millis")
Ownership = namedtuple("Ownership", "fence lock_count session_id thread_id")


def _groups(name: str, params: Any) -> Any:
    """Answers the messages every scenario needs: group ids and sessions."""
    if name == "CPGroup.createCPGroup":
        proxy_name = params
        return Group(proxy_name.partition("@")[2] or "default", 0, 1)
    if name == "CPSession.createSession":
        return Session(11, 60_000, 5_000)
    if name == "CPSession.closeSession":
        return True
    if name == "CPSession.generateThreadId":
        return 500
    if name == "Semaphore.getSemaphoreType":
        return params.startswith("jdk")
    raise KeyError(name)


@pytest.mark.parametrize(
    ("name", "proxy_name", "object_name"),
    [
        ("counter", "counter", "counter"),
        ("  counter ", "counter", "counter"),
        ("counter@default", "counter", "counter"),
        ("counter@DEFAULT", "counter", "counter"),
        ("counter@group1", "counter@group1", "counter"),
    ],
)
def test_names(name: str, proxy_name: str, object_name: str) -> None:
    assert without_default_group_name(name) == proxy_name
    assert object_name_of(without_default_group_name(name)) == object_name


@pytest.mark.parametrize("name", ["a@metadata", "a@Metadata", "a@b@c", "a@", "@b", ""])
def test_bad_names(name: str) -> None:
    with pytest.raises(ValueError):
        object_name_of(without_default_group_name(name))


async def test_bad_names_are_rejected_before_sending(scripted: Any) -> None:
    cluster, cp = scripted(_groups)
    for bad in ("a@metadata", "", None):
        with pytest.raises(ValueError):
            await cp.get_atomic_long(bad)
    with pytest.raises(TypeError):
        await cp.get_lock(5)
    assert cluster.sent == []


async def test_proxies_are_cached_per_name_while_the_group_lives(scripted: Any) -> None:
    seed = [0]

    def answer(name: str, params: Any) -> Any:
        if name == "CPGroup.createCPGroup":
            return Group("default", seed[0], 1)
        return _groups(name, params)

    cluster, cp = scripted(answer)
    first = await cp.get_atomic_long("a")
    assert await cp.get_atomic_long("a@default") is first
    assert await cp.get_atomic_reference("a") is not first
    seed[0] = 9  # the group was created anew (a new cluster)
    renewed = await cp.get_atomic_long("a")
    assert renewed is not first and renewed.get_group_id().seed == 9
    assert cluster.names().count("CPGroup.createCPGroup") == 4


async def test_argument_checks_send_nothing(scripted: Any) -> None:
    cluster, cp = scripted(_groups)
    counter = await cp.get_atomic_long("n")
    latch = await cp.get_count_down_latch("l")
    lock = await cp.get_lock("k")
    aware = await cp.get_semaphore("s")
    sessionless = await cp.get_semaphore("jdk-s")
    sent = len(cluster.sent)
    failing = [
        (CPArgumentError, counter.set(2**63)),
        (TypeError, counter.add_and_get(1.5)),
        (TypeError, counter.compare_and_set(True, 1)),
        (ValueError, counter.alter(None)),
        (ValueError, counter.apply(None)),
        (ValueError, latch.try_set_count(0)),
        (ValueError, latch.try_set_count(-3)),
        (ValueError, latch.await_latch(-0.1)),
        (TypeError, latch.await_latch("1")),
        (ValueError, lock.try_lock(-1)),
        (ValueError, aware.init(-1)),
        (ValueError, sessionless.init(-1)),
    ]
    for semaphore in (aware, sessionless):
        failing += [
            (ValueError, semaphore.acquire(0)),
            (ValueError, semaphore.try_acquire(-1)),
            (ValueError, semaphore.try_acquire(1, -5)),
            (ValueError, semaphore.release(0)),
            (ValueError, semaphore.reduce_permits(-1)),
            (ValueError, semaphore.increase_permits(-1)),
        ]
    for error, call in failing:
        with pytest.raises(error):
            await call
    assert len(cluster.sent) == sent
    assert issubclass(CPArgumentError, AssertionError)


async def test_count_down_reuses_its_invocation_uuid_when_it_times_out(scripted: Any) -> None:
    attempts: list[Any] = []

    def answer(name: str, params: Any) -> Any:
        if name == "CountDownLatch.getRound":
            return 3
        if name == "CountDownLatch.countDown":
            attempts.append(params)
            if len(attempts) < 3:
                raise OperationTimeoutError("no response")
            return None
        return _groups(name, params)

    cluster, cp = scripted(answer)
    latch = await cp.get_count_down_latch("l")
    await latch.count_down()
    assert len(attempts) == 3
    assert len({a.invocation_uid for a in attempts}) == 1
    assert {a.expected_round for a in attempts} == {3}
    assert cluster.names().count("CountDownLatch.getRound") == 1
    await latch.count_down()
    assert attempts[-1].invocation_uid != attempts[0].invocation_uid


async def test_blocking_calls_get_a_deadline_beyond_their_wait(scripted: Any) -> None:
    def answer(name: str, params: Any) -> Any:
        if name == "CountDownLatch.await":
            return True
        if name == "FencedLock.tryLock":
            return 0
        return _groups(name, params)

    cluster, cp = scripted(answer)
    latch = await cp.get_count_down_latch("l")
    await latch.await_latch(30)
    lock = await cp.get_lock("k")
    await lock.try_lock(2)
    timeouts = {name: timeout for name, _, _, timeout in cluster.sent}
    assert timeouts["CountDownLatch.await"] >= 30
    assert timeouts["FencedLock.tryLock"] >= 2
    [(_, await_params, retryable, _)] = [s for s in cluster.sent if s[0] == "CountDownLatch.await"]
    assert await_params.timeout_ms == 30_000 and retryable is True


async def test_lock_takes_one_session_and_gives_it_back(scripted: Any) -> None:
    state = {"fence": 5, "held": 0}

    def answer(name: str, params: Any) -> Any:
        if name == "FencedLock.lock":
            state["held"] += 1
            return state["fence"]
        if name == "FencedLock.unlock":
            state["held"] -= 1
            return state["held"] > 0
        if name == "FencedLock.getLockOwnership":
            return Ownership(state["fence"], state["held"], 11, _current_task())
        return _groups(name, params)

    cluster, cp = scripted(answer)
    lock = await cp.get_lock("k")
    assert isinstance(lock, FencedLock)
    assert await lock.lock() == 5
    assert await lock.lock() == 5
    sessions = cp._sessions
    assert sessions.get_session_id(lock.get_group_id()) == 11
    assert sessions._sessions[lock.get_group_id()].acquired == 2
    await lock.unlock()
    await lock.unlock()
    assert sessions._sessions[lock.get_group_id()].acquired == 0
    assert cluster.names().count("CPSession.createSession") == 1
    lock_requests = [p for name, p, _, _ in cluster.sent if name == "FencedLock.lock"]
    assert len({p.invocation_uid for p in lock_requests}) == 2  # one UUID per call
    assert {p.thread_id for p in lock_requests} == {_current_task()}


async def test_lock_limit_and_unlock_without_a_session(scripted: Any) -> None:
    def answer(name: str, params: Any) -> Any:
        if name == "FencedLock.lock":
            return FencedLock.INVALID_FENCE
        return _groups(name, params)

    cluster, cp = scripted(answer)
    lock = await cp.get_lock("k")
    with pytest.raises(IllegalMonitorStateError):
        await lock.unlock()  # no session: nothing could be held, nothing is sent
    assert "FencedLock.unlock" not in cluster.names()
    with pytest.raises(LockAcquireLimitReachedError):
        await lock.lock()
    assert cp._sessions._sessions[lock.get_group_id()].acquired == 0


async def test_a_lock_retries_in_a_new_session_when_its_session_expired(scripted: Any) -> None:
    sessions = iter([Session(1, 60_000, 5_000), Session(2, 60_000, 5_000)])

    def answer(name: str, params: Any) -> Any:
        if name == "CPSession.createSession":
            return next(sessions)
        if name == "FencedLock.lock":
            if params.session_id == 1:
                raise SessionExpiredError("expired")
            return 8
        return _groups(name, params)

    cluster, cp = scripted(answer)
    lock = await cp.get_lock("k")
    assert await lock.lock() == 8
    uids = {p.invocation_uid for name, p, _, _ in cluster.sent if name == "FencedLock.lock"}
    assert len(uids) == 1  # the same call, in the new session


async def test_semaphore_variant_follows_the_member(scripted: Any) -> None:
    cluster, cp = scripted(_groups)
    assert isinstance(await cp.get_semaphore("s"), SessionAwareSemaphore)
    assert isinstance(await cp.get_semaphore("jdk-s"), SessionlessSemaphore)
    assert cluster.names().count("Semaphore.getSemaphoreType") == 2


async def test_session_aware_release_without_a_session_is_refused_locally(scripted: Any) -> None:
    cluster, cp = scripted(_groups)
    semaphore = await cp.get_semaphore("s")
    with pytest.raises(IllegalStateError):
        await semaphore.release()
    assert "Semaphore.release" not in cluster.names()


async def test_sessionless_semaphore_uses_a_generated_thread_id(scripted: Any) -> None:
    def answer(name: str, params: Any) -> Any:
        if name in ("Semaphore.release", "Semaphore.acquire"):
            return True
        return _groups(name, params)

    cluster, cp = scripted(answer)
    semaphore = await cp.get_semaphore("jdk-s")
    await semaphore.release(2)
    await semaphore.acquire()
    sent = [p for name, p, _, _ in cluster.sent if name.startswith("Semaphore.") and name != "Semaphore.getSemaphoreType"]
    assert {(p.session_id, p.thread_id) for p in sent} == {(-1, 500)}
    assert cluster.names().count("CPSession.generateThreadId") == 1


async def test_shutdown_closes_sessions(scripted: Any) -> None:
    def answer(name: str, params: Any) -> Any:
        if name == "FencedLock.lock":
            return 3
        return _groups(name, params)

    cluster, cp = scripted(answer)
    lock = await cp.get_lock("k")
    await lock.lock()
    await cp.shutdown()
    assert cluster.names()[-1] == "CPSession.closeSession"
    await cp.shutdown()
    assert cluster.names().count("CPSession.closeSession") == 1


def test_the_plugin_provides_cp_subsystem() -> None:
    from hazelcast.cp import _plugin

    [service] = _plugin.hazelcast_client_services()
    assert service.attribute == "cp_subsystem" and service.factory is CPSubsystem


async def test_the_client_finds_the_plugin_through_its_entry_point() -> None:
    from hazelcast.asyncio import HazelcastClient

    assert isinstance(HazelcastClient().cp_subsystem, CPSubsystem)


def _current_task() -> int:
    task = asyncio.current_task()
    return id(task) if task is not None else 0


def test_the_official_import_paths_lead_to_the_same_classes() -> None:
    from hazelcast.cp import AtomicLong, AtomicReference, CountDownLatch, Semaphore
    from hazelcast.internal.asyncio_proxy import atomic_long, atomic_reference, countdown_latch, cp_manager
    from hazelcast.internal.asyncio_proxy import fenced_lock, semaphore

    assert atomic_long.AtomicLong is AtomicLong
    assert atomic_reference.AtomicReference is AtomicReference
    assert countdown_latch.CountDownLatch is CountDownLatch
    assert fenced_lock.FencedLock is FencedLock
    assert semaphore.Semaphore is Semaphore and semaphore.SessionlessSemaphore is SessionlessSemaphore
    assert cp_manager.CPSubsystem is CPSubsystem
