"""What changed in a definition since a plan captured it, field by field, for people.

:func:`definition_changes` compares a snapshot with the live definition it was taken from and
says what differs, in the baker's words: ``name 'Shortbread' -> 'Butter Shortbread'``,
``line 1 (Butter): 225 g -> 250 g``, ``line 3 added: 1 each Eggs``, ``component 2 (Ribbon)
removed``. Lines and components are paired with a sequence alignment, so inserting one line at
the top shows as one added line, not as every line changed.

A renamed ingredient changes the captured content of every recipe that uses it; those renames
are reported once, by :func:`ingredient_renames`, and left out of the recipes' own changes.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs

from snapplan.domain.catalog import CapturedDefinition, FinishedGood, FinishedUnit, Recipe
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)

T = TypeVar("T")


@attrs.frozen
class FieldChange:
    """One difference: ``where`` it is (``"name"``, ``"line 2 (Butter)"``), what it was
    (``before``, None when added) and what it is now (``after``, None when removed)."""

    where: str
    before: str | None
    after: str | None

    def __str__(self) -> str:
        if self.before is None:
            return f"{self.where} added: {self.after}"
        if self.after is None:
            return f"{self.where} removed (was {self.before})"
        return f"{self.where}: {self.before} -> {self.after}"


def _amount(value: Decimal) -> str:
    return canonical_decimal(value)


def ingredient_renames(
    snapshots: Sequence[Snapshot], ingredient_names: Mapping[uuid.UUID, str]
) -> list[tuple[uuid.UUID, str, str]]:
    """(ingredient id, captured name, live name) of every ingredient renamed since capture, once
    each, in the order first met; a removed ingredient is not a rename."""
    seen: dict[uuid.UUID, tuple[str, str]] = {}
    for snapshot in snapshots:
        if isinstance(snapshot, RecipeSnapshot):
            for line in snapshot.lines:
                live = ingredient_names.get(line.ingredient_id)
                if live is not None and live != line.ingredient_name:
                    seen.setdefault(line.ingredient_id, (line.ingredient_name, live))
    return [(i, before, after) for i, (before, after) in seen.items()]


def definition_changes(
    snapshot: Snapshot,
    live: CapturedDefinition,
    names: Callable[[uuid.UUID], str],
    ingredient_names: Mapping[uuid.UUID, str],
) -> tuple[FieldChange, ...]:
    """What differs between ``snapshot`` and ``live`` (an ingredient's rename not counted).

    ``names(catalog_id)`` names a referenced definition (a sub-recipe, a component) for the
    messages.
    """
    changes: list[FieldChange] = []
    if snapshot.name != live.name:
        changes.append(FieldChange("name", repr(snapshot.name), repr(live.name)))
    if isinstance(snapshot, RecipeSnapshot) and isinstance(live, Recipe):
        changes += aligned_changes(
            "line",
            [
                (x.ingredient_id, x.quantity, x.unit, x.note, x.ingredient_name)
                for x in snapshot.lines
            ],
            [
                (
                    x.ingredient_id,
                    x.quantity,
                    x.unit,
                    x.note,
                    ingredient_names.get(x.ingredient_id, "?"),
                )
                for x in live.lines
            ],
            key=lambda line: (line[0], line[1], line[2], line[3]),
            label=lambda line: str(line[4]),
            show=lambda line: (
                f"{_amount(line[1])} {line[2]}" + (f" ({line[3]})" if line[3] else "")
            ),
        )
        changes += aligned_changes(
            "sub-recipe",
            [(s.recipe_id, s.batches) for s in snapshot.sub_recipes],
            [(s.recipe_id, s.batches) for s in live.sub_recipes],
            key=lambda sub: sub,
            label=lambda sub: names(sub[0]),
            show=lambda sub: f"{_amount(sub[1])} batch",
        )
    elif isinstance(snapshot, FinishedUnitSnapshot) and isinstance(live, FinishedUnit):
        if snapshot.items_per_batch != live.items_per_batch:
            changes.append(
                FieldChange(
                    "items per batch",
                    _amount(snapshot.items_per_batch),
                    _amount(live.items_per_batch),
                )
            )
        if snapshot.recipe_id != live.recipe_id:
            changes.append(FieldChange("recipe", names(snapshot.recipe_id), names(live.recipe_id)))
    elif isinstance(snapshot, FinishedGoodSnapshot) and isinstance(live, FinishedGood):
        changes += aligned_changes(
            "component",
            [(c.kind, c.source_id, c.quantity) for c in snapshot.components],
            [(c.kind, c.ref, c.quantity) for c in live.components],
            key=lambda part: part,
            label=lambda part: names(part[1]),
            show=lambda part: _amount(part[2]),
        )
    return tuple(changes)


def aligned_changes(
    what: str,
    before: Sequence[T],
    after: Sequence[T],
    *,
    key: Callable[[T], Hashable],
    label: Callable[[T], str],
    show: Callable[[T], str],
) -> list[FieldChange]:
    """The changes between two ordered lists, aligned (added, removed, changed in place)."""
    matcher = difflib.SequenceMatcher(
        a=[key(x) for x in before], b=[key(x) for x in after], autojunk=False
    )
    changes: list[FieldChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            old, new = before[i1 + k], after[j1 + k]
            if label(old) == label(new):
                changes.append(
                    FieldChange(f"{what} {j1 + k + 1} ({label(new)})", show(old), show(new))
                )
            else:
                changes.append(
                    FieldChange(
                        f"{what} {j1 + k + 1}",
                        f"{show(old)} {label(old)}",
                        f"{show(new)} {label(new)}",
                    )
                )
        for i in range(i1 + paired, i2):
            changes.append(
                FieldChange(f"{what} {i + 1} ({label(before[i])})", show(before[i]), None)
            )
        for j in range(j1 + paired, j2):
            changes.append(FieldChange(f"{what} {j + 1} ({label(after[j])})", None, show(after[j])))
    return changes
