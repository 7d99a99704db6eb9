"""The MultiMap and ReplicatedMap proxies without a cluster: what they send, where they route, what they reject.

A recording stand-in for the invocation service answers every call from a table, so these tests need only
hazelcast-core and this distribution.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from hazelcast.collections import EntryEvent, EntryEventType, MultiMap, ReplicatedMap
from hazelcast.collections._plugin import MULTI_MAP_SERVICE, REPLICATED_MAP_SERVICE, hazelcast_proxy_types
from hazelcast.config import Config
from hazelcast.protocol import method
from hazelcast.protocol.frames import MessageReader, message_type
from hazelcast.proxy import ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.serialization.hashing import partition_hash, partition_id

PARTITIONS = 271
_CODECS = {
    codec.request_type: codec
    for codec in (
        *(method(f"MultiMap.{name}") for name in (
            "put", "get", "remove", "removeEntry", "putAll", "size", "valueCount", "lock", "tryLock", "unlock",
            "forceUnlock", "isLocked", "addEntryListener", "addEntryListenerToKey", "removeEntryListener",
        )),
        *(method(f"ReplicatedMap.{name}") for name in (
            "put", "get", "putAll", "size", "keySet", "entrySet", "addEntryListener", "addEntryListenerToKey",
            "addEntryListenerWithPredicate", "addEntryListenerToKeyWithPredicate", "removeEntryListener",
        )),
    )
}


class RecordingInvocations:
    """Records (message name, decoded request, partition id) and answers with ``responses[name]``."""

    def __init__(self, responses: dict[str, Any]) -> None:
        self.responses = responses
        self.sent: list[tuple[str, Any, int]] = []

    def call(self, request: bytearray, partition_id: int = -1, decoder: Any = None, retryable: bool = False,
             timeout: float | None = None, target_uuid: Any = None) -> asyncio.Future[Any]:
        (message,) = MessageReader().feed(bytes(request))
        codec = _CODECS[message_type(message)]
        name = codec.spec.name
        self.sent.append((name, codec.decode_request(message), partition_id))
        future = asyncio.get_running_loop().create_future()
        answer = self.responses.get(name)
        if decoder is not None:
            params = (answer,) if codec.response_names else ()
            (response,) = MessageReader().feed(bytes(codec.encode_response(*params)))
            answer = decoder(response)
        future.set_result(answer)
        return future


class FixedPartitions:
    def partition_id_of_data(self, data: bytes) -> int:
        return partition_id(partition_hash(data), PARTITIONS)

    def get_partition_count(self) -> int:
        return PARTITIONS


class RecordingListeners:
    """Keeps what a proxy registers; ``deliver`` feeds an event message to the handler."""

    def __init__(self) -> None:
        self.registrations: dict[str, tuple[Any, ...]] = {}

    async def register(self, add_request: Any, decode: Any, remove_request: Any, handler: Any) -> str:
        registration_id = f"r{len(self.registrations)}"
        self.registrations[registration_id] = (add_request, decode, remove_request, handler)
        return registration_id

    async def deregister(self, registration_id: str) -> bool:
        return self.registrations.pop(registration_id, None) is not None


class InlineCallbacks:
    def run(self, event_name: str, callback: Any, *args: Any) -> None:
        callback(*args)


def make(proxy_class: Any, service: str, responses: dict[str, Any] | None = None) -> tuple[Any, ...]:
    serialization = SerializationService(Config())
    invocations = RecordingInvocations(responses or {})
    listeners = RecordingListeners()
    context = ProxyContext(
        config=Config(), loop=asyncio.get_running_loop(), serialization_service=serialization,
        invocation_service=invocations, partition_service=FixedPartitions(), cluster_service=None,
        listener_service=listeners, connection_manager=None, lifecycle_service=None, proxy_manager=None,
        callbacks=InlineCallbacks(), client=None,
    )  # type: ignore[arg-type]
    return proxy_class(service, "things", context), invocations, serialization, listeners


def _decode(name: str, request: bytearray) -> Any:
    (message,) = MessageReader().feed(bytes(request))
    return method(name).decode_request(message)


def test_plugin_provides_both_types_with_their_accessors() -> None:
    found = {t.accessor: (t.service_name, t.proxy_class) for t in hazelcast_proxy_types()}
    assert found["get_multi_map"] == (MULTI_MAP_SERVICE, MultiMap)
    assert found["get_replicated_map"] == (REPLICATED_MAP_SERVICE, ReplicatedMap)
    assert (MULTI_MAP_SERVICE, REPLICATED_MAP_SERVICE) == ("hz:impl:multiMapService", "hz:impl:replicatedMapService")


# -- MultiMap ------------------------------------------------------------------------------------------------------


async def test_multimap_key_operations_go_to_the_key_partition_with_the_task_id() -> None:
    mm, invocations, serialization, _ = make(MultiMap, MULTI_MAP_SERVICE, {"MultiMap.put": True})
    assert await mm.put("k", 1) is True
    name, params, pid = invocations.sent[0]
    key_data = serialization.to_data("k")
    assert (name, params.name, params.key, params.value, pid) == (
        "MultiMap.put", "things", key_data, serialization.to_data(1), FixedPartitions().partition_id_of_data(key_data)
    )
    assert params.thread_id == id(asyncio.current_task())


async def test_multimap_get_is_none_for_no_values_and_a_list_otherwise() -> None:
    mm, invocations, serialization, _ = make(MultiMap, MULTI_MAP_SERVICE, {"MultiMap.get": []})
    assert await mm.get("k") is None
    invocations.responses["MultiMap.get"] = [serialization.to_data("a"), serialization.to_data("b")]
    assert await mm.get("k") == ["a", "b"]
    invocations.responses["MultiMap.remove"] = []
    assert await mm.remove_all("k") == []


async def test_multimap_put_all_sends_one_request_per_partition() -> None:
    mm, invocations, serialization, _ = make(MultiMap, MULTI_MAP_SERVICE)
    await mm.put_all({key: [key, -key] for key in range(50)})
    partitions = [pid for _, _, pid in invocations.sent]
    assert len(partitions) == len(set(partitions))
    sent = {serialization.to_object(k): [serialization.to_object(v) for v in vs]
            for _, params, _ in invocations.sent for k, vs in params.entries}
    assert sent == {key: [key, -key] for key in range(50)}


async def test_multimap_locks_send_lease_timeout_and_fresh_reference_ids() -> None:
    mm, invocations, _, _ = make(MultiMap, MULTI_MAP_SERVICE, {"MultiMap.tryLock": True})
    await mm.lock("k")
    await mm.lock("k", lease_time=1.5)
    assert await mm.try_lock("k", lease_time=2, timeout=0.25) is True
    await mm.unlock("k")
    await mm.force_unlock("k")
    (_, first, _), (_, second, _), (_, third, _), (_, fourth, _), (_, fifth, _) = invocations.sent
    assert (first.ttl, second.ttl) == (-1, 1500)
    assert (third.lease, third.timeout) == (2000, 250)
    assert len({p.reference_id for p in (first, second, third, fourth, fifth)}) == 5
    assert first.thread_id == third.thread_id == fourth.thread_id == id(asyncio.current_task())


@pytest.mark.parametrize("lease", [0, -1])
async def test_multimap_lock_rejects_a_non_positive_lease(lease: float) -> None:
    mm, invocations, _, _ = make(MultiMap, MULTI_MAP_SERVICE)
    with pytest.raises(ValueError):
        await mm.lock("k", lease_time=lease)
    with pytest.raises(ValueError):
        await mm.try_lock("k", lease_time=lease)
    assert invocations.sent == []


async def test_multimap_listener_requests_and_event_dispatch() -> None:
    mm, _, serialization, listeners = make(MultiMap, MULTI_MAP_SERVICE)
    added: list[EntryEvent[Any, Any]] = []
    cleared: list[EntryEvent[Any, Any]] = []
    everything = await mm.add_entry_listener(include_value=True, added_func=added.append, clear_all_func=cleared.append)
    keyed = await mm.add_entry_listener(key="k")
    add_request, _, remove_request, handler = listeners.registrations[everything]
    params = _decode("MultiMap.addEntryListener", add_request(True))
    assert (params.name, params.include_value, params.local_only) == ("things", True, True)
    keyed_params = _decode("MultiMap.addEntryListenerToKey", listeners.registrations[keyed][0](False))
    assert (keyed_params.key, keyed_params.include_value, keyed_params.local_only) == (
        serialization.to_data("k"), False, False
    )
    encode_event = method("MultiMap.addEntryListener").encode_event[0]
    for event in (
        encode_event(serialization.to_data("k"), serialization.to_data(1), None, None, 1, None, 1),
        encode_event(serialization.to_data("k"), None, serialization.to_data(1), None, 2, None, 1),
        encode_event(None, None, None, None, 64, None, 3),
    ):
        (message,) = MessageReader().feed(bytes(event))
        handler(message)
    assert [(e.key, e.value, e.event_type) for e in added] == [("k", 1, EntryEventType.ADDED)]
    assert [(e.key, e.number_of_affected_entries) for e in cleared] == [(None, 3)]
    server_id = uuid.uuid4()
    removal = _decode("MultiMap.removeEntryListener", remove_request(server_id))
    assert (removal.name, removal.registration_id) == ("things", server_id)
    assert await mm.remove_entry_listener(everything) is True
    assert await mm.remove_entry_listener(everything) is False


# -- ReplicatedMap -------------------------------------------------------------------------------------------------


async def test_replicated_put_sends_ttl_in_millis_to_the_key_partition() -> None:
    rm, invocations, serialization, _ = make(ReplicatedMap, REPLICATED_MAP_SERVICE, {"ReplicatedMap.put": None})
    assert await rm.put("k", "v", ttl=2.5) is None
    assert await rm.put("k", "v") is None
    (_, first, pid), (_, second, _) = invocations.sent
    assert (first.ttl, second.ttl) == (2500, 0)
    assert pid == FixedPartitions().partition_id_of_data(serialization.to_data("k"))


async def test_replicated_whole_map_reads_use_one_random_partition() -> None:
    rm, invocations, _, _ = make(
        ReplicatedMap, REPLICATED_MAP_SERVICE, {"ReplicatedMap.size": 0, "ReplicatedMap.keySet": [], "ReplicatedMap.entrySet": []}
    )
    await rm.size()
    await rm.key_set()
    await rm.entry_set()
    partitions = {pid for _, _, pid in invocations.sent}
    assert len(partitions) == 1 and 0 <= partitions.pop() < PARTITIONS


async def test_replicated_put_all_is_one_request() -> None:
    rm, invocations, serialization, _ = make(ReplicatedMap, REPLICATED_MAP_SERVICE)
    await rm.put_all({1: "a", 2: "b"})
    await rm.put_all({})
    ((name, params, _),) = invocations.sent
    assert name == "ReplicatedMap.putAll"
    assert [(serialization.to_object(k), serialization.to_object(v)) for k, v in params.entries] == [(1, "a"), (2, "b")]


async def test_replicated_listener_picks_the_message_for_key_and_predicate() -> None:
    rm, _, serialization, listeners = make(ReplicatedMap, REPLICATED_MAP_SERVICE)
    predicate = "a serializable stand-in"
    ids = [
        await rm.add_entry_listener(),
        await rm.add_entry_listener(key="k"),
        await rm.add_entry_listener(predicate=predicate),
        await rm.add_entry_listener(key="k", predicate=predicate),
    ]
    names = ["addEntryListener", "addEntryListenerToKey", "addEntryListenerWithPredicate",
             "addEntryListenerToKeyWithPredicate"]
    for registration_id, name in zip(ids, names):
        params = _decode(f"ReplicatedMap.{name}", listeners.registrations[registration_id][0](True))
        assert params.local_only is True
        if "Key" in name:
            assert params.key == serialization.to_data("k")
        if "Predicate" in name:
            assert params.predicate == serialization.to_data(predicate)


async def test_replicated_listener_dispatches_each_event_type() -> None:
    rm, _, serialization, listeners = make(ReplicatedMap, REPLICATED_MAP_SERVICE)
    seen: list[tuple[str, int]] = []
    registration_id = await rm.add_entry_listener(
        added_func=lambda e: seen.append(("added", e.event_type)),
        removed_func=lambda e: seen.append(("removed", e.event_type)),
        updated_func=lambda e: seen.append(("updated", e.event_type)),
        evicted_func=lambda e: seen.append(("evicted", e.event_type)),
        clear_all_func=lambda e: seen.append(("clear_all", e.event_type)),
    )
    handler = listeners.registrations[registration_id][3]
    encode_event = method("ReplicatedMap.addEntryListener").encode_event[0]
    for event_type in (1, 4, 2, 8, 64, 16):
        (message,) = MessageReader().feed(bytes(encode_event(serialization.to_data("k"), None, None, None,
                                                             event_type, None, 1)))
        handler(message)
    assert seen == [("added", 1), ("updated", 4), ("removed", 2), ("evicted", 8), ("clear_all", 64)]


async def test_replicated_rejects_bad_input_before_sending() -> None:
    rm, invocations, _, _ = make(ReplicatedMap, REPLICATED_MAP_SERVICE)
    with pytest.raises(ValueError):
        await rm.put(None, 1)
    with pytest.raises(ValueError):
        await rm.put(1, None)
    with pytest.raises(ValueError):
        await rm.put(1, 1, ttl=-0.5)
    with pytest.raises(TypeError):
        await rm.put_all([(1, 1)])
    with pytest.raises(TypeError):
        await rm.add_entry_listener(updated_func=object())
    assert invocations.sent == []
