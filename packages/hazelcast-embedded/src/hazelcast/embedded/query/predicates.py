"""The member's query engine: predicates as clients send them, evaluated against stored entries.

A client sends a predicate as an IdentifiedDataSerializable object (factory id -20, Java's class ids and fields).
The classes here read that form and evaluate it; they are registered as server classes of the embedded member, so
``cluster.to_object(predicate_data)`` gives a ready predicate, nested predicates included. A user's own predicate
class (any other factory/class id, registered through ``hazelcast_embedded_server_classes``) takes part as well: the
member calls its ``apply(entry)``, where ``entry`` is a :class:`~hazelcast.embedded.query.QueryableEntry` (``key``,
``value`` and ``attribute(path)``).

The API other member services use::

    predicate = compile_predicate(cluster, predicate_data)   # or a Predicate built here
    predicate.matches(entry)                                 # entry: QueryableEntry
    predicate.index_candidates(indexes)                      # keys that may match, from indexes; None = scan
    predicate.index_lookup(indexes)                          # (candidates, unsure) or None

``index_candidates`` never misses an entry that matches: when it returns keys, the caller evaluates ``matches`` on
those only (see :mod:`hazelcast.embedded.query.indexes`). ``index_lookup`` also tells which candidates need no
evaluation: an equality, ``in`` or range lookup in an index finds exactly the matching entries, except those the
index could not read (its *unindexed* keys). Comparison rules are in
:mod:`hazelcast.embedded.query.compare`.
"""

from __future__ import annotations

import abc
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from hazelcast.embedded.query.compare import comparable, convert, equal
from hazelcast.embedded.query.extraction import QueryableEntry
from hazelcast.embedded.query.paths import AttributePath, parse_attribute_path
from hazelcast.embedded.query.values import MultiResult, OpaqueValue
from hazelcast.embedded.spec import ServerClass
from hazelcast.errors import HazelcastSerializationError, IllegalArgumentError, QueryError
from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput
from hazelcast.serialization.generic_record import GenericRecord

if TYPE_CHECKING:
    from hazelcast.embedded.cluster import EmbeddedCluster
    from hazelcast.embedded.query.indexes import StoreIndexes

__all__ = [
    "PREDICATE_FACTORY_ID",
    "PREDICATE_SERVER_CLASSES",
    "AndPredicate",
    "BetweenPredicate",
    "EqualPredicate",
    "FalsePredicate",
    "GreaterLessPredicate",
    "InPredicate",
    "InstanceOfPredicate",
    "LikePredicate",
    "NotEqualPredicate",
    "NotPredicate",
    "OrPredicate",
    "Predicate",
    "RegexPredicate",
    "TruePredicate",
    "UserPredicate",
    "compile_predicate",
    "server_object",
]

PREDICATE_FACTORY_ID = -20


class Predicate(IdentifiedDataSerializable):
    """A compiled predicate: ``matches(entry)`` and ``index_candidates(indexes)``."""

    CLASS_ID = -1

    @abc.abstractmethod
    def matches(self, entry: QueryableEntry) -> bool:
        """Whether ``entry`` is selected."""

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        """Keys of the entries that may match, found in ``indexes``; None when the indexes cannot tell."""
        return None

    def index_lookup(self, indexes: StoreIndexes) -> tuple[set[bytes], set[bytes]] | None:
        """``(candidates, unsure)``: the keys that may match and, among them, those ``matches`` must still check
        (the others match for certain); None when the indexes cannot tell."""
        candidates = self.index_candidates(indexes)
        return None if candidates is None else (candidates, candidates)

    def get_factory_id(self) -> int:
        return PREDICATE_FACTORY_ID

    def get_class_id(self) -> int:
        return self.CLASS_ID

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        raise NotImplementedError("the member does not send predicates")


class _AttributePredicate(Predicate):
    """A predicate on one attribute: reads it and tests each value read (any value of an ``[any]`` path)."""

    attribute = ""
    path: AttributePath
    #: Whether index lookups of this predicate select exactly the matching entries (besides the unindexed ones):
    #: lookups convert values as comparisons do, so an indexed value found by a lookup satisfies the predicate.
    EXACT_LOOKUP = False

    def index_lookup(self, indexes: StoreIndexes) -> tuple[set[bytes], set[bytes]] | None:
        candidates = self.index_candidates(indexes)
        if candidates is None:
            return None
        if not self.EXACT_LOOKUP:
            return candidates, candidates
        index = indexes.for_attribute(self.path.text)
        return candidates, set(index.unindexed) if index is not None else candidates

    def _set_attribute(self, attribute: str | None) -> None:
        if not attribute:
            raise IllegalArgumentError("a predicate's attribute cannot be empty")
        self.attribute = attribute
        self.path = parse_attribute_path(attribute)

    def matches(self, entry: QueryableEntry) -> bool:
        result = entry.attribute(self.path)
        if type(result) is MultiResult:
            test = self.test
            return any(test(value) for value in result)
        return self.test(result)

    @abc.abstractmethod
    def test(self, value: Any) -> bool:
        """Whether one attribute value satisfies the predicate."""


class EqualPredicate(_AttributePredicate):
    CLASS_ID = 3
    EXACT_LOOKUP = True

    def __init__(self, attribute: str = "", value: Any = None) -> None:
        self.value = value
        if attribute:
            self._set_attribute(attribute)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self._set_attribute(object_data_input.read_string())
        self.value = object_data_input.read_object()

    def test(self, value: Any) -> bool:
        return equal(value, self.value)

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        index = indexes.for_attribute(self.path.text)
        return None if index is None else index.equal_keys(self.value)


class NotEqualPredicate(EqualPredicate):
    CLASS_ID = 9
    EXACT_LOOKUP = False

    def matches(self, entry: QueryableEntry) -> bool:
        return not EqualPredicate.matches(self, entry)

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        return None


class GreaterLessPredicate(_AttributePredicate):
    CLASS_ID = 4
    EXACT_LOOKUP = True

    def __init__(self, attribute: str = "", value: Any = None, is_equal: bool = False, is_less: bool = False) -> None:
        self.value = value
        self.is_equal = is_equal
        self.is_less = is_less
        if attribute:
            self._set_attribute(attribute)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self._set_attribute(object_data_input.read_string())
        self.value = object_data_input.read_object()
        self.is_equal = object_data_input.read_boolean()
        self.is_less = object_data_input.read_boolean()

    def test(self, value: Any) -> bool:
        pair = comparable(value, self.value)
        if pair is None:
            return False
        attribute, bound = pair
        if self.is_less:
            return bool(attribute <= bound if self.is_equal else attribute < bound)
        return bool(attribute >= bound if self.is_equal else attribute > bound)

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        index = indexes.for_attribute(self.path.text)
        if index is None:
            return None
        if self.is_less:
            return index.range_keys(None, False, self.value, self.is_equal)
        return index.range_keys(self.value, self.is_equal, None, False)


class BetweenPredicate(_AttributePredicate):
    CLASS_ID = 2
    EXACT_LOOKUP = True

    def __init__(self, attribute: str = "", from_: Any = None, to: Any = None) -> None:
        self.from_ = from_
        self.to = to
        if attribute:
            self._set_attribute(attribute)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self._set_attribute(object_data_input.read_string())
        self.to = object_data_input.read_object()
        self.from_ = object_data_input.read_object()

    def test(self, value: Any) -> bool:
        low = comparable(value, self.from_)
        high = comparable(value, self.to)
        return low is not None and high is not None and bool(low[1] <= value <= high[1])

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        index = indexes.for_attribute(self.path.text)
        return None if index is None else index.range_keys(self.from_, True, self.to, True)


class InPredicate(_AttributePredicate):
    CLASS_ID = 7
    EXACT_LOOKUP = True

    def __init__(self, attribute: str = "", values: Iterable[Any] = ()) -> None:
        self.values = list(values)
        if attribute:
            self._set_attribute(attribute)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self._set_attribute(object_data_input.read_string())
        self.values = [object_data_input.read_object() for _ in range(object_data_input.read_int())]

    def test(self, value: Any) -> bool:
        return any(equal(value, candidate) for candidate in self.values)

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        index = indexes.for_attribute(self.path.text)
        if index is None:
            return None
        keys: set[bytes] = set()
        for candidate in self.values:
            keys |= index.equal_keys(candidate)
        return keys


@functools.lru_cache(maxsize=256)
def _like_regex(expression: str, ignore_case: bool) -> re.Pattern[str]:
    parts: list[str] = []
    escaped = False
    for char in expression:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    if escaped:
        parts.append(re.escape("\\"))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(parts), flags)


class LikePredicate(_AttributePredicate):
    CLASS_ID = 5
    IGNORE_CASE = False

    def __init__(self, attribute: str = "", expression: str | None = None) -> None:
        self.expression = expression
        if attribute:
            self._set_attribute(attribute)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self._set_attribute(object_data_input.read_string())
        self.expression = object_data_input.read_string()

    def _pattern(self) -> re.Pattern[str]:
        assert self.expression is not None
        return _like_regex(self.expression, self.IGNORE_CASE)

    def test(self, value: Any) -> bool:
        if value is None or self.expression is None:
            return value is None and self.expression is None
        if not isinstance(value, str):
            value = convert(value, "")
            if not isinstance(value, str):
                return False
        return self._pattern().fullmatch(value) is not None


class ILikePredicate(LikePredicate):
    CLASS_ID = 6
    IGNORE_CASE = True


class RegexPredicate(LikePredicate):
    CLASS_ID = 12

    def _pattern(self) -> re.Pattern[str]:
        assert self.expression is not None
        try:
            return _compiled_regex(self.expression)
        except re.error as error:
            raise IllegalArgumentError(f"invalid regular expression {self.expression!r}: {error}") from None


@functools.lru_cache(maxsize=256)
def _compiled_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class AndPredicate(Predicate):
    CLASS_ID = 1

    def __init__(self, predicates: Iterable[Predicate] = ()) -> None:
        self.predicates = list(predicates)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.predicates = [_as_predicate(object_data_input.read_object()) for _ in range(object_data_input.read_int())]

    def matches(self, entry: QueryableEntry) -> bool:
        return all(predicate.matches(entry) for predicate in self.predicates)

    def index_lookup(self, indexes: StoreIndexes) -> tuple[set[bytes], set[bytes]] | None:
        if len(self.predicates) == 1:
            return self.predicates[0].index_lookup(indexes)
        return super().index_lookup(indexes)

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        # The smallest candidate set of the children (or of a composite index covering several equalities) that can
        # use an index; the other conditions are checked by matches().
        best: set[bytes] | None = None
        composites = indexes.composites()
        if composites:
            equalities = {
                predicate.path.text: predicate.value
                for predicate in self.predicates
                if type(predicate) is EqualPredicate
            }
            for index in composites:
                attributes = index.definition.attributes
                if all(attribute in equalities for attribute in attributes):
                    keys = index.composite_keys([equalities[attribute] for attribute in attributes])
                    if best is None or len(keys) < len(best):
                        best = keys
        for predicate in self.predicates:
            candidates = predicate.index_candidates(indexes)
            if candidates is not None and (best is None or len(candidates) < len(best)):
                best = candidates
        return best


class OrPredicate(AndPredicate):
    CLASS_ID = 11

    def index_lookup(self, indexes: StoreIndexes) -> tuple[set[bytes], set[bytes]] | None:
        candidates: set[bytes] = set()
        unsure: set[bytes] = set()
        for predicate in self.predicates:
            found = predicate.index_lookup(indexes)
            if found is None:
                return None
            candidates |= found[0]
            unsure |= found[1]
        return candidates, unsure

    def matches(self, entry: QueryableEntry) -> bool:
        return any(predicate.matches(entry) for predicate in self.predicates)

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        union: set[bytes] = set()
        for predicate in self.predicates:
            keys = predicate.index_candidates(indexes)
            if keys is None:
                return None
            union |= keys
        return union


class NotPredicate(Predicate):
    CLASS_ID = 10

    def __init__(self, predicate: Predicate | None = None) -> None:
        self.predicate = predicate

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.predicate = _as_predicate(object_data_input.read_object())

    def matches(self, entry: QueryableEntry) -> bool:
        assert self.predicate is not None
        return not self.predicate.matches(entry)


class TruePredicate(Predicate):
    CLASS_ID = 14

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        """No fields."""

    def matches(self, entry: QueryableEntry) -> bool:
        return True


class FalsePredicate(Predicate):
    CLASS_ID = 13

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        """No fields."""

    def matches(self, entry: QueryableEntry) -> bool:
        return False

    def index_candidates(self, indexes: StoreIndexes) -> set[bytes] | None:
        return set()


# Java class names of the built-in serializer type ids, with the supertypes instance_of accepts for them.
_NUMBER = ("java.lang.Number", "java.lang.Comparable")
_JAVA_CLASSES: dict[int, tuple[str, ...]] = {
    -3: ("java.lang.Byte", *_NUMBER),
    -4: ("java.lang.Boolean", "java.lang.Comparable"),
    -5: ("java.lang.Character", "java.lang.Comparable"),
    -6: ("java.lang.Short", *_NUMBER),
    -7: ("java.lang.Integer", *_NUMBER),
    -8: ("java.lang.Long", *_NUMBER),
    -9: ("java.lang.Float", *_NUMBER),
    -10: ("java.lang.Double", *_NUMBER),
    -11: ("java.lang.String", "java.lang.Comparable", "java.lang.CharSequence"),
    -21: ("java.util.UUID", "java.lang.Comparable"),
    -26: ("java.math.BigInteger", *_NUMBER),
    -27: ("java.math.BigDecimal", *_NUMBER),
    -29: ("java.util.ArrayList", "java.util.List", "java.util.Collection"),
    -51: ("java.time.LocalDate", "java.lang.Comparable"),
    -52: ("java.time.LocalTime", "java.lang.Comparable"),
    -53: ("java.time.LocalDateTime", "java.lang.Comparable"),
    -54: ("java.time.OffsetDateTime", "java.lang.Comparable"),
    -130: ("com.hazelcast.core.HazelcastJsonValue",),
}


class InstanceOfPredicate(Predicate):
    """The value's Java class: from its serializer type id, or a Compact value's type name."""

    CLASS_ID = 8

    def __init__(self, class_name: str = "") -> None:
        self.class_name = class_name

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        self.class_name = object_data_input.read_string() or ""

    def matches(self, entry: QueryableEntry) -> bool:
        data = entry.value_data
        if not data or len(data) < 8:
            return False
        if self.class_name == "java.lang.Object":
            return True
        type_id = int.from_bytes(data[4:8], "big", signed=True)
        if self.class_name in _JAVA_CLASSES.get(type_id, ()):
            return True
        value = entry.value if type_id == -55 else None
        return isinstance(value, GenericRecord) and value.get_type_name() == self.class_name


class UserPredicate(Predicate):
    """A user's predicate server class, evaluated through its ``apply(entry)``."""

    def __init__(self, delegate: Any) -> None:
        self.delegate = delegate

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        raise NotImplementedError("wraps an object already read")

    def matches(self, entry: QueryableEntry) -> bool:
        return bool(self.delegate.apply(entry))


def _as_predicate(value: Any) -> Predicate:
    if value is None:
        return TruePredicate()
    if isinstance(value, Predicate):
        return value
    if isinstance(value, OpaqueValue) or not callable(getattr(value, "apply", None)):
        raise IllegalArgumentError(f"{value!r} is not a predicate this member can evaluate (it has no apply(entry))")
    return UserPredicate(value)


def compile_predicate(cluster: EmbeddedCluster, data: bytes | None) -> Predicate:
    """The predicate a client sent as ``data`` (null data: every entry).

    Raises:
        HazelcastSerializationError: the predicate's class is unknown to the member.
        IllegalArgumentError: the object is not a predicate, or a malformed SQL or attribute path.
    """
    return _as_predicate(server_object(cluster, data))


def server_object(cluster: EmbeddedCluster, data: bytes | None) -> Any:
    """``cluster.to_object(data)``, but an invalid query object (bad SQL, path, regex...) raises its own error
    (QueryError, IllegalArgumentError) rather than a serialization error, as a member reports it."""
    try:
        return cluster.to_object(data)
    except HazelcastSerializationError as error:
        cause = error.__cause__
        if isinstance(cause, (QueryError, IllegalArgumentError)):
            raise cause from None
        raise


def _server_class(cls: type[Predicate]) -> ServerClass:
    return ServerClass(PREDICATE_FACTORY_ID, cls.CLASS_ID, cls)


def _sql_predicate() -> Predicate:
    from hazelcast.embedded.query.sql import SqlPredicate

    return SqlPredicate()


#: The built-in predicates, registered by the embedded member's own plugin.
PREDICATE_SERVER_CLASSES: tuple[ServerClass, ...] = (
    ServerClass(PREDICATE_FACTORY_ID, 0, _sql_predicate),
    *(
        _server_class(cls)
        for cls in (
            AndPredicate,
            BetweenPredicate,
            EqualPredicate,
            GreaterLessPredicate,
            LikePredicate,
            ILikePredicate,
            InPredicate,
            InstanceOfPredicate,
            NotEqualPredicate,
            NotPredicate,
            OrPredicate,
            RegexPredicate,
            FalsePredicate,
            TruePredicate,
        )
    ),
)
