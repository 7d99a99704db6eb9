"""Store a JSON, a Compact and a Portable value (and a Compact key) with the official asyncio client.

Run by the interpreter of the official hazelcast-python-client venv (``tests/interop/official_env.py``)::

    python official_extraction_values.py --members 127.0.0.1:5701 --cluster-name dev --timeout 20

The values are written exactly as the official client serializes them (the Compact schemas are replicated to the
cluster with Client.sendSchema first), so that the member's attribute extraction can be checked against them. Every
value goes under the key ``"ann"`` of its own map:

* ``extraction-json``: a HazelcastJsonValue with nested objects and arrays;
* ``extraction-compact``: a Compact ``Person`` with a nested ``Address``, an array of addresses with a null item,
  string, int32 and nullable int32 arrays and a null nullable int32;
* ``extraction-portable``: a Portable ``Person`` (factory 7) with a nested Portable address, a Portable array,
  string and int arrays;
* ``extraction-compact-key``: the value ``"v"`` under a Compact ``Address`` key.

Each value is read back with ``get`` to check that the cluster returns it unchanged. The script prints one JSON line,
``{"ok": true}`` or ``{"ok": false, "failed": "...", "detail": "..."}``, and exits 0 only in the first case.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
from typing import Any

from hazelcast.asyncio import HazelcastClient
from hazelcast.core import HazelcastJsonValue
from hazelcast.serialization.api import CompactReader, CompactSerializer, CompactWriter, Portable

PORTABLE_FACTORY = 7
JSON_DOCUMENT = {
    "name": "Ann",
    "age": 31,
    "address": {"city": "Oslo", "geo": {"lat": 59.9}},
    "tags": ["a", "b"],
    "orders": [{"id": 1, "total": 5.5}, {"id": 2}, {"id": 3, "total": 7}],
}


class Address:
    def __init__(self, city: str, zip_code: int) -> None:
        self.city = city
        self.zip_code = zip_code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Address) and (self.city, self.zip_code) == (other.city, other.zip_code)


class Person:
    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Person) and self.__dict__ == other.__dict__


class AddressSerializer(CompactSerializer[Address]):
    def read(self, reader: CompactReader) -> Address:
        return Address(reader.read_string("city"), reader.read_int32("zip"))

    def write(self, writer: CompactWriter, obj: Address) -> None:
        writer.write_string("city", obj.city)
        writer.write_int32("zip", obj.zip_code)

    def get_class(self) -> type[Address]:
        return Address

    def get_type_name(self) -> str:
        return "Address"


class PersonSerializer(CompactSerializer[Person]):
    def read(self, reader: CompactReader) -> Person:
        return Person(
            name=reader.read_string("name"),
            age=reader.read_nullable_int32("age"),
            address=reader.read_compact("address"),
            tags=reader.read_array_of_string("tags"),
            previous=reader.read_array_of_compact("previous"),
            scores=reader.read_array_of_int32("scores"),
            bonuses=reader.read_array_of_nullable_int32("bonuses"),
        )

    def write(self, writer: CompactWriter, obj: Person) -> None:
        writer.write_string("name", obj.name)
        writer.write_nullable_int32("age", obj.age)
        writer.write_compact("address", obj.address)
        writer.write_array_of_string("tags", obj.tags)
        writer.write_array_of_compact("previous", obj.previous)
        writer.write_array_of_int32("scores", obj.scores)
        writer.write_array_of_nullable_int32("bonuses", obj.bonuses)

    def get_class(self) -> type[Person]:
        return Person

    def get_type_name(self) -> str:
        return "Person"


class PortableAddress(Portable):
    def __init__(self, city: str = "", zip_code: int = 0) -> None:
        self.city = city
        self.zip_code = zip_code

    def write_portable(self, writer: Any) -> None:
        writer.write_string("city", self.city)
        writer.write_int("zip", self.zip_code)

    def read_portable(self, reader: Any) -> None:
        self.city = reader.read_string("city")
        self.zip_code = reader.read_int("zip")

    def get_factory_id(self) -> int:
        return PORTABLE_FACTORY

    def get_class_id(self) -> int:
        return 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PortableAddress) and (self.city, self.zip_code) == (other.city, other.zip_code)


class PortablePerson(Portable):
    def __init__(self, name: str = "", age: int = 0, address: Any = None, previous: Any = None, tags: Any = None,
                 scores: Any = None) -> None:
        self.name = name
        self.age = age
        self.address = address
        self.previous = previous
        self.tags = tags
        self.scores = scores

    def write_portable(self, writer: Any) -> None:
        writer.write_string("name", self.name)
        writer.write_int("age", self.age)
        writer.write_portable("address", self.address)
        writer.write_portable_array("previous", self.previous)
        writer.write_string_array("tags", self.tags)
        writer.write_int_array("scores", self.scores)

    def read_portable(self, reader: Any) -> None:
        self.name = reader.read_string("name")
        self.age = reader.read_int("age")
        self.address = reader.read_portable("address")
        self.previous = reader.read_portable_array("previous")
        self.tags = reader.read_string_array("tags")
        self.scores = reader.read_int_array("scores")

    def get_factory_id(self) -> int:
        return PORTABLE_FACTORY

    def get_class_id(self) -> int:
        return 2

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PortablePerson) and self.__dict__ == other.__dict__


def entries() -> list[tuple[str, Any, Any]]:
    compact_person = Person(
        name="Ann",
        age=None,
        address=Address("Oslo", 150),
        tags=["a", None, "c"],
        previous=[Address("Bergen", 5003), None, Address("Tromso", 9008)],
        scores=[10, 20, 30],
        bonuses=[4, None],
    )
    portable_person = PortablePerson(
        name="Ann",
        age=31,
        address=PortableAddress("Oslo", 150),
        previous=[PortableAddress("Bergen", 5003), PortableAddress("Tromso", 9008)],
        tags=["a", "b"],
        scores=[10, 20, 30],
    )
    return [
        ("extraction-json", "ann", HazelcastJsonValue(JSON_DOCUMENT)),
        ("extraction-compact", "ann", compact_person),
        ("extraction-portable", "ann", portable_person),
        ("extraction-compact-key", Address("Oslo", 150), "v"),
    ]


async def store_all(members: list[str], cluster_name: str, timeout: float) -> None:
    client = await HazelcastClient.create_and_start(
        cluster_members=members,
        cluster_name=cluster_name,
        cluster_connect_timeout=timeout,
        invocation_timeout=timeout,
        statistics_enabled=False,
        compact_serializers=[AddressSerializer(), PersonSerializer()],
        portable_factories={PORTABLE_FACTORY: {1: PortableAddress, 2: PortablePerson}},
    )
    try:
        for map_name, key, value in entries():
            hz_map = await client.get_map(map_name)
            await hz_map.set(key, value)
            back = await hz_map.get(key)
            if back != value:
                raise AssertionError(f"{map_name}: read back {back!r}, stored {value!r}")
    finally:
        await client.shutdown()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Store query test values with the official asyncio client.")
    parser.add_argument("--members", required=True, help="host:port[,host:port...]")
    parser.add_argument("--cluster-name", default="dev")
    parser.add_argument("--timeout", type=float, default=30.0, help="hard limit for the whole run, in seconds")
    args = parser.parse_args(argv)
    args.member_list = [member.strip() for member in args.members.split(",") if member.strip()]
    return args


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    try:
        await asyncio.wait_for(store_all(args.member_list, args.cluster_name, args.timeout), timeout=args.timeout)
    except TimeoutError:
        return {"ok": False, "failed": "timeout", "detail": f"not done within {args.timeout} s"}
    except Exception as error:  # noqa: BLE001 - any failure becomes the one-line report
        return {"ok": False, "failed": "exception", "detail": "".join(traceback.format_exception(error)).strip()}
    return {"ok": True}


def main(argv: list[str] | None = None) -> int:
    result = asyncio.run(main_async(parse_args(argv)))
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
