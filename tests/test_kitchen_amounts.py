"""Fractions as a baker writes them, read exactly: never rounded, moved to a smaller unit of the
same family where that makes them exact, refused where nothing does."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import ValidationError
from snapplan.domain.kitchen_amounts import FAMILIES, fraction_value, kitchen_amount
from snapplan.domain.measures import convert


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1/2", "cup", (Decimal("0.5"), "cup")),
        ("1 1/2", "tsp", (Decimal("1.5"), "tsp")),
        ("½", "cup", (Decimal("0.5"), "cup")),
        ("1½", "cup", (Decimal("1.5"), "cup")),
        ("2 ¾", "lb", (Decimal("2.75"), "lb")),
        ("1/3", "cup", (Decimal(16), "tsp")),  # a cup is 48 teaspoons
        ("⅔", "cups", (Decimal(32), "tsp")),
        ("1/3", "dozen", (Decimal(4), "each")),
        ("0.25", "cup", (Decimal("0.25"), "cup")),
    ],
)
def test_fractions_are_read_exactly(text: str, unit: str, expected: tuple[Decimal, str]) -> None:
    assert kitchen_amount(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "unit"), [("1/3", "kg"), ("1/3", "tsp"), ("1/7", "cup"), ("1/3", "stick")]
)
def test_a_fraction_with_no_exact_decimal_anywhere_in_its_family_is_refused_naming_the_unit(
    text: str, unit: str
) -> None:
    with pytest.raises(ValidationError, match=f"has no exact decimal in {unit}"):
        kitchen_amount(text, unit)


@pytest.mark.parametrize("text", ["1/0", "1/", "/2", "1 / 2", "1_000", "one"])
def test_what_is_no_amount_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        kitchen_amount(text, "cup")


@given(
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=1, max_value=64),
    st.integers(min_value=1, max_value=64),
    st.sampled_from([u for family in FAMILIES for u in family]),
)
def test_whatever_unit_it_lands_in_the_amount_is_the_same(
    whole: int, numerator: int, denominator: int, unit: str
) -> None:
    text = f"{whole} {numerator}/{denominator}" if whole else f"{numerator}/{denominator}"
    value = fraction_value(text)
    assert value == whole + Fraction(numerator, denominator)
    try:
        quantity, landed = kitchen_amount(text, unit)
    except ValidationError:
        return
    # the amount in its new unit is the same amount, exactly
    assert convert(quantity, landed, unit) == value
