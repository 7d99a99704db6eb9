"""The whole cluster restarted: every member killed, then started again on its port (a new cluster, no data).

What users rely on, per ReconnectMode: ON reconnects by the retry policy, re-registers listeners, re-sends the Compact
schemas the new cluster lacks, and reports DISCONNECTED then CONNECTED once; OFF shuts the client down in order; ASYNC
fails calls fast with ClientOfflineError while offline and works again once reconnected.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hazelcast.embedded import EmbeddedCluster
from hazelcast.embedded.schemas import schema_registry
from hazelcast.errors import ClientOfflineError, HazelcastClientNotActiveError
from hazelcast.lifecycle import LifecycleState
from hazelcast.serialization.compact import CompactReader, CompactSerializer, CompactWriter

from .conftest import SOAK_FACTOR, ScenarioRecord, faulty_client

_START = [LifecycleState.STARTING, LifecycleState.STARTED, LifecycleState.CONNECTED]
RESTARTS = 2 * SOAK_FACTOR


class Parcel:
    def __init__(self, code: str, grams: int) -> None:
        self.code = code
        self.grams = grams


class ParcelSerializer(CompactSerializer[Parcel]):
    def read(self, reader: CompactReader) -> Parcel:
        return Parcel(reader.read_string("code"), reader.read_int32("grams"))

    def write(self, writer: CompactWriter, obj: Parcel) -> None:
        writer.write_string("code", obj.code)
        writer.write_int32("grams", obj.grams)

    def get_class(self) -> type[Parcel]:
        return Parcel

    def get_type_name(self) -> str:
        return "faults.Parcel"


async def _wait(condition: Any, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"not within {timeout}s: {what}"
        await asyncio.sleep(0.02)


async def _kill_all(cluster: EmbeddedCluster, record: ScenarioRecord) -> None:
    for member in list(cluster.live_members):
        await member.kill()
    record.fault("cluster-restart")


async def _restart_all(cluster: EmbeddedCluster) -> None:
    for member in cluster.members:
        await member.restart()


async def test_reconnect_on_re_registers_listeners_re_sends_schemas_and_reports_states_in_order(
    record: ScenarioRecord,
) -> None:
    states: list[str] = []
    async with EmbeddedCluster(member_count=3) as cluster, faulty_client(
        cluster, lifecycle_listeners=[states.append], compact_serializers=[ParcelSerializer()]
    ) as client:
        parcels = await client.get_map("faults-parcels")
        jobs = await client.get_queue("faults-restart-jobs")
        map_events: list[Any] = []
        queue_events: list[Any] = []
        await parcels.add_entry_listener(include_value=True, added_func=map_events.append)
        await jobs.add_listener(include_value=True, item_added_func=lambda event: queue_events.append(event.item))
        await parcels.put("before", Parcel("before", 1))
        await jobs.offer("before")
        record.operations += 2
        await _wait(lambda: queue_events == ["before"], 5, "the queue listener works")
        expected_states = list(_START)
        for restart in range(RESTARTS):
            await _kill_all(cluster, record)
            await _wait(lambda: LifecycleState.DISCONNECTED in states[len(expected_states) :], 5, "DISCONNECTED")
            await _restart_all(cluster)
            await _wait(lambda: len(states) == len(expected_states) + 2, 10, "CONNECTED again")
            expected_states += [LifecycleState.DISCONNECTED, LifecycleState.CONNECTED]
            assert states == expected_states
            await _wait(lambda: len(client._connections.connections) == 3, 10, "connected to every member")

            # Members start empty (a killed member forgets every schema); the client sent Parcel's schema again.
            key = f"after-{restart}"
            await parcels.put(key, Parcel(key, restart))
            assert all(len(schema_registry(member)) == 1 for member in cluster.live_members)
            stored = await parcels.get(key)
            assert (stored.code, stored.grams) == (key, restart)
            # Listeners were registered on the new members: events for writes after the restart arrive.
            items = [f"{key}-{i}" for i in range(20)]
            for item in items:
                await jobs.offer(item)
            record.operations += 2 + len(items)
            record.acknowledged_checked += 1
            record.events_expected += len(items)
            await _wait(lambda: set(items) <= set(queue_events), 5, "queue events after the restart")
            record.events_expected += 1
            await _wait(lambda: key in [event.key for event in map_events], 5, "map events after the restart")
        record.events_received += len(queue_events) + len(map_events)
        record.duplicate_events += len(queue_events) - len(set(queue_events))
        assert record.duplicate_events == 0
    assert states[len(expected_states) :] == [
        LifecycleState.SHUTTING_DOWN, LifecycleState.DISCONNECTED, LifecycleState.SHUTDOWN
    ]


async def test_reconnect_off_shuts_the_client_down_in_order(record: ScenarioRecord) -> None:
    states: list[str] = []
    async with EmbeddedCluster(member_count=3) as cluster, faulty_client(
        cluster, reconnect_mode="OFF", lifecycle_listeners=[states.append]
    ) as client:
        orders = await client.get_map("faults-off")
        await orders.put(1, 1)
        record.operations += 1
        await _kill_all(cluster, record)
        await _wait(lambda: LifecycleState.SHUTDOWN in states, 5, "SHUTDOWN")
        assert states == [
            *_START, LifecycleState.DISCONNECTED, LifecycleState.SHUTTING_DOWN, LifecycleState.SHUTDOWN
        ]
        await _restart_all(cluster)
        with pytest.raises(HazelcastClientNotActiveError):
            await orders.get(1)
        record.operations += 1
        assert not client.lifecycle_service.is_running()


async def test_reconnect_async_fails_calls_fast_while_offline_then_works(record: ScenarioRecord) -> None:
    states: list[str] = []
    loop = asyncio.get_running_loop()
    async with EmbeddedCluster(member_count=3) as cluster, faulty_client(
        cluster, reconnect_mode="ASYNC", lifecycle_listeners=[states.append]
    ) as client:
        orders = await client.get_map("faults-async")
        jobs = await client.get_queue("faults-async-jobs")
        received: list[Any] = []
        await jobs.add_listener(include_value=True, item_added_func=lambda event: received.append(event.item))
        for restart in range(RESTARTS):
            await _kill_all(cluster, record)
            await _wait(lambda: states[-1] == LifecycleState.DISCONNECTED, 5, "DISCONNECTED")
            for call in (orders.put(1, 1), orders.get(1), jobs.offer("offline")):
                started = loop.time()
                with pytest.raises(ClientOfflineError):
                    await call
                record.operations += 1
                assert loop.time() - started < 0.5, "an offline call fails at once"
            await _restart_all(cluster)
            await _wait(lambda: states[-1] == LifecycleState.CONNECTED, 10, "reconnected in the background")
            await orders.put(restart, "back")
            assert await orders.get(restart) == "back"
            await jobs.offer(f"back-{restart}")
            record.operations += 3
            record.acknowledged_checked += 1
            record.events_expected += 1
            await _wait(lambda: f"back-{restart}" in received, 5, "the listener delivers after reconnecting")
        record.events_received += len(received)
        assert "offline" not in received
        assert states == _START + [LifecycleState.DISCONNECTED, LifecycleState.CONNECTED] * RESTARTS
