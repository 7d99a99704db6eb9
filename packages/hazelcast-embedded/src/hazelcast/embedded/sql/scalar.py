"""Compiling SQL scalar functions: strings (UPPER, LOWER, CHAR_LENGTH, CONCAT, SUBSTRING, TRIM, REPLACE), numbers
(ABS, ROUND, FLOOR, CEIL, SIGN), NULLIF, and JSON_VALUE/JSON_QUERY. Each checks its arguments' types when compiled
and gives null for a null argument."""

from __future__ import annotations

import decimal
import json
import math
from collections.abc import Callable
from typing import Any

from sqlglot import exp

from hazelcast.core import HazelcastJsonValue
from hazelcast.embedded.sql import types as t
from hazelcast.embedded.sql.expressions import Compiler, Expr, common_type, operand_text
from hazelcast.embedded.sql.functions import json_find, json_path
from hazelcast.embedded.sql.types import parsing_error

__all__ = ["compile_function"]

Row = Any


def _require(node: exp.Expression, operand: Expr, *type_ids: int) -> None:
    if operand.type_id != t.NULL and operand.type_id not in type_ids:
        raise parsing_error(
            f"Cannot apply '{node.key.upper()}' function to [{t.type_name(operand.type_id)}] (consider adding an "
            "explicit CAST)"
        )


def _unary(compiler: Compiler, node: exp.Expression, operand_type: int | None, result_type: int | None,
           apply: Callable[[Any], Any]) -> Expr:
    inner = compiler.compile(node.this, operand_type)
    if operand_type is not None:
        _require(node, inner, operand_type)
    elif not t.is_numeric(inner.type_id) and inner.type_id != t.NULL:
        raise parsing_error(
            f"Cannot apply '{node.key.upper()}' to arguments of type "
            f"'{node.key.upper()}({operand_text(inner.type_id)})'"
        )
    fn = inner.fn
    return Expr(lambda row: None if (v := fn(row)) is None else apply(v),
                result_type if result_type is not None else inner.type_id)


def _integral(value: Any, rounding: Callable[[Any], Any]) -> Any:
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal):
        mode = decimal.ROUND_FLOOR if rounding is math.floor else decimal.ROUND_CEILING
        return value.to_integral_value(rounding=mode)
    return float(rounding(value))


def _round(value: Any, digits: int) -> Any:
    if isinstance(value, int) and digits >= 0:
        return value
    quantum = decimal.Decimal(1).scaleb(-digits)
    rounded = decimal.Decimal(value).quantize(quantum, rounding=decimal.ROUND_HALF_UP) if digits >= 0 else (
        (decimal.Decimal(value) / quantum).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP) * quantum)
    if isinstance(value, int):
        return int(rounded)
    if isinstance(value, float):
        return float(rounded)
    return rounded


def compile_function(compiler: Compiler, node: exp.Func) -> Expr:
    if isinstance(node, exp.Upper):
        return _unary(compiler, node, t.VARCHAR, t.VARCHAR, str.upper)
    if isinstance(node, exp.Lower):
        return _unary(compiler, node, t.VARCHAR, t.VARCHAR, str.lower)
    if isinstance(node, exp.Length):
        return _unary(compiler, node, t.VARCHAR, t.INTEGER, len)
    if isinstance(node, exp.Abs):
        return _unary(compiler, node, None, None, abs)
    if isinstance(node, exp.Sign):
        return _unary(compiler, node, None, None, lambda v: type(v)((v > 0) - (v < 0)))
    if isinstance(node, exp.Floor):
        return _unary(compiler, node, None, None, lambda v: _integral(v, math.floor))
    if isinstance(node, exp.Ceil):
        return _unary(compiler, node, None, None, lambda v: _integral(v, math.ceil))
    if isinstance(node, exp.Round):
        digits_node = node.args.get("decimals")
        digits = compiler.compile(digits_node, t.INTEGER).fn(None) if digits_node is not None else 0
        if not isinstance(digits, int):
            raise parsing_error("The second argument of ROUND must be an integer constant")
        return _unary(compiler, node, None, None, lambda v: _round(v, digits))
    if isinstance(node, exp.Concat):
        parts = [compiler.compile(part, t.VARCHAR) for part in node.expressions]
        fns = [part.fn for part in parts]

        def concat(row: Row) -> Any:
            return "".join(t.convert(value, t.VARCHAR, explicit=True) for fn in fns if (value := fn(row)) is not None)

        return Expr(concat, t.VARCHAR)
    if isinstance(node, exp.Substring):
        return _substring(compiler, node)
    if isinstance(node, exp.Trim):
        return _trim(compiler, node)
    if isinstance(node, exp.Replace):
        operands = [compiler.compile(node.args[name], t.VARCHAR) for name in ("this", "expression", "replacement")]
        for operand in operands:
            _require(node, operand, t.VARCHAR)
        source, old, new = (operand.fn for operand in operands)

        def replace(row: Row) -> Any:
            values = (source(row), old(row), new(row))
            return None if None in values else values[0].replace(values[1], values[2])

        return Expr(replace, t.VARCHAR)
    if isinstance(node, exp.Nullif):
        left, right = compiler.pair(node.this, node.expression)
        lf, rf = left.fn, right.fn
        return Expr(lambda row: None if (v := lf(row)) == rf(row) else v, common_type([left, right]))
    if isinstance(node, exp.Anonymous):
        name = node.name.upper()
        if name in ("JSON_VALUE", "JSON_QUERY"):
            return _json_function(compiler, name, node.expressions)
        raise parsing_error(f"No function matches the name and argument types: {node.sql()}")
    raise parsing_error(f"Unsupported function: {node.sql()}")


def _substring(compiler: Compiler, node: exp.Substring) -> Expr:
    source = compiler.compile(node.this, t.VARCHAR)
    _require(node, source, t.VARCHAR)
    start = compiler.compile(node.args["start"], t.INTEGER)
    length_node = node.args.get("length")
    length = compiler.compile(length_node, t.INTEGER) if length_node is not None else None
    sf, startf = source.fn, start.fn
    lengthf = length.fn if length is not None else None

    def substring(row: Row) -> Any:
        text, first = sf(row), startf(row)
        count = lengthf(row) if lengthf is not None else None
        if text is None or first is None or (lengthf is not None and count is None):
            return None
        # SQL positions start at 1; a start before 1 eats into the length.
        begin = first - 1
        end = None if count is None else begin + count
        return text[max(begin, 0):None if end is None else max(end, 0)]

    return Expr(substring, t.VARCHAR)


def _trim(compiler: Compiler, node: exp.Trim) -> Expr:
    source = compiler.compile(node.this, t.VARCHAR)
    _require(node, source, t.VARCHAR)
    characters_node = node.args.get("expression")
    characters = compiler.compile(characters_node, t.VARCHAR).fn(None) if characters_node is not None else " "
    position = (node.args.get("position") or "BOTH").upper()
    strip = {"LEADING": str.lstrip, "TRAILING": str.rstrip}.get(position, str.strip)
    fn = source.fn
    return Expr(lambda row: None if (v := fn(row)) is None else strip(v, characters), t.VARCHAR)


def _json_function(compiler: Compiler, name: str, arguments: list[exp.Expression]) -> Expr:
    if len(arguments) != 2:
        raise parsing_error(f"Invalid number of arguments to function '{name}'. Was expecting 2 arguments")
    document = compiler.compile(arguments[0])
    if document.type_id not in (t.JSON, t.VARCHAR, t.NULL):
        raise parsing_error(f"Cannot apply '{name}' to a {t.type_name(document.type_id)} value")
    path_text = compiler.compile(arguments[1], t.VARCHAR).fn(None)
    if not isinstance(path_text, str):
        raise parsing_error(f"The path of {name} must be a string literal or parameter")
    steps = json_path(path_text)
    fn = document.fn
    if name == "JSON_VALUE":
        def value(row: Row) -> Any:
            found_in = fn(row)
            if found_in is None:
                return None
            found, node = json_find(found_in, steps)
            if not found or isinstance(node, (dict, list)) or node is None:
                return None
            if isinstance(node, bool):
                return "true" if node else "false"
            return node if isinstance(node, str) else json.dumps(node)

        return Expr(value, t.VARCHAR)

    def query(row: Row) -> Any:
        found_in = fn(row)
        if found_in is None:
            return None
        found, node = json_find(found_in, steps)
        return HazelcastJsonValue(json.dumps(node)) if found else None

    return Expr(query, t.JSON)
