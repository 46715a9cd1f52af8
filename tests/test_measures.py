"""Measures: conversion between dimensions only through an item's own measures, exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import ValidationError
from snapplan.domain.measures import Measure, base_unit, convert, forest_problem, reaches
from snapplan.domain.units import known_unit

FLOUR = (Measure(1, "cup", 120, "g", source="King Arthur chart"),)
EGGS = (Measure(1, "each", 50, "g"), Measure(1, "large", 1, "each"))
BUTTER = (Measure(1, "stick", 113, "g"), Measure(1, "cup", 227, "g"))


def test_a_density_converts_cups_of_flour_to_grams_and_back_exactly() -> None:
    assert convert(Decimal(3), "cup", "g", FLOUR) == Decimal(360)
    assert convert(Decimal(6), "cups", "kg", FLOUR) == Decimal("0.72")
    assert convert(Decimal(48), "tsp", "g", FLOUR) == Decimal(120)  # 48 tsp is one cup
    assert convert(Decimal(720), "g", "cup", FLOUR) == Decimal(6)


def test_a_conversion_that_does_not_terminate_stays_a_fraction_never_rounded() -> None:
    one_ml = convert(Decimal(1), "ml", "g", FLOUR)
    assert isinstance(one_ml, Fraction)
    assert one_ml == Fraction(120) / Fraction(Decimal("236.5882365"))
    assert convert(one_ml * Fraction(Decimal("236.5882365")), "g", "cup", FLOUR) == 1


def test_a_path_of_two_measures_is_followed_large_eggs_to_grams() -> None:
    assert convert(Decimal(3), "large", "g", EGGS) == Decimal(150)
    assert convert(Decimal(150), "g", "large", EGGS) == Decimal(3)
    assert convert(Decimal(2), "dozen", "kg", EGGS) == Decimal("1.2")


def test_a_bakers_unit_of_its_own_converts_to_volume_through_mass() -> None:
    # 1 stick = 113 g and 1 cup = 227 g: a stick is 113/227 cup
    assert convert(Decimal(2), "stick", "cup", BUTTER) == Fraction(226, 227)
    assert convert(Decimal(227), "g", "stick", BUTTER) == Fraction(227, 113)


def test_no_measure_no_conversion_never_a_default_density() -> None:
    assert convert(Decimal(1), "cup", "g") is None
    assert convert(Decimal(1), "cup", "each", FLOUR) is None
    assert not reaches("stick", "g", FLOUR)
    # within a dimension the units' own factors need no measure
    assert convert(Decimal(1), "lb", "g") == Decimal("453.59237")
    assert convert(Decimal(2), "stick", "stick") == Decimal(2)
    assert convert(Decimal(2), "stick", "large") is None


def test_a_measure_between_two_units_of_one_dimension_is_refused() -> None:
    with pytest.raises(ValidationError, match="two units of one dimension"):
        Measure(1, "cup", 16, "tbsp")
    with pytest.raises(ValidationError, match="two units of one dimension"):
        Measure(1, "stick", 2, "stick")
    with pytest.raises(ValidationError, match="positive"):
        Measure(0, "cup", 120, "g")


@pytest.mark.parametrize(
    "measures",
    [
        (Measure(1, "cup", 120, "g"), Measure(1, "cup", 125, "g")),
        (Measure(1, "cup", 120, "g"), Measure(1, "tbsp", 8, "g")),
        (Measure(1, "cup", 120, "g"), Measure(1, "each", 50, "g"), Measure(1, "cup", 2, "each")),
    ],
)
def test_two_paths_between_two_dimensions_contradict_and_are_named(
    measures: tuple[Measure, ...],
) -> None:
    problem = forest_problem(measures)
    assert problem is not None
    assert "two ways to convert" in problem
    for measure in measures:
        assert f"'{measure}'" in problem


def test_a_forest_has_no_problem() -> None:
    assert forest_problem(EGGS) is None
    assert forest_problem(BUTTER) is None
    assert forest_problem(()) is None


def test_base_units() -> None:
    assert [base_unit(u) for u in ("kg", "cups", "dozen", "stick")] == ["g", "ml", "each", "stick"]


amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3)
mass_units = st.sampled_from(["g", "kg", "mg", "oz", "lb"])
volume_units = st.sampled_from(["ml", "l", "tsp", "tbsp", "fl_oz", "cup"])


@given(
    quantity=amounts,
    unit=volume_units,
    mass=mass_units,
    per=amounts,
    weighs=amounts,
    measure_unit=volume_units,
    measure_mass=mass_units,
)
def test_converting_there_and_back_gives_the_amount_exactly(
    *,
    quantity: Decimal,
    unit: str,
    mass: str,
    per: Decimal,
    weighs: Decimal,
    measure_unit: str,
    measure_mass: str,
) -> None:
    measures = (Measure(per, measure_unit, weighs, measure_mass),)
    there = convert(quantity, unit, mass, measures)
    assert there is not None
    back = convert(there, mass, unit, measures)
    assert back == quantity
    # and the figure is the one the measure says, by hand
    unit_factor = known_unit(unit).factor  # type: ignore[union-attr]
    measure_factor = known_unit(measure_unit).factor  # type: ignore[union-attr]
    grams = (
        Fraction(quantity)
        * Fraction(unit_factor)
        / Fraction(measure_factor)
        / Fraction(per)
        * Fraction(weighs)
        * Fraction(known_unit(measure_mass).factor)  # type: ignore[union-attr]
    )
    assert there == grams / Fraction(known_unit(mass).factor)  # type: ignore[union-attr]
