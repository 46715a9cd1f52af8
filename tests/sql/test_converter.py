"""The one converter: every serialized type survives a JSON round trip exactly."""

from __future__ import annotations

import builtins
import datetime
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    ComponentSnapshot,
    Event,
    FinishedGood,
    FinishedGoodSnapshot,
    FinishedUnit,
    FinishedUnitSnapshot,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    MaterialUnitSnapshot,
    Plan,
    ProductionTarget,
    Recipe,
    RecipeLineSnapshot,
    RecipeSnapshot,
    Snapshot,
    SubRecipe,
    SubRecipeSnapshot,
    ValidationError,
)
from snapplan.adapters.converter import converter, make_converter
from snapplan.domain.pantry_entries import PantryRecord
from snapplan.domain.snapshots import SNAPSHOT_TYPES
from snapplan.testing.contract import sample_pantry

# -- simple strategies of our own (the shared ones live in snapplan.testing.strategies) --------

names = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s != "" and "\x00" not in s)
notes = st.text(max_size=40).filter(lambda s: "\x00" not in s)
# Exact positive amounts of up to 30 significant digits, trailing zeros and exponents kept.
amounts = st.builds(
    lambda digits, exponent: Decimal(f"{digits}E{exponent}"),
    st.integers(min_value=1, max_value=10**30 - 1),
    st.integers(min_value=-40, max_value=10),
)
any_decimals = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: len(d.as_tuple().digits) <= 60 and abs(d.adjusted()) <= 40
)
ids = st.uuids()
optional_ids = st.none() | ids
offsets = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
naive_times = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1)
)
utc_times = naive_times.map(lambda t: t.replace(tzinfo=datetime.UTC))
aware_times = st.builds(lambda t, tz: t.replace(tzinfo=tz), naive_times, offsets)
dates = st.dates()
kinds = st.sampled_from(ComponentKind)
digests = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
versions = st.integers(min_value=1, max_value=2**31 - 1)


def unique_by(key: str, elements: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(elements, max_size=4, unique_by=lambda x: getattr(x, key))


ingredients = st.builds(Ingredient, names, id=ids, version=versions)
lines = st.builds(IngredientLine, ids, amounts, names, notes)
sub_recipes = st.builds(SubRecipe, ids, amounts)
recipes = st.builds(
    Recipe,
    names,
    st.lists(lines, max_size=4),
    st.lists(sub_recipes, max_size=4),
    id=ids,
    version=versions,
)
finished_units = st.builds(FinishedUnit, names, ids, amounts, id=ids, version=versions)
material_units = st.builds(MaterialUnit, names, id=ids, version=versions)
components = st.builds(Component, kinds, ids, amounts)
finished_goods = st.builds(
    FinishedGood, names, st.lists(components, max_size=5), id=ids, version=versions
)
production_targets = st.builds(ProductionTarget, ids, amounts, optional_ids)
assembly_targets = st.builds(AssemblyTarget, ids, amounts, optional_ids)
events = st.builds(
    Event,
    names,
    unique_by("recipe_id", production_targets),
    unique_by("finished_good_id", assembly_targets),
    st.none() | dates,
    id=ids,
    version=versions,
)
plans = st.builds(
    Plan,
    event_id=ids,
    created_at=utc_times,
    production_targets=unique_by("recipe_id", st.builds(ProductionTarget, ids, amounts, ids)),
    assembly_targets=unique_by("finished_good_id", st.builds(AssemblyTarget, ids, amounts, ids)),
    supersedes=optional_ids,
    id=ids,
)
_snapshot_common = {
    "source_id": ids,
    "name": names,
    "plan_id": ids,
    "captured_at": utc_times,
    "digest": digests,
    "id": ids,
}
recipe_snapshots = st.builds(
    RecipeSnapshot,
    lines=st.lists(st.builds(RecipeLineSnapshot, ids, names, amounts, names, notes), max_size=4),
    sub_recipes=st.lists(st.builds(SubRecipeSnapshot, ids, amounts, ids), max_size=4),
    scale_factor=amounts,
    **_snapshot_common,
)
finished_unit_snapshots = st.builds(
    FinishedUnitSnapshot,
    recipe_id=ids,
    recipe_snapshot_id=ids,
    items_per_batch=amounts,
    **_snapshot_common,
)
material_unit_snapshots = st.builds(MaterialUnitSnapshot, **_snapshot_common)
finished_good_snapshots = st.builds(
    FinishedGoodSnapshot,
    components=st.lists(st.builds(ComponentSnapshot, kinds, ids, amounts, ids), max_size=5),
    **_snapshot_common,
)
snapshots = recipe_snapshots | finished_unit_snapshots | material_unit_snapshots
snapshots |= finished_good_snapshots


def through_json(value: Any, as_type: Any) -> Any:
    """Unstructure, encode as JSON text, decode, structure: what a JSON column does."""
    text = json.dumps(converter.unstructure(value, unstructure_as=as_type))
    return converter.structure(json.loads(text), as_type)


# -- scalar hooks -------------------------------------------------------------------------------


@given(any_decimals | amounts)
def test_a_decimal_round_trips_with_its_exact_spelling(value: Decimal) -> None:
    assert converter.unstructure(value) == str(value)
    back = through_json(value, Decimal)
    assert str(back) == str(value)


def test_thirty_significant_digits_survive() -> None:
    value = Decimal("123456789012345.678901234567890")
    assert through_json(value, Decimal).as_tuple() == value.as_tuple()


@pytest.mark.parametrize("bad", [0.1, "NaN", "Infinity", "one"])
def test_floats_and_non_finite_decimals_are_refused(bad: Any) -> None:
    with pytest.raises(ValidationError):
        converter.structure(bad, Decimal)


@given(ids)
def test_a_uuid_round_trips_as_its_canonical_string(value: uuid.UUID) -> None:
    assert converter.unstructure(value) == str(value)
    assert through_json(value, uuid.UUID) == value


@given(aware_times)
def test_an_aware_datetime_round_trips_as_the_same_instant_in_utc(
    value: datetime.datetime,
) -> None:
    back = through_json(value, datetime.datetime)
    assert back == value
    assert back.utcoffset() == datetime.timedelta(0)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValidationError):
        converter.unstructure(datetime.datetime(2024, 1, 1))
    with pytest.raises(ValidationError):
        converter.structure("2024-01-01T00:00:00", datetime.datetime)


@given(dates)
def test_a_date_round_trips_as_iso_8601(value: datetime.date) -> None:
    assert converter.unstructure(value) == value.isoformat()
    assert through_json(value, datetime.date) == value


@given(kinds)
def test_a_component_kind_round_trips_as_its_value(value: ComponentKind) -> None:
    assert converter.unstructure(value) == value.value
    assert through_json(value, ComponentKind) is value


# -- domain values ------------------------------------------------------------------------------

DOMAIN_VALUES = {
    Ingredient: ingredients,
    IngredientLine: lines,
    SubRecipe: sub_recipes,
    Recipe: recipes,
    FinishedUnit: finished_units,
    MaterialUnit: material_units,
    Component: components,
    FinishedGood: finished_goods,
    ProductionTarget: production_targets,
    AssemblyTarget: assembly_targets,
    Event: events,
    Plan: plans,
    RecipeSnapshot: recipe_snapshots,
    FinishedUnitSnapshot: finished_unit_snapshots,
    MaterialUnitSnapshot: material_unit_snapshots,
    FinishedGoodSnapshot: finished_good_snapshots,
}


@pytest.mark.parametrize("cls", list(DOMAIN_VALUES), ids=lambda cls: cls.__name__)
def test_every_domain_value_round_trips_through_json(cls: type) -> None:
    @given(DOMAIN_VALUES[cls])
    def round_trip(value: Any) -> None:
        assert through_json(value, cls) == value

    round_trip()


@given(snapshots)
def test_a_snapshot_round_trips_as_a_tagged_union(snapshot: Any) -> None:
    data = converter.unstructure(snapshot, unstructure_as=Snapshot)
    assert data["kind"] == snapshot.kind.value
    back = through_json(snapshot, Snapshot)
    assert type(back) is type(snapshot)
    assert back == snapshot


def test_snapshot_kind_tags_are_the_documented_names() -> None:
    assert sorted(cls.kind.value for cls in SNAPSHOT_TYPES) == [
        "finished_good",
        "finished_unit",
        "material_unit",
        "recipe",
    ]


def test_making_the_converter_generates_no_code(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 19: the tagged unions' member hooks are generated on first use, so that a command
    # reading no ledger entry pays nothing for theirs (bench/cli_bench.py).
    compiled: list[object] = []
    real_compile = builtins.compile

    def counting(*args: Any, **kwargs: Any) -> Any:
        compiled.append(args[1] if len(args) > 1 else kwargs.get("filename"))
        return real_compile(*args, **kwargs)

    monkeypatch.setattr(builtins, "compile", counting)
    fresh = make_converter()
    assert compiled == []

    entries = sample_pantry(uuid.uuid4(), uuid.uuid4())
    documents = [fresh.unstructure(entry, unstructure_as=PantryRecord) for entry in entries]
    assert compiled != []  # the members' hooks, generated on their first use
    assert [document["kind"] for document in documents] == ["receipt", "count", "use", "void"]
    assert documents == [converter.unstructure(e, unstructure_as=PantryRecord) for e in entries]
    assert [fresh.structure(document, PantryRecord) for document in documents] == entries


def test_an_unknown_snapshot_kind_is_refused() -> None:
    with pytest.raises(Exception, match="bakery"):
        converter.structure({"kind": "bakery", "name": "x"}, Snapshot)


def test_structuring_runs_the_domain_validators() -> None:
    data = converter.unstructure(IngredientLine(uuid.uuid4(), 1, "g"))
    data["quantity"] = "-1"
    with pytest.raises(ValidationError):
        converter.structure(data, IngredientLine)


@given(snapshots)
def test_the_stores_hand_written_documents_are_the_converters(snapshot: Any) -> None:
    from snapplan.adapters.sql.encoding import snapshot_document

    expected = converter.unstructure(snapshot, unstructure_as=Snapshot)
    assert snapshot_document(snapshot) == expected
    assert list(snapshot_document(snapshot)) == list(expected)  # the same key order too
