"""Serialize Portable values and pickled values with the official client, and read back ours.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``) as
``official_portable.py <path of tests/interop/portable_classes.py>``; it imports the official ``hazelcast`` package
and, from this repository, only that module (which itself imports nothing from ``hazelcast``).

stdin: ``{"portable": [{"case": <case id>, "big_endian": bool, "ours": <hex>}, ...],
"pickle": [{"expr": <Python expression>, "ours": <hex>}, ...]}``.

stdout: ``{"portable": {"<case> <BE|LE>": result}, "pickle": {<expr>: result}}`` where a result is
``{"hex": <official bytes>, "reads_ours": bool, "read": <repr of what it read from ours>}``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from typing import Any

from hazelcast.config import Config
from hazelcast.serialization.api import Portable
from hazelcast.serialization.data import Data
from hazelcast.serialization.portable.classdef import ClassDefinitionBuilder
from hazelcast.serialization.service import SerializationServiceV1


def load_shared_classes(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("portable_classes", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # dataclasses looks the module up by name while building the class.
    sys.modules["portable_classes"] = module
    spec.loader.exec_module(module)
    return module


def result(service: SerializationServiceV1, value: Any, ours_hex: str) -> dict[str, Any]:
    read = service.to_object(Data(bytearray.fromhex(ours_hex)))
    return {"hex": service.to_data(value).buffer.hex(), "reads_ours": read == value, "read": repr(read)}


def main() -> None:
    shared = load_shared_classes(sys.argv[1])
    model = shared.define(Portable)
    cases = model.cases()
    request = json.load(sys.stdin)
    output: dict[str, dict[str, Any]] = {"portable": {}, "pickle": {}}
    for case in request["portable"]:
        # A fresh service per case, as in the tests: no class definition is left over from another case.
        config = Config()
        config.is_big_endian = case["big_endian"]
        config.portable_factories = model.factories()
        config.class_definitions = shared.class_definitions(ClassDefinitionBuilder)
        service = SerializationServiceV1(config)
        key = f"{case['case']} {'BE' if case['big_endian'] else 'LE'}"
        output["portable"][key] = result(service, cases[case["case"]], case["ours"])
    service = SerializationServiceV1(Config())
    for case in request["pickle"]:
        output["pickle"][case["expr"]] = result(service, eval(case["expr"]), case["ours"])
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main()
