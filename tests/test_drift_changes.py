"""Drift says what changed, field by field, in the baker's words (on every store)."""

from __future__ import annotations

from typing import Any

import attrs

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
    ProductionTarget,
    Recipe,
    SnapshotKind,
    create_plan,
    plan_drift,
)
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
