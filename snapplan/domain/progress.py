"""Progress: a plan's requirements side by side with what the ledger says was done.

Counted: every live run (not voided, not a void) recorded against the plan or any plan it
supersedes, directly or through earlier re-plans (what was baked before a re-plan still counts).
Runs are matched to the plan's lines by snapshot id first, then by catalog id where exactly one
line of the plan has it; a run whose recipe, good or wasted item matches no line is listed in
``unmatched`` (never silently dropped). Stock (finished units, goods) is counted by catalog id,
as the kitchen holds it.

What runs *used* is never dropped either: every ingredient and packaging material a counted run
used (those listed in ``unmatched`` too) has a line in ``ingredients`` or ``materials``. One the
plan no longer needs (an ingredient renamed into a new one, packaging a good no longer takes)
shows ``planned``/``needed`` 0 beside what was used; an amount used in another unit dimension
than the plan's line (cups of butter where the plan now needs grams) gets a line of its own for
that dimension, with ``planned`` 0, never merged into the plan's figure. The plan's own amounts
are always positive, so ``planned == 0`` (``in_plan`` False) says exactly "not in this plan".

Everything is exact; the only rounding is the ``ceil`` of ``makeup_batches``.
"""

from __future__ import annotations

import functools
import math
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.ledger import live_runs
from snapplan.domain.plan import Plan
from snapplan.domain.quantities import exact_arithmetic
from snapplan.domain.requirements import (
    PlanSnapshots,
    Requirements,
    batch_lines,
    explode_assembly,
    finished_unit_lines,
    plan_batches,
    requirements_of,
)
from snapplan.domain.runs import AssemblyRun, ProductionRun, Run, WasteRun
from snapplan.domain.snapshots import FinishedGoodSnapshot, Snapshot
from snapplan.domain.units import BASE_UNITS, canonical_unit, dimension_of, known_unit

_ZERO = Decimal(0)

#: An ingredient in one unit dimension: (ingredient id, dimension).
_Key = tuple[uuid.UUID, str]


@attrs.frozen
class RecipeProgress:
    """Batches of one recipe snapshot: planned, produced (made along as a sub-recipe too),
    remaining, and the ``makeup_batches`` beyond those it takes to replace missing items."""

    recipe_id: uuid.UUID
    snapshot_id: uuid.UUID
    name: str
    planned_batches: Decimal
    produced_batches: Decimal
    remaining_batches: Decimal
    makeup_batches: int


@attrs.frozen
class FinishedUnitProgress:
    """One finished unit: ``on_hand = produced - consumed - wasted``,
    ``remaining = max(0, needed - produced + wasted)``."""

    finished_unit_id: uuid.UUID
    name: str
    needed: Decimal
    produced: Decimal
    consumed: Decimal
    wasted: Decimal
    on_hand: Decimal
    remaining: Decimal


@attrs.frozen
class FinishedGoodProgress:
    """One good of the plan (a target or nested): ``remaining = max(0, planned - assembled +
    wasted)``; ``assemblable`` is how many could be assembled now from what is on hand ("can I
    box it?"), not capped by ``remaining``, 0 when a stocked component is at or below zero,
    None for a good of packaging only."""

    finished_good_id: uuid.UUID
    snapshot_id: uuid.UUID
    name: str
    planned: Decimal
    assembled: Decimal
    consumed: Decimal
    wasted: Decimal
    on_hand: Decimal
    remaining: Decimal
    assemblable: Decimal | None


@attrs.frozen
class MaterialProgress:
    """Packaging: ``needed`` by the plan, ``used`` by every counted assembly run (those in
    ``unmatched`` too), ``remaining = max(0, needed - used)``.

    A material the plan no longer needs but a counted run used is listed with ``needed`` 0
    (``in_plan`` is False), so that nothing used is dropped. One line per material, under the
    first name by sort when the plan's snapshots name it twice.
    """

    material_unit_id: uuid.UUID
    name: str
    needed: Decimal
    used: Decimal
    remaining: Decimal

    @property
    def in_plan(self) -> bool:
        """Whether the plan needs this material (else the line only shows what was used)."""
        return self.needed > 0


@attrs.frozen
class IngredientProgress:
    """One ingredient in one unit dimension: ``planned``, ``used`` by every counted production
    run (those in ``unmatched`` too: what went into the bowl is gone whichever recipe it was
    for), ``remaining = max(0, planned - used)``, all in ``unit``.

    ``unit`` follows the requirements' rules: the one unit when the plan and the runs all say
    the same, else the dimension's base unit (``g``, ``ml``, ``each``). An ingredient the plan
    does not need in this dimension, but that counted runs used in it (renamed into a new
    ingredient since, or its recipe line moved from cups to grams), is a line of its own with
    ``planned`` 0 (``in_plan`` is False): never summed into another dimension, never dropped.
    An ingredient the plan's snapshots name twice (captured before and after a rename that kept
    its id) is still one line per dimension, under the first name by sort, its use counted once.
    """

    ingredient_id: uuid.UUID
    name: str
    planned: Decimal
    used: Decimal
    remaining: Decimal
    unit: str

    @property
    def in_plan(self) -> bool:
        """Whether the plan needs this ingredient in this dimension (else the line only shows
        what was used)."""
        return self.planned > 0


@attrs.frozen
class Progress:
    """What is done and what is left of a plan (see the module docstring)."""

    plan_id: uuid.UUID
    recipes: tuple[RecipeProgress, ...]
    finished_units: tuple[FinishedUnitProgress, ...]
    goods: tuple[FinishedGoodProgress, ...]
    materials: tuple[MaterialProgress, ...]
    ingredients: tuple[IngredientProgress, ...]
    unmatched: tuple[Run, ...]

    @property
    def complete(self) -> bool:
        """True when nothing remains in ``recipes``, ``finished_units`` and ``goods``."""
        return (
            all(r.remaining_batches == 0 for r in self.recipes)
            and all(u.remaining == 0 for u in self.finished_units)
            and all(g.remaining == 0 for g in self.goods)
        )


class _Lines:
    """A plan's lines of one kind, by snapshot id and by catalog id, to match runs to."""

    def __init__(self, lines: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
        self.by_snapshot: dict[uuid.UUID, uuid.UUID] = {}
        by_catalog: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for snapshot_id, catalog_id in lines:
            self.by_snapshot[snapshot_id] = catalog_id
            by_catalog[catalog_id].append(snapshot_id)
        self.by_catalog = dict(by_catalog)

    def match(self, snapshot_id: uuid.UUID, catalog_id: uuid.UUID) -> uuid.UUID | None:
        """The line (snapshot id) a run names, or None: by snapshot first, then by catalog id
        when exactly one line has it."""
        if snapshot_id in self.by_snapshot:
            return snapshot_id
        candidates = self.by_catalog.get(catalog_id, [])
        return candidates[0] if len(candidates) == 1 else None


def work_left(
    plan: Plan,
    snapshots: Mapping[uuid.UUID, Snapshot],
    ledger: Sequence[Run],
    counted_plans: Collection[uuid.UUID],
) -> tuple[tuple[RecipeProgress, ...], tuple[FinishedGoodProgress, ...]]:
    """The ``recipes`` and ``goods`` of :func:`compute_progress`, alone: what is still to bake
    (remaining and make-up batches) and to assemble, for the shopping list."""
    with exact_arithmetic():
        return _Progress(plan, snapshots, ledger, counted_plans).work_left()


def compute_progress(
    plan: Plan,
    snapshots: Mapping[uuid.UUID, Snapshot],
    ledger: Sequence[Run],
    counted_plans: Collection[uuid.UUID],
) -> Progress:
    """Progress of ``plan`` from its snapshots and its event's ``ledger`` (voids included, in
    any order): the live runs recorded against a plan of ``counted_plans`` (the plan and those
    it supersedes) are counted. A void cancels its run whatever plan it was recorded under."""
    with exact_arithmetic():
        return _Progress(plan, snapshots, ledger, counted_plans).result()


class _Progress:
    def __init__(
        self,
        plan: Plan,
        snapshots: Mapping[uuid.UUID, Snapshot],
        ledger: Sequence[Run],
        counted_plans: Collection[uuid.UUID],
    ) -> None:
        found = PlanSnapshots(snapshots)
        self.plan = plan
        self.demand = explode_assembly(plan, found)
        self.batches = plan_batches(plan, self.demand, found)
        self.runs = [run for run in live_runs(ledger) if run.plan_id in counted_plans]
        self.recipe_lines = _Lines((r.id, r.source_id) for r in self.batches.recipes)
        self.good_lines = _Lines((g.id, g.source_id) for g in self.demand.good_snapshots)
        self.unit_ids = {u.source_id for u in self.demand.unit_snapshots}

    @functools.cached_property
    def requirements(self) -> Requirements:
        """The plan's requirements, from the demand and batches already worked out."""
        return requirements_of(self.plan, self.demand, self.batches)

    def result(self) -> Progress:
        units = self._finished_units()
        goods = self._goods({u.finished_unit_id: u.on_hand for u in units})
        return Progress(
            plan_id=self.plan.id,
            recipes=self._recipes({u.finished_unit_id: u for u in units}),
            finished_units=units,
            goods=goods,
            materials=self._materials(),
            ingredients=self._ingredients(),
            unmatched=tuple(run for run in self.runs if not self._matched(run)),
        )

    def work_left(self) -> tuple[tuple[RecipeProgress, ...], tuple[FinishedGoodProgress, ...]]:
        """Only the recipes and goods of :meth:`result` (what a shopping list needs), without
        working out the ingredients and the packaging."""
        units = self._finished_units()
        goods = self._goods({u.finished_unit_id: u.on_hand for u in units})
        return self._recipes({u.finished_unit_id: u for u in units}), goods

    # -- what each run is counted for --------------------------------------------------------

    def _matched(self, run: Run) -> bool:
        if isinstance(run, ProductionRun):
            return self.recipe_lines.match(run.recipe_snapshot_id, run.recipe_id) is not None
        if isinstance(run, AssemblyRun):
            return (
                self.good_lines.match(run.finished_good_snapshot_id, run.finished_good_id)
                is not None
            )
        if isinstance(run, WasteRun):
            if run.item_kind is ComponentKind.FINISHED_UNIT:
                return run.item_id in self.unit_ids
            return self.good_lines.match(run.item_snapshot_id, run.item_id) is not None
        return False

    # -- the parts ---------------------------------------------------------------------------

    def _finished_units(self) -> tuple[FinishedUnitProgress, ...]:
        produced: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        consumed: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        wasted: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for run in self.runs:
            if isinstance(run, ProductionRun) and run.finished_unit_id and run.items is not None:
                produced[run.finished_unit_id] += run.items
            elif isinstance(run, AssemblyRun):
                for part in run.consumed:
                    if part.kind is ComponentKind.FINISHED_UNIT:
                        consumed[part.id] += part.quantity
            elif isinstance(run, WasteRun) and run.item_kind is ComponentKind.FINISHED_UNIT:
                wasted[run.item_id] += run.quantity
        lines = []
        for need in finished_unit_lines(self.demand):
            unit_id = need.finished_unit_id
            made, taken, lost = produced[unit_id], consumed[unit_id], wasted[unit_id]
            lines.append(
                FinishedUnitProgress(
                    finished_unit_id=unit_id,
                    name=need.name,
                    needed=need.quantity,
                    produced=made,
                    consumed=taken,
                    wasted=lost,
                    on_hand=made - taken - lost,
                    remaining=max(_ZERO, need.quantity - made + lost),
                )
            )
        return tuple(lines)

    def _recipes(
        self, units: Mapping[uuid.UUID, FinishedUnitProgress]
    ) -> tuple[RecipeProgress, ...]:
        produced: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for run in self.runs:
            if not isinstance(run, ProductionRun):
                continue
            line = self.recipe_lines.match(run.recipe_snapshot_id, run.recipe_id)
            if line is not None:
                produced[line] += run.batches
            for along in run.sub_recipe_batches:
                line = self.recipe_lines.match(along.recipe_snapshot_id, along.recipe_id)
                if line is not None:
                    produced[line] += along.batches
        yields: dict[uuid.UUID, list[tuple[uuid.UUID, Decimal]]] = defaultdict(list)
        for unit in self.demand.unit_snapshots:
            yields[unit.recipe_snapshot_id].append((unit.source_id, unit.items_per_batch))
        lines = []
        for need in batch_lines(self.batches):
            made = produced[need.snapshot_id]
            remaining = max(_ZERO, need.batches - made)
            makeup = 0
            for unit_id, per_batch in yields[need.snapshot_id]:
                counted = units[unit_id]
                missing = counted.needed - counted.produced + counted.wasted
                short = missing - remaining * per_batch
                if short > 0:
                    makeup = max(makeup, math.ceil(Fraction(short) / Fraction(per_batch)))
            lines.append(
                RecipeProgress(
                    recipe_id=need.recipe_id,
                    snapshot_id=need.snapshot_id,
                    name=need.name,
                    planned_batches=need.batches,
                    produced_batches=made,
                    remaining_batches=remaining,
                    makeup_batches=makeup,
                )
            )
        return tuple(lines)

    def _goods(self, unit_on_hand: Mapping[uuid.UUID, Decimal]) -> tuple[FinishedGoodProgress, ...]:
        assembled: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        consumed: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        wasted: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for run in self.runs:
            if isinstance(run, AssemblyRun):
                line = self.good_lines.match(run.finished_good_snapshot_id, run.finished_good_id)
                if line is not None:
                    assembled[line] += run.quantity
                for part in run.consumed:
                    if part.kind is ComponentKind.FINISHED_GOOD:
                        line = self.good_lines.match(part.snapshot_id, part.id)
                        if line is not None:
                            consumed[line] += part.quantity
            elif isinstance(run, WasteRun) and run.item_kind is ComponentKind.FINISHED_GOOD:
                line = self.good_lines.match(run.item_snapshot_id, run.item_id)
                if line is not None:
                    wasted[line] += run.quantity
        on_hand = {
            good.id: assembled[good.id] - consumed[good.id] - wasted[good.id]
            for good in self.demand.good_snapshots
        }
        good_on_hand: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for good in self.demand.good_snapshots:
            good_on_hand[good.source_id] += on_hand[good.id]
        lines = [
            FinishedGoodProgress(
                finished_good_id=good.source_id,
                snapshot_id=good.id,
                name=good.name,
                planned=self.demand.goods[good.id],
                assembled=assembled[good.id],
                consumed=consumed[good.id],
                wasted=wasted[good.id],
                on_hand=on_hand[good.id],
                remaining=max(
                    _ZERO, self.demand.goods[good.id] - assembled[good.id] + wasted[good.id]
                ),
                assemblable=_assemblable(good, unit_on_hand, good_on_hand),
            )
            for good in self.demand.good_snapshots
        ]
        return tuple(sorted(lines, key=lambda g: (g.name, str(g.snapshot_id))))

    def _materials(self) -> tuple[MaterialProgress, ...]:
        """One line per material that the plan needs or a counted assembly run used."""
        needed: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        names: dict[uuid.UUID, str] = {}
        for need in self.requirements.materials:  # by name: the first name is the line's
            needed[need.material_unit_id] += need.quantity
            names.setdefault(need.material_unit_id, need.name)
        used: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        used_names: dict[uuid.UUID, str] = {}
        for run in self.runs:
            if isinstance(run, AssemblyRun):
                for part in run.consumed:
                    if part.kind is ComponentKind.MATERIAL_UNIT:
                        used[part.id] += part.quantity
                        used_names[part.id] = part.name  # the latest run's name
        lines = []
        for material_id in needed.keys() | used.keys():
            wanted, done = needed.get(material_id, _ZERO), used.get(material_id, _ZERO)
            lines.append(
                MaterialProgress(
                    material_unit_id=material_id,
                    name=names[material_id] if material_id in names else used_names[material_id],
                    needed=wanted,
                    used=done,
                    remaining=max(_ZERO, wanted - done),
                )
            )
        return tuple(sorted(lines, key=lambda m: (m.name, str(m.material_unit_id))))

    def _ingredients(self) -> tuple[IngredientProgress, ...]:
        """One line per ingredient and dimension that the plan needs or a counted run used."""
        planned: dict[_Key, list[tuple[Decimal, str]]] = defaultdict(list)
        names: dict[_Key, str] = {}
        for need in self.requirements.ingredients:  # by name: the first name is the line's
            key = (need.ingredient_id, dimension_of(need.unit))
            planned[key].append((need.quantity, need.unit))
            names.setdefault(key, need.name)
        used: dict[_Key, list[tuple[Decimal, str]]] = defaultdict(list)
        used_names: dict[_Key, str] = {}
        for run in self.runs:
            if isinstance(run, ProductionRun):
                for use in run.ingredients:
                    key = (use.ingredient_id, dimension_of(use.unit))
                    used[key].append((use.quantity, use.unit))
                    used_names[key] = use.name  # the latest run's name
        lines = []
        for key in planned.keys() | used.keys():
            ingredient_id, dimension = key
            needs, uses = planned.get(key, []), used.get(key, [])
            spellings = {canonical_unit(unit) for _, unit in (*needs, *uses)}
            if len(spellings) == 1:
                (unit,) = spellings
                total = _sum
            else:
                unit = BASE_UNITS[dimension]
                total = _sum_in_base
            wanted, done = total(needs), total(uses)
            lines.append(
                IngredientProgress(
                    ingredient_id=ingredient_id,
                    name=names[key] if key in names else used_names[key],
                    planned=wanted,
                    used=done,
                    remaining=max(_ZERO, wanted - done),
                    unit=unit,
                )
            )
        return tuple(sorted(lines, key=lambda i: (i.name, i.unit, str(i.ingredient_id))))


def _sum(amounts: Iterable[tuple[Decimal, str]]) -> Decimal:
    return sum((quantity for quantity, _ in amounts), _ZERO)


def _sum_in_base(amounts: Iterable[tuple[Decimal, str]]) -> Decimal:
    return sum((_in_base(quantity, unit) for quantity, unit in amounts), _ZERO)


def _in_base(quantity: Decimal, unit: str) -> Decimal:
    known = known_unit(unit)
    assert known is not None  # two spellings in one dimension: both are known units
    return quantity * known.factor


def _assemblable(
    good: FinishedGoodSnapshot,
    unit_on_hand: Mapping[uuid.UUID, Decimal],
    good_on_hand: Mapping[uuid.UUID, Decimal],
) -> Decimal | None:
    """How many of ``good`` its stocked components on hand make now (None: packaging only)."""
    counts: list[Decimal] = []
    for part in good.components:
        if part.kind is ComponentKind.MATERIAL_UNIT:
            continue
        stock = (unit_on_hand if part.kind is ComponentKind.FINISHED_UNIT else good_on_hand).get(
            part.source_id, _ZERO
        )
        counts.append(
            _ZERO if stock <= 0 else Decimal(math.floor(Fraction(stock) / Fraction(part.quantity)))
        )
    return min(counts) if counts else None
