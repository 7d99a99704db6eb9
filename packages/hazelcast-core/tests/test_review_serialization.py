"""Regressions found reviewing serialization: char arrays beyond U+FFFF, compact builder argument checks, and the
order and retrying of listener events that wait for Compact schemas."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Callable
from typing import Any

import pytest

from hazelcast._internal.compact import CompactSchemaService
from hazelcast.config import Config
from hazelcast.errors import HazelcastSerializationError, OperationTimeoutError
from hazelcast.protocol import method_by_type
from hazelcast.protocol.frames import Message, MessageReader
from hazelcast.serialization import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput, SerializationService
from hazelcast.serialization.compact import GenericRecordBuilder, Schema, SchemaNotFoundError

# -- char arrays --------------------------------------------------------------------------------------------------

FACTORY_ID = 91
CHARS_CLASS_ID = 1


class CharsThenInt(IdentifiedDataSerializable):
    """A char array followed by another field: the field must read back whatever the chars were."""

    def __init__(self, chars: list[str] | None = None, after: int = 0) -> None:
        self.chars = chars
        self.after = after

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_char_array(self.chars)
        object_data_output.write_int(self.after)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.chars = object_data_input.read_char_array()
        self.after = object_data_input.read_int()

    def get_factory_id(self) -> int:
        return FACTORY_ID

    def get_class_id(self) -> int:
        return CHARS_CLASS_ID


@pytest.mark.parametrize("big_endian", [True, False])
def test_a_char_array_with_a_character_beyond_the_bmp_keeps_the_fields_after_it(big_endian: bool) -> None:
    config = Config()
    config.is_big_endian = big_endian
    config.data_serializable_factories = {FACTORY_ID: {CHARS_CLASS_ID: CharsThenInt}}
    service = SerializationService(config)
    value = service.to_object(service.to_data(CharsThenInt(["a", "\U0001f600", "b"], 7)))
    assert value.after == 7
    # Java's char[] holds the surrogate pair as two chars; joined, they are the original text.
    assert value.chars == ["a", "\ud83d", "\ude00", "b"]
    assert "".join(value.chars).encode("utf-16", "surrogatepass").decode("utf-16") == "a\U0001f600b"


def test_a_char_array_of_bmp_characters_is_one_code_unit_per_item() -> None:
    config = Config()
    config.data_serializable_factories = {FACTORY_ID: {CHARS_CLASS_ID: CharsThenInt}}
    service = SerializationService(config)
    data = service.to_data(CharsThenInt(["x", "\u00e9"], 1))
    # header, IDS header byte, factory and class ids, then the count and the code units
    assert data[17:29] == struct.pack(">iHHi", 2, ord("x"), 0xE9, 1)


# -- compact GenericRecordBuilder ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setter", "value"),
    [
        ("set_array_of_int32", 5),
        ("set_array_of_boolean", 1.5),
        ("set_array_of_generic_record", 3),
        ("set_array_of_string", "abc"),
        ("set_array_of_nullable_int64", object()),
    ],
)
def test_array_setters_refuse_a_value_that_is_not_a_list(setter: str, value: Any) -> None:
    builder = GenericRecordBuilder.compact("T")
    with pytest.raises(HazelcastSerializationError, match="takes a list"):
        getattr(builder, setter)("field", value)


def test_array_setters_still_take_sequences() -> None:
    record = (
        GenericRecordBuilder.compact("T")
        .set_array_of_int32("ints", (1, 2))
        .set_array_of_string("names", ["a", None])
        .build()
    )
    service = SerializationService(Config())
    back = service.to_object(service.to_data(record))
    assert back.get_array_of_int32("ints") == [1, 2]
    assert back.get_array_of_string("names") == ["a", None]


# -- events waiting for Compact schemas ---------------------------------------------------------------------------


def _wire(request: bytearray) -> Message:
    (message,) = MessageReader().feed(bytes(request))
    return message


class _FetchOnlyCluster:
    """Answers Client.fetchSchema from ``schemas``; ``gate`` holds answers back, ``error`` fails them."""

    def __init__(self) -> None:
        self.schemas: dict[int, Schema] = {}
        self.gate: asyncio.Event | None = None
        self.error: Exception | None = None
        self.fetches = 0

    def invoke(
        self, request: bytearray, decoder: Callable[[Message], Any] | None = None, **_: Any
    ) -> asyncio.Future[Any]:
        return asyncio.ensure_future(self._answer(request, decoder))

    async def _answer(self, request: bytearray, decoder: Callable[[Message], Any] | None) -> Any:
        message = _wire(request)
        codec = method_by_type(struct.unpack_from("<i", message[0][1], 0)[0])
        assert codec is not None and codec.spec.name == "Client.fetchSchema"
        self.fetches += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        response = codec.encode_response(self.schemas.get(codec.decode_request(message)))
        assert decoder is not None
        return decoder(_wire(response))

    def handle_response(self, message: Message) -> None:
        self.handled = message

    def fail(self, invocation: Any, error: BaseException) -> None:
        invocation.set_exception(error)


def _event_with(data: bytes) -> Message:
    return [(0, struct.pack("<iqB", 0, 5, 0)), (0, data)]


async def _reader_of(cluster: _FetchOnlyCluster) -> tuple[CompactSchemaService, SerializationService]:
    config = Config()
    serialization = SerializationService(config)
    service = CompactSchemaService(
        serialization, cluster, cluster, config, asyncio.get_running_loop()  # type: ignore[arg-type]
    )
    return service, serialization


def _compact_data_known_to(cluster: _FetchOnlyCluster) -> bytes:
    writer = SerializationService(Config())
    data = writer.to_data(GenericRecordBuilder.compact("Point").set_int32("x", 1).build())
    cluster.schemas.update(writer.compact_stream_serializer.schemas)
    return data


async def test_events_after_one_that_waits_for_its_schema_keep_their_order() -> None:
    cluster = _FetchOnlyCluster()
    data = _compact_data_known_to(cluster)
    service, serialization = await _reader_of(cluster)
    cluster.gate = asyncio.Event()
    seen: list[Any] = []
    guarded = service.guard_event_handler(lambda message: seen.append(serialization.to_object(message[1][1])))

    guarded(_event_with(data))
    guarded(_event_with(serialization.to_data("second")))
    guarded(_event_with(serialization.to_data("third")))
    await asyncio.sleep(0.02)
    assert seen == []  # the plain events wait behind the one whose schema is on its way
    cluster.gate.set()
    await asyncio.sleep(0.02)
    assert [value if isinstance(value, str) else value.get_int32("x") for value in seen] == [1, "second", "third"]
    guarded(_event_with(serialization.to_data("fourth")))  # nothing waits any more: handled at once
    assert seen[-1] == "fourth"


async def test_a_failed_fetch_for_an_event_does_not_stop_later_fetches_of_that_schema() -> None:
    cluster = _FetchOnlyCluster()
    data = _compact_data_known_to(cluster)
    service, serialization = await _reader_of(cluster)
    cluster.error = OperationTimeoutError("the member did not answer in time")
    errors: list[BaseException] = []

    def handler(message: Message) -> None:
        try:
            serialization.to_object(message[1][1])
        except HazelcastSerializationError as error:
            errors.append(error)

    service.guard_event_handler(handler)(_event_with(data))
    await asyncio.sleep(0.02)
    assert len(errors) == 1 and isinstance(errors[0], SchemaNotFoundError)

    # The cluster answers again: the next response with that schema fetches it instead of failing for good.
    cluster.error = None
    call: Any = asyncio.get_running_loop().create_future()
    assert service.fetch_then_handle(call, _event_with(data))
    await asyncio.sleep(0.02)
    assert serialization.to_object(data).get_int32("x") == 1
    assert cluster.fetches == 2


async def test_closing_stops_events_from_queueing_behind_a_fetch() -> None:
    cluster = _FetchOnlyCluster()
    data = _compact_data_known_to(cluster)
    service, serialization = await _reader_of(cluster)
    cluster.gate = asyncio.Event()
    seen: list[Any] = []
    guarded = service.guard_event_handler(seen.append)
    guarded(_event_with(data))
    await asyncio.sleep(0.01)
    service.close()
    await asyncio.sleep(0.01)
    late = _event_with(serialization.to_data("late"))
    guarded(late)
    assert seen == [late]
    cluster.gate.set()
