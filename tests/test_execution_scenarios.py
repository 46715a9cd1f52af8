"""The kitchen of DOMAIN.md, worked through in order, on every store (numbers by hand).

Catalog: Shortbread (250 g butter, 2 cup flour; "Wedge", 16 per batch); Caramel (1 cup sugar,
no finished unit); Millionaire Bars (200 g chocolate, 0.5 batch of Caramel; "Bar", 20 per
batch). Goods: Tin = 8 wedges + 1 lid; Hamper = 2 tins + 10 bars + 1 ribbon. Event: 30 hampers
and a production target of 2 batches of Shortbread.

The plan: tins 60, wedges 480, bars 300, lids 60, ribbons 30; Shortbread 30 batches (the target
of 2 is a floor), Millionaire Bars 15, Caramel 7.5 (not rounded); butter 7500 g, flour 60 cup.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pytest

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    KeyReusedError,
    MaterialUnit,
    ProductionTarget,
    Progress,
    Recipe,
    ShortageError,
    SubRecipe,
    SupersededPlanError,
    create_plan,
    plan_progress,
    plan_requirements,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents


@attrs.frozen
class Kitchen:
    butter: Ingredient
    flour: Ingredient
    sugar: Ingredient
    chocolate: Ingredient
    shortbread: Recipe
    caramel: Recipe
    bars_recipe: Recipe
    wedge: FinishedUnit
    bar: FinishedUnit
    lid: MaterialUnit
    ribbon: MaterialUnit
    tin: FinishedGood
    hamper: FinishedGood
    event: Event


def kitchen(store: Any) -> Kitchen:
    butter, flour, sugar, chocolate = (
        Ingredient(n) for n in ("Butter", "Flour", "Sugar", "Chocolate")
    )
    shortbread = Recipe(
        "Shortbread",
        lines=[IngredientLine(butter.id, 250, "g"), IngredientLine(flour.id, 2, "cup")],
    )
    caramel = Recipe("Caramel", lines=[IngredientLine(sugar.id, 1, "cup")])
    bars_recipe = Recipe(
        "Millionaire Bars",
        lines=[IngredientLine(chocolate.id, 200, "g")],
        sub_recipes=[SubRecipe(caramel.id, "0.5")],
    )
    wedge = FinishedUnit("Wedge", shortbread.id, 16)
    bar = FinishedUnit("Bar", bars_recipe.id, 20)
    lid, ribbon = MaterialUnit("Lid"), MaterialUnit("Ribbon")
    tin = FinishedGood(
        "Tin",
        [
            Component(ComponentKind.FINISHED_UNIT, wedge.id, 8),
            Component(ComponentKind.MATERIAL_UNIT, lid.id, 1),
        ],
    )
    hamper = FinishedGood(
        "Hamper",
        [
            Component(ComponentKind.FINISHED_GOOD, tin.id, 2),
            Component(ComponentKind.FINISHED_UNIT, bar.id, 10),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event(
        "Christmas Fair", [ProductionTarget(shortbread.id, 2)], [AssemblyTarget(hamper.id, 30)]
    )
    k = Kitchen(butter, flour, sugar, chocolate, shortbread, caramel, bars_recipe, wedge, bar,
                lid, ribbon, tin, hamper, event)  # fmt: skip
    save(store, butter, flour, sugar, chocolate, shortbread, caramel, bars_recipe, wedge, bar,
         lid, ribbon, tin, hamper, event)  # fmt: skip
    return k


def by_name(lines: Any) -> dict[str, Any]:
    return {line.name: line for line in lines}


def ingredient(progress: Progress, name: str) -> tuple[Decimal, Decimal, Decimal, str]:
    line = by_name(progress.ingredients)[name]
    return line.planned, line.used, line.remaining, line.unit


def test_the_kitchen_step_by_step(store: Any) -> None:
    k = kitchen(store)
    plan1 = create_plan(store.unit_of_work(), k.event.id).plan_id
    needs = plan_requirements(store.unit_of_work(), plan1)
    assert {b.name: b.batches for b in needs.batches} == {
        "Shortbread": 30, "Millionaire Bars": 15, "Caramel": Decimal("7.5")}  # fmt: skip
    assert {u.name: u.quantity for u in needs.finished_units} == {"Wedge": 480, "Bar": 300}
    assert {m.name: m.quantity for m in needs.materials} == {"Lid": 60, "Ribbon": 30}
    progress = plan_progress(store.unit_of_work(), plan1)
    assert by_name(progress.goods)["Tin"].planned == 60
    assert ingredient(progress, "Butter") == (7500, 0, 7500, "g")
    assert ingredient(progress, "Flour") == (60, 0, 60, "cup")
    assert not progress.complete

    # 1. 10 batches of Shortbread
    run1 = record_production(store.unit_of_work(), plan1, k.shortbread.id, 10)
    assert run1.items == 160
    progress = plan_progress(store.unit_of_work(), plan1)
    wedge = by_name(progress.finished_units)["Wedge"]
    assert (wedge.produced, wedge.on_hand, wedge.remaining) == (160, 160, 320)
    assert by_name(progress.recipes)["Shortbread"].remaining_batches == 20
    assert ingredient(progress, "Butter") == (7500, 2500, 5000, "g")

    # 2. one more batch, but the tray burnt: 12 wedges
    record_production(store.unit_of_work(), plan1, k.shortbread.id, 1, items=12)
    progress = plan_progress(store.unit_of_work(), plan1)
    shortbread = by_name(progress.recipes)["Shortbread"]
    assert by_name(progress.finished_units)["Wedge"].produced == 172
    assert shortbread.remaining_batches == 19
    # missing 480 - 172 = 308; 19 batches make 304; ceil(4 / 16) = 1
    assert shortbread.makeup_batches == 1

    # 3. 21 tins
    record_assembly(store.unit_of_work(), plan1, k.tin.id, 21)
    progress = plan_progress(store.unit_of_work(), plan1)
    wedge = by_name(progress.finished_units)["Wedge"]
    assert (wedge.consumed, wedge.on_hand) == (168, 4)
    assert by_name(progress.materials)["Lid"].used == 21
    tin, hamper = by_name(progress.goods)["Tin"], by_name(progress.goods)["Hamper"]
    assert tin.on_hand == 21
    assert tin.assemblable == 0  # 4 wedges // 8; lids never limit
    assert hamper.assemblable == 0  # no bars

    # 4. 1 hamper: short of bars, nothing written
    before = store_contents(store)
    with pytest.raises(ShortageError) as caught:
        record_assembly(store.unit_of_work(), plan1, k.hamper.id, 1)
    (short,) = caught.value.shortages
    assert (short.name, short.needed, short.on_hand) == ("Bar", 10, 0)
    assert short.id == k.bar.id
    assert store_contents(store) == before

    # 5. 2 batches of Millionaire Bars with the caramel made along
    record_production(store.unit_of_work(), plan1, k.bars_recipe.id, 2, with_sub_recipes=True)
    progress = plan_progress(store.unit_of_work(), plan1)
    assert by_name(progress.finished_units)["Bar"].produced == 40
    caramel = by_name(progress.recipes)["Caramel"]
    assert (caramel.produced_batches, caramel.remaining_batches) == (1, Decimal("6.5"))
    assert ingredient(progress, "Chocolate")[1] == 400
    assert ingredient(progress, "Sugar")[1] == 1

    # 6. 4 hampers, key "h-1"
    hampers = record_assembly(store.unit_of_work(), plan1, k.hamper.id, 4, key="h-1")
    progress = plan_progress(store.unit_of_work(), plan1)
    assert by_name(progress.goods)["Tin"].on_hand == 13
    assert by_name(progress.finished_units)["Bar"].on_hand == 0
    assert by_name(progress.goods)["Hamper"].remaining == 26

    # 7. 1 tin dropped
    record_waste(store.unit_of_work(), plan1, k.tin.id, 1, reason="dropped")
    progress = plan_progress(store.unit_of_work(), plan1)
    tin = by_name(progress.goods)["Tin"]
    assert tin.on_hand == 12
    assert tin.remaining == 60 - 21 + 1

    # 8. voiding run 1 would take back 160 wedges of which 4 are left
    before = store_contents(store)
    with pytest.raises(ShortageError) as caught:
        void_run(store.unit_of_work(), run1.id, reason="wrong tray")
    (short,) = caught.value.shortages
    assert (short.name, short.needed, short.on_hand) == ("Wedge", 160, 4)
    assert store_contents(store) == before

    # 9. butter edited to 260 g, re-planned: plan 2 supersedes plan 1
    with store.unit_of_work() as uow:
        recipe = uow.recipes.get(k.shortbread.id)
        lines = (attrs.evolve(recipe.lines[0], quantity=260), *recipe.lines[1:])
        uow.recipes.update(attrs.evolve(recipe, lines=lines))
        uow.commit()
    plan2 = create_plan(store.unit_of_work(), k.event.id, force_recreate=True).plan_id
    with pytest.raises(SupersededPlanError) as superseded:
        record_production(store.unit_of_work(), plan1, k.shortbread.id, 1)
    assert superseded.value.latest_plan_id == plan2
    progress = plan_progress(store.unit_of_work(), plan2)
    assert by_name(progress.recipes)["Shortbread"].produced_batches == 11
    assert ingredient(progress, "Butter") == (7800, 2750, 5050, "g")
    assert progress.unmatched == ()

    # 10. step 6 retried against plan 1: the same run back, nothing written
    before = store_contents(store)
    again = record_assembly(store.unit_of_work(), plan1, k.hamper.id, 4, key="h-1")
    assert again == hampers
    assert store_contents(store) == before
    with pytest.raises(KeyReusedError):
        record_assembly(store.unit_of_work(), plan1, k.hamper.id, 5, key="h-1")
    with store.unit_of_work() as uow:
        ledger = uow.runs.for_event(k.event.id)
    assert [entry.seq for entry in ledger] == [1, 2, 3, 4, 5, 6]
