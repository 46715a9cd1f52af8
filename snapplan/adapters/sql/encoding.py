"""Snapshots to the JSON documents the SQL store keeps, written by hand for speed.

The documents are exactly what the one configured converter writes
(``converter.unstructure(snapshot, unstructure_as=Snapshot)``: amounts as exact strings, ids as
strings, times in ISO 8601 UTC, a ``"kind"`` tag), so exports and the converter read them as
they always did; a test pins the two to each other.
"""

from __future__ import annotations

from typing import Any

from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)


def snapshot_document(snapshot: Snapshot) -> dict[str, Any]:
    """The stored document of ``snapshot``."""
    document: dict[str, Any] = {
        "source_id": str(snapshot.source_id),
        "name": snapshot.name,
        "plan_id": str(snapshot.plan_id),
        "captured_at": snapshot.captured_at.isoformat(),
        "digest": snapshot.digest,
        "id": str(snapshot.id),
    }
    if isinstance(snapshot, RecipeSnapshot):
        document["lines"] = [
            {
                "ingredient_id": str(x.ingredient_id),
                "ingredient_name": x.ingredient_name,
                "quantity": str(x.quantity),
                "unit": x.unit,
                "note": x.note,
            }
            for x in snapshot.lines
        ]
        document["sub_recipes"] = [
            {
                "recipe_id": str(x.recipe_id),
                "batches": str(x.batches),
                "snapshot_id": str(x.snapshot_id),
            }
            for x in snapshot.sub_recipes
        ]
        document["scale_factor"] = str(snapshot.scale_factor)
    elif isinstance(snapshot, FinishedUnitSnapshot):
        document["recipe_id"] = str(snapshot.recipe_id)
        document["recipe_snapshot_id"] = str(snapshot.recipe_snapshot_id)
        document["items_per_batch"] = str(snapshot.items_per_batch)
    elif isinstance(snapshot, FinishedGoodSnapshot):
        document["components"] = [
            {
                "kind": x.kind,  # a StrEnum: a str, read without the slow .value
                "source_id": str(x.source_id),
                "quantity": str(x.quantity),
                "snapshot_id": str(x.snapshot_id),
            }
            for x in snapshot.components
        ]
    else:
        assert isinstance(snapshot, MaterialUnitSnapshot)
    document["kind"] = snapshot.kind
    return document
