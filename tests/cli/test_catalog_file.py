"""Reading TOML catalog files, in-process: every feature of the format and every error's place."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from snapplan.adapters.memory import MemoryStore
from snapplan.cli.catalog_file import CatalogFileError, parse_catalog, read_catalog
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.measures import Measure
from snapplan.errors import ValidationError

from .conftest import EXAMPLE, MARKET_ID

FLOUR = '[[ingredient]]\nname = "Flour"\n'


def recipe_with(line: str) -> str:
    return FLOUR + f'[[recipe]]\nname = "Bread"\nlines = [{line}]\n'


def test_the_example_has_every_kind_of_item_with_references_resolved() -> None:
    catalog = read_catalog(EXAMPLE)

    assert catalog.counts() == {
        "ingredient": 5,
        "recipe": 5,
        "finished_unit": 2,
        "material_unit": 2,
        "product": 8,
        "finished_good": 2,
        "event": 2,
    }
    recipes = {r.name: r for r in catalog.recipes}
    goods = {g.name: g for g in catalog.finished_goods}
    frosting = recipes["Buttercream Frosting"]
    assert [(s.recipe_id, s.batches) for s in recipes["Vanilla Cake"].sub_recipes] == [
        (frosting.id, Decimal("0.5"))
    ]
    gift_box = goods["Holiday Gift Box"]
    assert [c.kind for c in gift_box.components] == [
        ComponentKind.FINISHED_UNIT,
        ComponentKind.FINISHED_GOOD,
        ComponentKind.MATERIAL_UNIT,
        ComponentKind.MATERIAL_UNIT,
    ]
    assert gift_box.components[1].ref == goods["Mini Brownie Box"].id
    market = catalog.events[0]
    assert market.id == uuid.UUID(MARKET_ID)
    assert market.date == datetime.date(2026, 12, 19)
    assert catalog.events[1].date == datetime.date(2026, 5, 2)
    assert {t.recipe_id for t in market.production_targets} == {
        recipes["Vanilla Cake"].id,
        recipes["Chocolate Cake"].id,
    }


def test_a_toml_decimal_is_read_from_its_text_never_through_a_float() -> None:
    catalog = parse_catalog(recipe_with('{ingredient = "Flour", quantity = 0.1, unit = "cup"}'))

    quantity = catalog.recipes[0].lines[0].quantity
    assert quantity == Decimal("0.1")
    assert str(quantity) == "0.1"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12", "12"),
        ('"0.75"', "0.75"),
        ("2.50", "2.50"),
        ('"123456789012345678901234567.89"', None),
    ],
)
def test_integers_strings_and_decimals_are_exact(written: str, expected: str | None) -> None:
    line = f'{{ingredient = "Flour", quantity = {written}, unit = "g"}}'
    quantity = parse_catalog(recipe_with(line)).recipes[0].lines[0].quantity
    assert str(quantity) == (expected or written.strip('"'))


@pytest.mark.parametrize(
    ("written", "unit", "expected"),
    [
        ('"1/2"', "cup", (Decimal("0.5"), "cup")),
        ('"1 1/2"', "tsp", (Decimal("1.5"), "tsp")),
        ('"½"', "cup", (Decimal("0.5"), "cup")),
        ('"1/3"', "cup", (Decimal(16), "tsp")),  # a cup is 48 teaspoons: exact, never 0.33
        ('"2 ⅔"', "cups", (Decimal(128), "tsp")),
    ],
)
def test_a_recipe_line_may_be_written_as_a_fraction_and_is_read_exactly(
    written: str, unit: str, expected: tuple[Decimal, str]
) -> None:
    line = f'{{ingredient = "Flour", quantity = {written}, unit = "{unit}"}}'
    (read,) = parse_catalog(recipe_with(line)).recipes[0].lines
    assert (read.quantity, read.unit) == expected


def test_batches_components_and_targets_may_be_fractions_with_an_exact_decimal() -> None:
    catalog = parse_catalog(
        FLOUR
        + '[[recipe]]\nname = "Cream"\n'
        + '[[recipe]]\nname = "Cake"\nsub_recipes = [{recipe = "Cream", batches = "1/2"}]\n'
        + '[[finished_unit]]\nname = "Slice"\nrecipe = "Cake"\nitems_per_batch = "12 1/2"\n'
        + '[[finished_good]]\nname = "Box"\n'
        + 'components = [{finished_unit = "Slice", quantity = "¼"}]\n'
        + '[[event]]\nname = "Fair"\nproduction = [{recipe = "Cake", batches = "1 3/4"}]\n'
        + 'assembly = [{finished_good = "Box", quantity = "2 1/2"}]\n'
    )
    cake = next(r for r in catalog.recipes if r.name == "Cake")
    assert cake.sub_recipes[0].batches == Decimal("0.5")
    assert catalog.finished_units[0].items_per_batch == Decimal("12.5")
    assert catalog.finished_goods[0].components[0].quantity == Decimal("0.25")
    (event,) = catalog.events
    assert event.production_targets[0].batches == Decimal("1.75")
    assert event.assembly_targets[0].quantity == Decimal("2.5")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (recipe_with('{ingredient = "Flour", quantity = "1/3", unit = "kg"}'),
         "recipe 'Bread', line 1, quantity: 1/3 kg (1/3) has no exact decimal in kg"),
        (recipe_with('{ingredient = "Flour", quantity = "1/3", unit = "pinch"}'),
         "recipe 'Bread', line 1, quantity: 1/3 pinch (1/3) has no exact decimal in pinch:"),
        (recipe_with('{ingredient = "Flour", quantity = "0/2", unit = "cup"}'),
         "recipe 'Bread', line 1, quantity: amount must be positive"),
        ('[[recipe]]\nname = "Cream"\n[[recipe]]\nname = "Cake"\n'
         'sub_recipes = [{recipe = "Cream", batches = "1/3"}]\n',
         "recipe 'Cake', sub-recipe 1, batches: 1/3 (1/3) has no exact decimal: write it another "
         "way (snapplan never rounds it to 0.3333...)"),
    ],
)  # fmt: skip
def test_a_fraction_that_nothing_makes_exact_is_refused_where_it_is(
    text: str, message: str
) -> None:
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text)
    assert str(caught.value).startswith(message)


def test_references_may_point_forward_and_ids_may_be_given() -> None:
    given = "0b5c7a52-94a4-4b9f-8a31-4f0e63f7a3c1"
    catalog = parse_catalog(
        '[[finished_unit]]\nname = "Roll"\nrecipe = "Bread"\nitems_per_batch = 12\n'
        f'[[recipe]]\nname = "Bread"\nid = "{given}"\n'
    )
    assert catalog.finished_units[0].recipe_id == uuid.UUID(given)


def test_an_error_is_a_validation_error_naming_the_file() -> None:
    with pytest.raises(ValidationError, match=r"^bakery\.toml: ingredient #1: missing key 'name'$"):
        parse_catalog('[[ingredient]]\nid = "x"\n', source="bakery.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            recipe_with('{ingredient = "Flour", quantity = -1, unit = "g"}'),
            "recipe 'Bread', line 1, quantity: amount must be positive, not -1",
        ),
        (
            recipe_with('{ingredient = "Flour", quantity = 0.0, unit = "g"}'),
            "recipe 'Bread', line 1, quantity: amount must be positive, not 0.0",
        ),
        (
            recipe_with('{ingredient = "Flour", quantity = inf, unit = "g"}'),
            "recipe 'Bread', line 1, quantity: amounts must be finite, not Infinity",
        ),
        (
            recipe_with('{ingredient = "Flour", quantity = true, unit = "g"}'),
            "recipe 'Bread', line 1, quantity: expected an amount",
        ),
        (
            recipe_with('{ingredient = "Flower", quantity = 1, unit = "g"}'),
            "recipe 'Bread', line 1, ingredient: no ingredient named 'Flower' in this file "
            "(did you mean 'Flour'?)",
        ),
        (
            recipe_with('{ingredient = "Flour", quantity = 1}'),
            "recipe 'Bread', line 1: missing key 'unit'",
        ),
        (
            recipe_with('{ingredient = "Flour", quantity = 1, unit = "g", qty = 2}'),
            "recipe 'Bread', line 1: unknown key 'qty'",
        ),
        (
            recipe_with('{ingredient = "Flour", quantity = 1e400, unit = "g"}'),
            "recipe 'Bread', line 1, quantity: 1E+400 is outside 1E-40 .. 1E+40",
        ),
        (
            recipe_with('{ingredient = "Flour", quantity = "lots", unit = "g"}'),
            "recipe 'Bread', line 1, quantity: not a number: 'lots'",
        ),
        (FLOUR + FLOUR, "ingredient 'Flour': duplicate ingredient name 'Flour'"),
        (FLOUR.replace("Flour", "Oats") + FLOUR.replace('"\n', '"\nid = "7"\n'),
         "ingredient 'Flour', id: not a UUID: '7'"),
        ('[[event]]\nname = "Fair"\nproduction = [{recipe = "Bread", batches = 1}]\n',
         "event 'Fair', production 1, recipe: no recipe named 'Bread' in this file"),
        ('[[finished_good]]\nname = "Box"\ncomponents = [{quantity = 1}]\n',
         "finished good 'Box', component 1: give exactly one of"),
        ('[[finished_good]]\nname = "A"\ncomponents = [{finished_good = "B", quantity = 1}]\n'
         '[[finished_good]]\nname = "B"\ncomponents = [{finished_good = "A", quantity = 1}]\n',
         "finished goods form a loop: 'A' -> 'B' -> 'A'"),
        ('[[event]]\nname = "Fair"\ndate = 2026-12-19T10:00:00\n',
         "event 'Fair', date: expected a date like 2026-12-19"),
        ('[recipe]\nname = "Bread"\n', "'recipe' must be an array of tables: write [[recipe]]"),
        ('[[recipes]]\nname = "Bread"\n', "unknown section 'recipes'"),
        ("name = ", "malformed TOML"),
        ('[[ingredient]]\nname = ""\n', "ingredient '': name: must not be blank"),
    ],
)  # fmt: skip
def test_each_problem_is_reported_where_it_is(text: str, message: str) -> None:
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


# -- measures and products ----------------------------------------------------------------------


def measured(measures: str) -> str:
    return f'[[ingredient]]\nname = "Flour"\nmeasures = [{measures}]\n'


def sold(product: str, items: str = FLOUR + '[[material_unit]]\nname = "Box"\n') -> str:
    return items + f'[[product]]\nname = "Bag"\n{product}\n'


def test_measures_are_read_as_the_baker_says_them() -> None:
    catalog = parse_catalog(
        measured(
            '"1 cup = 120 g", { measure = "1 1/2 stick = 170g", source = "the wrapper" }, '
            '"½ each = 25 g"'
        )
        + '[[material_unit]]\nname = "Ribbon"\nmeasures = ["1 each = 0.1524 m"]\n'
    )

    assert catalog.ingredients[0].measures == (
        Measure(1, "cup", 120, "g"),
        Measure("1.5", "stick", 170, "g", source="the wrapper"),
        Measure("0.5", "each", 25, "g"),
    )
    assert catalog.material_units[0].measures == (Measure(1, "each", "0.1524", "m"),)


def test_a_fraction_without_a_decimal_is_kept_exact_in_a_smaller_unit() -> None:
    (flour,) = parse_catalog(measured('"1/3 cup = 40 g"')).ingredients

    assert flour.measures == (Measure(16, "tsp", 40, "g"),)  # a cup is 48 teaspoons


def test_products_are_read_with_their_pack_and_price() -> None:
    catalog = parse_catalog(
        FLOUR
        + '[[material_unit]]\nname = "Box"\n'
        + '[[product]]\nname = "Flour 2 kg bag"\nfor = "Flour"\npack = "2 kg"\nprice = 4.00\n'
        'currency = "EUR"\n'
        + '[[product]]\nname = "Boxes"\nfor = { material_unit = "Box" }\npack = "10 each"\n'
        "min_packs = 2\npreferred = true\nactive = false\n"
        'id = "6f0d4a4e-2b3c-4e8f-9a51-0c7d2e1b5a11"\n'
    )

    bag, boxes = catalog.products
    assert (bag.item_id, bag.pack_quantity, bag.pack_unit) == (
        catalog.ingredients[0].id,
        Decimal(2),
        "kg",
    )
    assert (bag.min_packs, bag.preferred, bag.active) == (1, False, True)
    assert (boxes.item_id, boxes.min_packs, boxes.preferred, boxes.active) == (
        catalog.material_units[0].id,
        2,
        True,
        False,
    )
    assert boxes.id in catalog.explicit_ids
    assert catalog.prices == {bag.id: (Decimal("4.00"), "EUR")}
    assert catalog.counts()["product"] == 2
    assert [type(i).__name__ for i in catalog.items()] == [
        "Ingredient", "MaterialUnit", "Product", "Product"
    ]  # fmt: skip


BAG = 'for = "Flour"\npack = "1 kg"'
BOX_TWICE = FLOUR.replace("Flour", "Box") + '[[material_unit]]\nname = "Box"\n'
AGAIN = '[[product]]\nname = "Bag"\nfor = "Flour"\npack = "2 kg"\n'
ONE_CUP = '("1 cup = 120 g")'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (measured('"1 cup"'),
         f"ingredient 'Flour', measure 1: expected QUANTITY UNIT = QUANTITY UNIT {ONE_CUP}, "
         "not '1 cup'"),
        (measured('"cup = 120 g"'),
         "ingredient 'Flour', measure 1: expected a positive amount and a unit"),
        (measured('"-1 cup = 120 g"'),
         f"ingredient 'Flour', measure 1: expected a positive amount and a unit {ONE_CUP}, "
         "not '-1 cup'"),
        (measured('"0 cup = 120 g"'), "ingredient 'Flour', measure 1: amount must be positive"),
        (measured('"1 cup = 2 tbsp"'),
         "ingredient 'Flour', measure 1: equals_unit: 1 cup = 2 tbsp relates two units of one "
         "dimension"),
        (measured('"1 cup = 120 g", "1 cup = 125 g"'),
         "ingredient 'Flour': measures: measures '1 cup = 120 g'; '1 cup = 125 g' of 'Flour' give "
         "two ways"),
        (measured('"1/3 each = 10 g"'),
         "ingredient 'Flour', measure 1: 1/3 each (1/3) has no exact"),
        (measured("3"), "ingredient 'Flour', measure 1: expected a string, not an integer (3)"),
        (measured('{ measure = "1 cup = 120 g", from = "x" }'),
         "ingredient 'Flour', measure 1: unknown key 'from'"),
        ('[[ingredient]]\nname = "Flour"\nmeasures = "1 cup = 120 g"\n',
         "ingredient 'Flour', measures: expected an array"),
        (sold('for = "Flower"\npack = "1 kg"'),
         "product 'Bag', for: no ingredient or material unit named 'Flower' in this file "
         "(did you mean 'Flour'?)"),
        (sold('for = "Box"\npack = "1 kg"', BOX_TWICE),
         "product 'Bag', for: both an ingredient and a material unit are named 'Box': write for = "
         '{ ingredient = "Box" } or for = { material_unit = "Box" }'),
        (sold('for = { recipe = "Flour" }\npack = "1 kg"'),
         "product 'Bag', for: unknown key 'recipe'"),
        (sold('for = "Flour"'), "product 'Bag': missing key 'pack'"),
        (sold('for = "Flour"\npack = 250'),
         "product 'Bag', pack: expected a string, not an integer"),
        (sold('for = "Flour"\npack = "a bag"'),
         "product 'Bag', pack: expected a positive amount and a unit (\"250 g\"), not 'a bag'"),
        (sold(f"{BAG}\nmin_packs = 0"),
         "product 'Bag', min_packs: expected a whole number of packs from 1, not an integer (0)"),
        (sold(f"{BAG}\nmin_packs = 1.5"),
         "product 'Bag', min_packs: expected a whole number of packs from 1, not a number (1.5)"),
        (sold(f'{BAG}\npreferred = "yes"'),
         "product 'Bag', preferred: expected true or false, not a string ('yes')"),
        (sold(f"{BAG}\nprice = 2"),
         "product 'Bag', price: a price needs its currency: currency = \"EUR\""),
        (sold(f'{BAG}\ncurrency = "EUR"'),
         "product 'Bag', currency: a currency says nothing without a price"),
        (sold(f'{BAG}\nprice = -2\ncurrency = "EUR"'),
         "product 'Bag', price: a price cannot be negative, not -2"),
        (sold(f'{BAG}\nprice = "two"\ncurrency = "EUR"'),
         "product 'Bag', price: not a number: 'two'"),
        (sold(f'{BAG}\nprice = 2\ncurrency = "eur"'),
         "product 'Bag', currency: 'eur' is not a currency code of ISO 4217"),
        (sold(f'{BAG}\ncolour = "red"'), "product 'Bag': unknown key 'colour'"),
        (sold(BAG) + AGAIN, "product 'Bag': duplicate product name 'Bag'"),
    ],
)  # fmt: skip
def test_each_problem_of_a_measure_or_product_is_reported_where_it_is(
    text: str, message: str
) -> None:
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(text, source="bakery.toml")
    assert str(caught.value).startswith(f"bakery.toml: {message}")
    assert "\n" not in str(caught.value)


def test_a_product_with_a_price_is_loaded_with_its_price_quote() -> None:
    catalog = parse_catalog(sold('for = "Flour"\npack = "1 kg"\nprice = 0\ncurrency = "EUR"'))
    store = MemoryStore()

    with store.unit_of_work() as uow:
        catalog.save(uow)
        uow.commit()

    with store.unit_of_work() as uow:
        (quote,) = uow.prices.all()
        (product,) = uow.products.all()
    assert (quote.product_id, quote.price, quote.currency) == (product.id, Decimal(0), "EUR")
