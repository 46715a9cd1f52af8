"""What a plan needs, computed from its snapshots only, exactly.

:func:`compute_requirements` never reads a live definition: given a plan and the snapshots it
references it explodes assembly targets through nested goods, turns finished-unit demand into
batches (rounding batches up, the one declared rounding), follows sub-recipes with their
multipliers, and sums ingredients per unit dimension.

``needed_batches`` is exact: ``units ÷ items_per_batch`` need not terminate in decimal (80 cookies
at 36 a batch is 20/9 batches), so it is a ``Decimal`` when a decimal can say it exactly and a
``fractions.Fraction`` otherwise. Both compare exactly with ``Decimal``. Every other amount is a
``Decimal``.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

import attrs

from snapplan.domain import graph
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.plan import Plan
from snapplan.domain.quantities import exact_arithmetic, exact_decimal
from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)
from snapplan.domain.units import BASE_UNITS, canonical_unit, dimension_of, known_unit
from snapplan.errors import SnapshotNotFound


@attrs.frozen
class RecipeRequirement:
    """Batches of one recipe snapshot: how many to bake, how many were needed, what is left."""

    recipe_id: uuid.UUID
    snapshot_id: uuid.UUID
    name: str
    batches: Decimal
    needed_batches: Decimal | Fraction
    leftover_units: Decimal | None


@attrs.frozen
class IngredientRequirement:
    """Total of one ingredient in one unit (units of one dimension are converted and summed)."""

    ingredient_id: uuid.UUID
    name: str
    quantity: Decimal
    unit: str


@attrs.frozen
class FinishedUnitRequirement:
    """Finished units needed by the plan's assembly targets."""

    finished_unit_id: uuid.UUID
    name: str
    quantity: Decimal


@attrs.frozen
class MaterialRequirement:
    """Packaging needed by the plan's assembly targets."""

    material_unit_id: uuid.UUID
    name: str
    quantity: Decimal


@attrs.frozen
class Requirements:
    """Everything a plan needs; each tuple is sorted by name, then unit."""

    plan_id: uuid.UUID
    batches: tuple[RecipeRequirement, ...]
    ingredients: tuple[IngredientRequirement, ...]
    finished_units: tuple[FinishedUnitRequirement, ...]
    materials: tuple[MaterialRequirement, ...]


_S = TypeVar("_S", bound=Snapshot)


class PlanSnapshots:
    """The plan's snapshots by id, read by kind (a missing or mistyped one is not found)."""

    def __init__(self, snapshots: Mapping[uuid.UUID, Snapshot]) -> None:
        self._by_id = snapshots

    def get(self, snapshot_id: uuid.UUID, kind: type[_S]) -> _S:
        snapshot = self._by_id.get(snapshot_id)
        if not isinstance(snapshot, kind):
            raise SnapshotNotFound(snapshot_id, f"{kind.__name__} {snapshot_id} not found")
        return snapshot

    def parents_first(
        self,
        roots: Iterable[uuid.UUID],
        kind: type[_S],
        children: Callable[[_S], list[uuid.UUID]],
    ) -> list[_S]:
        """Every snapshot of ``kind`` reachable from ``roots``, each before its children."""
        order = graph.parents_first(roots, lambda i: children(self.get(i, kind)))
        return [self.get(i, kind) for i in order]


def _child_goods(good: FinishedGoodSnapshot) -> list[uuid.UUID]:
    return [c.snapshot_id for c in good.components if c.kind is ComponentKind.FINISHED_GOOD]


def _child_recipes(recipe: RecipeSnapshot) -> list[uuid.UUID]:
    return [sub.snapshot_id for sub in recipe.sub_recipes]


def compute_requirements(plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot]) -> Requirements:
    """Requirements of ``plan`` from ``snapshots`` (every snapshot the plan reaches, by id)."""
    with exact_arithmetic():
        found = PlanSnapshots(snapshots)
        demand = explode_assembly(plan, found)
        return requirements_of(plan, demand, plan_batches(plan, demand, found))


def requirements_of(plan: Plan, demand: Demand, batches: Batches) -> Requirements:
    """The requirements of ``plan`` given its exploded ``demand`` and its ``batches`` (for code
    that has them already: progress computes them once)."""
    with exact_arithmetic():
        return Requirements(
            plan_id=plan.id,
            batches=batch_lines(batches),
            ingredients=ingredient_totals(
                (recipe, batches.of[recipe.id]) for recipe in batches.recipes
            ),
            finished_units=finished_unit_lines(demand),
            materials=_by_name(
                MaterialRequirement(source_id, name, quantity)
                for (source_id, name), quantity in _sum_by_source(
                    (m.source_id, m.name, demand.materials[m.id]) for m in demand.material_snapshots
                ).items()
            ),
        )


def batch_lines(batches: Batches) -> tuple[RecipeRequirement, ...]:
    """The batches of each recipe snapshot, sorted as :class:`Requirements` sorts them."""
    return tuple(sorted(batches.lines, key=lambda r: (r.name, str(r.snapshot_id))))


def finished_unit_lines(demand: Demand) -> tuple[FinishedUnitRequirement, ...]:
    """The finished units the demand needs, by catalog id, sorted by name."""
    with exact_arithmetic():
        return _by_name(
            FinishedUnitRequirement(source_id, name, quantity)
            for (source_id, name), quantity in _sum_by_source(
                (u.source_id, u.name, demand.units[u.id]) for u in demand.unit_snapshots
            ).items()
        )


@attrs.frozen
class Demand:
    """What the assembly targets need, exploded through nested goods, by snapshot id."""

    goods: Mapping[uuid.UUID, Decimal]
    units: Mapping[uuid.UUID, Decimal]
    materials: Mapping[uuid.UUID, Decimal]
    good_snapshots: tuple[FinishedGoodSnapshot, ...]
    unit_snapshots: tuple[FinishedUnitSnapshot, ...]
    material_snapshots: tuple[MaterialUnitSnapshot, ...]


def explode_assembly(plan: Plan, snapshots: PlanSnapshots) -> Demand:
    """Step 1: assembly quantities through nested goods, parents before children, exact."""
    goods: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for assembly in plan.assembly_targets:
        assert assembly.snapshot_id is not None
        goods[assembly.snapshot_id] += assembly.quantity
    units: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    materials: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    good_snapshots = snapshots.parents_first(list(goods), FinishedGoodSnapshot, _child_goods)
    for good in good_snapshots:
        quantity = goods[good.id]
        for component in good.components:
            amount = quantity * component.quantity
            if component.kind is ComponentKind.FINISHED_GOOD:
                goods[component.snapshot_id] += amount
            elif component.kind is ComponentKind.FINISHED_UNIT:
                units[component.snapshot_id] += amount
            else:
                materials[component.snapshot_id] += amount
    return Demand(
        goods=dict(goods),
        units=dict(units),
        materials=dict(materials),
        good_snapshots=tuple(good_snapshots),
        unit_snapshots=tuple(snapshots.get(i, FinishedUnitSnapshot) for i in units),
        material_snapshots=tuple(snapshots.get(i, MaterialUnitSnapshot) for i in materials),
    )


@attrs.frozen
class Batches:
    """Step 2's result: batches per recipe snapshot (``of``), the recipes parents first, and
    the requirement lines."""

    of: Mapping[uuid.UUID, Decimal]
    recipes: tuple[RecipeSnapshot, ...]
    lines: tuple[RecipeRequirement, ...]


def plan_batches(plan: Plan, demand: Demand, snapshots: PlanSnapshots) -> Batches:
    """Step 2: batches per recipe snapshot, from finished-unit demand, production targets and
    parent recipes (parents first, so a sub-recipe's demand is complete when it is reached)."""
    unit_batches: dict[uuid.UUID, Fraction] = {}
    # (sums start from Decimal(0), as they always have: 0 + 2E+2 is spelled 200)
    units_made: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    yields: dict[uuid.UUID, set[Decimal]] = {}
    for unit in demand.unit_snapshots:
        wanted = demand.units[unit.id]
        recipe_id = unit.recipe_snapshot_id
        # wanted ÷ items per batch as one exact fraction (one normalisation, not three)
        wanted_n, wanted_d = wanted.as_integer_ratio()
        per_n, per_d = unit.items_per_batch.as_integer_ratio()
        share = Fraction(wanted_n * per_d, wanted_d * per_n)
        if recipe_id in unit_batches:
            unit_batches[recipe_id] += share
            units_made[recipe_id] += wanted
            yields[recipe_id].add(unit.items_per_batch)
        else:
            unit_batches[recipe_id] = share
            units_made[recipe_id] += wanted
            yields[recipe_id] = {unit.items_per_batch}
    target_batches: dict[uuid.UUID, Decimal] = {}
    for production in plan.production_targets:
        assert production.snapshot_id is not None
        target_batches[production.snapshot_id] = production.batches
    sub_batches: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    recipes = snapshots.parents_first(
        [*target_batches, *unit_batches], RecipeSnapshot, _child_recipes
    )
    batches_of: dict[uuid.UUID, Decimal] = {}
    lines = []
    for recipe in recipes:
        recipe_id = recipe.id
        from_units = unit_batches.get(recipe_id)
        from_parents = sub_batches.get(recipe_id)
        target = target_batches.get(recipe_id)
        # finished-unit demand rounds up (the one declared rounding), a production target is a
        # floor, sub-recipe demand is exact
        needed: Fraction | None = None
        leftover = None
        if from_units is not None:
            needed = from_units if from_parents is None else from_units + Fraction(from_parents)
            batches = Decimal(math.ceil(needed))
            if target is not None:
                batches = max(batches, target)
            made_with = yields[recipe_id]
            if len(made_with) == 1:
                (per_batch,) = made_with
                leftover = batches * per_batch - units_made[recipe_id]
                if from_parents is not None:
                    leftover -= from_parents * per_batch
        elif from_parents is not None:
            needed = Fraction(from_parents)
            batches = from_parents if target is None else max(from_parents, target)
        else:
            assert target is not None  # reached as a root: a production target
            batches = target
        batches_of[recipe_id] = batches
        lines.append(
            RecipeRequirement(
                recipe_id=recipe.source_id,
                snapshot_id=recipe_id,
                name=recipe.name,
                batches=batches,
                needed_batches=batches if needed is None else exact_decimal(needed),
                leftover_units=leftover,
            )
        )
        for sub in recipe.sub_recipes:
            sub_batches[sub.snapshot_id] += batches * sub.batches
    return Batches(batches_of, tuple(recipes), tuple(lines))


_R = TypeVar("_R", FinishedUnitRequirement, MaterialRequirement)


def _by_name(lines: Iterable[_R]) -> tuple[_R, ...]:
    return tuple(sorted(lines, key=lambda r: (r.name, str(_source(r)))))


def _source(line: FinishedUnitRequirement | MaterialRequirement) -> uuid.UUID:
    if isinstance(line, FinishedUnitRequirement):
        return line.finished_unit_id
    return line.material_unit_id


def _sum_by_source(
    rows: Iterable[tuple[uuid.UUID, str, Decimal]],
) -> dict[tuple[uuid.UUID, str], Decimal]:
    totals: dict[tuple[uuid.UUID, str], Decimal] = defaultdict(Decimal)
    for source_id, name, quantity in rows:
        totals[source_id, name] += quantity
    return totals


def ingredient_totals(
    made: Iterable[tuple[RecipeSnapshot, Decimal]],
) -> tuple[IngredientRequirement, ...]:
    """Step 3: each recipe's lines times its batches, summed per ingredient and dimension: one unit
    stays as is, mixed units of one dimension are converted and summed in its base unit."""
    groups: dict[tuple[uuid.UUID, str, str], list[tuple[Decimal, str]]] = {}
    spelled: dict[str, tuple[str, str]] = {}  # a spelling's canonical unit and its dimension
    for recipe, batches in made:
        for line in recipe.lines:
            spelling = line.unit
            spelled_as = spelled.get(spelling)
            if spelled_as is None:
                spelled_as = spelled[spelling] = (canonical_unit(spelling), dimension_of(spelling))
            unit, dimension = spelled_as
            key = (line.ingredient_id, line.ingredient_name, dimension)
            amount = (line.quantity * batches, unit)
            group = groups.get(key)
            if group is None:
                groups[key] = [amount]
            else:
                group.append(amount)
    totals = []
    for (ingredient_id, name, dimension), amounts in groups.items():
        spellings = {unit for _, unit in amounts}
        if len(spellings) == 1:
            (unit,) = spellings
            quantity = sum((q for q, _ in amounts), Decimal(0))
        else:
            unit = BASE_UNITS[dimension]
            quantity = Decimal(0)
            for q, spelling in amounts:
                known = known_unit(spelling)
                assert known is not None  # two spellings in one dimension: both are known units
                quantity += q * known.factor
        totals.append(IngredientRequirement(ingredient_id, name, quantity, unit))
    return tuple(sorted(totals, key=lambda r: (r.name, r.unit, str(r.ingredient_id))))
