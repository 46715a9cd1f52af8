"""Drift: how a plan's snapshots compare with the live catalog today.

A definition has drifted when its own captured content (see :mod:`snapplan.domain.digests`)
differs from what capturing it now would give, or when it no longer exists. A target has drifted
when anything in its snapshot tree has; by the Merkle construction that is exactly when its
digest would differ.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping

import attrs

from snapplan.domain import graph
from snapplan.domain.catalog import CapturedDefinition, CatalogView
from snapplan.domain.changes import FieldChange, definition_changes, ingredient_renames
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
    """

    plan_id: uuid.UUID
    targets: tuple[TargetDrift, ...]
    changed_ids: frozenset[uuid.UUID]
    removed_ids: frozenset[uuid.UUID]
    definitions: tuple[DefinitionDrift, ...] = ()
    renamed_ingredients: tuple[IngredientRename, ...] = ()

    @property
    def changed(self) -> bool:
        """True when anything the plan captured differs from the live catalog."""
        return bool(self.changed_ids)


def live_definition(snapshot: Snapshot, catalog: CatalogView) -> CapturedDefinition | None:
    """The live definition a snapshot was taken from, or None if it is gone."""
    table: Mapping[uuid.UUID, CapturedDefinition] = getattr(catalog, snapshot.catalog)
    return table.get(snapshot.source_id)


def compute_drift(
    plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot], catalog: CatalogView
) -> Drift:
    """Compare every snapshot ``plan`` reaches with the live definitions in ``catalog``."""
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
    )


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
