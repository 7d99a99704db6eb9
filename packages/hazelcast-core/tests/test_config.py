"""Tests of hazelcast.config: every option's default and validation, from_dict, sub-configurations and indexes."""

from __future__ import annotations

import math
import operator
from typing import Any

import pytest

from hazelcast.config import (
    BitmapIndexOptions,
    Config,
    EvictionPolicy,
    FlakeIdGeneratorConfig,
    IndexConfig,
    IndexType,
    IndexUtil,
    InMemoryFormat,
    IntType,
    NearCacheConfig,
    QueryConstants,
    ReconnectMode,
    ReliableTopicConfig,
    SSLProtocol,
    TopicOverloadPolicy,
    UniqueKeyTransformation,
)
from hazelcast.errors import InvalidConfigurationError

# ----------------------------------------------------------------------------------------------------------------------
# Shapes the duck-typed options accept.


class _Serializable:
    def write_data(self, out: Any) -> None: ...
    def read_data(self, inp: Any) -> None: ...
    def get_factory_id(self) -> int: return 1
    def get_class_id(self) -> int: return 1


class _Portable:
    def write_portable(self, writer: Any) -> None: ...
    def read_portable(self, reader: Any) -> None: ...
    def get_factory_id(self) -> int: return 1
    def get_class_id(self) -> int: return 1


class _StreamSerializer:
    def write(self, out: Any, obj: Any) -> None: ...
    def read(self, inp: Any) -> Any: ...
    def get_type_id(self) -> int: return 1


class _CompactSerializer:
    def read(self, reader: Any) -> Any: ...
    def write(self, writer: Any, obj: Any) -> None: ...
    def get_class(self) -> type: return object
    def get_type_name(self) -> str: return "t"


class _ClassDefinition:
    factory_id = 1
    class_id = 2
    version = 0


class _LoadBalancer:
    def init(self, cluster_service: Any) -> None: ...
    def next(self) -> Any: ...


class _TokenProvider:
    def token(self, address: Any = None) -> bytes: return b"t"


def _listener(*_: Any) -> None: ...


# ----------------------------------------------------------------------------------------------------------------------
# Defaults: the official client's (5.7.0), written out here, plus max_concurrent_invocations and pickle_enabled.

EXPECTED_DEFAULTS: dict[str, Any] = {
    "cluster_members": [],
    "cluster_name": "dev",
    "client_name": None,
    "connection_timeout": 5.0,
    "socket_options": [],
    "redo_operation": False,
    "smart_routing": True,
    "ssl_enabled": False,
    "ssl_cafile": None,
    "ssl_certfile": None,
    "ssl_keyfile": None,
    "ssl_password": None,
    "ssl_protocol": 4,
    "ssl_ciphers": None,
    "ssl_check_hostname": False,
    "cloud_discovery_token": None,
    "async_start": False,
    "reconnect_mode": 1,
    "retry_initial_backoff": 1.0,
    "retry_max_backoff": 30.0,
    "retry_jitter": 0.0,
    "retry_multiplier": 1.05,
    "cluster_connect_timeout": -1,
    "portable_version": 0,
    "data_serializable_factories": {},
    "portable_factories": {},
    "compact_serializers": [],
    "class_definitions": [],
    "check_class_definition_errors": True,
    "is_big_endian": True,
    "default_int_type": 3,
    "global_serializer": None,
    "custom_serializers": {},
    "pickle_enabled": False,
    "near_caches": {},
    "load_balancer": None,
    "membership_listeners": [],
    "lifecycle_listeners": [],
    "flake_id_generators": {},
    "reliable_topics": {},
    "labels": [],
    "heartbeat_interval": 5.0,
    "heartbeat_timeout": 60.0,
    "invocation_timeout": 120.0,
    "invocation_retry_pause": 1.0,
    "statistics_enabled": False,
    "statistics_period": 3.0,
    "shuffle_member_list": True,
    "backup_ack_to_client_enabled": True,
    "operation_backup_timeout": 5.0,
    "fail_on_indeterminate_operation_state": False,
    "creds_username": None,
    "creds_password": None,
    "token_provider": None,
    "use_public_ip": False,
    "max_concurrent_invocations": 8192,
}


def test_option_names_are_the_official_ones_plus_our_own() -> None:
    assert Config.option_names() == tuple(EXPECTED_DEFAULTS)


@pytest.mark.parametrize("name", list(EXPECTED_DEFAULTS))
def test_default(name: str) -> None:
    value = getattr(Config(), name)
    expected = EXPECTED_DEFAULTS[name]
    assert value == expected
    # 5.0 and 5 compare equal; the stored type must match the official one as well.
    assert type(value) in (type(expected), *(_enum_types_for(name)))


def _enum_types_for(name: str) -> tuple[type, ...]:
    enums = {
        "ssl_protocol": SSLProtocol,
        "reconnect_mode": ReconnectMode,
        "default_int_type": IntType,
    }
    return (enums[name],) if name in enums else ()


def test_enum_defaults_are_members() -> None:
    config = Config()
    assert config.ssl_protocol is SSLProtocol.TLSv1_2
    assert config.reconnect_mode is ReconnectMode.ON
    assert config.default_int_type is IntType.INT


def test_container_defaults_are_not_shared_between_configs() -> None:
    first, second = Config(), Config()
    first.labels.append("mine")
    first.near_caches["m"] = NearCacheConfig()
    assert second.labels == []
    assert second.near_caches == {}


# ----------------------------------------------------------------------------------------------------------------------
# Validation of every option: (accepted values, rejected values with the error type).

_BOOL_REJECTS = [(1, TypeError), ("true", TypeError), (None, TypeError)]
_OPTIONAL_STR_REJECTS = [(1, TypeError), (b"bytes", TypeError)]
_STR_REJECTS = [(1, TypeError), (None, TypeError)]


def _non_negative_cases() -> tuple[list[Any], list[tuple[Any, type[Exception]]]]:
    return [0, 0.5, 7, math.inf], [(-0.1, ValueError), (math.nan, ValueError), ("1", TypeError), (True, TypeError),
                                  (None, TypeError)]


def _positive_cases() -> tuple[list[Any], list[tuple[Any, type[Exception]]]]:
    return [0.001, 3, 10.5], [(0, ValueError), (-1, ValueError), (math.nan, ValueError), ("5", TypeError),
                             (False, TypeError), (None, TypeError)]


_BOOL = ([True, False], _BOOL_REJECTS)
_STR = (["", "name"], _STR_REJECTS)
_OPTIONAL_STR = (["x", None], _OPTIONAL_STR_REJECTS)

VALIDATION_CASES: dict[str, tuple[list[Any], list[tuple[Any, type[Exception]]]]] = {
    "cluster_members": (
        [[], ["127.0.0.1"], ["a:5701", "[::1]:5702"]],
        [("127.0.0.1", TypeError), ([1], TypeError), (None, TypeError)],
    ),
    "cluster_name": _STR,
    "client_name": _OPTIONAL_STR,
    "connection_timeout": _non_negative_cases(),
    "socket_options": (
        [[], [(6, 1, 1)], [(1, 2, b"\x01")]],
        [([(6, 1)], TypeError), ([(6, 1, "x")], TypeError), ([[6, 1, 1]], TypeError), ((6, 1, 1), TypeError)],
    ),
    "redo_operation": _BOOL,
    "smart_routing": _BOOL,
    "ssl_enabled": _BOOL,
    "ssl_cafile": _OPTIONAL_STR,
    "ssl_certfile": _OPTIONAL_STR,
    "ssl_keyfile": _OPTIONAL_STR,
    "ssl_password": (["pw", b"pw", bytearray(b"pw"), (lambda: "pw"), None], [(5, TypeError), (["pw"], TypeError)]),
    "ssl_protocol": (
        [SSLProtocol.TLSv1_3, 5, "TLSv1_3", "tlsv1_3"],
        [(6, ValueError), ("TLSv9", ValueError), (4.0, TypeError), (None, TypeError), (IntType.LONG, TypeError)],
    ),
    "ssl_ciphers": _OPTIONAL_STR,
    "ssl_check_hostname": _BOOL,
    "cloud_discovery_token": _OPTIONAL_STR,
    "async_start": _BOOL,
    "reconnect_mode": (
        [ReconnectMode.ASYNC, 2, "ASYNC", "off"],
        [(3, ValueError), (-1, ValueError), ("SOMETIMES", ValueError), (True, TypeError), (None, TypeError)],
    ),
    "retry_initial_backoff": _non_negative_cases(),
    "retry_max_backoff": _non_negative_cases(),
    "retry_jitter": ([0, 0.0, 0.5, 1, 1.0], [(-0.01, ValueError), (1.01, ValueError), (math.nan, ValueError),
                                             ("0.5", TypeError), (None, TypeError)]),
    "retry_multiplier": ([1, 1.0, 2.5], [(0.99, ValueError), (0, ValueError), (math.nan, ValueError),
                                         ("2", TypeError), (None, TypeError)]),
    "cluster_connect_timeout": ([-1, 0, 2.5, 100], [(-2, ValueError), (-0.5, ValueError), (math.nan, ValueError),
                                                    ("10", TypeError), (None, TypeError)]),
    "portable_version": ([0, 3], [(-1, ValueError), (1.0, TypeError), (True, TypeError), (None, TypeError)]),
    "data_serializable_factories": (
        [{}, {1: {2: _Serializable}}],
        [({"1": {2: _Serializable}}, TypeError), ({1: {"2": _Serializable}}, TypeError), ({1: _Serializable}, TypeError),
         ({1: {2: _Serializable()}}, TypeError), ({1: {2: _Portable}}, TypeError), ([], TypeError)],
    ),
    "portable_factories": (
        [{}, {1: {2: _Portable}}],
        [({"1": {2: _Portable}}, TypeError), ({1: {2: _Serializable}}, TypeError), ({1: [_Portable]}, TypeError),
         (None, TypeError)],
    ),
    "compact_serializers": (
        [[], [_CompactSerializer()]],
        [([_CompactSerializer], TypeError), ([object()], TypeError), (_CompactSerializer(), TypeError)],
    ),
    "class_definitions": (
        [[], [_ClassDefinition()]],
        [([object()], TypeError), ([_ClassDefinition], TypeError), (None, TypeError)],
    ),
    "check_class_definition_errors": _BOOL,
    "is_big_endian": _BOOL,
    "default_int_type": (
        [IntType.LONG, 4, "LONG", "big_int"],
        [(6, ValueError), ("HUGE", ValueError), (None, TypeError), (ReconnectMode.ON, TypeError)],
    ),
    "global_serializer": (
        [_StreamSerializer, None],
        [(_StreamSerializer(), TypeError), (_Portable, TypeError), ("x", TypeError)],
    ),
    "custom_serializers": (
        [{}, {int: _StreamSerializer}],
        [({"int": _StreamSerializer}, TypeError), ({int: _StreamSerializer()}, TypeError), ([], TypeError)],
    ),
    "pickle_enabled": _BOOL,
    "near_caches": (
        [{}, {"m": NearCacheConfig()}, {"m": {"time_to_live": 10}}],
        [({1: NearCacheConfig()}, TypeError), ({"m": 5}, TypeError), ({"m": {"time_to_live": -1}}, ValueError),
         ({"m": {"ttl": 1}}, InvalidConfigurationError), (None, TypeError)],
    ),
    "load_balancer": ([_LoadBalancer(), None], [(_LoadBalancer, TypeError), (object(), TypeError)]),
    "membership_listeners": (
        [[], [(_listener, None)], [(None, _listener)], [(_listener, _listener)]],
        [([(None, None)], TypeError), ([(_listener,)], TypeError), ([(_listener, 5)], TypeError),
         ([_listener], TypeError), (None, TypeError)],
    ),
    "lifecycle_listeners": ([[], [_listener]], [([5], TypeError), (_listener, TypeError), (None, TypeError)]),
    "flake_id_generators": (
        [{}, {"f": FlakeIdGeneratorConfig()}, {"f": {"prefetch_count": 5}}],
        [({"f": {"prefetch_count": 0}}, ValueError), ({"f": {"count": 1}}, InvalidConfigurationError),
         ({"f": NearCacheConfig()}, TypeError)],
    ),
    "reliable_topics": (
        [{}, {"t": ReliableTopicConfig()}, {"t": {"overload_policy": "ERROR"}}],
        [({"t": {"read_batch_size": 0}}, ValueError), ({"t": {"overload_policy": 9}}, ValueError),
         ({"t": []}, TypeError)],
    ),
    "labels": ([[], ["a", "b"]], [(["a", 1], TypeError), ("a", TypeError), (None, TypeError)]),
    "heartbeat_interval": _positive_cases(),
    "heartbeat_timeout": _positive_cases(),
    "invocation_timeout": _positive_cases(),
    "invocation_retry_pause": _positive_cases(),
    "statistics_enabled": _BOOL,
    "statistics_period": _positive_cases(),
    "shuffle_member_list": _BOOL,
    "backup_ack_to_client_enabled": _BOOL,
    "operation_backup_timeout": _positive_cases(),
    "fail_on_indeterminate_operation_state": _BOOL,
    "creds_username": _OPTIONAL_STR,
    "creds_password": _OPTIONAL_STR,
    "token_provider": ([_TokenProvider(), None], [(_TokenProvider, TypeError), ("token", TypeError)]),
    "use_public_ip": _BOOL,
    "max_concurrent_invocations": ([1, 8192, 100000], [(0, ValueError), (-5, ValueError), (1.5, TypeError),
                                                      (True, TypeError), (None, TypeError)]),
}


def test_every_option_has_validation_cases() -> None:
    assert set(VALIDATION_CASES) == set(Config.option_names())


_ACCEPTED = [(name, value) for name, (accepted, _) in VALIDATION_CASES.items() for value in accepted]
_REJECTED = [(name, value, error) for name, (_, rejected) in VALIDATION_CASES.items() for value, error in rejected]


@pytest.mark.parametrize(("name", "value"), _ACCEPTED, ids=[f"{n}={v!r}"[:60] for n, v in _ACCEPTED])
def test_accepted_value_is_stored(name: str, value: Any) -> None:
    config = Config()
    setattr(config, name, value)
    stored = getattr(config, name)
    if isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()) and name.endswith(
        ("caches", "generators", "topics")
    ):
        # Dicts of sub-options become typed sub-configurations.
        assert set(stored) == set(value)
        assert all(not isinstance(v, dict) for v in stored.values())
    elif isinstance(value, str) and name in ("ssl_protocol", "reconnect_mode", "default_int_type"):
        assert stored.name.upper() == value.upper()
    else:
        assert stored == value


@pytest.mark.parametrize(
    ("name", "value", "error"), _REJECTED, ids=[f"{n}={v!r}"[:60] for n, v, _ in _REJECTED]
)
def test_rejected_value_raises_and_names_the_option(name: str, value: Any, error: type[Exception]) -> None:
    config = Config()
    before = getattr(config, name)
    with pytest.raises(error) as excinfo:
        setattr(config, name, value)
    assert name in str(excinfo.value)
    assert getattr(config, name) == before


@pytest.mark.parametrize(
    ("name", "value", "member"),
    [
        ("ssl_protocol", 2, SSLProtocol.TLSv1),
        ("ssl_protocol", "SSLv3", SSLProtocol.SSLv3),
        ("reconnect_mode", 0, ReconnectMode.OFF),
        ("reconnect_mode", "async", ReconnectMode.ASYNC),
        ("default_int_type", 0, IntType.VAR),
        ("default_int_type", "BIG_INT", IntType.BIG_INT),
    ],
)
def test_enum_options_store_the_member(name: str, value: Any, member: Any) -> None:
    config = Config()
    setattr(config, name, value)
    assert getattr(config, name) is member


def test_enum_error_lists_the_accepted_members() -> None:
    with pytest.raises(ValueError, match=r"reconnect_mode must be a ReconnectMode member \(OFF, ON, ASYNC\)"):
        Config().reconnect_mode = 7


def test_type_error_says_what_was_given() -> None:
    with pytest.raises(TypeError, match=r"cluster_name must be a str, not int 5"):
        Config().cluster_name = 5  # type: ignore[assignment]


def test_lists_and_dicts_are_copied_on_assignment() -> None:
    config = Config()
    members = ["a"]
    config.cluster_members = members
    members.append(5)  # type: ignore[arg-type]
    assert config.cluster_members == ["a"]


def test_unknown_attribute_cannot_be_set() -> None:
    # Slots catch misspelt option names that would otherwise be silently ignored.
    config = Config()
    with pytest.raises(AttributeError):
        config.clustr_name = "x"  # type: ignore[attr-defined]


def test_reading_an_option_runs_no_python_code() -> None:
    option = Config.__dict__["invocation_timeout"]
    assert isinstance(option, property)
    assert isinstance(option.fget, operator.attrgetter)


def test_option_docs_are_the_options_own() -> None:
    assert "cluster" in (Config.cluster_name.__doc__ or "")
    assert Config.cluster_name.__doc__ != Config.heartbeat_interval.__doc__


def test_repr_shows_changed_options_and_hides_secrets() -> None:
    config = Config.from_dict({"cluster_name": "prod", "creds_password": "hunter2", "cloud_discovery_token": "tok"})
    text = repr(config)
    assert "cluster_name='prod'" in text
    assert "hunter2" not in text and "tok'" not in text
    assert "creds_password=***" in text
    assert "heartbeat_interval" not in text


def test_equality_compares_all_options() -> None:
    assert Config() == Config()
    changed = Config()
    changed.labels = ["x"]
    assert Config() != changed


# ----------------------------------------------------------------------------------------------------------------------
# from_dict


def test_from_dict_sets_the_given_options() -> None:
    listener = (_listener, None)
    config = Config.from_dict(
        {
            "cluster_name": "a-cluster",
            "cluster_members": ["10.0.0.1:5701"],
            "reconnect_mode": "ASYNC",
            "membership_listeners": [listener],
            "near_caches": {"m": {"in_memory_format": InMemoryFormat.OBJECT}},
            "max_concurrent_invocations": 10,
        }
    )
    assert config.cluster_name == "a-cluster"
    assert config.cluster_members == ["10.0.0.1:5701"]
    assert config.reconnect_mode is ReconnectMode.ASYNC
    assert config.membership_listeners == [listener]
    assert config.near_caches["m"].in_memory_format is InMemoryFormat.OBJECT
    assert config.max_concurrent_invocations == 10
    assert config.smart_routing is True


def test_from_dict_treats_none_as_default() -> None:
    config = Config.from_dict({"cluster_name": None, "invocation_timeout": None})
    assert config.cluster_name == "dev"
    assert config.invocation_timeout == 120.0


def test_from_dict_suggests_close_names() -> None:
    with pytest.raises(InvalidConfigurationError) as excinfo:
        Config.from_dict({"clustr_name": "x"})
    message = str(excinfo.value)
    assert "'clustr_name'" in message
    assert "did you mean 'cluster_name'" in message


def test_from_dict_lists_every_unknown_name() -> None:
    with pytest.raises(InvalidConfigurationError) as excinfo:
        Config.from_dict({"invocaton_timeout": 1, "smart_routing": True, "qqqqqq": 2})
    message = str(excinfo.value)
    assert "'invocaton_timeout' (did you mean 'invocation_timeout'" in message
    assert "'qqqqqq'" in message and "'qqqqqq' (" not in message
    assert "smart_routing" not in message


def test_from_dict_rejects_private_slot_names() -> None:
    with pytest.raises(InvalidConfigurationError):
        Config.from_dict({"_cluster_name": 5})


def test_unknown_option_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        Config.from_dict({"nope": 1})


def test_from_dict_validates_values() -> None:
    with pytest.raises(ValueError, match="heartbeat_timeout"):
        Config.from_dict({"heartbeat_timeout": -5})


def test_from_dict_needs_a_mapping() -> None:
    with pytest.raises(TypeError):
        Config.from_dict([("cluster_name", "x")])  # type: ignore[arg-type]


def test_nested_errors_say_where_they_are() -> None:
    with pytest.raises(InvalidConfigurationError, match=r"near_caches\['orders'\].*'time_to_live'"):
        Config.from_dict({"near_caches": {"orders": {"time_to_lve": 5}}})
    with pytest.raises(ValueError, match=r"flake_id_generators\['ids'\]: prefetch_count must be in range 1 to 100000"):
        Config.from_dict({"flake_id_generators": {"ids": {"prefetch_count": 100001}}})


# ----------------------------------------------------------------------------------------------------------------------
# Per-structure configurations


def test_near_cache_defaults() -> None:
    config = NearCacheConfig()
    assert config.invalidate_on_change is True
    assert config.in_memory_format is InMemoryFormat.BINARY
    assert config.time_to_live is None
    assert config.max_idle is None
    assert config.eviction_policy is EvictionPolicy.LRU
    assert config.eviction_max_size == 10000
    assert config.eviction_sampling_count == 8
    assert config.eviction_sampling_pool_size == 16


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("invalidate_on_change", 1, TypeError),
        ("in_memory_format", 2, ValueError),
        ("in_memory_format", "NATIVE", ValueError),
        ("time_to_live", -1, ValueError),
        ("time_to_live", "10", TypeError),
        ("max_idle", -0.5, ValueError),
        ("eviction_policy", 4, ValueError),
        ("eviction_max_size", 0, ValueError),
        ("eviction_max_size", 10.0, TypeError),
        ("eviction_sampling_count", 0, ValueError),
        ("eviction_sampling_pool_size", 0, ValueError),
    ],
)
def test_near_cache_validation(name: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=name):
        setattr(NearCacheConfig(), name, value)


def test_near_cache_from_dict() -> None:
    config = NearCacheConfig.from_dict(
        {"eviction_policy": "lfu", "time_to_live": 30, "max_idle": 1.5, "invalidate_on_change": False}
    )
    assert config.eviction_policy is EvictionPolicy.LFU
    assert (config.time_to_live, config.max_idle, config.invalidate_on_change) == (30, 1.5, False)
    with pytest.raises(InvalidConfigurationError, match="did you mean 'eviction_policy'"):
        NearCacheConfig.from_dict({"eviction_polcy": "LRU"})


def test_flake_id_generator_config() -> None:
    config = FlakeIdGeneratorConfig()
    assert (config.prefetch_count, config.prefetch_validity) == (100, 600)
    config.prefetch_count = 100000
    config.prefetch_validity = 0
    assert (config.prefetch_count, config.prefetch_validity) == (100000, 0)
    with pytest.raises(ValueError):
        config.prefetch_count = 100001
    with pytest.raises(ValueError):
        config.prefetch_validity = -1


def test_reliable_topic_config() -> None:
    config = ReliableTopicConfig()
    assert config.read_batch_size == 10
    assert config.overload_policy is TopicOverloadPolicy.BLOCK
    config = ReliableTopicConfig.from_dict({"read_batch_size": 50, "overload_policy": 3})
    assert (config.read_batch_size, config.overload_policy) == (50, TopicOverloadPolicy.ERROR)
    with pytest.raises(ValueError):
        config.read_batch_size = 0


def test_sub_configurations_compare_by_value() -> None:
    assert NearCacheConfig.from_dict({"max_idle": 3}) == NearCacheConfig.from_dict({"max_idle": 3})
    assert NearCacheConfig.from_dict({"max_idle": 3}) != NearCacheConfig()
    assert NearCacheConfig() != FlakeIdGeneratorConfig()


# ----------------------------------------------------------------------------------------------------------------------
# Enums: the official client's values


@pytest.mark.parametrize(
    ("enum_class", "values"),
    [
        (IntType, {"VAR": 0, "BYTE": 1, "SHORT": 2, "INT": 3, "LONG": 4, "BIG_INT": 5}),
        (ReconnectMode, {"OFF": 0, "ON": 1, "ASYNC": 2}),
        (SSLProtocol, {"SSLv2": 0, "SSLv3": 1, "TLSv1": 2, "TLSv1_1": 3, "TLSv1_2": 4, "TLSv1_3": 5}),
        (EvictionPolicy, {"NONE": 0, "LRU": 1, "LFU": 2, "RANDOM": 3}),
        (InMemoryFormat, {"BINARY": 0, "OBJECT": 1}),
        (TopicOverloadPolicy, {"DISCARD_OLDEST": 0, "DISCARD_NEWEST": 1, "BLOCK": 2, "ERROR": 3}),
        (IndexType, {"SORTED": 0, "HASH": 1, "BITMAP": 2}),
        (UniqueKeyTransformation, {"OBJECT": 0, "LONG": 1, "RAW": 2}),
        (QueryConstants, {"KEY_ATTRIBUTE_NAME": "__key", "THIS_ATTRIBUTE_NAME": "this"}),
    ],
)
def test_enum_values(enum_class: Any, values: dict[str, Any]) -> None:
    assert {member.name: member.value for member in enum_class} == values
    for name, value in values.items():
        assert getattr(enum_class, name) == value


# ----------------------------------------------------------------------------------------------------------------------
# Index configuration


def test_index_config_defaults_and_arguments() -> None:
    config = IndexConfig()
    assert (config.name, config.type, config.attributes) == (None, IndexType.SORTED, [])
    assert config.bitmap_index_options == BitmapIndexOptions()
    config = IndexConfig("idx", "HASH", ["age"], {"unique_key": "this", "unique_key_transformation": "RAW"})
    assert (config.name, config.type, config.attributes) == ("idx", IndexType.HASH, ["age"])
    assert config.bitmap_index_options.unique_key is QueryConstants.THIS_ATTRIBUTE_NAME
    assert config.bitmap_index_options.unique_key_transformation is UniqueKeyTransformation.RAW


def test_bitmap_index_options() -> None:
    options = BitmapIndexOptions()
    assert options.unique_key == "__key"
    assert options.unique_key_transformation is UniqueKeyTransformation.OBJECT
    options.unique_key = "THIS_ATTRIBUTE_NAME"
    assert options.unique_key == "this"
    with pytest.raises(ValueError, match="unique_key"):
        options.unique_key = "id"


@pytest.mark.parametrize("attribute", ["", "   ", "a.", None, 5])
def test_index_attribute_validation(attribute: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        IndexConfig(attributes=[attribute])
    with pytest.raises((TypeError, ValueError)):
        IndexConfig().add_attribute(attribute)


def test_normalization_derives_a_name_and_canonical_attributes() -> None:
    config = IndexConfig(type=IndexType.HASH, attributes=[" this.age ", "name"])
    normalized = IndexUtil.validate_and_normalize("people", config)
    assert normalized.name == "people_hash_age_name"
    assert normalized.attributes == ["age", "name"]
    assert normalized.type is IndexType.HASH
    assert config.attributes == [" this.age ", "name"]


def test_normalization_keeps_an_explicit_name() -> None:
    normalized = IndexUtil.validate_and_normalize("m", IndexConfig(name="by_age", attributes=["age"]))
    assert normalized.name == "by_age"


def test_normalization_of_bitmap_options() -> None:
    config = IndexConfig(type="BITMAP", attributes=["kind"], bitmap_index_options={"unique_key_transformation": 1})
    normalized = IndexUtil.validate_and_normalize("m", config)
    assert normalized.bitmap_index_options.unique_key == "__key"
    assert normalized.bitmap_index_options.unique_key_transformation is UniqueKeyTransformation.LONG


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (IndexConfig(), "at least one attribute"),
        (IndexConfig(attributes=["a", "this.a"]), "Duplicate attribute names"),
        (IndexConfig(attributes=["a", "a"]), "Duplicate attribute name"),
        (IndexConfig(type=IndexType.BITMAP, attributes=["a", "b"]), "Composite bitmap"),
        (IndexConfig(attributes=[f"a{i}" for i in range(256)]), "more than 255"),
    ],
)
def test_normalization_rejects_invalid_indexes(config: IndexConfig, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        IndexUtil.validate_and_normalize("m", config)
