"""A SQL unit's reading shares one value per spelling of an id, an amount or a name (the rows of
a plan repeat them thousands of times), and still refuses every bad one, each time it comes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from snapplan.adapters.sql._decoding import BadRow, Reading


def test_an_amount_read_twice_is_one_decimal_with_its_spelling() -> None:
    reading = Reading()
    first = reading.amount("2.50")
    assert first is reading.amount("2.50")
    assert str(first) == "2.50"  # the spelling is kept: exact, not normalised
    assert str(reading.amount("2.5")) == "2.5"
    assert reading.amount(Decimal("3")) == Decimal("3")


@pytest.mark.parametrize("bad", ["0", "-1", "NaN", "Infinity", "one", "", 1.5, None])
def test_a_bad_amount_is_refused_every_time(bad: object) -> None:
    reading = Reading()
    for _ in range(2):
        with pytest.raises(BadRow):
            reading.amount(bad)


def test_a_name_read_twice_is_one_string_and_a_bad_one_is_refused_every_time() -> None:
    reading = Reading()
    spelled = "".join(["Ingredient ", "7"])  # a new str, as a parsed row gives
    again = "".join(["Ingredient ", "7"])
    assert reading.name(spelled) is spelled
    assert reading.name(again) is spelled
    for bad in (" Flour", "Flour ", "", "   ", 7, None):
        for _ in range(2):
            with pytest.raises(BadRow):
                reading.name(bad)


def test_forgetting_drops_what_was_shared() -> None:
    reading = Reading()
    first = reading.amount("1.25")
    name = reading.name("".join(["Su", "gar"]))
    reading.forget()
    assert reading.amount("1.25") is not first
    other = "".join(["Su", "gar"])
    assert reading.name(other) is other
    assert other is not name
