"""What a plan holds, listed: one entry per snapshot the plan reaches, for finding one cheaply.

A plan names only its targets' snapshots; everything else it holds is reached through them. To
record one run, a recorder needs the snapshot a catalog id names in the plan (and a recipe's
finished units), not the whole plan: the plan's *contents* list every snapshot it reaches with
the catalog definition it was taken from, so a store finds the one it is asked for by an
indexed lookup whose cost does not grow with the plan.

The contents are derived from the snapshots (:func:`plan_entries`), written with the plan in
the same transaction, and never changed. What a recorder then reads of the snapshots is still
checked against their digests; :func:`snapplan.verify_plan` checks the contents against what the
plan reaches.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import attrs

from snapplan.domain._trusted import trusted
from snapplan.domain.snapshots import FinishedUnitSnapshot, Snapshot, SnapshotKind
from snapplan.domain.validators import fail, is_id, is_optional_id, to_id, to_optional_id


def _to_kind(value: SnapshotKind | str) -> Any:
    try:
        return SnapshotKind(value)
    except ValueError:
        return value  # reported by _is_kind


def _is_kind(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, SnapshotKind):
        kinds = ", ".join(kind.value for kind in SnapshotKind)
        raise fail(instance, attribute, f"unknown snapshot kind {value!r:.40} (one of {kinds})")


@attrs.frozen
class PlanEntry:
    """One snapshot a plan reaches: its ``kind``, the catalog definition it was taken from
    (``source_id``) and, for a finished unit, the recipe snapshot it is made from
    (``made_from``; None for the other kinds)."""

    snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    kind: SnapshotKind = attrs.field(converter=_to_kind, validator=_is_kind)
    source_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    made_from: uuid.UUID | None = attrs.field(
        default=None, converter=to_optional_id, validator=is_optional_id
    )


def plan_entries(snapshots: Iterable[Snapshot]) -> tuple[PlanEntry, ...]:
    """The entries of ``snapshots`` (every snapshot a plan reaches), one per snapshot id, in
    the order given."""
    entries: dict[uuid.UUID, PlanEntry] = {}
    for snapshot in snapshots:
        if snapshot.id not in entries:
            made_from = (
                snapshot.recipe_snapshot_id if isinstance(snapshot, FinishedUnitSnapshot) else None
            )
            # the parts come from snapshots, validated already: not validated again
            entries[snapshot.id] = trusted(
                PlanEntry,
                snapshot_id=snapshot.id,
                kind=snapshot.kind,
                source_id=snapshot.source_id,
                made_from=made_from,
            )
    return tuple(entries.values())
