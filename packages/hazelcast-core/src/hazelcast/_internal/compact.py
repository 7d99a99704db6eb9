"""Compact schemas between this client and the cluster.

Compact data carries only its schema's id, so the cluster must know a schema before it receives data written
with it, and this client must know a schema before it reads such data:

* **Replication before use.** The serialization service records every schema it writes for the first time in
  ``SerializationService.unreplicated_schemas``. ``InvocationService.call`` tests that dict once per request;
  only when it is not empty is the request handed to :meth:`CompactSchemaService.hold`, which looks for the
  pending schemas' ids in the request's bytes (compact data starts with its schema id), sends each schema found
  with ``Client.sendSchema`` (once per schema, however many requests wait for it) and starts the request when the
  cluster has confirmed them all. Requests that carry none of them go at once. A schema that cannot be
  replicated is forgotten, so that the next value written with it tries again, and fails only the requests
  that carry it.
* **Re-sending after a cluster restart.** A restarted cluster has forgotten every schema: on
  ``ConnectionManager.cluster_restarted`` all known schemas go out in one ``Client.sendAllSchemas``, and every
  request (and retry) waits for it.
* **Fetching on read.** The invocation service looks at bytes 4..8 of each frame of a response (a serialized
  object's type id) and, on the Compact type id -55, asks :meth:`CompactSchemaService.fetch_then_handle`
  whether the data refers to schemas this client does not know. Those are fetched with ``Client.fetchSchema``
  and the response is handled again, which also discovers the schemas of nested values one level at a time.
  Events get the same treatment before their handler runs, and the events after one that waits queue behind it
  so that a listener sees them in order. A schema the cluster does not know either is remembered, and reading
  the data then fails with ``SchemaNotFoundError``; one that could not be fetched is asked for again next time.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog

from hazelcast.errors import (
    HazelcastClientNotActiveError,
    HazelcastSerializationError,
    IllegalStateError,
    OperationTimeoutError,
)
from hazelcast.protocol import method
from hazelcast.protocol.frames import Message

if TYPE_CHECKING:
    from hazelcast._internal.cluster import ClusterService
    from hazelcast._internal.invocation import Invocation, InvocationService
    from hazelcast.config import Config
    from hazelcast.serialization.compact import Schema
    from hazelcast.serialization.service import SerializationService

__all__ = ["COMPACT_TYPE_ID_BYTES", "CompactSchemaService", "may_hold_compact"]

_logger = structlog.get_logger("hazelcast.compact")
_SEND_SCHEMA = method("Client.sendSchema")
_FETCH_SCHEMA = method("Client.fetchSchema")
_SEND_ALL_SCHEMAS = method("Client.sendAllSchemas")

COMPACT_TYPE_ID_BYTES = b"\xff\xff\xff\xc9"
"""The Compact type id -55 as a serialized object's header holds it (big-endian int32 at offset 4)."""


def may_hold_compact(message: Message) -> bool:
    """Whether a frame after the first starts like a serialized Compact object (type id -55 at offset 4): a cheap test
    that spares most responses and events the walk of :meth:`CompactSchemaService.unknown_schema_ids`."""
    for index in range(1, len(message)):
        if message[index][1].startswith(COMPACT_TYPE_ID_BYTES, 4):
            return True
    return False


#: Attempts at replicating a schema while the cluster reports members that did not get it.
_SEND_SCHEMA_ATTEMPTS = 100


class CompactSchemaService:
    """Replicates the schemas this client writes and fetches the ones it reads (see the module docstring)."""

    def __init__(
        self,
        serialization: SerializationService,
        invocations: InvocationService,
        cluster: ClusterService,
        config: Config,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self._stream = serialization.compact_stream_serializer
        self._unreplicated: dict[int, Schema] = serialization.unreplicated_schemas
        self._invocations = invocations
        self._cluster = cluster
        self._loop = loop
        self._retry_pause = config.invocation_retry_pause
        self._replications: dict[int, asyncio.Task[None]] = {}
        self._send_all: asyncio.Task[None] | None = None
        self._send_all_ids: frozenset[int] = frozenset()
        self._fetches: dict[int, asyncio.Task[None]] = {}
        #: Ids the cluster did not know: their data is left for ``to_object`` to reject.
        self._not_found: set[int] = set()
        #: This service's own requests, which must never wait for replication themselves.
        self._own: set[asyncio.Future[Any]] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    # -- requests that may carry compact data --------------------------------------------------------------------

    def hold(self, invocation: Invocation[Any], start: Callable[[Invocation[Any]], None]) -> bool:
        """Hold ``invocation`` until the cluster has the pending schemas its request carries, then ``start`` it.

        Returns False, and the caller sends the request at once, when the request carries none of them (during a
        re-send of all schemas after a cluster restart every request waits) and for this service's own requests.
        """
        if invocation in self._own:
            return False
        waits = self._pending_replications(invocation.request)
        if not waits:
            return False
        self._spawn(self._start_after(invocation, waits, start))
        return True

    async def replicate_schemas_of(self, data: bytes) -> None:
        """Wait until the cluster has every pending schema ``data`` was written with (a key whose partition id is
        asked for); raises what the replication raised. A cancelled caller leaves the replication running for the
        requests that share it."""
        waits = self._pending_replications(data)
        if not waits:
            return
        await asyncio.wait(waits)
        for task in waits:
            if task.cancelled():
                raise HazelcastSerializationError("Compact schema replication was cancelled")
            error = task.exception()
            if error is not None:
                raise error

    def _pending_replications(self, request: bytes | bytearray) -> list[asyncio.Task[None]]:
        waits: list[asyncio.Task[None]] = []
        send_all = self._send_all
        if send_all is not None:
            waits.append(send_all)
        pack_id = self._stream.codecs.pack_int64
        for schema_id, schema in list(self._unreplicated.items()):
            if send_all is not None and schema_id in self._send_all_ids:
                continue
            if pack_id(schema_id) not in request:
                continue
            task = self._replications.get(schema_id)
            if task is None:
                task = self._replications[schema_id] = self._loop.create_task(self._replicate(schema))
                task.add_done_callback(_consume_outcome)
            waits.append(task)
        return waits

    async def _start_after(
        self, invocation: Invocation[Any], waits: list[asyncio.Task[None]], start: Callable[[Invocation[Any]], None]
    ) -> None:
        timeout = max(0.0, invocation.deadline - self._loop.time())
        try:
            done, pending = await asyncio.wait(waits, timeout=timeout)
        except asyncio.CancelledError:
            self._fail_on_close(invocation)
            raise
        if invocation.done():
            return
        if pending:
            late = OperationTimeoutError("the invocation deadline passed while Compact schemas were replicated")
            self._invocations.fail(invocation, late)
            return
        for task in done:
            error = None if task.cancelled() else task.exception()
            if task.cancelled() or error is not None:
                self._invocations.fail(
                    invocation, error or HazelcastSerializationError("Compact schema replication was cancelled")
                )
                return
        start(invocation)

    async def _replicate(self, schema: Schema) -> None:
        schema_id = schema.schema_id
        try:
            for _ in range(_SEND_SCHEMA_ATTEMPTS):
                replicated = set(
                    await self._own_request(_SEND_SCHEMA.encode_request(schema), _SEND_SCHEMA.decode_response)
                )
                missing = [m.uuid for m in self._cluster.get_members() if m.uuid not in replicated]
                if not missing:
                    self._unreplicated.pop(schema_id, None)
                    _logger.debug("compact.schema_replicated", schema_id=schema_id, type_name=schema.type_name)
                    return
                _logger.debug("compact.schema_partly_replicated", schema_id=schema_id, missing=len(missing))
                await asyncio.sleep(self._retry_pause)
            raise IllegalStateError(
                f"the Compact schema {schema.type_name!r} (id {schema_id}) reached only part of the cluster after "
                f"{_SEND_SCHEMA_ATTEMPTS} attempts; the client may see two halves of a split cluster, and data "
                f"written with this schema could be lost. Retry when the cluster is whole again."
            )
        except Exception as error:
            # Forget the schema: the requests waiting for it fail, the next value written with it tries again.
            self._stream.forget(schema)
            _logger.warning("compact.schema_replication_failed", schema_id=schema_id, error=repr(error))
            raise
        finally:
            self._replications.pop(schema_id, None)

    def cluster_restarted(self) -> None:
        """Re-send every known schema to the cluster, which forgot them; requests wait until it has them."""
        # A restarted cluster may learn, from its writers, schemas the old one lacked: ask again when they come up.
        self._not_found.clear()
        schemas = list(self._stream.schemas.values())
        if not schemas or self._closed:
            return
        for schema in schemas:
            self._unreplicated[schema.schema_id] = schema
        self._send_all_ids = frozenset(schema.schema_id for schema in schemas)
        self._send_all = self._loop.create_task(self._send_all_schemas(schemas))
        self._send_all.add_done_callback(_consume_outcome)

    async def _send_all_schemas(self, schemas: list[Schema]) -> None:
        try:
            await self._own_request(_SEND_ALL_SCHEMAS.encode_request(schemas), None, urgent=True)
            for schema in schemas:
                self._unreplicated.pop(schema.schema_id, None)
            _logger.info("compact.all_schemas_sent", count=len(schemas))
        except Exception as error:
            # The schemas stay pending, so the next request replicates them one by one.
            _logger.warning("compact.send_all_schemas_failed", error=repr(error))
            raise
        finally:
            if self._send_all is asyncio.current_task():
                self._send_all = None
                self._send_all_ids = frozenset()

    # -- responses and events that may carry compact data ------------------------------------------------------------

    def unknown_schema_ids(self, message: Message) -> set[int]:
        """Ids of schemas that Data frames of ``message`` (and their nested values) use and this client lacks."""
        found: set[int] = set()
        walk = self._stream.unknown_schema_ids
        for index in range(1, len(message)):
            payload = message[index][1]
            if len(payload) >= 16 and payload.startswith(COMPACT_TYPE_ID_BYTES, 4):
                try:
                    walk(payload, 8, found)
                except Exception:  # a frame that only looked like compact data, or malformed data
                    continue
        found -= self._not_found
        return found

    def fetch_then_handle(self, invocation: Invocation[Any], message: Message, schema_ids: set[int] | None = None) -> bool:
        """Fetch the schemas a response needs, then hand the response to the invocation service again.

        ``schema_ids`` are those its decoder missed; by default, those its Compact frames use. Returns False, leaving
        the response to the caller, when none is left to ask the cluster for (ids it lacks are not asked again).
        """
        schema_ids = (self.unknown_schema_ids(message) if schema_ids is None else schema_ids) - self._not_found
        if not schema_ids or self._closed:
            return False
        self._spawn(self._fetch_then(schema_ids, message, invocation))
        return True

    async def _fetch_then(self, schema_ids: set[int], message: Message, invocation: Invocation[Any]) -> None:
        try:
            await self._fetch_all(schema_ids)
        except asyncio.CancelledError:
            self._fail_on_close(invocation)
            raise
        except Exception as error:
            if not invocation.done():
                self._invocations.fail(invocation, error)
            return
        self._invocations.handle_response(message)

    def guard_event_handler(self, handler: Callable[[Message], None]) -> Callable[[Message], None]:
        """Wrap a listener's event handler so that the schemas of an event's compact data are fetched first.

        Events keep their order: while one waits for its schemas, the events after it wait behind it.
        """
        backlog: deque[Message] = deque()

        def guarded(message: Message) -> None:
            if backlog:
                backlog.append(message)
                return
            frame_count = len(message)
            if (
                frame_count > 1
                # An event of one value: its one frame tested here rather than through a call.
                and (message[1][1].startswith(COMPACT_TYPE_ID_BYTES, 4) if frame_count == 2 else may_hold_compact(message))
                and self.unknown_schema_ids(message)
            ):
                backlog.append(message)
                self._spawn(self._dispatch_backlog(backlog, handler))
                return
            handler(message)

        return guarded

    async def _dispatch_backlog(self, backlog: deque[Message], handler: Callable[[Message], None]) -> None:
        try:
            while backlog:
                message = backlog[0]
                # Nested values are found one level at a time; ids the cluster lacks leave the set (``_fetch``).
                schema_ids = self.unknown_schema_ids(message)
                while schema_ids:
                    try:
                        await self._fetch_all(schema_ids)
                    except Exception as error:
                        # Not remembered as missing: a later event or response asks the cluster again.
                        _logger.warning(
                            "compact.event_schema_fetch_failed", error=repr(error), schema_ids=sorted(schema_ids)
                        )
                        break
                    schema_ids = self.unknown_schema_ids(message)
                backlog.popleft()
                try:
                    handler(message)
                except Exception:
                    _logger.exception("listener.event_handler_failed")
        finally:
            # Cancelled at shutdown: later events go straight to the handler rather than pile up here.
            backlog.clear()

    async def _fetch_all(self, schema_ids: set[int]) -> None:
        tasks = []
        for schema_id in schema_ids:
            task = self._fetches.get(schema_id)
            if task is None:
                task = self._fetches[schema_id] = self._loop.create_task(self._fetch(schema_id))
                task.add_done_callback(_consume_outcome)
            tasks.append(task)
        for task in tasks:
            await asyncio.shield(task)

    async def _fetch(self, schema_id: int) -> None:
        try:
            _logger.debug("compact.schema_fetch", schema_id=schema_id)
            schema = await self._own_request(
                _FETCH_SCHEMA.encode_request(schema_id), _FETCH_SCHEMA.decode_response
            )
            if schema is None:
                _logger.warning("compact.schema_not_found", schema_id=schema_id)
                self._not_found.add(schema_id)
            elif schema.schema_id != schema_id:
                raise HazelcastSerializationError(
                    f"the cluster answered the request for Compact schema {schema_id} with schema {schema.schema_id}"
                )
            else:
                self._stream.register_fetched(schema)
        finally:
            self._fetches.pop(schema_id, None)

    # -- plumbing -------------------------------------------------------------------------------------------------

    async def _own_request(
        self, request: bytearray, decoder: Callable[[Message], Any] | None, urgent: bool = False
    ) -> Any:
        invocation = self._invocations.invoke(request, decoder=decoder, urgent=urgent, retryable=True)
        self._own.add(invocation)
        try:
            return await invocation
        finally:
            self._own.discard(invocation)

    def _spawn(self, coroutine: Any) -> None:
        task = self._loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _fail_on_close(self, invocation: Invocation[Any]) -> None:
        if not invocation.done():
            self._invocations.fail(invocation, HazelcastClientNotActiveError("the client is shut down"))

    def close(self) -> None:
        """Cancel the background work (the client is shutting down)."""
        self._closed = True
        for task in [*self._tasks, *self._replications.values(), *self._fetches.values()]:
            task.cancel()
        if self._send_all is not None:
            self._send_all.cancel()


def _consume_outcome(task: asyncio.Task[Any]) -> None:
    # Shared tasks may end with no request left waiting on them; their errors reached the waiters or the log.
    if not task.cancelled():
        task.exception()
