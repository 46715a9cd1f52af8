"""``snapplan shop`` and ``snapplan cost``, in-process, with numbers worked out by hand.

The bakery (a catalog file, synced with its prices):

- Flour in 2 kg bags at 4.00 and 1.5 kg bags at 3.30; Bread takes 3 kg a batch ("Bread Day":
  one batch). The cheapest 3 kg is 2 x 1.5 kg for 6.60; greedy by unit price pays 7.30 (a 2 kg
  bag, 2.00 a kg, then a 1.5 kg bag) or 8.00 (two 2 kg bags).
- Butter in 250 g blocks at 2.50 (1 stick = 113 g); Shortbread takes 300 g a batch, 12 wedges.
  "Christmas Fair" and "Winter Market" each bake one batch: 600 g together, 3 blocks (750 g,
  150 g left over), where rounding each event on its own buys 2 + 2 = 4.
- Cocoa in 250 g tins, no measure: "Cocoa Morning" bakes Brownies (1 cup cocoa, 1 stick of
  butter): the cup cannot be put in grams, the line is marked and the list incomplete.
- Costs ("Gift Day": 3 hampers): butter is 2.50 / 250 g = 0.01 a gram; a batch of shortbread
  3.00, a wedge 3.00 / 12 = 0.25; a tin (6 wedges and a tin at 3.00 / 6 = 0.50) 2.00; fudge
  (100 g butter) 1.00 a batch of 3 squares: 1/3 a square, shown 0.33; a hamper (2 tins, 3
  squares and a 5.00 basket) 10.00. The plan: 3 hampers need 6 tins, 36 wedges (3 batches,
  9.00), 9 squares (3 batches, 3.00), 6 tins (3.00) and 3 baskets (15.00): 30.00.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from snapplan.cli.buying_views import TIMES as X
from snapplan.cli.money import cents, money
from snapplan.domain.costs import FinishedGoodCost, FinishedUnitCost, PlanCost, RecipeCost
from snapplan.domain.shopping import Missing, PackChoice, ShoppingLine, ShoppingList, Source

from .conftest import Baker

BAKERY = """
[[ingredient]]
name = "Flour"

[[ingredient]]
name = "Butter"
measures = ["1 stick = 113 g"]

[[ingredient]]
name = "Cocoa"

[[material_unit]]
name = "Tin"

[[material_unit]]
name = "Basket"

[[product]]
name = "Flour 2 kg bag"
for = "Flour"
pack = "2 kg"
price = 4.00
currency = "EUR"

[[product]]
name = "Flour 1.5 kg bag"
for = "Flour"
pack = "1.5 kg"
price = 3.30
currency = "EUR"

[[product]]
name = "Butter 250 g block"
for = "Butter"
pack = "250 g"
price = 2.50
currency = "EUR"

[[product]]
name = "Cocoa 250 g tin"
for = "Cocoa"
pack = "250 g"
price = 3.95
currency = "EUR"

[[product]]
name = "Tins, 6"
for = "Tin"
pack = "6 each"

[[product]]
name = "Hamper basket"
for = "Basket"
pack = "1 each"
price = 5
currency = "EUR"

[[recipe]]
name = "Bread"
lines = [{ ingredient = "Flour", quantity = 3, unit = "kg" }]

[[recipe]]
name = "Shortbread"
lines = [{ ingredient = "Butter", quantity = 300, unit = "g" }]

[[recipe]]
name = "Fudge"
lines = [{ ingredient = "Butter", quantity = 100, unit = "g" }]

[[recipe]]
name = "Brownies"
lines = [
    { ingredient = "Cocoa", quantity = 1, unit = "cup" },
    { ingredient = "Butter", quantity = 1, unit = "stick" },
]

[[finished_unit]]
name = "Wedge"
recipe = "Shortbread"
items_per_batch = 12

[[finished_unit]]
name = "Fudge square"
recipe = "Fudge"
items_per_batch = 3

[[finished_good]]
name = "Tin of shortbread"
components = [{ finished_unit = "Wedge", quantity = 6 }, { material_unit = "Tin", quantity = 1 }]

[[finished_good]]
name = "Hamper"
components = [
    { finished_good = "Tin of shortbread", quantity = 2 },
    { finished_unit = "Fudge square", quantity = 3 },
    { material_unit = "Basket", quantity = 1 },
]

[[event]]
name = "Bread Day"
production = [{ recipe = "Bread", batches = 1 }]

[[event]]
name = "Christmas Fair"
production = [{ recipe = "Shortbread", batches = 1 }]

[[event]]
name = "Winter Market"
production = [{ recipe = "Shortbread", batches = 1 }]

[[event]]
name = "Cocoa Morning"
production = [{ recipe = "Brownies", batches = 1 }]

[[event]]
name = "Gift Day"
assembly = [{ finished_good = "Hamper", quantity = 3 }]
"""

EVENTS = ("Bread Day", "Christmas Fair", "Winter Market", "Cocoa Morning", "Gift Day")


@pytest.fixture
def bakery(baker: Baker) -> Baker:
    """The bakery synced (with its prices) and every event planned."""
    Path("bakery.toml").write_text(BAKERY, encoding="utf-8")
    baker.ok("sync", "bakery.toml")
    for event in EVENTS:
        baker.ok("plan", event)
    return baker


def line_of(found: dict[str, object], name: str) -> dict[str, object]:
    lines = found["lines"]
    assert isinstance(lines, list)
    return next(line for line in lines if line["name"] == name)


# -- the hand-worked cases ----------------------------------------------------------------------


def test_the_3_kg_case_buys_two_1_5_kg_bags_for_6_60_never_greedy(bakery: Baker) -> None:
    out = bakery.ok("shop", "Bread Day")
    found = bakery.json("shop", "Bread Day")

    assert re.search(rf"Flour\n  2 {X} Flour 1.5 kg bag  6.60 EUR  \(3.30 EUR a pack\)\n", out)
    assert "left over 0 g  (need 3000 g, on hand 0 g)" in out
    assert "Total: 6.60 EUR" in out
    flour = line_of(found, "Flour")
    assert [(p["name"], p["count"], p["price"]) for p in flour["packs"]] == [  # type: ignore[attr-defined]
        ("Flour 1.5 kg bag", 2, "3.3")
    ]
    assert (flour["cost"], found["total"], found["currency"]) == ("6.6", "6.6", "EUR")
    # the fewest packs: also two, and the least left over breaks the tie
    assert f"2 {X} Flour 1.5 kg bag" in bakery.ok("shop", "Bread Day", "--policy", "fewest")


def test_two_events_sharing_butter_buy_three_blocks_not_four(bakery: Baker) -> None:
    alone = [bakery.ok("shop", event) for event in ("Christmas Fair", "Winter Market")]
    together = bakery.ok("shop", "Christmas Fair", "Winter Market")

    for out in alone:
        assert f"2 {X} Butter 250 g block  5.00 EUR" in out
    assert together.startswith("Shopping list for 'Christmas Fair' and 'Winter Market'\n")
    assert f"3 {X} Butter 250 g block  7.50 EUR" in together
    assert "left over 150 g  (need 600 g, on hand 0 g)" in together
    assert "Total: 7.50 EUR" in together
    # the order of the plans changes nothing
    assert bakery.json("shop", "Winter Market", "Christmas Fair") == bakery.json(
        "shop", "Christmas Fair", "Winter Market"
    )


def test_a_cup_of_cocoa_without_a_measure_is_listed_marked_and_never_guessed(
    bakery: Baker,
) -> None:
    out = bakery.ok("shop", "Cocoa Morning")
    found = bakery.json("shop", "Cocoa Morning")

    assert "! Cocoa: 1 cup cannot be put in g (give it a measure from cup to g" in out
    assert "  nothing to buy that can be worked out in g" in out
    # the stick of butter converts through butter's own measure
    assert f"Butter\n  1 {X} Butter 250 g block  2.50 EUR" in out
    assert "left over 137 g  (need 113 g, on hand 0 g)" in out
    assert "! Incomplete: Cocoa (unconvertible)" in out
    cocoa = line_of(found, "Cocoa")
    assert (cocoa["needed"], cocoa["unconvertible"], cocoa["complete"]) == (
        "0",
        [["1", "cup"]],
        False,
    )
    assert found["complete"] is False
    assert found["missing"] == [
        {"item_id": cocoa["item_id"], "name": "Cocoa", "why": "unconvertible"}
    ]
    assert found["total"] == "2.5"


def test_the_pantry_is_netted_once_and_what_is_still_to_make_follows_the_kitchen(
    bakery: Baker,
) -> None:
    bakery.ok("buy", "Butter 250 g block", "1")
    both = ("Christmas Fair", "Winter Market")

    netted = bakery.ok("shop", *both)
    assert f"2 {X} Butter 250 g block" in netted
    assert "left over 150 g  (need 600 g, on hand 250 g)" in netted
    assert f"3 {X} Butter 250 g block" in bakery.ok("shop", *both, "--no-pantry")

    bakery.ok("produce", "Christmas Fair", "Shortbread", "1")  # 300 g off the shelf
    after = bakery.ok("shop", *both)
    assert "left over 200 g  (need 300 g, on hand -50 g)" in after  # below zero nets as 0
    assert f"2 {X} Butter 250 g block" in after
    whole = bakery.ok("shop", *both, "--all")
    assert f"3 {X} Butter 250 g block" in whole
    assert "(the whole plan, less what the pantry holds;" in whole


def test_explain_shows_every_source_summing_exactly_to_what_is_needed(bakery: Baker) -> None:
    out = bakery.ok(
        "shop", "Christmas Fair", "Winter Market", "Cocoa Morning", "--explain", "butter"
    )

    assert out.startswith("Why 713 g of Butter?\n")
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert rows[1:] == [
        ["Christmas", "Fair", "Shortbread", "1", "batch", "300", "g", "300"],
        ["Cocoa", "Morning", "Brownies", "1", "batch", "1", "stick", "113"],
        ["Winter", "Market", "Shortbread", "1", "batch", "300", "g", "300"],
        ["needed", "713"],
    ]
    assert f"to buy 713 g: 3 {X} Butter 250 g block; left over 37 g." in out
    boxed = bakery.ok("shop", "Gift Day", "--explain", "Tin")
    assert re.search(r"Gift Day\s+Tin of shortbread\s+6 boxed\s+6 each\s+6\n", boxed)


def test_preferred_needs_a_preferred_product_and_says_which_items_lack_one(
    bakery: Baker,
) -> None:
    line = bakery.fails("shop", "Bread Day", "--policy", "preferred")

    assert "policy 'preferred': 'Flour' have products but no preferred one" in line


def test_the_list_as_json_mirrors_the_library_values(bakery: Baker) -> None:
    found = bakery.json("shop", "Gift Day", "Cocoa Morning")

    def names(cls: type) -> list[str]:
        return [field.name for field in attrs.fields(cls)]

    assert (
        list(found) == names(ShoppingList) == ["lines", "currency", "total", "complete", "missing"]
    )
    for line in found["lines"]:
        assert list(line) == names(ShoppingLine)
        for pack in line["packs"]:
            assert list(pack) == names(PackChoice)
        for source in line["sources"]:
            assert list(source) == names(Source)
    assert [list(m) for m in found["missing"]] == [names(Missing)] * 2
    tin = line_of(found, "Tin")  # priced nowhere yet
    assert (tin["cost"], tin["complete"], tin["packs"][0]["price"]) == (None, False, None)  # type: ignore[index]
    assert {(m["name"], m["why"]) for m in found["missing"]} == {
        ("Cocoa", "unconvertible"), ("Tin", "no price")
    }  # fmt: skip


def test_the_list_as_csv_has_a_row_per_pack_and_its_costs_sum_to_the_total(
    bakery: Baker,
) -> None:
    text = bakery.ok("shop", "Bread Day", "Christmas Fair", "Gift Day", "--csv")
    total = bakery.json("shop", "Bread Day", "Christmas Fair", "Gift Day")["total"]

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["item"], r["product"], r["packs"], r["cost"]) for r in rows] == [
        ("Basket", "Hamper basket", "3", "15"),
        ("Butter", "Butter 250 g block", "6", "15"),
        ("Flour", "Flour 1.5 kg bag", "2", "6.6"),
        ("Tin", "Tins, 6", "1", ""),
    ]
    assert sum(Decimal(r["cost"] or 0) for r in rows) == Decimal(total) == Decimal("36.6")
    assert rows[-1]["missing"] == "no price"


def test_a_line_missing_a_price_is_marked_and_left_out_of_the_total(bakery: Baker) -> None:
    out = bakery.ok("shop", "Gift Day")

    assert "! Tin: no price for its packs (snapplan price PRODUCT PRICE)" in out
    assert f"  1 {X} Tins, 6" in out
    assert "price unknown" in out
    assert "! Incomplete: Tin (no price)" in out


# -- what a plan costs ---------------------------------------------------------------------------


def test_a_wedge_a_tin_a_hamper_and_the_plan_cost_what_was_worked_out_by_hand(
    bakery: Baker,
) -> None:
    missing = bakery.ok("cost", "Gift Day")
    assert re.search(r"Tin of shortbread\s+- !\n", missing)
    assert "! Incomplete: Tin (no price)" in missing

    bakery.ok("price", "Tins, 6", "3")
    out = bakery.ok("cost", "Gift Day")
    found = bakery.json("cost", "Gift Day")

    for row in (
        r"Shortbread\s+3.00 EUR", r"Fudge\s+1.00 EUR", r"Wedge\s+0.25 EUR",
        r"Fudge square\s+0.33 EUR", r"Tin of shortbread\s+2.00 EUR", r"Hamper\s+10.00 EUR",
    ):  # fmt: skip
        assert re.search(row + "\n", out), row
    assert "The plan, as planned (whole batches, all its packaging): 30.00 EUR" in out
    assert "Incomplete" not in out
    recipes = {r["name"]: r["batch_cost"] for r in found["recipes"]}
    units = {u["name"]: u["unit_cost"] for u in found["finished_units"]}
    goods = {g["name"]: g["unit_cost"] for g in found["goods"]}
    assert recipes == {"Fudge": "1", "Shortbread": "3"}
    assert units == {"Fudge square": "1/3", "Wedge": "0.25"}  # exact: a fraction as n/d
    assert goods == {"Hamper": "10", "Tin of shortbread": "2"}
    assert (found["total"], found["currency"], found["complete"]) == ("30", "EUR", True)


def test_the_cost_as_json_mirrors_the_library_values(bakery: Baker) -> None:
    found = bakery.json("cost", "Gift Day")

    def names(cls: type) -> list[str]:
        return [field.name for field in attrs.fields(cls)]

    assert list(found) == names(PlanCost)
    assert {"recipes", "finished_units", "goods", "total", "complete", "missing"} <= set(found)
    assert [list(r) for r in found["recipes"]] == [names(RecipeCost)] * 2
    assert [list(u) for u in found["finished_units"]] == [names(FinishedUnitCost)] * 2
    assert [list(g) for g in found["goods"]] == [names(FinishedGoodCost)] * 2


def test_money_is_shown_to_the_cent_rounded_half_up() -> None:
    from fractions import Fraction

    assert [cents(v) for v in (Decimal("0.125"), Decimal("0.135"), Decimal("2.5"))] == [
        "0.13", "0.14", "2.50"
    ]  # fmt: skip
    assert [cents(v) for v in (Fraction(1, 3), Fraction(2, 3), Fraction(1, 200))] == [
        "0.33", "0.67", "0.01"
    ]  # fmt: skip
    assert cents(Decimal("-0.125")) == "-0.13"
    assert cents(Decimal("0.004")) == "0.00"
    assert (money(Decimal(28), "EUR"), money(None, "EUR")) == ("28.00 EUR", "-")


# -- naming things, and one-line errors ----------------------------------------------------------


def test_plans_are_named_by_event_or_id_and_errors_are_one_line(bakery: Baker) -> None:
    plan_id = bakery.json("progress", "Bread Day")["plan_id"]

    assert bakery.json("shop", plan_id) == bakery.json("shop", "Bread Day")
    assert "did you mean 'Bread Day'" in bakery.fails("shop", "Bred Day")
    assert "the shopping list has no item named 'Sugar'" in bakery.fails(
        "shop", "Bread Day", "--explain", "Sugar"
    )
    assert "did you mean 'Flour'" in bakery.fails("shop", "Bread Day", "--explain", "Flower")
    assert "is a date without a time of day" in bakery.fails(
        "shop", "Bread Day", "--as-of", "2026-12-18"
    )
    once = bakery.ok("shop", plan_id, "Bread Day", "Bread Day")
    assert once.startswith("Shopping list for 'Bread Day'\n")  # one plan, named thrice
    assert "no event with id or name" in bakery.fails("cost", "Easter")
    assert bakery("shop", "Bread Day", "--json", "--csv") == 2  # usage: one or the other


def test_a_superseded_plan_is_refused_and_prices_as_of_the_past_are_used(bakery: Baker) -> None:
    first = bakery.json("progress", "Bread Day")["plan_id"]
    bakery.ok("plan", "Bread Day", "--force")

    assert "superseded" in bakery.fails("shop", first)
    assert "are two plans of one event" in bakery.fails("shop", first, "Bread Day")
    assert "no price is known" in bakery.ok("cost", "Bread Day", "--as-of", "2000-01-01T00:00Z")
    past = bakery.json("shop", "Bread Day", "--as-of", "2000-01-01T00:00Z")
    assert (past["currency"], past["complete"]) == (None, False)
