"""Tests of hazelcast.core value types: construction order, equality, hashing, repr, and address parsing."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from hazelcast.core import (
    Address,
    AddressHelper,
    DistributedObjectEvent,
    DistributedObjectEventType,
    DistributedObjectInfo,
    EndpointQualifier,
    HazelcastJsonValue,
    MapEntry,
    MemberInfo,
    MemberVersion,
    ProtocolType,
    SimpleEntryView,
)

MEMBER_UUID = uuid.UUID("11111111-2222-3333-4444-555555555555")


def _member(**changes: object) -> MemberInfo:
    fields: dict[str, object] = {
        "uuid": MEMBER_UUID,
        "address": Address("10.0.0.1", 5701),
        "lite_member": False,
        "attributes": {"zone": "a"},
        "version": MemberVersion(5, 3, 0),
        "address_map": {EndpointQualifier(ProtocolType.CLIENT, None): Address("10.0.0.1", 5701)},
    }
    fields.update(changes)
    return MemberInfo(**fields)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------------------------------
# Address


def test_address_equality_hash_and_repr() -> None:
    assert Address("localhost", 5701) == Address("localhost", 5701)
    assert Address("localhost", 5701) != Address("localhost", 5702)
    assert len({Address("a", 1), Address("a", 1), Address("b", 1)}) == 2
    assert repr(Address("localhost", 5701)) == "Address(host='localhost', port=5701)"


def test_address_str_brackets_ipv6() -> None:
    assert str(Address("10.0.0.1", 5701)) == "10.0.0.1:5701"
    assert str(Address("::1", 5701)) == "[::1]:5701"


def test_address_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Address("a", 1).port = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("localhost", Address("localhost", -1)),
        ("localhost:5702", Address("localhost", 5702)),
        (" 10.0.0.1:6000 ", Address("10.0.0.1", 6000)),
        ("[::1]", Address("::1", -1)),
        ("[::1]:5703", Address("::1", 5703)),
        ("fe80::1", Address("fe80::1", -1)),
    ],
)
def test_address_from_str(text: str, expected: Address) -> None:
    assert AddressHelper.address_from_str(text) == expected


def test_address_from_str_rejects_a_non_numeric_port() -> None:
    with pytest.raises(ValueError):
        AddressHelper.address_from_str("host:port")


def test_possible_addresses() -> None:
    assert AddressHelper.get_possible_addresses("h:6000") == ([Address("h", 6000)], [])
    assert AddressHelper.get_possible_addresses("h") == (
        [Address("h", 5701)],
        [Address("h", 5702), Address("h", 5703)],
    )


# ----------------------------------------------------------------------------------------------------------------------
# Versions, endpoints, members


def test_member_version_order_equality_and_str() -> None:
    assert MemberVersion(5, 3, 0) == MemberVersion(5, 3, 0)
    assert MemberVersion(5, 2, 9) < MemberVersion(5, 3, 0) < MemberVersion(5, 3, 1) < MemberVersion(6, 0, 0)
    assert hash(MemberVersion(5, 3, 0)) == hash(MemberVersion(5, 3, 0))
    assert str(MemberVersion(5, 3, 2)) == "5.3.2"
    assert repr(MemberVersion(5, 3, 2)) == "MemberVersion(major=5, minor=3, patch=2)"


def test_endpoint_qualifier() -> None:
    qualifier = EndpointQualifier(ProtocolType.WAN, "tokyo")
    assert (qualifier.type, qualifier.protocol_type, qualifier.identifier) == (2, 2, "tokyo")
    # Codecs build it with protocol field names as keywords.
    assert EndpointQualifier(type=2, identifier="tokyo") == qualifier
    assert EndpointQualifier(2, "osaka") != qualifier
    assert len({qualifier, EndpointQualifier(2, "tokyo"), EndpointQualifier(1, None)}) == 2
    assert "tokyo" in repr(qualifier)


def test_endpoint_qualifier_keeps_unknown_protocol_types() -> None:
    assert EndpointQualifier(42, None).type == 42


def test_protocol_type_values() -> None:
    assert [(t.name, t.value) for t in ProtocolType] == [
        ("MEMBER", 0),
        ("CLIENT", 1),
        ("WAN", 2),
        ("REST", 3),
        ("MEMCACHE", 4),
    ]


def test_member_info_positional_order() -> None:
    address, version = Address("h", 5701), MemberVersion(5, 4, 0)
    member = MemberInfo(MEMBER_UUID, address, True, {"k": "v"}, version, {})
    assert member.uuid == MEMBER_UUID
    assert member.address is address
    assert member.lite_member is True
    assert member.attributes == {"k": "v"}
    assert member.version is version
    assert member.address_map == {}


def test_member_info_from_protocol_keywords() -> None:
    member = _member()
    assert member.address == Address("10.0.0.1", 5701)
    assert member.address_map[EndpointQualifier(1, None)] == Address("10.0.0.1", 5701)


def test_member_info_defaults_for_missing_maps() -> None:
    member = MemberInfo(MEMBER_UUID, Address("h", 1), False, None, MemberVersion(5, 0, 0))
    assert member.attributes == {}
    assert member.address_map == {}


def test_member_info_equality_is_by_address_and_uuid() -> None:
    assert _member() == _member(attributes={}, lite_member=True, version=MemberVersion(5, 4, 0))
    assert _member() != _member(uuid=uuid.uuid4())
    assert _member() != _member(address=Address("10.0.0.2", 5701))
    assert hash(_member()) == hash(_member(attributes={"other": "x"}))
    assert _member() != "member"


def test_member_info_str_and_repr() -> None:
    assert str(_member()) == f"Member [10.0.0.1]:5701 - {MEMBER_UUID}"
    assert str(_member(lite_member=True)) == f"Member [10.0.0.1]:5701 - {MEMBER_UUID} lite"
    text = repr(_member())
    assert text.startswith("MemberInfo(uuid=UUID('11111111-2222-3333-4444-555555555555')")
    assert "lite_member=False" in text and "'zone': 'a'" in text


def test_member_info_has_no_instance_dict() -> None:
    with pytest.raises(AttributeError):
        _member().nickname = "x"  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------------------------------
# Distributed objects


def test_distributed_object_info() -> None:
    info = DistributedObjectInfo("hz:impl:mapService", "orders")
    assert (info.service_name, info.name) == ("hz:impl:mapService", "orders")
    assert info == DistributedObjectInfo(service_name="hz:impl:mapService", name="orders")
    assert info != DistributedObjectInfo("hz:impl:queueService", "orders")
    assert len({info, DistributedObjectInfo("hz:impl:mapService", "orders")}) == 1
    assert repr(info) == "DistributedObjectInfo(service_name='hz:impl:mapService', name='orders')"


def test_distributed_object_event() -> None:
    event = DistributedObjectEvent("orders", "hz:impl:mapService", DistributedObjectEventType.CREATED, MEMBER_UUID)
    assert (event.name, event.service_name, event.source) == ("orders", "hz:impl:mapService", MEMBER_UUID)
    assert event.event_type == "CREATED"
    assert event == DistributedObjectEvent("orders", "hz:impl:mapService", "CREATED", MEMBER_UUID)
    assert "orders" in repr(event)
    assert [t.value for t in DistributedObjectEventType] == ["CREATED", "DESTROYED"]


# ----------------------------------------------------------------------------------------------------------------------
# Entry views and entries


def test_simple_entry_view_positional_order() -> None:
    view = SimpleEntryView("k", "v", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    assert (view.key, view.value) == ("k", "v")
    assert (
        view.cost,
        view.creation_time,
        view.expiration_time,
        view.hits,
        view.last_access_time,
        view.last_stored_time,
        view.last_update_time,
        view.version,
        view.ttl,
        view.max_idle,
    ) == (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


def test_simple_entry_view_equality_hash_repr() -> None:
    view = SimpleEntryView("k", "v", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    assert view == SimpleEntryView("k", "v", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    assert view != SimpleEntryView("k", "v", 1, 2, 3, 5, 5, 6, 7, 8, 9, 10)
    assert hash(view) == hash(SimpleEntryView("k", "v", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
    assert repr(view).startswith("SimpleEntryView(key='k', value='v', cost=1, creation_time=2")
    assert repr(view).endswith("ttl=9, max_idle=10)")


def test_map_entry() -> None:
    entry = MapEntry("k", [1])
    assert (entry.key, entry.value) == ("k", [1])
    assert entry == MapEntry("k", [1])
    assert entry != MapEntry("k", [2])
    assert repr(entry) == "MapEntry(key='k', value=[1])"
    assert hash(MapEntry("a", 1)) == hash(MapEntry("a", 1))
    empty = MapEntry()
    assert (empty.key, empty.value) == (None, None)


# ----------------------------------------------------------------------------------------------------------------------
# HazelcastJsonValue


def test_json_value_keeps_strings_as_given() -> None:
    text = '{"b": 1,   "a": [true, null]}'
    value = HazelcastJsonValue(text)
    assert value.to_string() == text
    assert value.value == text
    assert str(value) == text
    assert value.loads() == {"b": 1, "a": [True, None]}


def test_json_value_serializes_objects() -> None:
    value = HazelcastJsonValue({"name": "x", "tags": [1, 2]})
    assert value.loads() == {"name": "x", "tags": [1, 2]}
    assert HazelcastJsonValue(5).to_string() == "5"
    assert HazelcastJsonValue([1, "a"]).loads() == [1, "a"]


def test_json_value_does_not_validate_strings() -> None:
    assert HazelcastJsonValue("{not json").to_string() == "{not json"


def test_json_value_rejects_none_and_unserializable_objects() -> None:
    with pytest.raises(TypeError):
        HazelcastJsonValue(None)
    with pytest.raises(TypeError):
        HazelcastJsonValue({"s": {1, 2}})


def test_json_value_equality_is_by_text() -> None:
    assert HazelcastJsonValue('{"a":1}') == HazelcastJsonValue('{"a":1}')
    assert HazelcastJsonValue('{"a":1}') != HazelcastJsonValue('{"a": 1}')
    assert HazelcastJsonValue({"a": 1}) == HazelcastJsonValue('{"a": 1}')
    assert HazelcastJsonValue("1") != "1"
    assert len({HazelcastJsonValue("1"), HazelcastJsonValue("1"), HazelcastJsonValue("2")}) == 2


def test_json_value_repr() -> None:
    assert repr(HazelcastJsonValue('{"a": 1}')) == "HazelcastJsonValue('{\"a\": 1}')"
