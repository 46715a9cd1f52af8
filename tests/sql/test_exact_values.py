"""Values come back from the SQL store exactly: 30-digit decimals, hostile names, timestamps, and
every amount and time the domain accepts, its extremes included, on every engine."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    Plan,
    ProductionTarget,
    Recipe,
    RecipeSnapshot,
    SubRecipe,
    create_plan,
    plan_requirements,
)
from snapplan.adapters.sql import SqlStore
from snapplan.domain.quantities import MAX_ADJUSTED_EXPONENT, MAX_DIGITS, to_decimal
from snapplan.testing.catalog import add_all, save

THIRTY_DIGITS = Decimal("123456789012345.678901234567890")
HOSTILE_NAMES = [
    "Robert'); DROP TABLE snapplan_recipes;--",
    "%s %(name)s :name ? $1 \\ \\\\ \" ' `backticks` ;",
    "🍪 Crème brûlée — 中文 العربية עברית \u202eevil\u202c \u200b zero-width",
    "line\nbreak\ttab\rreturn",
    "\U0010ffff\ufeff\ufffd max code point, BOM, replacement",
    "n" * 10_000,
]
FIXED_TIME = datetime.datetime(2024, 12, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def test_thirty_digit_decimals_come_back_unchanged(sql_store: SqlStore) -> None:
    flour = Ingredient("Flour")
    dough = Recipe("Dough", lines=[IngredientLine(flour.id, THIRTY_DIGITS, "g")])
    cookie = FinishedUnit("Cookie", dough.id, THIRTY_DIGITS)
    save(sql_store, flour, dough, cookie)
    with sql_store.unit_of_work() as uow:
        assert str(uow.finished_units.get(cookie.id).items_per_batch) == str(THIRTY_DIGITS)
        assert str(uow.recipes.get(dough.id).lines[0].quantity) == str(THIRTY_DIGITS)
    with sql_store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT items_per_batch FROM snapplan_finished_units"))
        assert stored.scalar_one() == "123456789012345.678901234567890"


@pytest.mark.parametrize(
    "spelling", ["2.50", "1E+3", "0.000000000000000000000000000001", "9.99999999999999999999E+39"]
)
def test_a_decimal_keeps_its_representation(sql_store: SqlStore, spelling: str) -> None:
    amount = Decimal(spelling)
    unit = FinishedUnit("Cookie", Recipe("Dough").id, amount)
    save(sql_store, unit)
    with sql_store.unit_of_work() as uow:
        # same digits and exponent, not merely an equal number (2.50 stays 2.50, not 2.5)
        assert uow.finished_units.get(unit.id).items_per_batch.as_tuple() == amount.as_tuple()


def test_a_plan_of_thirty_digit_amounts_is_exact_end_to_end(sql_store: SqlStore) -> None:
    flour = Ingredient("Flour")
    dough = Recipe("Dough", lines=[IngredientLine(flour.id, THIRTY_DIGITS, "g")])
    event = Event("Market", [ProductionTarget(dough.id, 3)])
    save(sql_store, flour, dough, event)
    plan_id = create_plan(sql_store.unit_of_work(), event.id, clock=lambda: FIXED_TIME).plan_id
    requirements = plan_requirements(sql_store.unit_of_work(), plan_id)
    (flour_needed,) = requirements.ingredients
    assert str(flour_needed.quantity) == "370370367037037.036703703703670"  # 3 x, exactly
    with sql_store.unit_of_work() as uow:
        plan = uow.plans.get(plan_id)
        assert plan.created_at == FIXED_TIME
        (snapshot,) = uow.snapshots.all()
        assert snapshot.captured_at == FIXED_TIME
        assert snapshot.captured_at.utcoffset() == datetime.timedelta(0)


def test_hostile_names_round_trip_exactly_through_catalog_snapshots_and_plans(
    sql_store: SqlStore,
) -> None:
    ingredients = [Ingredient(name) for name in HOSTILE_NAMES]
    child = Recipe(HOSTILE_NAMES[1], lines=[IngredientLine(ingredients[1].id, 1, "g", "n")])
    dough = Recipe(
        HOSTILE_NAMES[0],
        lines=[
            IngredientLine(i.id, THIRTY_DIGITS, name, note=name)
            for i, name in zip(ingredients, HOSTILE_NAMES, strict=True)
        ],
        sub_recipes=[SubRecipe(child.id, "0.5")],
    )
    cookie = FinishedUnit(HOSTILE_NAMES[2], dough.id, 48)
    box = MaterialUnit(HOSTILE_NAMES[3])
    gift = FinishedGood(
        HOSTILE_NAMES[5],
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, "0.5"),
            Component(ComponentKind.MATERIAL_UNIT, box.id, 1),
        ],
    )
    event = Event(HOSTILE_NAMES[4], [ProductionTarget(dough.id, 2)], [AssemblyTarget(gift.id, 7)])
    catalog = [*ingredients, child, dough, cookie, box, gift, event]
    save(sql_store, *catalog)

    with sql_store.unit_of_work() as uow:
        for item in catalog:
            repository = {
                Ingredient: uow.ingredients,
                Recipe: uow.recipes,
                FinishedUnit: uow.finished_units,
                MaterialUnit: uow.material_units,
                FinishedGood: uow.finished_goods,
                Event: uow.events,
            }[type(item)]
            assert repository.get(item.id) == item

    plan_id = create_plan(sql_store.unit_of_work(), event.id).plan_id
    with sql_store.unit_of_work() as uow:
        snapshots = {s.source_id: s for s in uow.snapshots.all()}
        captured = snapshots[dough.id]
        assert isinstance(captured, RecipeSnapshot)
        assert captured.name == HOSTILE_NAMES[0]
        assert [line.ingredient_name for line in captured.lines] == HOSTILE_NAMES
        assert [line.unit for line in captured.lines] == HOSTILE_NAMES
        assert [line.note for line in captured.lines] == HOSTILE_NAMES
        assert all(str(line.quantity) == str(THIRTY_DIGITS) for line in captured.lines)
        assert snapshots[gift.id].name == "n" * 10_000
        assert uow.plans.get(plan_id).event_id == event.id
    names = {r.name for r in plan_requirements(sql_store.unit_of_work(), plan_id).ingredients}
    assert names == set(HOSTILE_NAMES)
    with sql_store.engine.connect() as conn:  # nothing was dropped by a name
        assert conn.execute(sa.text("SELECT count(*) FROM snapplan_recipes")).scalar_one() == 2


# -- the domain's extremes, on every engine ----------------------------------------------------


@st.composite
def domain_amounts(draw: st.DrawFn) -> Decimal:
    """Any positive amount the domain accepts: up to MAX_DIGITS digits (trailing zeros count),
    its adjusted exponent within -MAX_ADJUSTED_EXPONENT .. +MAX_ADJUSTED_EXPONENT; the bounds
    themselves often (MariaDB's DECIMAL would stop at 65 digits and 30 decimals)."""
    count = draw(st.one_of(st.just(MAX_DIGITS), st.just(1), st.integers(1, MAX_DIGITS)))
    first = draw(st.sampled_from([1, 9]) | st.integers(1, 9))
    rest = draw(st.lists(st.sampled_from([0, 9]) | st.integers(0, 9), min_size=count - 1,
                         max_size=count - 1))  # fmt: skip
    digits = (first, *rest)
    lowest = -MAX_ADJUSTED_EXPONENT - count + 1
    highest = MAX_ADJUSTED_EXPONENT - count + 1
    exponent = draw(st.one_of(st.just(lowest), st.just(highest), st.integers(lowest, highest)))
    return Decimal((0, digits, exponent))


#: Every aware UTC time Python has, to the microsecond.
domain_times = st.datetimes(
    min_value=datetime.datetime(1, 1, 1),
    max_value=datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
    timezones=st.just(datetime.UTC),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # one store, many rows
@given(amount=domain_amounts(), moment=domain_times)
def test_every_amount_and_time_the_domain_accepts_comes_back_exactly(
    sql_store: SqlStore, amount: Decimal, moment: datetime.datetime
) -> None:
    assert to_decimal(amount) == amount  # the strategy stays inside the domain
    flour = Ingredient("Flour")
    dough = Recipe("Dough", lines=[IngredientLine(flour.id, amount, "g")])
    cookie = FinishedUnit("Cookie", dough.id, amount)  # a column of its own
    plan = Plan(event_id=uuid.uuid4(), created_at=moment)
    with sql_store.unit_of_work() as uow:
        add_all(uow, [flour, dough, cookie])
        uow.plans.add(plan)
        uow.commit()
    with sql_store.unit_of_work() as uow:
        stored_cookie = uow.finished_units.get(cookie.id)
        stored_line = uow.recipes.get(dough.id).lines[0]
        stored_plan = uow.plans.get(plan.id)
    assert stored_cookie.items_per_batch.as_tuple() == amount.as_tuple()
    assert stored_line.quantity.as_tuple() == amount.as_tuple()
    assert stored_plan.created_at == moment
    assert stored_plan.created_at.tzinfo is datetime.UTC
