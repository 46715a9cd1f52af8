"""Drift says what changed, field by field, in the baker's words (on every store).

The comparisons beneath it (runs of lines aligned, each field of a definition against its
snapshot) are then worked directly, on snapshots captured in memory.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import attrs
import pytest
from pure_domain import snapshot_header

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    FinishedUnitSnapshot,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    MemoryStore,
    ProductionTarget,
    Recipe,
    SnapshotKind,
    SubRecipe,
    create_plan,
    plan_drift,
)
from snapplan.domain.changes import aligned_changes, definition_changes
from snapplan.services.snapshots import plan_snapshots
from snapplan.testing.catalog import save


def edit(store: Any, repository: str, item_id: Any, **changes: Any) -> None:
    with store.unit_of_work() as uow:
        repo = getattr(uow, repository)
        repo.update(attrs.evolve(repo.get(item_id), **changes))
        uow.commit()


def test_drift_lists_each_change_once_in_the_bakers_words(store: Any) -> None:
    butter, flour, sugar, eggs = (Ingredient(n) for n in ("Butter", "Flour", "Sugar", "Eggs"))
    buttercream = Recipe(
        "Vanilla Buttercream",
        lines=[IngredientLine(butter.id, 225, "g"), IngredientLine(sugar.id, 2, "cup")],
    )
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g"),
                                       IngredientLine(sugar.id, 1, "cup")])  # fmt: skip
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    ribbon, tag = MaterialUnit("Ribbon"), MaterialUnit("Gift tag")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
            Component(ComponentKind.MATERIAL_UNIT, tag.id, 1),
        ],
    )
    event = Event("Market", [ProductionTarget(buttercream.id, 1)], [AssemblyTarget(box.id, 5)])
    save(store, butter, flour, sugar, eggs, buttercream, cookies, cookie, ribbon, tag, box, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    assert plan_drift(store.unit_of_work(), plan).definitions == ()

    lines = buttercream.lines
    more_butter = attrs.evolve(lines[0], quantity=250)
    edit(
        store,
        "recipes",
        buttercream.id,
        lines=(more_butter, lines[1], IngredientLine(eggs.id, 1, "each")),
    )
    edit(store, "ingredients", sugar.id, name="Caster sugar")  # in both recipes
    edit(store, "finished_units", cookie.id, items_per_batch=36)
    edit(store, "finished_goods", box.id, components=box.components[:2])
    with store.unit_of_work() as uow:
        uow.material_units.remove(ribbon.id)
        uow.commit()

    drift = plan_drift(store.unit_of_work(), plan)
    said = {d.name: [str(c) for c in d.changes] for d in drift.definitions}
    assert said == {
        "Vanilla Buttercream": ["line 1 (Butter): 225 g -> 250 g", "line 3 (Eggs) added: 1 each"],
        "Cookie": ["items per batch: 48 -> 36"],
        "Gift box": ["component 3 (Gift tag) removed (was 1)"],
        "Ribbon": [],
    }
    (removed,) = [d for d in drift.definitions if d.removed]
    assert (removed.kind, removed.source_id) == (SnapshotKind.MATERIAL_UNIT, ribbon.id)
    # the rename once, not as two changed recipes; Cookies changed only through it
    assert [(r.before, r.after) for r in drift.renamed_ingredients] == [("Sugar", "Caster sugar")]
    assert "Cookies" not in said
    assert cookies.id in drift.changed_ids  # its captured content differs all the same


# -- runs of lines aligned ----------------------------------------------------------------------


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


# -- a definition against its snapshot, field by field ------------------------------------------


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
        **snapshot_header(source_id=unit.id),
        recipe_id=unit.recipe_id,
        recipe_snapshot_id=uuid.uuid4(),
        items_per_batch=12,
    )
    live = attrs.evolve(unit, recipe_id=uuid.UUID(int=after))
    assert _changes(snapshot, live) == [f"recipe: #000{before} -> #000{after}"]


def test_an_equal_name_in_another_string_is_no_change() -> None:
    """Names compare by value (mutant: ``is not``)."""
    unit = FinishedUnit("".join(["Coo", "kie"]), uuid.uuid4(), 12)
    header = snapshot_header(source_id=unit.id, name="".join(["Cook", "ie"]))
    snapshot = FinishedUnitSnapshot(
        **header, recipe_id=unit.recipe_id, recipe_snapshot_id=uuid.uuid4(), items_per_batch=12
    )
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
