"""The catalog and planning commands: demo, load, sync, plan, requirements, drift, export,
verify, check (the kitchen's commands live in :mod:`snapplan.cli.execution`).

Each takes the parsed arguments and the stream to print to, and returns the exit status.
Failures are raised (snapplan errors, :class:`~snapplan.cli.problems.CommandError`, ``OSError``)
and reported by :func:`snapplan.cli.app.main` as one line. The commands suggested after
``Next:`` come from :mod:`snapplan.cli.next_steps`.
"""

from __future__ import annotations

import argparse
import datetime
import shlex
from collections import Counter

from snapplan.cli.buying import buy, cost, count, price, shop, use
from snapplan.cli.buying import pantry_command as pantry
from snapplan.cli.buying_views import entry_text, pantry_table, shopping_text
from snapplan.cli.catalog_file import CatalogFile, read_catalog
from snapplan.cli.catalog_warnings import (
    capped,
    catalog_warnings,
    names_in_database,
    print_warnings,
)
from snapplan.cli.database import Access, database_url, open_store, shown
from snapplan.cli.execution import assemble, produce, progress, void, waste
from snapplan.cli.ledger import runs
from snapplan.cli.lookup import find_event, find_plan
from snapplan.cli.next_steps import db_option, print_next_steps
from snapplan.cli.pictures import graph
from snapplan.cli.problems import EXIT_DRIFT, EXIT_OK, EXIT_PROBLEMS, CommandError
from snapplan.cli.progress import progress_table, run_summary
from snapplan.cli.render import (
    drift_json,
    drift_text,
    export_json,
    preferred_units,
    requirements_json,
    requirements_table,
    to_json,
)
from snapplan.cli.sample import sample_bakery
from snapplan.cli.sheet import sheet
from snapplan.cli.sync import sync
from snapplan.cli.terminal import Output
from snapplan.cli.upgrade import upgrade
from snapplan.domain.events import Event
from snapplan.domain.limits import Limits
from snapplan.errors import SnapplanError
from snapplan.services import (
    check_catalog,
    create_plan,
    plan_drift,
    plan_progress,
    plan_requirements,
    plan_snapshots,
    shopping_list,
    verify_plan,
)
from snapplan.services import pantry as pantry_of


def demo(args: argparse.Namespace, out: Output) -> int:
    """Add the sample bakery to a database, plan its event, print what the plan needs; stock a
    pantry, record a first morning's work, and print what is left to do and to buy."""
    bakery = sample_bakery()
    url = database_url(args.db)
    with open_store(url, Access.DEMO) as store:
        with store.unit_of_work(writing=True) as uow:
            bakery.save(uow)
            result = create_plan(uow, bakery.event.id)
            uow.commit()
        with store.unit_of_work() as uow:
            requirements = plan_requirements(uow, result.plan_id)
            _, snapshots = plan_snapshots(uow, result.plan_id)
            events = uow.events.count()
        evening = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=12)
        stocked = bakery.stock_pantry(store.unit_of_work(), evening)
        kitchen = bakery.first_morning(store.unit_of_work(), result.plan_id)
        done = plan_progress(store.unit_of_work(), result.plan_id)
        held = pantry_of(store.unit_of_work())
        to_buy = shopping_list(store.unit_of_work(), [result.plan_id])
    names = {product.id: product.name for product, _ in bakery.products}
    names.update((i.id, i.name) for i in bakery.ingredients)
    names.update((m.id, m.name) for m in bakery.material_units)
    event = bakery.event
    print(f"Sample bakery planned in {shown(url)}", file=out)
    print(f"  event  {event.id}  {_event_label(event)}", file=out)
    print(f"  plan   {result.plan_id}  ({result.snapshots_written} snapshots)", file=out)
    if events > 1:
        print(
            f"  (the database now holds {events} events: each demo run adds a fresh copy of "
            "the sample with new ids)",
            file=out,
        )
    print(file=out)
    preferred = preferred_units(snapshots)
    print(requirements_table(requirements, preferred=preferred).rstrip(), file=out)
    print(file=out)
    print("The pantry, stocked the evening before (recorded in the pantry's ledger):", file=out)
    for entry in stocked:
        print(f"  entry {entry.seq}  {entry_text(entry, names)}", file=out)
    print(file=out)
    print("The first morning in the kitchen (recorded in the ledger):", file=out)
    for run in kitchen:
        print(f"  run {run.seq}  {run_summary(run)}", file=out)
    print(file=out)
    print(progress_table(done, preferred=preferred).rstrip(), file=out)
    print(file=out)
    print(pantry_table(held), file=out)
    print(file=out)
    shopping_options = argparse.Namespace(all=False, no_pantry=False, policy="cheapest")
    print(shopping_text(to_buy, [event.name], shopping_options, as_of=None), file=out)
    db, hidden = db_option(args)
    plan = result.plan_id
    butter = next(p for p, _ in bakery.products if p.name == "Butter 250 g block")
    print_next_steps(
        out,
        [
            f"snapplan progress {plan}{db}",
            f"snapplan runs {plan}{db}   # the ledger: the numbers snapplan void takes",
            f"snapplan graph {plan}{db}   # the plan's tree, as a Mermaid picture",
            f"snapplan produce {plan} 'Sugar Cookies' 2{db}",
            f"snapplan assemble {plan} 'Holiday Gift Box' 4{db}",
            f"snapplan shop {plan}{db} --explain Butter   # where every gram comes from",
            f"snapplan cost {plan}{db}",
            f"snapplan buy {butter.id} 4 --price 2.45{db}   # {butter.name}",
            f"snapplan requirements {plan}{db} --json",
            f"snapplan verify {plan}{db}",
            f"snapplan drift {plan}{db}",
            f"snapplan plan {event.id}{db} --force   # capture again: a new plan",
        ],
        password_hidden=hidden,
    )
    return EXIT_OK


def load(args: argparse.Namespace, out: Output) -> int:
    """Load a catalog file into a database in one unit of work (all or nothing)."""
    # The whole file is read and checked before the database is touched.
    catalog = read_catalog(args.catalog)
    print_warnings(catalog_warnings(catalog, source=args.catalog))
    url = database_url(args.db)
    with open_store(url, Access.CREATE) as store:
        try:
            with store.unit_of_work(writing=True) as uow:
                already = names_in_database(uow, catalog)
                catalog.save(uow)
                uow.commit()
        except SnapplanError as error:
            raise CommandError(f"nothing was loaded from {args.catalog}: {error}") from error
    counts = catalog.counts()
    summary = ", ".join(
        _count(counts[key], singular) for key, singular in _KINDS if counts[key] or key == "event"
    )
    print(f"Loaded {args.catalog} into {shown(url)}: {summary}", file=out)
    for event in catalog.events:
        print(f"  event  {event.id}  {_event_label(event)}", file=out)
    db, hidden = db_option(args)
    if already:
        instead = f"snapplan sync {shlex.quote(args.catalog)}{db}"
        hint = f"load always adds copies; to update a database from an edited file, use {instead}"
        print_warnings([*capped(already), hint])
    if catalog.events:
        print_next_steps(out, [f"snapplan plan {catalog.events[0].id}{db}"], password_hidden=hidden)
    return EXIT_OK


def plan(args: argparse.Namespace, out: Output) -> int:
    """Plan an event (by id or unambiguous name) and print what was captured."""
    url = database_url(args.db)
    limits = Limits(goods=args.max_good_depth, recipes=args.max_recipe_depth)
    with open_store(url, Access.EXISTING) as store, store.unit_of_work(writing=True) as uow:
        event = find_event(uow, args.event)
        previous = uow.plans.latest(event.id)
        result = create_plan(uow, event.id, force_recreate=args.force, limits=limits)
        uow.commit()
        unchanged = previous is not None and previous.id == result.plan_id
        drift = plan_drift(uow, result.plan_id) if unchanged else None
        _, snapshots = plan_snapshots(uow, result.plan_id)
    db, hidden = db_option(args)
    label = _event_label(event)
    if drift is not None:
        print(f"Event {label} is already planned: plan {result.plan_id} is unchanged.", file=out)
        if drift.changed:
            changed = len(drift.definitions) + len(drift.renamed_ingredients)
            print(
                f"The catalog has changed since ({_count(changed, 'definition')}): "
                f"see snapplan drift {result.plan_id}{db}; --force captures it again in a new "
                "plan.",
                file=out,
            )
        else:
            print("The catalog has not changed since: nothing to capture.", file=out)
    else:
        written = Counter(
            s.kind.value.replace("_", " ")
            for s in snapshots.values()
            if s.plan_id == result.plan_id
        )
        kinds = ", ".join(_count(n, kind) for kind, n in sorted(written.items()))
        print(f"Planned event {label}: plan {result.plan_id}", file=out)
        if previous is not None:
            print(f"  supersedes plan     {previous.id}", file=out)
        print(
            f"  targets captured    {result.recipe_snapshots_created} production, "
            f"{result.finished_good_snapshots_created} assembly",
            file=out,
        )
        print(
            f"  snapshots written   {result.snapshots_written}"
            + (f" ({kinds}: every definition the targets need, once)" if kinds else ""),
            file=out,
        )
    print(f"  root digest         {result.root_digest}", file=out)
    print_next_steps(
        out,
        [
            f"snapplan requirements {result.plan_id}{db}",
            f"snapplan verify {result.plan_id}{db} --expect-root {result.root_digest}",
        ],
        password_hidden=hidden,
    )
    return EXIT_OK


def requirements(args: argparse.Namespace, out: Output) -> int:
    """Print what a plan needs, as tables or JSON."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        plan_id = find_plan(uow, args.plan).id
        needs = plan_requirements(uow, plan_id)
        _, snapshots = plan_snapshots(uow, plan_id)
    if args.json:
        print(to_json(requirements_json(needs)), file=out)
    else:
        table = requirements_table(needs, preferred=preferred_units(snapshots), exact=args.exact)
        print(table.rstrip() or "This plan needs nothing (it has no targets).", file=out)
    return EXIT_OK


def drift(args: argparse.Namespace, out: Output) -> int:
    """Print whether the live catalog still matches a plan's snapshots."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        plan_id = find_plan(uow, args.plan).id
        found = plan_drift(uow, plan_id)
        _, snapshots = plan_snapshots(uow, plan_id)
    names = {s.source_id: s.name for s in snapshots.values()}
    if args.json:
        print(to_json(drift_json(found, names)), file=out)
    else:
        print(drift_text(found, names), file=out)
    return EXIT_DRIFT if args.exit_code and found.changed else EXIT_OK


def verify(args: argparse.Namespace, out: Output) -> int:
    """Check a plan against its digests (and a root digest kept elsewhere)."""
    with open_store(database_url(args.db), Access.EXISTING) as store:
        with store.unit_of_work() as uow:
            plan_id = find_plan(uow, args.plan).id
        checked = verify_plan(store.unit_of_work(), plan_id, expected_root=args.expect_root)
    if checked.ok:
        kept = " and matches the root digest kept for it" if args.expect_root else ""
        print(f"Plan {plan_id}: verified: every snapshot matches its digest{kept}", file=out)
        print(f"  root digest  {checked.root_digest}", file=out)
        return EXIT_OK
    print(f"Plan {plan_id}: {_count(len(checked.problems), 'problem')} found", file=out)
    for problem in checked.problems:
        print(f"  {problem.kind.value.replace('_', ' ')}: {problem.detail}", file=out)
    print(f"  root digest  {checked.root_digest or '(cannot be computed)'}", file=out)
    return EXIT_PROBLEMS


def check(args: argparse.Namespace, out: Output) -> int:
    """Report every cycle and dangling reference of the catalog and its events, and warn about
    unit typos and chains deeper than the default limits."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        report = check_catalog(uow)
        stored = CatalogFile(**{name: getattr(uow, name).all() for name in _CATALOG_NAMES})
    names = {item.id: item.name for item in stored.items()}
    warnings = [] if report.cycles else catalog_warnings(stored)
    for warning in warnings:
        print(f"warning: {warning}", file=out)
    if report.ok:
        print("The catalog is consistent: no cycle, no dangling reference.", file=out)
        return EXIT_OK
    for loop in report.cycles:
        print("cycle: " + " -> ".join(repr(names.get(i, str(i))) for i in loop), file=out)
    for ref in report.dangling:
        owner = names.get(ref.owner_id, str(ref.owner_id))
        print(
            f"{ref.owner_kind.value.replace('_', ' ')} {owner!r} names "
            f"{ref.ref_kind.value.replace('_', ' ')} {ref.ref_id}, which does not exist",
            file=out,
        )
    return EXIT_PROBLEMS


_CATALOG_NAMES = (
    "ingredients", "recipes", "finished_units", "material_units", "products", "finished_goods",
    "events",
)  # fmt: skip


def export(args: argparse.Namespace, out: Output) -> int:
    """Print a plan and all its snapshots as JSON."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        the_plan, snapshots = plan_snapshots(uow, find_plan(uow, args.plan).id)
    print(to_json(export_json(the_plan, snapshots)), file=out)
    return EXIT_OK


_KINDS = (
    ("ingredient", "ingredient"),
    ("recipe", "recipe"),
    ("finished_unit", "finished unit"),
    ("material_unit", "material unit"),
    ("product", "product"),
    ("finished_good", "finished good"),
    ("event", "event"),
)


def _count(n: int, singular: str) -> str:
    return f"{n} {singular}" if n == 1 else f"{n} {singular}s"


def _event_label(event: Event) -> str:
    return f"{event.name!r}" + (f" ({event.date.isoformat()})" if event.date else "")


__all__ = [
    "assemble", "check", "demo", "drift", "export", "load", "plan", "produce",
    "progress", "requirements", "sync", "verify", "void", "waste",
]  # fmt: skip
# The buying commands (snapplan.cli.buying), kept apart from the list above.
__all__ += ["buy", "cost", "count", "pantry", "price", "shop", "use"]
# The kitchen sheet (snapplan.cli.sheet).
__all__ += ["sheet"]
# The ledger and the pictures (issue 17), kept apart too.
__all__ += ["graph", "runs"]
# The upgrade command (snapplan.cli.upgrade), kept apart too.
__all__ += ["upgrade"]
