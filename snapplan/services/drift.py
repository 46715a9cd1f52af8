"""``plan_drift``: which captured definitions differ from the live catalog now."""

from __future__ import annotations

import uuid
from collections import defaultdict

from snapplan.domain.catalog import CatalogView, Recipe
from snapplan.domain.drift import Drift, compute_drift
from snapplan.domain.validators import parse_id
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._loading import load_plan_snapshots


def plan_drift(uow: UnitOfWork, plan_id: uuid.UUID | str) -> Drift:
    """Compare a plan's snapshots with the live definitions they were taken from.

    ``drift.changed`` is False right after planning. ``drift.changed_ids`` lists the catalog ids
    whose own content changed or that were removed; each entry of ``drift.targets`` says whether
    anything in that target's tree changed; ``drift.target_changes`` lists the event's targets
    added, removed or given another amount since the plan. Never commits.
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    with uow:
        plan = uow.plans.get(plan_id)
        snapshots = load_plan_snapshots(uow, plan)
        event = uow.events.find_many([plan.event_id]).get(plan.event_id)
        sources: dict[str, set[uuid.UUID]] = defaultdict(set)
        for snapshot in snapshots.values():
            sources[snapshot.catalog].add(snapshot.source_id)
        if event is not None:  # to name a target added since the plan
            sources["recipes"].update(t.recipe_id for t in event.production_targets)
            sources["finished_goods"].update(t.finished_good_id for t in event.assembly_targets)
        live = {name: getattr(uow, name).find_many(ids) for name, ids in sources.items()}
        recipes: dict[uuid.UUID, Recipe] = dict(live.get("recipes", {}))
        ingredient_ids = {line.ingredient_id for r in recipes.values() for line in r.lines}
        catalog = CatalogView(
            ingredients=uow.ingredients.find_many(ingredient_ids),
            recipes=recipes,
            finished_units=live.get("finished_units", {}),
            material_units=live.get("material_units", {}),
            finished_goods=live.get("finished_goods", {}),
        )
        return compute_drift(plan, snapshots, catalog, event=event)
