"""List, Set, Queue, PNCounter, FlakeIdGenerator and Executor proxies without a cluster: what they send, where they
route, what they reject before sending, and how a cancelled queue consumer gives its item back."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from hazelcast.collections import Executor, FlakeIdGenerator, List, PNCounter, Queue, Set
from hazelcast.collections._plugin import hazelcast_proxy_types
from hazelcast.collections.flake_id_generator import flake_id_config_for
from hazelcast.config import Config, FlakeIdGeneratorConfig
from hazelcast.core import Address, MemberInfo
from hazelcast.errors import ConsistencyLostError, IllegalStateError, NoDataMemberInClusterError
from hazelcast.protocol import method_by_type
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.proxy import Proxy, ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import partition_hash, partition_id

PARTITIONS = 271


class Sent:
    def __init__(self, name: str, params: Any, partition_id: int, timeout: float | None, target: Any) -> None:
        self.name, self.params, self.partition_id, self.timeout, self.target = name, params, partition_id, timeout, target


class FakeInvocations:
    """Records every request; answers from ``responses[name]`` (a value, an exception, or None to leave it pending)."""

    def __init__(self, responses: dict[str, Any]) -> None:
        self.responses = responses
        self.sent: list[Sent] = []
        self.pending: list[tuple[asyncio.Future[Any], Any, Any]] = []
        self._late: dict[asyncio.Future[Any], Any] = {}

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False,
             timeout: float | None = None, target_uuid: Any = None, on_late_result: Any = None) -> asyncio.Future[Any]:
        (message,) = MessageReader().feed(bytes(request))
        codec = method_by_type(message_type(message))
        self.sent.append(Sent(codec.spec.name, codec.decode_request(message), partition_id, timeout, target_uuid))
        future = asyncio.get_running_loop().create_future()
        answer = self.responses.get(codec.spec.name, _PENDING)
        if answer is _PENDING:
            self.pending.append((future, codec, decoder))
            self._late[future] = on_late_result
        elif isinstance(answer, BaseException):
            future.set_exception(answer)
        else:
            future.set_result(_round_trip(codec, decoder, answer))
        return future

    def answer(self, future: asyncio.Future[Any], value: Any) -> None:
        """Answer a pending request as the invocation service does: to its caller, or, once the caller cancelled it,
        to its ``on_late_result`` (dropped without one)."""
        if not future.done():
            future.set_result(value)
        elif future.cancelled() and self._late.get(future) is not None:
            self._late[future](value)


_PENDING = object()


def _round_trip(codec: Any, decoder: Any, answer: Any) -> Any:
    if decoder is None:
        return None
    params = answer if isinstance(answer, tuple) else ((answer,) if codec.response_names else ())
    (response,) = MessageReader().feed(bytes(codec.encode_response(*params)))
    return decoder(response)


class FakePartitions:
    def __init__(self, serialization: SerializationService) -> None:
        self._serialization = serialization

    def partition_id_of_data(self, data: bytes) -> int:
        return partition_id(partition_hash(data), PARTITIONS)

    def get_partition_id(self, key: Any) -> int:
        return self.partition_id_of_data(self._serialization.to_data(key))


def _member(port: int) -> MemberInfo:
    return MemberInfo(uuid.uuid4(), Address("127.0.0.1", port), False, {}, None, {})  # type: ignore[arg-type]


class FakeClusterService:
    def __init__(self, members: list[MemberInfo]) -> None:
        self.members = members

    def get_members(self, selector: Any = None) -> list[MemberInfo]:
        return [m for m in self.members if selector is None or selector(m)]


class FakeConnections:
    """The connection manager's ``connections``: member uuid -> connection, for the members the client reaches."""

    def __init__(self, members: list[MemberInfo]) -> None:
        self.connections = {member.uuid: object() for member in members}


def make(proxy_class: type, name: str, responses: dict[str, Any] | None = None, config: Config | None = None,
         members: list[MemberInfo] | None = None, connected: list[MemberInfo] | None = None,
         ) -> tuple[Any, FakeInvocations, SerializationService]:
    serialization = SerializationService(Config())
    invocations = FakeInvocations(responses or {})
    context = ProxyContext(
        config=config or Config(), loop=asyncio.get_running_loop(), serialization_service=serialization,
        invocation_service=invocations, partition_service=FakePartitions(serialization),
        cluster_service=FakeClusterService(members or []), listener_service=None,
        connection_manager=FakeConnections(connected if connected is not None else (members or [])),
        lifecycle_service=None, proxy_manager=None, callbacks=None, client=None,
    )  # type: ignore[arg-type]
    return proxy_class("service", name, context), invocations, serialization


def test_plugin_registers_every_proxy_type_with_its_service_name_and_accessor() -> None:
    registered = {(t.service_name, t.proxy_class, t.accessor) for t in hazelcast_proxy_types()}
    assert {
        ("hz:impl:listService", List, "get_list"),
        ("hz:impl:setService", Set, "get_set"),
        ("hz:impl:queueService", Queue, "get_queue"),
        ("hz:impl:PNCounterService", PNCounter, "get_pn_counter"),
        ("hz:impl:flakeIdGeneratorService", FlakeIdGenerator, "get_flake_id_generator"),
        ("hz:impl:executorService", Executor, "get_executor"),
    } <= registered


@pytest.mark.parametrize("proxy_class", [List, Set, Queue])
async def test_requests_go_to_the_partition_of_the_name_or_its_partition_key(proxy_class: type) -> None:
    proxy, invocations, serialization = make(proxy_class, "jobs@tenant-7", {f"{proxy_class.__name__}.size": 0})
    await proxy.size()
    expected = partition_id(partition_hash(serialization.to_data("tenant-7")), PARTITIONS)
    assert invocations.sent[0].partition_id == expected
    assert invocations.sent[0].params == "jobs@tenant-7"


# The calls every collection has, each with the arguments to make it and the answer its member sends.
_SHARED_CALLS = [
    ("add_all", (["a", "b"],), "addAll", True),
    ("clear", (), "clear", None),
    ("contains", ("a",), "contains", True),
    ("contains_all", (["a"],), "containsAll", False),
    ("is_empty", (), "isEmpty", True),
    ("remove", ("a",), "remove", True),
    ("remove_all", (["a"],), "compareAndRemoveAll", True),
    ("retain_all", (["a"],), "compareAndRetainAll", False),
    ("size", (), "size", 3),
]


@pytest.mark.parametrize("proxy_class", [List, Set, Queue])
@pytest.mark.parametrize(("call", "args", "message", "answer"), _SHARED_CALLS)
async def test_the_calls_every_collection_has_send_their_own_service_message(
    proxy_class: type, call: str, args: tuple[Any, ...], message: str, answer: Any
) -> None:
    service = proxy_class.__name__
    proxy, invocations, _ = make(proxy_class, "c", {f"{service}.{message}": answer})
    assert await getattr(proxy, call)(*args) == answer
    (sent,) = invocations.sent
    assert sent.name == f"{service}.{message}"
    params = sent.params if isinstance(sent.params, str) else sent.params.name
    assert params == "c"


@pytest.mark.parametrize("proxy_class", [List, Set])
async def test_add_sends_the_add_message_of_lists_and_sets(proxy_class: type) -> None:
    proxy, invocations, serialization = make(proxy_class, "c", {f"{proxy_class.__name__}.add": False})
    assert await proxy.add("a") is False
    assert invocations.sent[0].name == f"{proxy_class.__name__}.add"
    assert invocations.sent[0].params.value == serialization.to_data("a")


def test_each_collection_has_the_official_clients_methods_and_no_other() -> None:
    common = {"add", "add_all", "add_listener", "clear", "contains", "contains_all", "is_empty", "remove",
              "remove_all", "remove_listener", "retain_all", "size"}
    official = {
        List: common | {"add_at", "add_all_at", "get", "get_all", "iterator", "index_of", "last_index_of",
                        "list_iterator", "remove_at", "set_at", "sub_list"},
        Set: common | {"get_all"},
        Queue: common | {"drain_to", "iterator", "offer", "peek", "poll", "put", "remaining_capacity", "take"},
    }
    proxy_members = {name for name in dir(Proxy) if not name.startswith("_")}
    for proxy_class, methods in official.items():
        assert {name for name in dir(proxy_class) if not name.startswith("_")} - proxy_members == methods


def test_a_collection_states_its_own_meaning_where_it_differs() -> None:
    assert "first occurrence" in (List.remove.__doc__ or "")
    assert "Append" in (List.add.__doc__ or "") and "in their order" in (List.add_all.__doc__ or "")
    assert "there already" in (Set.add.__doc__ or "")
    assert "in order" in (Queue.add_all.__doc__ or "")
    assert "full" in (Queue.add.__doc__ or "")


async def test_list_sends_indexes_and_items() -> None:
    lst, invocations, serialization = make(List, "l", {"List.addAllWithIndex": True})
    assert await lst.add_all_at(2, ["a", "b"])
    sent = invocations.sent[0]
    assert sent.name == "List.addAllWithIndex"
    assert sent.params.index == 2 and sent.params.value_list == [serialization.to_data("a"), serialization.to_data("b")]


async def test_none_items_and_bad_types_are_rejected_before_sending() -> None:
    q, invocations, _ = make(Queue, "q")
    lst, list_invocations, _ = make(List, "l")
    for call in (q.offer(None), q.put(None), q.add_all([1, None]), q.add_all(None), q.contains_all(None),
                 lst.add(None), lst.add_all_at(0, [None]), lst.set_at(0, None)):
        with pytest.raises(ValueError):
            await call
    for call in (q.offer(1, -1), q.poll(-0.001), q.drain_to([], -5)):
        with pytest.raises(ValueError):
            await call
    for call in (q.poll("1"), q.offer(1, timeout=True), lst.get(1.0), lst.add_all("abc"), q.drain_to(None)):
        with pytest.raises(TypeError):
            await call
    assert invocations.sent == [] and list_invocations.sent == []


async def test_timeouts_travel_in_millis_and_blocking_calls_get_a_long_client_deadline() -> None:
    q, invocations, _ = make(Queue, "q", {"Queue.offer": True, "Queue.poll": None, "Queue.put": None})
    await q.offer("x", timeout=1.5)
    await q.poll(timeout=0.25)
    await q.put("y")
    offer, poll, put = invocations.sent
    assert offer.params.timeout_millis == 1500 and offer.timeout > 1.5
    assert poll.params.timeout_millis == 250 and poll.timeout > 0.25
    assert put.timeout > 3600 * 24 * 365


async def test_add_to_a_full_queue_raises_illegal_state() -> None:
    q, _, _ = make(Queue, "q", {"Queue.offer": False})
    with pytest.raises(IllegalStateError):
        await q.add(1)


async def test_a_cancelled_take_puts_a_late_item_back() -> None:
    q, invocations, serialization = make(Queue, "q", {"Queue.put": None})
    take = asyncio.ensure_future(q.take())
    await asyncio.sleep(0)
    take.cancel()
    with pytest.raises(asyncio.CancelledError):
        await take
    (future, codec, decoder), = invocations.pending
    invocations.answer(future, _round_trip(codec, decoder, serialization.to_data("late")))
    for _ in range(5):
        await asyncio.sleep(0)
    assert [(s.name, s.params.value) for s in invocations.sent[1:]] == [("Queue.put", serialization.to_data("late"))]


async def test_a_cancelled_poll_that_got_nothing_returns_nothing() -> None:
    q, invocations, _ = make(Queue, "q")
    poll = asyncio.ensure_future(q.poll(1))
    await asyncio.sleep(0)
    poll.cancel()
    (future, codec, decoder), = invocations.pending
    invocations.answer(future, _round_trip(codec, decoder, None))
    for _ in range(5):
        await asyncio.sleep(0)
    assert [s.name for s in invocations.sent] == ["Queue.poll"]


async def test_drain_to_appends_to_the_target_list() -> None:
    serialization = SerializationService(Config())
    q, invocations, _ = make(Queue, "q", {"Queue.drainToMaxSize": [serialization.to_data(1), serialization.to_data(2)]})
    target = [0]
    assert await q.drain_to(target, 2) == 2
    assert target == [0, 1, 2] and invocations.sent[0].params.max_size == 2


async def test_pn_counter_sends_the_observed_clock_to_its_replica() -> None:
    members = [_member(5701), _member(5702)]
    replica = uuid.uuid4()
    counter, invocations, _ = make(PNCounter, "c", {
        "PNCounter.getConfiguredReplicaCount": 5,
        "PNCounter.add": (3, [(replica, 4)], 2),
        "PNCounter.get": (3, [(replica, 4)], 2),
    }, members=members)
    assert await counter.add_and_get(3) == 3
    assert await counter.get() == 3
    add, get = invocations.sent[1:]
    assert add.target == add.params.target_replica_uuid and add.target in {m.uuid for m in members}
    assert add.params.replica_timestamps == [] and get.params.replica_timestamps == [(replica, 4)]
    assert get.target == add.target, "the replica is kept while it answers"
    counter.reset()
    await counter.get()
    assert invocations.sent[-1].params.replica_timestamps == []


async def test_pn_counter_leaves_failed_replicas_out_and_raises_the_last_error() -> None:
    members = [_member(5701), _member(5702)]
    counter, invocations, _ = make(PNCounter, "c", {
        "PNCounter.getConfiguredReplicaCount": 2,
        "PNCounter.get": ConsistencyLostError("not seen"),
    }, members=members)
    with pytest.raises(ConsistencyLostError):
        await counter.get()
    assert {s.target for s in invocations.sent[1:]} == {m.uuid for m in members}
    empty, _, _ = make(PNCounter, "c", {"PNCounter.getConfiguredReplicaCount": 2})
    with pytest.raises(NoDataMemberInClusterError):
        await empty.get()


async def test_pn_counter_picks_among_the_first_replica_count_members() -> None:
    members = [_member(5701 + i) for i in range(3)]
    counter, invocations, _ = make(PNCounter, "c", {
        "PNCounter.getConfiguredReplicaCount": 1, "PNCounter.get": (0, [], 1)}, members=members)
    for _ in range(5):
        counter._target = None
        await counter.get()
    assert {s.target for s in invocations.sent if s.name == "PNCounter.get"} == {members[0].uuid}


async def test_flake_id_batches_follow_the_wildcard_config() -> None:
    config = Config()
    config.flake_id_generators = {"ids-*": {"prefetch_count": 2}}
    gen, invocations, _ = make(FlakeIdGenerator, "ids-a", {"FlakeIdGenerator.newIdBatch": (1000, 10, 2)}, config)
    assert [await gen.new_id() for _ in range(3)] == [1000, 1010, 1000]
    assert [s.params.batch_size for s in invocations.sent] == [2, 2]


def test_flake_id_config_lookup() -> None:
    chosen = FlakeIdGeneratorConfig.from_dict({"prefetch_count": 7})
    assert flake_id_config_for({"a*c": chosen, "a*": FlakeIdGeneratorConfig()}, "abc") is chosen
    assert flake_id_config_for({}, "x").prefetch_count == 100


async def test_executor_routes_tasks_to_key_owner_and_members() -> None:
    members = [_member(5701), _member(5702)]
    executor, invocations, serialization = make(Executor, "e", {
        "ExecutorService.submitToPartition": serialization_result(5),
        "ExecutorService.submitToMember": serialization_result(6),
    }, members=members)
    assert await executor.execute_on_key_owner("key", "task") == 5
    assert await executor.execute_on_all_members("task") == [6, 6]
    on_key, *on_members = invocations.sent
    assert on_key.partition_id == partition_id(partition_hash(serialization.to_data("key")), PARTITIONS)
    assert [s.target for s in on_members] == [m.uuid for m in members]
    assert [s.params.member_uuid for s in on_members] == [m.uuid for m in members]
    with pytest.raises(ValueError):
        await executor.execute_on_key_owner("key", None)


def serialization_result(value: int) -> bytes:
    return SerializationService(Config()).to_data(value)


async def test_targets_without_a_connection_are_reached_through_another_member() -> None:
    members = [_member(5701), _member(5702)]
    executor, invocations, _ = make(Executor, "e", {"ExecutorService.submitToMember": serialization_result(1)},
                                    members=members, connected=members[:1])
    await executor.execute_on_all_members("task")
    assert [s.target for s in invocations.sent] == [members[0].uuid, None]
    assert [s.params.member_uuid for s in invocations.sent] == [members[0].uuid, members[1].uuid]
    counter, counter_invocations, _ = make(PNCounter, "c", {
        "PNCounter.getConfiguredReplicaCount": 1, "PNCounter.get": (0, [], 1)}, members=members, connected=[])
    await counter.get()
    sent = counter_invocations.sent[-1]
    assert sent.target is None and sent.params.target_replica_uuid == members[0].uuid


async def test_executor_checks_every_member_before_sending() -> None:
    members = [_member(5701)]
    executor, invocations, _ = make(Executor, "e", members=members)
    with pytest.raises(TypeError):
        await executor.execute_on_members([members[0], "not a member"], "task")
    with pytest.raises(ValueError):
        await executor.execute_on_members([members[0], None], "task")
    assert invocations.sent == []


async def test_a_take_cancelled_between_its_answer_and_its_resumption_puts_the_item_back() -> None:
    q, invocations, serialization = make(Queue, "q", {"Queue.put": None})
    take = asyncio.ensure_future(q.take())
    await asyncio.sleep(0)
    (future, codec, decoder), = invocations.pending
    future.set_result(_round_trip(codec, decoder, serialization.to_data("answered")))
    # The take's task is woken by the answer but has not run yet.
    take.cancel()
    with pytest.raises(asyncio.CancelledError):
        await take
    for _ in range(5):
        await asyncio.sleep(0)
    assert [(s.name, s.params.value) for s in invocations.sent[1:]] == [("Queue.put", serialization.to_data("answered"))]
