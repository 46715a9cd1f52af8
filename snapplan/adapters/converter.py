"""The one configured cattrs converter: domain values to JSON-ready primitives and back.

The SQL adapter uses it for its JSON columns (recipe lines, components, event and plan targets,
snapshot documents) and the command line's ``export`` uses it to print plans. Serialization
lives here, outside the domain model, with an explicit hook for every non-JSON type:

- ``Decimal`` ↔ ``str(d)``: exact and representation-preserving (``"2.50"`` stays ``2.50``,
  ``"1E+3"`` stays ``1E+3``); a float is refused, never guessed at;
- ``UUID`` ↔ its canonical string;
- ``datetime`` ↔ ISO 8601, aware and in UTC (a naive value is refused);
- ``date`` ↔ ISO 8601;
- :class:`~snapplan.domain.catalog.ComponentKind` ↔ its string value;
- the four ledger entries (runs and voids) as a tagged union on ``"kind"`` too (``"production"``,
  ``"assembly"``, ``"waste"``, ``"void"``), and the four pantry entries likewise
  (``"receipt"``, ``"count"``, ``"use"``, ``"void"``);
- the four snapshot kinds as a tagged union: the dictionary carries a ``"kind"`` key, the
  class's own :class:`~snapplan.domain.snapshots.SnapshotKind` (``"recipe"``,
  ``"finished_unit"``, ``"material_unit"``, ``"finished_good"``).

Structuring builds values through their constructors, so every domain validator runs again.

>>> from decimal import Decimal
>>> from snapplan.domain.catalog import IngredientLine
>>> line = IngredientLine("5b7f8e1c-3d3c-4d55-9c57-0f5a2f1a6d10", Decimal("0.10"), "cup")
>>> data = converter.unstructure(line)
>>> data["quantity"]
'0.10'
>>> converter.structure(data, IngredientLine) == line
True
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import cattrs

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.pantry_entries import PantryEntry, PantryRecord
from snapplan.domain.quantities import to_decimal
from snapplan.domain.runs import LedgerEntry, Run
from snapplan.domain.snapshots import CapturedSnapshot, Snapshot
from snapplan.errors import ValidationError

#: The key that names a snapshot's kind in its serialized form.
SNAPSHOT_TAG: Final = "kind"


def _unstructure_decimal(value: Decimal) -> str:
    return str(value)


def _structure_decimal(value: Any, _: type) -> Decimal:
    # to_decimal accepts Decimal, int and str exactly and refuses floats, NaN and infinities.
    return to_decimal(value)


def _structure_uuid(value: Any, _: type) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        raise ValidationError(f"not a UUID: {value!r}")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationError(f"not a UUID: {value!r}") from None


def _utc(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"timestamps must be aware (UTC), not {value!r}")
    return value.astimezone(datetime.UTC)


def _unstructure_datetime(value: datetime.datetime) -> str:
    return _utc(value).isoformat()


def _structure_datetime(value: Any, _: type) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return _utc(value)
    if not isinstance(value, str):
        raise ValidationError(f"not an ISO 8601 timestamp: {value!r}")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"not an ISO 8601 timestamp: {value!r}") from None
    return _utc(parsed)


def _unstructure_date(value: datetime.date) -> str:
    return value.isoformat()


def _structure_date(value: Any, _: type) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise ValidationError(f"expected a date, not a datetime: {value!r}")
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValidationError(f"not an ISO 8601 date: {value!r}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"not an ISO 8601 date: {value!r}") from None


def _unstructure_kind(value: ComponentKind) -> str:
    return value.value


def _structure_kind(value: Any, _: type) -> ComponentKind:
    try:
        return ComponentKind(value)
    except ValueError:
        raise ValidationError(f"unknown component kind: {value!r}") from None


def _snapshot_tag(cls: type[CapturedSnapshot]) -> str:
    # Each snapshot class says its kind (snapplan.domain.snapshots.SnapshotKind).
    return cls.kind.value


def _run_tag(cls: type[LedgerEntry]) -> str:
    # Each ledger entry class says its kind (snapplan.domain.runs.RunKind).
    return cls.kind.value


def _pantry_tag(cls: type[PantryEntry]) -> str:
    # Each pantry entry class says its kind (snapplan.domain.pantry_entries.PantryKind).
    return cls.kind.value


def _configure_tagged_union(
    union: Any, conv: cattrs.Converter, tag_generator: Callable[[Any], str]
) -> None:
    """``union`` (un)structured as a dictionary with its member's tag under ``"kind"``.

    What ``cattrs.strategies.configure_tagged_union`` does (the tag popped from a copy of the
    dictionary, then the member's own hook; an unknown tag or class is a ``KeyError``), except
    that each member's hooks are generated on its first use, not here: making the converter
    compiles no code, so a command that reads no ledger entry never generates their hooks
    (issue 19: the command line answers at once). Generated hooks are what cattrs caches
    anyway; looking them up again costs one cached dispatch.
    """
    tags = {tag_generator(member): member for member in union.__args__}
    tag_of = {member: tag for tag, member in tags.items()}

    def structure_tagged(value: Any, _: Any) -> Any:
        value = value.copy()
        member = tags[value.pop(SNAPSHOT_TAG)]
        return conv.get_structure_hook(member)(value, member)

    def unstructure_tagged(value: Any) -> Any:
        member = value.__class__
        tag = tag_of[member]
        data = conv.get_unstructure_hook(member)(value)
        data[SNAPSHOT_TAG] = tag
        return data

    conv.register_unstructure_hook(union, unstructure_tagged)
    conv.register_structure_hook(union, structure_tagged)


def make_converter() -> cattrs.Converter:
    """A new converter configured as described in the module docstring.

    Use the shared :data:`converter` unless you need to register hooks of your own.
    ``detailed_validation`` is off, so a bad value raises the domain's own
    :class:`~snapplan.errors.ValidationError` rather than a cattrs exception group.
    """
    conv = cattrs.Converter(detailed_validation=False, forbid_extra_keys=True)
    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(uuid.UUID, str)
    conv.register_structure_hook(uuid.UUID, _structure_uuid)
    # datetime is a subclass of date: register it first so both dispatch exactly.
    conv.register_unstructure_hook(datetime.datetime, _unstructure_datetime)
    conv.register_structure_hook(datetime.datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime.date, _unstructure_date)
    conv.register_structure_hook(datetime.date, _structure_date)
    conv.register_unstructure_hook(ComponentKind, _unstructure_kind)
    conv.register_structure_hook(ComponentKind, _structure_kind)
    _configure_tagged_union(Snapshot, conv, _snapshot_tag)
    _configure_tagged_union(Run, conv, _run_tag)
    _configure_tagged_union(PantryRecord, conv, _pantry_tag)
    return conv


#: The shared converter (configuration only: it holds no data).
converter: Final[cattrs.Converter] = make_converter()
