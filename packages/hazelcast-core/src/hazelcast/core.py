"""Public value types shared by the client, the protocol codecs and the embedded member.

Codecs build these types with the snake_case forms of the protocol field names as keyword arguments, and read the
attributes of the same names when encoding, so parameter and attribute names are part of the contract; so is the
positional order, which other callers rely on. Keep all three when changing a type.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

__all__ = [
    "CLIENT_TYPE",
    "SERIALIZATION_VERSION",
    "Address",
    "AddressHelper",
    "DistributedObjectEvent",
    "DistributedObjectEventType",
    "DistributedObjectInfo",
    "EndpointQualifier",
    "HazelcastJsonValue",
    "MapEntry",
    "MemberInfo",
    "MemberVersion",
    "ProtocolType",
    "SimpleEntryView",
]

KeyType = TypeVar("KeyType")
ValueType = TypeVar("ValueType")

CLIENT_TYPE = "PYH"
"""Client type sent when authenticating: the code members use for Python clients."""

SERIALIZATION_VERSION = 1
"""Serialization version sent when authenticating."""

_DEFAULT_PORT = 5701
_PORTS_TRIED_WITHOUT_EXPLICIT_PORT = 3


@dataclass(frozen=True, slots=True)
class Address:
    """A member's network address."""

    host: str
    port: int

    def __str__(self) -> str:
        # IPv6 hosts are bracketed so that the port separator stays unambiguous.
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


class AddressHelper:
    """Parsing of the address strings of ``Config.cluster_members``."""

    @staticmethod
    def address_from_str(address: str, port: int = -1) -> Address:
        """Parse ``host``, ``host:port``, ``[ipv6]``, ``[ipv6]:port`` or a bare IPv6 address.

        ``port`` is used when the string has none; ``-1`` marks "no port given".

        Raises:
            ValueError: the port is not a number.
        """
        address = address.strip()
        if address.startswith("["):
            closing = address.find("]")
            if closing != -1:
                host = address[1:closing]
                rest = address[closing + 1 :]
                if rest.startswith(":") and rest[1:]:
                    port = int(rest[1:])
                return Address(host, port)
        if address.count(":") == 1:
            host, _, port_text = address.partition(":")
            return Address(host, int(port_text))
        # No colon, or several without brackets (a bare IPv6 address): all of it is the host.
        return Address(address, port)

    @staticmethod
    def get_possible_addresses(address: str) -> tuple[list[Address], list[Address]]:
        """Addresses to try for one configured member: ``(primary, secondary)``.

        With an explicit port the primary list holds that address alone. Without one it holds port 5701, and the
        secondary list ports 5702 and 5703, the ports a member picks when 5701 is taken.
        """
        parsed = AddressHelper.address_from_str(address)
        if parsed.port != -1:
            return [parsed], []
        candidates = [Address(parsed.host, _DEFAULT_PORT + offset) for offset in range(_PORTS_TRIED_WITHOUT_EXPLICIT_PORT)]
        return candidates[:1], candidates[1:]


class ProtocolType(enum.IntEnum):
    """Kinds of server sockets a member may open with advanced network configuration."""

    MEMBER = 0
    CLIENT = 1
    WAN = 2
    REST = 3
    MEMCACHE = 4


@dataclass(frozen=True, slots=True)
class EndpointQualifier:
    """Identifies one group of member server sockets: a protocol type plus, where one type has several
    (e.g. WAN endpoints of different target clusters), an identifier.

    ``type`` is kept as the integer received, since a newer member may send a type this client does not know;
    compare it with :class:`ProtocolType` members.
    """

    type: int
    identifier: str | None

    @property
    def protocol_type(self) -> int:
        """The protocol type (the official client's name for ``type``)."""
        return self.type


@dataclass(frozen=True, slots=True, order=True)
class MemberVersion:
    """Hazelcast version of a member's code base; versions order as ``(major, minor, patch)``."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


class MemberInfo:
    """A cluster member: its address, uuid, role, attributes, version and per-endpoint addresses.

    Two ``MemberInfo`` are equal when address and uuid are, as a member keeps both for its lifetime while its other
    fields are informational.
    """

    __slots__ = ("address", "address_map", "attributes", "lite_member", "uuid", "version")

    def __init__(
        self,
        uuid: UUID | None,
        address: Address,
        lite_member: bool,
        attributes: dict[str, str] | None,
        version: MemberVersion,
        address_map: dict[EndpointQualifier, Address] | None = None,
    ) -> None:
        self.uuid = uuid
        """UUID of the member."""
        self.address = address
        """Address the member accepts clients on."""
        self.lite_member = lite_member
        """``True`` for a lite member, which owns no partitions."""
        self.attributes: dict[str, str] = attributes if attributes is not None else {}
        """Attributes configured on the member."""
        self.version = version
        """Hazelcast version of the member."""
        self.address_map: dict[EndpointQualifier, Address] = address_map if address_map is not None else {}
        """Server socket address of the member per endpoint (empty from members older than protocol 2.0.1)."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MemberInfo):
            return NotImplemented
        return self.address == other.address and self.uuid == other.uuid

    def __hash__(self) -> int:
        return hash((self.address, self.uuid))

    def __str__(self) -> str:
        lite = " lite" if self.lite_member else ""
        return f"Member [{self.address.host}]:{self.address.port} - {self.uuid}{lite}"

    def __repr__(self) -> str:
        return (
            f"MemberInfo(uuid={self.uuid!r}, address={self.address!r}, lite_member={self.lite_member!r}, "
            f"attributes={self.attributes!r}, version={self.version!r}, address_map={self.address_map!r})"
        )


@dataclass(frozen=True, slots=True)
class DistributedObjectInfo:
    """Service name and name of a distributed object that exists in the cluster."""

    service_name: str
    name: str


class DistributedObjectEventType(enum.StrEnum):
    """Whether a distributed object was ``CREATED`` or ``DESTROYED``."""

    CREATED = "CREATED"
    DESTROYED = "DESTROYED"


@dataclass(frozen=True, slots=True)
class DistributedObjectEvent:
    """A distributed object was created or destroyed somewhere in the cluster."""

    name: str
    """Name of the distributed object."""
    service_name: str
    """Service of the distributed object, e.g. ``hz:impl:mapService``."""
    event_type: str
    """``CREATED`` or ``DESTROYED`` (see :class:`DistributedObjectEventType`)."""
    source: UUID | None
    """UUID of the member that fired the event."""


@dataclass(frozen=True, slots=True)
class SimpleEntryView(Generic[KeyType, ValueType]):
    """A read-only snapshot of a map entry and its metadata.

    Times are epoch milliseconds; ``ttl`` and ``max_idle`` are milliseconds.
    """

    key: KeyType
    value: ValueType
    cost: int
    """Memory cost of the entry in bytes."""
    creation_time: int
    expiration_time: int
    hits: int
    """How many times the entry was read."""
    last_access_time: int
    last_stored_time: int
    """When the entry was last written to the map store."""
    last_update_time: int
    version: int
    ttl: int
    """Time-to-live last set on the entry."""
    max_idle: int
    """Max-idle time last set on the entry."""


class HazelcastJsonValue:
    """A JSON document that the cluster can query by its fields.

    Built from JSON text (kept as given, not validated: malformed JSON only shows in query results) or from any
    object ``json.dumps`` accepts. Two values are equal when their texts are.
    """

    __slots__ = ("_json_string",)

    def __init__(self, value: Any) -> None:
        if value is None:
            raise TypeError("HazelcastJsonValue needs JSON text or a JSON-serializable object, not None")
        self._json_string: str = value if isinstance(value, str) else json.dumps(value)

    @property
    def value(self) -> str:
        """The JSON text, under the protocol's field name."""
        return self._json_string

    def to_string(self) -> str:
        """The JSON text, exactly as stored."""
        return self._json_string

    def loads(self) -> Any:
        """Parse the JSON text into Python objects."""
        return json.loads(self._json_string)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, HazelcastJsonValue):
            return self._json_string == other._json_string
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._json_string)

    def __repr__(self) -> str:
        return f"HazelcastJsonValue({self._json_string!r})"

    def __str__(self) -> str:
        return self._json_string


class MapEntry(Generic[KeyType, ValueType]):
    """A key and a value of a map.

    Both default to ``None`` because deserialization creates the entry first and fills it afterwards.
    """

    __slots__ = ("_key", "_value")

    def __init__(self, key: KeyType | None = None, value: ValueType | None = None) -> None:
        self._key = key
        self._value = value

    @property
    def key(self) -> KeyType:
        """Key of the entry."""
        return self._key  # type: ignore[return-value]

    @property
    def value(self) -> ValueType:
        """Value of the entry."""
        return self._value  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MapEntry):
            return NotImplemented
        return self._key == other._key and self._value == other._value

    def __hash__(self) -> int:
        return hash((self._key, self._value))

    def __repr__(self) -> str:
        return f"MapEntry(key={self._key!r}, value={self._value!r})"
