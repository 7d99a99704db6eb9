"""Run the embedded member as a separate process (``python -m hazelcast.embedded``) for interoperability tests.

The member process prints one JSON ready line on stdout once every member listens; :func:`member_process` waits for
it (bounded), hands back the addresses, and on exit stops the process with SIGTERM, escalating to SIGKILL if it
does not stop in time. The member's stderr goes to a file so an unread pipe can never block it; its text is part of
every error raised here, and :attr:`MemberProcess.stderr_text` gives it to tests for their own failure messages.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = ["MemberProcess", "MemberProcessError", "member_process"]

_REPO_ROOT = Path(__file__).resolve().parents[2]
_READY_TIMEOUT_S = 20.0
_STOP_TIMEOUT_S = 10.0


class MemberProcessError(RuntimeError):
    """The member process did not start, or did not stop cleanly; the message includes its stderr."""


@dataclass
class MemberProcess:
    """A running ``python -m hazelcast.embedded`` process and what its ready line announced."""

    process: subprocess.Popen[str]
    members: list[str]
    control: str
    cluster_name: str
    partition_count: int
    _stderr_file: IO[str] = field(repr=False)

    def stderr_text(self) -> str:
        """Everything the member wrote to stderr so far."""
        self._stderr_file.flush()
        return Path(self._stderr_file.name).read_text(encoding="utf-8", errors="replace")


def _read_ready_line(process: subprocess.Popen[str], timeout: float) -> str:
    stdout = process.stdout
    assert stdout is not None
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no ready line within {timeout} s")
        readable, _, _ = select.select([stdout], [], [], remaining)
        if readable:
            # The member writes the whole line with one flush, so once anything is readable the line is complete.
            line = stdout.readline()
            if not line:
                status = process.wait(timeout=_STOP_TIMEOUT_S)
                raise EOFError(f"the member exited with status {status} before it was ready")
            return line


def _stop(process: subprocess.Popen[str]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=_STOP_TIMEOUT_S)
            raise
    return process.returncode


@contextmanager
def member_process(member_count: int, *, extra_args: tuple[str, ...] = ()) -> Iterator[MemberProcess]:
    """Start ``member_count`` embedded members in one child process on free loopback ports.

    Raises :class:`MemberProcessError` when the process is not ready within 20 s, and on exit when it does not stop
    with status 0 after SIGTERM (a member that crashed or hung during the test is a finding, not noise).
    """
    command = [sys.executable, "-m", "hazelcast.embedded", "--port", "0", "--members", str(member_count), *extra_args]
    with tempfile.NamedTemporaryFile("w+", encoding="utf-8", prefix="embedded-member-", suffix=".err") as stderr_file:
        process = subprocess.Popen(
            command,
            cwd=_REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            try:
                ready: dict[str, Any] = json.loads(_read_ready_line(process, _READY_TIMEOUT_S))
            except (TimeoutError, EOFError, ValueError) as error:
                raise MemberProcessError(
                    f"{' '.join(command)} did not start: {error}\nmember stderr:\n{Path(stderr_file.name).read_text()}"
                ) from error
            running = MemberProcess(
                process=process,
                members=list(ready["members"]),
                control=ready["control"],
                cluster_name=ready["cluster_name"],
                partition_count=ready["partition_count"],
                _stderr_file=stderr_file,
            )
            yield running
        finally:
            try:
                status = _stop(process)
            except subprocess.TimeoutExpired as error:
                raise MemberProcessError(
                    f"the member did not stop within {_STOP_TIMEOUT_S} s of SIGTERM and was killed\n"
                    f"member stderr:\n{Path(stderr_file.name).read_text()}"
                ) from error
            finally:
                if process.stdout is not None:
                    process.stdout.close()
        if status != 0:
            member_stderr = Path(stderr_file.name).read_text(encoding="utf-8", errors="replace")
            raise MemberProcessError(
                f"the member exited with status {status} after SIGTERM\nmember stderr:\n{member_stderr}"
            )
