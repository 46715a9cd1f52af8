"""The "bad input" proofs of issue 15 that tests/test_pantry.py and tests/test_measures.py do not
already make: every measure set that contradicts itself (drawn), a measure within one dimension
for every pair of units, a loop of three measures in the catalog file, a purchase with a
negative price or an unknown currency, a product changed to a missing item or to a pack that
cannot convert, a bad count or use. Each is a typed error naming the item (or the product) and
what is wrong, and nothing is written.
"""

from __future__ import annotations

import itertools
import types
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from snapplan import (
    Ingredient,
    MaterialUnit,
    Measure,
    MemoryStore,
    Product,
    ProductNotFound,
    ValidationError,
    add_catalog,
    record_price,
    record_purchase,
    record_stock_count,
    record_stock_use,
)
from snapplan.cli.catalog_file import CatalogFileError, parse_catalog
from snapplan.domain.units import dimension_of
from snapplan.testing import strategies as sps
from snapplan.testing.contents import store_contents


@settings(max_examples=30)  # pure and cheap, but no need for the thorough profile's 150
@given(sps.contradicting_measures())
def test_measures_that_give_two_ways_to_convert_are_refused_naming_them_and_the_item(
    measures: tuple[Measure, ...],
) -> None:
    for kind, name in ((Ingredient, "Flour"), (MaterialUnit, "Gift tin")):
        with pytest.raises(ValidationError, match="give two ways to convert") as caught:
            kind(name, measures=measures)
        message = str(caught.value)
        assert message.startswith(f"{kind.__name__}.measures: measures '"), message
        assert f" of {name!r} give two ways to convert between " in message, message
        named = [m for m in measures if f"'{m}'" in message]
        assert len(named) >= 2, message  # the measures that close the loop, at least


UNITS = ["g", "kg", "lb", "oz", "ml", "cup", "tbsp", "l", "each", "dozen", "stick"]
SAME_DIMENSION = [
    (a, b) for a, b in itertools.product(UNITS, UNITS) if dimension_of(a) == dimension_of(b)
]


def test_a_measure_within_one_dimension_is_refused_for_every_pair_of_units() -> None:
    # a Measure is made before the item it belongs to, so it names itself; where the item is
    # known (the catalog file, below) the item is named too
    assert len(SAME_DIMENSION) > len(UNITS)  # pairs of distinct units are among them
    for unit, other in SAME_DIMENSION:
        with pytest.raises(ValidationError, match="two units of one dimension") as caught:
            Measure(1, unit, 2, other)
        assert str(caught.value).startswith(f"Measure.equals_unit: 1 {unit} = 2 {other} ")


@pytest.mark.parametrize(
    ("section", "name"), [("ingredient", "Flour"), ("material_unit", "Gift tin")]
)
def test_a_measure_within_one_dimension_in_the_catalog_file_names_the_item(
    section: str, name: str
) -> None:
    text = f'[[{section}]]\nname = "{name}"\nmeasures = ["1 each = 50 g", "1 cup = 16 tbsp"]\n'
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, source="bakery.toml")
    assert str(caught.value).startswith(
        f"bakery.toml: {section.replace('_', ' ')} {name!r}, measure 2: equals_unit: "
        "1 cup = 16 tbsp relates two units of one dimension"
    ), caught.value


def test_a_loop_of_three_measures_in_the_catalog_file_names_the_ingredient() -> None:
    text = (
        '[[ingredient]]\nname = "Flour"\n'
        'measures = ["1 cup = 120 g", "1 each = 50 g", "1 cup = 2 each"]\n'
    )
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, source="bakery.toml")
    message = str(caught.value)
    assert message.startswith("bakery.toml: ingredient 'Flour': measures: ")
    assert (
        "'1 cup = 2 each' of 'Flour' give two ways to convert between volume and count" in message
    )


def test_an_ingredient_cannot_be_changed_to_measures_that_contradict() -> None:
    store = MemoryStore()
    flour = Ingredient("Flour", measures=[Measure(1, "cup", 120, "g")])
    add_catalog(store.unit_of_work(), [flour])
    before = store_contents(store)
    with pytest.raises(ValidationError, match="of 'Flour' give two ways"):
        attrs.evolve(flour, measures=[*flour.measures, Measure(1, "cup", 125, "g")])
    assert store_contents(store) == before


def _shop(store: Any) -> tuple[Ingredient, Product, Product]:
    flour = Ingredient("Flour", measures=[Measure(1, "cup", 120, "g")])
    bag = Product(flour.id, "Flour 1 kg bag", 1, "kg", preferred=True)
    cups = Product(flour.id, "Flour, 10 cups", 10, "cup")
    add_catalog(store.unit_of_work(), [flour, bag, cups])
    return flour, bag, cups


BAD_PRICES = [
    ("-0.01", "EUR", "price: amount must be zero or more, not -0.01"),
    ("1.20", "ABC", "currency: 'ABC' is not a currency code of ISO 4217"),
    ("1.20", "eur", "currency: must be three upper-case letters (EUR), not 'eur'"),
    ("1.20", "EURO", "currency: must be three upper-case letters (EUR), not 'EURO'"),
    ("two", "EUR", "price: not a number: 'two'"),
]


@pytest.mark.parametrize(("price", "currency", "message"), BAD_PRICES)
def test_a_purchase_with_a_bad_price_names_the_product_and_writes_neither_receipt_nor_quote(
    store: Any, price: str, currency: str, message: str
) -> None:
    _, bag, _ = _shop(store)
    before = store_contents(store)
    with pytest.raises(ValidationError) as caught:
        record_purchase(store.unit_of_work(), bag.id, 2, price=price, currency=currency)
    assert str(caught.value) == f"product 'Flour 1 kg bag', {message}"
    assert store_contents(store) == before


@pytest.mark.parametrize(("price", "currency", "message"), BAD_PRICES)
def test_a_bad_price_quote_names_the_product_and_writes_nothing(
    store: Any, price: str, currency: str, message: str
) -> None:
    _, _, cups = _shop(store)
    before = store_contents(store)
    with pytest.raises(ValidationError) as caught:
        record_price(store.unit_of_work(), cups.id, price, currency=currency)
    assert str(caught.value) == f"product 'Flour, 10 cups', {message}"
    assert store_contents(store) == before


@pytest.mark.parametrize(
    ("price", "currency", "message"),
    [
        ("1.20", None, "product 'Flour 1 kg bag': price and currency come together"),
        (None, "EUR", "product 'Flour 1 kg bag', currency: a currency without a price"),
    ],
)
def test_a_purchase_with_half_a_price_names_the_product_and_writes_nothing(
    store: Any, price: str | None, currency: str | None, message: str
) -> None:
    _, bag, _ = _shop(store)
    before = store_contents(store)
    with pytest.raises(ValidationError) as caught:
        record_purchase(store.unit_of_work(), bag.id, 2, price=price, currency=currency)
    assert str(caught.value).startswith(message), caught.value
    assert store_contents(store) == before


def test_a_purchase_of_a_missing_product_names_it_and_writes_nothing(store: Any) -> None:
    _shop(store)
    before = store_contents(store)
    missing = Product(Ingredient("Flour").id, "Rye 1 kg bag", 1, "kg")
    with pytest.raises(ProductNotFound) as caught:
        record_purchase(store.unit_of_work(), missing.id, 1, price="1.20", currency="EUR")
    assert caught.value.id == missing.id
    assert str(caught.value) == f"product {missing.id} not found"
    assert store_contents(store) == before


def test_a_product_changed_to_a_missing_item_or_a_pack_that_cannot_convert_is_refused(
    store: Any,
) -> None:
    flour, bag, cups = _shop(store)
    before = store_contents(store)
    nothing = Ingredient("Nothing")
    changes = {
        # the bag now of an item nobody stored: the product and the missing item's id named
        rf"^product 'Flour 1 kg bag' is for {nothing.id}, which is no ingredient or material "
        "unit": attrs.evolve(bag, item_id=nothing.id),
        # the cups now sold by the stick, which Flour has no measure for: both products and
        # the item named
        r"product 'Flour, 10 cups' \(10 stick\) cannot be converted to product 'Flour 1 kg "
        r"bag' \(1 kg\) of 'Flour'|product 'Flour 1 kg bag' \(1 kg\) cannot be converted to "
        r"product 'Flour, 10 cups' \(10 stick\) of 'Flour'": attrs.evolve(cups, pack_unit="stick"),
    }
    for message, changed in changes.items():
        with pytest.raises(ValidationError, match=message), store.unit_of_work() as uow:
            uow.products.update(changed)
            uow.commit()
        assert store_contents(store) == before, message
    with store.unit_of_work() as uow:
        assert uow.ingredients.get(flour.id) == flour


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda uow, i: record_stock_count(uow, i.flour.id, -1, "kg"),
         "ingredient 'Flour', quantity: amount must be zero or more, not -1"),
        (lambda uow, i: record_stock_count(uow, i.tin.id, 2, " each"),
         "material unit 'Gift tin', unit: must not start or end with white space: ' each'"),
        (lambda uow, i: record_stock_use(uow, i.tin.id, 0, "each", reason="dented"),
         "material unit 'Gift tin', quantity: amount must be positive, not 0"),
        (lambda uow, i: record_stock_use(uow, i.flour.id, "a cup", "cup", reason="spilt"),
         "ingredient 'Flour', quantity: not a number: 'a cup'"),
        (lambda uow, i: record_stock_use(uow, i.flour.id, 1, "cup", reason=" "),
         "ingredient 'Flour', reason: must not be blank"),
    ],
)  # fmt: skip
def test_a_bad_count_or_use_names_the_item_and_writes_nothing(
    store: Any, call: Any, message: str
) -> None:
    flour, _, _ = _shop(store)
    tin = MaterialUnit("Gift tin")
    add_catalog(store.unit_of_work(), [tin])
    before = store_contents(store)
    with pytest.raises(ValidationError) as caught:
        call(store.unit_of_work(), types.SimpleNamespace(flour=flour, tin=tin))
    assert str(caught.value) == message
    assert store_contents(store) == before
