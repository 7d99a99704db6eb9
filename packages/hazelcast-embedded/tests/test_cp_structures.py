"""The member's CP data structures over the raw protocol: exactly-once by invocation UUID, order, limits, destroy."""

from __future__ import annotations

import asyncio
import struct
import uuid
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.hookspecs import hookimpl
from hazelcast.embedded.spec import ServerClass
from hazelcast.protocol import method
from hazelcast.protocol.errors_codec import decode_error
from hazelcast.protocol.frames import message_type

_FACTORY_ID = 91
_ADD = 1


class AddFunction:
    """A server-side IFunction: ``apply(value)`` returns value + amount."""

    def __init__(self) -> None:
        self.amount = 0

    def read_data(self, inp: Any) -> None:
        self.amount = inp.read_int()

    def write_data(self, out: Any) -> None:
        out.write_int(self.amount)

    def get_factory_id(self) -> int:
        return _FACTORY_ID

    def get_class_id(self) -> int:
        return _ADD

    def apply(self, value: int) -> int:
        return value + self.amount


class _Plugin:
    @hookimpl
    def hazelcast_embedded_server_classes(self) -> tuple[ServerClass, ...]:
        return (ServerClass(_FACTORY_ID, _ADD, AddFunction),)


def _add(amount: int) -> bytes:
    # IdentifiedDataSerializable Data: partition hash, type id -2, identified flag, factory id, class id, fields.
    return struct.pack(">ii?iii", 0, -2, True, _FACTORY_ID, _ADD, amount)


_CONFIG = {"cp-subsystem": {"semaphores": {"jdk": {"jdk-compatible": True}}, "locks": {"once": {"lock-acquire-limit": 1}}}}


@pytest.fixture
async def cp_cluster() -> Any:
    async with EmbeddedCluster(member_count=2, config=_CONFIG, plugins=[_Plugin()]) as cluster:
        yield cluster


@pytest.fixture
async def client(cp_cluster: EmbeddedCluster, connect: Any) -> Any:
    return await connect(cp_cluster.addresses[0])


@pytest.fixture
async def group(client: Any) -> Any:
    return await client.call("CPGroup.createCPGroup", "x")


def _decode(message: Any, name: str) -> Any:
    if message_type(message) == 0:
        raise AssertionError(decode_error(message)[0].class_name)
    return method(name).decode_response(message)


async def test_atomic_long_runs_functions(cp_cluster: EmbeddedCluster, client: Any, group: Any) -> None:
    assert await client.call("AtomicLong.addAndGet", group, "n", 5) == 5
    assert await client.call("AtomicLong.alter", group, "n", _add(3), 0) == 5  # old value
    assert await client.call("AtomicLong.alter", group, "n", _add(3), 1) == 11  # new value
    assert cp_cluster.to_object(await client.call("AtomicLong.apply", group, "n", _add(1))) == 12
    assert await client.call("AtomicLong.get", group, "n") == 11


async def test_atomic_ref_compares_bytes(client: Any, group: Any, wire: Any) -> None:
    value = wire.data_str("a")
    assert await client.call("AtomicRef.set", group, "r", value, True) is None
    assert await client.call("AtomicRef.contains", group, "r", wire.data_str("a")) is True
    assert await client.call("AtomicRef.compareAndSet", group, "r", wire.data_str("b"), None) is False
    assert await client.call("AtomicRef.compareAndSet", group, "r", value, None) is True
    assert await client.call("AtomicRef.contains", group, "r", None) is True
    assert await client.call("AtomicRef.get", group, "r") is None


async def test_latch_counts_each_invocation_once_per_round(client: Any, group: Any, wire: Any) -> None:
    assert await client.call("CountDownLatch.trySetCount", group, "l", 2) is True
    assert await client.call("CountDownLatch.getRound", group, "l") == 1
    uid = uuid.uuid4()
    for _ in range(3):
        await client.call("CountDownLatch.countDown", group, "l", uid, 1)
    assert await client.call("CountDownLatch.getCount", group, "l") == 1
    await client.call("CountDownLatch.countDown", group, "l", uuid.uuid4(), 0)  # an earlier round: ignored
    assert await client.call("CountDownLatch.getCount", group, "l") == 1
    with pytest.raises(wire.ProtocolError):
        await client.call("CountDownLatch.countDown", group, "l", uuid.uuid4(), 2)  # a round ahead
    with pytest.raises(wire.ProtocolError):
        await client.call("CountDownLatch.trySetCount", group, "l", 0)
    assert await client.call("CountDownLatch.await", group, "l", uuid.uuid4(), 50) is False


async def test_lock_is_exactly_once_reentrant_and_limited(client: Any, group: Any, wire: Any) -> None:
    session = (await client.call("CPSession.createSession", group, "c")).session_id
    uid = uuid.uuid4()
    fence = await client.call("FencedLock.lock", group, "lk", session, 7, uid)
    assert await client.call("FencedLock.lock", group, "lk", session, 7, uid) == fence  # a retry: not counted
    assert (await client.call("FencedLock.getLockOwnership", group, "lk")).lock_count == 1
    assert await client.call("FencedLock.lock", group, "lk", session, 7, uuid.uuid4()) == fence
    ownership = await client.call("FencedLock.getLockOwnership", group, "lk")
    assert (ownership.fence, ownership.lock_count, ownership.session_id, ownership.thread_id) == (fence, 2, session, 7)
    with pytest.raises(wire.ProtocolError) as raised:
        await client.call("FencedLock.unlock", group, "lk", session, 8, uuid.uuid4())
    assert raised.value.class_name == "java.lang.IllegalMonitorStateException"
    unlock_uid = uuid.uuid4()
    assert await client.call("FencedLock.unlock", group, "lk", session, 7, unlock_uid) is True
    assert await client.call("FencedLock.unlock", group, "lk", session, 7, unlock_uid) is True  # retry: same answer
    assert (await client.call("FencedLock.getLockOwnership", group, "lk")).lock_count == 1
    assert await client.call("FencedLock.tryLock", group, "lk", session, 9, uuid.uuid4(), 0) == 0
    assert await client.call("FencedLock.lock", group, "once", session, 7, uuid.uuid4()) > fence
    assert await client.call("FencedLock.lock", group, "once", session, 7, uuid.uuid4()) == 0  # limit 1


async def test_lock_waiters_in_order_and_timeouts(cp_cluster: EmbeddedCluster, connect: Any, client: Any,
                                                   group: Any) -> None:
    session = (await client.call("CPSession.createSession", group, "c")).session_id
    first = await client.call("FencedLock.lock", group, "q", session, 1, uuid.uuid4())
    waiters = []
    for thread in (2, 3):
        other = await connect(cp_cluster.addresses[1])
        correlation, request = other.encode("FencedLock.lock", group, "q", session, thread, uuid.uuid4())
        other.write(request)
        waiters.append((other, correlation))
        await asyncio.sleep(0.02)
    assert await client.call("FencedLock.tryLock", group, "q", session, 4, uuid.uuid4(), 100) == 0
    await client.call("FencedLock.unlock", group, "q", session, 1, uuid.uuid4())
    other, correlation = waiters[0]
    second = _decode(await other.response(correlation), "FencedLock.lock")
    assert second > first
    await client.call("FencedLock.unlock", group, "q", session, 2, uuid.uuid4())
    other, correlation = waiters[1]
    assert _decode(await other.response(correlation), "FencedLock.lock") > second


async def test_semaphore_session_accounting(client: Any, group: Any, wire: Any) -> None:
    session = (await client.call("CPSession.createSession", group, "c")).session_id
    await client.call("Semaphore.init", group, "s", 3)
    uid = uuid.uuid4()
    assert await client.call("Semaphore.acquire", group, "s", session, 1, uid, 2, -1) is True
    assert await client.call("Semaphore.acquire", group, "s", session, 1, uid, 2, -1) is True  # a retry
    assert await client.call("Semaphore.availablePermits", group, "s") == 1
    with pytest.raises(wire.ProtocolError) as raised:
        await client.call("Semaphore.release", group, "s", session, 1, uuid.uuid4(), 3)
    assert raised.value.class_name == "java.lang.IllegalArgumentException"
    release_uid = uuid.uuid4()
    for _ in range(2):
        await client.call("Semaphore.release", group, "s", session, 1, release_uid, 1)
    assert await client.call("Semaphore.availablePermits", group, "s") == 2
    assert await client.call("Semaphore.drain", group, "s", session, 1, uuid.uuid4()) == 2
    with pytest.raises(wire.ProtocolError) as raised:
        await client.call("Semaphore.acquire", group, "s", -1, 1, uuid.uuid4(), 1, 0)
    assert raised.value.class_name == "com.hazelcast.cp.internal.session.SessionExpiredException"
    assert await client.call("Semaphore.getSemaphoreType", "s") is False
    assert await client.call("Semaphore.getSemaphoreType", "jdk@DEFAULT") is True


async def test_sessionless_semaphore_releases_freely(client: Any, group: Any) -> None:
    thread = await client.call("CPSession.generateThreadId", group)
    assert await client.call("Semaphore.release", group, "jdk", -1, thread, uuid.uuid4(), 2) is True
    assert await client.call("Semaphore.acquire", group, "jdk", -1, thread, uuid.uuid4(), 2, 0) is True
    assert await client.call("Semaphore.change", group, "jdk", -1, thread, uuid.uuid4(), -1) is True
    assert await client.call("Semaphore.availablePermits", group, "jdk") == -1


async def test_destroy_fails_waiters_and_forbids_reuse(cp_cluster: EmbeddedCluster, connect: Any, client: Any,
                                                       group: Any, wire: Any) -> None:
    await client.call("CountDownLatch.trySetCount", group, "gone", 1)
    waiter = await connect(cp_cluster.addresses[1])
    correlation, request = waiter.encode("CountDownLatch.await", group, "gone", uuid.uuid4(), 5000)
    waiter.write(request)
    await asyncio.sleep(0.05)
    await client.call("CPGroup.destroyCPObject", group, "hz:raft:countDownLatchService", "gone")
    with pytest.raises(AssertionError, match="DistributedObjectDestroyed"):
        _decode(await waiter.response(correlation), "CountDownLatch.await")
    with pytest.raises(wire.ProtocolError) as raised:
        await client.call("CountDownLatch.getCount", group, "gone")
    assert raised.value.class_name == "com.hazelcast.spi.exception.DistributedObjectDestroyedException"
    assert await client.call("AtomicLong.get", group, "gone") == 0  # another service's name space
