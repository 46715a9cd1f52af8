"""Domain values reject bad input at construction with ValidationError (also a ValueError)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import (
    AssemblyTarget,
    Component,
    Event,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    Limits,
    Plan,
    ProductionTarget,
    Recipe,
    SubRecipe,
    ValidationError,
)
from snapplan.domain.quantities import canonical_decimal, to_decimal


@pytest.mark.parametrize(
    "bad", [0.5, 1.0, float("nan"), "NaN", "Infinity", "-Infinity", Decimal("NaN"), True, None,
            "one", "1/2", [1], Decimal("1E+41"), "1" * 61]
)  # fmt: skip
def test_amounts_reject_floats_and_non_numbers(bad: object) -> None:
    with pytest.raises(ValidationError):
        IngredientLine(uuid.uuid4(), bad, "g")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, "0", "-1", Decimal("-0.001"), -5])
def test_amounts_must_be_positive(bad: object) -> None:
    with pytest.raises(ValidationError, match="positive"):
        SubRecipe(uuid.uuid4(), bad)  # type: ignore[arg-type]


def test_validation_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (the point is the base class)
        FinishedUnit("Cookie", uuid.uuid4(), 0.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [3, "3", Decimal(3), " 0.1 ", "123456789012345.678901234567890"])
def test_amounts_are_stored_as_exact_decimals(given: object) -> None:
    line = IngredientLine(uuid.uuid4(), given, "cup")  # type: ignore[arg-type]
    assert isinstance(line.quantity, Decimal)
    assert line.quantity == Decimal(str(given).strip())


def test_thirty_digits_are_kept_exactly() -> None:
    thirty = "123456789012345.678901234567890"
    assert str(to_decimal(thirty)) == thirty


@pytest.mark.parametrize("bad", ["", "   ", "\t\n", 7, None, "a\x00b"])
def test_names_must_be_non_blank_text(bad: object) -> None:
    with pytest.raises(ValidationError):
        Ingredient(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("spaced", ["X ", " X", "Butter\t", "\u00a0Flour", "Eggs\n"])
def test_names_refuse_white_space_at_either_end(spaced: str) -> None:
    # "X" and "X " would load as two ingredients nobody can tell apart
    with pytest.raises(ValidationError, match="must not start or end with white space"):
        Ingredient(spaced)
    assert Ingredient("Brown Sugar").name == "Brown Sugar"  # inner spaces are fine


@pytest.mark.parametrize(
    "typed",
    ["1_000", "\u0661\u0662", "\uff11", "1 000", "0x10", "1e", "--1", "+-1", "1.2.3", "\u00bd"],
)
def test_amounts_read_from_text_are_what_a_person_types(typed: str) -> None:
    # Decimal() accepts underscores and digits of every script; an amount is ASCII digits, a
    # sign, a point and an exponent, nothing else
    with pytest.raises(ValidationError, match="not a number"):
        to_decimal(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12", "12"), ("-2.5", "-2.5"), ("+.5", "0.5"), ("5.", "5"), ("1e3", "1000"), (" 7\t", "7"),
     ("2.5E-1", "0.25")],
)  # fmt: skip
def test_amounts_typed_with_a_sign_a_point_or_an_exponent_are_read_exactly(
    typed: str, value: str
) -> None:
    assert to_decimal(typed) == Decimal(value)


@pytest.mark.parametrize("text", ["NaN", "-Infinity", "inf", "sNaN"])
def test_non_finite_text_says_it_is_not_finite(text: str) -> None:
    with pytest.raises(ValidationError, match="must be finite"):
        to_decimal(text)


def test_ids_default_to_fresh_uuid4_and_versions_to_one() -> None:
    first, second = Ingredient("Flour"), Ingredient("Flour")
    assert first.id != second.id
    assert first.id.version == 4
    assert first.version == 1


def test_evolve_runs_the_validators_again() -> None:
    recipe = Recipe("Bread")
    with pytest.raises(ValidationError):
        attrs.evolve(recipe, name=" ")


def test_values_are_frozen_and_hashable() -> None:
    line = IngredientLine(uuid.uuid4(), 1, "g")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        line.quantity = Decimal(2)  # type: ignore[misc]
    assert hash(Recipe("Bread", lines=[line], id=uuid.UUID(int=1)))


def test_collections_become_tuples() -> None:
    recipe = Recipe("Bread", lines=[IngredientLine(uuid.uuid4(), 1, "g")])
    assert isinstance(recipe.lines, tuple)


def test_an_event_has_one_target_per_recipe_and_per_good() -> None:
    recipe, good = uuid.uuid4(), uuid.uuid4()
    with pytest.raises(ValidationError):
        Event("Market", [ProductionTarget(recipe, 1), ProductionTarget(recipe, 2)])
    with pytest.raises(ValidationError):
        Event("Market", assembly_targets=[AssemblyTarget(good, 1), AssemblyTarget(good, 2)])


def test_event_dates_are_dates() -> None:
    assert Event("Market", date=datetime.date(2026, 12, 1)).date == datetime.date(2026, 12, 1)
    with pytest.raises(ValidationError):
        Event("Market", date=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC))


def test_component_kinds_are_checked() -> None:
    assert Component("finished_good", uuid.uuid4(), "0.5").quantity == Decimal("0.5")
    with pytest.raises(ValidationError):
        Component("gift", uuid.uuid4(), 1)


def test_plans_need_aware_utc_times_and_captured_targets() -> None:
    now = datetime.datetime.now(datetime.UTC)
    with pytest.raises(ValidationError):
        Plan(event_id=uuid.uuid4(), created_at=datetime.datetime.now())
    with pytest.raises(ValidationError):
        Plan(event_id=uuid.uuid4(), created_at=now,
             production_targets=[ProductionTarget(uuid.uuid4(), 1)])  # fmt: skip


def test_limits_are_positive_integers() -> None:
    assert Limits() == Limits(goods=10, recipes=10)
    with pytest.raises(ValidationError):
        Limits(goods=0)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [("2", "2"), ("2.0", "2"), ("2.50", "2.5"), ("1E+3", "1000"), ("0.000", "0"),
     ("0.0012", "0.0012"), ("123456789012345.678901234567890", "123456789012345.67890123456789")],
)  # fmt: skip
def test_canonical_spelling_is_equal_for_equal_numbers(value: str, canonical: str) -> None:
    assert canonical_decimal(Decimal(value)) == canonical


@pytest.mark.parametrize(
    "build",
    [
        Ingredient,
        lambda text: IngredientLine(uuid.uuid4(), 1, text),
        lambda text: IngredientLine(uuid.uuid4(), 1, "g", note=text),
    ],
    ids=["name", "unit", "note"],
)
def test_text_no_database_can_store_is_refused(build: object) -> None:
    lone_surrogate = "half of \U0001f36a: \ud83c"  # cannot be encoded as UTF-8
    with pytest.raises(ValidationError, match="lone surrogate"):
        build(lone_surrogate)  # type: ignore[operator]


def _canonical_reference(value: Decimal) -> str:
    """The plain algorithm the fast canonical_decimal must agree with, digit by digit."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    digit_list = list(digits)
    while len(digit_list) > 1 and digit_list[-1] == 0 and exponent < 0:
        digit_list.pop()
        exponent += 1
    if digit_list == [0]:
        return "0"
    text = "".join(map(str, digit_list))
    if exponent >= 0:
        text = text + "0" * exponent
    else:
        point = len(text) + exponent
        text = "0." + "0" * -point + text if point <= 0 else text[:point] + "." + text[point:]
    return ("-" if sign else "") + text


@given(
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.tuples(st.integers(-(10**40), 10**40), st.integers(-45, 45)).map(
        lambda pair: Decimal(pair[0]).scaleb(pair[1])
    )
)
def test_the_fast_canonical_spelling_is_the_plain_one(value: Decimal) -> None:
    assert canonical_decimal(value) == _canonical_reference(value)
