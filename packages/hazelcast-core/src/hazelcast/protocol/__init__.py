"""The client protocol, without I/O: frames, message specs and the codecs compiled from them.

* :mod:`hazelcast.protocol.frames` — frame flags, the inbound :class:`MessageReader`, header accessors.
* :mod:`hazelcast.protocol.spec` — declarative method and custom-type descriptions.
* :mod:`hazelcast.protocol.messages` — the catalogue of every message the API uses, as data.
* :mod:`hazelcast.protocol.type_codecs` — encoders and decoders of the variable-size types (lists, entry lists...).
* :mod:`hazelcast.protocol.codec` — compiles message and custom-type specs into encoder/decoder functions.
* :mod:`hazelcast.protocol.outbound` — requests that hold large values by reference.
* :mod:`hazelcast.protocol.registry` — codecs by method name or message type.
"""

from hazelcast.protocol.codec import MethodCodec
from hazelcast.protocol.registry import method, method_by_type

__all__ = ["MethodCodec", "method", "method_by_type"]
