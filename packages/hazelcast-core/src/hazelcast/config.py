"""Client configuration: the validated :class:`Config`, its per-structure sub-configurations and their enums.

Every option is a property over a slot: reading one costs a C-level attribute fetch, so the runtime may read options
on hot paths, while assigning one runs its validation. A wrong type raises ``TypeError``, a value out of range or
outside an enum raises ``ValueError``, and every message names the option and what it accepts.

Enum options accept a member, its integer value or its name (``reconnect_mode="ASYNC"``) and store the member, which
compares equal to the integer value the official client stores.

Serialization-related options (factories, serializers, class definitions), the load balancer and the token provider
are checked by shape: a value must have the methods the client will call. Every subclass of the matching base class
of ``hazelcast.serialization.api``, ``hazelcast.util`` or ``hazelcast.security`` has them, and this module stays
free of imports of those modules.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from hazelcast.errors import InvalidConfigurationError

__all__ = [
    "BitmapIndexOptions",
    "ClientFailoverConfig",
    "Config",
    "EvictionPolicy",
    "FlakeIdGeneratorConfig",
    "InMemoryFormat",
    "IndexConfig",
    "IndexType",
    "IndexUtil",
    "IntType",
    "NearCacheConfig",
    "QueryConstants",
    "ReconnectMode",
    "ReliableTopicConfig",
    "SSLProtocol",
    "TopicOverloadPolicy",
    "UniqueKeyTransformation",
]

_T = TypeVar("_T")
_K = TypeVar("_K")
_E = TypeVar("_E", bound=enum.Enum)
_Holder = TypeVar("_Holder", bound="_OptionHolder")


# ----------------------------------------------------------------------------------------------------------------------
# Enums of configuration values. Integer values are the ones the official client and the protocol use.


class IntType(enum.IntEnum):
    """How the serializer writes a Python ``int`` (``Config.default_int_type``).

    ``VAR`` picks the narrowest of byte/short/int/long that holds the value and a Java ``BigInteger`` beyond 64 bits;
    it may confuse statically typed clients reading the same data. ``BYTE``, ``SHORT``, ``INT`` and ``LONG`` always
    write 8, 16, 32 or 64 bits. ``BIG_INT`` always writes a ``BigInteger``: any size, but the slowest.
    """

    VAR = 0
    BYTE = 1
    SHORT = 2
    INT = 3
    LONG = 4
    BIG_INT = 5


class EvictionPolicy(enum.IntEnum):
    """Which near cache entries go first when the cache is full: ``NONE`` (never evict), ``LRU`` (least recently
    used), ``LFU`` (least frequently used) or ``RANDOM``."""

    NONE = 0
    LRU = 1
    LFU = 2
    RANDOM = 3


class InMemoryFormat(enum.IntEnum):
    """How a near cache keeps values: ``BINARY`` (serialized; deserialized on every read) or ``OBJECT`` (kept
    deserialized; faster reads, callers share the cached object)."""

    BINARY = 0
    OBJECT = 1


class SSLProtocol(enum.IntEnum):
    """TLS protocol version for member connections (``Config.ssl_protocol``).

    ``SSLv2`` and ``SSLv3`` are prohibited by RFC 6176 and RFC 7568; prefer ``TLSv1_2`` or ``TLSv1_3``.
    """

    SSLv2 = 0
    SSLv3 = 1
    TLSv1 = 2
    TLSv1_1 = 3
    TLSv1_2 = 4
    TLSv1_3 = 5


class QueryConstants(enum.StrEnum):
    """Attribute names with a special meaning in queries: ``KEY_ATTRIBUTE_NAME`` (``"__key"``, the entry key) and
    ``THIS_ATTRIBUTE_NAME`` (``"this"``, the entry value)."""

    KEY_ATTRIBUTE_NAME = "__key"
    THIS_ATTRIBUTE_NAME = "this"


class UniqueKeyTransformation(enum.IntEnum):
    """How a bitmap index turns unique key values into ids.

    ``OBJECT`` assigns a non-negative id to every distinct object; ``LONG`` widens integral values to long and assigns
    ids to distinct values; ``RAW`` widens integral values to long and uses them as the ids directly.
    """

    OBJECT = 0
    LONG = 1
    RAW = 2


class IndexType(enum.IntEnum):
    """Kind of a map index: ``SORTED`` (equality and range predicates), ``HASH`` (equality) or ``BITMAP`` (equality,
    for low-cardinality attributes)."""

    SORTED = 0
    HASH = 1
    BITMAP = 2


class ReconnectMode(enum.IntEnum):
    """What the client does after losing every connection to the cluster (``Config.reconnect_mode``).

    ``OFF`` shuts the client down; ``ON`` reconnects while invocations wait for the connection; ``ASYNC`` reconnects
    in the background while invocations fail at once with :class:`hazelcast.errors.ClientOfflineError`.
    """

    OFF = 0
    ON = 1
    ASYNC = 2


class TopicOverloadPolicy(enum.IntEnum):
    """What publishing to a reliable topic does when its ringbuffer is full and the oldest message has not yet
    outlived the ringbuffer's time-to-live.

    ``DISCARD_OLDEST`` overwrites the oldest message anyway (slow readers may miss it); ``DISCARD_NEWEST`` drops the
    message being published; ``BLOCK`` waits until there is room; ``ERROR`` fails the publish with
    :class:`hazelcast.errors.TopicOverloadError`.
    """

    DISCARD_OLDEST = 0
    DISCARD_NEWEST = 1
    BLOCK = 2
    ERROR = 3


# ----------------------------------------------------------------------------------------------------------------------
# Validators. Each takes the option name (for the message) and the value, and returns the value to store.

_Validator = Callable[[str, Any], _T]


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{type(value).__name__} {text}"


def _is_number(value: object) -> bool:
    # bool is an int subclass, but True as a timeout is a mistake, not a number.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {_shown(value)}")
    return value


def _check_str(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_shown(value)}")
    return value


def _optional(check: _Validator[_T]) -> _Validator[_T | None]:
    def check_optional(name: str, value: Any) -> _T | None:
        return None if value is None else check(name, value)

    return check_optional


def _number(rule: str, accepts: Callable[[float], bool]) -> _Validator[float]:
    # Comparisons with NaN are false, so every rule below also rejects NaN.
    def check_number(name: str, value: Any) -> float:
        if not _is_number(value):
            raise TypeError(f"{name} must be an int or float, not {_shown(value)}")
        if not accepts(value):
            raise ValueError(f"{name} must be {rule}, not {value!r}")
        return value  # type: ignore[no-any-return]

    return check_number


def _integer(rule: str, accepts: Callable[[int], bool]) -> _Validator[int]:
    def check_integer(name: str, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, not {_shown(value)}")
        if not accepts(value):
            raise ValueError(f"{name} must be {rule}, not {value!r}")
        return value

    return check_integer


_non_negative = _number("non-negative", lambda v: v >= 0)
_positive = _number("positive", lambda v: v > 0)


def _enum_member(enum_class: type[_E]) -> _Validator[_E]:
    by_name = {member.name.upper(): member for member in enum_class}
    by_value = {member.value: member for member in enum_class}
    names = ", ".join(member.name for member in enum_class)
    accepted = f"a {enum_class.__name__} member ({names}), its value or its name"

    def check_enum(name: str, value: Any) -> _E:
        if isinstance(value, enum_class):
            return value
        # A member of another enum (IntType.INT for reconnect_mode) is a mix-up even when its value matches.
        if isinstance(value, (bool, enum.Enum)) or not isinstance(value, (int, str)):
            raise TypeError(f"{name} must be {accepted}, not {_shown(value)}")
        member = by_value.get(value)
        if member is None and isinstance(value, str):
            member = by_name.get(value.upper())
        if member is None:
            raise ValueError(f"{name} must be {accepted}, not {value!r}")
        return member

    return check_enum


def _list_of(check_item: Callable[[str, Any], _T]) -> _Validator[list[_T]]:
    # The list is copied so that later changes to the caller's list cannot bypass validation.
    def check_list(name: str, value: Any) -> list[_T]:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{name} must be a list, not {_shown(value)}")
        return [check_item(f"{name}[{index}]", item) for index, item in enumerate(value)]

    return check_list


def _dict_of(check_key: Callable[[str, Any], _K], check_value: Callable[[str, Any], _T]) -> _Validator[dict[_K, _T]]:
    # The keys are kept as given once check_key accepted them, so they are of its type.
    def check_dict(name: str, value: Any) -> dict[_K, _T]:
        if not isinstance(value, Mapping):
            raise TypeError(f"{name} must be a dict, not {_shown(value)}")
        checked: dict[_K, _T] = {}
        for key, item in value.items():
            check_key(f"key {key!r} of {name}", key)
            checked[key] = check_value(f"{name}[{key!r}]", item)
        return checked

    return check_dict


def _check_int_key(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int")
    return value


def _check_type_key(name: str, value: Any) -> type:
    if not isinstance(value, type):
        raise TypeError(f"{name} must be a class")
    return value


def _check_str_key(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str")
    return value


def _has_methods(value: object, methods: tuple[str, ...]) -> bool:
    return all(callable(getattr(value, method, None)) for method in methods)


def _class_with(kind: str, methods: tuple[str, ...]) -> _Validator[type]:
    required = ", ".join(methods)

    def check_class(name: str, value: Any) -> type:
        if not isinstance(value, type) or not _has_methods(value, methods):
            raise TypeError(f"{name} must be a {kind} subclass (a class with {required}), not {_shown(value)}")
        return value

    return check_class


def _instance_with(kind: str, methods: tuple[str, ...]) -> _Validator[Any]:
    required = ", ".join(methods)

    def check_instance(name: str, value: Any) -> Any:
        if isinstance(value, type) or not _has_methods(value, methods):
            raise TypeError(f"{name} must be a {kind} instance (an object with {required}), not {_shown(value)}")
        return value

    return check_instance


def _check_class_definition(name: str, value: Any) -> Any:
    if isinstance(value, type) or not all(hasattr(value, attr) for attr in ("factory_id", "class_id", "version")):
        raise TypeError(
            f"{name} must be a ClassDefinition (with factory_id, class_id and version), not {_shown(value)}"
        )
    return value


def _check_socket_option(name: str, value: Any) -> tuple[int, int, int | bytes]:
    if (
        not isinstance(value, tuple)
        or len(value) != 3
        or not all(isinstance(part, int) and not isinstance(part, bool) for part in value[:2])
        or not isinstance(value[2], (int, bytes))
    ):
        raise TypeError(f"{name} must be a (level, option, value) tuple of int, int, int or bytes, not {_shown(value)}")
    return value


def _check_ssl_password(name: str, value: Any) -> str | bytes | bytearray | Callable[[], str | bytes]:
    if not isinstance(value, (str, bytes, bytearray)) and not callable(value):
        raise TypeError(f"{name} must be a str, bytes or a callable returning one, not {_shown(value)}")
    return value  # type: ignore[no-any-return]


def _check_membership_listener(name: str, value: Any) -> tuple[Callable[..., Any] | None, Callable[..., Any] | None]:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(part is None or callable(part) for part in value)
        or (value[0] is None and value[1] is None)
    ):
        raise TypeError(
            f"{name} must be a (member_added, member_removed) tuple of callables or None, "
            f"at least one of them callable, not {_shown(value)}"
        )
    return value


def _check_callable(name: str, value: Any) -> Callable[..., Any]:
    if not callable(value):
        raise TypeError(f"{name} must be callable, not {_shown(value)}")
    return value  # type: ignore[no-any-return]


def _sub_config(holder_class: type[_Holder]) -> _Validator[_Holder]:
    def check_sub_config(name: str, value: Any) -> _Holder:
        if isinstance(value, holder_class):
            return value
        if isinstance(value, Mapping):
            try:
                return holder_class.from_dict(value)
            except (TypeError, ValueError) as error:
                raise type(error)(f"{name}: {error}") from error
        raise TypeError(f"{name} must be a {holder_class.__name__} or a dict of its options, not {_shown(value)}")

    return check_sub_config


# ----------------------------------------------------------------------------------------------------------------------
# Options: properties over slots.


class _Option(property, Generic[_T]):
    """A validated configuration option: reads fetch the slot ``_<name>`` directly, writes run ``validate``."""

    def __init__(
        self,
        name: str,
        validate: _Validator[_T],
        default: _T | None = None,
        *,
        factory: Callable[[], Any] | None = None,
        secret: bool = False,
        doc: str,
    ) -> None:
        slot = "_" + name

        def set_option(holder: object, value: Any) -> None:
            setattr(holder, slot, validate(name, value))

        super().__init__(attrgetter(slot), set_option, None, doc)
        # CPython (3.11) lets the class docstring shadow the doc of a property subclass instance; set it explicitly.
        self.__doc__ = doc
        self.name = name
        self.slot = slot
        self.validate = validate
        self.secret = secret
        self._default = default
        # Typed by ``validate`` alone: inferring _T from a factory such as ``list`` would widen it to ``list[Any]``.
        self._factory: Callable[[], _T] | None = factory

    def new_default(self) -> _T | None:
        """A fresh default value (a new list or dict for container options)."""
        return self._factory() if self._factory is not None else self._default

    def __set_name__(self, owner: type, attribute: str) -> None:
        if attribute != self.name:
            raise TypeError(f"option {self.name!r} is bound to attribute {attribute!r}")

    if TYPE_CHECKING:

        @overload
        def __get__(self, instance: None, owner: type | None = None, /) -> _Option[_T]: ...

        @overload
        def __get__(self, instance: object, owner: type | None = None, /) -> _T: ...

        def __get__(self, instance: object, owner: type | None = None, /) -> Any: ...


def _option_slots(namespace: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(value.slot for value in namespace.values() if isinstance(value, _Option))


def _options_of(namespace: Mapping[str, Any]) -> tuple[_Option[Any], ...]:
    return tuple(value for value in namespace.values() if isinstance(value, _Option))


class _OptionHolder:
    """Shared behaviour of configuration objects: defaults, ``from_dict``, equality and a readable repr."""

    __slots__ = ()
    _OPTIONS: ClassVar[tuple[_Option[Any], ...]] = ()
    _KIND: ClassVar[str] = "configuration"

    def __init__(self) -> None:
        for option in self._OPTIONS:
            setattr(self, option.slot, option.new_default())

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        """Names of all options, in declaration order."""
        return tuple(option.name for option in cls._OPTIONS)

    @classmethod
    def from_dict(cls: type[_Holder], d: Mapping[str, Any]) -> _Holder:
        """Build a configuration from option names and values.

        Options missing from ``d``, or given as ``None``, keep their defaults.

        Raises:
            InvalidConfigurationError: ``d`` names an unknown option; the message suggests close matches.
            TypeError, ValueError: a value is invalid for its option.
        """
        if not isinstance(d, Mapping):
            raise TypeError(f"{cls.__name__}.from_dict needs a dict of option names to values, not {_shown(d)}")
        names = cls.option_names()
        unknown = [key for key in d if key not in names]
        if unknown:
            raise InvalidConfigurationError(cls._unknown_options_message(unknown, names))
        config = cls()
        for key, value in d.items():
            if value is not None:
                setattr(config, key, value)
        return config

    @classmethod
    def _unknown_options_message(cls, unknown: list[Any], names: tuple[str, ...]) -> str:
        parts = []
        for key in unknown:
            close = difflib.get_close_matches(str(key), names, n=3) if isinstance(key, str) else []
            hint = f" (did you mean {' or '.join(repr(match) for match in close)}?)" if close else ""
            parts.append(f"{key!r}{hint}")
        noun = "option" if len(unknown) == 1 else "options"
        return (
            f"Unknown {cls._KIND} {noun}: {', '.join(parts)}. "
            f"Valid options are listed by {cls.__name__}.option_names()."
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, option.slot) == getattr(other, option.slot) for option in self._OPTIONS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        changed = []
        for option in self._OPTIONS:
            value = getattr(self, option.slot)
            if value != option.new_default():
                changed.append(f"{option.name}={'***' if option.secret else repr(value)}")
        return f"{type(self).__name__}({', '.join(changed)})"


# ----------------------------------------------------------------------------------------------------------------------
# Per-structure configurations.


class NearCacheConfig(_OptionHolder):
    """Near cache settings of one map (``Config.near_caches``)."""

    _KIND = "near cache configuration"

    invalidate_on_change = _Option(
        "invalidate_on_change",
        _check_bool,
        True,
        doc="Drop cached entries when the cluster reports that they changed. By default ``True``.",
    )
    in_memory_format = _Option(
        "in_memory_format",
        _enum_member(InMemoryFormat),
        InMemoryFormat.BINARY,
        doc="How cached values are kept; see :class:`InMemoryFormat`. By default ``BINARY``.",
    )
    time_to_live = _Option(
        "time_to_live",
        _optional(_non_negative),
        None,
        doc="Seconds an entry may stay cached; ``None`` (the default) keeps it until evicted or invalidated.",
    )
    max_idle = _Option(
        "max_idle",
        _optional(_non_negative),
        None,
        doc="Seconds an entry may stay cached without being read; ``None`` (the default) means no limit.",
    )
    eviction_policy = _Option(
        "eviction_policy",
        _enum_member(EvictionPolicy),
        EvictionPolicy.LRU,
        doc="Which entries are evicted first when the cache is full; see :class:`EvictionPolicy`. By default ``LRU``.",
    )
    eviction_max_size = _Option(
        "eviction_max_size",
        _integer("at least 1", lambda v: v >= 1),
        10000,
        doc="Number of entries above which eviction starts. By default ``10000``.",
    )
    eviction_sampling_count = _Option(
        "eviction_sampling_count",
        _integer("at least 1", lambda v: v >= 1),
        8,
        doc="Number of random entries examined for expiry on each eviction. By default ``8``.",
    )
    eviction_sampling_pool_size = _Option(
        "eviction_sampling_pool_size",
        _integer("at least 1", lambda v: v >= 1),
        16,
        doc="Size of the pool of eviction candidates, kept in eviction-policy order. By default ``16``.",
    )

    _OPTIONS = _options_of(locals())
    __slots__ = _option_slots(locals())


class FlakeIdGeneratorConfig(_OptionHolder):
    """Prefetch settings of one Flake ID generator (``Config.flake_id_generators``)."""

    _KIND = "flake id generator configuration"

    prefetch_count = _Option(
        "prefetch_count",
        _integer("in range 1 to 100000", lambda v: 0 < v <= 100000),
        100,
        doc="How many ids are fetched in one round trip, 1 to 100000. By default ``100``.",
    )
    prefetch_validity: _Option[float] = _Option(
        "prefetch_validity",
        _non_negative,
        600,
        doc=(
            "Seconds after which unused prefetched ids are dropped, since ids carry a timestamp and old ones break "
            "rough ordering; ``0`` keeps them forever. By default ``600``."
        ),
    )

    _OPTIONS = _options_of(locals())
    __slots__ = _option_slots(locals())


class ReliableTopicConfig(_OptionHolder):
    """Settings of one reliable topic (``Config.reliable_topics``)."""

    _KIND = "reliable topic configuration"

    read_batch_size = _Option(
        "read_batch_size",
        _integer("positive", lambda v: v > 0),
        10,
        doc="Most messages a listener reads from the ringbuffer in one call. By default ``10``.",
    )
    overload_policy = _Option(
        "overload_policy",
        _enum_member(TopicOverloadPolicy),
        TopicOverloadPolicy.BLOCK,
        doc="What publishing does when the ringbuffer is full; see :class:`TopicOverloadPolicy`. By default ``BLOCK``.",
    )

    _OPTIONS = _options_of(locals())
    __slots__ = _option_slots(locals())


# ----------------------------------------------------------------------------------------------------------------------
# Map index configuration (Map.add_index).


def _check_index_attribute(name: str, value: Any) -> str:
    IndexUtil.validate_attribute(value)
    return value  # type: ignore[no-any-return]


class BitmapIndexOptions(_OptionHolder):
    """Options of a ``BITMAP`` index: which attribute identifies entries and how its values become ids."""

    _KIND = "bitmap index option"

    unique_key = _Option(
        "unique_key",
        _enum_member(QueryConstants),
        QueryConstants.KEY_ATTRIBUTE_NAME,
        doc="Attribute whose values identify entries; see :class:`QueryConstants`. By default the entry key.",
    )
    unique_key_transformation = _Option(
        "unique_key_transformation",
        _enum_member(UniqueKeyTransformation),
        UniqueKeyTransformation.OBJECT,
        doc="How unique key values become ids; see :class:`UniqueKeyTransformation`. By default ``OBJECT``.",
    )

    _OPTIONS = _options_of(locals())
    __slots__ = _option_slots(locals())

    def __init__(self, unique_key: Any = None, unique_key_transformation: Any = None) -> None:
        super().__init__()
        if unique_key is not None:
            self.unique_key = unique_key
        if unique_key_transformation is not None:
            self.unique_key_transformation = unique_key_transformation


class IndexConfig(_OptionHolder):
    """An index on map entries: its name, kind, indexed attributes and, for bitmap indexes, their options."""

    _KIND = "index configuration"

    name = _Option(
        "name",
        _optional(_check_str),
        None,
        doc="Name of the index; ``None`` lets the member derive one from the map name, kind and attributes.",
    )
    type = _Option(
        "type",
        _enum_member(IndexType),
        IndexType.SORTED,
        doc="Kind of the index; see :class:`IndexType`. By default ``SORTED``.",
    )
    attributes = _Option(
        "attributes",
        _list_of(_check_index_attribute),
        factory=list,
        doc="Indexed attributes, e.g. ``['age']`` or ``['__key.id']``.",
    )
    bitmap_index_options = _Option(
        "bitmap_index_options",
        _sub_config(BitmapIndexOptions),
        factory=BitmapIndexOptions,
        doc="Options of a ``BITMAP`` index, as :class:`BitmapIndexOptions` or a dict of its options.",
    )

    _OPTIONS = _options_of(locals())
    __slots__ = _option_slots(locals())

    def __init__(
        self,
        name: str | None = None,
        type: Any = None,  # noqa: A002 - the official keyword name
        attributes: list[str] | None = None,
        bitmap_index_options: BitmapIndexOptions | Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        if name is not None:
            self.name = name
        if type is not None:
            self.type = type
        if attributes is not None:
            self.attributes = attributes
        if bitmap_index_options is not None:
            self.bitmap_index_options = bitmap_index_options

    def add_attribute(self, attribute: str) -> None:
        """Add one attribute to the index after validating it."""
        IndexUtil.validate_attribute(attribute)
        self.attributes.append(attribute)


class IndexUtil:
    """Validation and normalization of :class:`IndexConfig` before it is sent to the cluster."""

    MAX_ATTRIBUTES = 255
    """Most attributes one index may have."""

    _THIS_PREFIX = re.compile(r"^this\.")
    _TYPE_NAMES: ClassVar[dict[IndexType, str]] = {
        IndexType.SORTED: "sorted",
        IndexType.HASH: "hash",
        IndexType.BITMAP: "bitmap",
    }

    @staticmethod
    def validate_attribute(attribute: Any) -> None:
        """Raise unless ``attribute`` is a usable attribute name: a non-blank str not ending with a dot."""
        if attribute is None:
            raise ValueError("Attribute name cannot be None")
        if not isinstance(attribute, str):
            raise TypeError(f"Attribute name must be a str, not {_shown(attribute)}")
        stripped = attribute.strip()
        if not stripped:
            raise ValueError("Attribute name cannot be empty")
        if stripped.endswith("."):
            raise ValueError(f"Attribute name cannot end with dot: {attribute}")

    @staticmethod
    def canonicalize_attribute(attribute: str) -> str:
        """Drop a leading ``this.``: ``this.age`` and ``age`` name the same attribute."""
        return IndexUtil._THIS_PREFIX.sub("", attribute)

    @staticmethod
    def validate_and_normalize(map_name: str, index_config: IndexConfig) -> IndexConfig:
        """A normalized copy of ``index_config``: attributes stripped and canonical, a name derived when missing.

        Raises:
            ValueError: no attributes, more than :attr:`MAX_ATTRIBUTES`, a composite bitmap index, or the same
                attribute twice (also as ``x`` and ``this.x``).
        """
        attributes = index_config.attributes
        if not attributes:
            raise ValueError(f"Index must have at least one attribute: {index_config!r}")
        if len(attributes) > IndexUtil.MAX_ATTRIBUTES:
            raise ValueError(f"Index cannot have more than {IndexUtil.MAX_ATTRIBUTES} attributes: {index_config!r}")
        if index_config.type == IndexType.BITMAP and len(attributes) > 1:
            raise ValueError(f"Composite bitmap indexes are not supported: {index_config!r}")

        canonical: list[str] = []
        originals: list[str] = []
        for attribute in attributes:
            IndexUtil.validate_attribute(attribute)
            stripped = attribute.strip()
            normalized = IndexUtil.canonicalize_attribute(stripped)
            if normalized in canonical:
                first = originals[canonical.index(normalized)]
                if first == stripped:
                    raise ValueError(f"Duplicate attribute name {stripped!r} in {index_config!r}")
                raise ValueError(f"Duplicate attribute names {first!r} and {stripped!r} in {index_config!r}")
            canonical.append(normalized)
            originals.append(stripped)

        name = index_config.name
        if name is not None and not name.strip():
            name = None
        if name is None:
            name = "_".join([map_name, IndexUtil._TYPE_NAMES[index_config.type], *canonical])

        normalized_config = IndexConfig(name=name, type=index_config.type, attributes=canonical)
        if index_config.type == IndexType.BITMAP:
            options = index_config.bitmap_index_options
            normalized_config.bitmap_index_options = BitmapIndexOptions(
                IndexUtil.canonicalize_attribute(options.unique_key), options.unique_key_transformation
            )
        return normalized_config


# ----------------------------------------------------------------------------------------------------------------------
# The client configuration.

_DEFAULT_CLUSTER_CONNECT_TIMEOUT = -1

_check_ids_class = _class_with("IdentifiedDataSerializable", ("write_data", "read_data", "get_factory_id", "get_class_id"))
_check_portable_class = _class_with("Portable", ("write_portable", "read_portable", "get_factory_id", "get_class_id"))
_check_stream_serializer = _class_with("StreamSerializer", ("write", "read", "get_type_id"))
_check_compact_serializer = _instance_with("CompactSerializer", ("read", "write", "get_class", "get_type_name"))
_check_load_balancer = _instance_with("LoadBalancer", ("init", "next"))
_check_token_provider = _instance_with("TokenProvider", ("token",))


class Config(_OptionHolder):
    """Configuration of a Hazelcast client.

    Options are the keyword arguments ``HazelcastClient`` accepts; :meth:`from_dict` builds a ``Config`` from them.
    Time values are in seconds.
    """

    _KIND = "client configuration"

    cluster_members = _Option(
        "cluster_members",
        _list_of(_check_str),
        factory=list,
        doc=(
            "Addresses (``host``, ``host:port``, ``[ipv6]:port``) tried for the first connection; a missing port "
            "tries 5701 to 5703. Empty by default, meaning ``127.0.0.1``."
        ),
    )
    cluster_name = _Option(
        "cluster_name",
        _check_str,
        "dev",
        doc="Name of the cluster, sent when authenticating and checked by members. By default ``dev``.",
    )
    client_name = _Option(
        "client_name",
        _optional(_check_str),
        None,
        doc="Name of this client instance; ``None`` (the default) gives ``hz.client_<n>``.",
    )
    connection_timeout = _Option(
        "connection_timeout",
        _non_negative,
        5.0,
        doc="Seconds to wait for a connection to a member to open; ``0`` waits without limit. By default ``5.0``.",
    )
    socket_options = _Option(
        "socket_options",
        _list_of(_check_socket_option),
        factory=list,
        doc="``(level, option, value)`` tuples applied with ``socket.setsockopt`` to every member connection.",
    )
    redo_operation = _Option(
        "redo_operation",
        _check_bool,
        False,
        doc=(
            "Retry any operation whose connection broke before the response, even if it may have run already; "
            "harmless for idempotent operations only. By default ``False``."
        ),
    )
    smart_routing = _Option(
        "smart_routing",
        _check_bool,
        True,
        doc=(
            "Connect to every member and send key-based operations to the key's owner; ``False`` sends everything "
            "through one member (unisocket). By default ``True``."
        ),
    )
    ssl_enabled = _Option(
        "ssl_enabled",
        _check_bool,
        False,
        doc="Use TLS for member connections. By default ``False``.",
    )
    ssl_cafile = _Option(
        "ssl_cafile",
        _optional(_check_str),
        None,
        doc="Path of the PEM file of CA certificates that member certificates are checked against; system defaults "
        "when ``None``.",
    )
    ssl_certfile = _Option(
        "ssl_certfile",
        _optional(_check_str),
        None,
        doc="Path of the client certificate in PEM format, for mutual TLS.",
    )
    ssl_keyfile = _Option(
        "ssl_keyfile",
        _optional(_check_str),
        None,
        doc="Path of the client's private key in PEM format; taken from ``ssl_certfile`` when ``None``.",
    )
    ssl_password = _Option(
        "ssl_password",
        _optional(_check_ssl_password),
        None,
        secret=True,
        doc="Password of an encrypted key file: str, bytes, or a callable returning one.",
    )
    ssl_protocol = _Option(
        "ssl_protocol",
        _enum_member(SSLProtocol),
        SSLProtocol.TLSv1_2,
        doc="TLS protocol version; see :class:`SSLProtocol`. By default ``TLSv1_2``.",
    )
    ssl_ciphers = _Option(
        "ssl_ciphers",
        _optional(_check_str),
        None,
        doc="Allowed ciphers in OpenSSL cipher-list format (colon-separated).",
    )
    ssl_check_hostname = _Option(
        "ssl_check_hostname",
        _check_bool,
        False,
        doc="Check that a member's certificate matches the address connected to. By default ``False``.",
    )
    cloud_discovery_token = _Option(
        "cloud_discovery_token",
        _optional(_check_str),
        None,
        secret=True,
        doc="Discovery token of a Hazelcast Cloud cluster; setting it enables cloud discovery.",
    )
    async_start = _Option(
        "async_start",
        _check_bool,
        False,
        doc=(
            "Return from client start before the cluster is connected; operations fail with "
            ":class:`hazelcast.errors.ClientOfflineError` until it is. By default ``False``."
        ),
    )
    reconnect_mode = _Option(
        "reconnect_mode",
        _enum_member(ReconnectMode),
        ReconnectMode.ON,
        doc="What to do after losing the cluster; see :class:`ReconnectMode`. By default ``ON``.",
    )
    retry_initial_backoff = _Option(
        "retry_initial_backoff",
        _non_negative,
        1.0,
        doc="Seconds to wait after the first failed attempt to connect to the cluster. By default ``1.0``.",
    )
    retry_max_backoff = _Option(
        "retry_max_backoff",
        _non_negative,
        30.0,
        doc="Upper bound, in seconds, of the wait between cluster connection attempts. By default ``30.0``.",
    )
    retry_jitter = _Option(
        "retry_jitter",
        _number("in range [0.0, 1.0]", lambda v: 0 <= v <= 1),
        0.0,
        doc=(
            "Randomization of each backoff: a wait of ``b`` becomes a value in ``b ± jitter * b``. In [0, 1]; "
            "by default ``0.0`` (none)."
        ),
    )
    retry_multiplier = _Option(
        "retry_multiplier",
        _number("greater than or equal to 1.0", lambda v: v >= 1),
        1.05,
        doc="Factor applied to the backoff after each failed attempt; at least 1. By default ``1.05``.",
    )
    cluster_connect_timeout: _Option[float] = _Option(
        "cluster_connect_timeout",
        _number(
            f"non-negative or equal to {_DEFAULT_CLUSTER_CONNECT_TIMEOUT}",
            lambda v: v >= 0 or v == _DEFAULT_CLUSTER_CONNECT_TIMEOUT,
        ),
        _DEFAULT_CLUSTER_CONNECT_TIMEOUT,
        doc="Seconds after which the client gives up connecting to the cluster; ``-1`` (the default) never does.",
    )
    portable_version = _Option(
        "portable_version",
        _integer("non-negative", lambda v: v >= 0),
        0,
        doc="Version used for Portable classes that do not define ``get_class_version()``. By default ``0``.",
    )
    data_serializable_factories = _Option(
        "data_serializable_factories",
        _dict_of(_check_int_key, _dict_of(_check_int_key, _check_ids_class)),
        factory=dict,
        doc="``{factory_id: {class_id: IdentifiedDataSerializable subclass}}``.",
    )
    portable_factories = _Option(
        "portable_factories",
        _dict_of(_check_int_key, _dict_of(_check_int_key, _check_portable_class)),
        factory=dict,
        doc="``{factory_id: {class_id: Portable subclass}}``.",
    )
    compact_serializers = _Option(
        "compact_serializers",
        _list_of(_check_compact_serializer),
        factory=list,
        doc="CompactSerializer instances, one per class serialized in the Compact format.",
    )
    class_definitions = _Option(
        "class_definitions",
        _list_of(_check_class_definition),
        factory=list,
        doc="Portable class definitions registered up front.",
    )
    check_class_definition_errors = _Option(
        "check_class_definition_errors",
        _check_bool,
        True,
        doc=(
            "Check the registered class definitions at start and raise "
            ":class:`hazelcast.errors.HazelcastSerializationError` for an inconsistent one. By default ``True``."
        ),
    )
    is_big_endian = _Option(
        "is_big_endian",
        _check_bool,
        True,
        doc="Byte order of serialized data. By default ``True`` (big-endian).",
    )
    default_int_type = _Option(
        "default_int_type",
        _enum_member(IntType),
        IntType.INT,
        doc="How a Python ``int`` is serialized; see :class:`IntType`. By default ``INT`` (32 bits).",
    )
    global_serializer = _Option(
        "global_serializer",
        _optional(_check_stream_serializer),
        None,
        doc="StreamSerializer subclass used for objects no other serializer handles.",
    )
    custom_serializers = _Option(
        "custom_serializers",
        _dict_of(_check_type_key, _check_stream_serializer),
        factory=dict,
        doc="``{class: StreamSerializer subclass}``.",
    )
    pickle_enabled = _Option(
        "pickle_enabled",
        _check_bool,
        False,
        doc=(
            "Serialize objects that no other serializer handles with pickle (type id -120, as the official client "
            "does), and unpickle such data. Unpickling data from the network runs code chosen by whoever wrote "
            "it, so enable it only when every writer is trusted. Not an option of the official client, which "
            "always pickles. By default ``False``."
        ),
    )
    near_caches = _Option(
        "near_caches",
        _dict_of(_check_str_key, _sub_config(NearCacheConfig)),
        factory=dict,
        doc="``{map name: NearCacheConfig or dict of its options}``; missing options keep their defaults.",
    )
    load_balancer = _Option(
        "load_balancer",
        _optional(_check_load_balancer),
        None,
        doc="LoadBalancer choosing the member for operations that have no key; round-robin when ``None``.",
    )
    membership_listeners = _Option(
        "membership_listeners",
        _list_of(_check_membership_listener),
        factory=list,
        doc=(
            "``(member_added, member_removed)`` tuples of functions called with the "
            ":class:`hazelcast.core.MemberInfo`; either may be ``None``, not both."
        ),
    )
    lifecycle_listeners = _Option(
        "lifecycle_listeners",
        _list_of(_check_callable),
        factory=list,
        doc="Functions called with the new lifecycle state whenever the client's state changes.",
    )
    flake_id_generators = _Option(
        "flake_id_generators",
        _dict_of(_check_str_key, _sub_config(FlakeIdGeneratorConfig)),
        factory=dict,
        doc="``{generator name: FlakeIdGeneratorConfig or dict of its options}``.",
    )
    reliable_topics = _Option(
        "reliable_topics",
        _dict_of(_check_str_key, _sub_config(ReliableTopicConfig)),
        factory=dict,
        doc="``{topic name: ReliableTopicConfig or dict of its options}``.",
    )
    labels = _Option(
        "labels",
        _list_of(_check_str),
        factory=list,
        doc="Labels sent to the cluster to tell this client apart (e.g. in Management Center).",
    )
    heartbeat_interval = _Option(
        "heartbeat_interval",
        _positive,
        5.0,
        doc="Seconds of silence on a connection after which the client sends a ping. By default ``5.0``.",
    )
    heartbeat_timeout = _Option(
        "heartbeat_timeout",
        _positive,
        60.0,
        doc="Seconds without any message from a member after which its connection is closed. By default ``60.0``.",
    )
    invocation_timeout = _Option(
        "invocation_timeout",
        _positive,
        120.0,
        doc=(
            "Seconds during which a failed invocation may be retried; after that the error reaches the caller. "
            "An invocation that gets no error is never cut short. By default ``120.0``."
        ),
    )
    invocation_retry_pause = _Option(
        "invocation_retry_pause",
        _positive,
        1.0,
        doc="Seconds between retries of an invocation. By default ``1.0``.",
    )
    statistics_enabled = _Option(
        "statistics_enabled",
        _check_bool,
        False,
        doc="Send client statistics to the cluster periodically. By default ``False``.",
    )
    statistics_period = _Option(
        "statistics_period",
        _positive,
        3.0,
        doc="Seconds between two statistics reports. By default ``3.0``.",
    )
    shuffle_member_list = _Option(
        "shuffle_member_list",
        _check_bool,
        True,
        doc=(
            "Try the configured members in random order, spreading clients over the cluster; ``False`` keeps the "
            "given order. By default ``True``."
        ),
    )
    backup_ack_to_client_enabled = _Option(
        "backup_ack_to_client_enabled",
        _check_bool,
        True,
        doc=(
            "Let backup replicas acknowledge directly to the client, saving a hop; smart routing only. "
            "By default ``True``."
        ),
    )
    operation_backup_timeout = _Option(
        "operation_backup_timeout",
        _positive,
        5.0,
        doc="Seconds to wait for backup acknowledgements of an operation. By default ``5.0``.",
    )
    fail_on_indeterminate_operation_state = _Option(
        "fail_on_indeterminate_operation_state",
        _check_bool,
        False,
        doc=(
            "Fail an invocation with :class:`hazelcast.errors.IndeterminateOperationStateError` when its backups "
            "are not acknowledged in time (nothing is rolled back). By default ``False``."
        ),
    )
    creds_username = _Option(
        "creds_username",
        _optional(_check_str),
        None,
        doc="User name for username/password authentication (Enterprise).",
    )
    creds_password = _Option(
        "creds_password",
        _optional(_check_str),
        None,
        secret=True,
        doc="Password for username/password authentication (Enterprise).",
    )
    token_provider = _Option(
        "token_provider",
        _optional(_check_token_provider),
        None,
        secret=True,
        doc="TokenProvider for token authentication (Enterprise); takes precedence over the credentials.",
    )
    use_public_ip = _Option(
        "use_public_ip",
        _check_bool,
        False,
        doc="Connect to the public addresses members advertise, when they have one. By default ``False``.",
    )
    max_concurrent_invocations = _Option(
        "max_concurrent_invocations",
        _integer("positive", lambda v: v > 0),
        8192,
        doc=(
            "Most invocations in flight at once; further callers wait until one completes, which bounds memory "
            "and queueing under load. Not an option of the official client. By default ``8192``."
        ),
    )

    _OPTIONS = _options_of(locals())
    __slots__ = _option_slots(locals())


# Defined in its own module, which needs Config to exist first; offered here, where users look for configuration.
from hazelcast.failover import ClientFailoverConfig  # noqa: E402
