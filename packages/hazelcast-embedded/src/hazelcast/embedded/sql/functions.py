"""Runtime helpers of SQL operators and functions: integer division and modulo as on a member, LIKE patterns, and
the JSONPath subset of JSON_VALUE/JSON_QUERY (``$``, ``.name``, ``['name']``, ``[index]``)."""

from __future__ import annotations

import decimal
import json
import re
from typing import Any

from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded.sql.types import data_error

__all__ = ["divide", "json_find", "json_path", "like_pattern", "modulo"]


def divide(left: Any, right: Any) -> Any:
    if right == 0:
        raise data_error("Division by zero")
    if isinstance(left, int) and isinstance(right, int):
        quotient = abs(left) // abs(right)
        return quotient if (left >= 0) == (right >= 0) else -quotient
    if isinstance(left, decimal.Decimal) or isinstance(right, decimal.Decimal):
        return decimal.Decimal(left) / decimal.Decimal(right)
    return left / right


def modulo(left: Any, right: Any) -> Any:
    if right == 0:
        raise data_error("Division by zero")
    if isinstance(left, int) and isinstance(right, int):
        remainder = abs(left) % abs(right)
        return remainder if left >= 0 else -remainder
    return type(left)(left - right * int(left / right)) if not isinstance(left, decimal.Decimal) else left % right


def like_pattern(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if escape is not None and char == escape:
            index += 1
            if index >= len(pattern):
                raise data_error("Escape character at the end of the LIKE pattern")
            parts.append(re.escape(pattern[index]))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
        index += 1
    return re.compile("".join(parts), re.DOTALL)


def json_path(path: str) -> list[str | int]:
    text = path.strip()
    if not text.startswith("$"):
        raise data_error(f"Invalid JSONPath expression: {path}")
    steps: list[str | int] = []
    for match in re.finditer(r"\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^']*)'\]|\[\"([^\"]*)\"\]|(.)", text[1:]):
        name, index, quoted, double_quoted, other = match.groups()
        if other is not None:
            raise data_error(f"Invalid JSONPath expression: {path}")
        steps.append(int(index) if index is not None else (name or quoted or double_quoted or ""))
    return steps


def json_find(document: Any, steps: list[str | int]) -> tuple[bool, Any]:
    if isinstance(document, HazelcastJsonValue):
        document = document.to_string()
    if isinstance(document, str):
        try:
            node = json.loads(document)
        except ValueError as error:
            raise data_error(f"JSON_VALUE/JSON_QUERY: malformed JSON: {error}") from error
    else:
        node = document
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return False, None
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return False, None
            node = node[step]
    return True, node
