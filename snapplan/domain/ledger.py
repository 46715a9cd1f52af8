"""Reading an event's ledger: what is live, what is on hand, what a run or a void would do.

Stock is physical: a cookie is a cookie whichever snapshot it was baked from, so on hand is kept
by (kind, catalog id) over every live run of the event's ledger (the runs of every plan of the
event: each plan supersedes the previous one). A run is *live* unless a void cancels it; voids
themselves are never live. Packaging (material units) has no stock.

Before any of this is trusted, the ledger as read is checked against its hash chain
(:func:`chain_breaks`, :func:`check_chain`; the digests are :mod:`snapplan.domain.chain`'s).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.chain import chain_start
from snapplan.domain.quantities import exact_arithmetic
from snapplan.domain.runs import AssemblyRun, ProductionRun, Run, RunVoid, Shortage, WasteRun
from snapplan.errors import LedgerIntegrityError, ValidationError

#: A stocked item: finished units and finished goods, by catalog id.
Item = tuple[ComponentKind, uuid.UUID]


@attrs.frozen
class ChainBreak:
    """Where an event's hash chain breaks: run number ``seq`` of ``event_id`` (``run_id``: the
    stored entry, None when it is missing) and what is wrong, in a sentence (``detail``)."""

    event_id: uuid.UUID
    seq: int
    run_id: uuid.UUID | None
    detail: str


def chain_breaks(event_id: uuid.UUID, ledger: Iterable[Run]) -> list[ChainBreak]:
    """Everything wrong with an event's ledger as read (``ledger``: the entries stored for
    ``event_id``, in any order), by run number.

    - A hole: run numbers must be 1, 2, 3 … without a gap; each missing stretch is one break,
      at its first missing number. (Runs removed from the *end* leave no hole: only a digest
      kept outside the store shows that; see ``docs/explanation/integrity.md``.)
    - A run whose stored digest is not the one its content and the stored digest of the run
      before it give: the run, or the digest of the run before it, was changed after it was
      recorded. A run right after a hole cannot be checked (what it chained from is gone).
    - A run number taken twice, or a run of another event among them (only tampering makes
      either).
    """
    breaks: list[ChainBreak] = []
    by_seq: dict[int, Run] = {}
    for entry in sorted(ledger, key=lambda e: e.seq):
        label = f"run {entry.seq} ({entry.id}) of event {event_id}"
        if entry.event_id != event_id:
            breaks.append(
                ChainBreak(
                    event_id,
                    entry.seq,
                    entry.id,
                    f"{label} says it belongs to event {entry.event_id}: it was moved",
                )
            )
        elif entry.seq in by_seq:
            twin = by_seq[entry.seq]
            breaks.append(
                ChainBreak(
                    event_id,
                    entry.seq,
                    entry.id,
                    f"{label} takes the number of run {twin.id}: a run was copied in",
                )
            )
        else:
            by_seq[entry.seq] = entry
    expected = 1
    for seq, entry in by_seq.items():
        if seq > expected:
            stretch = f"run {expected}" if seq == expected + 1 else f"runs {expected} to {seq - 1}"
            breaks.append(
                ChainBreak(
                    event_id,
                    expected,
                    None,
                    f"{stretch} of event {event_id} {'is' if seq == expected + 1 else 'are'} "
                    "missing: the ledger has a hole",
                )
            )
        expected = seq + 1
        if seq == 1:
            previous = chain_start(event_id)
        elif seq - 1 in by_seq:
            previous = by_seq[seq - 1].digest
        else:
            continue
        if entry.expected_digest(previous) != entry.digest:
            after = "" if seq == 1 else f", or the digest of run {seq - 1} before it,"
            breaks.append(
                ChainBreak(
                    event_id,
                    seq,
                    entry.id,
                    f"run {seq} ({entry.id}) of event {event_id} does not match its digest: "
                    f"its content{after} was changed after it was recorded",
                )
            )
    breaks.sort(key=lambda b: b.seq)
    return breaks


def check_chain(event_id: uuid.UUID, ledger: Iterable[Run]) -> None:
    """Raise ``LedgerIntegrityError`` naming the first break of an event's ledger as read (see
    :func:`chain_breaks`); nothing if the chain holds."""
    breaks = chain_breaks(event_id, ledger)
    if breaks:
        first = breaks[0]
        more = f" (and {len(breaks) - 1} more problems)" if len(breaks) > 1 else ""
        raise LedgerIntegrityError(
            first.event_id, first.seq, f"{first.detail}{more}; run verify_plan"
        )


def check_new_links(entries: Sequence[Run], stored: Callable[[uuid.UUID], Iterable[Run]]) -> None:
    """``ValidationError`` unless every new entry links onto its event's chain: the entry before
    it (``seq`` - 1) is among ``entries`` or ``stored(event_id)``, and its ``digest`` is the one
    its content and that entry's digest give (see :meth:`~snapplan.domain.runs.LedgerEntry.after`).
    ``stored`` is asked once per event, and only for an event whose new entries do not link
    among themselves (a first entry links to the event id).

    A ``seq`` already taken is not refused here: storing it is the conflict two recorders of one
    event meet (``ConflictError``), safe to retry.
    """
    digests = {(e.event_id, e.seq): e.digest for e in entries}
    read: set[uuid.UUID] = set()
    for entry in entries:
        label = f"{type(entry).__name__} {entry.id} (run {entry.seq} of event {entry.event_id})"
        before = (entry.event_id, entry.seq - 1)
        if entry.seq > 1 and before not in digests and entry.event_id not in read:
            read.add(entry.event_id)
            for old in stored(entry.event_id):
                digests.setdefault((old.event_id, old.seq), old.digest)
        if entry.seq == 1:
            previous = chain_start(entry.event_id)
        elif before in digests:
            previous = digests[before]
        else:
            raise ValidationError(
                f"{label} would leave a hole in the ledger: run {entry.seq - 1} of the event "
                "is not stored"
            )
        if entry.expected_digest(previous) != entry.digest:
            raise ValidationError(
                f"{label}: its digest does not chain from the run before it (entries are made "
                f"by the record_* services or by {type(entry).__name__}.after(previous, ...))"
            )


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
