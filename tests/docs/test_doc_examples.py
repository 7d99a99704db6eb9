"""Every Python example of the documentation runs, against an embedded cluster, as a reader would paste it.

A block may use ``client`` (a started client) and ``cluster`` (its 3-member embedded cluster) without defining them,
as the structure pages say; top-level ``await`` is allowed. A page's blocks run in order in one namespace, so a later
block may use what an earlier one defined.
"""

from __future__ import annotations

import ast
import re
import sys
import types
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from hazelcast.asyncio import HazelcastClient
from hazelcast.embedded import EmbeddedCluster

DOCS = Path(__file__).resolve().parents[2] / "docs"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
PAGES = sorted(path for path in DOCS.rglob("*.md"))


def _blocks(page: Path) -> list[str]:
    return [match.group(1) for match in _BLOCK.finditer(page.read_text(encoding="utf-8"))]


def test_the_documentation_has_examples() -> None:
    assert sum(len(_blocks(page)) for page in PAGES) >= 10


@pytest.fixture
async def connected() -> AsyncIterator[dict[str, Any]]:
    async with EmbeddedCluster(member_count=3) as cluster:
        client = await HazelcastClient.create_and_start(cluster_members=cluster.addresses)
        try:
            yield {"client": client, "cluster": cluster}
        finally:
            await client.shutdown()


@pytest.mark.parametrize("page", [p for p in PAGES if _blocks(p)], ids=lambda p: str(p.relative_to(DOCS)))
async def test_page_examples_run(
    page: Path, connected: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A module of its own, as a pasted script would have (dataclasses look their module up in sys.modules).
    module = types.ModuleType(f"docs_example_{page.stem}")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    namespace = module.__dict__
    namespace.update(connected)
    for index, source in enumerate(_blocks(page)):
        code = compile(source, f"{page.name}[{index}]", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, namespace)  # noqa: S307 - our own documentation's examples
        if result is not None:
            await result
