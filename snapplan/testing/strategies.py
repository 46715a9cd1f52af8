"""Hypothesis strategies for every snapplan type and for whole consistent catalogs.

>>> from hypothesis import given
>>> from snapplan.testing import strategies as sps
>>> @given(sps.catalogs())
... def test_plans(case): ...

:func:`catalogs` draws random DAGs of finished goods and sub-recipes (shared children, i.e.
diamonds, are common) within the default :class:`~snapplan.Limits`, with events whose targets
name existing definitions. ``catalogs(cycle=True)`` plants one loop of goods or of sub-recipes
that an event reaches; plan such catalogs with generous limits to see the ``CycleError``.

For buying: :func:`measures` (always a forest) and :func:`contradicting_measures` (never one),
:func:`products`, :func:`price_quotes`, and :func:`pantry_histories`: stocked items with their
products, a recipe, and a random history of purchases, prices, counts, uses, voids, bakes and
retries that :meth:`PantryHistory.record` puts into any store through the services.

Needs ``pip install snapplan[testing]``.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs
from hypothesis import strategies as st

from snapplan.domain.catalog import (
    Component,
    ComponentKind,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Recipe,
    SubRecipe,
)
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.measures import Measure
from snapplan.domain.plan import Plan
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
from snapplan.domain.runs import (
    AssemblyRun,
    Consumption,
    IngredientUse,
    MadeAlong,
    ProductionRun,
    Run,
    RunVoid,
    Shortage,
    WasteRun,
)
from snapplan.domain.snapshots import (
    ComponentSnapshot,
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeLineSnapshot,
    RecipeSnapshot,
    SubRecipeSnapshot,
)
from snapplan.domain.units import dimension_of
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services.catalog import add_catalog

ids = st.uuids(version=4)

#: Printable names, unicode included; never blank, never NUL, no white space at either end.
names = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=24).filter(
    lambda name: name.strip() == name and bool(name)
)

#: Known units, their aliases, and a few units of no known dimension.
units = st.sampled_from(
    ["g", "kg", "mg", "oz", "lb", "ml", "l", "tsp", "tbsp", "cup", "fl_oz", "each", "dozen",
     "grams", "cups", "teaspoon", "pound", "pinch", "sprig", "packet"]
)  # fmt: skip


@functools.cache
def amounts(*, max_places: int = 3, max_value: int = 1000) -> st.SearchStrategy[Decimal]:
    """Positive exact amounts: small decimals, integers, and now and then 30 digits (the same
    strategy object for the same arguments: building one costs more than drawing from it)."""
    return st.one_of(
        st.decimals(
            min_value=Decimal(1).scaleb(-max_places),
            max_value=max_value,
            places=max_places,
            allow_nan=False,
            allow_infinity=False,
        ),
        st.integers(1, max_value).map(Decimal),
        st.integers(10**29, 10**30 - 1).map(lambda n: Decimal(n).scaleb(-15)),
    )


#: Small positive amounts, for multipliers that nest (keeps products readable).
multipliers = st.sampled_from([Decimal(x) for x in ("0.5", "1", "2", "3", "0.25", "1.5", "6")])

utc_datetimes = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1),
    timezones=st.just(datetime.UTC),
)  # fmt: skip
digests = st.binary(min_size=32, max_size=32).map(bytes.hex)

_T = TypeVar("_T")

# Drawing from a list known only while drawing: by index. A strategy built while drawing
# (``st.sampled_from(a_new_list)``) is validated again at every draw, which cost a drawn catalog
# more than everything else it does; ``st.integers`` and ``st.lists`` of hashable arguments are
# built once and cached by hypothesis.


def _one(draw: st.DrawFn, options: Sequence[_T]) -> _T:
    """One of ``options`` (not empty), shrinking towards the first."""
    return options[draw(st.integers(0, len(options) - 1))]


def _some(draw: st.DrawFn, options: Sequence[_T], *, max_size: int) -> list[_T]:
    """Up to ``max_size`` distinct elements of ``options`` (none if it is empty), in the order
    drawn."""
    if not options:
        return []
    chosen = st.lists(st.integers(0, len(options) - 1), max_size=max_size, unique=True)
    return [options[index] for index in draw(chosen)]


#: What an item's measures may join to mass (a star around mass: always a forest).
_MEASURED_DIMENSIONS = ("cup", "tbsp", "each", "stick", "large")


@functools.cache
def measures(*, around: str = "g") -> st.SearchStrategy[tuple[Measure, ...]]:
    """A few measures of one item, joining other dimensions to ``around``'s (mass by default):
    never two between the same dimensions, so they never contradict."""
    return _measures(around=around)


_MEASURE_UNITS: Final = st.lists(st.sampled_from(_MEASURED_DIMENSIONS), max_size=3, unique=True)


@st.composite
def _measures(draw: st.DrawFn, *, around: str) -> tuple[Measure, ...]:
    chosen = draw(_MEASURE_UNITS)
    kept = [unit for unit in chosen if dimension_of(unit) != dimension_of(around)]
    # two spellings of one dimension (cup, tbsp) would join it twice: keep the first
    unique = list({dimension_of(unit): unit for unit in reversed(kept)}.values())[::-1]
    return tuple(
        Measure(draw(multipliers), unit, draw(amounts(max_value=500)), around) for unit in unique
    )


@functools.cache
def ingredients() -> st.SearchStrategy[Ingredient]:
    """Any ingredient, with or without measures."""
    return st.builds(Ingredient, name=names, id=ids, measures=measures())


def products(item_ids: st.SearchStrategy[uuid.UUID] = ids) -> st.SearchStrategy[Product]:
    """A product of one of ``item_ids`` (the item need not exist)."""
    return st.builds(
        Product, item_id=item_ids, name=names, pack_quantity=amounts(max_value=5000),
        pack_unit=st.sampled_from(["g", "kg", "lb", "each", "dozen", "ml", "cup"]),
        min_packs=st.integers(1, 3), preferred=st.booleans(), active=st.booleans(), id=ids,
    )  # fmt: skip


def price_quotes(product_ids: st.SearchStrategy[uuid.UUID] = ids) -> st.SearchStrategy[PriceQuote]:
    """A quote for one of ``product_ids``, at any ``seq``."""
    return st.builds(
        PriceQuote, product_id=product_ids,
        price=st.decimals(min_value=0, max_value=1000, places=2),
        currency=st.sampled_from(["EUR", "USD", "GBP"]), at=utc_datetimes,
        seq=st.integers(1, 2**40), note=st.just("") | names, id=ids,
    )  # fmt: skip


def ingredient_lines(
    ingredient_ids: st.SearchStrategy[uuid.UUID] = ids,
) -> st.SearchStrategy[IngredientLine]:
    """A recipe line on one of ``ingredient_ids``."""
    return st.builds(
        IngredientLine, ingredient_id=ingredient_ids, quantity=amounts(), unit=units,
        note=st.one_of(st.just(""), names),
    )  # fmt: skip


@functools.cache
def recipes() -> st.SearchStrategy[Recipe]:
    """A recipe with arbitrary lines and sub-recipes (references need not exist)."""
    return st.builds(
        Recipe, name=names, id=ids,
        lines=st.lists(ingredient_lines(), max_size=4),
        sub_recipes=st.lists(st.builds(SubRecipe, recipe_id=ids, batches=amounts()), max_size=2),
    )  # fmt: skip


@functools.cache
def finished_units() -> st.SearchStrategy[FinishedUnit]:
    """A finished unit of some recipe."""
    return st.builds(FinishedUnit, name=names, recipe_id=ids, items_per_batch=amounts(), id=ids)


@functools.cache
def material_units() -> st.SearchStrategy[MaterialUnit]:
    """Any material unit, with or without measures (from its count to a roll's metres)."""
    return st.builds(
        MaterialUnit, name=names, id=ids, measures=st.just(()) | measures(around="each")
    )


@functools.cache
def components() -> st.SearchStrategy[Component]:
    """A component of any kind."""
    return st.builds(Component, kind=st.sampled_from(ComponentKind), ref=ids, quantity=amounts())


@functools.cache
def finished_goods() -> st.SearchStrategy[FinishedGood]:
    """A finished good with arbitrary components."""
    return st.builds(
        FinishedGood, name=names, components=st.lists(components(), max_size=4), id=ids
    )


@functools.cache
def events() -> st.SearchStrategy[Event]:
    """An event with targets on arbitrary ids, with or without snapshot ids."""
    return st.builds(
        Event, name=names, id=ids,
        production_targets=st.lists(
            st.builds(ProductionTarget, recipe_id=ids, batches=amounts(),
                      snapshot_id=st.none() | ids),
            max_size=3, unique_by=lambda t: t.recipe_id,
        ),
        assembly_targets=st.lists(
            st.builds(AssemblyTarget, finished_good_id=ids, quantity=amounts(),
                      snapshot_id=st.none() | ids),
            max_size=3, unique_by=lambda t: t.finished_good_id,
        ),
        date=st.none() | st.dates(),
    )  # fmt: skip


def _snapshot_fields() -> dict[str, st.SearchStrategy[Any]]:
    return {"source_id": ids, "name": names, "plan_id": ids, "captured_at": utc_datetimes,
            "digest": digests, "id": ids}  # fmt: skip


def recipe_snapshots() -> st.SearchStrategy[RecipeSnapshot]:
    """A recipe snapshot (children's snapshot ids are arbitrary)."""
    return st.builds(
        RecipeSnapshot, **_snapshot_fields(),
        lines=st.lists(st.builds(RecipeLineSnapshot, ingredient_id=ids, ingredient_name=names,
                                 quantity=amounts(), unit=units, note=st.just("") | names),
                       max_size=3),
        sub_recipes=st.lists(st.builds(SubRecipeSnapshot, recipe_id=ids, batches=amounts(),
                                       snapshot_id=ids), max_size=2),
    )  # fmt: skip


def finished_unit_snapshots() -> st.SearchStrategy[FinishedUnitSnapshot]:
    """A finished-unit snapshot."""
    return st.builds(FinishedUnitSnapshot, **_snapshot_fields(), recipe_id=ids,
                     recipe_snapshot_id=ids, items_per_batch=amounts())  # fmt: skip


def material_unit_snapshots() -> st.SearchStrategy[MaterialUnitSnapshot]:
    """A material-unit snapshot."""
    return st.builds(MaterialUnitSnapshot, **_snapshot_fields())


def finished_good_snapshots() -> st.SearchStrategy[FinishedGoodSnapshot]:
    """A finished-good snapshot."""
    return st.builds(
        FinishedGoodSnapshot, **_snapshot_fields(),
        components=st.lists(st.builds(ComponentSnapshot, kind=st.sampled_from(ComponentKind),
                                      source_id=ids, quantity=amounts(), snapshot_id=ids),
                            max_size=3),
    )  # fmt: skip


def snapshots() -> st.SearchStrategy[Any]:
    """A snapshot of any of the four kinds."""
    return st.one_of(recipe_snapshots(), finished_unit_snapshots(), material_unit_snapshots(),
                     finished_good_snapshots())  # fmt: skip


def _entry_fields() -> dict[str, st.SearchStrategy[Any]]:
    """What every ledger entry has but its place in the chain (event, seq, digest)."""
    return {"id": ids, "plan_id": ids, "recorded_at": utc_datetimes,
            "key": st.none() | names, "note": st.just("") | names, "by": st.none() | names,
            "amends": st.none() | ids}  # fmt: skip


@st.composite
def _production_fields(draw: st.DrawFn) -> dict[str, Any]:
    fields = draw(st.fixed_dictionaries({
        **_entry_fields(), "recipe_id": ids, "recipe_snapshot_id": ids, "name": names,
        "batches": amounts(),
        "sub_recipe_batches": st.lists(st.builds(MadeAlong, ids, ids, names, amounts()),
                                       max_size=2),
        "ingredients": st.lists(st.builds(IngredientUse, ids, names, amounts(), units),
                                max_size=3),
    }))  # fmt: skip
    if draw(st.booleans()):
        fields.update(finished_unit_id=draw(ids), finished_unit_snapshot_id=draw(ids),
                      items=draw(st.just(Decimal(0)) | amounts()))  # fmt: skip
    return fields


_KINDS_IN_STOCK = st.sampled_from([ComponentKind.FINISHED_UNIT, ComponentKind.FINISHED_GOOD])

#: The fields of a new ledger entry of each kind, but its place in the chain.
_ENTRY_FIELDS: dict[type[Run], st.SearchStrategy[dict[str, Any]]] = {
    ProductionRun: _production_fields(),
    AssemblyRun: st.fixed_dictionaries({
        **_entry_fields(), "finished_good_id": ids, "finished_good_snapshot_id": ids,
        "name": names, "quantity": amounts(),
        "consumed": st.lists(st.builds(Consumption, st.sampled_from(ComponentKind), ids, ids,
                                       names, amounts()), max_size=3),
        "allow_shortage": st.booleans(),
        "allowed_shortages": st.lists(st.builds(Shortage, st.sampled_from(ComponentKind), ids,
                                                names, amounts(), amounts()), max_size=2),
    }),
    WasteRun: st.fixed_dictionaries({
        **_entry_fields(), "item_kind": _KINDS_IN_STOCK, "item_id": ids, "item_snapshot_id": ids,
        "name": names, "quantity": amounts(), "reason": names,
    }),
    RunVoid: st.fixed_dictionaries({**_entry_fields(), "run_id": ids, "reason": names}),
}  # fmt: skip


@st.composite
def ledgers(
    draw: st.DrawFn, *, event_id: uuid.UUID | None = None, min_size: int = 1, max_size: int = 6
) -> list[Run]:
    """An event's ledger built by hand: ``min_size .. max_size`` entries of any kind, ``seq``
    1, 2, 3 … and each ``digest`` chained to the entry before it
    (:meth:`~snapplan.domain.runs.LedgerEntry.after`), so a store takes them in order.

    The values are arbitrary but valid (ids, amounts, names, keys): no stock rule, no key rule,
    no snapshot behind them (what the services would refuse, a store's ledger repository
    stores). Use :func:`planned_ledgers` for a ledger recorded through the services."""
    event = event_id if event_id is not None else draw(ids)
    entries: list[Run] = []
    for _ in range(draw(st.integers(min_size, max_size))):
        kind = _one(draw, list(_ENTRY_FIELDS))
        fields = draw(_ENTRY_FIELDS[kind])
        entries.append(kind.after(entries[-1] if entries else None, event_id=event, **fields))
    return entries


def plans() -> st.SearchStrategy[Plan]:
    """A plan record whose targets all carry snapshot ids."""
    return st.builds(
        Plan, event_id=ids, created_at=utc_datetimes, id=ids, supersedes=st.none() | ids,
        production_targets=st.lists(
            st.builds(ProductionTarget, recipe_id=ids, batches=amounts(), snapshot_id=ids),
            max_size=3, unique_by=lambda t: t.recipe_id),
        assembly_targets=st.lists(
            st.builds(AssemblyTarget, finished_good_id=ids, quantity=amounts(), snapshot_id=ids),
            max_size=3, unique_by=lambda t: t.finished_good_id),
    )  # fmt: skip


# -- whole catalogs -----------------------------------------------------------------------------


@attrs.frozen
class CatalogCase:
    """A drawn catalog with its events. ``cycle`` is the planted loop (kind, ids), if any."""

    ingredients: tuple[Ingredient, ...]
    recipes: tuple[Recipe, ...]
    finished_units: tuple[FinishedUnit, ...]
    material_units: tuple[MaterialUnit, ...]
    finished_goods: tuple[FinishedGood, ...]
    events: tuple[Event, ...]
    cycle: tuple[str, tuple[uuid.UUID, ...]] | None = None

    def save(self, uow: UnitOfWork) -> None:
        """Add everything to a unit of work (one ``add_many`` per repository; joined if entered,
        else committed)."""
        add_catalog(
            uow,
            (*self.ingredients, *self.recipes, *self.finished_units, *self.material_units,
             *self.finished_goods, *self.events),
        )  # fmt: skip

    def edges(self, kind: str) -> dict[uuid.UUID, set[uuid.UUID]]:
        """Parent → children ids among ``"recipes"`` (sub-recipes) or ``"goods"``."""
        if kind == "recipes":
            return {r.id: {s.recipe_id for s in r.sub_recipes} for r in self.recipes}
        return {
            g.id: {c.ref for c in g.components if c.kind is ComponentKind.FINISHED_GOOD}
            for g in self.finished_goods
        }


def _id_of(item: Ingredient | MaterialUnit) -> uuid.UUID:
    return item.id


_INGREDIENT_LISTS: Final = st.lists(ingredients(), min_size=1, max_size=4, unique_by=_id_of)
_MATERIAL_LISTS: Final = st.lists(material_units(), max_size=3, unique_by=_id_of)
_UP_TO_3: Final = st.integers(0, 3)
_NOTES: Final = st.just("") | names


def _line(draw: st.DrawFn, ingredient_ids: Sequence[uuid.UUID]) -> IngredientLine:
    """A recipe line on one of ``ingredient_ids``."""
    return IngredientLine(_one(draw, ingredient_ids), draw(amounts()), draw(units), draw(_NOTES))


@st.composite
def catalogs(
    draw: st.DrawFn, *, cycle: bool = False, max_recipes: int = 7, max_goods: int = 6
) -> CatalogCase:
    """A consistent catalog (a random DAG, diamonds included) with one or two events.

    Every id is drawn, so a test that picks items by id (a state machine) is reproducible.

    Every reference exists, sub-recipe paths hold at most 3 recipes and goods nest at most a few
    levels, so planning with the default limits succeeds. With ``cycle=True`` one loop of
    recipes or of goods is planted and the first event targets it.
    """
    ingredient_list = draw(_INGREDIENT_LISTS)
    ingredient_ids = [i.id for i in ingredient_list]
    n_recipes = draw(st.integers(1, max_recipes))
    recipe_ids = [draw(ids) for _ in range(n_recipes)]
    # Recipe i may use recipes j > i as sub-recipes: a DAG; shared children make diamonds.
    heights = [1] * n_recipes
    recipe_by_index: dict[int, Recipe] = {}
    for i in reversed(range(n_recipes)):
        later = list(range(i + 1, n_recipes))
        chosen = [c for c in _some(draw, later, max_size=3) if heights[c] + 1 <= 3]
        heights[i] = 1 + max((heights[c] for c in chosen), default=0)
        recipe_by_index[i] = Recipe(
            name=draw(names), id=recipe_ids[i],
            lines=[_line(draw, ingredient_ids) for _ in range(draw(_UP_TO_3))],
            sub_recipes=[SubRecipe(recipe_ids[c], draw(multipliers)) for c in chosen],
        )  # fmt: skip
    recipe_list = [recipe_by_index[i] for i in range(n_recipes)]
    units_list = [
        FinishedUnit(
            draw(names),
            _one(draw, recipe_ids),
            draw(amounts(max_value=60)),
            id=draw(ids),
        )
        for _ in range(draw(st.integers(0, 5)))
    ]
    materials = draw(_MATERIAL_LISTS)
    n_goods = draw(st.integers(0, max_goods))
    good_ids = [draw(ids) for _ in range(n_goods)]
    good_by_index: dict[int, FinishedGood] = {}
    for i in reversed(range(n_goods)):
        options: list[tuple[ComponentKind, uuid.UUID]] = (
            [(ComponentKind.FINISHED_UNIT, u.id) for u in units_list]
            + [(ComponentKind.MATERIAL_UNIT, m.id) for m in materials]
            + [(ComponentKind.FINISHED_GOOD, good_ids[j]) for j in range(i + 1, n_goods)]
        )
        chosen_parts = _some(draw, options, max_size=4)
        good_by_index[i] = FinishedGood(
            draw(names), [Component(k, ref, draw(multipliers)) for k, ref in chosen_parts],
            id=good_ids[i],
        )  # fmt: skip
    goods = [good_by_index[i] for i in range(n_goods)]
    planted: tuple[str, tuple[uuid.UUID, ...]] | None = None
    if cycle:
        recipe_list, goods, planted = draw(_plant_cycle(recipe_list, goods))
    event_list = []
    for _ in range(draw(st.integers(1, 2))):
        targeted_recipes = _some(draw, recipe_ids, max_size=3)
        targeted_goods = _some(draw, good_ids, max_size=3)
        event_list.append(
            Event(
                draw(names),
                [ProductionTarget(r, draw(amounts(max_value=20))) for r in targeted_recipes],
                [AssemblyTarget(g, draw(amounts(max_value=20))) for g in targeted_goods],
                id=draw(ids),
            )
        )
    if planted is not None:
        kind, loop = planted
        first = event_list[0]
        if kind == "recipes" and loop[0] not in {t.recipe_id for t in first.production_targets}:
            first = attrs.evolve(
                first, production_targets=(*first.production_targets, ProductionTarget(loop[0], 1))
            )
        elif kind == "goods" and loop[0] not in {
            t.finished_good_id for t in first.assembly_targets
        }:
            first = attrs.evolve(
                first, assembly_targets=(*first.assembly_targets, AssemblyTarget(loop[0], 1))
            )
        event_list[0] = first
    return CatalogCase(
        tuple(ingredient_list), tuple(recipe_list), tuple(units_list), tuple(materials),
        tuple(goods), tuple(event_list), planted,
    )  # fmt: skip


@st.composite
def _plant_cycle(
    draw: st.DrawFn, recipe_list: list[Recipe], goods: list[FinishedGood]
) -> tuple[list[Recipe], list[FinishedGood], tuple[str, tuple[uuid.UUID, ...]]]:
    kinds = ["recipes"] + (["goods"] if goods else [])
    kind = _one(draw, kinds)
    pool: list[Recipe | FinishedGood] = [*recipe_list] if kind == "recipes" else [*goods]
    size = draw(st.integers(1, min(3, len(pool))))
    members = draw(st.permutations(range(len(pool))))[:size]
    loop = (*(pool[m].id for m in members), pool[members[0]].id)
    changed = list(pool)
    for position, member in enumerate(members):
        child = loop[position + 1]
        item = changed[member]
        if isinstance(item, Recipe):
            changed[member] = attrs.evolve(
                item, sub_recipes=(*item.sub_recipes, SubRecipe(child, draw(multipliers)))
            )
        elif isinstance(item, FinishedGood):
            changed[member] = attrs.evolve(
                item,
                components=(
                    *item.components,
                    Component(ComponentKind.FINISHED_GOOD, child, draw(multipliers)),
                ),
            )
    if kind == "recipes":
        return [r for r in changed if isinstance(r, Recipe)], goods, (kind, loop)
    return recipe_list, [g for g in changed if isinstance(g, FinishedGood)], (kind, loop)


# -- plans with a ledger ---------------------------------------------------------------------------


@attrs.frozen
class LedgerCase:
    """A drawn catalog planned once, with a valid random ledger recorded against the plan.

    :meth:`items` gives everything in an order :func:`snapplan.testing.catalog.add_all` can
    store in one unit of work (catalog, events, snapshots, the plan, the ledger).
    """

    catalog: CatalogCase
    plan: Plan
    snapshots: tuple[Any, ...]
    runs: tuple[Any, ...]
    #: True when a void was let go past a shortage (``void_run(..., allow_shortage=True)``
    #: recorded where stock could not cover it): a void does not say so itself.
    void_went_short: bool = False

    def items(self) -> tuple[Any, ...]:
        """Every value to store, in dependency order."""
        case = self.catalog
        return (
            *case.ingredients, *case.recipes, *case.finished_units, *case.material_units,
            *case.finished_goods, *case.events, *self.snapshots, self.plan, *self.runs,
        )  # fmt: skip


_RUN_AMOUNTS: Final = st.sampled_from([Decimal(1), Decimal(2), Decimal("0.5"), Decimal(3)])


@st.composite
def planned_ledgers(
    draw: st.DrawFn, *, max_runs: int = 8, max_recipes: int = 4, max_goods: int = 4
) -> LedgerCase:
    """A catalog (see :func:`catalogs`) whose first event is planned on a memory store, then
    ``0 .. max_runs`` random production, assembly and waste runs and voids recorded through the
    services (so the ledger obeys every rule: ``seq`` without gaps, stock never negative
    unless a run was allowed to go short, voids of live runs only)."""
    from snapplan.adapters.memory import MemoryStore
    from snapplan.domain.snapshots import FinishedGoodSnapshot, FinishedUnitSnapshot, RecipeSnapshot
    from snapplan.errors import ShortageError
    from snapplan.services import (
        create_plan,
        plan_snapshots,
        record_assembly,
        record_production,
        record_waste,
        void_run,
    )

    case = draw(catalogs(max_recipes=max_recipes, max_goods=max_goods))
    store = MemoryStore()
    case.save(store.unit_of_work())
    clock = draw(utc_datetimes)
    plan_id = create_plan(store.unit_of_work(), case.events[0].id, clock=lambda: clock).plan_id
    plan, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    recipes = [s for s in snapshots.values() if isinstance(s, RecipeSnapshot)]
    units = [s for s in snapshots.values() if isinstance(s, FinishedUnitSnapshot)]
    goods = [s for s in snapshots.values() if isinstance(s, FinishedGoodSnapshot)]
    recorded: list[Any] = []
    went_short = False
    for _ in range(draw(st.integers(0, max_runs))):
        kinds = ["produce"] * bool(recipes) + ["assemble"] * bool(goods)
        victims = [r for r in recorded if r.kind.value != "void"]
        kinds += ["waste"] * bool(units or goods) + ["void"] * bool(victims)
        if not kinds:
            break
        kind = _one(draw, kinds)
        amount = draw(_RUN_AMOUNTS)
        try:
            if kind == "produce":
                recipe = _one(draw, recipes)
                options = [u for u in units if u.recipe_snapshot_id == recipe.id]
                unit = _one(draw, options) if options else None
                recorded.append(record_production(
                    store.unit_of_work(), plan_id, recipe.id, amount,
                    finished_unit_id=unit.id if unit else None,
                    with_sub_recipes=draw(st.booleans()), clock=lambda: clock,
                ))  # fmt: skip
            elif kind == "assemble":
                good = _one(draw, goods)
                recorded.append(record_assembly(
                    store.unit_of_work(), plan_id, good.id, amount,
                    allow_shortage=draw(st.booleans()), clock=lambda: clock,
                ))  # fmt: skip
            elif kind == "waste":
                item = _one(draw, [*units, *goods])
                recorded.append(record_waste(
                    store.unit_of_work(), plan_id, item.id, amount, reason="dropped",
                    clock=lambda: clock,
                ))  # fmt: skip
            else:
                victim = _one(draw, victims)
                if draw(st.booleans()):
                    try:  # would it have gone short? then allowing it lets stock go negative
                        with store.unit_of_work() as probe:
                            void_run(probe, victim.id, reason="probe", clock=lambda: clock)
                    except ShortageError:
                        went_short = True
                    recorded.append(void_run(
                        store.unit_of_work(), victim.id, reason="mistake", clock=lambda: clock,
                        allow_shortage=True,
                    ))  # fmt: skip
                else:
                    recorded.append(void_run(
                        store.unit_of_work(), victim.id, reason="mistake", clock=lambda: clock,
                    ))  # fmt: skip
        except ShortageError:
            continue
    with store.unit_of_work() as uow:
        runs = uow.runs.for_plan(plan_id)
    ordered = tuple(snapshots[i] for i in _children_first(snapshots, plan.snapshot_ids()))
    return LedgerCase(case, plan, ordered, runs, void_went_short=went_short)


def _children_first(
    snapshots: dict[uuid.UUID, Any], roots: tuple[uuid.UUID, ...]
) -> list[uuid.UUID]:
    from snapplan.domain import graph

    return list(reversed(graph.parents_first(roots, lambda i: snapshots[i].children())))


# -- measures, products and pantry histories ---------------------------------------------------


@st.composite
def contradicting_measures(draw: st.DrawFn) -> tuple[Measure, ...]:
    """Measures of one item that are **not** a forest (each valid on its own): two measures
    between the same two dimensions (``1 cup = 120 g`` and ``1 cup = 125 g``), or a loop
    through three dimensions (cup, gram, each, back to cup). ``Ingredient(..., measures=...)``
    refuses them with a ``ValidationError`` naming the measures."""
    forest = list(draw(measures().filter(lambda found: len(found) >= 1)))
    first = forest[0]
    if len(forest) >= 2 and draw(st.booleans()):
        closing = Measure(
            draw(multipliers), first.unit, draw(amounts(max_value=50)), forest[1].unit
        )
    else:
        closing = Measure(
            first.quantity, first.unit, draw(amounts(max_value=500)), first.equals_unit
        )
    return tuple(draw(st.permutations([*forest, closing])))


#: When a drawn pantry history starts (its plan is made a day before).
PANTRY_START: Final = datetime.datetime(2026, 12, 5, 7, 0, tzinfo=datetime.UTC)
#: Mass units a drawn pantry history writes amounts in (the stock unit is ``g``).
PANTRY_MASS_UNITS: Final = ("g", "kg", "lb", "oz")
#: Count units a drawn pantry history writes packaging in (the stock unit is ``each``).
PANTRY_COUNT_UNITS: Final = ("each", "dozen")
#: A unit no item of a drawn pantry history has a measure for: always unconvertible.
PANTRY_STRANGER_UNIT: Final = "pinch"

#: The kinds of :class:`PantryStep`.
PANTRY_STEP_KINDS: Final = ("purchase", "price", "count", "use", "void", "bake", "unbake", "retry")


@attrs.frozen
class PantryStep:
    """One thing done to the pantry (or the kitchen) at ``at``.

    ``kind`` is one of :data:`PANTRY_STEP_KINDS`:

    - ``"purchase"``: ``packs`` of ``product_id``, with ``price`` and ``currency`` or not;
    - ``"price"``: a quote of ``price`` ``currency`` for ``product_id``;
    - ``"count"`` / ``"use"``: ``quantity`` ``unit`` of ``item_id``;
    - ``"void"``: void the pantry entry step ``target`` recorded;
    - ``"bake"``: ``quantity`` batches of the history's recipe (a production run, whose
      ingredients come off the shelf);
    - ``"unbake"``: void the run step ``target`` recorded;
    - ``"retry"``: step ``target`` again with its own key and content, at this step's ``at``
      (writes nothing, returns the first entry).

    ``key`` is the idempotency key of a purchase, count or use (fresh for each step, or None).
    """

    kind: str
    at: datetime.datetime
    item_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    packs: int | None = None
    price: Decimal | None = None
    currency: str | None = None
    key: str | None = None
    target: int | None = None

    @property
    def writes_entry(self) -> bool:
        """True for a step that adds a pantry entry (not a retry, a price, a bake)."""
        return self.kind in ("purchase", "count", "use", "void")


@attrs.frozen
class PantryHistory:
    """A small catalog of stocked items and a random history of its pantry and kitchen.

    - ``items``: ingredients (random :func:`measures` to grams) and packaging materials;
    - ``products``: the first product of each item is its preferred one, sold in
      :data:`PANTRY_MASS_UNITS` (an ingredient: stock unit ``g``) or
      :data:`PANTRY_COUNT_UNITS` (a material: stock unit ``each``); a second product may be
      sold in another mass unit or in a unit of the item's measures (a cup of flour);
    - ``recipe`` (lines on the ingredients) and ``event`` (one production target of it): what
      the ``"bake"`` steps record against the event's plan;
    - ``steps``: what happened, in the order it is recorded (its times go back and forth).

    Amounts are written in :meth:`units_of` an item: units its stock unit converts from,
    the units of its measures, and :data:`PANTRY_STRANGER_UNIT`, which never converts.
    :meth:`record` puts it all into a store through the services; a test computes what the
    pantry should hold by its own model and compares.
    """

    items: tuple[Ingredient | MaterialUnit, ...]
    products: tuple[Product, ...]
    recipe: Recipe
    event: Event
    steps: tuple[PantryStep, ...]

    def catalog(self) -> tuple[Any, ...]:
        """Everything :meth:`record` adds before the steps, in an order ``add_catalog`` takes."""
        return (*self.items, *self.products, self.recipe, self.event)

    def stock_unit(self, item_id: uuid.UUID) -> str:
        """``g`` for an ingredient, ``each`` for a material unit (their preferred packs')."""
        item = next(i for i in self.items if i.id == item_id)
        return "g" if isinstance(item, Ingredient) else "each"

    def units_of(self, item_id: uuid.UUID) -> tuple[str, ...]:
        """The units the history writes amounts of ``item_id`` in."""
        return pantry_units(next(i for i in self.items if i.id == item_id))

    def record(self, store: Any, *, until: int | None = None) -> list[object]:
        """Add the catalog, plan the event (a day before :data:`PANTRY_START`), and record the
        steps (the first ``until`` of them; all by default) through the services, each in a
        unit of work of its own; return what each step returned (an entry, a quote or a run),
        in order. Nothing is expected to fail."""
        from snapplan.services import create_plan

        add_catalog(store.unit_of_work(), self.catalog())
        planned = PANTRY_START - datetime.timedelta(days=1)
        create_plan(store.unit_of_work(), self.event.id, clock=lambda: planned)
        results: list[object] = []
        for index in range(len(self.steps) if until is None else until):
            results.append(self.record_step(store, index, results))
        return results

    def record_step(self, store: Any, index: int, results: list[object]) -> object:
        """Record step ``index`` in a fresh unit of work of ``store`` (whose catalog and plan
        :meth:`record` made); ``results``: what the steps before it returned."""
        with store.unit_of_work() as uow:
            plan = uow.plans.latest(self.event.id)
        assert plan is not None, "record() plans the event first"
        return self.apply(self.steps[index], store.unit_of_work(), plan.id, results)

    def apply(
        self, step: PantryStep, uow: UnitOfWork, plan_id: uuid.UUID, results: list[object]
    ) -> object:
        """Record one step in ``uow`` (``results``: what the steps before it returned)."""
        from snapplan.services import (
            record_price,
            record_production,
            record_purchase,
            record_stock_count,
            record_stock_use,
            void_pantry_entry,
            void_run,
        )

        if step.kind == "retry":
            assert step.target is not None
            return self.apply(attrs.evolve(self.steps[step.target], at=step.at), uow, plan_id, [])
        s: Any = step  # each kind has the fields it needs (see PantryStep)
        clock = _fixed(step.at)
        target: Any = results[step.target] if step.target is not None else None
        calls: dict[str, Callable[[], object]] = {
            "purchase": lambda: record_purchase(
                uow, s.product_id, s.packs, price=s.price, currency=s.currency, at=s.at,
                key=s.key,
            ),
            "price": lambda: record_price(
                uow, s.product_id, s.price, currency=s.currency, at=s.at
            ),
            "count": lambda: record_stock_count(
                uow, s.item_id, s.quantity, s.unit, at=s.at, key=s.key
            ),
            "use": lambda: record_stock_use(
                uow, s.item_id, s.quantity, s.unit, reason="spilt", at=s.at, key=s.key
            ),
            "bake": lambda: record_production(
                uow, plan_id, self.recipe.id, s.quantity, clock=clock
            ),
            "void": lambda: void_pantry_entry(uow, target.seq, reason="wrong shelf", clock=clock),
            "unbake": lambda: void_run(uow, target.id, reason="never baked", clock=clock),
        }  # fmt: skip
        return calls[step.kind]()


def pantry_units(item: Ingredient | MaterialUnit) -> tuple[str, ...]:
    """The units a drawn pantry history writes amounts of ``item`` in: those of its stock
    unit's dimension, the units of its measures, and :data:`PANTRY_STRANGER_UNIT`."""
    if isinstance(item, MaterialUnit):
        return (*PANTRY_COUNT_UNITS, PANTRY_STRANGER_UNIT)
    return (*PANTRY_MASS_UNITS, *(m.unit for m in item.measures), PANTRY_STRANGER_UNIT)


def _fixed(moment: datetime.datetime) -> Callable[[], datetime.datetime]:
    return lambda: moment


#: Pack sizes and pantry amounts: small, with decimals and trailing zeros now and then.
_PACKS: Final = st.sampled_from([Decimal(x) for x in ("1", "1.5", "2", "250", "500", "0.25")])
_PANTRY_AMOUNTS: Final = st.one_of(
    st.sampled_from([Decimal(x) for x in ("1", "2.5", "100", "0.125", "3.00")]),
    amounts(max_value=2000),
)


_SHOP_PRICES: Final = st.decimals(0, 20, places=2)

#: Minutes after PANTRY_START: often one of a few, so that entries and bakes share a moment.
_PANTRY_MINUTES: Final = st.sampled_from([0, 10, 20]) | st.integers(0, 40)


@st.composite
def pantry_histories(draw: st.DrawFn, *, max_items: int = 3, max_steps: int = 12) -> PantryHistory:
    """A :class:`PantryHistory`: 1 to ``max_items`` stocked items (ingredients, now and then a
    packaging material) and up to ``max_steps`` steps of every kind, at times within 40
    minutes of :data:`PANTRY_START` (back-dated, out of order, and often at one moment: a
    count and a bake at 7:10, which the count includes)."""
    count = draw(st.integers(1, max_items))
    items: list[Ingredient | MaterialUnit] = []
    for index in range(count):
        if index > 0 and draw(st.integers(0, 3)) == 0:
            items.append(MaterialUnit(draw(names), id=draw(ids)))
        else:
            items.append(Ingredient(draw(names), id=draw(ids), measures=draw(measures())))
    products: list[Product] = []
    for item in items:
        base = PANTRY_MASS_UNITS if isinstance(item, Ingredient) else PANTRY_COUNT_UNITS
        products.append(
            Product(item.id, draw(names), draw(_PACKS), _one(draw, base),
                    preferred=True, min_packs=draw(st.integers(1, 2)), id=draw(ids))
        )  # fmt: skip
        if draw(st.booleans()):
            other = (*base, *(m.unit for m in getattr(item, "measures", ())))
            products.append(
                Product(item.id, draw(names), draw(_PACKS), _one(draw, other),
                        active=draw(st.booleans()), id=draw(ids))
            )  # fmt: skip
    ingredient_list = [i for i in items if isinstance(i, Ingredient)]
    lines = [
        IngredientLine(i.id, draw(_PANTRY_AMOUNTS), _one(draw, pantry_units(i)))
        for i in [_one(draw, ingredient_list) for _ in range(draw(st.integers(1, 3)))]
    ]
    recipe = Recipe(draw(names), lines=lines, id=draw(ids))
    event = Event(draw(names), [ProductionTarget(recipe.id, 4)], id=draw(ids))
    steps: list[PantryStep] = []
    voided: set[int] = set()
    for number in range(draw(st.integers(0, max_steps))):
        at = PANTRY_START + datetime.timedelta(minutes=draw(_PANTRY_MINUTES))
        entries = [
            i for i, s in enumerate(steps)
            if s.kind in ("purchase", "count", "use") and i not in voided
        ]  # fmt: skip
        bakes = [i for i, s in enumerate(steps) if s.kind == "bake" and i not in voided]
        keyed = [i for i, s in enumerate(steps) if s.key is not None]
        kinds = ["purchase", "price", "count", "use", "bake"]
        kinds += ["void"] * bool(entries) + ["unbake"] * bool(bakes) + ["retry"] * bool(keyed)
        kind = _one(draw, kinds)
        key = f"step-{number}" if draw(st.booleans()) else None
        step: PantryStep
        if kind in ("purchase", "price"):
            product = _one(draw, products)
            priced = kind == "price" or draw(st.booleans())
            price = draw(_SHOP_PRICES) if priced else None
            step = PantryStep(
                kind, at, product_id=product.id, price=price,
                currency=_one(draw, ["EUR", "USD"]) if priced else None,
                packs=draw(st.integers(1, 3)) if kind == "purchase" else None,
                key=key if kind == "purchase" else None,
            )  # fmt: skip
        elif kind in ("count", "use"):
            item = _one(draw, items)
            quantity = draw(_PANTRY_AMOUNTS)
            if kind == "count" and draw(st.integers(0, 4)) == 0:
                quantity = Decimal(0)
            unit = _one(draw, pantry_units(item))
            step = PantryStep(kind, at, item_id=item.id, quantity=quantity, unit=unit, key=key)
        elif kind == "bake":
            step = PantryStep(kind, at, quantity=draw(multipliers))
        else:
            pool = {"void": entries, "unbake": bakes, "retry": keyed}[kind]
            target = _one(draw, pool)
            if kind != "retry":
                voided.add(target)
            step = PantryStep(kind, at, target=target)
        steps.append(step)
    return PantryHistory(tuple(items), tuple(products), recipe, event, tuple(steps))
