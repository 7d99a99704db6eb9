"""Predicates: conditions on map entries that the cluster evaluates (``Map.key_set(predicate)``, ``values``...).

A predicate names an *attribute* of an entry: ``__key`` (the key), ``this`` (the value), a field path such as
``address.city`` (also ``__key.id`` for a field of the key), an array item ``tags[0]`` or every item ``tags[any]``
(the condition holds when it holds for any item). Values are compared as a member compares them: numbers by value
whatever their width (an int attribute equals a long or float with the same value), and a predicate value of another
type is converted to the attribute's type first (``greater("age", "30")`` compares with the number 30); a value that
cannot be converted makes the query fail with an error. ``None`` stands for null: ``equal("a", None)`` selects entries
whose ``a`` is null or missing, while ``greater``/``less``/``between`` never select such entries.

Every predicate is an ``IdentifiedDataSerializable`` object written with the factory id (-20), class ids and field
order a Java member reads, so the objects here work against any Hazelcast 5.x cluster.

:func:`paging` wraps a predicate to read results one page at a time, in natural order (keys, values or entries as
the member compares them) or in the order of a comparator the member knows.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = [
    "PagingPredicate",
    "Predicate",
    "and_",
    "between",
    "equal",
    "false",
    "greater",
    "greater_or_equal",
    "ilike",
    "in_",
    "instance_of",
    "less",
    "less_or_equal",
    "like",
    "not_",
    "not_equal",
    "or_",
    "paging",
    "regex",
    "sql",
    "true",
]

PREDICATE_FACTORY_ID = -20


class IterationType(enum.IntEnum):
    """What a paged query returns: keys, values or entries (the member sorts and pages by it)."""

    KEY = 0
    VALUE = 1
    ENTRY = 2


def _check_attribute(attribute: Any) -> str:
    if attribute is None:
        raise ValueError("attribute must not be None")
    if not isinstance(attribute, str):
        raise TypeError(f"attribute must be a str, not {type(attribute).__name__}")
    if not attribute.strip():
        raise ValueError("attribute must not be empty")
    return attribute


def _check_pattern(pattern: Any, name: str) -> str | None:
    if pattern is not None and not isinstance(pattern, str):
        raise TypeError(f"{name} must be a str or None, not {type(pattern).__name__}")
    return pattern


def _check_predicate(predicate: Any) -> Predicate:
    if predicate is None:
        raise ValueError("predicate must not be None")
    if not isinstance(predicate, Predicate):
        raise TypeError(f"expected a Predicate (see hazelcast.predicate), not {type(predicate).__name__}")
    return predicate


class Predicate(IdentifiedDataSerializable):
    """A condition on map entries; build one with the functions of :mod:`hazelcast.predicate`.

    Your own predicate classes (run by the member, which must know their factory and class ids) subclass this too,
    implementing the ``IdentifiedDataSerializable`` methods.
    """

    __slots__ = ()
    _CLASS_ID = -1

    def get_factory_id(self) -> int:
        return PREDICATE_FACTORY_ID

    def get_class_id(self) -> int:
        return self._CLASS_ID

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        raise NotImplementedError("predicates are written by clients and read by members")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._state() == other._state()

    def __hash__(self) -> int:
        return hash((type(self), repr(self._state())))

    def _state(self) -> tuple[Any, ...]:
        # Slots of the built-in predicates, plus the attributes of a user's subclass that has a __dict__.
        own = tuple(getattr(self, slot) for slot in self._fields())
        extra = getattr(self, "__dict__", None)
        return own + (tuple(sorted(extra.items(), key=lambda item: item[0])),) if extra else own

    def __repr__(self) -> str:
        fields = ", ".join(f"{slot}={getattr(self, slot)!r}" for slot in self._fields())
        return f"{type(self).__name__}({fields})"

    def _fields(self) -> tuple[str, ...]:
        return tuple(slot for cls in type(self).__mro__ for slot in getattr(cls, "__slots__", ()))


class _SqlPredicate(Predicate):
    __slots__ = ("sql",)
    _CLASS_ID = 0

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.sql)


class _AndPredicate(Predicate):
    __slots__ = ("predicates",)
    _CLASS_ID = 1

    def __init__(self, predicates: Sequence[Predicate]) -> None:
        self.predicates = [_check_predicate(predicate) for predicate in predicates]

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_int(len(self.predicates))
        for predicate in self.predicates:
            object_data_output.write_object(predicate)


class _BetweenPredicate(Predicate):
    __slots__ = ("attribute", "from_", "to")
    _CLASS_ID = 2

    def __init__(self, attribute: str, from_: Any, to: Any) -> None:
        self.attribute = attribute
        self.from_ = from_
        self.to = to

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        # Java's field order: the upper bound first.
        object_data_output.write_string(self.attribute)
        object_data_output.write_object(self.to)
        object_data_output.write_object(self.from_)


class _EqualPredicate(Predicate):
    __slots__ = ("attribute", "value")
    _CLASS_ID = 3

    def __init__(self, attribute: str, value: Any) -> None:
        self.attribute = attribute
        self.value = value

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.attribute)
        object_data_output.write_object(self.value)


class _GreaterLessPredicate(Predicate):
    __slots__ = ("attribute", "value", "is_equal", "is_less")
    _CLASS_ID = 4

    def __init__(self, attribute: str, value: Any, is_equal: bool, is_less: bool) -> None:
        self.attribute = attribute
        self.value = value
        self.is_equal = is_equal
        self.is_less = is_less

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.attribute)
        object_data_output.write_object(self.value)
        object_data_output.write_boolean(self.is_equal)
        object_data_output.write_boolean(self.is_less)


class _LikePredicate(Predicate):
    __slots__ = ("attribute", "expression")
    _CLASS_ID = 5

    def __init__(self, attribute: str, expression: str | None) -> None:
        self.attribute = attribute
        self.expression = expression

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.attribute)
        object_data_output.write_string(self.expression)


class _ILikePredicate(_LikePredicate):
    __slots__ = ()
    _CLASS_ID = 6


class _InPredicate(Predicate):
    __slots__ = ("attribute", "values")
    _CLASS_ID = 7

    def __init__(self, attribute: str, values: Sequence[Any]) -> None:
        self.attribute = attribute
        self.values = list(values)

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.attribute)
        object_data_output.write_int(len(self.values))
        for value in self.values:
            object_data_output.write_object(value)


class _InstanceOfPredicate(Predicate):
    __slots__ = ("class_name",)
    _CLASS_ID = 8

    def __init__(self, class_name: str) -> None:
        self.class_name = class_name

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.class_name)


class _NotEqualPredicate(_EqualPredicate):
    __slots__ = ()
    _CLASS_ID = 9


class _NotPredicate(Predicate):
    __slots__ = ("predicate",)
    _CLASS_ID = 10

    def __init__(self, predicate: Predicate) -> None:
        self.predicate = _check_predicate(predicate)

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_object(self.predicate)


class _OrPredicate(_AndPredicate):
    __slots__ = ()
    _CLASS_ID = 11


class _RegexPredicate(Predicate):
    __slots__ = ("attribute", "pattern")
    _CLASS_ID = 12

    def __init__(self, attribute: str, pattern: str | None) -> None:
        self.attribute = attribute
        self.pattern = pattern

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.attribute)
        object_data_output.write_string(self.pattern)


class _FalsePredicate(Predicate):
    __slots__ = ()
    _CLASS_ID = 13

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        """Nothing to write."""


class _TruePredicate(Predicate):
    __slots__ = ()
    _CLASS_ID = 14

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        """Nothing to write."""


class PagingPredicate(Predicate):
    """Reads the results of a query one page at a time; make one with :func:`paging`.

    The predicate keeps the position: :meth:`next_page`, :meth:`previous_page` or :attr:`page` choose the page the
    next query returns. Each query also brings back *anchors* (the last entry of each page read so far) that the next
    query sends, so the member finds the following page without sorting from the start. Use one paging predicate for
    one kind of result (keys, values or entries) of one map, and :meth:`reset` it to start over. Not for
    ``aggregate``, ``project`` or ``remove_all``.
    """

    __slots__ = ("predicate", "comparator", "_page", "_page_size", "iteration_type", "anchor_list")
    _CLASS_ID = 15

    def __init__(self, predicate: Predicate | None, page_size: int, comparator: Any = None) -> None:
        if isinstance(predicate, PagingPredicate):
            raise TypeError("a paging predicate cannot wrap another paging predicate")
        if predicate is not None:
            _check_predicate(predicate)
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise TypeError(f"page_size must be an int, not {type(page_size).__name__}")
        if page_size <= 0:
            raise ValueError(f"page_size must be positive, got {page_size}")
        self.predicate = predicate
        self.comparator = comparator
        self._page = 0
        self._page_size = page_size
        self.iteration_type = IterationType.ENTRY
        #: (page, (anchor key, anchor value)) for pages read so far: the last entry of each page.
        self.anchor_list: list[tuple[int, tuple[Any, Any]]] = []

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_object(self.predicate)
        object_data_output.write_object(self.comparator)
        object_data_output.write_int(self._page)
        object_data_output.write_int(self._page_size)
        object_data_output.write_string(self.iteration_type.name)
        object_data_output.write_int(len(self.anchor_list))
        for page, (key, value) in self.anchor_list:
            object_data_output.write_int(page)
            object_data_output.write_object(key)
            object_data_output.write_object(value)

    def reset(self) -> None:
        """Back to the first page, forgetting the anchors."""
        self.iteration_type = IterationType.ENTRY
        self.anchor_list.clear()
        self._page = 0

    def next_page(self) -> int:
        """Move to the next page (past the last one, queries return nothing); returns the new page index."""
        self._page += 1
        return self._page

    def previous_page(self) -> int:
        """Move to the previous page (stays on page 0); returns the new page index."""
        if self._page > 0:
            self._page -= 1
        return self._page

    @property
    def page(self) -> int:
        """Index of the page the next query returns, from 0."""
        return self._page

    @page.setter
    def page(self, new_page: int) -> None:
        if isinstance(new_page, bool) or not isinstance(new_page, int):
            raise TypeError(f"page must be an int, not {type(new_page).__name__}")
        if new_page < 0:
            raise ValueError(f"page must be >= 0, got {new_page}")
        self._page = new_page

    @property
    def page_size(self) -> int:
        """Most results of one page."""
        return self._page_size

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return (
            f"PagingPredicate(predicate={self.predicate!r}, page_size={self._page_size}, "
            f"comparator={self.comparator!r}, page={self._page})"
        )


def sql(expression: str) -> Predicate:
    """Entries matching an SQL-like condition, parsed by the member, e.g. ``"active AND (age > 20 OR name LIKE 'J%')"``.

    Operators (case-insensitive): ``=``/``==``, ``!=``/``<>``, ``<``, ``<=``, ``>``, ``>=``, ``BETWEEN .. AND ..``,
    ``[NOT] IN (..)``, ``[NOT] LIKE``, ``[NOT] ILIKE``, ``REGEX``, ``AND``, ``OR``, ``NOT``, parentheses; strings in
    single quotes (``''`` for a quote), ``=NULL``/``<>NULL`` for null checks. Attribute names are case-sensitive.
    A malformed expression fails the query with an error from the member.
    """
    if expression is None:
        raise ValueError("expression must not be None")
    if not isinstance(expression, str):
        raise TypeError(f"expression must be a str, not {type(expression).__name__}")
    return _SqlPredicate(expression)


def equal(attribute: str, value: Any) -> Predicate:
    """Entries whose ``attribute`` equals ``value`` (``None``: whose attribute is null or missing)."""
    return _EqualPredicate(_check_attribute(attribute), value)


def not_equal(attribute: str, value: Any) -> Predicate:
    """Entries whose ``attribute`` does not equal ``value``."""
    return _NotEqualPredicate(_check_attribute(attribute), value)


def like(attribute: str, pattern: str | None) -> Predicate:
    """Entries whose string ``attribute`` matches ``pattern``: ``%`` any characters, ``_`` one character, a backslash
    escapes them. ``None`` selects entries whose attribute is null."""
    return _LikePredicate(_check_attribute(attribute), _check_pattern(pattern, "pattern"))


def ilike(attribute: str, pattern: str | None) -> Predicate:
    """As :func:`like`, ignoring case."""
    return _ILikePredicate(_check_attribute(attribute), _check_pattern(pattern, "pattern"))


def regex(attribute: str, pattern: str | None) -> Predicate:
    """Entries whose string ``attribute`` matches the regular expression ``pattern`` as a whole."""
    return _RegexPredicate(_check_attribute(attribute), _check_pattern(pattern, "pattern"))


def and_(*predicates: Predicate) -> Predicate:
    """Entries every one of ``predicates`` selects (all entries when there is none)."""
    return _AndPredicate(predicates)


def or_(*predicates: Predicate) -> Predicate:
    """Entries any of ``predicates`` selects (none when there is none)."""
    return _OrPredicate(predicates)


def not_(predicate: Predicate) -> Predicate:
    """Entries ``predicate`` does not select."""
    return _NotPredicate(predicate)


def between(attribute: str, from_: Any, to: Any) -> Predicate:
    """Entries whose ``attribute`` is between ``from_`` and ``to``, both included."""
    _check_attribute(attribute)
    if from_ is None or to is None:
        raise ValueError("between bounds must not be None")
    return _BetweenPredicate(attribute, from_, to)


def in_(attribute: str, *values: Any) -> Predicate:
    """Entries whose ``attribute`` equals one of ``values``."""
    return _InPredicate(_check_attribute(attribute), values)


def instance_of(class_name: str) -> Predicate:
    """Entries whose value is an instance of the Java class ``class_name`` (``"java.lang.String"``...)."""
    if class_name is None:
        raise ValueError("class_name must not be None")
    if not isinstance(class_name, str):
        raise TypeError(f"class_name must be a str, not {type(class_name).__name__}")
    return _InstanceOfPredicate(class_name)


def false() -> Predicate:
    """Selects no entry."""
    return _FalsePredicate()


def true() -> Predicate:
    """Selects every entry."""
    return _TruePredicate()


def paging(predicate: Predicate | None, page_size: int, comparator: Any = None) -> PagingPredicate:
    """Pages of ``page_size`` results of ``predicate`` (``None``: every entry), sorted by ``comparator``.

    ``comparator`` is an ``IdentifiedDataSerializable`` object whose class the member knows (on the embedded member a
    server class with a ``compare(entry1, entry2)`` method); ``None`` sorts in natural order.
    """
    return PagingPredicate(predicate, page_size, comparator)


def _comparison(attribute: str, value: Any, is_equal: bool, is_less: bool) -> Predicate:
    _check_attribute(attribute)
    if value is None:
        raise ValueError("the value compared with must not be None")
    return _GreaterLessPredicate(attribute, value, is_equal, is_less)


def greater(attribute: str, value: Any) -> Predicate:
    """Entries whose ``attribute`` is greater than ``value``."""
    return _comparison(attribute, value, False, False)


def greater_or_equal(attribute: str, value: Any) -> Predicate:
    """Entries whose ``attribute`` is greater than or equal to ``value``."""
    return _comparison(attribute, value, True, False)


def less(attribute: str, value: Any) -> Predicate:
    """Entries whose ``attribute`` is less than ``value``."""
    return _comparison(attribute, value, False, True)


def less_or_equal(attribute: str, value: Any) -> Predicate:
    """Entries whose ``attribute`` is less than or equal to ``value``."""
    return _comparison(attribute, value, True, True)
