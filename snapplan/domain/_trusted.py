"""Building values from parts that are already valid, without running the validators again.

Everything that enters snapplan through its public API is validated by the domain types. Some
values are then built again from parts that were validated already: capture turns catalog
definitions into snapshots, and a store reads back rows it wrote itself. Running every validator
again there costs a third of a plan's time and checks nothing new; :func:`trusted` builds such a
value directly. It is for snapplan's own code on values it validated (a store adds cheap checks
of its own on what it reads, see :mod:`snapplan.adapters.sql._decoding`), never for input.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


@cache
def _defaults(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """(name, default, is a factory) of every field of an attrs class that has a default."""
    found = []
    for field in attrs.fields(cls):
        default = field.default
        if default is attrs.NOTHING:
            continue
        factory = getattr(default, "factory", None)  # an attrs.Factory
        if factory is not None and getattr(default, "takes_self", None) is False:
            found.append((field.name, factory, True))
        else:
            found.append((field.name, default, False))
    return tuple(found)


def trusted(cls: type[T], **fields: Any) -> T:
    """An instance of the attrs class ``cls`` holding ``fields`` as they are (defaults filled
    in for the fields not given): no converter, no validator runs."""
    instance: T = object.__new__(cls)
    kind: type = cls
    for name, default, is_factory in _defaults(kind):
        if name not in fields:
            fields[name] = default() if is_factory else default
    setter = object.__setattr__
    for name, value in fields.items():
        setter(instance, name, value)
    return instance
