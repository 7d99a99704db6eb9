"""Request messages to encode with the official client, as the reference for our own encoders.

Each case is a JSON-ready dict::

    {"id": str, "codec": str, "params": {name: value, ...}, "correlation_id": int, "partition_id": int}

* ``codec`` is the official client's codec module name without ``_codec`` (``map_put`` for
  ``hazelcast.protocol.codec.map_put_codec``).
* ``params`` are keyed by the official ``encode_request`` parameter names, which are the protocol YAML parameter
  names in snake_case (``thread_id``, ``test_value``, ``trigger_map_loader``...). A ``Data`` parameter is written
  ``{"object": <json value>}`` (the official ``SerializationServiceV1(Config())`` serializes that Python value: str,
  int within int32, float, bool or a list of these); a UUID parameter is ``{"uuid": "<canonical form>"}``; a list of
  Data is a list of such objects; an entry list (``Map.putAll``'s ``entries``) is a list of ``[key, value]`` pairs.
  Everything else is plain JSON (``null`` for an absent nullable string).
* ``partition_id`` is what the official client puts in the header: the key's partition for 271 partitions for
  key-bound requests (checked against the official client by ``test_official_env.py``), -1 otherwise. For
  ``putAll``/``getAll`` every key of one case shares one partition, as the official client groups them that way.

From codec name to protocol message name (see :func:`protocol_message_name`): the codec name is
``<service>_<method>`` with both parts in snake_case. The service is the longest known service name whose snake_case
form, followed by ``_``, prefixes the codec name (``multi_map_put`` is MultiMap, not Map); the rest, re-joined in
lowerCamelCase, is the method, with ``cp``, ``pn`` and ``mc`` written as the acronyms ``CP``, ``PN``, ``MC``. So
``map_put`` -> ``Map.put``, ``map_replace_if_same`` -> ``Map.replaceIfSame``, ``client_add_cluster_view_listener``
-> ``Client.addClusterViewListener``, ``cp_group_create_cp_group`` -> ``CPGroup.createCPGroup``.

:func:`official_encodings` runs ``scripts/official_encode.py`` in the official venv and returns each case's complete
wire bytes (all frames) as lowercase hex.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any, Final, TypedDict

from tests.interop.official_env import SCRIPTS_DIR

__all__ = [
    "CLIENT_CASES",
    "DEFAULT_PARTITION_COUNT",
    "MAP_CASES",
    "REQUEST_CASES",
    "RequestCase",
    "official_encodings",
    "partition_keys",
    "protocol_message_name",
]


class RequestCase(TypedDict):
    """One request to encode; see the module docstring for the meaning of each field."""

    id: str
    codec: str
    params: dict[str, Any]
    correlation_id: int
    partition_id: int


#: The member's default partition count, for which the cases' partition ids were computed.
DEFAULT_PARTITION_COUNT: Final = 271

# Service names of the protocol definitions (one per YAML file).
_SERVICE_NAMES: Final = (
    "AtomicLong", "AtomicRef", "CPGroup", "CPMap", "CPSession", "CPSubsystem", "Cache", "CardinalityEstimator",
    "Client", "ContinuousQuery", "CountDownLatch", "DurableExecutor", "DynamicConfig", "ExecutorService",
    "Experimental", "FencedLock", "FlakeIdGenerator", "Jet", "List", "MC", "Map", "MultiMap", "PNCounter", "Queue",
    "ReplicatedMap", "Ringbuffer", "ScheduledExecutor", "Semaphore", "Set", "Sql", "Topic", "Transaction",
    "TransactionalList", "TransactionalMap", "TransactionalMultiMap", "TransactionalQueue", "TransactionalSet",
    "VectorCollection", "XATransaction",
)  # fmt: skip
# Word boundaries of a CamelCase name: lower/digit→upper, and the last capital of an acronym before a capitalised word.
_WORD_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ACRONYMS: Final = {"cp": "CP", "pn": "PN", "mc": "MC"}


def _snake_case(name: str) -> str:
    return _WORD_BOUNDARY.sub("_", name).lower()


# Longest prefixes first, so "transactional_multi_map_" wins over shorter candidates.
_SERVICE_PREFIXES: Final = sorted(
    ((_snake_case(service) + "_", service) for service in _SERVICE_NAMES), key=lambda item: -len(item[0])
)


def protocol_message_name(codec: str) -> str:
    """Return the protocol's ``"Service.method"`` name of an official codec module name (without ``_codec``)."""
    for prefix, service in _SERVICE_PREFIXES:
        if codec.startswith(prefix) and len(codec) > len(prefix):
            first, *rest = codec[len(prefix) :].split("_")
            method = first + "".join(_ACRONYMS.get(word, word.capitalize()) for word in rest)
            return f"{service}.{method}"
    raise ValueError(f"{codec!r} does not start with a known protocol service name")


def _obj(value: Any) -> dict[str, Any]:
    return {"object": value}


def _uuid(text: str) -> dict[str, str]:
    return {"uuid": text}


def _case(case_id: str, codec: str, params: dict[str, Any], correlation_id: int, partition_id: int = -1) -> RequestCase:
    return RequestCase(id=case_id, codec=codec, params=params, correlation_id=correlation_id, partition_id=partition_id)


# Thread ids as the official client sends them: small task ids and large OS thread idents.
_BIG_THREAD_ID: Final = 140_234_567_890_123
_BIG_CORRELATION_ID: Final = 2**40 + 3
_MAP_SERVICE: Final = "hz:impl:mapService"

MAP_CASES: Final[tuple[RequestCase, ...]] = (
    # wire-protocol.md §15 vector.
    _case("map_put:vector", "map_put",
          {"name": "map", "key": _obj("key-1"), "value": _obj(54), "thread_id": 1, "ttl": -1}, 2, 94),
    _case("map_put:unicode", "map_put",
          {"name": "карта", "key": _obj("ключ-1"), "value": _obj("значение ✓ 🚀"), "thread_id": _BIG_THREAD_ID,
           "ttl": 60_000}, 17, 42),
    _case("map_put:int_key_list_value", "map_put",
          {"name": "interop-map", "key": _obj(12345), "value": _obj([1, "two", 3.5, True]), "thread_id": 7,
           "ttl": 0}, _BIG_CORRELATION_ID, 78),
    _case("map_put:float_value", "map_put",
          {"name": "interop-map", "key": _obj("user:42"), "value": _obj(2.718281828), "thread_id": 1, "ttl": -1},
          4, 14),
    _case("map_get:vector_key", "map_get", {"name": "map", "key": _obj("key-1"), "thread_id": 1}, 3, 94),
    _case("map_get:unicode_key", "map_get", {"name": "地図🗺", "key": _obj("キー🔑"), "thread_id": 1}, 5, 233),
    _case("map_get:negative_int_key", "map_get",
          {"name": "interop-map", "key": _obj(-7), "thread_id": _BIG_THREAD_ID}, 6, 150),
    _case("map_get:empty_string_key", "map_get", {"name": "map", "key": _obj(""), "thread_id": 1}, 7, 11),
    _case("map_set:no_ttl", "map_set",
          {"name": "карта", "key": _obj("ключ-1"), "value": _obj("v"), "thread_id": 1, "ttl": -1}, 8, 42),
    _case("map_set:ttl", "map_set",
          {"name": "interop-map", "key": _obj(12345), "value": _obj(0), "thread_id": 3, "ttl": 1000}, 9, 78),
    _case("map_set:bool_value", "map_set",
          {"name": "interop-map", "key": _obj("order-2024-001"), "value": _obj(False), "thread_id": 1, "ttl": -1},
          10, 203),
    _case("map_remove:string_key", "map_remove", {"name": "map", "key": _obj("key-1"), "thread_id": 1}, 11, 94),
    _case("map_remove:float_key", "map_remove",
          {"name": "interop-map", "key": _obj(3.5), "thread_id": _BIG_THREAD_ID}, 12, 14),
    _case("map_delete:string_key", "map_delete",
          {"name": "interop-map", "key": _obj("order-2024-001"), "thread_id": 1}, 13, 203),
    _case("map_contains_key:string_key", "map_contains_key",
          {"name": "interop-map", "key": _obj("user:42"), "thread_id": 1}, 14, 14),
    _case("map_contains_key:bool_key", "map_contains_key",
          {"name": "map", "key": _obj(True), "thread_id": 2}, 15, 223),
    _case("map_contains_value:unicode", "map_contains_value", {"name": "карта", "value": _obj("значение ✓ 🚀")}, 16),
    _case("map_contains_value:int", "map_contains_value", {"name": "map", "value": _obj(54)}, 18),
    _case("map_put_all:mixed_values", "map_put_all",
          {"name": "interop-map",
           "entries": [[_obj("item-0"), _obj("a")], [_obj("item-289"), _obj(1)],
                       [_obj("item-725"), _obj([1.5, "ü"])]],
           "trigger_map_loader": False}, 19, 96),
    _case("map_put_all:int_keys_trigger_loader", "map_put_all",
          {"name": "map", "entries": [[_obj(0), _obj("zero")], [_obj(369), _obj("369")], [_obj(911), _obj(True)]],
           "trigger_map_loader": True}, 20, 11),
    _case("map_get_all:string_keys", "map_get_all",
          {"name": "interop-map",
           "keys": [_obj("item-0"), _obj("item-289"), _obj("item-725"), _obj("item-1038")]}, 21, 96),
    _case("map_get_all:single_key", "map_get_all", {"name": "map", "keys": [_obj(0)]}, 22, 11),
    _case("map_put_if_absent:basic", "map_put_if_absent",
          {"name": "map", "key": _obj("key-1"), "value": _obj(55), "thread_id": 1, "ttl": -1}, 23, 94),
    _case("map_put_if_absent:unicode_ttl", "map_put_if_absent",
          {"name": "地図🗺", "key": _obj("キー🔑"), "value": _obj("値"), "thread_id": _BIG_THREAD_ID, "ttl": 5000},
          24, 233),
    _case("map_replace:basic", "map_replace",
          {"name": "map", "key": _obj("key-1"), "value": _obj(56), "thread_id": 1}, 25, 94),
    _case("map_replace_if_same:basic", "map_replace_if_same",
          {"name": "map", "key": _obj("key-1"), "test_value": _obj(56), "value": _obj(57), "thread_id": 1}, 26, 94),
    _case("map_replace_if_same:unicode", "map_replace_if_same",
          {"name": "карта", "key": _obj("ключ-1"), "test_value": _obj("старое"), "value": _obj("новое"),
           "thread_id": _BIG_THREAD_ID}, 27, 42),
    _case("map_remove_if_same:basic", "map_remove_if_same",
          {"name": "map", "key": _obj("key-1"), "value": _obj(57), "thread_id": 1}, 28, 94),
    _case("map_size:ascii", "map_size", {"name": "map"}, 29),
    _case("map_size:unicode", "map_size", {"name": "地図🗺"}, 30),
    _case("map_is_empty:ascii", "map_is_empty", {"name": "interop-map"}, 31),
    _case("map_clear:unicode", "map_clear", {"name": "карта"}, 32),
    _case("map_key_set:ascii", "map_key_set", {"name": "map"}, 33),
    _case("map_values:ascii", "map_values", {"name": "interop-map"}, 34),
    _case("map_entry_set:unicode", "map_entry_set", {"name": "地図🗺"}, _BIG_CORRELATION_ID),
)  # fmt: skip

CLIENT_CASES: Final[tuple[RequestCase, ...]] = (
    # wire-protocol.md §10 vector.
    _case("client_authentication:vector", "client_authentication",
          {"cluster_name": "dev", "username": None, "password": None,
           "uuid": _uuid("00000000-0000-0001-0000-000000000002"), "client_type": "PYH", "serialization_version": 1,
           "client_hazelcast_version": "5.7.0", "client_name": "hz.client_0", "labels": []}, 1),
    _case("client_authentication:credentials", "client_authentication",
          {"cluster_name": "prod-cluster", "username": "admin", "password": "pässwörd-🔒",
           "uuid": _uuid("6f1c2d3e-4b5a-4978-8695-a4b3c2d1e0f9"), "client_type": "PYH", "serialization_version": 1,
           "client_hazelcast_version": "5.7.0", "client_name": "hz.client_1",
           "labels": ["region=eu-west", "tier=gold", "ярлык"]}, 1),
    _case("client_ping:first", "client_ping", {}, 3),
    _case("client_ping:big_correlation", "client_ping", {}, _BIG_CORRELATION_ID),
    _case("client_create_proxy:map", "client_create_proxy", {"name": "map", "service_name": _MAP_SERVICE}, 4),
    _case("client_create_proxy:unicode", "client_create_proxy", {"name": "карта", "service_name": _MAP_SERVICE}, 5),
    _case("client_destroy_proxy:map", "client_destroy_proxy", {"name": "地図🗺", "service_name": _MAP_SERVICE}, 6),
    _case("client_add_cluster_view_listener:basic", "client_add_cluster_view_listener", {}, 2),
    _case("client_local_backup_listener:basic", "client_local_backup_listener", {}, 7),
    _case("client_add_distributed_object_listener:cluster_wide", "client_add_distributed_object_listener",
          {"local_only": False}, 8),
    _case("client_add_distributed_object_listener:local_only", "client_add_distributed_object_listener",
          {"local_only": True}, 9),
    _case("client_remove_distributed_object_listener:basic", "client_remove_distributed_object_listener",
          {"registration_id": _uuid("a3b2c1d0-e9f8-4a7b-9c6d-5e4f3a2b1c0d")}, 10),
    _case("client_get_distributed_objects:basic", "client_get_distributed_objects", {}, 11),
)  # fmt: skip

#: Every case, Map slice first.
REQUEST_CASES: Final[tuple[RequestCase, ...]] = MAP_CASES + CLIENT_CASES


def partition_keys(case: RequestCase) -> list[Any]:
    """Return the JSON values of the keys that decide a case's partition (empty when it is not key-bound)."""
    params = case["params"]
    if "key" in params:
        return [params["key"]["object"]]
    if "entries" in params:
        return [entry[0]["object"] for entry in params["entries"]]
    if "keys" in params:
        return [key["object"] for key in params["keys"]]
    return []


def official_encodings(official_python: Path, cases: list[RequestCase] | tuple[RequestCase, ...]) -> dict[str, str]:
    """Encode ``cases`` with the official client; return ``{case id: hex of the complete message}``."""
    completed = subprocess.run(
        [str(official_python), str(SCRIPTS_DIR / "official_encode.py")],
        input=json.dumps(list(cases)),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"official_encode.py failed ({completed.returncode}): {completed.stderr.strip()}")
    encodings: dict[str, str] = json.loads(completed.stdout)
    return encodings
