"""Our request encoders produce the same wire bytes as the official hazelcast-python-client 5.7.0.

Every case of ``request_cases.REQUEST_CASES`` (plus the ``Client.authenticationCustom`` cases below, which the shared
catalogue lacks) is encoded twice: by the official codec's ``encode_request`` in the official venv, and by our codec
(``hazelcast.protocol.method``) with the same parameters, Data serialized by our ``SerializationService``.

One difference is expected and asserted byte for byte rather than hidden: the official 5.7.0 authentication codecs
predate protocol 2.8 and do not send ``routingMode`` (byte) and ``cpDirectToLeaderRouting`` (boolean). Ours append them
to the initial frame after ``serializationVersion`` (wire-protocol.md §10), so our message is the official one with
those two bytes inserted at the end of the initial frame and that frame's length raised by 2. A member older than 2.8
ignores the surplus bytes, a 2.8 member reads them; both are compatible.
"""

from __future__ import annotations

import struct
import uuid
from pathlib import Path
from typing import Any

import pytest

from hazelcast import protocol
from hazelcast.config import Config
from hazelcast.protocol import MethodCodec
from hazelcast.protocol.frames import set_correlation_id, set_partition_id
from hazelcast.serialization import SerializationService
from tests.interop.request_cases import REQUEST_CASES, RequestCase, official_encodings, protocol_message_name

pytestmark = pytest.mark.interop

#: Messages whose official 5.7.0 codec lacks the protocol 2.8 parameters.
AUTHENTICATION_MESSAGES = frozenset({"Client.authentication", "Client.authenticationCustom"})
#: The protocol 2.8 parameters of both authentication messages, in protocol order.
PROTOCOL_2_8_AUTH_PARAMS = ("routing_mode", "cp_direct_to_leader_routing")
# What our client sends with smart routing (``_internal/connection.py``): SMART = 1, no CP direct-to-leader routing.
_SMART_ROUTING_AUTH_VALUES = (1, False)

# Client.authenticationCustom is absent from the shared catalogue; ``credentials`` (byteArray) is written as a list of
# byte values, which the official ``ByteArrayCodec`` writes as they are and this test turns into ``bytes`` for ours.
AUTHENTICATION_CUSTOM_CASES: tuple[RequestCase, ...] = (
    RequestCase(
        id="client_authentication_custom:token",
        codec="client_authentication_custom",
        params={
            "cluster_name": "dev",
            "credentials": list(b"\x00\x01secret-token\xfe\xff"),
            "uuid": {"uuid": "00000000-0000-0001-0000-000000000002"},
            "client_type": "PYH",
            "serialization_version": 1,
            "client_hazelcast_version": "5.7.0",
            "client_name": "hz.client_0",
            "labels": ["team=interop"],
        },
        correlation_id=1,
        partition_id=-1,
    ),
    RequestCase(
        id="client_authentication_custom:empty_credentials",
        codec="client_authentication_custom",
        params={
            "cluster_name": "кластер",
            "credentials": [],
            "uuid": {"uuid": "6f1c2d3e-4b5a-4978-8695-a4b3c2d1e0f9"},
            "client_type": "PYH",
            "serialization_version": 1,
            "client_hazelcast_version": "5.7.0",
            "client_name": "hz.client_7",
            "labels": [],
        },
        correlation_id=2**40 + 3,
        partition_id=-1,
    ),
)
ALL_CASES: tuple[RequestCase, ...] = REQUEST_CASES + AUTHENTICATION_CUSTOM_CASES

_SERIALIZATION = SerializationService(Config())
_INT32 = struct.Struct("<i")


def _message_name(case: RequestCase) -> str:
    return protocol_message_name(case["codec"])


AUTHENTICATION_CASES = [case for case in ALL_CASES if _message_name(case) in AUTHENTICATION_MESSAGES]
OTHER_CASES = [case for case in ALL_CASES if _message_name(case) not in AUTHENTICATION_MESSAGES]


def _ids(cases: list[RequestCase]) -> list[str]:
    return [case["id"] for case in cases]


@pytest.fixture(scope="module")
def official_bytes(official_python: Path) -> dict[str, bytes]:
    """The official encoding of every case, produced by one run of the official encoder script."""
    return {case_id: bytes.fromhex(text) for case_id, text in official_encodings(official_python, ALL_CASES).items()}


def _to_our_value(value: Any, protocol_type: str) -> Any:
    """The JSON form of a parameter as our encoder takes it (the same conventions as ``official_encode.py``)."""
    if isinstance(value, dict):
        if set(value) == {"object"}:
            return _SERIALIZATION.to_data(value["object"])
        if set(value) == {"uuid"}:
            return uuid.UUID(value["uuid"])
        raise ValueError(f"unexpected JSON object parameter {value!r}")
    if protocol_type == "byteArray":
        return bytes(value)
    if isinstance(value, list):
        return [_to_our_value(item, "") for item in value]
    return value


def _encode_ours(case: RequestCase, protocol_2_8_values: tuple[int, bool] = _SMART_ROUTING_AUTH_VALUES) -> bytes:
    """Encode ``case`` with our codec; the authentication messages get ``protocol_2_8_values`` for their 2.8 fields.

    The case's parameters must name exactly our encoder's parameters, except that the authentication cases (written
    for the 5.7.0 codec) lack the two protocol 2.8 parameters; anything else missing or surplus fails the test.
    """
    codec: MethodCodec = protocol.method(_message_name(case))
    params = case["params"]
    surplus = set(params) - set(codec.request_names)
    assert not surplus, f"{case['id']}: parameters unknown to our {codec.spec.name} encoder: {sorted(surplus)}"
    missing = [name for name in codec.request_names if name not in params]
    if codec.spec.name in AUTHENTICATION_MESSAGES:
        assert tuple(missing) == PROTOCOL_2_8_AUTH_PARAMS, case["id"]
        assert [param.since for param in codec.spec.request if param.py_name in missing] == ["2.8", "2.8"]
        supplied = dict(zip(PROTOCOL_2_8_AUTH_PARAMS, protocol_2_8_values))
    else:
        assert not missing, f"{case['id']}: the case lacks parameters of our {codec.spec.name} encoder: {missing}"
        supplied = {}
    types = {param.py_name: param.type for param in codec.spec.request}
    arguments = [
        supplied[name] if name in supplied else _to_our_value(params[name], types[name]) for name in codec.request_names
    ]
    buffer = codec.encode_request(*arguments)
    set_correlation_id(buffer, case["correlation_id"])
    set_partition_id(buffer, case["partition_id"])
    return bytes(buffer)


def _with_initial_frame_extension(official: bytes, extension: bytes) -> bytes:
    """``official`` with ``extension`` appended to the content of its initial frame (frame length adjusted)."""
    initial_length = _INT32.unpack_from(official, 0)[0]
    return (
        _INT32.pack(initial_length + len(extension))
        + official[4:initial_length]
        + extension
        + official[initial_length:]
    )


def test_cases_cover_both_authentication_messages_and_the_rest() -> None:
    assert {_message_name(case) for case in AUTHENTICATION_CASES} == AUTHENTICATION_MESSAGES
    assert len(OTHER_CASES) + len(AUTHENTICATION_CASES) == len(ALL_CASES)
    assert {case["id"] for case in REQUEST_CASES} <= {case["id"] for case in ALL_CASES}


@pytest.mark.parametrize("case", OTHER_CASES, ids=_ids(OTHER_CASES))
def test_request_bytes_equal_official(case: RequestCase, official_bytes: dict[str, bytes]) -> None:
    ours = _encode_ours(case)
    official = official_bytes[case["id"]]
    assert ours.hex() == official.hex()


@pytest.mark.parametrize("case", AUTHENTICATION_CASES, ids=_ids(AUTHENTICATION_CASES))
def test_authentication_differs_only_by_the_protocol_2_8_fields(
    case: RequestCase, official_bytes: dict[str, bytes]
) -> None:
    official = official_bytes[case["id"]]
    ours = _encode_ours(case)
    # The official 5.7.0 initial frame ends with serializationVersion: header 6 + type 4 + correlation 8 +
    # partition 4 + uuid 17 + byte 1 = 40. Ours carries routingMode and cpDirectToLeaderRouting after it.
    assert _INT32.unpack_from(official, 0)[0] == 40
    assert _INT32.unpack_from(ours, 0)[0] == 42
    assert len(ours) == len(official) + 2
    assert ours.hex() == _with_initial_frame_extension(official, b"\x01\x00").hex()


@pytest.mark.parametrize(
    ("routing_mode", "cp_direct_to_leader_routing", "extension"),
    [(0, False, b"\x00\x00"), (1, True, b"\x01\x01"), (2, False, b"\x02\x00"), (2, True, b"\x02\x01")],
    ids=["unisocket", "smart-cp-direct", "subset", "subset-cp-direct"],
)
def test_authentication_2_8_fields_follow_serialization_version_in_protocol_order(
    official_bytes: dict[str, bytes], routing_mode: int, cp_direct_to_leader_routing: bool, extension: bytes
) -> None:
    for case in AUTHENTICATION_CASES:
        ours = _encode_ours(case, (routing_mode, cp_direct_to_leader_routing))
        assert ours.hex() == _with_initial_frame_extension(official_bytes[case["id"]], extension).hex(), case["id"]


def test_authentication_vector_of_wire_protocol_section_10_with_2_8_fields(official_bytes: dict[str, bytes]) -> None:
    # wire-protocol.md §10: with the 2.8 fields the vector's initial frame ends "01 01 00" (serializationVersion 1,
    # routingMode SMART, cpDirectToLeaderRouting false).
    case = next(case for case in AUTHENTICATION_CASES if case["id"] == "client_authentication:vector")
    ours = _encode_ours(case)
    initial_frame = ours[: _INT32.unpack_from(ours, 0)[0]]
    assert initial_frame.hex() == (
        "2a000000" "00c0" "00010000" "0100000000000000" "ffffffff" "00" "0100000000000000" "0200000000000000" "010100"
    )  # fmt: skip
    assert ours[len(initial_frame) :] == official_bytes[case["id"]][40:]
