"""Snapshot digests: equal definitions digest alike, a change anywhere below a snapshot changes
its digest (a Merkle tree over the plan's captured definitions), and a digest is spelled one
way only. Worked on the pure domain: a capture from a catalog view, no store."""

from __future__ import annotations

import uuid
from typing import Any

import attrs
import pytest
from pure_domain import DIGEST, capture, snapshot_header, view

from snapplan import (
    Event,
    ProductionTarget,
    ValidationError,
    create_plan,
    plan_snapshots,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.domain.catalog import (
    Component,
    ComponentKind,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Recipe,
    SubRecipe,
)
from snapplan.domain.snapshots import MaterialUnitSnapshot
from snapplan.testing.catalog import save

FU = ComponentKind.FINISHED_UNIT
FG = ComponentKind.FINISHED_GOOD
MU = ComponentKind.MATERIAL_UNIT


# -- a parent's digest changes when any descendant changes ------------------------------------


def chain_digests(leaf_quantity: object, ribbon: str = "Ribbon") -> dict[str, str]:
    """Digests of a tree whose deepest recipe line is ``leaf_quantity`` g of sugar:
    Hamper ⊃ Tin ⊃ (Wedge → Shortbread → Caramel → Syrup, Ribbon)."""
    sugar = Ingredient("Sugar", id=uuid.UUID(int=1))
    syrup = Recipe(
        "Syrup", lines=[IngredientLine(sugar.id, leaf_quantity, "g")], id=uuid.UUID(int=2)
    )
    caramel = Recipe("Caramel", sub_recipes=[SubRecipe(syrup.id, 1)], id=uuid.UUID(int=3))
    shortbread = Recipe("Shortbread", sub_recipes=[SubRecipe(caramel.id, 1)], id=uuid.UUID(int=4))
    wedge = FinishedUnit("Wedge", shortbread.id, 16, id=uuid.UUID(int=5))
    bow = MaterialUnit(ribbon, id=uuid.UUID(int=6))
    tin = FinishedGood(
        "Tin", [Component(FU, wedge.id, 8), Component(MU, bow.id, 1)], id=uuid.UUID(int=7)
    )
    hamper = FinishedGood("Hamper", [Component(FG, tin.id, 2)], id=uuid.UUID(int=8))
    catalog = view(sugar, syrup, caramel, shortbread, wedge, bow, tin, hamper)
    made = capture(catalog, [shortbread], [hamper])
    label = {
        d.id: type(d).__name__ + " " + d.name
        for d in (syrup, caramel, shortbread, wedge, tin, hamper)
    }
    label[bow.id] = "the material"
    return {label[s.source_id]: s.digest for s in made.snapshots}


def test_the_same_definitions_always_digest_the_same() -> None:
    assert chain_digests(100) == chain_digests(100)
    assert chain_digests(100) == chain_digests("100.00")  # equal amounts, equal digests


def test_a_change_deep_in_a_recipe_chain_changes_every_ancestors_digest() -> None:
    before, after = chain_digests(100), chain_digests(101)
    changed = {name for name in before if before[name] != after[name]}
    # Syrup's own line changed; everything above it differs only through its children.
    assert changed == {
        "Recipe Syrup",
        "Recipe Caramel",
        "Recipe Shortbread",
        "FinishedUnit Wedge",
        "FinishedGood Tin",
        "FinishedGood Hamper",
    }


def test_a_changed_material_changes_the_goods_above_it_only() -> None:
    before, after = chain_digests(100), chain_digests(100, ribbon="Red ribbon")
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"the material", "FinishedGood Tin", "FinishedGood Hamper"}


# -- one spelling -----------------------------------------------------------------------------


def test_a_digest_is_64_lowercase_hex_digits() -> None:
    """(mutant: ``or`` as ``and`` let any text through)"""
    assert MaterialUnitSnapshot(**snapshot_header(name="Ribbon")).digest == DIGEST
    for bad in ("not a digest", "A" * 64, "0" * 63, 64):
        with pytest.raises(ValidationError, match="digest"):
            MaterialUnitSnapshot(**snapshot_header(name="Ribbon", digest=bad))


# -- what checking a digest keeps -------------------------------------------------------------


def test_a_snapshot_read_back_is_checked_without_keeping_its_canonical_json(store: Any) -> None:
    """A plan read back checks every snapshot's digest once; the canonical JSON that check
    builds is not kept on the snapshot (a plan of 30,000 would hold 30,000 strings for as long
    as its snapshots live). Capture keeps it: it checks the same snapshot again when adding it."""
    sugar = Ingredient("Sugar")
    syrup = Recipe("Syrup", lines=[IngredientLine(sugar.id, 100, "g")])
    caramel = Recipe("Caramel", sub_recipes=[SubRecipe(syrup.id, 1)])
    save(store, sugar, syrup, caramel, event := Event("Fair", [ProductionTarget(caramel.id, 2)]))
    made = create_plan(store.unit_of_work(), event.id)
    _, read = plan_snapshots(store.unit_of_work(), made.plan_id)
    assert len(read) == 2
    for snapshot in read.values():
        children = [read[child].digest for child in snapshot.children()]
        kept = snapshot._content_json is not None  # a memory store hands out capture's own
        assert snapshot.checked_digest(children) == snapshot.digest
        assert (snapshot._content_json is not None) == kept
        fresh = attrs.evolve(snapshot)  # a copy with nothing computed yet
        assert fresh._content_json is None
        assert fresh.checked_digest(children) == fresh.expected_digest(children) == fresh.digest
    if not isinstance(store, MemoryStore):  # read from rows: nothing kept
        assert all(s._content_json is None for s in read.values())
