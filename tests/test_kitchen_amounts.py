"""Fractions as a baker writes them, read exactly: never rounded, moved to a smaller unit of the
same family where that makes them exact, refused where nothing does."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import ValidationError
from snapplan.cli.kitchen_spelling import kitchen_number, kitchen_volume
from snapplan.domain.kitchen_amounts import FAMILIES, fraction_value, kitchen_amount
from snapplan.domain.measures import convert
from snapplan.domain.units import known_unit


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


# -- spelled as a baker reads them (issue 17, item 5) -------------------------------------------


@pytest.mark.parametrize(
    ("value", "spelled"),
    [
        (Fraction(25, 3), "8 ⅓"),  # the demo's sugar cookies
        (Decimal("0.5"), "½"),
        (Decimal("2.75"), "2 ¾"),
        (Decimal("0.375"), "⅜"),
        (Decimal(9), "9"),
        (Decimal("2.00"), "2"),
        (Decimal("0.2"), "0.2"),  # no measuring cup holds a fifth: the decimal, exact
        (Fraction(20, 9), "2 2/9"),
        (Decimal("-0.5"), "-0.5"),
    ],
)
def test_a_number_reads_as_a_whole_and_a_measuring_fraction(
    value: Decimal | Fraction, spelled: str
) -> None:
    assert kitchen_number(value) == spelled


@pytest.mark.parametrize(
    ("quantity", "unit", "spelled"),
    [
        ("0.3333333333333333333333333333", "cup", None),  # not a third: never "⅓ cup"
        ("16", "tsp", "⅓ cup"),
        ("1.5", "tsp", "1 ½ tsp"),
        ("99", "tsp", "2 cups + 1 tbsp"),
        ("15.75", "cup", "15 ¾ cups"),
        ("1", "cup", "1 cup"),
        ("5", "tbsp", "¼ cup + 1 tbsp"),
        ("2", "tbsp", "2 tbsp"),
        ("4.6875", "cup", "4 ⅔ cups + 1 tsp"),
        ("2", "fl_oz", "¼ cup"),
        ("0.125", "teaspoons", "⅛ tsp"),
        ("0", "cup", "0 cups"),
        ("0.1", "cup", None),  # 4.8 tsp: no set of spoons says it
        ("250", "ml", None),  # metric volumes stay decimals
        ("2", "kg", None),
        ("-1", "cup", None),
    ],
)
def test_a_us_volume_reads_as_cups_and_spoons_only_when_exact(
    quantity: str, unit: str, spelled: str | None
) -> None:
    assert kitchen_volume(Decimal(quantity), unit) == spelled


@given(
    st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False),
    st.sampled_from(["cup", "fl_oz", "tbsp", "tsp"]),
)
def test_cups_and_spoons_add_up_to_the_amount_exactly(quantity: Decimal, unit: str) -> None:
    spelled = kitchen_volume(quantity, unit)
    if spelled is None:
        return
    total = Fraction(0)
    for part in spelled.split(" + "):
        number, _, part_unit = part.rpartition(" ")
        value = Fraction(int(number)) if number.isdigit() else fraction_value(number)
        assert value is not None, part
        total += value * _factor(part_unit.removesuffix("s"))
    assert total == Fraction(quantity) * _factor(unit)


def _factor(unit: str) -> Fraction:
    known = known_unit(unit)
    assert known is not None
    return Fraction(known.factor)
