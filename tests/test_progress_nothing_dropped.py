"""Nothing a counted run used is dropped from progress, on every store.

A baker renames an ingredient in the catalog (a new ingredient replaces the old one in a recipe),
moves a recipe line from cups to grams, or takes a packaging material out of a good, then
re-plans: what the runs before the re-plan used still shows, beside the new plan's lines, with
``planned``/``needed`` 0 and never summed into a figure of another unit dimension. The property
at the end says it for random catalogs, plans, ledgers and re-plans: the sum of everything
progress reports as used equals the sum of what the counted runs used, per item and dimension.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

from snapplan import (
    AssemblyRun,
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    ProductionRun,
    ProductionTarget,
    Progress,
    Recipe,
    RunVoid,
    ShortageError,
    create_plan,
    plan_progress,
    plan_requirements,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.domain.quantities import exact_arithmetic
from snapplan.domain.units import dimension_of, known_unit
from snapplan.testing import strategies as sps
from snapplan.testing.catalog import save


def ingredients(progress: Progress) -> list[tuple[str, Decimal, Decimal, Decimal, str, bool]]:
    return [
        (i.name, i.planned, i.used, i.remaining, i.unit, i.in_plan) for i in progress.ingredients
    ]


def materials(progress: Progress) -> list[tuple[str, Decimal, Decimal, Decimal, bool]]:
    return [(m.name, m.needed, m.used, m.remaining, m.in_plan) for m in progress.materials]


def buttercream(store: Any, *, quantity: Any = 3, unit: str = "cup") -> tuple[Recipe, Event]:
    """Buttercream (``quantity`` ``unit`` of Butter a batch), 3 batches planned."""
    butter = Ingredient("Butter")
    recipe = Recipe("Buttercream", lines=[IngredientLine(butter.id, quantity, unit)])
    event = Event("Fair", [ProductionTarget(recipe.id, 3)])
    save(store, butter, recipe, event)
    return recipe, event


def edit_recipe(store: Any, recipe_id: uuid.UUID, *lines: IngredientLine) -> None:
    with store.unit_of_work() as uow:
        uow.recipes.update(attrs.evolve(uow.recipes.get(recipe_id), lines=lines))
        uow.commit()


def replan(store: Any, event: Event) -> uuid.UUID:
    return create_plan(store.unit_of_work(), event.id, force_recreate=True).plan_id


# -- the baker's three cases --------------------------------------------------------------------


def test_a_renamed_ingredient_keeps_what_the_old_one_used(store: Any) -> None:
    recipe, event = buttercream(store)
    first = create_plan(store.unit_of_work(), event.id).plan_id
    record_production(store.unit_of_work(), first, recipe.id, 1)  # 3 cup of Butter
    # the catalog file renames Butter: without an id, sync adds a new ingredient for it
    unsalted = Ingredient("Unsalted butter")
    save(store, unsalted)
    edit_recipe(store, recipe.id, IngredientLine(unsalted.id, 3, "cup"))
    latest = replan(store, event)

    progress = plan_progress(store.unit_of_work(), latest)

    assert ingredients(progress) == [
        ("Butter", 0, 3, 0, "cup", False),  # no longer planned, but it was used
        ("Unsalted butter", 9, 0, 9, "cup", True),
    ]
    assert [r.produced_batches for r in progress.recipes] == [1]  # the run still counts
    assert progress.unmatched == ()


def test_a_line_moved_to_another_dimension_is_listed_beside_never_merged(store: Any) -> None:
    recipe, event = buttercream(store)
    first = create_plan(store.unit_of_work(), event.id).plan_id
    record_production(store.unit_of_work(), first, recipe.id, 1)  # 3 cup of Butter
    (line,) = recipe.lines
    edit_recipe(store, recipe.id, IngredientLine(line.ingredient_id, 700, "g"))
    latest = replan(store, event)
    record_production(store.unit_of_work(), latest, recipe.id, 1)  # 700 g of Butter

    progress = plan_progress(store.unit_of_work(), latest)

    # no conversion from cups to grams: two lines for Butter, by name then unit
    assert ingredients(progress) == [
        ("Butter", 0, 3, 0, "cup", False),
        ("Butter", 2100, 700, 1400, "g", True),
    ]

    # back to a volume, in millilitres: the cups convert and sum with them, the grams stay apart
    edit_recipe(store, recipe.id, IngredientLine(line.ingredient_id, 700, "ml"))
    progress = plan_progress(store.unit_of_work(), replan(store, event))

    with exact_arithmetic():
        cups = 3 * Decimal("236.5882365")
        assert ingredients(progress) == [
            ("Butter", 0, 700, 0, "g", False),
            ("Butter", 2100, cups, 2100 - cups, "ml", True),
        ]


def test_a_material_a_good_no_longer_takes_keeps_what_was_used(store: Any) -> None:
    cookies = Recipe("Cookies")
    cookie = FinishedUnit("Cookie", cookies.id, 12)
    ribbon, tag = MaterialUnit("Ribbon"), MaterialUnit("Tag")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 2),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
            Component(ComponentKind.MATERIAL_UNIT, tag.id, 1),
        ],
    )
    event = Event("Fair", [], [AssemblyTarget(box.id, 5)])
    save(store, cookies, cookie, ribbon, tag, box, event)
    first = create_plan(store.unit_of_work(), event.id).plan_id
    record_production(store.unit_of_work(), first, cookies.id, 1)
    record_assembly(store.unit_of_work(), first, box.id, 2)  # 2 ribbons, 2 tags
    with store.unit_of_work() as uow:  # the tag leaves the box
        current = uow.finished_goods.get(box.id)
        uow.finished_goods.update(attrs.evolve(current, components=current.components[:2]))
        uow.commit()
    latest = replan(store, event)

    progress = plan_progress(store.unit_of_work(), latest)

    assert materials(progress) == [("Ribbon", 5, 2, 3, True), ("Tag", 0, 2, 0, False)]
    assert progress.unmatched == ()


def test_what_an_unmatched_run_used_shows_too(store: Any) -> None:
    """A recipe and a good the plan no longer has: their runs are listed in ``unmatched`` and
    what they used is in the ingredient and packaging lines (it is gone from the pantry
    whichever recipe it went into)."""
    sugar, flour = Ingredient("Sugar"), Ingredient("Flour")
    fudge = Recipe("Fudge", lines=[IngredientLine(sugar.id, 2, "cup")])
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, 500, "g")])
    piece = FinishedUnit("Piece", fudge.id, 10)
    bag = MaterialUnit("Bag")
    bagged = FinishedGood(
        "Bag of fudge",
        [
            Component(ComponentKind.FINISHED_UNIT, piece.id, 5),
            Component(ComponentKind.MATERIAL_UNIT, bag.id, 1),
        ],
    )
    event = Event("Fair", [ProductionTarget(bread.id, 2)], [AssemblyTarget(bagged.id, 2)])
    save(store, sugar, flour, fudge, bread, piece, bag, bagged, event)
    first = create_plan(store.unit_of_work(), event.id).plan_id
    baked = record_production(store.unit_of_work(), first, fudge.id, 1)
    boxed = record_assembly(store.unit_of_work(), first, bagged.id, 2)
    with store.unit_of_work() as uow:  # no more fudge at this fair
        current = uow.events.get(event.id)
        uow.events.update(attrs.evolve(current, assembly_targets=()))
        uow.commit()
    latest = create_plan(store.unit_of_work(), event.id).plan_id

    progress = plan_progress(store.unit_of_work(), latest)

    assert progress.unmatched == (baked, boxed)
    assert ingredients(progress) == [
        ("Flour", 1000, 0, 1000, "g", True),
        ("Sugar", 0, 2, 0, "cup", False),
    ]
    assert materials(progress) == [("Bag", 0, 2, 0, False)]


def test_two_names_of_one_ingredient_in_one_plan_are_one_line_counted_once(store: Any) -> None:
    """A target added later is captured after the ingredient was renamed (same id): the plan
    holds two snapshots that name it differently; what a run used is counted once."""
    recipe, event = buttercream(store)
    (line,) = recipe.lines
    create_plan(store.unit_of_work(), event.id)
    tray = Recipe("Tray", lines=[IngredientLine(line.ingredient_id, 1, "cup")])
    with store.unit_of_work() as uow:
        butter = uow.ingredients.get(line.ingredient_id)
        uow.ingredients.update(attrs.evolve(butter, name="Salted butter"))
        uow.recipes.add(tray)
        current = uow.events.get(event.id)
        uow.events.update(
            attrs.evolve(
                current,
                production_targets=(*current.production_targets, ProductionTarget(tray.id, 1)),
            )
        )
        uow.commit()
    plan = create_plan(store.unit_of_work(), event.id).plan_id  # Buttercream kept, Tray new
    needs = plan_requirements(store.unit_of_work(), plan)
    assert [(i.name, i.quantity) for i in needs.ingredients] == [
        ("Butter", 9),
        ("Salted butter", 1),
    ]
    record_production(store.unit_of_work(), plan, recipe.id, 1)

    progress = plan_progress(store.unit_of_work(), plan)

    assert ingredients(progress) == [("Butter", 10, 3, 7, "cup", True)]


# -- the property --------------------------------------------------------------------------------

PACKAGING = ComponentKind.MATERIAL_UNIT

#: Units of every dimension, and one of no known dimension.
OTHER_UNITS = ["g", "lb", "cup", "ml", "each", "dozen", "pinch"]


def _in_base(quantity: Decimal, unit: str) -> Decimal:
    known = known_unit(unit)
    return quantity if known is None else quantity * known.factor


@given(case=sps.catalogs(max_recipes=4, max_goods=4), data=st.data())
def test_everything_the_counted_runs_used_is_reported_once(
    case: sps.CatalogCase, data: st.DataObject
) -> None:
    """Over random catalogs, ledgers and re-plans (renames, unit changes, packaging taken out,
    targets dropped; forced or not), the sum of everything progress reports as used equals the
    sum of what the counted runs used: ingredients per (ingredient, dimension) in base units,
    materials per id; each once, beside what the plan needs.

    On the memory store: progress is computed in the domain from what any store reads back, and
    that every store gives the same progress for the same ledger is the business of
    ``tests/test_ledger_properties.py`` and the lockstep machine (``tests/test_stateful.py``);
    the cases above run on every store.
    """
    case = _busy(case)
    first = case.events[0]
    store = MemoryStore()
    case.save(store.unit_of_work())
    plan = create_plan(store.unit_of_work(), first.id).plan_id
    for _ in range(data.draw(st.integers(1, 3), label="rounds")):
        _record_runs(store, plan, data)
        for _ in range(data.draw(st.integers(1, 2), label="edits")):
            _change_the_catalog(store, plan, first.id, data)
        force = data.draw(st.sampled_from([True, True, False]), label="force")
        plan = create_plan(store.unit_of_work(), first.id, force_recreate=force).plan_id
    _record_runs(store, plan, data)

    progress = plan_progress(store.unit_of_work(), plan)
    needs = plan_requirements(store.unit_of_work(), plan)
    with store.unit_of_work() as uow:
        ledger = uow.runs.for_event(first.id)  # every plan of the event is in the chain
    voided = {entry.run_id for entry in ledger if isinstance(entry, RunVoid)}
    counted = [e for e in ledger if not isinstance(e, RunVoid) and e.id not in voided]

    with exact_arithmetic():
        # ingredients, per (ingredient, dimension) in base units
        used: dict[Any, Decimal] = defaultdict(Decimal)
        for run in counted:
            if isinstance(run, ProductionRun):
                for use in run.ingredients:
                    key = (use.ingredient_id, dimension_of(use.unit))
                    used[key] += _in_base(use.quantity, use.unit)
        planned: dict[Any, Decimal] = defaultdict(Decimal)
        for need in needs.ingredients:
            planned[need.ingredient_id, dimension_of(need.unit)] += _in_base(
                need.quantity, need.unit
            )
        reported: dict[Any, tuple[Decimal, Decimal]] = {}
        for line in progress.ingredients:
            key = (line.ingredient_id, dimension_of(line.unit))
            assert key not in reported, f"two lines for {key}"
            reported[key] = (_in_base(line.planned, line.unit), _in_base(line.used, line.unit))
            assert line.remaining == max(Decimal(0), line.planned - line.used)
            assert line.in_plan == (key in planned)
        assert {k: u for k, (_, u) in reported.items() if u} == dict(used)
        assert {k: p for k, (p, _) in reported.items() if p} == dict(planned)
        assert set(reported) == set(used) | set(planned)  # no line of nothing

        # materials, per id
        taken: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for run in counted:
            if isinstance(run, AssemblyRun):
                for part in run.consumed:
                    if part.kind is ComponentKind.MATERIAL_UNIT:
                        taken[part.id] += part.quantity
        needed: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for material in needs.materials:
            needed[material.material_unit_id] += material.quantity
        ids = [m.material_unit_id for m in progress.materials]
        assert len(ids) == len(set(ids))
        assert set(ids) == set(taken) | set(needed)
        assert {m.material_unit_id: m.used for m in progress.materials if m.used} == dict(taken)
        assert {m.material_unit_id: m.needed for m in progress.materials if m.needed} == dict(
            needed
        )
    event(f"lines not in the plan: {sum(not line.in_plan for line in progress.ingredients)}")
    event(f"materials used: {any(m.used for m in progress.materials)}")
    event(f"materials not in the plan: {sum(not m.in_plan for m in progress.materials)}")
    for part in (progress.ingredients, progress.materials):
        keys = [(line.name, getattr(line, "unit", "")) for line in part]
        assert keys == sorted(keys)  # as Requirements sorts: by name, then unit


def _busy(case: sps.CatalogCase) -> sps.CatalogCase:
    """``case`` with an ingredient in every recipe and packaging in every good (when there is
    some), and the first event targeting a recipe and a good (if any): runs use things that
    later edits can drop."""
    ingredient = case.ingredients[0]
    recipes = tuple(
        r if r.lines else attrs.evolve(r, lines=[IngredientLine(ingredient.id, 1, "cup")])
        for r in case.recipes
    )
    materials = case.material_units
    if case.finished_goods and not materials:  # (an id drawn from the case: reproducible)
        materials = (MaterialUnit("Box", id=uuid.uuid5(case.events[0].id, "box")),)
    goods = tuple(_packed(g, materials, n) for n, g in enumerate(case.finished_goods))
    first = case.events[0]
    if not first.production_targets:
        first = attrs.evolve(first, production_targets=[ProductionTarget(recipes[0].id, 2)])
    if goods and not first.assembly_targets:
        first = attrs.evolve(first, assembly_targets=[AssemblyTarget(goods[0].id, 2)])
    return attrs.evolve(
        case,
        recipes=recipes,
        material_units=materials,
        finished_goods=goods,
        events=(first, *case.events[1:]),
    )


def _packed(good: FinishedGood, materials: tuple[MaterialUnit, ...], n: int) -> FinishedGood:
    """``good``, with the ``n``-th material (round the list) if it takes none."""
    if not materials or any(c.kind is ComponentKind.MATERIAL_UNIT for c in good.components):
        return good
    material = materials[n % len(materials)]
    packaging = Component(ComponentKind.MATERIAL_UNIT, material.id, 1)
    return attrs.evolve(good, components=(*good.components, packaging))


def _record_runs(store: Any, plan: uuid.UUID, data: st.DataObject) -> None:
    """A few random runs against ``plan`` (and voids of earlier ones), through the services."""
    from snapplan import plan_snapshots
    from snapplan.domain.snapshots import FinishedGoodSnapshot, FinishedUnitSnapshot, RecipeSnapshot

    _, snapshots = plan_snapshots(store.unit_of_work(), plan)
    recipes = [s for s in snapshots.values() if isinstance(s, RecipeSnapshot)]
    units = [s for s in snapshots.values() if isinstance(s, FinishedUnitSnapshot)]
    goods = [s for s in snapshots.values() if isinstance(s, FinishedGoodSnapshot)]
    for _ in range(data.draw(st.integers(1, 6), label="runs")):
        with store.unit_of_work() as uow:
            victims = [e for e in uow.runs.for_plan(plan) if not isinstance(e, RunVoid)]
        kinds = ["produce"] * 3 * bool(recipes) + ["assemble"] * 2 * bool(goods)
        kinds += ["waste"] * bool(units or goods) + ["void"] * bool(victims)
        if not kinds:
            return
        kind = data.draw(st.sampled_from(kinds), label="kind")
        amount = data.draw(st.sampled_from([Decimal(1), Decimal(2), Decimal("0.5")]))
        try:
            if kind == "produce":
                recipe = data.draw(st.sampled_from(recipes), label="recipe")
                options = [u for u in units if u.recipe_snapshot_id == recipe.id]
                unit = data.draw(st.sampled_from(options)) if options else None
                record_production(
                    store.unit_of_work(), plan, recipe.id, amount,
                    finished_unit_id=unit.id if unit else None,
                    with_sub_recipes=data.draw(st.booleans(), label="along"),
                )  # fmt: skip
            elif kind == "assemble":
                good = data.draw(st.sampled_from(goods), label="good")
                record_assembly(store.unit_of_work(), plan, good.id, amount, allow_shortage=True)
            elif kind == "waste":
                item = data.draw(st.sampled_from([*units, *goods]), label="wasted")
                record_waste(store.unit_of_work(), plan, item.id, amount, reason="dropped")
            else:
                victim = data.draw(st.sampled_from(victims), label="void")
                void_run(store.unit_of_work(), victim.id, reason="mistake", allow_shortage=True)
        except ShortageError:
            continue


def _change_the_catalog(store: Any, plan: uuid.UUID, event_id: uuid.UUID, data: Any) -> None:
    """One edit a baker makes between plans, to what ``plan`` holds: a recipe line's ingredient
    replaced by a new one (a rename), a line moved to another unit, packaging or any component
    taken out of a good, a target dropped from the event, or nothing."""
    from snapplan import plan_snapshots

    _, snapshots = plan_snapshots(store.unit_of_work(), plan)
    held = sorted({s.source_id for s in snapshots.values()}, key=str)
    edits = ["rename", "rename", "unit", "unit", "packaging", "packaging", "component", "target"]
    edits.append("nothing")
    change = data.draw(st.sampled_from(edits), label="edit")
    with store.unit_of_work() as uow:
        if change in ("rename", "unit"):
            found = uow.recipes.find_many(held)
            recipes = [found[i] for i in held if i in found and found[i].lines]
            if not recipes:
                return
            recipe = data.draw(st.sampled_from(recipes), label="recipe edited")
            at = data.draw(st.integers(0, len(recipe.lines) - 1), label="line")
            line = recipe.lines[at]
            if change == "rename":
                renamed = Ingredient(data.draw(sps.names, label="new name"), id=data.draw(sps.ids))
                uow.ingredients.add(renamed)
                line = attrs.evolve(line, ingredient_id=renamed.id)
            else:
                line = attrs.evolve(line, unit=data.draw(st.sampled_from(OTHER_UNITS)))
            lines = (*recipe.lines[:at], line, *recipe.lines[at + 1 :])
            uow.recipes.update(attrs.evolve(recipe, lines=lines))
        elif change in ("packaging", "component"):
            packed = change == "packaging"
            found_goods = uow.finished_goods.find_many(held)
            goods = [
                found_goods[i]
                for i in held
                if i in found_goods
                and any(not packed or c.kind is PACKAGING for c in found_goods[i].components)
            ]
            if not goods:
                return
            good = data.draw(st.sampled_from(goods), label="good edited")
            parts_of_kind = [
                at for at, c in enumerate(good.components) if not packed or c.kind is PACKAGING
            ]
            at = data.draw(st.sampled_from(parts_of_kind), label="component")
            parts = (*good.components[:at], *good.components[at + 1 :])
            uow.finished_goods.update(attrs.evolve(good, components=parts))
        elif change == "target":
            event = uow.events.get(event_id)
            targets = [*event.production_targets, *event.assembly_targets]
            if len(targets) < 2:
                return
            dropped = data.draw(st.sampled_from(targets), label="target dropped")
            uow.events.update(
                attrs.evolve(
                    event,
                    production_targets=[t for t in event.production_targets if t != dropped],
                    assembly_targets=[t for t in event.assembly_targets if t != dropped],
                )
            )
        uow.commit()
