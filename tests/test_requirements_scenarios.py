"""DOMAIN.md requirement scenarios: exact, from snapshots, units never mixed — on every store.

The rules beneath them (a production target is a floor, also where a diamond shares a recipe;
needed batches are an exact decimal whenever one says them) are worked at the end on the pure
domain, with no store (:func:`pure_domain.requirements`).
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from pure_domain import requirements

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
    Requirements,
    SubRecipe,
    create_plan,
    plan_requirements,
)
from snapplan.domain.quantities import exact_arithmetic
from snapplan.domain.requirements import exact_decimal
from snapplan.testing.catalog import save

FU = ComponentKind.FINISHED_UNIT
FG = ComponentKind.FINISHED_GOOD
MU = ComponentKind.MATERIAL_UNIT


def requirements_of(store: Any, event: Event) -> Requirements:
    result = create_plan(store.unit_of_work(), event.id)
    return plan_requirements(store.unit_of_work(), result.plan_id)


def totals(needs: Requirements) -> list[tuple[str, Decimal, str]]:
    return [(i.name, i.quantity, i.unit) for i in needs.ingredients]


def test_tenth_of_a_cup_times_three_is_three_tenths_exactly(store: Any) -> None:
    flour = Ingredient("Flour")
    recipe = Recipe("Scones", lines=[IngredientLine(flour.id, "0.1", "cup")])
    event = Event("Market", [ProductionTarget(recipe.id, 3)])
    save(store, flour, recipe, event)
    (line,) = requirements_of(store, event).ingredients
    assert (line.quantity, line.unit) == (Decimal("0.3"), "cup")
    assert str(line.quantity) == "0.3"


def test_units_of_different_dimensions_stay_separate_lines(store: Any) -> None:
    flour = Ingredient("Flour")
    recipe = Recipe(
        "Mixed", lines=[IngredientLine(flour.id, "0.1", "cup"), IngredientLine(flour.id, 100, "g")]
    )
    event = Event("Market", [ProductionTarget(recipe.id, 3)])
    save(store, flour, recipe, event)
    assert totals(requirements_of(store, event)) == [
        ("Flour", Decimal("0.3"), "cup"),
        ("Flour", Decimal(300), "g"),
    ]


def test_units_of_one_dimension_are_converted_exactly(store: Any) -> None:
    flour, milk, eggs = Ingredient("Flour"), Ingredient("Milk"), Ingredient("Eggs")
    recipe = Recipe(
        "Batter",
        lines=[
            IngredientLine(flour.id, 1, "kg"),
            IngredientLine(flour.id, 500, "g"),
            IngredientLine(milk.id, 1, "cup"),
            IngredientLine(milk.id, 2, "tbsp"),
            IngredientLine(eggs.id, 1, "dozen"),
            IngredientLine(eggs.id, 2, "each"),
        ],
    )
    event = Event("Market", [ProductionTarget(recipe.id, 2)])
    save(store, flour, milk, eggs, recipe, event)
    assert totals(requirements_of(store, event)) == [
        ("Eggs", Decimal(28), "each"),
        ("Flour", Decimal(3000), "g"),
        ("Milk", (Decimal("236.5882365") + 2 * Decimal("14.78676478125")) * 2, "ml"),
    ]


def test_aliases_are_one_unit_and_unknown_units_stay_apart(store: Any) -> None:
    salt = Ingredient("Salt")
    recipe = Recipe(
        "Brine",
        lines=[
            IngredientLine(salt.id, 1, "cups"),
            IngredientLine(salt.id, 1, "cup"),
            IngredientLine(salt.id, 2, "pinch"),
        ],
    )
    event = Event("Market", [ProductionTarget(recipe.id, 1)])
    save(store, salt, recipe, event)
    assert totals(requirements_of(store, event)) == [
        ("Salt", Decimal(2), "cup"),
        ("Salt", Decimal(2), "pinch"),
    ]


def test_sub_recipe_ingredients_count_and_survive_later_edits(store: Any) -> None:
    sugar, flour = Ingredient("Sugar"), Ingredient("Flour")
    filling = Recipe("Filling", lines=[IngredientLine(sugar.id, 1, "cup")])
    pie = Recipe(
        "Pie",
        lines=[IngredientLine(flour.id, 200, "g")],
        sub_recipes=[SubRecipe(filling.id, 2)],
    )
    event = Event("Market", [ProductionTarget(pie.id, 3)])
    save(store, sugar, flour, filling, pie, event)
    result = create_plan(store.unit_of_work(), event.id)
    expected = [("Flour", Decimal(600), "g"), ("Sugar", Decimal(6), "cup")]
    assert totals(plan_requirements(store.unit_of_work(), result.plan_id)) == expected
    with store.unit_of_work() as uow:
        uow.recipes.update(attrs.evolve(filling, lines=[IngredientLine(sugar.id, 5, "cup")]))
        uow.recipes.remove(pie.id)
        uow.ingredients.remove(sugar.id)
        uow.commit()
    assert totals(plan_requirements(store.unit_of_work(), result.plan_id)) == expected


def test_a_sub_recipe_needs_exact_batches_not_rounded(store: Any) -> None:
    frosting = Recipe("Frosting")
    cake = Recipe("Cake", sub_recipes=[SubRecipe(frosting.id, "0.5")])
    event = Event("Market", [ProductionTarget(cake.id, 3)])
    save(store, frosting, cake, event)
    batches = {r.name: r for r in requirements_of(store, event).batches}
    assert batches["Frosting"].batches == Decimal("1.5")
    assert batches["Frosting"].needed_batches == Decimal("1.5")
    assert batches["Cake"].batches == 3


def bag_catalog() -> dict[str, Any]:
    cookies, brownies = Recipe("Cookies"), Recipe("Brownies")
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    brownie = FinishedUnit("Brownie", brownies.id, 24)
    bag = FinishedGood("Bag", [Component(FU, cookie.id, 3), Component(FU, brownie.id, 2)])
    mega = FinishedGood("Mega", [Component(FG, bag.id, 2)])
    return locals()


def units_of(needs: Requirements) -> dict[str, Decimal]:
    return {u.name: u.quantity for u in needs.finished_units}


def test_bags_explode_into_finished_units(store: Any) -> None:
    c = bag_catalog()
    event = Event("Market", assembly_targets=[AssemblyTarget(c["bag"].id, 10)])
    save(store, *c.values(), event)
    assert units_of(requirements_of(store, event)) == {"Cookie": 30, "Brownie": 20}


def test_nested_goods_multiply_through(store: Any) -> None:
    c = bag_catalog()
    event = Event("Market", assembly_targets=[AssemblyTarget(c["mega"].id, 5)])
    save(store, *c.values(), event)
    needs = requirements_of(store, event)
    assert units_of(needs) == {"Cookie": 30, "Brownie": 20}
    assert {r.name: r.batches for r in needs.batches} == {"Cookies": 1, "Brownies": 1}


def test_half_a_cookie_on_two_branches_is_never_truncated(store: Any) -> None:
    cookies = Recipe("Cookies")
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    left = FinishedGood("Left", [Component(FU, cookie.id, "0.5")])
    right = FinishedGood("Right", [Component(FU, cookie.id, "0.5")])
    bundle = FinishedGood("Bundle", [Component(FG, left.id, 1), Component(FG, right.id, 1)])
    event = Event("Market", assembly_targets=[AssemblyTarget(bundle.id, 3)])
    save(store, cookies, cookie, left, right, bundle, event)
    assert units_of(requirements_of(store, event)) == {"Cookie": 3}


def cookie_event(store: Any, needed: int, per_batch: int = 48) -> Requirements:
    cookies = Recipe("Cookies")
    cookie = FinishedUnit("Cookie", cookies.id, per_batch)
    box = FinishedGood("Box", [Component(FU, cookie.id, 1)])
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, needed)])
    save(store, cookies, cookie, box, event)
    return requirements_of(store, event)


def test_batches_round_up_with_leftovers(store: Any) -> None:
    for needed, batches, leftover in [(48, 1, 0), (49, 2, 47), (300, 7, 36)]:
        (line,) = cookie_event(store, needed).batches
        assert (line.batches, line.leftover_units) == (batches, leftover)
        assert line.needed_batches == Fraction(needed, 48)


def test_two_finished_units_of_one_dough_share_its_batches(store: Any) -> None:
    dough = Recipe("Cookie dough")
    large = FinishedUnit("Large cookie", dough.id, 36)
    small = FinishedUnit("Small cookie", dough.id, 36)
    box = FinishedGood("Box", [Component(FU, large.id, 50), Component(FU, small.id, 30)])
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, 1)])
    save(store, dough, large, small, box, event)
    (line,) = requirements_of(store, event).batches
    assert line.batches == 3
    assert line.needed_batches == Fraction(80, 36)
    assert line.leftover_units == 108 - 80


def test_leftovers_are_unknown_when_yields_differ(store: Any) -> None:
    dough = Recipe("Cookie dough")
    large = FinishedUnit("Large cookie", dough.id, 24)
    small = FinishedUnit("Small cookie", dough.id, 48)
    box = FinishedGood("Box", [Component(FU, large.id, 10), Component(FU, small.id, 10)])
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, 1)])
    save(store, dough, large, small, box, event)
    (line,) = requirements_of(store, event).batches
    assert line.batches == 1
    assert line.leftover_units is None


def test_a_production_target_is_a_floor_for_finished_unit_demand(store: Any) -> None:
    cookies = Recipe("Cookies")
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    box = FinishedGood("Box", [Component(FU, cookie.id, 10)])
    event = Event("Market", [ProductionTarget(cookies.id, 4)], [AssemblyTarget(box.id, 5)])
    save(store, cookies, cookie, box, event)
    (line,) = requirements_of(store, event).batches
    assert line.batches == 4
    assert line.leftover_units == 4 * 48 - 50


def test_assembly_only_plans_yield_batches_ingredients_and_packaging(store: Any) -> None:
    butter = Ingredient("Butter")
    frosting = Recipe("Frosting", lines=[IngredientLine(butter.id, 100, "g")])
    cake = Recipe(
        "Cake", lines=[IngredientLine(butter.id, 1, "lb")], sub_recipes=[SubRecipe(frosting.id, 1)]
    )
    slice_ = FinishedUnit("Cake slice", cake.id, 8)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood("Cake box", [Component(FU, slice_.id, 4), Component(MU, ribbon.id, 2)])
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, 5)])
    save(store, butter, frosting, cake, slice_, ribbon, box, event)
    needs = requirements_of(store, event)
    assert {r.name: r.batches for r in needs.batches} == {"Cake": 3, "Frosting": 3}
    # 3 cake batches: 3 lb (3 x 453.59237 g) and 3 frosting batches: 300 g, summed in grams
    assert totals(needs) == [("Butter", 3 * Decimal("453.59237") + 300, "g")]
    assert [(m.name, m.quantity) for m in needs.materials] == [("Ribbon", 10)]
    assert units_of(needs) == {"Cake slice": 20}


def test_each_snapshot_of_one_recipe_drives_its_own_part(store: Any) -> None:
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 100, "g")])
    cookie = FinishedUnit("Cookie", cookies.id, 10)
    box = FinishedGood("Box", [Component(FU, cookie.id, 10)])
    event = Event("Market", [ProductionTarget(cookies.id, 2)])
    save(store, flour, cookies, cookie, box, event)
    create_plan(store.unit_of_work(), event.id)
    with store.unit_of_work() as uow:
        uow.recipes.update(attrs.evolve(cookies, lines=[IngredientLine(flour.id, 200, "g")]))
        linked = uow.events.get(event.id)
        uow.events.update(attrs.evolve(linked, assembly_targets=[AssemblyTarget(box.id, 3)]))
        uow.commit()
    needs = requirements_of(store, event)
    assert sorted(r.batches for r in needs.batches) == [2, 3]
    assert len({r.snapshot_id for r in needs.batches}) == 2
    assert totals(needs) == [("Flour", Decimal(2 * 100 + 3 * 200), "g")]


# -- in the domain: a production target is a floor, also on a diamond ---------------------------


def batches_by_name(needs: Requirements) -> dict[str, tuple[Decimal, object]]:
    return {r.name: (r.batches, r.needed_batches) for r in needs.batches}


def diamond(d_target: object) -> Requirements:
    """B and C (2 batches each, targets) both use 1 batch of D per batch; D is a target too."""
    flour = Ingredient("Flour")
    d = Recipe("D", lines=[IngredientLine(flour.id, 100, "g")])
    b = Recipe("B", sub_recipes=[SubRecipe(d.id, 1)])
    c = Recipe("C", sub_recipes=[SubRecipe(d.id, 1)])
    return requirements(flour, d, b, c, production=[(b, 2), (c, 2), (d, d_target)])


def test_a_diamond_target_above_its_parents_demand_bakes_the_target_not_the_sum() -> None:
    needs = diamond(5)  # parents need 2 + 2 = 4 batches of D
    assert batches_by_name(needs)["D"] == (Decimal(5), Decimal(4))
    assert [(i.quantity, i.unit) for i in needs.ingredients] == [(Decimal(500), "g")]


def test_a_diamond_target_below_its_parents_demand_bakes_the_demand_not_the_sum() -> None:
    needs = diamond(3)  # parents need 4
    assert batches_by_name(needs)["D"] == (Decimal(4), Decimal(4))
    assert [(i.quantity, i.unit) for i in needs.ingredients] == [(Decimal(400), "g")]


def test_a_diamond_target_with_finished_unit_demand_too_gets_the_larger_not_the_sum() -> None:
    # D yields 10 cookies a batch; 15 cookies (1.5 batches) plus 2 + 2 from its parents is
    # 5.5, rounded up to 6; its target of 7 is larger, 5 smaller.
    d = Recipe("D")
    b = Recipe("B", sub_recipes=[SubRecipe(d.id, 1)])
    c = Recipe("C", sub_recipes=[SubRecipe(d.id, 1)])
    cookie = FinishedUnit("Cookie", d.id, items_per_batch=10)
    bag = FinishedGood("Bag", [Component(FU, cookie.id, 15)])
    for target, batches in ((7, Decimal(7)), (5, Decimal(6))):
        needs = requirements(
            d, b, c, cookie, bag, production=[(b, 2), (c, 2), (d, target)], assembly=[(bag, 1)]
        )
        assert batches_by_name(needs)["D"] == (batches, Decimal("5.5"))
        # leftover: what the batches make beyond the cookies and the parents' share
        (line,) = [r for r in needs.batches if r.name == "D"]
        assert line.leftover_units == (batches - Decimal("5.5")) * 10


# -- in the domain: exact arithmetic, needed batches a Decimal whenever one says them --------------


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        (Fraction(1, 5), Decimal("0.2")),
        (Fraction(3, 8), Decimal("0.375")),
        (Fraction(7, 40), Decimal("0.175")),
        (Fraction(1, 3125), Decimal("0.00032")),
        (Fraction(12, 1), Decimal(12)),
    ],
)
def test_a_terminating_fraction_becomes_the_exact_decimal(value: Fraction, exact: Decimal) -> None:
    result = exact_decimal(value)
    assert type(result) is Decimal
    assert (result, str(result)) == (exact, str(exact))


@pytest.mark.parametrize("value", [Fraction(1, 3), Fraction(20, 9), Fraction(1, 30)])
def test_a_fraction_no_decimal_can_say_stays_a_fraction(value: Fraction) -> None:
    assert exact_decimal(value) is value


def test_needed_batches_of_one_cookie_at_five_a_batch_is_the_decimal_one_fifth() -> None:
    dough = Recipe("Dough")
    cookie = FinishedUnit("Cookie", dough.id, items_per_batch=5)
    bag = FinishedGood("Bag", [Component(FU, cookie.id, 1)])
    (line,) = requirements(dough, cookie, bag, assembly=[(bag, 1)]).batches
    assert type(line.needed_batches) is Decimal
    assert (line.batches, str(line.needed_batches), line.leftover_units) == (1, "0.2", 4)


def test_exact_arithmetic_traps_rounding_and_invalid_operations() -> None:
    with exact_arithmetic() as context:
        assert context.prec == decimal.MAX_PREC
        assert (context.Emax, context.Emin) == (decimal.MAX_EMAX, decimal.MIN_EMIN)
        with pytest.raises(decimal.InvalidOperation):
            Decimal(0) * Decimal("Infinity")
        assert all(context.traps[t] for t in (decimal.Inexact, decimal.Rounded))
        with pytest.raises(decimal.Inexact):
            Decimal("1.5").quantize(Decimal(1))
