"""The committed message catalogue is exactly what the generator makes from the protocol's own definitions."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT.parent / "shared" / "protocol" / "definitions"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_catalogue", ROOT / "tools" / "generate_catalogue.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogue_matches_the_protocol_definitions() -> None:
    generator = _generator()
    assert DEFINITIONS.is_dir(), f"protocol definitions expected at {DEFINITIONS}"
    for name, text in generator.render(DEFINITIONS).items():
        committed = (generator.OUTPUT / name).read_text()
        assert committed == text, f"{name} differs from the definitions: run tools/generate_catalogue.py"


def test_every_catalogued_method_compiles() -> None:
    from hazelcast.protocol.messages import SERVICE_MODULES
    from hazelcast.protocol.registry import method, specs_of_service

    compiled = 0
    for service_id in SERVICE_MODULES:
        for spec in specs_of_service(service_id):
            codec = method(spec.name)
            assert codec.request_type == spec.request_type
            compiled += 1
    assert compiled > 300
