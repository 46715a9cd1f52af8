"""How ``snapplan progress`` shows a plan's progress: a table to read at the bench, or exact
JSON (amounts as strings, like ``requirements --json``)."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from snapplan.cli.render import json_amount
from snapplan.cli.tables import amount, counted, readable, tables
from snapplan.domain.progress import Progress
from snapplan.domain.runs import AssemblyRun, ProductionRun, Run, WasteRun
from snapplan.domain.units import dimension_of


def progress_table(
    progress: Progress,
    *,
    preferred: Mapping[tuple[uuid.UUID, str], str] | None = None,
    exact: bool = False,
    bars: str = "",
) -> str:
    """What is done, what is left, what is on hand: one table per part of the plan.

    ``bars``, two characters (done, to do), adds a bar to each line of the plan, a last column
    ``done`` (``█████░░░░░ 50%``): for a terminal, where people read it; never in a pipe.
    """
    prefer = preferred or {}

    # With bars, one more column; without, none at all.
    done = ("done",) if bars else ()

    def bar(
        total: Decimal | Fraction | None, remaining: Decimal | Fraction | None
    ) -> tuple[str, ...]:
        return (done_bar(total, remaining, bars),) if bars else ()

    def shown(quantity: Any, unit: str, ingredient_id: uuid.UUID) -> str:
        text, _ = readable(
            quantity, unit, preferred=prefer.get((ingredient_id, dimension_of(unit))), exact=exact
        )
        return text

    def ingredient_unit(quantity: Any, unit: str, ingredient_id: uuid.UUID) -> str:
        _, shown_unit = readable(
            quantity, unit, preferred=prefer.get((ingredient_id, dimension_of(unit))), exact=exact
        )
        return shown_unit

    return tables(
        (
            "Baking (batches)",
            ("recipe", "planned", "made", "left", "make-up", *done),
            [
                (
                    r.name,
                    counted(r.planned_batches, exact=exact),
                    counted(r.produced_batches, exact=exact),
                    counted(r.remaining_batches, exact=exact),
                    f"+{r.makeup_batches}" if r.makeup_batches else "",
                    *bar(r.planned_batches, r.remaining_batches),
                )
                for r in progress.recipes
            ],
        ),
        (
            "Finished units",
            ("item", "needed", "made", "boxed", "wasted", "on hand", "still to make", *done),
            [
                (
                    u.name,
                    counted(u.needed, exact=exact),
                    counted(u.produced, exact=exact),
                    counted(u.consumed, exact=exact),
                    counted(u.wasted, exact=exact),
                    counted(u.on_hand, exact=exact),
                    counted(u.remaining, exact=exact),
                    *bar(u.needed, u.remaining),
                )
                for u in progress.finished_units
            ],
        ),
        (
            "Boxing",
            BOXING_HEADER + done,
            [
                (
                    g.name,
                    counted(g.planned, exact=exact),
                    counted(g.assembled, exact=exact),
                    counted(g.consumed, exact=exact),
                    counted(g.wasted, exact=exact),
                    counted(g.on_hand, exact=exact),
                    counted(g.remaining, exact=exact),
                    counted(g.assemblable, exact=exact),
                    *bar(g.planned, g.remaining),
                )
                for g in progress.goods
            ],
        ),
        (
            "Packaging",
            ("material", "needed", "used", "left", *done),
            [
                (
                    _marked(m.name, m.in_plan),
                    counted(m.needed, exact=exact),
                    counted(m.used, exact=exact),
                    counted(m.remaining, exact=exact),
                    *bar(m.needed, m.remaining),
                )
                for m in progress.materials
            ],
        ),
        (
            "Ingredients",
            ("ingredient", "planned", "used", "left", "unit", *done),
            [
                (
                    _marked(i.name, i.in_plan),
                    shown(i.planned, i.unit, i.ingredient_id),
                    shown(i.used, i.unit, i.ingredient_id),
                    shown(i.remaining, i.unit, i.ingredient_id),
                    ingredient_unit(i.planned, i.unit, i.ingredient_id),
                    *bar(i.planned, i.remaining),
                )
                for i in progress.ingredients
            ],
        ),
        (
            "Not counted in this plan (recorded for what it no longer needs)",
            ("run", "what"),
            [(str(run.seq), run_summary(run)) for run in progress.unmatched],
        ),
    )


BOXING_HEADER = ("good", "planned", "boxed", "used", "wasted", "on hand", "left", "can box now")
#: Cells of a bar.
BAR_WIDTH = 10
#: The bar's characters (done, to do) for a terminal that shows them, and for one that does not.
BAR_CHARACTERS = "\u2588\u2591"
ASCII_BAR_CHARACTERS = "#-"


def done_bar(
    total: Decimal | Fraction | None, remaining: Decimal | Fraction | None, characters: str
) -> str:
    """``█████░░░░░ 50%``: how much of ``total`` is done (``total - remaining``), in
    :data:`BAR_WIDTH` cells, each a whole tenth done, and the whole percent done (both rounded
    down: 100 % only when nothing remains). Empty for a line without a total (not in the plan).

    >>> done_bar(Decimal(3), Decimal(1), "#-")
    '######---- 66%'
    """
    if total is None or remaining is None or total <= 0:
        return ""
    done = min(max(1 - Fraction(remaining) / Fraction(total), Fraction(0)), Fraction(1))
    full = math.floor(done * BAR_WIDTH)
    return f"{characters[0] * full}{characters[1] * (BAR_WIDTH - full)} {math.floor(done * 100)}%"


#: After the name of a line the plan does not need: it is there to show what runs used.
NOT_IN_PLAN = "(not in this plan)"


def _marked(name: str, in_plan: bool) -> str:
    return name if in_plan else f"{name} {NOT_IN_PLAN}"


def run_summary(run: Run) -> str:
    """One line a baker reads: what a ledger entry recorded."""
    if isinstance(run, ProductionRun):
        made = f" ({amount(run.items)} made)" if run.items is not None else ""
        batches = "batch" if run.batches == 1 else "batches"
        return f"{amount(run.batches)} {batches} of {run.name}{made}"
    if isinstance(run, AssemblyRun):
        return f"{amount(run.quantity)} x {run.name} assembled"
    if isinstance(run, WasteRun):
        return f"{amount(run.quantity)} x {run.name} wasted ({run.reason})"
    return f"void of run {run.run_id} ({run.reason})"


def progress_json(progress: Progress) -> dict[str, Any]:
    """The progress as JSON-ready data, every amount exact."""
    return {
        "plan_id": str(progress.plan_id),
        "complete": progress.complete,
        "recipes": [
            {
                "recipe_id": str(r.recipe_id),
                "snapshot_id": str(r.snapshot_id),
                "name": r.name,
                "planned_batches": json_amount(r.planned_batches),
                "produced_batches": json_amount(r.produced_batches),
                "remaining_batches": json_amount(r.remaining_batches),
                "makeup_batches": str(r.makeup_batches),
            }
            for r in progress.recipes
        ],
        "finished_units": [
            {
                "finished_unit_id": str(u.finished_unit_id),
                "name": u.name,
                **{
                    f: json_amount(getattr(u, f))
                    for f in ("needed", "produced", "consumed", "wasted", "on_hand", "remaining")
                },
            }
            for u in progress.finished_units
        ],
        "goods": [
            {
                "finished_good_id": str(g.finished_good_id),
                "snapshot_id": str(g.snapshot_id),
                "name": g.name,
                **{
                    f: json_amount(getattr(g, f))
                    for f in (
                        "planned",
                        "assembled",
                        "consumed",
                        "wasted",
                        "on_hand",
                        "remaining",
                        "assemblable",
                    )
                },
            }
            for g in progress.goods
        ],
        "materials": [
            {
                "material_unit_id": str(m.material_unit_id),
                "name": m.name,
                "needed": json_amount(m.needed),
                "used": json_amount(m.used),
                "remaining": json_amount(m.remaining),
                "in_plan": m.in_plan,
            }
            for m in progress.materials
        ],
        "ingredients": [
            {
                "ingredient_id": str(i.ingredient_id),
                "name": i.name,
                "planned": json_amount(i.planned),
                "used": json_amount(i.used),
                "remaining": json_amount(i.remaining),
                "unit": i.unit,
                "in_plan": i.in_plan,
            }
            for i in progress.ingredients
        ],
        "unmatched": [
            {
                "run_id": str(run.id),
                "seq": run.seq,
                "kind": run.kind.value,
                "summary": run_summary(run),
            }
            for run in progress.unmatched
        ],
    }
