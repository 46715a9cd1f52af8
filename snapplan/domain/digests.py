"""Merkle digests of captured content.

A snapshot's digest is the sha256 of its canonical *own content* (names, amounts, units, the
catalog ids it refers to) followed by its children's digests in order. Snapshot ids, plan ids and
timestamps never enter it, so the same definition always digests the same, and any change in a
name, amount, unit or child changes it (and every ancestor's digest with it).

The own content can be computed from a snapshot (``snapshot.content()``) and from a live
definition (``definition.content(ingredient_names)``) alike, which is how drift is detected
without capturing anything; both go through the functions of this module.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from snapplan.domain.quantities import canonical_decimal

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
