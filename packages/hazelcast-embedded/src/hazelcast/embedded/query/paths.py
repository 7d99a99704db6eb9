"""Attribute paths as predicates, aggregations, projections and indexes name them, parsed once.

A path reads from the key or the value of an entry, as a Hazelcast member reads it:

* ``__key`` and ``this`` are the key and the value themselves;
* ``__key.<steps>`` reads from the key, ``this.<steps>`` and a bare ``<steps>`` from the value;
* ``<steps>`` are dot-separated names, each optionally followed by an index (``items[2]``, from 0) or by the ``[any]``
  quantifier (``items[any]``), which makes the path read every item of the array and yield several values.

Paths are parsed by :func:`parse_attribute_path`, which caches what it parsed: a query names the same few paths for
every entry it visits.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hazelcast.errors import IllegalArgumentError

__all__ = ["ANY", "KEY_ATTRIBUTE", "THIS_ATTRIBUTE", "AttributePath", "PathStep", "parse_attribute_path"]

KEY_ATTRIBUTE = "__key"
THIS_ATTRIBUTE = "this"
#: The quantifier written between brackets to read every item of an array.
ANY = "any"

_KEY_PREFIX = KEY_ATTRIBUTE + "."
_THIS_PREFIX = THIS_ATTRIBUTE + "."


@dataclass(frozen=True, slots=True)
class PathStep:
    """One dot-separated step: a field name, optionally an array index or the ``[any]`` quantifier."""

    name: str
    #: The array index written as ``name[3]``, or None.
    index: int | None = None
    #: Whether the step is ``name[any]``.
    any: bool = False

    @property
    def plain(self) -> bool:
        """Whether the step is a bare name (neither indexed nor quantified)."""
        return self.index is None and not self.any


@dataclass(frozen=True, slots=True)
class AttributePath:
    """A parsed attribute path; ``steps`` is empty when the path names the whole key or value."""

    #: The path as it was written.
    text: str
    #: Whether the path reads from the key (``__key...``) rather than the value.
    of_key: bool
    #: The part after ``__key.``/``this.`` (the whole text for a bare path); ``""`` for ``__key`` and ``this``.
    attribute: str
    steps: tuple[PathStep, ...]
    #: Whether some step is ``[any]``: the path then yields a :class:`~hazelcast.embedded.query.MultiResult`.
    has_any: bool


@functools.lru_cache(maxsize=1024)
def parse_attribute_path(path: str) -> AttributePath:
    """Parse ``path`` (see the module documentation).

    Raises:
        IllegalArgumentError: the path is empty, ends with a dot, has an empty step, or an index that is neither a
            non-negative integer nor ``any``.
    """
    if not path:
        raise IllegalArgumentError("an attribute path cannot be empty")
    if path == KEY_ATTRIBUTE:
        return AttributePath(path, True, "", (), False)
    if path == THIS_ATTRIBUTE:
        return AttributePath(path, False, "", (), False)
    if path.startswith(_KEY_PREFIX):
        of_key, attribute = True, path[len(_KEY_PREFIX):]
    elif path.startswith(_THIS_PREFIX):
        of_key, attribute = False, path[len(_THIS_PREFIX):]
    else:
        of_key, attribute = False, path
    if not attribute or attribute.endswith("."):
        raise IllegalArgumentError(f"malformed attribute path {path!r}")
    steps = tuple(_parse_step(token, path) for token in attribute.split("."))
    return AttributePath(path, of_key, attribute, steps, any(step.any for step in steps))


def _parse_step(token: str, path: str) -> PathStep:
    if not token:
        raise IllegalArgumentError(f"attribute path {path!r} has an empty step")
    if not token.endswith("]"):
        if "[" in token or "]" in token:
            raise IllegalArgumentError(f"attribute path {path!r}: malformed step {token!r}")
        return PathStep(token)
    open_at = token.find("[")
    name, argument = token[:open_at], token[open_at + 1 : -1]
    if open_at <= 0 or "[" in argument or "]" in argument:
        raise IllegalArgumentError(f"attribute path {path!r}: malformed step {token!r}")
    if argument == ANY:
        return PathStep(name, any=True)
    if not argument.isdigit() or not argument.isascii():
        raise IllegalArgumentError(
            f"attribute path {path!r}: the index of {name!r} must be a non-negative integer or 'any', got {argument!r}"
        )
    return PathStep(name, index=int(argument))
