"""HazelcastClient: wires the services together and exposes the API reference's entry points."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import structlog

from hazelcast._internal.callbacks import CallbackRunner
from hazelcast._internal.cluster import ClusterService
from hazelcast._internal.compact import CompactSchemaService
from hazelcast._internal.connection import ConnectionManager
from hazelcast._internal.invocation import InvocationService
from hazelcast._internal.lifecycle import LifecycleService, LifecycleState
from hazelcast._internal.listener import ClusterViewListener, ListenerService
from hazelcast._internal.partition import PartitionService
from hazelcast._internal.proxy_manager import ProxyManager
from hazelcast._internal.statistics import StatisticsService
from hazelcast.config import Config
from hazelcast.core import DistributedObjectEvent, DistributedObjectInfo
from hazelcast.errors import HazelcastClientNotActiveError, InvalidConfigurationError
from hazelcast.failover import ClientFailoverConfig
from hazelcast.plugin.manager import PluginManager
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message
from hazelcast.proxy import Proxy, ProxyContext
from hazelcast.serialization import SerializationService
from hazelcast.util import RoundRobinLB

__all__ = ["HazelcastClient"]

_logger = structlog.get_logger("hazelcast.client")
_client_ids = itertools.count()
_GET_DISTRIBUTED_OBJECTS = method("Client.getDistributedObjects")
_ADD_OBJECT_LISTENER = method("Client.addDistributedObjectListener")
_REMOVE_OBJECT_LISTENER = method("Client.removeDistributedObjectListener")
_LOCAL_BACKUP_LISTENER = method("Client.localBackupListener")


def _log_registration_failure(future: asyncio.Future[Any]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None and not isinstance(error, HazelcastClientNotActiveError):
        _logger.warning("client.backup_listener_failed", error=repr(error))


class HazelcastClient:
    """An asyncio client of a Hazelcast cluster.

    Configure it with a :class:`~hazelcast.config.Config` or with the same options as keyword arguments, and start it
    with ``client = await HazelcastClient.create_and_start(...)``. The constructor only builds the client; it must run
    inside the event loop the client will use. The client is not thread-safe: use it from its loop only.

    A :class:`~hazelcast.config.ClientFailoverConfig` instead of a Config makes a blue/green failover client: it
    moves to the next cluster of the list when it loses the one it uses (see :mod:`hazelcast.failover`).

    ``plugins`` registers plugin objects in addition to those found through the ``hazelcast.plugins`` entry points
    (handy in tests and applications that ship a proxy type of their own).
    """

    def __init__(
        self, config: Config | ClientFailoverConfig | None = None, *, plugins: Sequence[object] = (), **kwargs: Any
    ) -> None:
        failover: ClientFailoverConfig | None = None
        if isinstance(config, ClientFailoverConfig):
            if kwargs:
                raise InvalidConfigurationError(
                    "pass either a ClientFailoverConfig or configuration keyword arguments, not both "
                    f"(got a ClientFailoverConfig and {', '.join(sorted(kwargs))})"
                )
            config.validate()
            failover, config = config, config.configs[0]
        if config is None:
            config = Config.from_dict(kwargs)
        elif kwargs:
            raise InvalidConfigurationError(
                "pass either a Config object or configuration keyword arguments, not both "
                f"(got a Config and {', '.join(sorted(kwargs))})"
            )
        elif not isinstance(config, Config):
            raise TypeError(f"config must be a hazelcast.config.Config, not {type(config).__name__}")
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "HazelcastClient must be created inside a running event loop: "
                "use 'await HazelcastClient.create_and_start(...)'"
            ) from None
        self._config = config
        self._loop = loop
        self._id = next(_client_ids)
        self._name = config.client_name or f"hz.client_{self._id}"
        self._uuid = uuid.uuid4()
        self._plugins = PluginManager(plugins)
        self._callbacks = CallbackRunner(loop)
        self._lifecycle = LifecycleService(self._callbacks, list(config.lifecycle_listeners or ()))
        self._lifecycle.shutdown_callback = self.shutdown
        self._serialization = SerializationService(config)
        self._invocations = InvocationService(config, loop)
        self._partitions = PartitionService(self._serialization)
        self._cluster = ClusterService(loop, self._callbacks)
        self._cluster.smart_routing = config.smart_routing
        self._cluster.use_public_ip = config.use_public_ip
        self._connections = ConnectionManager(
            config, loop, self._invocations, self._lifecycle, self._uuid, self._name,
            failover_configs=failover.configs if failover else (),
            try_count=failover.try_count if failover else 1,
        )
        self._listeners = ListenerService(loop, self._invocations, self._connections, config.smart_routing)
        self._cluster_view = ClusterViewListener(
            loop, self._invocations, self._cluster, self._partitions, self._connections
        )
        self._proxies = ProxyManager(self._plugins)
        self._statistics = StatisticsService(config, self._connections, self._invocations)
        self._compact = CompactSchemaService(self._serialization, self._invocations, self._cluster, config, loop)
        self._wire()
        self._context = ProxyContext(
            config=config,
            loop=loop,
            serialization_service=self._serialization,
            invocation_service=self._invocations,
            partition_service=self._partitions,
            cluster_service=self._cluster,
            listener_service=self._listeners,
            connection_manager=self._connections,
            lifecycle_service=self._lifecycle,
            proxy_manager=self._proxies,
            callbacks=self._callbacks,
            client=self,
        )
        self._proxies.context = self._context
        self._client_services: dict[str, Any] = {}
        self._closing: asyncio.Task[None] | None = None
        for listener in config.membership_listeners or ():
            added, removed = listener if isinstance(listener, tuple) else (listener, None)
            self._cluster.add_listener(added, removed)

    def _wire(self) -> None:
        invocations, connections = self._invocations, self._connections
        invocations.bind(connections, self._partitions)
        load_balancer = self._config.load_balancer or RoundRobinLB()
        load_balancer.init(self._cluster)
        invocations.load_balancer = load_balancer
        self._cluster.connection_manager = connections
        connections.check_partition_count = self._partitions.check_and_set_partition_count
        connections.member_addresses = self._cluster.member_addresses
        connections.members = self._cluster.member_targets
        connections.on_connection_added.append(self._listeners.connection_added)
        connections.on_connection_added.append(self._cluster_view.connection_added)
        connections.on_connection_removed.append(self._listeners.connection_removed)
        connections.on_connection_removed.append(
            lambda c: self._cluster_view.connection_removed(c, list(connections.connections.values()))
        )
        if self._config.backup_ack_to_client_enabled and self._config.smart_routing:
            connections.on_connection_added.append(self._register_backup_listener)
        connections.cluster_restarted.append(self._partitions.reset)
        connections.cluster_restarted.append(self._cluster.reset_version)
        # Compact schemas: replicated before requests that may use them, fetched before responses are read.
        invocations.unreplicated_schemas = self._serialization.unreplicated_schemas
        invocations.compact_service = self._compact
        self._listeners.event_guard = self._compact.guard_event_handler
        self._partitions.replicate_schemas_of = self._compact.replicate_schemas_of
        connections.cluster_restarted.append(self._compact.cluster_restarted)

    def _register_backup_listener(self, connection: Any) -> None:
        # Members send backup acks only on connections that asked for them; the acks themselves are routed by their
        # BACKUP_EVENT flag, so the registration needs no event handler.
        future = self._invocations.invoke(_LOCAL_BACKUP_LISTENER.encode_request(), connection=connection, urgent=True)
        future.add_done_callback(_log_registration_failure)

    # -- lifecycle --------------------------------------------------------------------------------------------------

    @classmethod
    async def create_and_start(
        cls, config: Config | ClientFailoverConfig | None = None, *, plugins: Sequence[object] = (), **kwargs: Any
    ) -> HazelcastClient:
        """Create a client and start it: connected to the cluster on return, unless ``async_start`` is set."""
        client = cls(config, plugins=plugins, **kwargs)
        await client._start()
        return client

    async def _start(self) -> None:
        # Hazelcast's order: STARTING and STARTED as the client's services start, then CONNECTED once the first
        # member accepts it. A start that fails shuts the client down through SHUTTING_DOWN and SHUTDOWN.
        self._lifecycle.fire(LifecycleState.STARTING)
        self._lifecycle.fire(LifecycleState.STARTED)
        try:
            await self._connections.start()
            if not self._config.async_start:
                await self._cluster.wait_initial_member_list(self._config.connection_timeout or None)
                if self._config.smart_routing:
                    await self._connect_to_all_members()
        except BaseException:
            await self._close(fire_states=True)
            raise
        _logger.info("client.started", client=self._name)
        self._statistics.start()

    async def _connect_to_all_members(self) -> None:
        members = self._cluster.get_members()
        connected = self._connections.connections
        pending = [
            self._connections.get_or_connect(self._cluster.address_of(m)) for m in members if m.uuid not in connected
        ]
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def shutdown(self) -> None:
        """Shut the client down: pending calls fail with HazelcastClientNotActiveError, connections close."""
        if self._closing is None:
            if not self._lifecycle.running:
                return
            # One shutdown whoever asks (a user, a lifecycle listener, reconnection giving up): later callers wait for
            # it, and it runs in its own task so that closing the client's tasks cannot cancel the shutdown itself.
            self._closing = self._loop.create_task(self._close(fire_states=True))
        elif self._closing.done():
            return
        await asyncio.shield(self._closing)

    async def _close(self, fire_states: bool) -> None:
        await self._statistics.shutdown()
        if fire_states:
            self._lifecycle.fire(LifecycleState.SHUTTING_DOWN)
        else:
            self._lifecycle.running = False
        # Client-level services close first, while the connections still carry their goodbyes (CP sessions...).
        for attribute, service in list(self._client_services.items()):
            close = self._plugins.client_services[attribute].close
            if close is not None:
                try:
                    await close(service)
                except Exception:
                    _logger.exception("client.service_close_failed", service=attribute)
        self._invocations.shutdown()
        self._compact.close()
        await self._listeners.close()
        self._cluster_view.close()
        await self._connections.shutdown()
        if fire_states:
            self._lifecycle.fire(LifecycleState.SHUTDOWN)
        await self._callbacks.close()
        _logger.info("client.shutdown", client=self._name)

    # -- proxies ----------------------------------------------------------------------------------------------------

    def _check_running(self) -> None:
        if not self._lifecycle.running:
            raise HazelcastClientNotActiveError("the client is not running")

    async def _proxy(self, accessor: str, name: str) -> Any:
        # A missing plugin is permanent while a stopped client may be started: report the missing plugin first, so
        # the user is not sent to start a client that could never serve the call.
        if self._plugins.proxy_type_for_accessor(accessor) is None:
            raise self._plugins.unavailable(accessor, f"{accessor}()")
        self._check_running()
        return await self._proxies.get_by_accessor(accessor, name)

    async def get_executor(self, name: str) -> Any:
        """The executor service named ``name``."""
        return await self._proxy("get_executor", name)

    async def get_list(self, name: str) -> Any:
        """The distributed list named ``name``."""
        return await self._proxy("get_list", name)

    async def get_map(self, name: str) -> Any:
        """The distributed map named ``name``."""
        return await self._proxy("get_map", name)

    async def get_multi_map(self, name: str) -> Any:
        """The distributed MultiMap named ``name``."""
        return await self._proxy("get_multi_map", name)

    async def get_queue(self, name: str) -> Any:
        """The distributed queue named ``name``."""
        return await self._proxy("get_queue", name)

    async def get_set(self, name: str) -> Any:
        """The distributed set named ``name``."""
        return await self._proxy("get_set", name)

    async def get_replicated_map(self, name: str) -> Any:
        """The ReplicatedMap named ``name``."""
        return await self._proxy("get_replicated_map", name)

    async def get_flake_id_generator(self, name: str) -> Any:
        """The FlakeIdGenerator named ``name``."""
        return await self._proxy("get_flake_id_generator", name)

    async def get_reliable_topic(self, name: str) -> Any:
        """The ReliableTopic named ``name``."""
        return await self._proxy("get_reliable_topic", name)

    async def get_ringbuffer(self, name: str) -> Any:
        """The Ringbuffer named ``name``."""
        return await self._proxy("get_ringbuffer", name)

    async def get_pn_counter(self, name: str) -> Any:
        """The PN counter named ``name``."""
        return await self._proxy("get_pn_counter", name)

    async def get_topic(self, name: str) -> Any:
        """The topic named ``name``."""
        return await self._proxy("get_topic", name)

    async def get_vector_collection(self, name: str) -> Any:
        """The vector collection named ``name``."""
        return await self._proxy("get_vector_collection", name)

    async def create_vector_collection_config(
        self,
        name: str,
        indexes: list[Any],
        backup_count: int = 1,
        async_backup_count: int = 0,
        split_brain_protection_name: str | None = None,
        merge_policy: str = "PutIfAbsentMergePolicy",
        merge_batch_size: int = 100,
    ) -> None:
        """Create a vector collection configuration on the cluster (provided by hazelcast-vector)."""
        service = self._client_service("vector_collections")  # before the running check, as in _proxy
        self._check_running()
        await service.create_vector_collection_config(
            name, indexes, backup_count, async_backup_count, split_brain_protection_name, merge_policy,
            merge_batch_size,
        )

    async def get_distributed_object(self, service_name: str, name: str) -> Proxy:
        """The proxy of any installed proxy type by its member-side service name (third-party types included)."""
        self._check_running()
        return await self._proxies.get_or_create(service_name, name)

    async def get_distributed_objects(self) -> list[DistributedObjectInfo]:
        """Every distributed object the cluster knows, as (service name, name) infos."""
        self._check_running()
        return await self._invocations.call(
            _GET_DISTRIBUTED_OBJECTS.encode_request(), decoder=_GET_DISTRIBUTED_OBJECTS.decode_response
        )

    async def add_distributed_object_listener(self, listener_func: Callable[[DistributedObjectEvent], Any]) -> str:
        """Call ``listener_func(event)`` whenever a distributed object is created or destroyed; returns an id."""
        self._check_running()
        if not callable(listener_func):
            raise TypeError("listener_func must be callable")
        decode = _ADD_OBJECT_LISTENER.decode_event[0]
        runner = self._callbacks

        def handle(message: Message) -> None:
            name, service_name, event_type, source = decode(message)
            runner.run("distributed_object", listener_func, DistributedObjectEvent(name, service_name, event_type, source))

        return await self._listeners.register(
            _ADD_OBJECT_LISTENER.encode_request,
            _ADD_OBJECT_LISTENER.decode_response,
            _REMOVE_OBJECT_LISTENER.encode_request,
            handle,
        )

    async def remove_distributed_object_listener(self, registration_id: str) -> bool:
        """Remove a distributed object listener; False when there was none with that id."""
        return await self._listeners.deregister(registration_id)

    # -- services ---------------------------------------------------------------------------------------------------

    def _client_service(self, attribute: str) -> Any:
        service = self._client_services.get(attribute)
        if service is not None:
            return service
        service_type = self._plugins.client_services.get(attribute)
        if service_type is None:
            raise self._plugins.unavailable(attribute, f"HazelcastClient.{attribute}")
        service = self._client_services[attribute] = service_type.factory(self._context)
        return service

    def __getattr__(self, attribute: str) -> Any:
        # Client-level services contributed by plugins beyond the ones the API reference names.
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        plugins = self.__dict__.get("_plugins")
        if plugins is not None and attribute in plugins.client_services:
            return self._client_service(attribute)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {attribute!r}")

    @property
    def name(self) -> str:
        """Name of the client (``client_name`` of the config, or ``hz.client_<n>``)."""
        return self._name

    @property
    def lifecycle_service(self) -> LifecycleService:
        """Running state and lifecycle listeners."""
        return self._lifecycle

    @property
    def partition_service(self) -> PartitionService:
        """Partition count, owners and partition ids of keys."""
        return self._partitions

    @property
    def cluster_service(self) -> ClusterService:
        """Members of the cluster and membership listeners."""
        return self._cluster

    @property
    def sql(self) -> Any:
        """The SQL service (provided by a plugin)."""
        return self._client_service("sql")

    @property
    def cp_subsystem(self) -> Any:
        """The CP subsystem: AtomicLong, FencedLock, ... (provided by hazelcast-cp)."""
        return self._client_service("cp_subsystem")

    @property
    def config(self) -> Config:
        return self._config

    def __repr__(self) -> str:
        return f"HazelcastClient(name={self._name!r}, state={self._lifecycle.state})"
