"""The pantry on the command line, in-process: buy, price, count, use, pantry, void --pantry.

By names or ids, exact amounts (``1 1/2 cup``), back-dated entries, idempotency keys, one-line
errors, JSON as the library's values, and names that try to steer the terminal shown escaped
by every buying command.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import attrs
import pytest

from snapplan.cli.buying_views import TIMES as X
from snapplan.cli.terminal import KEPT
from snapplan.domain.pantry import PantryItem

from .conftest import Baker

PANTRY = """
[[ingredient]]
name = "Butter"
measures = ["1 stick = 113 g"]

[[ingredient]]
name = "Flour"
measures = ["1 cup = 120 g"]

[[ingredient]]
name = "Cocoa"

[[material_unit]]
name = "Tin"

[[product]]
name = "Butter 250 g block"
for = "Butter"
pack = "250 g"
price = 2.50
currency = "EUR"

[[product]]
name = "Flour 1 kg bag"
for = "Flour"
pack = "1 kg"

[[product]]
name = "Tins, 6"
for = "Tin"
pack = "6 each"
"""


@pytest.fixture
def pantry(baker: Baker) -> Baker:
    Path("pantry.toml").write_text(PANTRY, encoding="utf-8")
    baker.ok("sync", "pantry.toml")
    return baker


def on_hand(baker: Baker, *args: str) -> dict[str, tuple[str, str]]:
    found = baker.json("pantry", *args)
    return {item["name"]: (item["on_hand"], item["unit"]) for item in found["items"]}


def test_buy_by_name_with_a_price_records_a_receipt_and_a_quote(pantry: Baker) -> None:
    out = pantry.ok("buy", "butter 250 g block", "2", "--price", "2.45")

    assert out.splitlines() == [
        f"Recorded pantry entry 1: bought 2 {X} Butter 250 g block (500 g of Butter), at 2.45 "
        "EUR a pack (price recorded)",
        "Butter on hand now: 500 g",
    ]
    assert on_hand(pantry)["Butter"] == ("500", "g")
    entries = pantry.json("pantry", "--entries")["entries"]
    assert [(e["packs"], e["price"], e["currency"]) for e in entries] == [(2, "2.45", "EUR")]


def test_buy_with_a_key_is_recorded_once(pantry: Baker) -> None:
    first = pantry.ok("buy", "Flour 1 kg bag", "3", "--key", "receipt-17")
    again = pantry.ok("buy", "Flour 1 kg bag", "3", "--key", "receipt-17")

    assert first.startswith("Recorded pantry entry 1: bought 3 ")
    assert again == (
        f"Already recorded with key 'receipt-17': pantry entry 1, bought 3 {X} Flour 1 kg bag "
        "(3 kg of Flour). Nothing new was written.\n"
    )
    assert "key 'receipt-17' already names pantry entry 1" in pantry.fails(
        "buy", "Flour 1 kg bag", "4", "--key", "receipt-17"
    )
    assert on_hand(pantry)["Flour"] == ("3000", "g")


def test_price_takes_the_currency_of_the_products_last_price(pantry: Baker) -> None:
    assert pantry.ok("price", "Butter 250 g block", "2.6") == (
        "Recorded price 2: Butter 250 g block (250 g) costs 2.60 EUR a pack\n"
    )
    # a product never priced: the one currency of every price recorded
    assert "Tins, 6 (6 each) costs 3.00 EUR a pack" in pantry.ok("price", "Tins, 6", "3")
    pantry.ok("price", "Tins, 6", "3.5", "--currency", "USD")
    assert "prices are recorded in EUR, USD: give --currency" in pantry.fails(
        "price", "Flour 1 kg bag", "2"
    )
    assert "USD a pack" in pantry.ok("price", "Tins, 6", "3.6")  # its own last price's


def test_count_and_use_take_kitchen_amounts_and_say_what_is_on_hand(pantry: Baker) -> None:
    assert pantry.ok("count", "flour", "2 1/2", "cup").splitlines() == [
        "Recorded pantry entry 1: counted 2.5 cup of Flour",
        "Flour on hand now: 300 g",  # 2.5 x 120 g
    ]
    assert pantry.ok("use", "Flour", "1/3", "cup", "--reason", "pancakes").splitlines() == [
        "Recorded pantry entry 2: used 16 tsp of Flour (pancakes)",  # exact: a third of a cup
        "Flour on hand now: 260 g",
    ]
    assert pantry.ok("use", "Butter", "1", "stick", "--reason", "toast").endswith(
        "Butter on hand now: -113 g\n"
    )
    # no product, no measure: the base unit of its first entry's unit, ml for a cup
    assert pantry.ok("use", "Cocoa", "1", "cup", "--reason", "cocoa").endswith(
        "Cocoa on hand now: ~-236.588 ml\n"
    )
    assert pantry.ok("count", "Tin", "0", "each").endswith("Tin on hand now: 0 each\n")
    assert "QUANTITY: must be more than 0, not 0" in pantry.fails(
        "use", "Flour", "0", "g", "--reason", "x"
    )


def test_the_pantry_table_shows_units_counts_below_zero_and_what_cannot_convert(
    pantry: Baker,
) -> None:
    pantry.ok("buy", "Butter 250 g block", "1")
    pantry.ok("use", "Butter", "2", "cup", "--reason", "a cake from a cup recipe")
    pantry.ok("use", "Flour", "50", "g", "--reason", "dusting")
    pantry.ok("count", "Tin", "4", "each", "--at", "2026-01-02T09:30+01:00")

    out = pantry.ok("pantry")

    assert re.search(r"Butter\s+250\s+g\s+-\s+-2 cup\n", out)
    assert re.search(r"Flour\s+-50\s+g\s+-\s*\n", out)
    assert re.search(r"Tin\s+4\s+each\s+2026-01-02 \d\d:30 [+-]\d\d:\d\d", out)
    assert "Below zero: more went out than the pantry knows came in" in out
    assert "An amount in a unit the item's measures cannot convert is listed, never dropped" in out


def test_back_dated_entries_and_the_pantry_as_of_a_past_time(pantry: Baker) -> None:
    pantry.ok("count", "Flour", "1", "kg", "--at", "2026-01-01T08:00Z")
    pantry.ok("buy", "Flour 1 kg bag", "2", "--at", "2026-01-03T08:00Z")

    assert on_hand(pantry, "--as-of", "2026-01-02T00:00Z")["Flour"] == ("1000", "g")
    assert on_hand(pantry, "--as-of", "2026-01-03T08:00Z")["Flour"] == ("3000", "g")
    assert on_hand(pantry, "--as-of", "2025-12-31T23:00Z")["Flour"] == ("0", "g")
    assert "is a date without a time of day" in pantry.fails(
        "count", "Flour", "1", "kg", "--at", "2026-01-01"
    )
    assert "--at: not a date and time: 'yesterday'" in pantry.fails(
        "count", "Flour", "1", "kg", "--at", "yesterday"
    )


def test_void_a_pantry_entry_by_its_number(pantry: Baker) -> None:
    pantry.ok("buy", "Butter 250 g block", "2")
    pantry.ok("buy", "Butter 250 g block", "1")

    out = pantry.ok("void", "1", "--pantry", "--reason", "bought one, not two")
    again = pantry.ok("void", "1", "--pantry", "--reason", "bought one, not two")

    assert out.splitlines() == [
        f"Pantry entry 1 voided by entry 3: bought 2 {X} Butter 250 g block (500 g of Butter)",
        "Butter on hand now: 250 g",
    ]
    assert again.startswith("Pantry entry 1 voided by entry 3 (it already was): ")
    assert "a void cannot be voided" in pantry.fails("void", "3", "--pantry", "--reason", "x")
    assert "pantry entry 9 not found" in pantry.fails("void", "9", "--pantry", "--reason", "x")
    assert "not a pantry entry number: 'one'" in pantry.fails(
        "void", "one", "--pantry", "--reason", "x"
    )
    assert "--plan and --allow-shortage are for runs" in pantry.fails(
        "void", "1", "--pantry", "--plan", "Fair", "--reason", "x"
    )
    entries = pantry.ok("pantry", "--entries")
    assert re.search(
        rf"1\s+.+bought 2 {X} Butter 250 g block \(500 g of Butter\)\s+voided by 3", entries
    )
    assert re.search(r"3\s+.+void of entry 1 \(bought one, not two\)", entries)


def test_pantry_json_mirrors_the_library_values(pantry: Baker) -> None:
    pantry.ok("buy", "Butter 250 g block", "1", "--by", "Sam")
    pantry.ok("use", "Butter", "1", "cup", "--reason", "a cup recipe")
    pantry.ok("count", "Flour", "1/3", "cup")  # 40 g exactly

    found = pantry.json("pantry")
    entries = pantry.json("pantry", "--entries")

    assert list(found) == ["as_of", "items"]
    assert all(list(item) == [f.name for f in attrs.fields(PantryItem)] for item in found["items"])
    butter = next(i for i in found["items"] if i["name"] == "Butter")
    assert (butter["on_hand"], butter["unit"], butter["unconvertible"]) == (
        "250",
        "g",
        [["-1", "cup"]],
    )
    flour = next(i for i in found["items"] if i["name"] == "Flour")
    assert flour["on_hand"] == "40"
    assert flour["counted_at"].endswith("+00:00")
    assert [(e["kind"], e["seq"]) for e in entries["entries"]] == [
        ("receipt", 1), ("use", 2), ("count", 3)
    ]  # fmt: skip
    assert entries["entries"][0]["by"] == "Sam"
    assert entries["entries"][0]["packs"] == 1


def test_names_or_ids_and_one_line_errors(pantry: Baker) -> None:
    assert "no product named 'Butter block' (did you mean 'Butter 250 g block'?)" in pantry.fails(
        "buy", "Butter block", "1"
    )
    assert "PACKS: a whole number of packs from 1 (2), not '2.5'" in pantry.fails(
        "buy", "Butter 250 g block", "2.5"
    )
    assert "--price: a price cannot be negative" in pantry.fails(
        "buy", "Butter 250 g block", "1", "--price", "-1"
    )
    assert "--currency says nothing without --price" in pantry.fails(
        "buy", "Butter 250 g block", "1", "--currency", "EUR"
    )
    assert "product 'Butter 250 g block', currency: 'EUX' is not a currency code of ISO 4217" in (
        pantry.fails("price", "Butter 250 g block", "1", "--currency", "EUX")
    )
    assert "product 'Butter 250 g block', currency: must be three upper-case letters" in (
        pantry.fails("buy", "Butter 250 g block", "1", "--price", "2", "--currency", "eur")
    )
    assert "no ingredient or material unit named 'Flower' (did you mean 'Flour'?)" in pantry.fails(
        "count", "Flower", "1", "kg"
    )
    missing = "00000000-0000-4000-8000-000000000000"
    assert "not found" in pantry.fails("count", missing, "1", "kg")
    assert "not found" in pantry.fails("buy", missing, "1")
    assert pantry("use", "Flour", "1", "kg") == 2  # --reason is required: a usage error
    assert "QUANTITY: not a number: 'lots'" in pantry.fails("count", "Flour", "lots", "g")


def test_an_item_and_a_product_are_found_by_id(pantry: Baker) -> None:
    items = {i["name"]: i["item_id"] for i in pantry.json("pantry")["items"]}
    pantry.ok("buy", "Tins, 6", "1")
    product = pantry.json("pantry", "--entries")["entries"][0]["product_id"]

    assert pantry.ok("count", items["Tin"], "12", "each").startswith(
        "Recorded pantry entry 2: counted 12 each of Tin"
    )
    assert pantry.ok("buy", product, "2").startswith(f"Recorded pantry entry 3: bought 2 {X} Tins")


# -- names that try to steer the terminal --------------------------------------------------------

TITLE_AND_CLEAR = "\x1b]0;pwned\x07\x1b[2J"
SHOWN = r"\x1b]0;pwned\x07\x1b[2J"
HOSTILE = """
[[ingredient]]
name = "Sugar\\u001b]0;pwned\\u0007\\u001b[2J"

[[product]]
name = "Bag \\u202eeulb"
for = "Sugar\\u001b]0;pwned\\u0007\\u001b[2J"
pack = "1 kg"
price = 1.80
currency = "EUR"

[[recipe]]
name = "Cake\\u009b31m"
lines = [{ ingredient = "Sugar\\u001b]0;pwned\\u0007\\u001b[2J", quantity = 300, unit = "g" }]

[[event]]
name = "Fair\\u2066"
production = [{ recipe = "Cake\\u009b31m", batches = 5 }]
"""


def dangerous(text: str) -> list[str]:
    return [
        c
        for c in text
        if c != "\n" and c not in KEPT and unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs"}
    ]


def test_hostile_names_are_shown_escaped_by_every_buying_command(baker: Baker) -> None:
    Path("hostile.toml").write_text(HOSTILE, encoding="utf-8")
    baker.ok("sync", "hostile.toml")
    baker.ok("plan", "Fair\u2066")
    sugar = f"Sugar{TITLE_AND_CLEAR}"
    outputs = [
        baker.ok("buy", "Bag \u202eeulb", "1", "--price", "1.80"),
        baker.ok("count", sugar, "200", "g", "--note", "shelf\x1b[5m"),
        baker.ok("use", sugar, "10", "g", "--reason", "tea\x1b[2J"),
        baker.ok("pantry"),
        baker.ok("pantry", "--entries"),
        baker.ok("shop", "Fair\u2066"),
        baker.ok("shop", "Fair\u2066", "--explain", sugar),
        baker.ok("shop", "Fair\u2066", "--csv"),
        baker.ok("cost", "Fair\u2066"),
        baker.ok("void", "1", "--pantry", "--reason", "wrong\x07bag"),
    ]
    for out in outputs:
        assert dangerous(out) == [], out
    assert SHOWN in outputs[0] + outputs[3]
    assert r"Bag \u202eeulb" in outputs[5]
    assert r"Cake\x9b31m" in outputs[6]
    assert r"tea\x1b[2J" in outputs[4]
    for args in (("pantry",), ("shop", "Fair\u2066"), ("cost", "Fair\u2066")):
        text = baker.ok(*args, "--json")
        assert text.isascii()
        assert dangerous(text) == []
        json.loads(text)
    # JSON keeps the name as it is, every such character written as \\u
    assert [item["name"] for item in baker.json("pantry")["items"]] == [sugar]
