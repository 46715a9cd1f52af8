"""Reading an event's ledger: what is live, what is on hand, what a run or a void would do.

Stock is physical: a cookie is a cookie whichever snapshot it was baked from, so on hand is kept
by (kind, catalog id) over every live run of the event's ledger (the runs of every plan of the
event: each plan supersedes the previous one). A run is *live* unless a void cancels it; voids
themselves are never live. Packaging (material units) has no stock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.quantities import exact_arithmetic
from snapplan.domain.runs import AssemblyRun, ProductionRun, Run, RunVoid, Shortage, WasteRun

#: A stocked item: finished units and finished goods, by catalog id.
Item = tuple[ComponentKind, uuid.UUID]


def voids_by_run(ledger: Iterable[Run]) -> dict[uuid.UUID, RunVoid]:
    """The void of each voided run, by the voided run's id."""
    return {entry.run_id: entry for entry in ledger if isinstance(entry, RunVoid)}


def live_runs(ledger: Sequence[Run]) -> list[ProductionRun | AssemblyRun | WasteRun]:
    """The runs no void cancels, in ``seq`` order (voids are never live)."""
    voided = voids_by_run(ledger)
    return [
        entry
        for entry in sorted(ledger, key=lambda e: e.seq)
        if not isinstance(entry, RunVoid) and entry.id not in voided
    ]


def next_seq(ledger: Iterable[Run]) -> int:
    """The ``seq`` the next entry of this ledger takes."""
    return 1 + max((entry.seq for entry in ledger), default=0)


def stock_effects(run: ProductionRun | AssemblyRun | WasteRun) -> dict[Item, Decimal]:
    """What ``run`` did to on-hand stock, by item (positive: made; negative: taken), exactly as
    the run recorded it."""
    effects: dict[Item, Decimal] = defaultdict(Decimal)
    with exact_arithmetic():
        if isinstance(run, ProductionRun):
            if run.finished_unit_id is not None and run.items is not None:
                effects[ComponentKind.FINISHED_UNIT, run.finished_unit_id] += run.items
        elif isinstance(run, AssemblyRun):
            effects[ComponentKind.FINISHED_GOOD, run.finished_good_id] += run.quantity
            for part in run.consumed:
                if part.kind is not ComponentKind.MATERIAL_UNIT:
                    effects[part.kind, part.id] -= part.quantity
        else:
            effects[run.item_kind, run.item_id] -= run.quantity
    return dict(effects)


def on_hand(runs: Iterable[ProductionRun | AssemblyRun | WasteRun]) -> dict[Item, Decimal]:
    """Stock on hand after ``runs`` (the live runs of a ledger), by item."""
    stock: dict[Item, Decimal] = defaultdict(Decimal)
    with exact_arithmetic():
        for run in runs:
            for item, change in stock_effects(run).items():
                stock[item] += change
    return dict(stock)


def shortages(
    needed: Mapping[Item, Decimal], stock: Mapping[Item, Decimal], names: Mapping[Item, str]
) -> list[Shortage]:
    """A :class:`Shortage` for every item of which more is ``needed`` than is in ``stock``."""
    return [
        Shortage(kind, item_id, names[kind, item_id], amount, stock.get((kind, item_id), _ZERO))
        for (kind, item_id), amount in needed.items()
        if amount > stock.get((kind, item_id), _ZERO)
    ]


def void_shortages(
    run: ProductionRun | AssemblyRun | WasteRun,
    stock: Mapping[Item, Decimal],
    names: Mapping[Item, str],
) -> list[Shortage]:
    """What voiding ``run`` would drive below zero: each :class:`Shortage` ``needed`` is what
    the void takes back, ``on_hand`` what is there now."""
    taken_back = {item: change for item, change in stock_effects(run).items() if change > 0}
    return shortages(taken_back, stock, names)


_ZERO = Decimal(0)
