"""The statements a plan costs do not grow with its number of targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

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
    create_plan,
)
from snapplan.adapters.sql import SqlStore
from snapplan.adapters.sql.tables import IN_LIST_CHUNK

Recorder = Callable[[sa.Engine], Any]


def catalog_with_targets(count: int) -> tuple[list[Any], Event]:
    """``count`` recipes (each with a shared sub-recipe) and ``count`` gift boxes of cookies.

    Every target has the same shape, so the tree has the same depth whatever ``count`` is.
    """
    flour, sugar = Ingredient("Flour"), Ingredient("Sugar")
    frosting = Recipe("Frosting", lines=[IngredientLine(sugar.id, "250", "g")])
    ribbon = MaterialUnit("Ribbon")
    items: list[Any] = [flour, sugar, frosting, ribbon]
    production, assembly = [], []
    for n in range(count):
        recipe = Recipe(
            f"Cookies {n}",
            lines=[IngredientLine(flour.id, "300", "g")],
            sub_recipes=[SubRecipe(frosting.id, "0.25")],
        )
        cookie = FinishedUnit(f"Cookie {n}", recipe.id, 36)
        box = FinishedGood(
            f"Gift box {n}",
            [
                Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
                Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
            ],
        )
        items += [recipe, cookie, box]
        production.append(ProductionTarget(recipe.id, 2))
        assembly.append(AssemblyTarget(box.id, 10))
    return items, Event("Market", production, assembly)


def plan_statements(store: SqlStore, count: int, record_statements: Recorder) -> list[str]:
    items, event = catalog_with_targets(count)
    with store.unit_of_work() as uow:
        for item in items:
            repository = {
                Ingredient: uow.ingredients,
                Recipe: uow.recipes,
                FinishedUnit: uow.finished_units,
                MaterialUnit: uow.material_units,
                FinishedGood: uow.finished_goods,
            }[type(item)]
            repository.add(item)
        uow.events.add(event)
        uow.commit()
    with record_statements(store.engine) as log:
        result = create_plan(store.unit_of_work(), event.id)
    assert result.snapshots_written == 3 * count + 2  # recipes, cookies, boxes; frosting, ribbon
    return list(log.statements)


def test_a_plan_of_200_targets_costs_the_statements_of_one_of_10(
    sql_store_factory: Callable[[], SqlStore], record_statements: Recorder
) -> None:
    small = plan_statements(sql_store_factory(), 10, record_statements)
    large = plan_statements(sql_store_factory(), 200, record_statements)
    assert abs(len(large) - len(small)) <= 2, (small, large)
    for statements in (small, large):
        snapshot_inserts = [s for s in statements if s.startswith("INSERT INTO snapplan_snapshots")]
        assert len(snapshot_inserts) == 1  # one executemany for every snapshot of the plan


def test_get_many_reads_long_id_lists_in_chunks_and_keeps_the_order(
    sql_store: SqlStore, record_statements: Recorder
) -> None:
    ingredients = [Ingredient(f"Ingredient {n}") for n in range(2 * IN_LIST_CHUNK + 100)]
    with sql_store.unit_of_work() as uow:
        uow.ingredients.add_many(ingredients)
        uow.commit()
    wanted = [i.id for i in reversed(ingredients)]
    with sql_store.unit_of_work() as uow:
        with record_statements(sql_store.engine) as log:
            found = uow.ingredients.get_many(wanted)
            assert uow.ingredients.find_many(wanted[:10]).keys() == set(wanted[:10])
        assert [i.id for i in found] == wanted
        selects = [s for s in log.statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 3 + 1  # three chunks for get_many, one for find_many
