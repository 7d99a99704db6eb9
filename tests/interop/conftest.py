"""Fixtures shared by the tests that drive the official hazelcast-python-client in its own venv."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interop.official_env import official_python as _locate_official_python


@pytest.fixture(scope="session")
def official_python() -> Path:
    """Interpreter of the venv holding the official client (built on first use, see ``official_env``)."""
    return _locate_official_python()
