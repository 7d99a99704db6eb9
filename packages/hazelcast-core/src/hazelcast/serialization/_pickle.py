"""Python pickle (type id -120), used only when ``Config.pickle_enabled`` is true.

The payload is the official client's: the protocol 0 pickle as a length-prefixed byte string (it writes it
through ``write_string``, which gives the same bytes). Protocol 0 is ASCII except for characters U+0080 to
U+00FF in pickled strings, which it keeps as single Latin-1 bytes; the official client cannot write such a
pickle (it is not UTF-8) nor read one, while this client writes and reads it.
"""

from __future__ import annotations

import pickle
from typing import Any

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.api import ObjectDataInput, ObjectDataOutput

__all__ = ["PICKLE_PROTOCOL", "read_pickle", "refuse_pickle", "write_pickle"]

PICKLE_PROTOCOL = 0
"""The official client's protocol; a higher one would give other bytes for the same value."""


def write_pickle(out: ObjectDataOutput, obj: Any) -> None:
    out.write_byte_array(pickle.dumps(obj, PICKLE_PROTOCOL))


def read_pickle(inp: ObjectDataInput) -> Any:
    raw = inp.read_byte_array()
    if raw is None:
        return None
    # Reached only when the user enabled pickle, trusting every writer of the data.
    return pickle.loads(raw)


def refuse_pickle(inp: ObjectDataInput) -> Any:
    raise HazelcastSerializationError(
        "received Python pickle data (type id -120); unpickling data from the network runs code chosen by "
        "whoever wrote it, so this client reads pickle only when Config.pickle_enabled is True (enable it only "
        "if every writer of this data is trusted)"
    )
