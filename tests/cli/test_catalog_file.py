"""Reading TOML catalog files, in-process: every feature of the format and every error's place."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from snapplan.cli.catalog_file import CatalogFileError, parse_catalog, read_catalog
from snapplan.domain.catalog import ComponentKind
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
