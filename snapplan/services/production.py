"""``record_production``: batches baked against a plan's snapshots."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from snapplan.domain import graph
from snapplan.domain.quantities import AmountLike, exact_arithmetic
from snapplan.domain.requirements import ingredient_totals
from snapplan.domain.runs import IngredientUse, MadeAlong, ProductionRun
from snapplan.domain.snapshots import FinishedUnitSnapshot, RecipeSnapshot, Snapshot
from snapplan.domain.validators import parse_id
from snapplan.errors import ValidationError
from snapplan.ports.clock import Clock
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic
from snapplan.services._recording import Recording, optional_id


def record_production(
    uow: UnitOfWork,
    plan_id: uuid.UUID | str,
    recipe_id: uuid.UUID | str,
    batches: AmountLike,
    *,
    finished_unit_id: uuid.UUID | str | None = None,
    items: AmountLike | None = None,
    with_sub_recipes: bool = False,
    key: str | None = None,
    note: str = "",
    by: str | None = None,
    amends: uuid.UUID | str | None = None,
    clock: Clock | None = None,
) -> ProductionRun:
    """Record ``batches`` of a recipe of the plan as baked.

    - ``recipe_id``: a catalog recipe id whose snapshot the plan holds (a target or anywhere in
      a target's tree), or a recipe snapshot id of the plan. ``NotInPlanError`` if the plan does
      not hold it; ``ValidationError`` naming both snapshots when the plan holds two of it.
    - ``finished_unit_id`` (catalog or snapshot id): which finished unit the batches were made
      as; required when the plan holds several of the recipe's, defaults to the only one, None
      when the recipe yields none in the plan (a frosting).
    - ``items``: what actually came out (default ``batches * items_per_batch``; fewer after a
      burnt tray, or more).
    - ``with_sub_recipes``: the sub-recipes were made along (recursively), and their batches
      and ingredients are recorded in this run too.
    - ``key``: an idempotency key (see :mod:`snapplan.services._recording` for the order of the
      checks); ``amends``: a voided run of the event this run corrects.

    The run records the ingredients used, computed exactly from the snapshots' lines.
    ``SupersededPlanError`` when a newer plan of the event exists. Same transaction rules as
    :func:`snapplan.create_plan`.
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    batches = arguments.amount(batches, "batches")
    yielded = None if items is None else arguments.amount(items, "items", zero=True)
    arguments.flag(with_sub_recipes, "with_sub_recipes")
    amended = optional_id(amends, "amends")
    now = arguments.now(clock)
    with atomic(uow):
        recording = Recording(uow, plan_id)
        recipe = recording.find(recipe_id, "recipe_id", RecipeSnapshot)
        unit = _finished_unit(recording, recipe, finished_unit_id)
        if unit is None and yielded is not None:
            raise ValidationError(
                f"items: recipe {recipe.name!r} yields no finished unit in this plan"
            )
        with exact_arithmetic():
            if unit is not None and yielded is None:
                yielded = batches * unit.items_per_batch
            along = _made_along(recording.snapshots, recipe, batches) if with_sub_recipes else []
            used = ingredient_totals(
                [(recipe, batches)]
                + [(_recipe(recording.snapshots, a.recipe_snapshot_id), a.batches) for a in along]
            )
        run = recording.draft(
            ProductionRun,
            now=now,
            key=key,
            note=note,
            by=by,
            amends=amended,
            recipe_id=recipe.source_id,
            recipe_snapshot_id=recipe.id,
            name=recipe.name,
            batches=batches,
            finished_unit_id=unit.source_id if unit else None,
            finished_unit_snapshot_id=unit.id if unit else None,
            items=yielded,
            sub_recipe_batches=along,
            ingredients=[IngredientUse(u.ingredient_id, u.name, u.quantity, u.unit) for u in used],
        )
        retried = recording.replay(run)
        if retried is not None:
            return retried
        recording.require_latest()
        recording.check_amends(amended)
        recording.write(run)
        uow.commit()
    return run


def _finished_unit(
    recording: Recording, recipe: RecipeSnapshot, wanted: uuid.UUID | str | None
) -> FinishedUnitSnapshot | None:
    """The finished unit the batches were made as (see :func:`record_production`)."""
    if wanted is not None:
        unit = recording.find(wanted, "finished_unit_id", FinishedUnitSnapshot)
        if unit.recipe_snapshot_id != recipe.id:
            raise ValidationError(
                f"finished_unit_id: {unit.name!r} is made from another recipe than {recipe.name!r}"
            )
        return unit
    units = recording.finished_units(recipe)
    if len(units) > 1:
        listed = ", ".join(f"{u.name!r} ({u.source_id})" for u in units)
        raise ValidationError(
            f"recipe {recipe.name!r} yields {len(units)} finished units in this plan ({listed}): "
            "say which with finished_unit_id"
        )
    return units[0] if units else None


def _recipe(snapshots: dict[uuid.UUID, Snapshot], snapshot_id: uuid.UUID) -> RecipeSnapshot:
    snapshot = snapshots[snapshot_id]
    assert isinstance(snapshot, RecipeSnapshot)
    return snapshot


def _made_along(
    snapshots: dict[uuid.UUID, Snapshot], recipe: RecipeSnapshot, batches: Decimal
) -> list[MadeAlong]:
    """Every sub-recipe made along with ``batches`` of ``recipe``, recursively (a sub-recipe
    reached twice, a diamond, is made once with both amounts)."""
    order = graph.parents_first([recipe.id], lambda i: _recipe(snapshots, i).children())
    made: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    made[recipe.id] = batches
    for snapshot_id in order:
        parent = _recipe(snapshots, snapshot_id)
        for sub in parent.sub_recipes:
            made[sub.snapshot_id] += made[snapshot_id] * sub.batches
    return [
        MadeAlong(child.source_id, child.id, child.name, made[child.id])
        for child in (_recipe(snapshots, i) for i in order[1:])
    ]
