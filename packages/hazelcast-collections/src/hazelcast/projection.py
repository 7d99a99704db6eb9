"""Projections: what ``Map.project`` returns for each selected entry, computed by the cluster.

``single_attribute("address.city")`` gives that attribute of every entry, ``multi_attribute("name", "age")`` a list
of attributes per entry, ``identity()`` the entries themselves (as :class:`~hazelcast.core.MapEntry`). Attribute
paths are those of :mod:`hazelcast.predicate`, without ``[any]``.

Every projection is an ``IdentifiedDataSerializable`` object with the factory id (-30), class ids and fields a Java
member reads.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from hazelcast.core import MapEntry
from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = ["Projection", "identity", "multi_attribute", "single_attribute"]

PROJECTION_FACTORY_ID = -30

ProjectionType = TypeVar("ProjectionType")


def _check_path(attribute_path: Any) -> str:
    if attribute_path is None:
        raise ValueError("attribute_path must not be None")
    if not isinstance(attribute_path, str):
        raise TypeError(f"attribute_path must be a str, not {type(attribute_path).__name__}")
    if not attribute_path.strip():
        raise ValueError("attribute_path must not be empty")
    if "[any]" in attribute_path:
        raise ValueError(f"a projection's attribute path cannot use [any]: {attribute_path!r}")
    return attribute_path


class Projection(IdentifiedDataSerializable, Generic[ProjectionType]):
    """What to return of each entry; build one with the functions of :mod:`hazelcast.projection`."""

    _CLASS_ID = -1

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        raise NotImplementedError("projections are written by clients and read by members")

    def get_factory_id(self) -> int:
        return PROJECTION_FACTORY_ID

    def get_class_id(self) -> int:
        return self._CLASS_ID


class _SingleAttributeProjection(Projection[Any]):
    _CLASS_ID = 0

    def __init__(self, attribute_path: str) -> None:
        self.attribute_path = _check_path(attribute_path)

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string(self.attribute_path)

    def __repr__(self) -> str:
        return f"single_attribute({self.attribute_path!r})"


class _MultiAttributeProjection(Projection[list[Any]]):
    _CLASS_ID = 1

    def __init__(self, attribute_paths: tuple[str, ...]) -> None:
        if not attribute_paths:
            raise ValueError("multi_attribute needs at least one attribute path")
        self.attribute_paths = [_check_path(path) for path in attribute_paths]

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        object_data_output.write_string_array(self.attribute_paths)

    def __repr__(self) -> str:
        return f"multi_attribute({', '.join(map(repr, self.attribute_paths))})"


class _IdentityProjection(Projection[MapEntry[Any, Any]]):
    _CLASS_ID = 2

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        """Nothing to write."""

    def __repr__(self) -> str:
        return "identity()"


def single_attribute(attribute_path: str) -> Projection[Any]:
    """The value of ``attribute_path`` of each entry."""
    return _SingleAttributeProjection(attribute_path)


def multi_attribute(*attribute_paths: str) -> Projection[list[Any]]:
    """A list of the values of ``attribute_paths`` of each entry."""
    return _MultiAttributeProjection(attribute_paths)


def identity() -> Projection[MapEntry[Any, Any]]:
    """Each entry, as a :class:`~hazelcast.core.MapEntry`."""
    return _IdentityProjection()
