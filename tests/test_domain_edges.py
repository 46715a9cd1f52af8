"""Edges of the domain that the mutation run of 30 November 2026 found unguarded
(``tools/mutation.py``, sample of 330 of 2,684 mutants over ``snapplan/domain``).

Each test names the behaviour it keeps; the mutant it kills is said in its docstring. In memory,
like the rest of what the mutation run executes.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import attrs
import pytest

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    MemoryStore,
    NotFoundError,
    ProductionRun,
    ProductionTarget,
    Recipe,
    ShortageError,
    SnapshotIntegrityError,
    SubRecipe,
    ValidationError,
    create_plan,
    plan_progress,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)
from snapplan.domain import graph
from snapplan.domain.changes import aligned_changes, definition_changes
from snapplan.domain.snapshots import FinishedUnitSnapshot, MaterialUnitSnapshot
from snapplan.domain.trusted import trusted
from snapplan.domain.verification import ProblemKind, check_snapshots, find_problems
from snapplan.services.snapshots import plan_snapshots
from snapplan.testing.catalog import save

NOW = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
DIGEST = "0" * 64


# -- a small gift-box kitchen ---------------------------------------------------------------


@attrs.frozen
class Kitchen:
    store: MemoryStore
    plan_id: uuid.UUID
    cookies: Recipe
    cookie: FinishedUnit
    box: FinishedGood


def kitchen(*, items_per_batch: int = 12, boxes: int = 2, per_box: int = 6) -> Kitchen:
    """Boxes of ``per_box`` cookies and a ribbon; cookies ``items_per_batch`` a batch."""
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    cookie = FinishedUnit("Cookie", cookies.id, items_per_batch)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, per_box),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, boxes)])
    store = MemoryStore()
    save(store, flour, cookies, cookie, ribbon, box, event)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    return Kitchen(store, plan_id, cookies, cookie, box)


def produce(k: Kitchen, batches: int) -> ProductionRun:
    return record_production(k.store.unit_of_work(), k.plan_id, k.cookies.id, batches)


# -- progress ---------------------------------------------------------------------------------


def test_wasted_items_are_owed_again() -> None:
    """remaining = needed - produced + wasted (mutant: - wasted)."""
    k = kitchen()  # 2 boxes of 6: 12 cookies, 1 batch of 12
    produce(k, 1)
    record_waste(k.store.unit_of_work(), k.plan_id, k.cookie.id, 3, reason="dropped tray")
    (unit,) = plan_progress(k.store.unit_of_work(), k.plan_id).finished_units
    assert (unit.produced, unit.wasted, unit.on_hand, unit.remaining) == (12, 3, 9, 3)


def test_a_box_with_packaging_is_assemblable_from_the_cookies_on_hand() -> None:
    """Packaging is not stock: it never limits ``assemblable`` (mutant: kind > MATERIAL_UNIT)."""
    k = kitchen()
    produce(k, 1)
    (good,) = plan_progress(k.store.unit_of_work(), k.plan_id).goods
    assert good.assemblable == 2


def test_a_plan_is_complete_only_when_no_finished_unit_remains() -> None:
    """``complete`` asks every finished unit for remaining == 0 (mutant: >= 0)."""
    k = kitchen()
    produce(k, 1)
    record_assembly(k.store.unit_of_work(), k.plan_id, k.box.id, 2)
    progress = plan_progress(k.store.unit_of_work(), k.plan_id)
    assert progress.complete
    (unit,) = progress.finished_units
    owed = attrs.evolve(progress, finished_units=(attrs.evolve(unit, remaining=Decimal(3)),))
    assert not owed.complete


def test_voiding_a_run_of_one_item_already_boxed_is_a_shortage() -> None:
    """A void takes back every positive effect, 1 item included (mutant: change > 1)."""
    k = kitchen(items_per_batch=1, boxes=1, per_box=1)
    run = produce(k, 1)
    assert run.items == 1
    record_assembly(k.store.unit_of_work(), k.plan_id, k.box.id, 1)
    with pytest.raises(ShortageError) as caught:
        void_run(k.store.unit_of_work(), run.id, reason="wrong tray")
    (short,) = caught.value.shortages
    assert (short.needed, short.on_hand) == (1, 0)


# -- ledger values ----------------------------------------------------------------------------


def _production(**fields: Any) -> ProductionRun:
    values: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "plan_id": uuid.uuid4(),
        "seq": 1,
        "recorded_at": NOW,
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


# -- snapshots and digests --------------------------------------------------------------------


def _header(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "source_id": uuid.uuid4(),
        "name": "Cookie",
        "plan_id": uuid.uuid4(),
        "captured_at": NOW,
        "digest": DIGEST,
    }
    values.update(fields)
    return values


def test_a_finished_unit_snapshot_is_a_validated_value_of_its_own() -> None:
    """Its fields are attrs fields: validated, compared (mutant: its decorator removed)."""
    recipe, recipe_snapshot = uuid.uuid4(), uuid.uuid4()
    one = FinishedUnitSnapshot(**_header(), recipe_id=recipe, recipe_snapshot_id=recipe_snapshot,
                               items_per_batch=12)  # fmt: skip
    assert [f.name for f in attrs.fields(FinishedUnitSnapshot)][-3:] == [
        "recipe_id",
        "recipe_snapshot_id",
        "items_per_batch",
    ]
    assert one != attrs.evolve(one, items_per_batch=24)
    with pytest.raises(ValidationError, match="items_per_batch"):
        attrs.evolve(one, items_per_batch=0)


def test_a_digest_is_64_lowercase_hex_digits() -> None:
    """(mutant: ``or`` as ``and`` let any text through)"""
    assert MaterialUnitSnapshot(**_header(name="Ribbon")).digest == DIGEST
    for bad in ("not a digest", "A" * 64, "0" * 63, 64):
        with pytest.raises(ValidationError, match="digest"):
            MaterialUnitSnapshot(**_header(name="Ribbon", digest=bad))


def test_an_id_error_shows_text_as_text_and_anything_else_by_its_type() -> None:
    """(mutant: the two swapped)"""
    with pytest.raises(ValidationError, match=r"Ingredient.id: not a UUID: 'nope'$"):
        Ingredient("Flour", id="nope")
    with pytest.raises(ValidationError, match=r"Ingredient.id: not a UUID: int$"):
        Ingredient("Flour", id=5)


def _two_cookie_plan() -> tuple[Any, dict[uuid.UUID, Any]]:
    store = MemoryStore()
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    shortbread = Recipe("Shortbread", lines=[IngredientLine(flour.id, 300, "g")])
    event = Event("Market")
    save(store, flour, cookies, shortbread, event)
    with store.unit_of_work() as uow:
        uow.events.update(
            attrs.evolve(
                uow.events.get(event.id),
                production_targets=[
                    ProductionTarget(cookies.id, 1),
                    ProductionTarget(shortbread.id, 1),
                ],
            )
        )
        uow.commit()
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    plan, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    return plan, dict(snapshots)


@pytest.mark.parametrize("forged", ["0" * 64, "f" * 64])
def test_a_digest_that_differs_in_either_direction_is_a_mismatch(forged: str) -> None:
    """(mutant: != as >, which only saw forged digests that sort below the true one)"""
    plan, snapshots = _two_cookie_plan()
    first = plan.production_targets[0].snapshot_id
    snapshots[first] = attrs.evolve(snapshots[first], digest=forged)
    problems = find_problems(plan, snapshots)
    assert [(p.kind, p.snapshot_id) for p in problems] == [(ProblemKind.DIGEST_MISMATCH, first)]


def test_the_integrity_error_counts_the_other_problems() -> None:
    """(mutant: len(problems) > 1 as < 1)"""
    plan, snapshots = _two_cookie_plan()
    for target in plan.production_targets:
        snapshots[target.snapshot_id] = attrs.evolve(snapshots[target.snapshot_id], digest="f" * 64)
    with pytest.raises(SnapshotIntegrityError, match=r"\(and 1 more problems\); run verify_plan"):
        check_snapshots(plan, snapshots)
    plan, snapshots = _two_cookie_plan()
    first = plan.production_targets[0].snapshot_id
    snapshots[first] = attrs.evolve(snapshots[first], digest="f" * 64)
    with pytest.raises(SnapshotIntegrityError) as caught:
        check_snapshots(plan, snapshots)
    assert "more problems" not in str(caught.value)


# -- capture ----------------------------------------------------------------------------------


def test_a_missing_definition_names_who_refers_to_it() -> None:
    """(mutant: the referrer dropped exactly when one is known)"""
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood("Gift box", [Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1)])
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, 2)])
    store = MemoryStore()
    save(store, box, event)  # the ribbon is never added
    with pytest.raises(NotFoundError) as caught:
        create_plan(store.unit_of_work(), event.id)
    assert caught.value.referenced_by == "finished good 'Gift box'"


def test_a_walk_goes_below_a_node_with_more_than_256_children() -> None:
    """(mutant: ``i < len(below)`` as ``i is not len(below)``, true only for small ints)"""
    below = {0: list(range(1, 301))}
    order = graph.children_first(0, lambda n: below.get(n, []), heights={})
    assert order[-1] == 0
    assert sorted(order[:-1]) == list(range(1, 301))


def test_a_recipe_with_300_sub_recipes_plans() -> None:
    flour = Ingredient("Flour")
    parts = [Recipe(f"Part {i}", lines=[IngredientLine(flour.id, 1, "g")]) for i in range(300)]
    whole = Recipe("Whole", sub_recipes=[SubRecipe(p.id, 1) for p in parts])
    event = Event("Market", [ProductionTarget(whole.id, 1)])
    store = MemoryStore()
    save(store, flour, *parts, whole, event)
    assert create_plan(store.unit_of_work(), event.id).snapshots_written == 301


# -- trusted construction ---------------------------------------------------------------------


@attrs.frozen
class _Tray:
    name: str
    cookies: tuple[str, ...] = attrs.field(factory=tuple)
    count: int = 0


def test_trusted_fills_a_factory_default_by_calling_it() -> None:
    """(mutants: the factory stored instead of called, ``is False`` as ``!= False``)"""
    tray = trusted(_Tray, name="Tray 1")
    assert (tray.cookies, tray.count) == ((), 0)
    assert tray == _Tray("Tray 1")


# -- drift, field by field --------------------------------------------------------------------


def _show(x: str) -> str:
    return x.upper()


def changes_of(before: list[str], after: list[str]) -> list[tuple[str, str | None, str | None]]:
    found = aligned_changes("line", before, after, key=lambda x: x, label=lambda x: x[0],
                            show=_show)  # fmt: skip
    return [(c.where, c.before, c.after) for c in found]


def test_a_replaced_run_of_lines_pairs_up_then_removes_the_rest() -> None:
    """(mutants: min(i2 - i1, j2 - j1) with | or ^ or >>, i1 + paired as ^, before[i1 + k] as
    << or *, the 1-based line number as j1 + k - 1)"""
    assert changes_of(["a1", "b1", "c1", "d1", "e1"], ["a1", "x1", "e1"]) == [
        ("line 2", "B1 b", "X1 x"),
        ("line 3 (c)", "C1", None),
        ("line 4 (d)", "D1", None),
    ]
    assert changes_of(["a1", "b1", "c1", "d1", "e1", "f1"], ["a1", "b1", "c2", "d2", "f1"]) == [
        ("line 3 (c)", "C1", "C2"),
        ("line 4 (d)", "D1", "D2"),
        ("line 5 (e)", "E1", None),
    ]
    assert changes_of(["a1", "b1"], ["a1", "b1", "c1"]) == [("line 3 (c)", None, "C1")]


def _recipe_snapshot_of(recipe: Recipe, *names: Ingredient) -> Any:
    store = MemoryStore()
    event = Event("Market", [ProductionTarget(recipe.id, 1)])
    subs = [Recipe(f"Sub {i}", id=s.recipe_id) for i, s in enumerate(recipe.sub_recipes)]
    save(store, *names, *subs, recipe, event)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    plan, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    return snapshots[plan.production_targets[0].snapshot_id]


def _changes(snapshot: Any, live: Any, *ingredients: Ingredient) -> list[str]:
    names = {i.id: i.name for i in ingredients}
    found = definition_changes(snapshot, live, lambda i: f"#{str(i)[-4:]}", names)
    return [str(c) for c in found]


def test_a_line_whose_ingredient_changed_is_a_change() -> None:
    """Lines are matched on ingredient, amount, unit and note (mutant: key without ingredient)."""
    butter, margarine = Ingredient("Butter"), Ingredient("Margarine")
    recipe = Recipe("Frosting", lines=[IngredientLine(butter.id, 225, "g")])
    snapshot = _recipe_snapshot_of(recipe, butter)
    live = attrs.evolve(recipe, lines=[IngredientLine(margarine.id, 225, "g")])
    assert _changes(snapshot, live, butter, margarine) == [
        "line 1: 225 g Butter -> 225 g Margarine"
    ]


def test_a_line_note_is_shown_in_parentheses() -> None:
    """(mutant: the ingredient's name shown where the note belongs)"""
    butter = Ingredient("Butter")
    recipe = Recipe("Frosting", lines=[IngredientLine(butter.id, 225, "g", "cold")])
    snapshot = _recipe_snapshot_of(recipe, butter)
    live = attrs.evolve(recipe, lines=[IngredientLine(butter.id, 225, "g", "softened")])
    assert _changes(snapshot, live, butter) == ["line 1 (Butter): 225 g (cold) -> 225 g (softened)"]


def test_a_sub_recipe_change_shows_its_batches() -> None:
    """(mutant: the sub-recipe's id shown instead of its batches)"""
    syrup_id = uuid.UUID(int=7)
    recipe = Recipe("Cake", sub_recipes=[SubRecipe(syrup_id, Decimal("0.5"))])
    snapshot = _recipe_snapshot_of(recipe)
    live = attrs.evolve(recipe, sub_recipes=[SubRecipe(syrup_id, 2)])
    assert _changes(snapshot, live) == ["sub-recipe 1 (#0007): 0.5 batch -> 2 batch"]


@pytest.mark.parametrize(("before", "after"), [(1, 2), (2, 1)])
def test_a_finished_unit_moved_to_another_recipe_is_a_change(before: int, after: int) -> None:
    """Either way round (mutant: != as >, blind when the new recipe's id sorts higher)."""
    unit = FinishedUnit("Cookie", uuid.UUID(int=before), 12)
    snapshot = FinishedUnitSnapshot(
        **_header(source_id=unit.id),
        recipe_id=unit.recipe_id,
        recipe_snapshot_id=uuid.uuid4(),
        items_per_batch=12,
    )
    live = attrs.evolve(unit, recipe_id=uuid.UUID(int=after))
    assert _changes(snapshot, live) == [f"recipe: #000{before} -> #000{after}"]


def test_an_equal_name_in_another_string_is_no_change() -> None:
    """Names compare by value (mutant: ``is not``)."""
    unit = FinishedUnit("".join(["Coo", "kie"]), uuid.uuid4(), 12)
    snapshot = FinishedUnitSnapshot(**_header(source_id=unit.id, name="".join(["Cook", "ie"])),
                                    recipe_id=unit.recipe_id, recipe_snapshot_id=uuid.uuid4(),
                                    items_per_batch=12)  # fmt: skip
    assert snapshot.name is not unit.name
    assert _changes(snapshot, unit) == []


def test_definitions_of_different_kinds_compare_by_name_only() -> None:
    """A recipe's snapshot against a finished unit: no line or recipe comparison (mutant: the
    recipe branch taken when either side is a recipe)."""
    flour = Ingredient("Flour")
    recipe = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    snapshot = _recipe_snapshot_of(recipe, flour)
    unit = FinishedUnit("Cookie", recipe.id, 12)
    assert _changes(snapshot, unit, flour) == ["name: 'Cookies' -> 'Cookie'"]


def test_complete_means_exactly_nothing_remains() -> None:
    """(mutant: remaining == 0 as <= 0; ``Progress`` is a public value a host may build)"""
    k = kitchen()
    produce(k, 1)
    record_assembly(k.store.unit_of_work(), k.plan_id, k.box.id, 2)
    progress = plan_progress(k.store.unit_of_work(), k.plan_id)
    (unit,) = progress.finished_units
    odd = attrs.evolve(progress, finished_units=(attrs.evolve(unit, remaining=Decimal(-1)),))
    assert not odd.complete
