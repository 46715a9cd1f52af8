"""``snapplan sync``: make the database's catalog match a catalog file, and say what changed.

The file is read and checked first (:mod:`snapplan.cli.catalog_file`); the service
:func:`snapplan.sync_catalog` then compares it with the database and writes what changed, all
or nothing. This module prints the result for people: a summary, what changed field by field,
what the database keeps that the file lacks, names that end up shared, and for events already
planned, how to see what changed for their plans.
"""

from __future__ import annotations

import argparse
import contextlib
from typing import Final

import sqlalchemy as sa

from snapplan.adapters.memory import MemoryStore
from snapplan.cli.catalog_file import CatalogFile, read_catalog
from snapplan.cli.catalog_warnings import catalog_warnings, print_warnings
from snapplan.cli.database import Access, database_url, has_catalog, open_store, shown
from snapplan.cli.money import money
from snapplan.cli.next_steps import db_option, print_next_steps
from snapplan.cli.problems import EXIT_OK, CommandError
from snapplan.cli.terminal import Output
from snapplan.domain.catalog_check import DefinitionKind
from snapplan.domain.catalog_sync import (
    CatalogSync,
    ItemChange,
    PriceChange,
    SharedName,
    SyncAction,
    kind_of,
)
from snapplan.errors import AmbiguousNameError, ConflictError, SnapplanError
from snapplan.ports.unit_of_work import Store
from snapplan.services import sync_catalog

#: Shown at most of the database's items that the file does not have (kept without --prune).
MAX_KEPT_LINES: Final = 10
#: Events of the file given a suggested command after a sync, at most.
MAX_NEXT_EVENTS: Final = 5


def sync(args: argparse.Namespace, out: Output) -> int:
    """Make the database's catalog match a catalog file (all or nothing); print what changed."""
    catalog = read_catalog(args.catalog)
    print_warnings(catalog_warnings(catalog, source=args.catalog))
    url = database_url(args.db)
    with _store(url, dry_run=args.dry_run) as store:
        try:
            result = sync_catalog(
                store.unit_of_work(),
                catalog.items(),
                explicit_ids=catalog.explicit_ids,
                prune=args.prune,
                dry_run=args.dry_run,
                prices=catalog.prices,
            )
        except SnapplanError as error:
            raise CommandError(f"nothing was synced from {args.catalog}: {_why(error)}") from error
    where = f"{args.catalog} into {shown(url)}"
    if not result.changed:
        print(
            f"{shown(url)} already matches {args.catalog}: nothing to do "
            f"({len(result.unchanged)} unchanged)",
            file=out,
        )
    elif args.dry_run:
        print(f"Would sync {where}: {summary(result)} (dry run: nothing was written)", file=out)
    else:
        print(f"Synced {where}: {summary(result)}", file=out)
    for change in result.changes:
        for line in change_lines(change, result, new_ids=not args.dry_run):
            print(f"  {line}", file=out)
    for price in result.prices:
        print(f"  {price_line(price)}", file=out)
    _print_kept(result, out)
    if result.of(SyncAction.REMOVED):
        print(
            "  (plans and their snapshots are never removed: they keep what they captured)",
            file=out,
        )
    print_warnings(shared_name_warning(shared, prune=args.prune) for shared in result.shared_names)
    if not args.dry_run:
        _print_next_steps(args, catalog, result, out)
    return EXIT_OK


def _why(error: SnapplanError) -> str:
    """The service's error in the words of a catalog file."""
    if isinstance(error, AmbiguousNameError):
        label = _label(error.kind)
        listed = ", ".join(str(i) for i in error.ids)
        return (
            f"{len(error.ids)} {label}s in the database are named {error.name!r} ({listed}): "
            f"sync cannot tell which one the file's {label} {error.name!r} is; give it the id "
            'of the one to update (id = "...")'
        )
    if isinstance(error, ConflictError):
        return (
            f"{error} (the database changed while sync ran: run it again to compare with what "
            "is there now)"
        )
    return str(error)


def _store(url: sa.URL, *, dry_run: bool) -> contextlib.AbstractContextManager[Store]:
    """The store to sync: created as by ``load``; for a dry run, never created (a database
    without snapplan's tables compares as an empty catalog)."""
    if not dry_run:
        return open_store(url, Access.CREATE)
    if has_catalog(url):
        return open_store(url, Access.EXISTING)
    return contextlib.nullcontext(MemoryStore())


# -- what changed, for people -------------------------------------------------------------------


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def summary(result: CatalogSync) -> str:
    """``1 added, 2 updated, 0 removed, 15 unchanged`` (and ``, 2 kept (not in the file)``,
    ``, 1 price recorded``)."""
    counts = [f"{len(result.of(action))} {action}" for action in SyncAction]
    counts.append(f"{len(result.unchanged)} unchanged")
    if result.kept:
        counts.append(f"{len(result.kept)} kept (not in the file)")
    if result.prices:
        recorded = len(result.prices)
        counts.append(f"{recorded} price{'' if recorded == 1 else 's'} recorded")
    return ", ".join(counts)


def price_line(change: PriceChange) -> str:
    """``price    product 'Butter 250 g block': 2.50 EUR -> 2.65 EUR`` (a new quote; the
    history keeps the old one)."""
    after = money(change.price, change.currency)
    before = change.before
    shown = after if before is None else f"{money(before.price, before.currency)} -> {after}"
    return f"{'price':<8} product {change.product.name!r}: {shown}"


def change_lines(change: ItemChange, result: CatalogSync, *, new_ids: bool = True) -> list[str]:
    """One change for people, one line per changed field: ``updated  recipe 'Cake': line 1
    (Butter): 225 g -> 250 g``. Removed items show their id (names may be shared, and the file
    no longer names them), added events too (to plan them by id) unless not ``new_ids`` (a dry
    run: an item without an explicit id gets its id when it is written)."""
    item = change.item
    label = f"{_label(change.kind)} {item.name!r}"
    added_event = change.action is SyncAction.ADDED and change.kind is DefinitionKind.EVENT
    if change.action is SyncAction.REMOVED or (added_event and new_ids):
        label += f" ({item.id})"
    head = f"{change.action:<8} {label}"
    if change.fields:
        return [f"{head}: {field}" for field in change.fields]
    plans = result.plans.get(item.id, ()) if change.action is SyncAction.REMOVED else ()
    if len(plans) == 1:
        return [f"{head}: its plan {plans[0]} stays, with its snapshots, readable by plan id"]
    if plans:
        return [
            f"{head}: its {len(plans)} plans stay, with their snapshots, readable by plan id "
            f"(latest {plans[-1]})"
        ]
    return [head]


def shared_name_warning(shared: SharedName, *, prune: bool) -> str:
    """The warning for a name that two items of one kind hold after the sync."""
    listed = ", ".join(str(i) for i in shared.ids)
    hint = "" if prune else " (--prune removes the one the file does not have)"
    return (
        f"after this sync, {len(shared.ids)} {_label(shared.kind)}s in the database are named "
        f"{shared.name!r} ({listed}); commands and later syncs need an id to tell them "
        f"apart{hint}"
    )


def _print_kept(result: CatalogSync, out: Output) -> None:
    count = len(result.kept)
    if not count:
        return
    shown_items = result.kept if count <= MAX_KEPT_LINES else result.kept[: MAX_KEPT_LINES - 1]
    for item in shown_items:
        label = _label(kind_of(item))
        print(f"  kept     {label} {item.name!r} ({item.id}): not in the file", file=out)
    if len(shown_items) < count:
        print(f"  kept     ... and {count - len(shown_items)} more not in the file", file=out)
    print("  (--prune removes what the file does not have)", file=out)


def _print_next_steps(
    args: argparse.Namespace, catalog: CatalogFile, result: CatalogSync, out: Output
) -> None:
    """What to run next: where a planned event may have drifted (a captured definition or
    the event's targets changed), drift and planning again; else plan each event not planned
    yet, and read what each planned one needs."""
    db, hidden = db_option(args)
    changed_events = {c.item.id for c in result.changes if c.kind is DefinitionKind.EVENT}
    drifted, plain = [], []
    for event in catalog.events[:MAX_NEXT_EVENTS]:
        event_id = result.ids[event.id]
        plans = result.plans.get(event_id)
        label = f"   # {event.name!r}"
        if plans and (result.definitions_changed or event_id in changed_events):
            drifted.append(f"snapplan drift {plans[-1]}{db}{label}")
            drifted.append(f"snapplan plan {event_id}{db} --force")
        elif plans:
            plain.append(f"snapplan requirements {event_id}{db}{label}")
        else:
            plain.append(f"snapplan plan {event_id}{db}{label}")
    if drifted:
        print_next_steps(
            out,
            drifted,
            password_hidden=hidden,
            heading="Plans keep what they captured. To see what changed for them, and to plan "
            "again:",
        )
    elif plain:
        print_next_steps(out, plain, password_hidden=hidden)
