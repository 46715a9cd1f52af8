"""The unit table: every factor exactly its definition, and amounts in mixed units of one
dimension summed exactly in the base unit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from pure_domain import requirements

from snapplan.domain import units
from snapplan.domain.catalog import Ingredient, IngredientLine, Recipe

#: Each unit by its definition: (dimension, size in the base unit, as an exact fraction).
DEFINITIONS = {
    "g": (units.MASS, Fraction(1)),
    "mg": (units.MASS, Fraction(1, 1000)),
    "kg": (units.MASS, Fraction(1000)),
    "lb": (units.MASS, Fraction("453.59237")),  # the international pound
    "oz": (units.MASS, Fraction("453.59237") / 16),
    "ml": (units.VOLUME, Fraction(1)),
    "l": (units.VOLUME, Fraction(1000)),
    "cup": (units.VOLUME, Fraction("236.5882365")),  # US customary cup
    "fl_oz": (units.VOLUME, Fraction("236.5882365") / 8),
    "tbsp": (units.VOLUME, Fraction("236.5882365") / 8 / 2),
    "tsp": (units.VOLUME, Fraction("236.5882365") / 8 / 2 / 3),
    "each": (units.COUNT, Fraction(1)),
    "dozen": (units.COUNT, Fraction(12)),
}


@pytest.mark.parametrize("symbol", sorted(DEFINITIONS))
def test_each_unit_factor_is_exactly_its_definition(symbol: str) -> None:
    unit = units.known_unit(symbol)
    assert unit is not None
    dimension, size = DEFINITIONS[symbol]
    assert (unit.symbol, unit.dimension) == (symbol, dimension)
    assert Fraction(unit.factor) == size, f"{symbol} is {unit.factor}, must be {size}"


def test_the_unit_table_has_a_definition_for_every_unit_and_base_units_are_one() -> None:
    assert set(units._KNOWN) == set(DEFINITIONS)
    assert units.BASE_UNITS == {units.MASS: "g", units.VOLUME: "ml", units.COUNT: "each"}
    for symbol in units.BASE_UNITS.values():
        assert DEFINITIONS[symbol][1] == 1


def test_units_relate_as_a_kitchen_expects() -> None:
    factor = {s: Fraction(units.known_unit(s).factor) for s in DEFINITIONS}  # type: ignore[union-attr]
    assert factor["tbsp"] == 3 * factor["tsp"]
    assert factor["fl_oz"] == 2 * factor["tbsp"]
    assert factor["cup"] == 8 * factor["fl_oz"]
    assert factor["lb"] == 16 * factor["oz"]


def test_mixed_spoons_sum_exactly_in_millilitres() -> None:
    sugar = Ingredient("Sugar")
    syrup = Recipe(
        "Syrup",
        lines=[
            IngredientLine(sugar.id, 1, "tsp"),
            IngredientLine(sugar.id, 1, "tbsp"),
            IngredientLine(sugar.id, 1, "fl oz"),
            IngredientLine(sugar.id, 1, "cups"),
        ],
    )
    (line,) = requirements(sugar, syrup, production=[(syrup, 1)]).ingredients
    # 1 tsp + 3 tsp + 6 tsp + 48 tsp = 58 tsp
    assert (line.quantity, line.unit) == (Decimal("285.8774524375"), "ml")
    assert Fraction(line.quantity) == 58 * DEFINITIONS["tsp"][1]
