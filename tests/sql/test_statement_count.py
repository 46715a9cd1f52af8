"""The statements a plan costs do not grow with its number of targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
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
    add_catalog,
    create_plan,
    plan_requirements,
)
from snapplan.adapters.sql import SqlStore

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


def test_a_bulk_read_is_one_statement_whatever_the_number_of_ids(
    sql_store: SqlStore, record_statements: Recorder
) -> None:
    ingredients = [Ingredient(f"Ingredient {n}") for n in range(1200)]
    with sql_store.unit_of_work() as uow:
        uow.ingredients.add_many(ingredients)
        uow.commit()
    wanted = [i.id for i in reversed(ingredients)]
    with sql_store.unit_of_work() as uow:
        with record_statements(sql_store.engine) as log:
            found = uow.ingredients.get_many(wanted)
            assert uow.ingredients.find_many(wanted[:10]).keys() == set(wanted[:10])
            assert uow.ingredients.find_many([wanted[0]]).keys() == {wanted[0]}
        assert [i.id for i in found] == wanted
        selects = [s for s in log.statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 3  # one each, however many ids
        assert len(set(selects[:2])) == 1  # and one statement text for 1,200 ids as for 10


def holiday_statements(store: SqlStore, n: int, record_statements: Recorder) -> tuple[int, int]:
    """Statements of create_plan and of plan_requirements on holiday-N (bench/plan_bench.py)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from plan_bench import holiday

    items, event, _ = holiday(n)
    add_catalog(store.unit_of_work(), items)
    with record_statements(store.engine) as planning:
        plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    with record_statements(store.engine) as reading:
        plan_requirements(store.unit_of_work(), plan_id)
    return _work(planning.statements), _work(reading.statements)


def _work(statements: list[str]) -> int:
    heads = ("SELECT", "INSERT", "UPDATE", "DELETE")
    return sum(1 for s in statements if s.lstrip().upper().startswith(heads))


def test_holiday_10_and_holiday_600_plan_in_the_same_few_statements(
    sql_store_factory: Callable[[], SqlStore], record_statements: Recorder
) -> None:
    # holiday-600 writes 2,400 catalog items and thousands of snapshot and contents rows: its
    # inserts are streamed and its large reads (500 ids and more) take a server-side cursor on
    # PostgreSQL, and still the statements are holiday-10's
    small = holiday_statements(sql_store_factory(), 10, record_statements)
    large = holiday_statements(sql_store_factory(), 600, record_statements)
    assert small == large
    planning, reading = large
    assert planning <= 25
    assert reading <= 25


def test_an_argument_of_the_wrong_type_sends_no_statement(
    sql_store: SqlStore, record_statements: Recorder
) -> None:
    flour = Ingredient("Flour")
    add_catalog(sql_store.unit_of_work(), [flour])
    calls: list[Callable[[Any], object]] = [
        lambda uow: uow.ingredients.get(str(flour.id)),
        lambda uow: uow.ingredients.get_many([flour.id, str(flour.id)]),
        lambda uow: uow.ingredients.find_many(str(flour.id)),
        lambda uow: uow.ingredients.remove(flour.id.hex),
        lambda uow: uow.plans.latest(str(flour.id)),
        lambda uow: uow.runs.for_plan(None),
    ]
    with sql_store.unit_of_work() as uow:
        uow.ingredients.count()  # the transaction has begun
        for call in calls:
            with record_statements(sql_store.engine) as log, pytest.raises(TypeError):
                call(uow)
            assert log.statements == []
