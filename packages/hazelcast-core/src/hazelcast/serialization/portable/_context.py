"""The registry of Portable class definitions, and the reading of a class definition out of Portable data.

Definitions come from three places: ``Config.class_definitions``, the first write of each Portable class
(its ``write_portable`` run against a ``ClassDefinitionWriter``), and data read from the cluster, which
carries every field's name and type and so describes its own class.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.api import ObjectDataInput
from hazelcast.serialization.portable.classdef import ClassDefinition, FieldDefinition, FieldType

__all__ = ["PortableContext", "read_class_definition"]

ClassKey = tuple[int, int, int]
"""Factory id, class id, version."""


class PortableContext:
    """Class definitions by factory id, class id and version, and the version of each Portable class."""

    __slots__ = ("_class_defs", "portable_version")

    def __init__(self, portable_version: int) -> None:
        self.portable_version = portable_version
        self._class_defs: dict[ClassKey, ClassDefinition] = {}

    def version_of(self, portable: Any) -> int:
        """``portable.get_class_version()`` when the class defines it, else ``Config.portable_version``."""
        get_class_version = getattr(portable, "get_class_version", None)
        if get_class_version is None:
            return self.portable_version
        version: int = get_class_version()
        return version

    def lookup(self, factory_id: int, class_id: int, version: int) -> ClassDefinition | None:
        return self._class_defs.get((factory_id, class_id, version))

    def register(self, class_def: ClassDefinition) -> ClassDefinition:
        """Register ``class_def`` and return the registered definition of its key.

        Raises:
            HazelcastSerializationError: another definition with different fields has the same key.
        """
        class_def.set_version_if_not_set(self.portable_version)
        key = (class_def.factory_id, class_def.class_id, class_def.version)
        current = self._class_defs.setdefault(key, class_def)
        if current is not class_def and current != class_def:
            raise HazelcastSerializationError(
                f"incompatible class definitions for factory id {key[0]}, class id {key[1]}, version {key[2]}: "
                f"{class_def!r} differs from the registered {current!r}; give the changed class a new version"
            )
        return current

    def register_configured(self, class_defs: Iterable[ClassDefinition], check_errors: bool) -> None:
        """Register ``Config.class_definitions``.

        Raises:
            HazelcastSerializationError: two definitions share a factory and class id, or (when
                ``check_errors``) a nested Portable field names a class that has no definition in the list.
        """
        by_ids: dict[tuple[int, int], ClassDefinition] = {}
        for class_def in class_defs:
            ids = (class_def.factory_id, class_def.class_id)
            if ids in by_ids:
                raise HazelcastSerializationError(
                    f"Config.class_definitions holds two definitions of factory id {ids[0]}, class id {ids[1]}"
                )
            by_ids[ids] = class_def
        for class_def in by_ids.values():
            if check_errors:
                for field in class_def.fields_by_index():
                    is_nested = field.field_type in (FieldType.PORTABLE, FieldType.PORTABLE_ARRAY)
                    if is_nested and (field.factory_id, field.class_id) not in by_ids:
                        raise HazelcastSerializationError(
                            f"field {field.field_name!r} of class definition {class_def.factory_id}:"
                            f"{class_def.class_id} holds Portables of factory id {field.factory_id}, class id "
                            f"{field.class_id}, which Config.class_definitions does not define (or set "
                            f"Config.check_class_definition_errors to False)"
                        )
            self.register(class_def)

    def definition_from_data(
        self, inp: ObjectDataInput, factory_id: int, class_id: int, version: int
    ) -> ClassDefinition:
        """The registered definition of the key, or the one the data describes (registered when complete)."""
        class_def = self._class_defs.get((factory_id, class_id, version))
        if class_def is not None:
            return class_def
        found: list[ClassDefinition] = []
        class_def = read_class_definition(inp, factory_id, class_id, version, found)
        for complete in found:
            registered = self.register(complete)
            if complete is class_def:
                class_def = registered
        return class_def


def read_class_definition(
    inp: ObjectDataInput, factory_id: int, class_id: int, version: int, complete: list[ClassDefinition] | None = None
) -> ClassDefinition:
    """Rebuild the class definition of the Portable body at ``inp``'s position (just after its version).

    ``complete`` collects the definitions found (this one and nested ones, nested first) whose every field is
    fully known: a null nested Portable or an empty Portable array carries its class's ids but not its
    version. The stream position is left unchanged.
    """
    start = inp.position()
    try:
        return _read(inp, factory_id, class_id, version, [] if complete is None else complete)
    finally:
        inp.set_position(start)


def _read(
    inp: ObjectDataInput, factory_id: int, class_id: int, version: int, complete: list[ClassDefinition]
) -> ClassDefinition:
    inp.read_int()  # end of the body, not needed here
    field_count = inp.read_int()
    if field_count < 0:
        raise HazelcastSerializationError(f"malformed Portable data: field count {field_count}")
    table = inp.position()
    class_def = ClassDefinition(factory_id, class_id, version)
    is_complete = True
    for index in range(field_count):
        inp.set_position(table + 4 * index)
        inp.set_position(inp.read_int())
        name_length = inp.read_short()
        if name_length < 0:
            raise HazelcastSerializationError(f"malformed Portable data: field name length {name_length}")
        name = bytearray(name_length)
        inp.read_into(name)
        field_type = inp.read_byte()
        nested_factory_id = nested_class_id = 0
        field_version = version
        if field_type == FieldType.PORTABLE:
            is_null = inp.read_boolean()
            nested_factory_id = inp.read_int()
            nested_class_id = inp.read_int()
            if is_null:
                is_complete = False
            else:
                field_version = inp.read_int()
                _read(inp, nested_factory_id, nested_class_id, field_version, complete)
        elif field_type == FieldType.PORTABLE_ARRAY:
            length = inp.read_int()
            nested_factory_id = inp.read_int()
            nested_class_id = inp.read_int()
            if length > 0:
                inp.set_position(inp.read_int())
                field_version = inp.read_int()
                _read(inp, nested_factory_id, nested_class_id, field_version, complete)
            else:
                is_complete = False
        # Java writes one byte per character; Latin-1 maps each byte back to that character.
        field = FieldDefinition(
            index, name.decode("latin-1"), field_type, field_version, nested_factory_id, nested_class_id
        )
        if field.field_name in class_def.field_defs:
            raise HazelcastSerializationError(f"malformed Portable data: field {field.field_name!r} appears twice")
        class_def.add_field_def(field)
    if is_complete:
        complete.append(class_def)
    return class_def
