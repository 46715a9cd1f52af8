"""``plan_drift``: which captured definitions differ from the live catalog now."""

from __future__ import annotations

import uuid

from snapplan.domain.capture import CatalogView
from snapplan.domain.drift import Drift, compute_drift
from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeSnapshot,
)
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services.loading import load_plan_snapshots
from snapplan.services.transaction import identity, run_in_unit_of_work


def plan_drift(uow: UnitOfWork, plan_id: uuid.UUID | str) -> Drift:
    """Compare a plan's snapshots with the live definitions they were taken from.

    ``drift.changed`` is False right after planning. ``drift.changed_ids`` lists the catalog ids
    whose own content changed or that were removed; each entry of ``drift.targets`` says whether
    anything in that target's tree changed. Never commits.
    """

    def work() -> Drift:
        plan = uow.plans.get(identity(plan_id))
        snapshots = load_plan_snapshots(uow, plan)
        taken = list(snapshots.values())
        recipes = uow.recipes.find_many(
            {s.source_id for s in taken if isinstance(s, RecipeSnapshot)}
        )
        ingredient_ids = {
            line.ingredient_id for recipe in recipes.values() for line in recipe.lines
        }
        catalog = CatalogView(
            ingredients=uow.ingredients.find_many(ingredient_ids),
            recipes=recipes,
            finished_units=uow.finished_units.find_many(
                {s.source_id for s in taken if isinstance(s, FinishedUnitSnapshot)}
            ),
            material_units=uow.material_units.find_many(
                {s.source_id for s in taken if isinstance(s, MaterialUnitSnapshot)}
            ),
            finished_goods=uow.finished_goods.find_many(
                {s.source_id for s in taken if isinstance(s, FinishedGoodSnapshot)}
            ),
        )
        return compute_drift(plan, snapshots, catalog)

    return run_in_unit_of_work(uow, work, writes=False)
