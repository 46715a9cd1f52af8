"""The kitchen's commands: produce, assemble, waste, void, progress (EXECUTION.md).

PLAN is a plan id, or an event (id or exact name) meaning its latest plan. RECIPE, GOOD and
ITEM are names or ids of what the plan holds (catalog or snapshot ids; names as captured, exact,
else unique ignoring case). RUN is a run id, or the run's number in the event's ledger with
``--plan``.
"""

from __future__ import annotations

import argparse
import difflib
import uuid
from decimal import Decimal
from typing import TypeVar, overload

from snapplan.cli.buying import void_pantry
from snapplan.cli.database import Access, database_url, open_store
from snapplan.cli.lookup import find_plan
from snapplan.cli.problems import EXIT_OK, CommandError
from snapplan.cli.progress import (
    ASCII_BAR_CHARACTERS,
    BAR_CHARACTERS,
    progress_json,
    progress_table,
    run_summary,
)
from snapplan.cli.render import preferred_units, to_json
from snapplan.cli.tables import amount
from snapplan.cli.terminal import Output
from snapplan.domain.kitchen_amounts import exact_amount, is_fraction_text
from snapplan.domain.ledger import voids_by_run
from snapplan.domain.plan import Plan
from snapplan.domain.runs import AssemblyRun, Run
from snapplan.domain.snapshots import (
    CapturedSnapshot,
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)
from snapplan.errors import NotFoundError, ValidationError
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import (
    plan_progress,
    plan_snapshots,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)

S = TypeVar("S", bound=CapturedSnapshot)


def produce(args: argparse.Namespace, out: Output) -> int:
    """Record batches baked."""
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        plan, snapshots = _plan(uow, args.plan)
        earlier = _keyed(uow, plan, args.key)
        recipe = _in_plan(snapshots, args.recipe, "recipe", RecipeSnapshot)
        unit = (
            _in_plan(snapshots, args.unit, "finished unit", FinishedUnitSnapshot)
            if args.unit
            else None
        )
        run = record_production(
            uow, plan.id, recipe.id, _exact(args.batches, "BATCHES"),
            finished_unit_id=unit.id if unit else None, items=_exact(args.items, "--items"),
            with_sub_recipes=args.with_sub_recipes, key=args.key, note=args.note, by=args.by,
        )  # fmt: skip
        uow.commit()
    _recorded(out, run, earlier)
    return EXIT_OK


def assemble(args: argparse.Namespace, out: Output) -> int:
    """Record goods boxed."""
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        plan, snapshots = _plan(uow, args.plan)
        earlier = _keyed(uow, plan, args.key)
        good = _in_plan(snapshots, args.good, "finished good", FinishedGoodSnapshot)
        run = record_assembly(
            uow, plan.id, good.id, _exact(args.quantity, "QUANTITY"),
            allow_shortage=args.allow_shortage, key=args.key, note=args.note, by=args.by,
        )  # fmt: skip
        uow.commit()
    _recorded(out, run, earlier)
    if isinstance(run, AssemblyRun):
        taken = ", ".join(f"{amount(c.quantity)} {c.name}" for c in run.consumed)
        print(f"  took {taken}" if taken else "  took nothing", file=out)
        for short in run.allowed_shortages:
            print(f"  allowed short: {short}", file=out)
    return EXIT_OK


def waste(args: argparse.Namespace, out: Output) -> int:
    """Record made items lost."""
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        plan, snapshots = _plan(uow, args.plan)
        earlier = _keyed(uow, plan, args.key)
        item = _in_plan(
            snapshots,
            args.item,
            "finished unit or good",
            FinishedUnitSnapshot,
            FinishedGoodSnapshot,
        )
        run = record_waste(
            uow, plan.id, item.id, _exact(args.quantity, "QUANTITY"),
            reason=args.reason, key=args.key, note=args.note, by=args.by,
        )  # fmt: skip
        uow.commit()
    _recorded(out, run, earlier)
    return EXIT_OK


def void(args: argparse.Namespace, out: Output) -> int:
    """Cancel a run (or, with ``--pantry``, a pantry entry)."""
    if args.pantry:
        return void_pantry(args, out)
    with (
        open_store(database_url(args.db), Access.EXISTING) as store,
        store.unit_of_work(writing=True) as uow,
    ):
        run_id = _run_id(uow, args.run, args.plan)
        voided = uow.runs.get(run_id)
        already = voids_by_run(uow.runs.for_event(voided.event_id)).get(voided.id)
        entry = void_run(
            uow, run_id, reason=args.reason, allow_shortage=args.allow_shortage, by=args.by
        )
        uow.commit()
    if already is not None:
        print(
            f"Run {voided.seq} was already voided by run {already.seq} "
            f"({already.reason}): nothing new written",
            file=out,
        )
    else:
        print(f"Run {voided.seq} voided by run {entry.seq}: {run_summary(voided)}", file=out)
    return EXIT_OK


def progress(args: argparse.Namespace, out: Output) -> int:
    """Print what is done and what is left of a plan."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        plan, snapshots = _plan(uow, args.plan)
        done = plan_progress(uow, plan.id)
        event = uow.events.find_many([plan.event_id]).get(plan.event_id)
    if args.json:
        print(to_json(progress_json(done)), file=out)
        return EXIT_OK
    name = repr(event.name) if event is not None else str(plan.event_id)
    state = "complete" if done.complete else "in progress"
    print(f"Plan {plan.id} for {name}: {state}", file=out)
    print(file=out)
    table = progress_table(
        done, preferred=preferred_units(snapshots), exact=args.exact, bars=bar_characters(out)
    )
    print(table.rstrip() or "The plan has no targets.", file=out)
    return EXIT_OK


def bar_characters(out: Output) -> str:
    """The characters of progress bars for ``out``: none unless it is a terminal (a pipe, a
    file and a script get the table alone); block characters where its encoding has them."""
    if not getattr(out, "isatty", lambda: False)():
        return ""
    try:
        BAR_CHARACTERS.encode(getattr(out, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return ASCII_BAR_CHARACTERS
    return BAR_CHARACTERS


# -- naming things -------------------------------------------------------------------------------


def _plan(uow: UnitOfWork, text: str) -> tuple[Plan, dict[uuid.UUID, Snapshot]]:
    """The plan ``text`` names (a plan id, or an event's id or name: its latest plan)."""
    return plan_snapshots(uow, find_plan(uow, text).id)


def _in_plan(snapshots: dict[uuid.UUID, Snapshot], text: str, what: str, *kinds: type[S]) -> S:
    """The snapshot of ``kinds`` named ``text`` in the plan: an id (passed on: the service
    resolves catalog and snapshot ids), else a name, exact, else unique ignoring case."""
    candidates = [s for s in snapshots.values() if isinstance(s, kinds)]
    try:
        wanted = uuid.UUID(text)
    except ValueError:
        pass
    else:
        for snapshot in candidates:
            if wanted in (snapshot.id, snapshot.source_id):
                return snapshot
        raise NotFoundError(wanted, f"the plan holds no {what} {wanted}")
    for exact in (True, False):
        found = {
            s.source_id: s
            for s in candidates
            if (s.name == text if exact else s.name.casefold() == text.casefold())
        }
        if len(found) == 1:
            (snapshot,) = found.values()
            return snapshot
        if len(found) > 1:
            listed = ", ".join(str(i) for i in found)
            raise CommandError(f"{len(found)} {what}s of the plan are named {text!r}: {listed}")
    close = difflib.get_close_matches(text, sorted({s.name for s in candidates}), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CommandError(f"the plan holds no {what} named {text!r}{hint}")


def _run_id(uow: UnitOfWork, text: str, plan_text: str | None) -> uuid.UUID:
    """A run id, or with ``--plan`` the number of a run in the plan's event's ledger."""
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    if plan_text is None or not text.isdigit():
        raise CommandError(f"not a run id: {text!r} (give a run id, or a run number with --plan)")
    plan, _ = _plan(uow, plan_text)
    for entry in uow.runs.for_event(plan.event_id):
        if entry.seq == int(text):
            return entry.id
    raise CommandError(f"the event's ledger has no run {text}")


@overload
def _exact(text: str, what: str) -> str | Decimal: ...
@overload
def _exact(text: None, what: str) -> None: ...
def _exact(text: str | None, what: str) -> str | Decimal | None:
    """An amount argument written as a fraction (``1/2``, ``1 1/2``, ``½``) as its exact
    decimal, refused when it has none (``1/3``); any other text goes on to the service, which
    reads decimals and says what is wrong."""
    if text is None or not is_fraction_text(text):
        return text
    try:
        return exact_amount(text)
    except ValidationError as error:
        raise CommandError(f"{what}: {error}") from None


def _keyed(uow: UnitOfWork, plan: Plan, key: str | None) -> frozenset[uuid.UUID]:
    """The ids of the event's runs recorded with ``key`` (none without a key): a retry returns
    one of them, and the command then says that nothing new was written."""
    if key is None:
        return frozenset()
    return frozenset(run.id for run in uow.runs.for_event(plan.event_id) if run.key == key)


def _recorded(out: Output, run: Run, earlier: frozenset[uuid.UUID]) -> None:
    if run.id in earlier:
        print(
            f"Already recorded as run {run.seq} (same key): nothing new written "
            f"({run_summary(run)})",
            file=out,
        )
    else:
        print(f"Recorded run {run.seq}: {run_summary(run)}", file=out)
