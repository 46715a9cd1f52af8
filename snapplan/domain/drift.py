"""Drift: how a plan's snapshots compare with the live catalog today.

A definition has drifted when its own captured content (see :mod:`snapplan.domain.digests`)
differs from what capturing it now would give, or when it no longer exists. A target has drifted
when anything in its snapshot tree has; by the Merkle construction that is exactly when its
digest would differ.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping

import attrs

from snapplan.domain.capture import CatalogView
from snapplan.domain.catalog import FinishedGood, FinishedUnit, MaterialUnit, Recipe
from snapplan.domain.digests import live_content, snapshot_content
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)


@attrs.frozen
class TargetDrift:
    """One target of a plan: ``kind`` is ``"production"`` or ``"assembly"``."""

    kind: str
    source_id: uuid.UUID
    snapshot_id: uuid.UUID
    changed: bool


@attrs.frozen
class Drift:
    """Drift of a plan. ``changed_ids`` holds catalog ids whose *own* content changed or that
    were removed (``removed_ids`` is the removed subset); ancestors that differ only through a
    changed child are not in it, but their targets are marked changed."""

    plan_id: uuid.UUID
    targets: tuple[TargetDrift, ...]
    changed_ids: frozenset[uuid.UUID]
    removed_ids: frozenset[uuid.UUID]

    @property
    def changed(self) -> bool:
        """True when anything the plan captured differs from the live catalog."""
        return bool(self.changed_ids)


def child_snapshot_ids(snapshot: Snapshot) -> Iterator[uuid.UUID]:
    """The snapshot ids a snapshot points at."""
    if isinstance(snapshot, RecipeSnapshot):
        yield from (sub.snapshot_id for sub in snapshot.sub_recipes)
    elif isinstance(snapshot, FinishedUnitSnapshot):
        yield snapshot.recipe_snapshot_id
    elif isinstance(snapshot, FinishedGoodSnapshot):
        yield from (c.snapshot_id for c in snapshot.components)


def live_definition(
    snapshot: Snapshot, catalog: CatalogView
) -> Recipe | FinishedUnit | MaterialUnit | FinishedGood | None:
    """The live definition a snapshot was taken from, or None if it is gone."""
    table: Mapping[uuid.UUID, Recipe | FinishedUnit | MaterialUnit | FinishedGood]
    if isinstance(snapshot, RecipeSnapshot):
        table = catalog.recipes
    elif isinstance(snapshot, FinishedUnitSnapshot):
        table = catalog.finished_units
    elif isinstance(snapshot, FinishedGoodSnapshot):
        table = catalog.finished_goods
    else:
        table = catalog.material_units
    return table.get(snapshot.source_id)


def compute_drift(
    plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot], catalog: CatalogView
) -> Drift:
    """Compare every snapshot ``plan`` reaches with the live definitions in ``catalog``."""
    ingredient_names = {i: ing.name for i, ing in catalog.ingredients.items()}
    own_change: dict[uuid.UUID, bool] = {}
    changed_ids: set[uuid.UUID] = set()
    removed_ids: set[uuid.UUID] = set()
    for snapshot in snapshots.values():
        live = live_definition(snapshot, catalog)
        if live is None:
            removed_ids.add(snapshot.source_id)
            own_change[snapshot.id] = True
        else:
            own_change[snapshot.id] = live_content(live, ingredient_names) != snapshot_content(
                snapshot
            )
        if own_change[snapshot.id]:
            changed_ids.add(snapshot.source_id)

    def tree_changed(root: uuid.UUID) -> bool:
        stack, seen = [root], {root}
        while stack:
            snapshot_id = stack.pop()
            if own_change[snapshot_id]:
                return True
            for child in child_snapshot_ids(snapshots[snapshot_id]):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return False

    targets = [
        TargetDrift("production", t.recipe_id, t.snapshot_id, tree_changed(t.snapshot_id))
        for t in plan.production_targets
        if t.snapshot_id is not None
    ] + [
        TargetDrift("assembly", t.finished_good_id, t.snapshot_id, tree_changed(t.snapshot_id))
        for t in plan.assembly_targets
        if t.snapshot_id is not None
    ]
    return Drift(plan.id, tuple(targets), frozenset(changed_ids), frozenset(removed_ids))
