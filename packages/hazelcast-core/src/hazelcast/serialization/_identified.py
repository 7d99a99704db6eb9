"""The IdentifiedDataSerializable serializer (type id -2)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hazelcast.errors import HazelcastSerializationError
from hazelcast.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = ["IdentifiedDataSerializer", "IdsFactories"]

IdsFactories = Mapping[int, Mapping[int, Callable[[], IdentifiedDataSerializable]]]
"""``{factory_id: {class_id: zero-argument constructor}}``."""

# Bits of the header byte (Java's DataSerializableHeader): bit 0 says "identified", bit 1 says two version
# bytes follow the class id (written by Enterprise members with versioned serialization).
_IDENTIFIED = 1
_VERSIONED = 2


class IdentifiedDataSerializer:
    """Writes a header byte, the factory id, the class id, then the object's own fields; reads them back by
    creating the object from its factory."""

    __slots__ = ("_factories",)

    def __init__(self, factories: IdsFactories) -> None:
        self._factories = {factory_id: dict(classes) for factory_id, classes in factories.items()}

    def write(self, out: ObjectDataOutput, obj: IdentifiedDataSerializable) -> None:
        out.write_byte(_IDENTIFIED)
        out.write_int(obj.get_factory_id())
        out.write_int(obj.get_class_id())
        obj.write_data(out)

    def read(self, inp: ObjectDataInput) -> IdentifiedDataSerializable:
        header = inp.read_byte()
        if not header & _IDENTIFIED:
            raise HazelcastSerializationError(
                "received a Java DataSerializable that is not an IdentifiedDataSerializable; "
                "Python clients can only read IdentifiedDataSerializable objects"
            )
        factory_id = inp.read_int()
        class_id = inp.read_int()
        classes = self._factories.get(factory_id)
        if classes is None:
            raise HazelcastSerializationError(
                f"no IdentifiedDataSerializable factory is registered for factory id {factory_id} "
                f"(class id {class_id}); add it to Config.data_serializable_factories"
            )
        constructor = classes.get(class_id)
        if constructor is None:
            raise HazelcastSerializationError(
                f"the IdentifiedDataSerializable factory {factory_id} has no class id {class_id}; "
                f"add it to Config.data_serializable_factories[{factory_id}]"
            )
        if header & _VERSIONED:
            inp.skip_bytes(2)
        instance = constructor()
        instance.read_data(inp)
        return instance
