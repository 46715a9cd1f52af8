"""Merkle digests of captured content.

A snapshot's digest is the sha256 of its canonical *own content* (names, amounts, units, the
catalog ids it refers to) followed by its children's digests in order. Snapshot ids, plan ids and
timestamps never enter it, so the same definition always digests the same, and any change in a
name, amount, unit or child changes it (and every ancestor's digest with it).

The own content can be computed from a snapshot and from a live definition alike, which is how
drift is detected without capturing anything.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from snapplan.domain.catalog import FinishedGood, FinishedUnit, MaterialUnit, Recipe
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.snapshots import (
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)

#: Canonical own content: plain JSON-able data, equal for equal definitions.
Content = Mapping[str, object]


def recipe_content(
    name: str,
    lines: Iterable[tuple[uuid.UUID, str | None, Decimal, str, str]],
    sub_recipes: Iterable[tuple[uuid.UUID, Decimal]],
) -> Content:
    """Own content of a recipe: its name, its lines (ingredient names included), its sub-recipes."""
    return {
        "kind": "recipe",
        "name": name,
        "lines": [
            [str(i), ingredient_name, canonical_decimal(q), unit, note]
            for i, ingredient_name, q, unit, note in lines
        ],
        "sub_recipes": [[str(r), canonical_decimal(b)] for r, b in sub_recipes],
    }


def finished_unit_content(name: str, recipe_id: uuid.UUID, items_per_batch: Decimal) -> Content:
    """Own content of a finished unit."""
    return {
        "kind": "finished_unit",
        "name": name,
        "recipe_id": str(recipe_id),
        "items_per_batch": canonical_decimal(items_per_batch),
    }


def material_unit_content(name: str) -> Content:
    """Own content of a material unit."""
    return {"kind": "material_unit", "name": name}


def finished_good_content(
    name: str, components: Iterable[tuple[str, uuid.UUID, Decimal]]
) -> Content:
    """Own content of a finished good: its name and its components in order."""
    return {
        "kind": "finished_good",
        "name": name,
        "components": [[kind, str(ref), canonical_decimal(q)] for kind, ref, q in components],
    }


def merkle_digest(content: Content, child_digests: Sequence[str]) -> str:
    """sha256 hex of the canonical JSON of ``content`` followed by the children's digests."""
    payload = json.dumps(
        {"content": content, "children": list(child_digests)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def snapshot_content(snapshot: Snapshot) -> Content:
    """The own content a snapshot captured."""
    if isinstance(snapshot, RecipeSnapshot):
        return recipe_content(
            snapshot.name,
            (
                (line.ingredient_id, line.ingredient_name, line.quantity, line.unit, line.note)
                for line in snapshot.lines
            ),
            ((sub.recipe_id, sub.batches) for sub in snapshot.sub_recipes),
        )
    if isinstance(snapshot, FinishedUnitSnapshot):
        return finished_unit_content(snapshot.name, snapshot.recipe_id, snapshot.items_per_batch)
    if isinstance(snapshot, MaterialUnitSnapshot):
        return material_unit_content(snapshot.name)
    return finished_good_content(
        snapshot.name, ((c.kind.value, c.source_id, c.quantity) for c in snapshot.components)
    )


def live_content(
    definition: Recipe | FinishedUnit | MaterialUnit | FinishedGood,
    ingredient_names: Mapping[uuid.UUID, str],
) -> Content:
    """The own content a capture of ``definition`` would hold right now.

    A recipe line whose ingredient no longer exists gets no name, so it never equals a snapshot.
    """
    if isinstance(definition, Recipe):
        return recipe_content(
            definition.name,
            (
                (
                    line.ingredient_id,
                    ingredient_names.get(line.ingredient_id),
                    line.quantity,
                    line.unit,
                    line.note,
                )
                for line in definition.lines
            ),
            ((sub.recipe_id, sub.batches) for sub in definition.sub_recipes),
        )
    if isinstance(definition, FinishedUnit):
        return finished_unit_content(
            definition.name, definition.recipe_id, definition.items_per_batch
        )
    if isinstance(definition, MaterialUnit):
        return material_unit_content(definition.name)
    return finished_good_content(
        definition.name, ((c.kind.value, c.ref, c.quantity) for c in definition.components)
    )
