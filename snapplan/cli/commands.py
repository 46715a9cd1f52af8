"""The commands: demo, load, sync, plan, requirements, drift, export.

Each takes the parsed arguments and the stream to print to, and returns the exit status.
Failures are raised (snapplan errors, :class:`~snapplan.cli.problems.CommandError`, ``OSError``)
and reported by :func:`snapplan.cli.app.main` as one line.

The commands suggested after ``Next:`` carry ``--db`` as the user gave it, with ``***`` for a
password, and leave it out when it came from ``SNAPPLAN_DB`` (still set for those commands).
"""

from __future__ import annotations

import argparse
import shlex
import uuid
from collections.abc import Sequence
from typing import TextIO

from snapplan.cli.app import DB_VARIABLE
from snapplan.cli.catalog_file import read_catalog
from snapplan.cli.catalog_warnings import (
    capped,
    catalog_warnings,
    names_in_database,
    print_warnings,
)
from snapplan.cli.database import Access, as_option, database_url, open_store, shown
from snapplan.cli.problems import EXIT_DRIFT, EXIT_OK, CommandError
from snapplan.cli.render import (
    drift_text,
    export_json,
    requirements_json,
    requirements_table,
    to_json,
)
from snapplan.domain.events import Event
from snapplan.errors import SnapplanError
from snapplan.example import sample_bakery
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import create_plan, plan_drift, plan_requirements, plan_snapshots


def demo(args: argparse.Namespace, out: TextIO) -> int:
    """Add the sample bakery to a database, plan its event, print what the plan needs."""
    bakery = sample_bakery()
    url = database_url(args.db)
    with open_store(url, Access.DEMO) as store:
        with store.unit_of_work() as uow:
            bakery.save(uow)
            result = create_plan(uow, bakery.event.id)
            uow.commit()
        with store.unit_of_work() as uow:
            requirements = plan_requirements(uow, result.plan_id)
            events = uow.events.count()
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
    print(requirements_table(requirements).rstrip(), file=out)
    db, hidden = db_option(args)
    plan = result.plan_id
    _next_steps(
        out,
        [
            f"snapplan requirements {plan}{db} --json",
            f"snapplan drift {plan}{db}",
            f"snapplan export {plan}{db}",
            f"snapplan plan {event.id}{db} --force   # capture again: a new plan",
        ],
        password_hidden=hidden,
    )
    return EXIT_OK


def load(args: argparse.Namespace, out: TextIO) -> int:
    """Load a catalog file into a database in one unit of work (all or nothing)."""
    # The whole file is read and checked before the database is touched.
    catalog = read_catalog(args.catalog)
    print_warnings(catalog_warnings(catalog, source=args.catalog))
    url = database_url(args.db)
    with open_store(url, Access.CREATE) as store:
        try:
            with store.unit_of_work() as uow:
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
        _next_steps(out, [f"snapplan plan {catalog.events[0].id}{db}"], password_hidden=hidden)
    return EXIT_OK


def sync(args: argparse.Namespace, out: TextIO) -> int:
    """Make the database's catalog match a catalog file (see :mod:`snapplan.cli.sync`)."""
    from snapplan.cli.sync import run_sync

    return run_sync(args, out)


def plan(args: argparse.Namespace, out: TextIO) -> int:
    """Plan an event (by id or unambiguous name) and print what was captured."""
    url = database_url(args.db)
    with open_store(url, Access.EXISTING) as store, store.unit_of_work() as uow:
        event = _find_event(uow, args.event)
        previous = uow.plans.latest(event.id)
        result = create_plan(uow, event.id, force_recreate=args.force)
        uow.commit()
    if previous is not None and previous.id == result.plan_id:
        print(
            f"Event {_event_label(event)} is already planned and nothing changed: "
            f"plan {result.plan_id} (use --force to capture again)",
            file=out,
        )
    else:
        print(f"Planned event {_event_label(event)}: plan {result.plan_id}", file=out)
        if previous is not None:
            print(f"  supersedes plan                  {previous.id}", file=out)
        print(f"  recipe snapshots created         {result.recipe_snapshots_created}", file=out)
        print(
            f"  finished-good snapshots created  {result.finished_good_snapshots_created}",
            file=out,
        )
        print(f"  snapshots written                {result.snapshots_written}", file=out)
    db, hidden = db_option(args)
    _next_steps(out, [f"snapplan requirements {result.plan_id}{db}"], password_hidden=hidden)
    return EXIT_OK


def requirements(args: argparse.Namespace, out: TextIO) -> int:
    """Print what a plan needs, as tables or JSON."""
    plan_id = _plan_id(args.plan)
    with open_store(database_url(args.db), Access.EXISTING) as store:
        needs = plan_requirements(store.unit_of_work(), plan_id)
    if args.json:
        print(to_json(requirements_json(needs)), file=out)
    else:
        table = requirements_table(needs).rstrip()
        print(table or "This plan needs nothing (it has no targets).", file=out)
    return EXIT_OK


def drift(args: argparse.Namespace, out: TextIO) -> int:
    """Print whether the live catalog still matches a plan's snapshots."""
    plan_id = _plan_id(args.plan)
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        found = plan_drift(uow, plan_id)
        _, snapshots = plan_snapshots(uow, plan_id)
    names = {s.source_id: s.name for s in snapshots.values()}
    print(drift_text(found, names), file=out)
    return EXIT_DRIFT if args.exit_code and found.changed else EXIT_OK


def export(args: argparse.Namespace, out: TextIO) -> int:
    """Print a plan and all its snapshots as JSON."""
    plan_id = _plan_id(args.plan)
    with open_store(database_url(args.db), Access.EXISTING) as store:
        the_plan, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    print(to_json(export_json(the_plan, snapshots)), file=out)
    return EXIT_OK


_KINDS = (
    ("ingredient", "ingredient"),
    ("recipe", "recipe"),
    ("finished_unit", "finished unit"),
    ("material_unit", "material unit"),
    ("finished_good", "finished good"),
    ("event", "event"),
)


def _count(n: int, singular: str) -> str:
    return f"{n} {singular}" if n == 1 else f"{n} {singular}s"


def _event_label(event: Event) -> str:
    return f"{event.name!r}" + (f" ({event.date.isoformat()})" if event.date else "")


def db_option(args: argparse.Namespace) -> tuple[str, bool]:
    """`` --db DB`` for a suggested command, and whether ``***`` stands for a password in it.

    Empty when ``--db`` came from ``SNAPPLAN_DB``: the suggested command finds it there too.
    """
    if getattr(args, "db_from_environment", False):
        return "", False
    text, hidden = as_option(args.db)
    return f" --db {shlex.quote(text)}", hidden


def _next_steps(out: TextIO, commands: Sequence[str], *, password_hidden: bool = False) -> None:
    print("\nNext:", file=out)
    for command in commands:
        print(f"  {command}", file=out)
    if password_hidden:
        print(
            f"  (*** stands for the password: type it in, or set {DB_VARIABLE} to the URL "
            "and leave --db out)",
            file=out,
        )


def _plan_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CommandError(
            f"not a plan id: {text!r} (a plan id is a UUID, as printed by snapplan plan)"
        ) from None


def _find_event(uow: UnitOfWork, text: str) -> Event:
    """The event with id ``text``, else the one event named exactly ``text``."""
    try:
        event_id = uuid.UUID(text)
    except ValueError:
        pass
    else:
        return uow.events.get(event_id)
    named = [event for event in uow.events.all() if event.name == text]
    if len(named) == 1:
        return named[0]
    if not named:
        raise CommandError(f"no event with id or name {text!r}")
    ids = ", ".join(str(event.id) for event in named)
    raise CommandError(f"{len(named)} events are named {text!r}; give one of their ids: {ids}")
