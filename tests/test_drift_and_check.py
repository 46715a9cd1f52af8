"""Drift after planning, and whole-catalog checks — on every store.

What the check looks at (every kind of reference, with the definition that holds it; loops only
through nested goods and sub-recipes) is then pinned on a catalog view, with no store.
"""

from __future__ import annotations

import uuid
from typing import Any

import attrs
from pure_domain import node, view

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    ProductionTarget,
    Recipe,
    SubRecipe,
    check_catalog,
    create_plan,
    plan_drift,
)
from snapplan.domain.catalog_check import (
    DanglingReference,
    DefinitionKind,
    check_definitions,
)
from snapplan.testing.catalog import save

FU = ComponentKind.FINISHED_UNIT
FG = ComponentKind.FINISHED_GOOD
MU = ComponentKind.MATERIAL_UNIT


def planned_gift_box(store: Any) -> dict[str, Any]:
    sugar = Ingredient("Sugar")
    frosting = Recipe("Frosting", lines=[IngredientLine(sugar.id, 1, "cup")])
    cookies = Recipe("Cookies", sub_recipes=[SubRecipe(frosting.id, "0.5")])
    brownies = Recipe("Brownies")
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    ribbon = MaterialUnit("Ribbon")
    gift = FinishedGood("Gift", [Component(FU, cookie.id, 6), Component(MU, ribbon.id, 1)])
    event = Event("Market", [ProductionTarget(brownies.id, 1)], [AssemblyTarget(gift.id, 4)])
    save(store, sugar, frosting, cookies, brownies, cookie, ribbon, gift, event)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    return {**locals()}


def test_no_drift_right_after_planning(store: Any) -> None:
    c = planned_gift_box(store)
    drift = plan_drift(store.unit_of_work(), c["plan_id"])
    assert not drift.changed
    assert drift.changed_ids == frozenset()
    assert [t.changed for t in drift.targets] == [False, False]


def test_a_changed_yield_drifts_that_unit_only(store: Any) -> None:
    c = planned_gift_box(store)
    with store.unit_of_work() as uow:
        uow.finished_units.update(attrs.evolve(c["cookie"], items_per_batch=36))
        uow.commit()
    drift = plan_drift(store.unit_of_work(), c["plan_id"])
    assert drift.changed
    assert drift.changed_ids == {c["cookie"].id}
    by_kind = {t.kind: t.changed for t in drift.targets}
    assert by_kind == {"production": False, "assembly": True}


def test_a_deep_change_and_a_removal_are_reported(store: Any) -> None:
    c = planned_gift_box(store)
    with store.unit_of_work() as uow:
        uow.ingredients.update(attrs.evolve(c["sugar"], name="Icing sugar"))  # frosting's line
        uow.material_units.remove(c["ribbon"].id)
        uow.commit()
    drift = plan_drift(store.unit_of_work(), c["plan_id"])
    assert drift.changed_ids == {c["frosting"].id, c["ribbon"].id}
    assert drift.removed_ids == {c["ribbon"].id}


def test_an_equal_amount_spelled_differently_is_no_drift(store: Any) -> None:
    c = planned_gift_box(store)
    with store.unit_of_work() as uow:
        uow.finished_units.update(attrs.evolve(c["cookie"], items_per_batch="48.00"))
        uow.commit()
    assert not plan_drift(store.unit_of_work(), c["plan_id"]).changed


def test_check_catalog_reports_every_cycle_and_dangling_reference(store: Any) -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    r1, r2 = uuid.uuid4(), uuid.uuid4()
    missing_recipe, missing_unit, missing_ingredient = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    save(
        store,
        FinishedGood("A", [Component(FG, b, 1)], id=a),
        FinishedGood("B", [Component(FG, c, 1), Component(FU, missing_unit, 1)], id=b),
        FinishedGood("C", [Component(FG, a, 1)], id=c),
        Recipe("R1", sub_recipes=[SubRecipe(r2, 1)], id=r1),
        Recipe("R2", sub_recipes=[SubRecipe(r1, 1)],
               lines=[IngredientLine(missing_ingredient, 1, "g")], id=r2),
        FinishedUnit("Orphan", missing_recipe, 12),
        Event("Market", [ProductionTarget(missing_recipe, 1)]),
    )  # fmt: skip
    report = check_catalog(store.unit_of_work())
    assert not report.ok
    loops = {frozenset(loop): loop for loop in report.cycles}
    assert set(loops) == {frozenset({a, b, c}), frozenset({r1, r2})}
    for loop in report.cycles:
        assert loop[0] == loop[-1]
    goods_loop = loops[frozenset({a, b, c})]
    start = goods_loop.index(goods_loop[0])
    rotation = [a, b, c, a, b, c]
    first = rotation.index(goods_loop[start])
    assert list(goods_loop) == [*rotation[first : first + 3], goods_loop[0]]
    assert {(d.ref_kind, d.ref_id) for d in report.dangling} == {
        ("finished_unit", missing_unit),
        ("ingredient", missing_ingredient),
        ("recipe", missing_recipe),
    }
    assert len(report.dangling) == 4  # the orphan unit and the event both name the recipe


def test_check_catalog_of_a_sound_catalog_is_ok(store: Any) -> None:
    planned_gift_box(store)
    assert check_catalog(store.unit_of_work()).ok


# -- in the domain: every dangling reference with its owner, loops only through nesting ------------


def test_check_definitions_names_every_dangling_reference_with_its_owner() -> None:
    gone = {name: node(100 + i) for i, name in enumerate(
        ["ingredient", "sub", "unit_recipe", "unit", "material", "good", "target", "assembly"]
    )}  # fmt: skip
    recipe = Recipe(
        "Pie",
        lines=[IngredientLine(gone["ingredient"], 1, "g")],
        sub_recipes=[SubRecipe(gone["sub"], 1)],
    )
    unit = FinishedUnit("Slice", gone["unit_recipe"], 8)
    good = FinishedGood(
        "Box",
        [Component(FU, gone["unit"], 1), Component(MU, gone["material"], 1),
         Component(FG, gone["good"], 1), Component(FU, unit.id, 2)],
    )  # fmt: skip
    event = Event(
        "Market",
        [ProductionTarget(gone["target"], 1), ProductionTarget(recipe.id, 1)],
        [AssemblyTarget(gone["assembly"], 1), AssemblyTarget(good.id, 1)],
    )
    report = check_definitions(view(recipe, unit, good), [event])
    assert report.cycles == ()
    assert not report.ok
    kinds = DefinitionKind
    assert set(report.dangling) == {
        DanglingReference(kinds.RECIPE, recipe.id, kinds.INGREDIENT, gone["ingredient"]),
        DanglingReference(kinds.RECIPE, recipe.id, kinds.RECIPE, gone["sub"]),
        DanglingReference(kinds.FINISHED_UNIT, unit.id, kinds.RECIPE, gone["unit_recipe"]),
        DanglingReference(kinds.FINISHED_GOOD, good.id, kinds.FINISHED_UNIT, gone["unit"]),
        DanglingReference(kinds.FINISHED_GOOD, good.id, kinds.MATERIAL_UNIT, gone["material"]),
        DanglingReference(kinds.FINISHED_GOOD, good.id, kinds.FINISHED_GOOD, gone["good"]),
        DanglingReference(kinds.EVENT, event.id, kinds.RECIPE, gone["target"]),
        DanglingReference(kinds.EVENT, event.id, kinds.FINISHED_GOOD, gone["assembly"]),
    }
    assert len(report.dangling) == 8


def test_check_definitions_follows_only_nested_goods_and_sub_recipes_for_cycles() -> None:
    # a good holding a finished unit whose id equals its own is no loop; a good holding itself is
    shared = node(42)
    dough = Recipe("Dough", id=node(43))
    unit = FinishedUnit("Roll", dough.id, 12, id=shared)
    good = FinishedGood("Basket", [Component(FU, shared, 1)], id=shared)
    assert check_definitions(view(dough, unit, good)).ok
    looped = FinishedGood("Basket", [Component(FG, shared, 1)], id=shared)
    assert check_definitions(view(dough, unit, looped)).cycles == ((shared, shared),)
