"""The serialization service: Python objects to serialized ``bytes`` and back.

A serialized object is a plain ``bytes``: int32 big-endian partition hash, int32 big-endian serializer type
id, then the payload in the configured byte order (``b""`` stands for ``None``). The protocol layer puts
these bytes into frames unchanged and the embedded member uses them as dict keys.

Which serializer writes an object, in order:

1. the built-in serializer of the object's exact type: ``None``, ``bool``, ``int`` (as
   ``Config.default_int_type`` says), ``float``, ``str``, ``bytes``, ``bytearray``, ``list``, ``uuid.UUID``,
   ``decimal.Decimal``, ``datetime.date``, ``datetime.time``, ``datetime.datetime``, ``HazelcastJsonValue``;
2. the IdentifiedDataSerializable serializer, for instances of ``IdentifiedDataSerializable``; before it, the
   Compact serializer (type id -55) for objects of the classes in ``Config.compact_serializers`` and for compact
   GenericRecords (compact data of a type name without a serializer reads back as a ``CompactGenericRecord``);
3. the Portable serializer, for instances of ``Portable`` and ``PortableGenericRecord`` and of the classes in
   ``Config.portable_factories``;
4. the string serializer, for subclasses of ``str`` (as the official client does);
5. the custom serializer registered for the nearest class of the object's MRO (``Config.custom_serializers``);
6. the global serializer (``Config.global_serializer``);
7. pickle (type id -120), only when ``Config.pickle_enabled`` is true;

otherwise ``HazelcastSerializationError``. The choice is made once per type and cached, so ``to_data`` is
one dict lookup by ``type(obj)`` and one call.

An object with a ``get_partition_key()`` method gets the partition hash of its partition key's serialized
form written at offset 0, so that it lands in the same partition as that key.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from hazelcast.config import IntType
from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError
from hazelcast.protocol.outbound import LARGE_PAYLOAD, DataPieces
from hazelcast.serialization._builtin_codecs import (
    Encoder,
    ItemDecoder,
    build_encoders,
    build_item_decoders,
    build_top_level_decoders,
)
from hazelcast.serialization._byte_order import HEADER, payload_structs
from hazelcast.serialization._identified import IdentifiedDataSerializer, IdsFactories
from hazelcast.serialization._input import BufferObjectDataInput, input_class
from hazelcast.serialization._output import BufferObjectDataOutput, output_class
from hazelcast.serialization._pickle import read_pickle, refuse_pickle, write_pickle
from hazelcast.serialization._runtime_objects import RUNTIME_FACTORIES
from hazelcast.serialization.compact.api import CompactSerializer
from hazelcast.serialization.compact.generic_record import CompactGenericRecord
from hazelcast.serialization.compact.serializer import CompactStreamSerializer
from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput, StreamSerializer
from hazelcast.serialization.hashing import partition_hash
from hazelcast.serialization.portable._context import PortableContext
from hazelcast.serialization.portable._serializer import PortableFactories, PortableSerializer
from hazelcast.serialization.portable.api import Portable
from hazelcast.serialization.portable.generic_record import PortableGenericRecord
from hazelcast.serialization.type_ids import SerializerTypeId

if TYPE_CHECKING:
    from hazelcast.config import Config

__all__ = ["SerializationService"]

Decoder = Callable[[bytes], Any]
_WriteFunction = Callable[[ObjectDataOutput, Any], None]
_ReadFunction = Callable[[ObjectDataInput], Any]
_WriterEntry = tuple[int, _WriteFunction]
"""The type id an object is written with and the function that writes its payload to a stream."""


class _OutputFactory(Protocol):
    def __call__(self) -> BufferObjectDataOutput: ...


_INT_TYPE_IDS: dict[IntType, int | None] = {
    IntType.VAR: None,
    IntType.BYTE: SerializerTypeId.BYTE,
    IntType.SHORT: SerializerTypeId.SHORT,
    IntType.INT: SerializerTypeId.INTEGER,
    IntType.LONG: SerializerTypeId.LONG,
    IntType.BIG_INT: SerializerTypeId.BIG_INTEGER,
}
_LIST_TYPE_IDS = (SerializerTypeId.ARRAY_LIST, SerializerTypeId.LINKED_LIST, SerializerTypeId.OBJECT_ARRAY)

_type_id_field = struct.Struct(">i").unpack_from


def _write_str_subclass(out: ObjectDataOutput, obj: str) -> None:
    out.write_string(obj)


class SerializationService:
    """Turns objects into serialized ``bytes`` and back, as configured by a ``hazelcast.config.Config``.

    The configuration is read once, here: ``is_big_endian``, ``default_int_type``,
    ``data_serializable_factories``, ``custom_serializers``, ``global_serializer``, the Portable options
    (``portable_factories``, ``portable_version``, ``class_definitions``, ``check_class_definition_errors``)
    and ``pickle_enabled``.
    ``extra_factories`` adds IdentifiedDataSerializable factories of the runtime or of plugins; the
    configured factories win when both define the same factory and class ids.

    Raises:
        IllegalArgumentError: a custom or global serializer has a type id below 1, two serializer classes
            share a type id, or a custom serializer is registered for a type with a built-in serializer.
        HazelcastSerializationError: ``Config.class_definitions`` holds two definitions of one class, or
            (with ``check_class_definition_errors``) a definition refers to a nested class it does not hold.
    """

    def __init__(self, config: Config, *, extra_factories: IdsFactories | None = None) -> None:
        big_endian = bool(config.is_big_endian)
        structs = payload_structs(big_endian)
        int_type_id = _INT_TYPE_IDS[IntType(config.default_int_type)]
        self._input_class = input_class(big_endian)
        self._output_factory: _OutputFactory = functools.partial(output_class(big_endian), self._write_object)

        self._builtin_encoders: dict[type, Encoder] = build_encoders(structs, int_type_id, top_level=True)
        self._builtin_encoders[list] = self._encode_list
        self._item_encoders: dict[type, Encoder] = build_encoders(structs, int_type_id, top_level=False)
        # Returns None when an item must be written to a stream; _encode_items checks for it.
        self._item_encoders[list] = self._encode_list_item  # type: ignore[assignment]
        self._list_header = HEADER.pack(0, SerializerTypeId.ARRAY_LIST)
        self._list_type_id = int(SerializerTypeId.ARRAY_LIST)
        self._pack_top_level_count = struct.Struct(structs.prefix + "8si").pack
        self._pack_item_count = struct.Struct(structs.prefix + "ii").pack
        self._unpack_int32 = structs.int32.unpack_from

        factories: dict[int, dict[int, Callable[[], IdentifiedDataSerializable]]] = {}
        configured_factories = cast(IdsFactories, config.data_serializable_factories)
        for source in (RUNTIME_FACTORIES, extra_factories or {}, configured_factories):
            for factory_id, classes in source.items():
                factories.setdefault(factory_id, {}).update(classes)
        identified = IdentifiedDataSerializer(factories)
        identified_type_id = int(SerializerTypeId.IDENTIFIED_DATA_SERIALIZABLE)
        self._identified_entry: _WriterEntry = (identified_type_id, identified.write)
        self._string_entry: _WriterEntry = (int(SerializerTypeId.STRING), _write_str_subclass)
        # Stream readers by type id: everything that is not a built-in type.
        self._readers: dict[int, _ReadFunction] = {identified_type_id: identified.read}

        portable_context = PortableContext(int(config.portable_version))
        portable_context.register_configured(config.class_definitions, bool(config.check_class_definition_errors))
        portable_factories = cast(PortableFactories, config.portable_factories)
        portable = PortableSerializer(portable_context, portable_factories, self._output_factory)
        self._portable_entry: _WriterEntry = (int(SerializerTypeId.PORTABLE), portable.write)
        # Classes registered for reading are written as Portable too, even without subclassing Portable.
        self._portable_classes = {cls for classes in portable_factories.values() for cls in classes.values()}
        self._readers[int(SerializerTypeId.PORTABLE)] = portable.read
        pickle_type_id = int(SerializerTypeId.PYTHON_PICKLE)
        self._pickle_entry: _WriterEntry | None = (pickle_type_id, write_pickle) if config.pickle_enabled else None
        self._readers[pickle_type_id] = read_pickle if config.pickle_enabled else refuse_pickle
        compact_serializers = cast("list[CompactSerializer[Any]]", config.compact_serializers)
        compact = CompactStreamSerializer(compact_serializers, big_endian)
        #: The Compact format's serializer: its registered classes and every schema known here.
        self.compact_stream_serializer = compact
        #: Compact schemas written here and not yet confirmed by the cluster (the very dict the runtime empties).
        self.unreplicated_schemas = compact.unreplicated
        self._compact_entry: _WriterEntry = (int(SerializerTypeId.COMPACT), compact.write)
        self._compact_classes = compact.classes
        for cls in self._compact_classes & self._builtin_encoders.keys():
            raise IllegalArgumentError(
                f"a compact serializer cannot replace the built-in serializer of {cls.__qualname__}"
            )
        # Writer entries of the non-built-in types seen so far, and of the configured ones.
        self._writers: dict[type, _WriterEntry] = {}

        self._custom: dict[type, _WriterEntry] = {}
        self._user_serializers: list[StreamSerializer] = []
        serializers_by_class: dict[Any, StreamSerializer] = {}
        custom_serializers = cast("dict[type, type[StreamSerializer]]", config.custom_serializers)
        for python_type, serializer_class in custom_serializers.items():
            if python_type in self._builtin_encoders:
                raise IllegalArgumentError(
                    f"a custom serializer cannot replace the built-in serializer of {python_type.__qualname__}"
                )
            serializer = serializers_by_class.get(serializer_class)
            if serializer is None:
                serializer = serializers_by_class[serializer_class] = self._add_user_serializer(serializer_class)
            self._custom[python_type] = (int(serializer.get_type_id()), serializer.write)
        self._global: _WriterEntry | None = None
        global_serializer = cast("type[StreamSerializer] | None", config.global_serializer)
        if global_serializer is not None:
            serializer = self._add_user_serializer(global_serializer)
            self._global = (int(serializer.get_type_id()), serializer.write)

        # Grows with the encoders of other types as they are first seen.
        self._encoders: dict[type, Encoder] = dict(self._builtin_encoders)
        # The same, except that a large bytes, bytearray or str value comes out as DataPieces (see to_value_data).
        bytes_value, str_value = _value_encoders(self._pack_top_level_count)
        self._value_encoders: dict[type, Encoder] = {bytes: bytes_value, bytearray: bytes_value, str: str_value}

        self._item_decoders: dict[int, ItemDecoder] = build_item_decoders(structs)
        self._item_decoders[int(SerializerTypeId.COMPACT)] = compact.decode_item
        for list_type_id in _LIST_TYPE_IDS:
            self._item_decoders[int(list_type_id)] = self._decode_list_payload
        decoders: dict[int, Decoder] = {
            type_id: _at_offset_8(decode) for type_id, decode in self._item_decoders.items()
        }
        decoders.update(build_top_level_decoders(structs))
        for type_id, read in self._readers.items():
            decoders[type_id] = self._stream_decoder(read)
        self._decoders = decoders
        self._destroyed = False

    def _add_user_serializer(self, serializer_class: type[StreamSerializer] | StreamSerializer) -> StreamSerializer:
        serializer = serializer_class() if isinstance(serializer_class, type) else serializer_class
        type_id = serializer.get_type_id()
        name = type(serializer).__qualname__
        if not isinstance(type_id, int) or type_id <= 0:
            raise IllegalArgumentError(
                f"serializer {name} has type id {type_id!r}; custom and global serializers need a type id above 0"
            )
        for existing in self._user_serializers:
            if existing.get_type_id() == type_id:
                if type(existing) is not type(serializer):
                    raise IllegalArgumentError(
                        f"serializers {type(existing).__qualname__} and {name} both use type id {type_id}"
                    )
                return existing
        self._user_serializers.append(serializer)
        self._readers[type_id] = serializer.read
        return serializer

    # ---------------------------------------------------------------------------------------------- objects -> bytes

    def to_data(self, obj: Any) -> bytes:
        """Serialize ``obj``; ``None`` gives the null Data ``b""``.

        Raises:
            HazelcastSerializationError: no serializer accepts the object, or its serializer failed.
        """
        try:
            encode = self._encoders.get(type(obj))
            if encode is None:
                encode = self._encoder_of_new_type(type(obj))
            return encode(obj)
        except HazelcastSerializationError:
            raise
        except Exception as error:
            raise HazelcastSerializationError(f"cannot serialize a {type(obj).__qualname__}: {error}") from error

    def to_value_data(self, obj: Any) -> bytes | DataPieces:
        """:meth:`to_data` for a value that goes straight into a request: a ``bytes``, ``bytearray`` or ``str`` value
        of 64 KiB or more comes back as :class:`~hazelcast.protocol.outbound.DataPieces` (its header, then the value's
        bytes: the caller's own ``bytes`` object, a copy of a ``bytearray``, the UTF-8 encoding of a ``str``), which
        a request encoder splices in rather than copying it into the message."""
        encode = self._value_encoders.get(type(obj))
        if encode is None:
            return self.to_data(obj)
        try:
            return encode(obj)
        except Exception as error:
            raise HazelcastSerializationError(f"cannot serialize a {type(obj).__qualname__}: {error}") from error

    def _encoder_of_new_type(self, python_type: type) -> Encoder:
        partition_aware = callable(getattr(python_type, "get_partition_key", None))
        encoder = self._stream_encoder(self._writer_entry(python_type), partition_aware)
        self._encoders[python_type] = encoder
        return encoder

    def _stream_encoder(self, entry: _WriterEntry, partition_aware: bool) -> Encoder:
        type_id, write = entry
        new_output = self._output_factory
        partition_key_hash = self._partition_key_hash

        def encode(obj: Any) -> bytes:
            hash_ = partition_key_hash(obj) if partition_aware else 0
            out = new_output()
            out.write_header(hash_, type_id)
            write(out, obj)
            return out.to_byte_array()

        return encode

    def _partition_key_hash(self, obj: Any) -> int:
        key = obj.get_partition_key()
        if key is None or key is obj:
            return 0
        # The key's own partition key is not consulted (neither Java nor the official client does).
        encode = self._builtin_encoders.get(type(key))
        if encode is None:
            encode = self._stream_encoder(self._writer_entry(type(key)), partition_aware=False)
        return partition_hash(encode(key))

    def _writer_entry(self, python_type: type) -> _WriterEntry:
        entry = self._writers.get(python_type)
        if entry is not None:
            return entry
        if python_type in self._compact_classes or issubclass(python_type, CompactGenericRecord):
            entry = self._compact_entry
        elif issubclass(python_type, IdentifiedDataSerializable):
            entry = self._identified_entry
        elif issubclass(python_type, (Portable, PortableGenericRecord)) or python_type in self._portable_classes:
            entry = self._portable_entry
        elif issubclass(python_type, str):
            entry = self._string_entry
        else:
            entry = next((self._custom[base] for base in python_type.__mro__ if base in self._custom), self._global)
            if entry is None:
                entry = self._pickle_entry
            if entry is None:
                raise HazelcastSerializationError(
                    f"there is no serializer for {python_type.__module__}.{python_type.__qualname__}: make it an "
                    f"IdentifiedDataSerializable or a Portable, register a custom serializer for it in "
                    f"Config.custom_serializers, set a global serializer in Config.global_serializer, or use compact "
                    f"serialization; or set Config.pickle_enabled to True to pickle it (only if every reader trusts "
                    f"this client: unpickling runs code)"
                )
        self._writers[python_type] = entry
        return entry

    def _write_object(self, out: BufferObjectDataOutput, obj: Any) -> None:
        if type(obj) is list:
            out.write_int(self._list_type_id)
            self._write_list_items(out, obj)
            return
        encode = self._item_encoders.get(type(obj))
        if encode is not None:
            out.write_raw(encode(obj))
            return
        type_id, write = self._writer_entry(type(obj))
        out.write_int(type_id)
        write(out, obj)

    def _write_list_items(self, out: BufferObjectDataOutput, items: list[Any]) -> None:
        out.write_int(len(items))
        for item in items:
            self._write_object(out, item)

    def _encode_list(self, items: list[Any]) -> bytes:
        parts = [self._pack_top_level_count(self._list_header, len(items))]
        if self._encode_items(items, parts):
            return b"".join(parts)
        # An item needs a stream. Portable records offsets from the start of the whole serialized object, so
        # every item is written into one stream that holds the list from its header on.
        out = self._output_factory()
        out.write_header(0, self._list_type_id)
        self._write_list_items(out, items)
        return out.to_byte_array()

    def _encode_list_item(self, items: list[Any]) -> bytes | None:
        parts = [self._pack_item_count(self._list_type_id, len(items))]
        return b"".join(parts) if self._encode_items(items, parts) else None

    def _encode_items(self, items: list[Any], parts: list[bytes]) -> bool:
        """Append the encoded items to ``parts``; False, leaving ``parts`` incomplete, when an item (at any depth)
        has no item encoder and must be written to a stream."""
        append = parts.append
        item_encoder = self._item_encoders.get
        for item in items:
            encode = item_encoder(type(item))
            if encode is None:
                return False
            encoded = encode(item)
            if encoded is None:
                return False
            append(encoded)
        return True

    # ---------------------------------------------------------------------------------------------- bytes -> objects

    def to_object(self, data: bytes | None) -> Any:
        """Deserialize ``data``; ``None`` and the null Data ``b""`` give ``None``.

        Raises:
            HazelcastSerializationError: the type id has no serializer here, or the payload is malformed.
        """
        if not data:
            return None
        try:
            type_id = _type_id_field(data, 4)[0]
        except struct.error:
            raise HazelcastSerializationError(f"a serialized object has at least 8 bytes, got {len(data)}") from None
        decode = self._decoders.get(type_id)
        if decode is None:
            raise _unknown_type_id(type_id)
        try:
            return decode(data)
        except HazelcastSerializationError:
            raise
        except Exception as error:
            raise HazelcastSerializationError(f"cannot deserialize an object of type id {type_id}: {error}") from error

    def _stream_decoder(self, read: _ReadFunction) -> Decoder:
        new_input = self._input_class
        read_object = self._read_object

        def decode(data: bytes) -> Any:
            if data.__class__ is not bytes:
                data = bytes(data)  # a large frame's bytearray: byte arrays read from it must still be bytes
            return read(new_input(data, 8, read_object))

        return decode

    def _read_object(self, inp: BufferObjectDataInput) -> Any:
        type_id = inp.read_int()
        decode = self._item_decoders.get(type_id)
        if decode is not None:
            return inp.read_with(decode)
        read = self._readers.get(type_id)
        if read is None:
            raise _unknown_type_id(type_id)
        return read(inp)

    def _decode_list_payload(self, data: bytes, pos: int) -> tuple[list[Any] | None, int]:
        unpack_int32 = self._unpack_int32
        count = unpack_int32(data, pos)[0]
        pos += 4
        if count < 0:
            return None, pos
        item_decoder = self._item_decoders.get
        items: list[Any] = []
        append = items.append
        for _ in range(count):
            type_id = unpack_int32(data, pos)[0]
            decode = item_decoder(type_id)
            if decode is None:
                read = self._readers.get(type_id)
                if read is None:
                    raise _unknown_type_id(type_id)
                inp = self._input_class(data, pos + 4, self._read_object)
                append(read(inp))
                pos = inp.position()
            else:
                item, pos = decode(data, pos + 4)
                append(item)
        return items, pos

    # ---------------------------------------------------------------------------------------------- misc

    @staticmethod
    def partition_hash(data: bytes) -> int:
        """Partition hash of serialized ``data`` (see ``hazelcast.serialization.hashing``)."""
        return partition_hash(data)

    def destroy(self) -> None:
        """Call ``destroy()`` once on every custom and global serializer (when the client shuts down)."""
        if self._destroyed:
            return
        self._destroyed = True
        for serializer in self._user_serializers:
            serializer.destroy()


def _value_encoders(pack_header_and_size: Callable[[bytes, int], bytes]) -> tuple[Encoder, Encoder]:
    """Encoders of bytes/bytearray and str values for ``to_value_data``: plain Data, or DataPieces when large."""
    bytes_header = HEADER.pack(0, SerializerTypeId.BYTE_ARRAY)
    string_header = HEADER.pack(0, SerializerTypeId.STRING)

    def bytes_value(value: bytes | bytearray) -> bytes | DataPieces:
        size = len(value)
        if size < LARGE_PAYLOAD:
            return pack_header_and_size(bytes_header, size) + value
        # A bytearray may still change after the call returns: it is sent from a copy.
        return DataPieces(pack_header_and_size(bytes_header, size), value if value.__class__ is bytes else bytes(value))

    def str_value(value: str) -> bytes | DataPieces:
        raw = value.encode()
        size = len(raw)
        if size < LARGE_PAYLOAD:
            return pack_header_and_size(string_header, size) + raw
        return DataPieces(pack_header_and_size(string_header, size), raw)

    return bytes_value, str_value  # type: ignore[return-value]


def _at_offset_8(decode: ItemDecoder) -> Decoder:
    def decode_whole(data: bytes) -> Any:
        if data.__class__ is not bytes:
            data = bytes(data)  # a large frame's bytearray: nested byte arrays must still come out as bytes
        return decode(data, 8)[0]

    return decode_whole


def _unknown_type_id(type_id: int) -> HazelcastSerializationError:
    if type_id > 0:
        return HazelcastSerializationError(
            f"no serializer is registered for type id {type_id}: register the custom serializer with that type "
            f"id in Config.custom_serializers, or the global serializer in Config.global_serializer"
        )
    try:
        name = f" ({SerializerTypeId(type_id).name})"
    except ValueError:
        name = ""
    return HazelcastSerializationError(f"this client cannot deserialize objects of type id {type_id}{name}")
