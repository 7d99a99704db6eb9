"""Compile message and custom-type specs into straight-line encoders and decoders.

Each :class:`~hazelcast.protocol.spec.MethodSpec` becomes a :class:`MethodCodec` holding five plain functions, built
once (on first use) as Python source and ``exec``-ed: every fixed-size parameter of a message is packed or unpacked
by one precompiled ``struct.Struct``, each variable-size parameter by an inline frame append or a call to the encoder
of its type. There is no per-call interpretation of the spec.

Conventions of the compiled functions:

* ``encode_request(*params)`` / ``encode_response(*params)`` / ``encode_event[i](*params)`` take the parameters in
  protocol order (snake_case names, see ``MethodCodec.request_names``) and return the complete wire bytes as a
  ``bytearray``; correlation id 0 and partition id -1 are placeholders that the sender patches
  (:func:`~hazelcast.protocol.frames.set_correlation_id`). A request given a Data parameter as
  :class:`~hazelcast.protocol.outbound.DataPieces` (a large value) is a
  :class:`~hazelcast.protocol.outbound.SplicedRequest` holding those pieces by reference.
* ``decode_*(message)`` return the single parameter's value, None when there is none, or a named tuple when there
  are several. Parameters newer than the peer (``@2.7`` in the spec) decode as None when absent, and unknown trailing
  frames or bytes from a newer peer are ignored, so old and new peers interoperate.

Python values per protocol type: String ``str``; Data and byteArray ``bytes``; UUID ``uuid.UUID | None``; boolean,
byte, int, long, float as ``bool``/``int``/``float``; longArray and List_Integer/Long/UUID ``list``; List_X ``list``;
EntryList_K_V ``list[tuple[K, V]]``; Map_K_V ``dict``; custom types as the class registered for them
(``hazelcast.core`` value types where one exists, a named tuple otherwise).
"""

from __future__ import annotations

import importlib
import keyword
import struct
from collections import namedtuple
from collections.abc import Callable
from typing import Any

from hazelcast.protocol.frames import (
    END_DATA_STRUCTURE,
    IS_EVENT,
    IS_FINAL,
    IS_NULL,
    UNFRAGMENTED,
    Message,
)
from hazelcast.protocol.outbound import DataPieces, splice
from hazelcast.protocol.spec import CustomSpec, MethodSpec, Param
from hazelcast.protocol.type_codecs import BEGIN_FRAME as _BEGIN_FRAME
from hazelcast.protocol.type_codecs import END_FRAME as _END_FRAME
from hazelcast.protocol.type_codecs import FINAL_HIGH_BYTE as _FINAL_HIGH_BYTE
from hazelcast.protocol.type_codecs import HEADER_SIZE as _HEADER_SIZE
from hazelcast.protocol.type_codecs import NULL_FRAME as _NULL_FRAME
from hazelcast.protocol.type_codecs import STRUCT_CODES as _STRUCT_CODES
from hazelcast.protocol.type_codecs import decoder_for, encoder_for
from hazelcast.protocol.type_codecs import encode_bytes as _enc_bytes
from hazelcast.protocol.type_codecs import pack_frame_header as _H
from hazelcast.protocol.type_codecs import skip_to_end as _skip_to_end
from hazelcast.protocol.type_codecs import uuid_at as _uuid_at
from hazelcast.protocol.type_codecs import uuid_parts as _uuid_parts

__all__ = [
    "MethodCodec",
    "decoder_for",
    "encoder_for",
    "reads_one_data_frame",
    "register_custom_factory",
]

# Offsets of the first fixed-size parameter inside an initial frame's payload.
REQUEST_FIXED_OFFSET = 16
RESPONSE_FIXED_OFFSET = 13
EVENT_FIXED_OFFSET = 16

# ---------------------------------------------------------------------------------------------------------------------
# Custom types


_CUSTOM_FACTORY_PATHS = {
    "Address": "hazelcast.core:Address",
    "MemberInfo": "hazelcast.core:MemberInfo",
    "MemberVersion": "hazelcast.core:MemberVersion",
    "EndpointQualifier": "hazelcast.core:EndpointQualifier",
    "DistributedObjectInfo": "hazelcast.core:DistributedObjectInfo",
    "SimpleEntryView": "hazelcast.core:SimpleEntryView",
}
_custom_factories: dict[str, Callable[..., Any]] = {}
#: Per custom type, the lazy factories of the decoders compiled so far (re-resolved when a factory is registered).
_lazy_factories: dict[str, list[_LazyFactory]] = {}
_custom_spec_table: dict[str, CustomSpec] = {}


def register_custom_factory(type_name: str, factory: Callable[..., Any]) -> None:
    """Make decoders build ``type_name`` values with ``factory(**snake_case_fields)``.

    Encoders read the same snake_case attributes from the values they are given. Decoders compiled before the call
    use the new factory from their next decode on.
    """
    _custom_factories[type_name] = factory
    for lazy in _lazy_factories.get(type_name, ()):
        lazy.reset()


def _custom_specs() -> dict[str, CustomSpec]:
    if not _custom_spec_table:
        from hazelcast.protocol.messages.custom_types import CUSTOM_TYPES

        _custom_spec_table.update((spec.name, spec) for spec in CUSTOM_TYPES)
    return _custom_spec_table


def custom_type_codec(type_name: str) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    """The encoder and decoder of custom type ``type_name``, compiled from its spec (for :mod:`.type_codecs`)."""
    custom = _custom_specs().get(type_name)
    if custom is None:
        raise TypeError(f"no codec for protocol type {type_name!r}")
    return _compile_custom(custom)


def _custom_factory(spec: CustomSpec) -> Callable[..., Any]:
    factory = _custom_factories.get(spec.name)
    if factory is None:
        path = _CUSTOM_FACTORY_PATHS.get(spec.name)
        if path is not None:
            module, _, attribute = path.partition(":")
            factory = getattr(importlib.import_module(module), attribute)
        else:
            factory = _record_class(spec.name, [_py_name(p) for p in spec.params])
        _custom_factories[spec.name] = factory
    return factory


def _record_class(name: str, field_names: list[str]) -> Callable[..., Any]:
    """A namedtuple class whose fields are only known at run time, from a spec."""
    return namedtuple(name, field_names)


def _py_name(param: Param) -> str:
    name = param.py_name
    return name + "_" if keyword.iskeyword(name) else name


class _Source:
    """Accumulates the lines of one generated function."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "_H": _H,
            "_NULL_FRAME": _NULL_FRAME,
            "_BEGIN_FRAME": _BEGIN_FRAME,
            "_END_FRAME": _END_FRAME,
            "_enc_bytes": _enc_bytes,
            "_uuid_parts": _uuid_parts,
            "_uuid_at": _uuid_at,
            "_skip_to_end": _skip_to_end,
            "IS_NULL": IS_NULL,
            "END": END_DATA_STRUCTURE,
        }
        self._counter = 0

    def bind(self, value: Any, prefix: str = "_k") -> str:
        self._counter += 1
        name = f"{prefix}{self._counter}"
        self.namespace[name] = value
        return name

    def add(self, line: str) -> None:
        self.lines.append(line)

    def build(self, name: str) -> Callable[..., Any]:
        exec("\n".join(self.lines), self.namespace)  # noqa: S102 - source is generated from our own specs
        function: Callable[..., Any] = self.namespace[name]
        return function


def _fixed_struct(params: list[Param], prefix: str = "<") -> struct.Struct:
    return struct.Struct(prefix + "".join(_STRUCT_CODES[p.type] for p in params))


def _pack_args(params: list[Param], names: list[str]) -> str:
    return ", ".join(f"*_uuid_parts({n})" if p.type == "UUID" else n for p, n in zip(params, names))


#: The frames of structure names, by name: the ``name`` parameter of a request (when it is not the last) is the name of
#: the proxy sending it, the same in each of its requests, so its frame is encoded once. Bounded: names beyond the
#: bound are encoded each time.
_NAME_FRAMES: dict[str, bytes] = {}
_NAME_FRAMES_LIMIT = 4096


def _name_frame(name: str) -> bytes:
    raw = name.encode("utf-8")
    frame = _H(len(raw) + _HEADER_SIZE, 0) + raw
    if len(_NAME_FRAMES) < _NAME_FRAMES_LIMIT:
        _NAME_FRAMES[name] = frame
    return frame


def _emit_var_encode(
    src: _Source, param: Param, value: str, indent: str, last: bool = False, splice_large: bool = False
) -> None:
    """Append ``param``'s frames; on the message's ``last`` parameter also set IS_FINAL on its last frame.

    Single-frame types are appended inline (the hot path of every key/value message); other types call their
    encoder, which returns the offset of its last frame for the IS_FINAL patch. With ``splice_large`` (requests), a
    Data given as :class:`~hazelcast.protocol.outbound.DataPieces` is held by reference in a
    :class:`~hazelcast.protocol.outbound.SplicedRequest`, not copied.
    """
    if param.type in ("Data", "byteArray", "String"):
        payload = f"{value}.encode('utf-8')" if param.type == "String" else value
        flags = IS_FINAL if last else 0
        encode = [f"_p = {payload}", f"_buf += _H(len(_p) + {_HEADER_SIZE}, {flags})", "_buf += _p"]
        if param.type == "String" and param.name == "name" and not last:
            name_frame = src.bind(_name_frame, "_name")
            encode = [f"_p = {src.bind(_NAME_FRAMES, '_names')}.get({value})", f"_buf += _p or {name_frame}({value})"]
        if splice_large and param.type == "Data":
            encode = [
                f"_p = {payload}",
                f"if _p.__class__ is not {src.bind(DataPieces, '_Pieces')}:",
                f"    _buf += _H(len(_p) + {_HEADER_SIZE}, {flags})",
                "    _buf += _p",
                "else:",
                f"    _buf = {src.bind(splice, '_splice')}(_buf, _p, {flags})",
            ]
        null = [f"_buf += {src.bind(_H(_HEADER_SIZE, IS_NULL | flags), '_null')}"]
    else:
        encode = [f"_o = {src.bind(encoder_for(param.type), '_enc')}(_buf, {value})"]
        null = ["_o = len(_buf)", "_buf += _NULL_FRAME"]
        if last:
            encode.append(f"_buf[_o + 5] |= {_FINAL_HIGH_BYTE}")
            null.append(f"_buf[_o + 5] |= {_FINAL_HIGH_BYTE}")
    if param.nullable:
        src.add(f"{indent}if {value} is None:")
        for line in null:
            src.add(f"{indent}    {line}")
        src.add(f"{indent}else:")
        for line in encode:
            src.add(f"{indent}    {line}")
    else:
        for line in encode:
            src.add(f"{indent}{line}")


def _emit_var_decode(src: _Source, param: Param, target: str, indent: str) -> None:
    if param.type in ("Data", "byteArray"):
        read = f"{target} = _m[_i][1]; _i += 1"
    elif param.type == "String":
        read = f"{target} = _m[_i][1].decode('utf-8'); _i += 1"
    else:
        read = f"{target}, _i = {src.bind(decoder_for(param.type), '_dec')}(_m, _i)"
    if param.nullable:
        src.add(f"{indent}if _m[_i][0] & IS_NULL:")
        src.add(f"{indent}    {target} = None; _i += 1")
        src.add(f"{indent}else:")
        src.add(f"{indent}    {read}")
    else:
        src.add(f"{indent}{read}")


def _compile_custom(spec: CustomSpec) -> tuple[Callable[..., int], Callable[..., tuple[Any, int]]]:
    fixed = [p for p in spec.params if p.is_fixed]
    variable = [p for p in spec.params if not p.is_fixed]
    names = {p: _py_name(p) for p in spec.params}

    # A value made only of fixed-size fields and strings, held in a tuple (the records decoded for custom types are
    # named tuples), is immutable: its encoding is remembered for the next time the same object is sent (a CP group
    # id goes with every request of its structures).
    # The memo holds one (value, encoding, offset of its END frame) tuple, read and replaced whole: threads that share
    # the codec never see a value with another's encoding.
    memo: list[tuple[Any, bytes, int]] | None = None
    enc_memo = ""
    if all(p.is_fixed or p.type == "String" for p in spec.params):
        memo = [(None, b"", 0)]
    enc = _Source()
    enc.add("def encode(_buf, _v):")
    if memo is not None:
        enc_memo = enc.bind(memo, "_memo")
        enc.add(f"    _m = {enc_memo}[0]")
        enc.add("    if _v is _m[0]:")
        enc.add("        _o = len(_buf) + _m[2]")
        enc.add("        _buf += _m[1]")
        enc.add("        return _o")
        enc.add("    _start = len(_buf)")
    enc.add("    _buf += _BEGIN_FRAME")
    if fixed:
        fixed_struct = _fixed_struct(fixed)
        enc.add(f"    _buf += _H({fixed_struct.size + _HEADER_SIZE}, 0)")
        values = [f"_v.{names[p]}" for p in fixed]
        enc.add(f"    _buf += {enc.bind(fixed_struct, '_s')}.pack({_pack_args(fixed, values)})")
    for param in variable:
        enc.add(f"    _f = _v.{names[param]}")
        _emit_var_encode(enc, param, "_f", "    ")
    enc.add("    _o = len(_buf)")
    enc.add("    _buf += _END_FRAME")
    if memo is not None:
        enc.add("    if isinstance(_v, tuple):")
        enc.add(f"        {enc_memo}[0] = (_v, bytes(_buf[_start:]), _o - _start)")
    enc.add("    return _o")

    dec = _Source()
    dec.add("def decode(_m, _i):")
    dec.add("    _i += 1")
    if fixed:
        dec.add("    _p = _m[_i][1]; _i += 1")
        _emit_fixed_sequential(dec, fixed, [names[p] for p in fixed], "_p", 0)
    for param in variable:
        if param.since is not None:
            dec.add("    if _m[_i][0] & END:")
            dec.add(f"        {names[param]} = None")
            dec.add("    else:")
            _emit_var_decode(dec, param, names[param], "        ")
        else:
            _emit_var_decode(dec, param, names[param], "    ")
    factory = dec.bind(_LazyFactory(spec), "_factory")
    kwargs = ", ".join(f"{names[p]}={names[p]}" for p in spec.params)
    dec.add(f"    return {factory}({kwargs}), _skip_to_end(_m, _i)")
    return enc.build("encode"), dec.build("decode")


class _LazyFactory:
    """Resolves a custom type's Python class on first decode, so importing codecs does not import hazelcast.core."""

    __slots__ = ("_spec", "_factory")

    def __init__(self, spec: CustomSpec) -> None:
        self._spec = spec
        self._factory: Callable[..., Any] | None = None
        _lazy_factories.setdefault(spec.name, []).append(self)

    def reset(self) -> None:
        self._factory = None

    def __call__(self, **fields: Any) -> Any:
        factory = self._factory
        if factory is None:
            factory = self._factory = _custom_factory(self._spec)
        return factory(**fields)


def _emit_fixed_sequential(src: _Source, params: list[Param], names: list[str], payload: str, offset: int) -> None:
    """Unpack fixed-size fields one run at a time: plain ones batched, UUIDs and versioned ones individually."""
    current = offset
    batch: list[tuple[Param, str]] = []

    def flush() -> None:
        nonlocal batch
        if batch:
            batch_struct = _fixed_struct([p for p, _ in batch])
            targets = ", ".join(n for _, n in batch) + ("," if len(batch) == 1 else "")
            start = current - batch_struct.size
            src.add(f"    {targets} = {src.bind(batch_struct, '_s')}.unpack_from({payload}, {start})")
            batch = []

    for param, name in zip(params, names):
        if param.since is None and param.type != "UUID":
            batch.append((param, name))
            current += param.size
            continue
        flush()
        if param.type == "UUID":
            expr = f"_uuid_at({payload}, {current})"
        else:
            expr = f"{src.bind(_fixed_struct([param]), '_s')}.unpack_from({payload}, {current})[0]"
        if param.since is not None:
            src.add(f"    {name} = {expr} if len({payload}) >= {current + param.size} else None")
        else:
            src.add(f"    {name} = {expr}")
        current += param.size
    flush()


# ---------------------------------------------------------------------------------------------------------------------
# Messages


def _compile_encoder(
    params: tuple[Param, ...], message_type: int, header: str, header_values: str, flags: int, fn_name: str,
    splice_large: bool = False,
) -> Callable[..., bytearray]:
    fixed = [p for p in params if p.is_fixed]
    variable = [p for p in params if not p.is_fixed]
    names = [_py_name(p) for p in params]
    by_param = dict(zip(params, names))
    initial = struct.Struct("<iHi" + header + "".join(_STRUCT_CODES[p.type] for p in fixed))
    if not variable:
        flags |= IS_FINAL
    src = _Source()
    src.add(f"def {fn_name}({', '.join(names)}):")
    src.add(f"    _buf = bytearray({initial.size})")
    fixed_args = _pack_args(fixed, [by_param[p] for p in fixed])
    pack_args = f"{initial.size}, {flags}, {message_type}, {header_values}" + (f", {fixed_args}" if fixed else "")
    src.add(f"    {src.bind(initial, '_init')}.pack_into(_buf, 0, {pack_args})")
    for index, param in enumerate(variable):
        _emit_var_encode(
            src, param, by_param[param], "    ", last=index == len(variable) - 1, splice_large=splice_large
        )
    src.add("    return _buf")
    return src.build(fn_name)


def _compile_decoder(params: tuple[Param, ...], fixed_offset: int, result_name: str) -> Callable[[Message], Any]:
    fixed = [p for p in params if p.is_fixed]
    variable = [p for p in params if not p.is_fixed]
    names = {p: _py_name(p) for p in params}
    src = _Source()
    src.add("def decode(_m):")
    if fixed:
        src.add("    _f0 = _m[0][1]")
        _emit_fixed_sequential(src, fixed, [names[p] for p in fixed], "_f0", fixed_offset)
    if variable:
        src.add("    _i = 1")
    for param in variable:
        if param.since is not None:
            src.add("    if _i >= len(_m):")
            src.add(f"        {names[param]} = None")
            src.add("    else:")
            _emit_var_decode(src, param, names[param], "        ")
        else:
            _emit_var_decode(src, param, names[param], "    ")
    if not params:
        src.add("    return None")
    elif len(params) == 1:
        src.add(f"    return {names[params[0]]}")
    else:
        result = src.bind(_record_class(result_name, [names[p] for p in params]), "_result")
        src.add(f"    return {result}({', '.join(names[p] for p in params)})")
    decode = src.build("decode")
    if len(params) == 1 and params[0].type == "Data" and params[0].since is None:
        _ONE_DATA_FRAME_DECODERS.add(decode)
    return decode


#: Decoders whose whole result is the payload of the message's second frame (one Data; a null frame's empty payload
#: stands for None wherever a Data is deserialized).
_ONE_DATA_FRAME_DECODERS: set[Callable[[Message], Any]] = set()


def reads_one_data_frame(decoder: Callable[[Message], Any]) -> bool:
    """Whether ``decoder`` returns one Data, the payload of frame 1, so a caller that deserializes the result may read
    that frame itself (one call fewer on a hot path)."""
    return decoder in _ONE_DATA_FRAME_DECODERS


class MethodCodec:
    """The compiled encoders and decoders of one protocol method (see the module docstring for conventions)."""

    __slots__ = (
        "spec",
        "request_type",
        "response_type",
        "request_names",
        "response_names",
        "encode_request",
        "decode_request",
        "encode_response",
        "decode_response",
        "encode_event",
        "decode_event",
        "event_types",
    )

    def __init__(self, spec: MethodSpec) -> None:
        self.spec = spec
        self.request_type = spec.request_type
        self.response_type = spec.response_type
        self.request_names = tuple(_py_name(p) for p in spec.request)
        self.response_names = tuple(_py_name(p) for p in spec.response)
        base = spec.name.replace(".", "_")
        self.encode_request: Callable[..., bytearray] = _compile_encoder(
            spec.request, spec.request_type, "qi", "0, -1", UNFRAGMENTED, "encode_request", splice_large=True
        )
        self.decode_request: Callable[[Message], Any] = _compile_decoder(
            spec.request, REQUEST_FIXED_OFFSET, f"{base}_request"
        )
        self.encode_response: Callable[..., bytearray] = _compile_encoder(
            spec.response, spec.response_type, "qB", "0, 0", UNFRAGMENTED, "encode_response"
        )
        self.decode_response: Callable[[Message], Any] = _compile_decoder(
            spec.response, RESPONSE_FIXED_OFFSET, f"{base}_response"
        )
        #: Per event, in spec order: the encoder (member side) and the decoder (client side).
        self.encode_event: tuple[Callable[..., bytearray], ...] = tuple(
            _compile_encoder(e.params, spec.event_type(i), "qi", "0, -1", UNFRAGMENTED | IS_EVENT, "encode_event")
            for i, e in enumerate(spec.events)
        )
        self.decode_event: tuple[Callable[[Message], Any], ...] = tuple(
            _compile_decoder(e.params, EVENT_FIXED_OFFSET, f"{base}_{e.name}_event") for e in spec.events
        )
        #: Event message type -> (event name, decoder).
        self.event_types: dict[int, tuple[str, Callable[[Message], Any]]] = {
            spec.event_type(i): (e.name, self.decode_event[i]) for i, e in enumerate(spec.events)
        }

    def __repr__(self) -> str:
        return f"<MethodCodec {self.spec.name} 0x{self.request_type:06x}>"
