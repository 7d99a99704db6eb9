"""Encode request messages with the official client's codecs and print their wire bytes.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``); it imports
the official ``hazelcast`` package and nothing from this repository.

stdin: a JSON list of cases::

    {"id": "map.put.basic", "codec": "map_put", "params": {...}, "correlation_id": 2, "partition_id": 94}

``codec`` names the official module ``hazelcast.protocol.codec.<codec>_codec``; ``params`` are passed as keyword
arguments to its ``encode_request``. Inside ``params``, at any depth:

* ``{"object": <json value>}`` becomes ``Data``, serialized by ``SerializationServiceV1(Config())`` as the official
  client would serialize that Python value (str, int within int32, float, bool or a list of these);
* ``{"uuid": "<canonical uuid>"}`` becomes ``uuid.UUID``;
* JSON lists become lists (an ``entries`` list of ``[key, value]`` pairs therefore feeds an entry-list codec);
* ``null``, strings, numbers and booleans pass through unchanged.

Correlation and partition id are written into the initial frame exactly as the official invocation service does
after encoding. No BACKUP_AWARE flag is set: the official client adds it only when sending on a smart connection.

stdout: one JSON object mapping each case id to the lowercase hex of the complete message (every frame, headers
included). Any bad case aborts with a non-zero exit status and a message naming the case on stderr.
"""

from __future__ import annotations

import importlib
import json
import sys
import uuid
from typing import Any

from hazelcast.config import Config
from hazelcast.serialization.service import SerializationServiceV1

_SERIALIZATION = SerializationServiceV1(Config())
_CASE_KEYS = frozenset({"id", "codec", "params", "correlation_id", "partition_id"})


class CaseError(Exception):
    """A case that cannot be encoded; the message names the case."""


def convert(value: Any) -> Any:
    """Turn the JSON form of a parameter into what the official codec expects."""
    if isinstance(value, dict):
        if set(value) == {"object"}:
            return _SERIALIZATION.to_data(value["object"])
        if set(value) == {"uuid"}:
            return uuid.UUID(value["uuid"])
        raise ValueError(f"a JSON object parameter must be {{'object': ...}} or {{'uuid': ...}}, got {value!r}")
    if isinstance(value, list):
        return [convert(item) for item in value]
    return value


def encode_case(case: dict[str, Any]) -> str:
    """Return the hex of the official encoding of one case."""
    if set(case) != _CASE_KEYS:
        raise ValueError(f"case keys must be {sorted(_CASE_KEYS)}, got {sorted(case)}")
    module = importlib.import_module(f"hazelcast.protocol.codec.{case['codec']}_codec")
    params = {name: convert(value) for name, value in case["params"].items()}
    message = module.encode_request(**params)
    message.set_correlation_id(case["correlation_id"])
    message.set_partition_id(case["partition_id"])
    return bytes(message.buf).hex()


def encode_all(cases: list[dict[str, Any]]) -> dict[str, str]:
    """Encode every case, refusing duplicate ids so no expectation is silently overwritten."""
    encodings: dict[str, str] = {}
    for case in cases:
        case_id = case.get("id")
        if not isinstance(case_id, str):
            raise CaseError(f"case without a string id: {case!r}")
        if case_id in encodings:
            raise CaseError(f"duplicate case id {case_id!r}")
        try:
            encodings[case_id] = encode_case(case)
        except Exception as error:
            raise CaseError(f"case {case_id!r} ({case.get('codec')!r}): {type(error).__name__}: {error}") from error
    return encodings


def main() -> int:
    cases = json.load(sys.stdin)
    if not isinstance(cases, list):
        print("stdin must hold a JSON list of cases", file=sys.stderr)
        return 2
    try:
        encodings = encode_all(cases)
    except CaseError as error:
        print(str(error), file=sys.stderr)
        return 1
    json.dump(encodings, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
