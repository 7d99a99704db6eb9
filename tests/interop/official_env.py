"""Locate, or build on first use, a virtual environment holding the official Hazelcast Python client.

The official distribution ``hazelcast-python-client`` installs a regular package called ``hazelcast``, which would
shadow this project's ``hazelcast`` namespace package, so it can never share an interpreter with our code. The
interoperability tests therefore run it as a subprocess from a venv of its own, kept at
``<repo root>/.venvs/official-<version>`` (ignored by git).

Building the venv is idempotent and safe against two processes doing it at once: creation runs under an exclusive
``fcntl`` lock, and a marker file is written only after the installed client was imported and its version checked.
A directory without the marker is a half-made venv from an interrupted run and is rebuilt from scratch.

Set ``HAZELCAST_OFFICIAL_PYTHON`` to the interpreter of an existing venv to skip all of this.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import structlog

__all__ = [
    "OFFICIAL_CLIENT_VERSION",
    "OFFICIAL_PYTHON_ENV_VAR",
    "OFFICIAL_REQUIREMENT",
    "SCRIPTS_DIR",
    "ensure_official_venv",
    "official_python",
    "official_venv_dir",
]

OFFICIAL_CLIENT_VERSION = "5.7.0"
OFFICIAL_REQUIREMENT = f"hazelcast-python-client=={OFFICIAL_CLIENT_VERSION}"
OFFICIAL_PYTHON_ENV_VAR = "HAZELCAST_OFFICIAL_PYTHON"

#: Scripts meant to be run by the official venv's interpreter (they import the official ``hazelcast``).
SCRIPTS_DIR = Path(__file__).resolve().parent / "scripts"

_REPO_ROOT = Path(__file__).resolve().parents[2]
_MARKER_NAME = ".hazelcast-official-installed"
_INSTALL_TIMEOUT_S = 600.0

_log = structlog.get_logger("hazelcast.interop")


def official_venv_dir() -> Path:
    """Return the directory of the managed venv (whether or not it exists yet)."""
    return _REPO_ROOT / ".venvs" / f"official-{OFFICIAL_CLIENT_VERSION}"


def official_python() -> Path:
    """Return the interpreter of a venv in which ``import hazelcast`` is the official client.

    Honours ``HAZELCAST_OFFICIAL_PYTHON`` when set (the path must exist). Otherwise returns the managed venv's
    interpreter, creating the venv with the stdlib ``venv`` module and pip on first use (this needs PyPI and takes
    tens of seconds).
    """
    override = os.environ.get(OFFICIAL_PYTHON_ENV_VAR)
    if override:
        python = Path(override)
        if not python.exists():
            raise FileNotFoundError(f"{OFFICIAL_PYTHON_ENV_VAR}={override!r} does not exist")
        return python

    return ensure_official_venv(official_venv_dir())


def ensure_official_venv(venv_dir: Path) -> Path:
    """Return the interpreter of the venv at ``venv_dir``, building it first unless it is complete.

    Complete means the marker naming :data:`OFFICIAL_REQUIREMENT` is present; anything else at ``venv_dir`` is
    removed and rebuilt. Callers in several processes may race: the build runs under an exclusive lock on
    ``<venv_dir>.lock`` and whoever gets the lock second finds the venv complete.
    """
    python = _venv_python(venv_dir)
    if _is_complete(venv_dir):
        return python

    venv_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = venv_dir.parent / f"{venv_dir.name}.lock"
    with open(lock_path, "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            # Another process may have finished the venv while this one waited for the lock.
            if not _is_complete(venv_dir):
                _build(venv_dir)
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    return python


def _venv_python(venv_dir: Path) -> Path:
    return venv_dir / "bin" / "python"


def _is_complete(venv_dir: Path) -> bool:
    marker = venv_dir / _MARKER_NAME
    try:
        recorded = marker.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return False
    return recorded == OFFICIAL_REQUIREMENT and _venv_python(venv_dir).exists()


def _build(venv_dir: Path) -> None:
    if venv_dir.exists():
        _log.info("interop.official_venv.rebuilding", path=str(venv_dir))
        shutil.rmtree(venv_dir)
    _log.info("interop.official_venv.creating", path=str(venv_dir), requirement=OFFICIAL_REQUIREMENT)
    try:
        _run([sys.executable, "-m", "venv", str(venv_dir)])
        python = _venv_python(venv_dir)
        _run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-input",
                OFFICIAL_REQUIREMENT,
            ]
        )
        installed = _run([str(python), "-c", "import hazelcast; print(hazelcast.__version__)"]).strip()
        if installed != OFFICIAL_CLIENT_VERSION:
            raise RuntimeError(f"official venv reports hazelcast {installed!r}, expected {OFFICIAL_CLIENT_VERSION}")
    except BaseException:
        # Leave nothing half-made behind: without the marker the next call would rebuild anyway, but a stale
        # directory could confuse someone inspecting it by hand.
        shutil.rmtree(venv_dir, ignore_errors=True)
        raise
    # Write-then-rename so a reader never sees a partial marker.
    marker = venv_dir / _MARKER_NAME
    partial = marker.with_suffix(".partial")
    partial.write_text(OFFICIAL_REQUIREMENT + "\n", encoding="utf-8")
    os.replace(partial, marker)
    _log.info("interop.official_venv.ready", path=str(venv_dir))


def _run(command: list[str]) -> str:
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=_INSTALL_TIMEOUT_S,
        check=False,
        # The parent's venv variables must not leak into the child venv's pip.
        env={key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")},
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"command {command!r} failed with exit code {completed.returncode}:\n{completed.stdout}\n{completed.stderr}"
        )
    return completed.stdout
