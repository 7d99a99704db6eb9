"""MkDocs hook: the configuration reference is generated from the Config classes, so it cannot drift from them.

A page line ``<!-- options: hazelcast.config.Config -->`` becomes a table of that class's options: name, default and
the option's own documentation.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_PLACEHOLDER = re.compile(r"^<!-- options: ([\w.]+) -->$", re.MULTILINE)


def _default(option: Any) -> str:
    value = option.new_default()
    if option.secret and value is not None:
        return "***"
    text = repr(value)
    return f"`{text}`" if len(text) < 60 else f"`{text[:57]}...`"


def _table(path: str) -> str:
    module_name, _, class_name = path.rpartition(".")
    holder = getattr(importlib.import_module(module_name), class_name)
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for option in holder._OPTIONS:
        meaning = " ".join((option.__doc__ or "").split()).replace("|", "\\|")
        rows.append(f"| `{option.name}` | {_default(option)} | {meaning} |")
    return "\n".join(rows)


def on_page_markdown(markdown: str, **_: Any) -> str:
    return _PLACEHOLDER.sub(lambda match: _table(match.group(1)), markdown)
