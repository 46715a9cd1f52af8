"""``snapplan runs``: the event's ledger, entry by entry, with the numbers ``void`` takes.

The ledger is the event's, not the plan's: runs recorded under an earlier plan of the event are
listed too (they still count, see ``snapplan progress``), marked with the plan they were
recorded against. Each entry shows its number, when it was recorded (local time), what it
recorded, who recorded it, its idempotency key, and the void that cancelled it, if any.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Sequence
from typing import Any

from snapplan.cli.database import Access, database_url, open_store
from snapplan.cli.lookup import find_plan
from snapplan.cli.problems import EXIT_OK
from snapplan.cli.progress import run_summary
from snapplan.cli.render import to_json
from snapplan.cli.tables import tables
from snapplan.cli.terminal import Output
from snapplan.cli.times import shown
from snapplan.domain.ledger import voids_by_run
from snapplan.domain.runs import Run, RunVoid


def runs(args: argparse.Namespace, out: Output) -> int:
    """List the ledger of the plan's event."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        plan = find_plan(uow, args.plan)
        ledger = sorted(uow.runs.for_event(plan.event_id), key=lambda run: run.seq)
    if args.json:
        print(to_json(runs_json(ledger)), file=out)
    else:
        print(runs_table(ledger, plan.id), file=out)
    return EXIT_OK


def what(run: Run, numbers: dict[uuid.UUID, int]) -> str:
    """What an entry recorded, a void naming the run it cancels by its number."""
    if isinstance(run, RunVoid):
        cancelled = numbers.get(run.run_id)
        return f"void of run {cancelled if cancelled is not None else run.run_id} ({run.reason})"
    return run_summary(run)


def runs_table(ledger: Sequence[Run], plan_id: uuid.UUID) -> str:
    """The ledger as a table; an entry recorded under another plan of the event is marked."""
    if not ledger:
        return "The event's ledger has no runs yet."
    numbers = {run.id: run.seq for run in ledger}
    voided = voids_by_run(ledger)
    rows = []
    for run in ledger:
        void = voided.get(run.id)
        summary = what(run, numbers)
        if run.plan_id != plan_id:
            summary += f" (plan {run.plan_id})"
        rows.append(
            (
                str(run.seq),
                shown(run.recorded_at),
                summary,
                run.by or "",
                run.key or "",
                f"voided by {void.seq}" if void is not None else "",
            )
        )
    header = ("run", "at", "what", "by", "key", "")
    return tables(("Runs", header, rows)).rstrip()


def runs_json(ledger: Sequence[Run]) -> dict[str, Any]:
    """The ledger as JSON-ready data: times in ISO 8601 UTC, ids as strings."""
    numbers = {run.id: run.seq for run in ledger}
    voided = voids_by_run(ledger)
    return {
        "runs": [
            {
                "seq": run.seq,
                "run_id": str(run.id),
                "kind": run.kind.value,
                "plan_id": str(run.plan_id),
                "recorded_at": run.recorded_at.isoformat(),
                "what": what(run, numbers),
                "by": run.by,
                "key": run.key,
                "note": run.note,
                "voids": numbers.get(run.run_id) if isinstance(run, RunVoid) else None,
                "voided_by": voided[run.id].seq if run.id in voided else None,
            }
            for run in ledger
        ]
    }
