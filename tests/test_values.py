"""Domain values reject bad input at construction with ValidationError (also a ValueError),
and say what they were given: amounts within the bounds the docs state, versions, timestamps,
ids, collections, snapshots and ledger runs."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pure_domain import DIGEST, NOON, snapshot_header, view

from snapplan import (
    AssemblyTarget,
    Component,
    Event,
    FinishedUnit,
    FinishedUnitSnapshot,
    Ingredient,
    IngredientLine,
    Limits,
    Plan,
    ProductionRun,
    ProductionTarget,
    Recipe,
    SubRecipe,
    ValidationError,
)
from snapplan.domain.capture import Capture
from snapplan.domain.quantities import (
    amount_problem,
    canonical_decimal,
    positive_amount,
    to_decimal,
)
from snapplan.domain.validators import non_negative, optional_text


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


# -- amounts: the bounds are where the docs say -------------------------------------------------


def test_an_amount_of_sixty_digits_is_kept_and_one_of_sixty_one_is_refused() -> None:
    sixty = Decimal("1." + "2" * 59)
    assert IngredientLine(uuid.uuid4(), sixty, "g").quantity == sixty
    with pytest.raises(ValidationError, match="written with more than 60 digits"):
        IngredientLine(uuid.uuid4(), Decimal("1." + "2" * 60), "g")


@pytest.mark.parametrize("kept", ["1E+40", "9.99E+40", "1E-40", "-1E+40"])
def test_adjusted_exponents_within_forty_are_kept(kept: str) -> None:
    assert to_decimal(kept) == Decimal(kept)


@pytest.mark.parametrize("refused", ["1E+41", "9E-41", "-1E+41"])
def test_adjusted_exponents_beyond_forty_are_refused(refused: str) -> None:
    with pytest.raises(ValidationError, match=r"is outside 1E-40 \.\. 1E\+40"):
        to_decimal(refused)


def test_limits_of_one_are_allowed() -> None:
    assert Limits(goods=1, recipes=1) == Limits(1, 1)


# -- what a refused amount is told --------------------------------------------------------------


def test_a_long_rejected_decimal_is_shown_shortened_in_the_message() -> None:
    digits = "1234567890" * 10
    with pytest.raises(ValidationError) as refused:
        to_decimal(Decimal(digits))
    assert str(refused.value) == (
        f"{digits[:40]}...{digits[-20:]} is written with more than 60 digits"
    )


@pytest.mark.parametrize(("digits", "shortened"), [(80, False), (81, True)])
def test_a_rejected_decimal_is_shortened_only_past_eighty_characters(
    digits: int, shortened: bool
) -> None:
    text = "7" * digits
    with pytest.raises(ValidationError) as refused:
        to_decimal(Decimal(text))
    shown = f"{text[:40]}...{text[-20:]}" if shortened else text
    assert str(refused.value) == f"{shown} is written with more than 60 digits"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (True, "amounts must be Decimal, int or str, not bool (True)"),
        (
            0.5,
            "amounts must be Decimal, int or str, not float (0.5); "
            "write it as a str or Decimal: '0.5'",
        ),
        (None, "amounts must be Decimal, int or str, not NoneType"),
        ("x" * 40, f"not a number: {'x' * 40!r}"),
        ("x" * 41, f"not a number: text of 41 characters ({'x' * 20!r}...)"),
        (2**300, "an int of about 90 digits is written with more than 60 digits"),
        (Decimal("-Infinity"), "amounts must be finite, not -Infinity"),
    ],
)
def test_a_refused_amount_says_what_it_was(given: object, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        to_decimal(given)
    assert str(refused.value) == message


def test_an_int_of_256_bits_is_converted_before_it_is_judged() -> None:
    big = 2**255  # 256 bits, 78 digits: converted, then refused for its digits
    with pytest.raises(ValidationError) as refused:
        to_decimal(big)
    text = str(big)
    assert str(refused.value) == f"{text} is written with more than 60 digits"


@pytest.mark.parametrize(
    ("value", "positive", "problem"),
    [
        (Decimal(0), True, "amount must be positive, not 0"),
        (Decimal(0), False, None),
        (Decimal("-0.5"), True, "amount must be positive, not -0.5"),
        (Decimal("-0.5"), False, "amount must be zero or more, not -0.5"),
        (Decimal("0.5"), False, None),
    ],
)
def test_zero_is_an_amount_only_where_zero_is_allowed(
    value: Decimal, positive: bool, problem: str | None
) -> None:
    assert amount_problem(value, positive=positive) == problem


def test_positive_amount_converts_and_refuses_zero_and_less() -> None:
    assert positive_amount(" 2.50 ") == Decimal("2.50")
    for bad in (0, "-1", "0.0"):
        with pytest.raises(ValidationError, match="must be positive"):
            positive_amount(bad)


@attrs.frozen
class _Ledger:
    """Fields checked by the validators no catalog type uses yet."""

    note: str | None = attrs.field(default=None, validator=optional_text)
    count: Decimal = attrs.field(default=Decimal(0), validator=non_negative)


def test_optional_text_and_non_negative_validators() -> None:
    assert _Ledger(None, Decimal(0)) == _Ledger()
    assert _Ledger("kept", Decimal(3)).note == "kept"
    with pytest.raises(ValidationError, match=r"_Ledger\.note: must be a str, not int"):
        _Ledger(5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"_Ledger\.count: amount must be zero or more"):
        _Ledger(count=Decimal(-1))


# -- versions, timestamps, ids and collections: what a refused value is told --------------------


@pytest.mark.parametrize("version", [1, 2, 2**63 - 1])
def test_versions_from_one_to_the_largest_signed_64_bit_int_are_kept(version: int) -> None:
    assert Ingredient("Flour", version=version).version == version


@pytest.mark.parametrize(
    ("version", "shown"),
    [(0, "0"), (-1, "-1"), (2**63, str(2**63)), (2**255 - 1, str(2**255 - 1)),
     (2**255, "a larger int"), (2**400, "a larger int")],
)  # fmt: skip
def test_versions_outside_the_store_range_are_refused(version: int, shown: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Ingredient("Flour", version=version)
    assert str(refused.value) == (
        f"Ingredient.version: must be between 1 and 2**63 - 1, not {shown}"
    )


@pytest.mark.parametrize("hours", [-5, 1])
def test_a_timestamp_with_any_offset_but_zero_is_refused(hours: int) -> None:
    zone = datetime.timezone(datetime.timedelta(hours=hours))
    with pytest.raises(ValidationError, match="must be in UTC"):
        Plan(event_id=uuid.uuid4(), created_at=datetime.datetime(2024, 12, 1, 12, tzinfo=zone))


@pytest.mark.parametrize("when", [datetime.datetime(2024, 12, 1, 12), datetime.date(2024, 12, 1)])
def test_a_timestamp_must_be_an_aware_datetime(when: object) -> None:
    with pytest.raises(ValidationError, match="must be an aware datetime"):
        Plan(event_id=uuid.uuid4(), created_at=when)  # type: ignore[arg-type]


def test_a_plan_and_a_capture_take_their_ids_and_times_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        Plan(uuid.uuid4(), NOON)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Capture(view(), uuid.uuid4(), NOON)  # type: ignore[misc]


def test_an_id_error_shows_text_as_text_and_anything_else_by_its_type() -> None:
    """(mutant: the two swapped)"""
    with pytest.raises(ValidationError, match=r"Ingredient.id: not a UUID: 'nope'$"):
        Ingredient("Flour", id="nope")
    with pytest.raises(ValidationError, match=r"Ingredient.id: not a UUID: int$"):
        Ingredient("Flour", id=5)


def test_a_collection_field_given_no_iterable_says_so() -> None:
    with pytest.raises(ValidationError, match=r"Recipe\.lines: expected a sequence, not int"):
        Recipe("Bread", lines=5)  # type: ignore[arg-type]


def test_an_event_may_have_hundreds_of_targets() -> None:
    # the duplicate check compares counts by value (ints above 256 are distinct objects)
    production = [ProductionTarget(uuid.uuid4(), 1) for _ in range(300)]
    assembly = [AssemblyTarget(uuid.uuid4(), 1) for _ in range(300)]
    event = Event("Market", production, assembly)
    assert (len(event.production_targets), len(event.assembly_targets)) == (300, 300)


# -- snapshots and ledger runs ------------------------------------------------------------------


def test_a_finished_unit_snapshot_is_a_validated_value_of_its_own() -> None:
    """Its fields are attrs fields: validated, compared (mutant: its decorator removed)."""
    recipe, recipe_snapshot = uuid.uuid4(), uuid.uuid4()
    one = FinishedUnitSnapshot(**snapshot_header(), recipe_id=recipe,
                               recipe_snapshot_id=recipe_snapshot, items_per_batch=12)  # fmt: skip
    assert [f.name for f in attrs.fields(FinishedUnitSnapshot)][-3:] == [
        "recipe_id",
        "recipe_snapshot_id",
        "items_per_batch",
    ]
    assert one != attrs.evolve(one, items_per_batch=24)
    with pytest.raises(ValidationError, match="items_per_batch"):
        attrs.evolve(one, items_per_batch=0)


def _production(**fields: Any) -> ProductionRun:
    values: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "plan_id": uuid.uuid4(),
        "seq": 1,
        "recorded_at": NOON,
        "recipe_id": uuid.uuid4(),
        "recipe_snapshot_id": uuid.uuid4(),
        "name": "Cookies",
        "batches": 1,
        "digest": DIGEST,  # a value's digest is only checked against its ledger
    }
    values.update(fields)
    return ProductionRun(**values)


def test_a_run_seq_is_any_int_from_1_below_2_to_the_63() -> None:
    """seq in 1 .. 2**63 - 1 (mutants: 2*63, <=)."""
    assert _production(seq=127).seq == 127
    assert _production(seq=2**63 - 1).seq == 2**63 - 1
    for bad in (0, 2**63):
        with pytest.raises(ValidationError, match="seq"):
            _production(seq=bad)


def test_items_a_finished_unit_and_its_snapshot_come_together() -> None:
    """The three are all given or all left out (mutants: the validator removed, != as <)."""
    unit, snapshot = uuid.uuid4(), uuid.uuid4()
    whole = _production(finished_unit_id=unit, finished_unit_snapshot_id=snapshot, items=12)
    assert whole.items == 12
    for partial in (
        {"items": 12},
        {"finished_unit_id": unit},
        {"finished_unit_snapshot_id": snapshot},
        {"finished_unit_id": unit, "items": 12},
        {"finished_unit_snapshot_id": snapshot, "items": 12},
        {"finished_unit_id": unit, "finished_unit_snapshot_id": snapshot},
    ):
        with pytest.raises(ValidationError, match="come together"):
            _production(**partial)
