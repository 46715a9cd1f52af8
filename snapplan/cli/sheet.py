"""``snapplan sheet``: the kitchen sheet of a plan, as text or as one printable HTML page.

One card per recipe, scaled to the planned batches (``--remaining``: to what is left to bake,
make-up batches included), ingredients as a baker measures them (``⅓ cup``, ``2 cups + 1
tbsp``: :mod:`snapplan.cli.kitchen_spelling`), exact; sub-recipes first; then a packing list
per finished good. The text is :mod:`snapplan.cli.sheet_text`; ``--html FILE`` writes the page
of :mod:`snapplan.cli.sheet_html` instead.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from snapplan.cli.database import Access, database_url, open_store
from snapplan.cli.lookup import find_plan
from snapplan.cli.problems import EXIT_OK, CommandError
from snapplan.cli.sheet_html import sheet_html
from snapplan.cli.sheet_text import sheet_text
from snapplan.cli.terminal import Output
from snapplan.domain.events import Event
from snapplan.services.sheets import plan_sheet


def sheet(args: argparse.Namespace, out: Output) -> int:
    """Print a plan's kitchen sheet, or write it as an HTML page with ``--html``."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        plan = find_plan(uow, args.plan)
        found = plan_sheet(uow, plan.id, remaining=args.remaining)
        event = uow.events.find_many([plan.event_id]).get(plan.event_id)
    title = sheet_title(event, remaining=args.remaining)
    if args.html is None:
        print(sheet_text(found, title), file=out)
        return EXIT_OK
    _write(Path(args.html), sheet_html(found, title))
    print(f"Wrote {len(found.cards)} recipe cards and {len(found.packing)} packing lists "
          f"to {args.html}", file=out)  # fmt: skip
    return EXIT_OK


def sheet_title(event: Event | None, *, remaining: bool) -> str:
    """``Kitchen sheets for 'Holiday Market' (2026-12-19): the planned batches``."""
    name = f"{event.name!r}" + (f" ({event.date})" if event.date else "") if event else "a plan"
    what = "what is left to make" if remaining else "the planned batches"
    return f"Kitchen sheets for {name}: {what}"


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a file beside it, then a rename)."""
    partial = path.with_name(f"{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8", newline="\n")
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
