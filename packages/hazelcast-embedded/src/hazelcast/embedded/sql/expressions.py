"""Compiling SQL expressions (sqlglot trees) into Python closures over a row, with their SQL types.

A compiled expression is ``Expr(fn, type_id)``: ``fn(row)`` computes the value for one row, where a row is whatever
the scope's column resolver indexes (a list of column values for a scan, a group's keys and aggregates after
GROUP BY). Types are checked while compiling, so a mismatch fails the statement before any entry is read; dynamic
parameters (``?``) take the type their context gives them and are converted once, at compile time.

Nulls follow SQL: an operator with a null operand gives null, AND/OR use three-valued logic, and a WHERE keeps
the rows whose condition is TRUE.
"""

from __future__ import annotations

import decimal
import operator
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlglot import exp

from hazelcast.embedded.sql import types as t
from hazelcast.embedded.sql.functions import divide, like_pattern, modulo
from hazelcast.embedded.sql.types import SqlFailure, data_error, parsing_error

__all__ = ["Compiler", "Expr", "Parameters"]

Row = Any


class Expr(NamedTuple):
    fn: Callable[[Row], Any]
    type_id: int


class Parameters:
    """The statement's parameter values, numbered by their position in the text; records which were used."""

    def __init__(self, values: list[Any], order: dict[int, int]) -> None:
        self.values = values
        self.order = order  # id(placeholder node) -> position

    def position(self, node: exp.Expression) -> int:
        return self.order[id(node)]


_DTYPE_TYPES = {
    "VARCHAR": t.VARCHAR, "CHAR": t.VARCHAR, "TEXT": t.VARCHAR, "NVARCHAR": t.VARCHAR, "BOOLEAN": t.BOOLEAN,
    "TINYINT": t.TINYINT, "SMALLINT": t.SMALLINT, "INT": t.INTEGER, "BIGINT": t.BIGINT, "DECIMAL": t.DECIMAL,
    "FLOAT": t.REAL, "DOUBLE": t.DOUBLE, "DATE": t.DATE, "TIME": t.TIME, "TIMESTAMP": t.TIMESTAMP,
    "DATETIME": t.TIMESTAMP, "TIMESTAMPTZ": t.TIMESTAMP_WITH_TIME_ZONE, "JSON": t.JSON, "NULL": t.NULL,
}

_COMPARISONS: dict[type, tuple[str, Callable[[Any, Any], bool]]] = {
    exp.EQ: ("=", operator.eq), exp.NEQ: ("<>", operator.ne), exp.GT: (">", operator.gt),
    exp.GTE: (">=", operator.ge), exp.LT: ("<", operator.lt), exp.LTE: ("<=", operator.le),
}
_ARITHMETIC: dict[type, str] = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%"}
_AGGREGATES = (exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max)
_TEMPORAL = (t.DATE, t.TIME, t.TIMESTAMP, t.TIMESTAMP_WITH_TIME_ZONE)


def constant(value: Any, type_id: int) -> Expr:
    return Expr(lambda row: value, type_id)


def operand_text(type_id: int) -> str:
    return f"<{t.type_name(type_id)}>"


def _check_comparable(symbol: str, left: int, right: int) -> None:
    if left == t.NULL or right == t.NULL or left == right:
        return
    if t.is_numeric(left) and t.is_numeric(right):
        return
    if left == t.OBJECT or right == t.OBJECT:
        return
    raise parsing_error(
        f"Cannot apply '{symbol}' to arguments of type '{operand_text(left)} {symbol} {operand_text(right)}'. "
        "Supported form(s): '<COMPARABLE_TYPE> " + symbol + " <COMPARABLE_TYPE>'"
    )


def _arithmetic_type(symbol: str, left: int, right: int) -> int:
    if left == t.NULL:
        left = right
    if right == t.NULL:
        right = left
    if left == t.NULL:
        return t.BIGINT
    if not (t.is_numeric(left) and t.is_numeric(right)):
        raise parsing_error(
            f"Cannot apply '{symbol}' to arguments of type '{operand_text(left)} {symbol} {operand_text(right)}'. "
            f"Supported form(s): '<NUMERIC> {symbol} <NUMERIC>'"
        )
    wider = t.wider_numeric(left, right)
    if t.is_integer(wider) and symbol in "+-*":
        # Integer results are one size wider than their operands, as on a member, so sums rarely overflow.
        return (t.SMALLINT, t.INTEGER, t.BIGINT, t.BIGINT)[t.INTEGER_TYPES.index(wider)]
    return wider


class Compiler:
    """Compiles expressions of one statement; ``resolve(node)`` gives the scope's columns (and, after GROUP BY,
    its keys and aggregates), returning None to let the node compile as usual."""

    def __init__(self, resolve: Callable[[exp.Expression], Expr | None], parameters: Parameters) -> None:
        self.resolve = resolve
        self.parameters = parameters

    def compile(self, node: exp.Expression, expected: int | None = None) -> Expr:
        resolved = self.resolve(node)
        if resolved is not None:
            return resolved
        handler = _HANDLERS.get(type(node))
        if handler is not None:
            return handler(self, node, expected)
        if isinstance(node, exp.Func):
            return self._function(node)
        raise parsing_error(f"Unsupported expression: {node.sql()}")

    def predicate(self, node: exp.Expression) -> Callable[[Row], bool]:
        compiled = self.compile(node, t.BOOLEAN)
        if compiled.type_id not in (t.BOOLEAN, t.NULL):
            raise parsing_error(
                f"Expression '{node.sql()}' must be of BOOLEAN type, found {t.type_name(compiled.type_id)}"
            )
        fn = compiled.fn
        return lambda row: fn(row) is True

    # -- operands -------------------------------------------------------------------------------------------------

    def pair(self, left: exp.Expression, right: exp.Expression) -> tuple[Expr, Expr]:
        """Compile two operands; a parameter takes the type of the other side."""
        if isinstance(left, exp.Placeholder) and not isinstance(right, exp.Placeholder):
            compiled_right = self.compile(right)
            return self.compile(left, compiled_right.type_id), compiled_right
        compiled_left = self.compile(left)
        return compiled_left, self.compile(right, compiled_left.type_id)

    def parameter(self, node: exp.Placeholder, expected: int | None) -> Expr:
        position = self.parameters.position(node)
        value = self.parameters.values[position]
        if expected is None or expected in (t.NULL, t.OBJECT):
            return constant(value, t.type_of_value(value) if expected is None else expected)
        try:
            converted = t.convert(value, expected)
        except SqlFailure:
            raise data_error(
                f"Parameter at position {position} must be of {t.type_name(expected)} type, but "
                f"{t.type_name(t.type_of_value(value))} was found (consider adding an explicit CAST)"
            ) from None
        return constant(converted, expected)

    def literal(self, node: exp.Literal, expected: int | None) -> Expr:
        text = node.this
        if node.is_string:
            return constant(text, t.VARCHAR)
        if re.fullmatch(r"[+-]?\d+", text):
            value = int(text)
            type_id = t.integer_literal_type(value)
            return constant(value if type_id != t.DECIMAL else decimal.Decimal(value), type_id)
        if "e" in text.lower():
            return constant(float(text), t.DOUBLE)
        return constant(decimal.Decimal(text), t.DECIMAL)

    # -- operators ------------------------------------------------------------------------------------------------

    def comparison(self, node: exp.Expression, expected: int | None) -> Expr:
        symbol, compare = _COMPARISONS[type(node)]
        left, right = self.pair(node.this, node.expression)
        _check_comparable(symbol, left.type_id, right.type_id)
        lf, rf = left.fn, right.fn

        def evaluate(row: Row) -> Any:
            a = lf(row)
            if a is None:
                return None
            b = rf(row)
            if b is None:
                return None
            return compare(a, b)

        return Expr(evaluate, t.BOOLEAN)

    def arithmetic(self, node: exp.Expression, expected: int | None) -> Expr:
        symbol = _ARITHMETIC[type(node)]
        left, right = self.pair(node.this, node.expression)
        type_id = _arithmetic_type(symbol, left.type_id, right.type_id)
        op: Callable[[Any, Any], Any] = {
            "+": operator.add, "-": operator.sub, "*": operator.mul, "/": divide, "%": modulo
        }[symbol]
        lf, rf = left.fn, right.fn
        if type_id in (t.DOUBLE, t.REAL):
            compute = op

            def op(a: Any, b: Any) -> Any:
                return compute(float(a), float(b))
        elif type_id == t.DECIMAL:
            compute_decimal = op

            def op(a: Any, b: Any) -> Any:
                return compute_decimal(decimal.Decimal(a), decimal.Decimal(b))

        check = t.is_integer(type_id)

        def evaluate(row: Row) -> Any:
            a = lf(row)
            if a is None:
                return None
            b = rf(row)
            if b is None:
                return None
            result = op(a, b)
            return t.convert(result, type_id) if check else result

        return Expr(evaluate, type_id)

    def negate(self, node: exp.Neg, expected: int | None) -> Expr:
        inner = self.compile(node.this, expected)
        if not t.is_numeric(inner.type_id) and inner.type_id != t.NULL:
            raise parsing_error(f"Cannot apply '-' to arguments of type '-{operand_text(inner.type_id)}'")
        fn = inner.fn
        return Expr(lambda row: None if (v := fn(row)) is None else -v, inner.type_id)

    def logical(self, node: exp.Expression, expected: int | None) -> Expr:
        left = self.compile(node.this, t.BOOLEAN)
        right = self.compile(node.expression, t.BOOLEAN)
        for operand, source in ((left, node.this), (right, node.expression)):
            if operand.type_id not in (t.BOOLEAN, t.NULL):
                raise parsing_error(f"Expression '{source.sql()}' must be of BOOLEAN type")
        lf, rf = left.fn, right.fn
        if isinstance(node, exp.And):
            def evaluate(row: Row) -> Any:
                a = lf(row)
                if a is False:
                    return False
                b = rf(row)
                if b is False:
                    return False
                return None if a is None or b is None else True
        else:
            def evaluate(row: Row) -> Any:
                a = lf(row)
                if a is True:
                    return True
                b = rf(row)
                if b is True:
                    return True
                return None if a is None or b is None else False
        return Expr(evaluate, t.BOOLEAN)

    def negation(self, node: exp.Not, expected: int | None) -> Expr:
        inner = self.compile(node.this, t.BOOLEAN)
        if inner.type_id not in (t.BOOLEAN, t.NULL):
            raise parsing_error(f"Expression '{node.this.sql()}' must be of BOOLEAN type")
        fn = inner.fn
        return Expr(lambda row: None if (v := fn(row)) is None else not v, t.BOOLEAN)

    def is_(self, node: exp.Is, expected: int | None) -> Expr:
        inner = self.compile(node.this)
        fn = inner.fn
        target = node.expression
        if isinstance(target, exp.Null):
            return Expr(lambda row: fn(row) is None, t.BOOLEAN)
        if isinstance(target, exp.Boolean):
            wanted = target.this
            return Expr(lambda row: fn(row) is wanted, t.BOOLEAN)
        raise parsing_error(f"Unsupported IS operand: {target.sql()}")

    def between(self, node: exp.Between, expected: int | None) -> Expr:
        value = self.compile(node.this)
        low = self.compile(node.args["low"], value.type_id)
        high = self.compile(node.args["high"], value.type_id)
        _check_comparable("BETWEEN", value.type_id, low.type_id)
        _check_comparable("BETWEEN", value.type_id, high.type_id)
        vf, lf, hf = value.fn, low.fn, high.fn

        def evaluate(row: Row) -> Any:
            v, lo, hi = vf(row), lf(row), hf(row)
            if v is None or lo is None or hi is None:
                return None
            return lo <= v <= hi

        return Expr(evaluate, t.BOOLEAN)

    def in_(self, node: exp.In, expected: int | None) -> Expr:
        if node.args.get("query") is not None:
            raise parsing_error("Sub-queries are not supported")
        value = self.compile(node.this)
        options = [self.compile(option, value.type_id) for option in node.expressions]
        for option in options:
            _check_comparable("IN", value.type_id, option.type_id)
        vf = value.fn
        option_fns = [option.fn for option in options]

        def evaluate(row: Row) -> Any:
            v = vf(row)
            if v is None:
                return None
            saw_null = False
            for option_fn in option_fns:
                candidate = option_fn(row)
                if candidate is None:
                    saw_null = True
                elif candidate == v:
                    return True
            return None if saw_null else False

        return Expr(evaluate, t.BOOLEAN)

    def like(self, node: exp.Expression, expected: int | None, escape: str | None = None) -> Expr:
        value = self.compile(node.this, t.VARCHAR)
        pattern = self.compile(node.expression, t.VARCHAR)
        for operand in (value, pattern):
            if operand.type_id not in (t.VARCHAR, t.NULL):
                raise parsing_error(
                    f"Cannot apply 'LIKE' to arguments of type '{operand_text(value.type_id)} LIKE "
                    f"{operand_text(pattern.type_id)}'. Supported form(s): '<VARCHAR> LIKE <VARCHAR>'"
                )
        vf, pf = value.fn, pattern.fn
        negate = bool(node.args.get("negate"))
        insensitive = isinstance(node, exp.ILike)
        cache: dict[str, re.Pattern[str]] = {}

        def evaluate(row: Row) -> Any:
            v = vf(row)
            p = pf(row)
            if v is None or p is None:
                return None
            compiled = cache.get(p)
            if compiled is None:
                compiled = cache[p] = like_pattern(p.lower() if insensitive else p, escape)
            matched = compiled.fullmatch(v.lower() if insensitive else v) is not None
            return not matched if negate else matched

        return Expr(evaluate, t.BOOLEAN)

    def escape(self, node: exp.Escape, expected: int | None) -> Expr:
        escape = self.compile(node.expression, t.VARCHAR).fn(None)
        if not isinstance(escape, str) or len(escape) != 1:
            raise data_error("ESCAPE parameter must be a single character")
        return self.like(node.this, expected, escape)

    def case(self, node: exp.Case, expected: int | None) -> Expr:
        subject = self.compile(node.this) if node.this is not None else None
        branches = []
        for branch in node.args.get("ifs") or []:
            condition = self.compile(branch.this, subject.type_id if subject else t.BOOLEAN)
            branches.append((condition.fn, self.compile(branch.args["true"], expected)))
        default = node.args.get("default")
        otherwise = self.compile(default, expected) if default is not None else constant(None, t.NULL)
        result_type = common_type([result for _, result in branches] + [otherwise])
        subject_fn = subject.fn if subject is not None else None
        pairs = [(condition, result.fn) for condition, result in branches]
        otherwise_fn = otherwise.fn

        def evaluate(row: Row) -> Any:
            if subject_fn is not None:
                value = subject_fn(row)
                for condition, result in pairs:
                    if value is not None and condition(row) == value:
                        return t.convert(result(row), result_type)
            else:
                for condition, result in pairs:
                    if condition(row) is True:
                        return t.convert(result(row), result_type)
            return t.convert(otherwise_fn(row), result_type)

        return Expr(evaluate, result_type)

    def cast(self, node: exp.Cast, expected: int | None) -> Expr:
        target = node.args["to"]
        dtype = target.this.name if hasattr(target.this, "name") else str(target.this)
        type_id = _DTYPE_TYPES.get(dtype.upper())
        if type_id is None:
            type_id = t.parse_type_name(target.sql())
        inner = self.compile(node.this, None)
        fn = inner.fn
        if type_id == t.OBJECT or inner.type_id == type_id:
            return Expr(fn, type_id)
        return Expr(lambda row: t.convert(fn(row), type_id, explicit=True), type_id)

    def concat(self, node: exp.Expression, expected: int | None) -> Expr:
        parts = [self.compile(part, t.VARCHAR) for part in (node.this, node.expression)]
        fns = [part.fn for part in parts]

        def evaluate(row: Row) -> Any:
            values = [fn(row) for fn in fns]
            if any(value is None for value in values):
                return None
            return "".join(t.convert(value, t.VARCHAR, explicit=True) for value in values)

        return Expr(evaluate, t.VARCHAR)

    def coalesce(self, node: exp.Coalesce, expected: int | None) -> Expr:
        operands = [self.compile(node.this, expected)] + [self.compile(e, expected) for e in node.expressions]
        result_type = common_type(operands)
        fns = [operand.fn for operand in operands]

        def evaluate(row: Row) -> Any:
            for fn in fns:
                value = fn(row)
                if value is not None:
                    return t.convert(value, result_type)
            return None

        return Expr(evaluate, result_type)

    # -- functions ------------------------------------------------------------------------------------------------

    def _function(self, node: exp.Func) -> Expr:
        if isinstance(node, _AGGREGATES):
            raise parsing_error(f"Aggregate function {node.sql()} is not allowed here")
        # Imported here: the function compilers build on this module's Expr and Compiler.
        from hazelcast.embedded.sql.scalar import compile_function

        return compile_function(self, node)


def common_type(operands: list[Expr]) -> int:
    result = t.NULL
    for operand in operands:
        type_id = operand.type_id
        if type_id == t.NULL:
            continue
        if result == t.NULL:
            result = type_id
        elif result != type_id:
            if t.is_numeric(result) and t.is_numeric(type_id):
                result = t.wider_numeric(result, type_id)
            else:
                raise parsing_error(
                    f"Cannot infer return type: {t.type_name(result)} and {t.type_name(type_id)} are not compatible"
                )
    return result


def _boolean(compiler: Compiler, node: exp.Boolean, expected: int | None) -> Expr:
    return constant(bool(node.this), t.BOOLEAN)


def _null(compiler: Compiler, node: exp.Null, expected: int | None) -> Expr:
    return constant(None, expected if expected is not None else t.NULL)


def _paren(compiler: Compiler, node: exp.Paren, expected: int | None) -> Expr:
    return compiler.compile(node.this, expected)


def _column(compiler: Compiler, node: exp.Column, expected: int | None) -> Expr:
    raise parsing_error(f"Column '{node.name}' not found in any table")


_HANDLERS: dict[type, Callable[[Compiler, Any, int | None], Expr]] = {
    exp.Literal: Compiler.literal,
    exp.Boolean: _boolean,
    exp.Null: _null,
    exp.Paren: _paren,
    exp.Placeholder: Compiler.parameter,
    exp.Column: _column,
    exp.Neg: Compiler.negate,
    exp.Not: Compiler.negation,
    exp.And: Compiler.logical,
    exp.Or: Compiler.logical,
    exp.Is: Compiler.is_,
    exp.Between: Compiler.between,
    exp.In: Compiler.in_,
    exp.Like: Compiler.like,
    exp.ILike: Compiler.like,
    exp.Escape: Compiler.escape,
    exp.Case: Compiler.case,
    exp.Cast: Compiler.cast,
    exp.TryCast: Compiler.cast,
    exp.DPipe: Compiler.concat,
    exp.Coalesce: Compiler.coalesce,
    **{kind: Compiler.comparison for kind in _COMPARISONS},
    **{kind: Compiler.arithmetic for kind in _ARITHMETIC},
}
