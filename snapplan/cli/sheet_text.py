"""A kitchen sheet as plain text: numbered recipe cards, then a packing list per good.

Amounts as a baker measures them (:mod:`snapplan.cli.kitchen_spelling`), exact. Names are
escaped (:func:`~snapplan.cli.terminal.escape`) before columns are measured, so a name can
neither steer the terminal nor break the alignment.
"""

from __future__ import annotations

import uuid

from snapplan.cli.kitchen_spelling import batches_of, kitchen_number, measure
from snapplan.cli.sheet_html import card_numbers, where_made
from snapplan.cli.terminal import escape
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.sheets import KitchenSheet, RecipeCard


def sub_recipe_rows(card: RecipeCard, numbers: dict[uuid.UUID, int]) -> list[tuple[str, str]]:
    """(amount, text) rows for the sub-recipes a card takes, each pointing at its own card
    (none with ``--remaining`` once it is all made)."""
    rows = []
    for sub in card.sub_recipes:
        where = where_made(numbers.get(sub.snapshot_id))
        rows.append((batches_of(sub.batches), f"{sub.name} ({where})"))
    return rows


def sheet_text(found: KitchenSheet, title: str) -> str:
    """The sheet as plain text: numbered cards, then packing lists."""
    out = [escape(title), ""]
    if not found.cards and not found.packing:
        out.append("Nothing left to make.")
        return "\n".join(out)
    numbers = card_numbers(found)
    for number, card in enumerate(found.cards, start=1):
        out.append(f"{number}. {escape(card.name)}: {batches_of(card.batches)}")
        rows = [
            (measure(line.quantity, line.unit), line.ingredient + _note(line.note))
            for line in card.lines
        ]
        rows += sub_recipe_rows(card, numbers)
        out += _aligned(rows)
        for made in card.makes:
            out.append(f"   makes {kitchen_number(made.items)} {escape(made.name)}")
        out.append("")
    if found.packing:
        out += ["Packing", ""]
    for packing in found.packing:
        out.append(f"{escape(packing.name)}: {kitchen_number(packing.quantity)} to box")
        packed = [("each", "in all", "")]
        packed += [
            (kitchen_number(line.each), kitchen_number(line.total), _packed(line.kind, line.name))
            for line in packing.lines
        ]
        width = [max(len(row[i]) for row in packed) for i in (0, 1)]
        out += [f"   {a:<{width[0]}}  {b:<{width[1]}}  {escape(c)}".rstrip() for a, b, c in packed]
        out.append("")
    return "\n".join(out).rstrip()


def _packed(kind: ComponentKind, name: str) -> str:
    return f"{name} (packed above)" if kind is ComponentKind.FINISHED_GOOD else name


def _note(note: str) -> str:
    return f" ({note})" if note else ""


def _aligned(rows: list[tuple[str, str]]) -> list[str]:
    width = max((len(a) for a, _ in rows), default=0)
    return [f"   {a:<{width}}  {escape(b)}" for a, b in rows]
