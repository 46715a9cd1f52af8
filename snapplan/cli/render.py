"""What the command line prints: requirements as JSON, drift as text, a plan export as JSON.

Amounts in JSON are strings, exact: a ``Decimal`` in plain notation without trailing zeros
(``"2"``, ``"0.5"``, ``"2751.796185"``, never ``"1E+3"``), and a ``needed_batches`` that no
decimal can say exactly as a fraction in lowest terms (``"25/3"``). The tables use the same
spellings (see :func:`amount`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from snapplan.adapters.converter import converter
from snapplan.domain.drift import Drift
from snapplan.domain.plan import Plan
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.requirements import Requirements
from snapplan.domain.snapshots import Snapshot

#: Bumped when the layout of ``snapplan export`` output changes incompatibly.
EXPORT_FORMAT_VERSION = 1


def amount(value: Decimal | Fraction | None) -> str:
    """An amount for people: ``3.00`` shows as ``3``, a fraction as ``25/3``, None as ``-``."""
    if value is None:
        return "-"
    return canonical_decimal(value) if isinstance(value, Decimal) else str(value)


def requirements_table(requirements: Requirements) -> str:
    """The requirements as plain text tables."""
    sections: list[tuple[str, Sequence[str], list[Sequence[str]]]] = [
        (
            "Batches",
            ("recipe", "batches", "needed", "leftover units"),
            [
                (r.name, amount(r.batches), amount(r.needed_batches), amount(r.leftover_units))
                for r in requirements.batches
            ],
        ),
        (
            "Ingredients",
            ("ingredient", "quantity", "unit"),
            [(i.name, amount(i.quantity), i.unit) for i in requirements.ingredients],
        ),
        (
            "Finished units",
            ("finished unit", "quantity"),
            [(u.name, amount(u.quantity)) for u in requirements.finished_units],
        ),
        (
            "Packaging",
            ("material", "quantity"),
            [(m.name, amount(m.quantity)) for m in requirements.materials],
        ),
    ]
    out = []
    for title, header, rows in sections:
        if not rows:
            continue
        widths = [
            max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)
        ]
        out.append(title)
        for row in [header, *rows]:
            out.append(
                "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
        out.append("")
    return "\n".join(out)


def to_json(data: Any) -> str:
    """Indented JSON, keys in the order given, ASCII-only so any terminal can show it."""
    return json.dumps(data, indent=2)


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
    """Drift of a plan for people: each target changed or unchanged, then what changed.

    ``names`` gives the captured name of each catalog id the plan reached.
    """

    def label(source_id: uuid.UUID) -> str:
        return f"{source_id}  {names.get(source_id, '?')}"

    verdict = "drift found" if drift.changed else "no drift"
    out = [f"Plan {drift.plan_id}: {verdict}", "", "Targets"]
    width = max((len(names.get(t.source_id, "?")) for t in drift.targets), default=0)
    for target in drift.targets:
        state = "changed" if target.changed else "unchanged"
        name = names.get(target.source_id, "?")
        out.append(f"  {target.kind:<10}  {name:<{width}}  {state:<9}  {target.source_id}")
    if not drift.targets:
        out.append("  (the plan has no targets)")
    changed = sorted(drift.changed_ids - drift.removed_ids, key=lambda i: (names.get(i, ""), i))
    removed = sorted(drift.removed_ids, key=lambda i: (names.get(i, ""), i))
    if changed:
        out += ["", "Changed since the plan (own content differs from the snapshot)"]
        out += [f"  {label(i)}" for i in changed]
    if removed:
        out += ["", "Removed from the catalog since the plan"]
        out += [f"  {label(i)}" for i in removed]
    return "\n".join(out)


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
