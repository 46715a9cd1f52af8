"""What the command line prints: requirements as JSON, drift as text, a plan export as JSON.

Amounts in JSON are strings, exact: a ``Decimal`` in plain notation without trailing zeros
(``"2"``, ``"0.5"``, ``"2751.796185"``, never ``"1E+3"``), and a ``needed_batches`` that no
decimal can say exactly as a fraction in lowest terms (``"25/3"``). The tables use the same
spellings (see :func:`amount`).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from snapplan.adapters.converter import converter
from snapplan.cli.tables import amount, counted, readable, tables
from snapplan.cli.terminal import escape
from snapplan.domain.drift import Drift, TargetChange, TargetChangeKind, TargetKind
from snapplan.domain.plan import Plan
from snapplan.domain.requirements import Requirements
from snapplan.domain.snapshots import RecipeSnapshot, Snapshot
from snapplan.domain.units import canonical_unit, dimension_of

#: Bumped when the layout of ``snapplan export`` output changes incompatibly.
EXPORT_FORMAT_VERSION = 1


def preferred_units(snapshots: Mapping[uuid.UUID, Snapshot]) -> dict[tuple[uuid.UUID, str], str]:
    """The unit the plan's recipes use most for each ingredient and dimension (ties: the first
    met), to show totals in."""
    counts: dict[tuple[uuid.UUID, str], Counter[str]] = defaultdict(Counter)
    for snapshot in snapshots.values():
        if isinstance(snapshot, RecipeSnapshot):
            for line in snapshot.lines:
                key = (line.ingredient_id, dimension_of(line.unit))
                counts[key][canonical_unit(line.unit)] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in counts.items()}


def requirements_table(
    requirements: Requirements,
    *,
    preferred: Mapping[tuple[uuid.UUID, str], str] | None = None,
    exact: bool = False,
) -> str:
    """The requirements as plain text tables; ingredient totals readable (see
    :func:`snapplan.cli.tables.readable`: in the unit the recipes use most, ``preferred``,
    where that is exact) unless ``exact``."""
    prefer = preferred or {}
    return tables(
        (
            "Batches",
            ("recipe", "batches", "needed", "leftover units"),
            [
                (
                    r.name,
                    counted(r.batches, exact=exact),
                    counted(r.needed_batches, exact=exact),
                    counted(r.leftover_units, exact=exact),
                )
                for r in requirements.batches
            ],
        ),
        (
            "Ingredients",
            ("ingredient", "quantity", "unit"),
            [
                (
                    i.name,
                    *readable(
                        i.quantity,
                        i.unit,
                        preferred=prefer.get((i.ingredient_id, dimension_of(i.unit))),
                        exact=exact,
                    ),
                )
                for i in requirements.ingredients
            ],
        ),
        (
            "Finished units",
            ("finished unit", "quantity"),
            [(u.name, counted(u.quantity, exact=exact)) for u in requirements.finished_units],
        ),
        (
            "Packaging",
            ("material", "quantity"),
            [(m.name, counted(m.quantity, exact=exact)) for m in requirements.materials],
        ),
    )


def to_json(data: Any) -> str:
    """Indented JSON, keys in the order given, ASCII only: every control and non-ASCII
    character of a name written as ``\\uXXXX``, so any terminal shows it and none obeys it."""
    return json.dumps(data, indent=2, ensure_ascii=True)


def json_amount(value: Decimal | Fraction | None) -> str | None:
    """An exact amount as a JSON string (None stays null)."""
    return None if value is None else amount(value)


def requirements_json(requirements: Requirements) -> dict[str, Any]:
    """The requirements of a plan as JSON-ready data (see the module docstring for amounts)."""
    return {
        "plan_id": str(requirements.plan_id),
        "batches": [
            {
                "recipe_id": str(r.recipe_id),
                "snapshot_id": str(r.snapshot_id),
                "name": r.name,
                "batches": json_amount(r.batches),
                "needed_batches": json_amount(r.needed_batches),
                "leftover_units": json_amount(r.leftover_units),
            }
            for r in requirements.batches
        ],
        "ingredients": [
            {
                "ingredient_id": str(i.ingredient_id),
                "name": i.name,
                "quantity": json_amount(i.quantity),
                "unit": i.unit,
            }
            for i in requirements.ingredients
        ],
        "finished_units": [
            {
                "finished_unit_id": str(u.finished_unit_id),
                "name": u.name,
                "quantity": json_amount(u.quantity),
            }
            for u in requirements.finished_units
        ],
        "materials": [
            {
                "material_unit_id": str(m.material_unit_id),
                "name": m.name,
                "quantity": json_amount(m.quantity),
            }
            for m in requirements.materials
        ],
    }


def drift_text(drift: Drift, names: Mapping[uuid.UUID, str]) -> str:
    """Drift of a plan for people: each target changed or unchanged, then what changed in each
    definition, field by field, and what was removed.

    ``names`` gives the captured name of each catalog id the plan reached.
    """
    verdict = "drift found" if drift.changed else "no drift"
    out = [f"Plan {drift.plan_id}: {verdict}", "", "Targets"]
    # Escaped before the column is measured, so that it stays aligned.
    shown = {t.source_id: escape(names.get(t.source_id, "?")) for t in drift.targets}
    width = max((len(name) for name in shown.values()), default=0)
    for target in drift.targets:
        state = "changed" if target.changed else "unchanged"
        name = shown[target.source_id]
        out.append(f"  {target.kind:<10}  {name:<{width}}  {state:<9}  {target.source_id}")
    if not drift.targets:
        out.append("  (the plan has no targets)")
    if drift.event_removed:
        out += ["", "The event was removed from the catalog since the plan"]
    if drift.target_changes:
        out += ["", "Targets of the event changed since the plan"]
        out += [f"  {target_change_text(change)}" for change in drift.target_changes]
    changed = [d for d in drift.definitions if not d.removed]
    removed = [d for d in drift.definitions if d.removed]
    if changed or drift.renamed_ingredients:
        out += ["", "Changed since the plan"]
        for rename in drift.renamed_ingredients:
            out.append(f"  ingredient {rename.before!r} renamed {rename.after!r}")
        for definition in changed:
            kind = definition.kind.value.replace("_", " ")
            for change in definition.changes:
                out.append(f"  {kind} {definition.name!r}: {change}")
    if removed:
        out += ["", "Removed from the catalog since the plan"]
        for definition in removed:
            kind = definition.kind.value.replace("_", " ")
            out.append(f"  {kind} {definition.name!r} ({definition.source_id})")
    return "\n".join(out)


def _target_amount(change: TargetChange, value: Decimal | None) -> str:
    """A target's amount in words: ``2 batches`` (production), ``12`` (assembly)."""
    text = amount(value)
    if change.kind is TargetKind.PRODUCTION:
        return f"{text} batch" if value == 1 else f"{text} batches"
    return text


def target_change_text(change: TargetChange) -> str:
    """``production  'Brownies': added (2 batches)``, ``assembly  'Gift Box': 12 -> 20``."""
    before = _target_amount(change, change.before)
    after = _target_amount(change, change.after)
    head = f"{change.kind:<10}  {change.name!r}"
    if change.change is TargetChangeKind.ADDED:
        return f"{head}: added ({after})"
    if change.change is TargetChangeKind.REMOVED:
        return f"{head}: removed (was {before})"
    return f"{head}: {before} -> {after}"


def drift_json(drift: Drift, names: Mapping[uuid.UUID, str]) -> dict[str, Any]:
    """The drift of a plan as JSON-ready data."""
    return {
        "plan_id": str(drift.plan_id),
        "changed": drift.changed,
        "targets": [
            {
                "kind": t.kind.value,
                "source_id": str(t.source_id),
                "name": names.get(t.source_id),
                "snapshot_id": str(t.snapshot_id),
                "changed": t.changed,
            }
            for t in drift.targets
        ],
        "definitions": [
            {
                "kind": d.kind.value,
                "source_id": str(d.source_id),
                "name": d.name,
                "removed": d.removed,
                "changes": [
                    {"where": c.where, "before": c.before, "after": c.after} for c in d.changes
                ],
            }
            for d in drift.definitions
        ],
        "renamed_ingredients": [
            {"ingredient_id": str(r.ingredient_id), "before": r.before, "after": r.after}
            for r in drift.renamed_ingredients
        ],
        "target_changes": [
            {
                "kind": c.kind.value,
                "source_id": str(c.source_id),
                "name": c.name,
                "change": c.change.value,
                "before": json_amount(c.before),
                "after": json_amount(c.after),
            }
            for c in drift.target_changes
        ],
        "event_removed": drift.event_removed,
        "changed_ids": sorted(str(i) for i in drift.changed_ids),
        "removed_ids": sorted(str(i) for i in drift.removed_ids),
    }


def export_json(plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot]) -> dict[str, Any]:
    """A plan and every snapshot it reaches, through the one configured cattrs converter.

    Each snapshot carries its ``"kind"`` tag, so ``converter.structure(data, Snapshot)`` reads
    it back; the plan reads back with ``converter.structure(data, Plan)``.
    """
    return {
        "export_format": EXPORT_FORMAT_VERSION,
        "plan": converter.unstructure(plan),
        "snapshots": [
            converter.unstructure(s, unstructure_as=Snapshot) for s in snapshots.values()
        ],
    }
