"""The SQL-like predicate (``hazelcast.predicate.sql``): its grammar, parsed into the engine's predicates.

Grammar (keywords case-insensitive, attribute names case-sensitive)::

    condition  := disjunct (OR disjunct)*
    disjunct   := negation (AND negation)*
    negation   := NOT negation | '(' condition ')' | attribute [test]
    test       := ('=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>=') literal
                | [NOT] BETWEEN literal AND literal | [NOT] IN '(' literal (',' literal)* ')'
                | [NOT] LIKE literal | [NOT] ILIKE literal | REGEX literal
    literal    := 'text' ('' for a quote) | number | word (true, false...) | NULL

As on a Java member, literals stay text and are converted to the attribute's type when compared (``age > 30``
compares numbers for a numeric ``age``); ``NULL`` is null (``a = NULL``, ``a <> NULL``); an attribute alone means
``attribute = true``. A malformed expression raises :class:`~hazelcast.errors.QueryError` naming where it failed.
"""

from __future__ import annotations

import re
from typing import Any

from hazelcast.embedded.query.extraction import QueryableEntry
from hazelcast.embedded.query.predicates import (
    AndPredicate,
    BetweenPredicate,
    EqualPredicate,
    GreaterLessPredicate,
    ILikePredicate,
    InPredicate,
    LikePredicate,
    NotEqualPredicate,
    NotPredicate,
    OrPredicate,
    Predicate,
    RegexPredicate,
)
from hazelcast.errors import QueryError
from hazelcast.serialization.api import ObjectDataInput

__all__ = ["SqlPredicate", "parse_sql"]

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>>=|<=|<>|!=|==|=|<|>)|(?P<punct>[(),])"
    r"|(?P<word>[^\s'(),=<>!]+))"
)
_KEYWORDS = frozenset({"and", "or", "not", "between", "in", "like", "ilike", "regex"})


class _Token:
    __slots__ = ("kind", "text", "position")

    def __init__(self, kind: str, text: str, position: int) -> None:
        self.kind = kind
        self.text = text
        self.position = position

    def keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words


def _tokenize(sql: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    length = len(sql)
    while position < length:
        if sql[position:].strip() == "":
            break
        match = _TOKEN.match(sql, position)
        if match is None or match.end() == position:
            raise QueryError(f"Invalid SQL: [{sql}]: unexpected character at position {position}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.tokens = _tokenize(sql)
        self.at = 0

    def fail(self, message: str) -> QueryError:
        token = self.peek()
        where = f"at position {token.position} ({token.text!r})" if token else "at the end"
        return QueryError(f"Invalid SQL: [{self.sql}]: {message} {where}")

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def next(self) -> _Token:
        token = self.peek()
        if token is None:
            raise self.fail("unexpected end of expression")
        self.at += 1
        return token

    def accept_keyword(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token.keyword(*words):
            self.at += 1
            return True
        return False

    def expect_punct(self, text: str) -> None:
        token = self.peek()
        if token is None or token.kind != "punct" or token.text != text:
            raise self.fail(f"expected {text!r}")
        self.at += 1

    def parse(self) -> Predicate:
        if not self.tokens:
            raise QueryError(f"Invalid SQL: [{self.sql}]: the expression is empty")
        predicate = self.condition()
        if self.peek() is not None:
            raise self.fail("unexpected token")
        return predicate

    def condition(self) -> Predicate:
        parts = [self.disjunct()]
        while self.accept_keyword("or"):
            parts.append(self.disjunct())
        return parts[0] if len(parts) == 1 else OrPredicate(parts)

    def disjunct(self) -> Predicate:
        parts = [self.negation()]
        while self.accept_keyword("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else AndPredicate(parts)

    def negation(self) -> Predicate:
        if self.accept_keyword("not"):
            return NotPredicate(self.negation())
        token = self.next()
        if token.kind == "punct" and token.text == "(":
            predicate = self.condition()
            self.expect_punct(")")
            return predicate
        if token.kind != "word" or token.text.lower() in _KEYWORDS:
            self.at -= 1
            raise self.fail("expected an attribute")
        return self.test(token.text)

    def literal(self) -> Any:
        token = self.next()
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "word" and token.text.lower() not in _KEYWORDS:
            return None if token.text.lower() == "null" else token.text
        self.at -= 1
        raise self.fail("expected a value")

    def test(self, attribute: str) -> Predicate:
        token = self.peek()
        if token is None or token.keyword("and", "or") or (token.kind == "punct" and token.text == ")"):
            return EqualPredicate(attribute, "true")
        if token.kind == "op":
            self.at += 1
            return self.comparison(attribute, token.text, self.literal())
        negated = self.accept_keyword("not")
        predicate: Predicate
        if self.accept_keyword("between"):
            low = self.literal()
            if not self.accept_keyword("and"):
                raise self.fail("expected AND in BETWEEN")
            predicate = BetweenPredicate(attribute, low, self.literal())
        elif self.accept_keyword("in"):
            self.expect_punct("(")
            values = [self.literal()]
            while self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
                self.at += 1
                values.append(self.literal())
            self.expect_punct(")")
            predicate = InPredicate(attribute, values)
        elif self.accept_keyword("like"):
            predicate = LikePredicate(attribute, self.literal())
        elif self.accept_keyword("ilike"):
            predicate = ILikePredicate(attribute, self.literal())
        elif not negated and self.accept_keyword("regex"):
            predicate = RegexPredicate(attribute, self.literal())
        else:
            raise self.fail("expected an operator")
        return NotPredicate(predicate) if negated else predicate

    def comparison(self, attribute: str, operator: str, value: Any) -> Predicate:
        if operator in ("=", "=="):
            return EqualPredicate(attribute, value)
        if operator in ("!=", "<>"):
            return NotEqualPredicate(attribute, value)
        if value is None:
            raise self.fail(f"NULL cannot be compared with {operator}")
        return GreaterLessPredicate(attribute, value, operator.endswith("="), operator.startswith("<"))


def parse_sql(sql: str) -> Predicate:
    """The predicate an SQL-like expression stands for (see the module documentation)."""
    return _Parser(sql).parse()


class SqlPredicate(Predicate):
    """``hazelcast.predicate.sql``: reads the expression and evaluates what it parses into."""

    CLASS_ID = 0

    def __init__(self, sql: str = "") -> None:
        self.sql = sql
        self.predicate: Predicate | None = parse_sql(sql) if sql else None

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.sql = object_data_input.read_string() or ""
        self.predicate = parse_sql(self.sql)

    def matches(self, entry: QueryableEntry) -> bool:
        assert self.predicate is not None
        return self.predicate.matches(entry)

    def index_candidates(self, indexes: Any) -> set[bytes] | None:
        assert self.predicate is not None
        return self.predicate.index_candidates(indexes)

    def index_lookup(self, indexes: Any) -> tuple[set[bytes], set[bytes]] | None:
        assert self.predicate is not None
        return self.predicate.index_lookup(indexes)
