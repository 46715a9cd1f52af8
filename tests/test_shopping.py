"""The shopping list and what a plan costs, on every store, with numbers worked by hand."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

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
    MaterialUnit,
    Measure,
    Product,
    ProductionTarget,
    Recipe,
    SubRecipe,
    SupersededPlanError,
    ValidationError,
    add_catalog,
    create_plan,
    plan_cost,
    record_price,
    record_production,
    record_stock_count,
    shopping_list,
)
from snapplan.testing.contents import store_contents

T0 = datetime.datetime(2026, 12, 5, 7, 0, tzinfo=datetime.UTC)


def clock(minutes: int = 0) -> Callable[[], datetime.datetime]:
    return lambda: T0 + datetime.timedelta(minutes=minutes)


def line_of(result: Any, name: str) -> Any:
    return next(line for line in result.lines if line.name == name)


def packs(line: Any) -> list[tuple[str, int]]:
    return [(p.name, p.count) for p in line.packs]


def test_two_events_sharing_butter_buy_what_they_need_together(store: Any) -> None:
    # Each event needs 300 g of butter; 100 g in the fridge. Summed and netted once: 500 g to
    # buy, two 250 g blocks. Netted per plan, the first would buy one block (200 g) and the
    # second two (300 g): a block too many.
    butter = Ingredient("Butter")
    block = Product(butter.id, "Butter 250 g block", 250, "g")
    shortbread = Recipe("Shortbread", lines=[IngredientLine(butter.id, 150, "g")])
    market = Event("Market", [ProductionTarget(shortbread.id, 2)])
    fair = Event("Fair", [ProductionTarget(shortbread.id, 2)])
    add_catalog(store.unit_of_work(), [butter, block, shortbread, market, fair])
    plans = [create_plan(store.unit_of_work(), e.id).plan_id for e in (market, fair)]
    record_price(store.unit_of_work(), block.id, "2.10", currency="EUR", clock=clock())
    record_stock_count(store.unit_of_work(), butter.id, 100, "g", clock=clock())

    result = shopping_list(store.unit_of_work(), plans, as_of=T0 + datetime.timedelta(hours=1))
    line = line_of(result, "Butter")
    assert (line.needed, line.on_hand, line.to_buy) == (600, 100, 500)
    assert packs(line) == [("Butter 250 g block", 2)]
    assert (line.bought, line.left_over, line.cost) == (500, 0, Decimal("4.20"))
    assert sorted(s.event_name for s in line.sources) == ["Fair", "Market"]
    assert (result.currency, result.total, result.complete) == ("EUR", Decimal("4.20"), True)
    # the order the plans are given in changes nothing
    assert (
        shopping_list(store.unit_of_work(), plans[::-1], as_of=T0 + datetime.timedelta(hours=1))
        == result
    )


def test_remaining_after_a_mornings_baking(store: Any) -> None:
    flour = Ingredient("Flour", measures=[Measure(1, "cup", 120, "g")])
    bag = Product(flour.id, "Flour 1 kg bag", 1, "kg")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 2, "cup")])
    cookie = FinishedUnit("Cookie", cookies.id, 24)
    event = Event("Market", [ProductionTarget(cookies.id, 10)])
    add_catalog(store.unit_of_work(), [flour, bag, cookies, cookie, event])
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    whole = shopping_list(store.unit_of_work(), [plan], use_pantry=False)
    assert line_of(whole, "Flour").needed == 2400  # 10 batches x 2 cups x 120 g
    record_production(store.unit_of_work(), plan, cookies.id, 4)  # a morning's baking
    rest = shopping_list(store.unit_of_work(), [plan], use_pantry=False)
    flour_line = line_of(rest, "Flour")
    assert flour_line.needed == 1440  # the 6 batches still to bake
    assert packs(flour_line) == [("Flour 1 kg bag", 2)]
    assert [(s.via, s.amount) for s in flour_line.sources] == [("Cookies", Decimal(6))]
    everything = shopping_list(store.unit_of_work(), [plan], use_pantry=False, remaining=False)
    assert line_of(everything, "Flour").needed == 2400


def test_a_diamond_sub_recipes_butter_is_counted_once_through_both_parents(store: Any) -> None:
    # Buttercream (100 g butter a batch) is half a batch in each of two cakes; 4 batches of
    # each cake: 2 + 2 = 4 batches of buttercream, 400 g of butter, explained by Buttercream's
    # own line, never counted again under the cakes
    butter = Ingredient("Butter")
    buttercream = Recipe("Buttercream", lines=[IngredientLine(butter.id, 100, "g")])
    chocolate = Recipe(
        "Chocolate Cake",
        lines=[IngredientLine(butter.id, 50, "g")],
        sub_recipes=[SubRecipe(buttercream.id, "0.5")],
    )
    vanilla = Recipe("Vanilla Cake", sub_recipes=[SubRecipe(buttercream.id, "0.5")])
    event = Event("Party", [ProductionTarget(chocolate.id, 4), ProductionTarget(vanilla.id, 4)])
    add_catalog(store.unit_of_work(), [butter, buttercream, chocolate, vanilla, event])
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    line = line_of(shopping_list(store.unit_of_work(), [plan], use_pantry=False), "Butter")
    assert line.needed == 600  # 4 x 100 through both parents, plus 4 x 50 of the cake's own
    assert sorted((s.via, s.amount, s.converted) for s in line.sources) == [
        ("Buttercream", Decimal(4), Decimal(400)),
        ("Chocolate Cake", Decimal(4), Decimal(200)),
    ]
    assert not line.complete  # no product to buy it as
    assert line.cost is None


def test_three_kilos_from_two_bag_sizes_cost_six_sixty_never_the_greedy_seven_thirty(
    store: Any,
) -> None:
    flour = Ingredient("Flour")
    two = Product(flour.id, "Flour 2 kg bag", 2, "kg")
    one_half = Product(flour.id, "Flour 1.5 kg bag", "1.5", "kg")
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, 1, "kg")])
    event = Event("Bake sale", [ProductionTarget(bread.id, 3)])
    add_catalog(store.unit_of_work(), [flour, two, one_half, bread, event])
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    record_price(store.unit_of_work(), two.id, "4.00", currency="EUR")
    record_price(store.unit_of_work(), one_half.id, "3.30", currency="EUR")
    cheapest = line_of(shopping_list(store.unit_of_work(), [plan]), "Flour")
    assert packs(cheapest) == [("Flour 1.5 kg bag", 2)]
    assert cheapest.cost == Decimal("6.60")
    fewest = line_of(shopping_list(store.unit_of_work(), [plan], policy="fewest"), "Flour")
    assert (fewest.packs[0].count + (fewest.packs[1].count if len(fewest.packs) > 1 else 0)) == 2


def test_a_cup_measured_ingredient_with_no_density_is_unconvertible_and_marked(store: Any) -> None:
    cocoa = Ingredient("Cocoa")
    tin = Product(cocoa.id, "Cocoa 250 g tin", 250, "g")
    brownies = Recipe("Brownies", lines=[IngredientLine(cocoa.id, 1, "cup")])
    event = Event("Market", [ProductionTarget(brownies.id, 2)])
    add_catalog(store.unit_of_work(), [cocoa, tin, brownies, event])
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    record_price(store.unit_of_work(), tin.id, "3.00", currency="EUR")
    result = shopping_list(store.unit_of_work(), [plan])
    line = line_of(result, "Cocoa")
    assert line.unconvertible == ((Decimal(2), "cup"),)
    assert (line.needed, line.to_buy, line.packs) == (0, 0, ())
    assert not line.complete
    assert not result.complete
    assert [(m.name, m.why) for m in result.missing] == [("Cocoa", "unconvertible")]


def test_packaging_still_to_box_is_on_the_list(store: Any) -> None:
    ribbon = MaterialUnit("Ribbon")
    roll = Product(ribbon.id, "Ribbons, bag of 10", 10, "each")
    cookies = Recipe("Cookies")
    cookie = FinishedUnit("Cookie", cookies.id, 24)
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 2),
        ],
    )
    event = Event("Market", [], [AssemblyTarget(box.id, 12)])
    add_catalog(store.unit_of_work(), [ribbon, roll, cookies, cookie, box, event])
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    line = line_of(shopping_list(store.unit_of_work(), [plan]), "Ribbon")
    assert (line.needed, line.unit) == (24, "each")
    assert packs(line) == [("Ribbons, bag of 10", 3)]
    assert [(s.via, s.amount, s.quantity) for s in line.sources] == [
        ("Gift box", Decimal(12), Decimal(24))
    ]


def test_a_superseded_plan_or_two_plans_of_one_event_are_refused(store: Any) -> None:
    butter = Ingredient("Butter")
    shortbread = Recipe("Shortbread", lines=[IngredientLine(butter.id, 150, "g")])
    event = Event("Market", [ProductionTarget(shortbread.id, 2)])
    add_catalog(store.unit_of_work(), [butter, shortbread, event])
    first = create_plan(store.unit_of_work(), event.id).plan_id
    second = create_plan(store.unit_of_work(), event.id, force_recreate=True).plan_id
    with pytest.raises(ValidationError, match="two plans of one event"):
        shopping_list(store.unit_of_work(), [first, second])
    with pytest.raises(SupersededPlanError):
        shopping_list(store.unit_of_work(), [first])
    with pytest.raises(TypeError, match="a list of plan ids"):
        shopping_list(store.unit_of_work(), second)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="policy must be one of"):
        shopping_list(store.unit_of_work(), [second], policy="greedy")  # type: ignore[arg-type]


def test_reading_the_list_writes_nothing(store: Any) -> None:
    butter = Ingredient("Butter")
    shortbread = Recipe("Shortbread", lines=[IngredientLine(butter.id, 150, "g")])
    event = Event("Market", [ProductionTarget(shortbread.id, 2)])
    add_catalog(store.unit_of_work(), [butter, shortbread, event])
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    before = store_contents(store)
    shopping_list(store.unit_of_work(), [plan])
    plan_cost(store.unit_of_work(), plan)
    assert store_contents(store) == before


# -- what a tin costs ----------------------------------------------------------------------------


def test_what_a_tin_a_hamper_and_the_plan_cost(store: Any) -> None:
    # Shortbread: 250 g butter (a 250 g block at 2.50: 1 cent a gram) and 2 cups of flour
    # (1 cup = 125 g; a 1 kg bag at 1.60: 0.16 cents a gram, 40 cents a batch); 16 wedges a
    # batch. Tin = 8 wedges + 1 lid (a pack of 10 lids at 3.00). Hamper = 2 tins + 1 ribbon
    # (no price).
    butter = Ingredient("Butter")
    flour = Ingredient("Flour", measures=[Measure(1, "cup", 125, "g")])
    lid, ribbon = MaterialUnit("Lid"), MaterialUnit("Ribbon")
    shortbread = Recipe(
        "Shortbread",
        lines=[IngredientLine(butter.id, 250, "g"), IngredientLine(flour.id, 2, "cup")],
    )
    wedge = FinishedUnit("Wedge", shortbread.id, 16)
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
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    block = Product(butter.id, "Butter 250 g block", 250, "g")
    bag = Product(flour.id, "Flour 1 kg bag", 1, "kg")
    lids = Product(lid.id, "Lids, pack of 10", 10, "each")
    event = Event("Fair", [], [AssemblyTarget(hamper.id, 3)])
    add_catalog(
        store.unit_of_work(),
        [butter, flour, lid, ribbon, shortbread, wedge, tin, hamper, block, bag, lids, event],
    )
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    for product, price in ((block, "2.50"), (bag, "1.60"), (lids, "3.00")):
        record_price(store.unit_of_work(), product.id, price, currency="EUR")

    cost = plan_cost(store.unit_of_work(), plan)
    assert cost.currency == "EUR"
    assert [(r.name, r.batch_cost) for r in cost.recipes] == [("Shortbread", Decimal("2.90"))]
    assert [(u.name, u.unit_cost) for u in cost.finished_units] == [("Wedge", Decimal("0.18125"))]
    goods = {g.name: g.unit_cost for g in cost.goods}
    assert goods["Tin"] == Decimal("1.75")  # 8 x 0.18125 + 0.30
    assert goods["Hamper"] is None  # the ribbon has no price
    # 3 hampers: 6 tins, 48 wedges, 3 batches (whole, as baked) = 8.70; 6 lids = 1.80
    assert cost.total == Decimal("10.50")
    assert not cost.complete
    assert [(m.name, m.why) for m in cost.missing] == [("Ribbon", "no product")]


def test_a_plans_total_counts_every_line_whose_price_is_known(store: Any) -> None:
    # Custard: 500 ml milk (a product without a price) and 100 g flour (2.00 a kilo); 2
    # batches. The flour's 0.40 counts; the milk is missing, so the total is a floor
    milk, flour = Ingredient("Milk"), Ingredient("Flour")
    carton = Product(milk.id, "Milk 1 l", 1, "l")
    bag = Product(flour.id, "Flour 1 kg", 1, "kg")
    custard = Recipe(
        "Custard", lines=[IngredientLine(milk.id, 500, "ml"), IngredientLine(flour.id, 100, "g")]
    )
    event = Event("Tea", [ProductionTarget(custard.id, 2)])
    add_catalog(store.unit_of_work(), [milk, flour, carton, bag, custard, event])
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    record_price(store.unit_of_work(), bag.id, "2.00", currency="EUR")
    cost = plan_cost(store.unit_of_work(), plan)
    assert cost.total == Decimal("0.40")
    assert [(r.name, r.batch_cost) for r in cost.recipes] == [("Custard", None)]
    assert not cost.complete
    assert [(m.name, m.why) for m in cost.missing] == [("Milk", "no price")]
    assert shopping_list(store.unit_of_work(), [plan]).total == Decimal("2.00")  # one bag
