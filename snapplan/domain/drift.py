"""Drift: how a plan's snapshots compare with the live catalog today.

A definition has drifted when its own captured content (see :mod:`snapplan.domain.digests`)
differs from what capturing it now would give, or when it no longer exists. A target has drifted
when anything in its snapshot tree has; by the Merkle construction that is exactly when its
digest would differ.

The event's targets drift too, apart from the definitions: a target added to the event since
the plan, one removed from it, and one whose amount changed (:class:`TargetChange`).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs

from snapplan.domain import graph
from snapplan.domain.catalog import CapturedDefinition, CatalogView
from snapplan.domain.changes import FieldChange, definition_changes, ingredient_renames
from snapplan.domain.events import Event
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot, SnapshotKind


class TargetKind(enum.StrEnum):
    """Which list of a plan a target is on."""

    PRODUCTION = "production"
    ASSEMBLY = "assembly"


@attrs.frozen
class TargetDrift:
    """One target of a plan: did anything in its tree change since the plan?"""

    kind: TargetKind
    source_id: uuid.UUID
    snapshot_id: uuid.UUID
    changed: bool


class TargetChangeKind(enum.StrEnum):
    """How an event's target differs from the plan's."""

    ADDED = "added"
    REMOVED = "removed"
    AMOUNT = "amount"


@attrs.frozen
class TargetChange:
    """A target of the event that is not as the plan has it: ``added`` to the event since the
    plan, ``removed`` from it, or its ``amount`` changed (a production target's batches, an
    assembly target's quantity). ``source_id`` is the recipe's or good's catalog id, ``name``
    its name (as captured, else as it is now); ``before`` is the plan's amount (None when
    added), ``after`` the event's (None when removed)."""

    kind: TargetKind
    source_id: uuid.UUID
    name: str
    change: TargetChangeKind
    before: Decimal | None
    after: Decimal | None


@attrs.frozen
class DefinitionDrift:
    """One captured definition that changed or was removed since the plan: its ``kind``,
    catalog ``source_id``, captured ``name``, and what changed, field by field (empty when it
    was ``removed``)."""

    kind: SnapshotKind
    source_id: uuid.UUID
    name: str
    removed: bool
    changes: tuple[FieldChange, ...]


@attrs.frozen
class IngredientRename:
    """An ingredient renamed since the plan (reported once, not in every recipe using it)."""

    ingredient_id: uuid.UUID
    before: str
    after: str


@attrs.frozen
class Drift:
    """Drift of a plan. ``changed_ids`` holds catalog ids whose *own* content changed or that
    were removed (``removed_ids`` is the removed subset); ancestors that differ only through a
    changed child are not in it, but their targets are marked changed.

    ``definitions`` says what changed in each, field by field (a recipe whose only change is a
    renamed ingredient is not listed there: the rename is, once, in ``renamed_ingredients``).

    ``target_changes`` lists the event's targets that differ from the plan's (added, removed,
    amount changed), apart from the definitions; ``event_removed`` is True when the event
    itself is gone from the catalog (its targets are then not compared).
    """

    plan_id: uuid.UUID
    targets: tuple[TargetDrift, ...]
    changed_ids: frozenset[uuid.UUID]
    removed_ids: frozenset[uuid.UUID]
    definitions: tuple[DefinitionDrift, ...] = ()
    renamed_ingredients: tuple[IngredientRename, ...] = ()
    target_changes: tuple[TargetChange, ...] = ()
    event_removed: bool = False

    @property
    def changed(self) -> bool:
        """True when anything the plan captured differs from the live catalog, or the event's
        targets differ from the plan's (or the event is gone)."""
        return bool(self.changed_ids or self.target_changes or self.event_removed)


def live_definition(snapshot: Snapshot, catalog: CatalogView) -> CapturedDefinition | None:
    """The live definition a snapshot was taken from, or None if it is gone."""
    table: Mapping[uuid.UUID, CapturedDefinition] = getattr(catalog, snapshot.catalog)
    return table.get(snapshot.source_id)


def compute_drift(
    plan: Plan,
    snapshots: Mapping[uuid.UUID, Snapshot],
    catalog: CatalogView,
    *,
    event: Event | None,
) -> Drift:
    """Compare every snapshot ``plan`` reaches with the live definitions in ``catalog``, and
    the plan's targets with the live ``event``'s (None: the event is gone). ``catalog`` holds
    the recipes and goods of the event's targets too, to name an added one."""
    ingredient_names = catalog.ingredient_names()
    names = _names(snapshots, catalog)
    own_change: dict[uuid.UUID, bool] = {}
    changed_ids: set[uuid.UUID] = set()
    removed_ids: set[uuid.UUID] = set()
    definitions: dict[tuple[SnapshotKind, uuid.UUID], DefinitionDrift] = {}
    for snapshot in snapshots.values():
        live = live_definition(snapshot, catalog)
        if live is None:
            removed_ids.add(snapshot.source_id)
            own_change[snapshot.id] = True
            definitions.setdefault(
                (snapshot.kind, snapshot.source_id),
                DefinitionDrift(snapshot.kind, snapshot.source_id, snapshot.name, True, ()),
            )
        else:
            own_change[snapshot.id] = live.content(ingredient_names) != snapshot.content()
            changes = definition_changes(snapshot, live, names, ingredient_names)
            if own_change[snapshot.id] and changes:
                definitions.setdefault(
                    (snapshot.kind, snapshot.source_id),
                    DefinitionDrift(
                        snapshot.kind, snapshot.source_id, snapshot.name, False, changes
                    ),
                )
        if own_change[snapshot.id]:
            changed_ids.add(snapshot.source_id)

    # A tree changed when any snapshot in it did: children first, so each is known in time.
    tree_change: dict[uuid.UUID, bool] = {}
    order = graph.parents_first(plan.snapshot_ids(), lambda i: snapshots[i].children())
    for snapshot_id in reversed(order):
        tree_change[snapshot_id] = own_change[snapshot_id] or any(
            tree_change[child] for child in snapshots[snapshot_id].children()
        )

    targets = [
        TargetDrift(TargetKind.PRODUCTION, t.recipe_id, t.snapshot_id, tree_change[t.snapshot_id])
        for t in plan.production_targets
        if t.snapshot_id is not None
    ] + [
        TargetDrift(
            TargetKind.ASSEMBLY, t.finished_good_id, t.snapshot_id, tree_change[t.snapshot_id]
        )
        for t in plan.assembly_targets
        if t.snapshot_id is not None
    ]
    renames = ingredient_renames(list(snapshots.values()), ingredient_names)
    return Drift(
        plan.id,
        tuple(targets),
        frozenset(changed_ids),
        frozenset(removed_ids),
        tuple(sorted(definitions.values(), key=lambda d: (d.name, d.kind, str(d.source_id)))),
        tuple(IngredientRename(i, before, after) for i, before, after in renames),
        target_changes(plan, event, names) if event is not None else (),
        event_removed=event is None,
    )


def target_changes(
    plan: Plan, event: Event, names: Callable[[uuid.UUID], str]
) -> tuple[TargetChange, ...]:
    """The event's targets that differ from the plan's: production targets first, then
    assembly targets; within each, in the plan's order, then the event's additions."""
    found: list[TargetChange] = []
    lists = (
        (
            TargetKind.PRODUCTION,
            {t.recipe_id: t.batches for t in plan.production_targets},
            {t.recipe_id: t.batches for t in event.production_targets},
        ),
        (
            TargetKind.ASSEMBLY,
            {t.finished_good_id: t.quantity for t in plan.assembly_targets},
            {t.finished_good_id: t.quantity for t in event.assembly_targets},
        ),
    )
    for kind, planned, wanted in lists:
        for source_id, before in planned.items():
            after = wanted.get(source_id)
            if after is None:
                change = TargetChangeKind.REMOVED
            elif after != before:
                change = TargetChangeKind.AMOUNT
            else:
                continue
            found.append(TargetChange(kind, source_id, names(source_id), change, before, after))
        for source_id, after in wanted.items():
            if source_id not in planned:
                found.append(
                    TargetChange(
                        kind, source_id, names(source_id), TargetChangeKind.ADDED, None, after
                    )
                )
    return tuple(found)


def _names(
    snapshots: Mapping[uuid.UUID, Snapshot], catalog: CatalogView
) -> Callable[[uuid.UUID], str]:
    """Names of catalog ids for messages: as captured, else as they are now."""
    captured = {s.source_id: s.name for s in snapshots.values()}
    live: dict[uuid.UUID, str] = {}
    for table in (catalog.recipes, catalog.finished_units, catalog.material_units,
                  catalog.finished_goods, catalog.ingredients):  # fmt: skip
        live.update((i, item.name) for i, item in table.items())
    return lambda catalog_id: captured.get(catalog_id) or live.get(catalog_id) or str(catalog_id)
