"""``snapplan sync``: make the database's catalog match a catalog file, and say what changed.

The engine works in two steps inside one entered unit of work:

- :func:`plan_sync` reads the database's catalog and compares it with the file. It matches each
  item of the file with a stored one (by ``id`` where the file gives one, otherwise by kind and
  name), re-maps the file's references to the matched ids, and returns a :class:`SyncPlan`:
  what to add, update and remove, each change field by field. It writes nothing (``--dry-run``
  stops here).
- :func:`apply_sync` writes the plan: one ``add_many`` per kind, an optimistic ``update`` per
  changed item (on the version it was read at, so a concurrent change is a ``ConflictError``),
  a ``remove`` per pruned item. The caller commits: all or nothing.

Plans and snapshots are never touched: they hold copies of what they captured. An event keeps
its targets' links to snapshots where the target's recipe or good is the same, so planning it
again re-uses them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Final, Literal, TextIO

import attrs
import sqlalchemy as sa

from snapplan.cli.app import DB_VARIABLE
from snapplan.cli.catalog_file import CatalogFile, read_catalog
from snapplan.cli.catalog_warnings import KINDS, catalog_warnings, print_warnings
from snapplan.cli.commands import db_option
from snapplan.cli.database import Access, database_url, has_catalog, open_store, shown
from snapplan.cli.problems import EXIT_OK, CommandError
from snapplan.domain.catalog import (
    CatalogItem,
    Component,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    MaterialUnit,
    Recipe,
)
from snapplan.domain.changes import FieldChange, aligned_changes
from snapplan.domain.events import Event
from snapplan.domain.quantities import canonical_decimal
from snapplan.errors import ConflictError, SnapplanError
from snapplan.ports.unit_of_work import Store, UnitOfWork

Item = CatalogItem | Event
Action = Literal["added", "updated", "removed"]

#: Shown at most of the database's items that the file does not have (kept without --prune).
MAX_KEPT_LINES: Final = 10


@attrs.frozen
class ItemChange:
    """One item added, updated or removed.

    ``item`` is what the database will hold (added, updated) or held (removed); ``before`` is
    the stored item an update replaces; ``fields`` says what changed; ``note`` adds what the
    reader should know (a removed event's plans).
    """

    action: Action
    kind: str
    item: Item
    before: Item | None = None
    fields: tuple[FieldChange, ...] = ()
    note: str = ""

    def label(self, *, new_ids: bool = True) -> str:
        """``recipe 'Cake'``, with the id for removed items (names may be shared, and the file
        no longer names them) and for added events (to plan them by id) if ``new_ids``."""
        text = f"{self.kind} {self.item.name!r}"
        added_event = self.action == "added" and isinstance(self.item, Event)
        if self.action == "removed" or (added_event and new_ids):
            text += f" ({self.item.id})"
        return text

    def lines(self, *, new_ids: bool = True) -> list[str]:
        """The change for people, one line per changed field; ``new_ids=False`` leaves out
        the ids of added items (a dry run: an item without an explicit id gets its id when
        it is written)."""
        head = f"{self.action:<8} {self.label(new_ids=new_ids)}"
        if self.fields:
            return [f"{head}: {field}" for field in self.fields]
        return [f"{head}: {self.note}" if self.note else head]


@attrs.frozen
class SyncPlan:
    """What a sync does: ``changes`` in dependency order (adds and updates, then removals),
    how many items are ``unchanged``, the stored items the file does not have that are
    ``kept`` (without ``--prune``), ``warnings`` (names that end up shared) and each file
    event's latest plan (``planned``, for the hint to check drift)."""

    changes: tuple[ItemChange, ...]
    unchanged: int
    kept: tuple[tuple[str, Item], ...] = ()
    warnings: tuple[str, ...] = ()
    planned: tuple[tuple[Event, uuid.UUID], ...] = ()

    def count(self, action: Action) -> int:
        """How many items the sync adds, updates or removes."""
        return sum(1 for change in self.changes if change.action == action)

    def summary(self) -> str:
        """``1 added, 2 updated, 0 removed, 15 unchanged`` (and ``, 2 kept (not in the file)``)."""
        counts = [f"{self.count(a)} {a}" for a in ("added", "updated", "removed")]
        counts.append(f"{self.unchanged} unchanged")
        if self.kept:
            counts.append(f"{len(self.kept)} kept (not in the file)")
        return ", ".join(counts)

    @property
    def definitions_changed(self) -> bool:
        """Whether a catalog definition (not only an event) is added, updated or removed."""
        return any(not isinstance(change.item, Event) for change in self.changes)


class _Kind:
    """One kind of item: its section, repository, label, and the file's and database's items."""

    def __init__(self, section: str, repository: str, label: str) -> None:
        self.section = section
        self.repository = repository
        self.label = label
        #: file id -> database id (the file's own id for items that are new).
        self.ids: dict[uuid.UUID, uuid.UUID] = {}
        #: The stored item each file item matched (None: new), by file id.
        self.matched: dict[uuid.UUID, Item | None] = {}
        self.stored: tuple[Item, ...] = ()


def plan_sync(uow: UnitOfWork, catalog: CatalogFile, *, prune: bool = False) -> SyncPlan:
    """Compare the catalog of ``uow`` (entered) with ``catalog``; read only.

    Raises :class:`CommandError` when two stored items of one kind share a name that a file
    item without an id needs to be matched by.
    """
    kinds = {section: _Kind(section, repository, label) for section, repository, label in KINDS}
    for kind in kinds.values():
        kind.stored = tuple(getattr(uow, kind.repository).all())
        _match(kind, getattr(catalog, kind.repository), catalog.explicit_ids)
    ids = {section: kind.ids for section, kind in kinds.items()}
    names = _names(kinds, catalog)
    changes: list[ItemChange] = []
    removals: list[ItemChange] = []
    kept: list[tuple[str, Item]] = []
    unchanged = 0
    final: dict[str, list[tuple[Item, bool]]] = {}
    for section, kind in kinds.items():
        final[section] = []
        for file_item in getattr(catalog, kind.repository):
            stored = kind.matched[file_item.id]
            item = _remapped(file_item, ids)
            if stored is None:
                changes.append(ItemChange("added", kind.label, item))
            else:
                item = attrs.evolve(item, id=stored.id, version=stored.version)
                if isinstance(item, Event) and isinstance(stored, Event):
                    item = _keep_snapshot_links(item, stored)
                if item == stored:
                    unchanged += 1
                else:
                    fields = _field_changes(stored, item, names)
                    changes.append(ItemChange("updated", kind.label, item, stored, fields))
            final[section].append((item, True))
        matched = {stored.id for stored in kind.matched.values() if stored is not None}
        for stored in kind.stored:
            if stored.id in matched:
                continue
            if prune:
                removals.append(ItemChange("removed", kind.label, stored))
            else:
                kept.append((kind.label, stored))
                final[section].append((stored, False))
    for removal in removals:
        plans = uow.plans.for_event(removal.item.id) if isinstance(removal.item, Event) else ()
        note = _plans_stay(plans[-1].id, len(plans)) if plans else ""
        changes.append(attrs.evolve(removal, note=note))
    planned = []
    for event in catalog.events:
        event_id = kinds["event"].ids[event.id]
        latest = uow.plans.latest(event_id)
        if latest is not None:
            planned.append((attrs.evolve(event, id=event_id), latest.id))
    warnings = [
        warning
        for section, items in final.items()
        for warning in _shared_names(kinds[section].label, items, prune)
    ]
    return SyncPlan(tuple(changes), unchanged, tuple(kept), tuple(warnings), tuple(planned))


def apply_sync(uow: UnitOfWork, plan: SyncPlan) -> None:
    """Write ``plan`` in ``uow`` (entered; the caller commits): adds, updates, then removals."""
    added: dict[str, list[Item]] = {}
    for change in plan.changes:
        if change.action == "added":
            added.setdefault(_repository(change.item), []).append(change.item)
    for _, repository, _ in KINDS:
        if repository in added:
            getattr(uow, repository).add_many(added[repository])
    for change in plan.changes:
        if change.action == "updated":
            # The item carries the version it was read at: a concurrent change is a conflict.
            getattr(uow, _repository(change.item)).update(change.item)
    for change in reversed(plan.changes):
        if change.action == "removed":
            getattr(uow, _repository(change.item)).remove(change.item.id)


# -- matching -----------------------------------------------------------------------------


def _match(kind: _Kind, items: Sequence[Item], explicit: frozenset[uuid.UUID]) -> None:
    """Match each file item with a stored one: by id where the file gives one, else by name
    among the stored items no explicit id of the file claims."""
    by_id = {stored.id: stored for stored in kind.stored}
    claimed = {item.id for item in items if item.id in explicit and item.id in by_id}
    by_name: dict[str, list[Item]] = {}
    for stored in kind.stored:
        if stored.id not in claimed:
            by_name.setdefault(stored.name, []).append(stored)
    for item in items:
        if item.id in explicit:
            match = by_id.get(item.id)
        else:
            named = by_name.get(item.name, [])
            if len(named) > 1:
                listed = ", ".join(str(stored.id) for stored in named)
                raise CommandError(
                    f"{len(named)} {kind.label}s in the database are named {item.name!r} "
                    f"({listed}): sync cannot tell which one the file's {kind.label} "
                    f'{item.name!r} is; give it the id of the one to update (id = "...")'
                )
            match = named[0] if named else None
        kind.matched[item.id] = match
        kind.ids[item.id] = match.id if match is not None else item.id


def _remapped(item: Item, ids: Mapping[str, Mapping[uuid.UUID, uuid.UUID]]) -> Item:
    """``item`` with every reference to an item of the file turned into the matched id."""
    if isinstance(item, Recipe):
        return attrs.evolve(
            item,
            lines=[
                attrs.evolve(x, ingredient_id=ids["ingredient"][x.ingredient_id])
                for x in item.lines
            ],
            sub_recipes=[
                attrs.evolve(s, recipe_id=ids["recipe"][s.recipe_id]) for s in item.sub_recipes
            ],
        )
    if isinstance(item, FinishedUnit):
        return attrs.evolve(item, recipe_id=ids["recipe"][item.recipe_id])
    if isinstance(item, FinishedGood):
        return attrs.evolve(
            item,
            components=[attrs.evolve(c, ref=ids[c.kind.value][c.ref]) for c in item.components],
        )
    if isinstance(item, Event):
        return attrs.evolve(
            item,
            production_targets=[
                attrs.evolve(t, recipe_id=ids["recipe"][t.recipe_id])
                for t in item.production_targets
            ],
            assembly_targets=[
                attrs.evolve(t, finished_good_id=ids["finished_good"][t.finished_good_id])
                for t in item.assembly_targets
            ],
        )
    return item


def _keep_snapshot_links(event: Event, stored: Event) -> Event:
    """``event`` with the stored snapshot link of each target whose recipe or good the
    stored event targets too (new targets have none): planning again re-uses them."""
    recipes = {t.recipe_id: t.snapshot_id for t in stored.production_targets}
    goods = {t.finished_good_id: t.snapshot_id for t in stored.assembly_targets}
    return attrs.evolve(
        event,
        production_targets=[
            attrs.evolve(t, snapshot_id=recipes.get(t.recipe_id)) for t in event.production_targets
        ],
        assembly_targets=[
            attrs.evolve(t, snapshot_id=goods.get(t.finished_good_id))
            for t in event.assembly_targets
        ],
    )


def _repository(item: Item) -> str:
    return {
        Ingredient: "ingredients",
        Recipe: "recipes",
        FinishedUnit: "finished_units",
        MaterialUnit: "material_units",
        FinishedGood: "finished_goods",
        Event: "events",
    }[type(item)]


def _plans_stay(latest: uuid.UUID, count: int) -> str:
    if count == 1:
        return f"its plan {latest} stays, with its snapshots, readable by plan id"
    return f"its {count} plans stay, with their snapshots, readable by plan id (latest {latest})"


def _shared_names(label: str, items: Sequence[tuple[Item, bool]], prune: bool) -> list[str]:
    """A warning per name that the sync leaves on two items of one kind, one from the file."""
    by_name: dict[str, list[tuple[Item, bool]]] = {}
    for item, from_file in items:
        by_name.setdefault(item.name, []).append((item, from_file))
    found = []
    for name, named in by_name.items():
        if len(named) > 1 and any(from_file for _, from_file in named):
            listed = ", ".join(str(item.id) for item, _ in named)
            hint = "" if prune else " (--prune removes the one the file does not have)"
            found.append(
                f"after this sync, {len(named)} {label}s in the database are named {name!r} "
                f"({listed}); commands and later syncs need an id to tell them apart{hint}"
            )
    return found


# -- what changed, field by field -------------------------------------------------------------


def _names(kinds: Mapping[str, _Kind], catalog: CatalogFile) -> dict[str, dict[uuid.UUID, str]]:
    """Each kind's names by database id: the file's names over the stored ones."""
    names: dict[str, dict[uuid.UUID, str]] = {}
    for section, kind in kinds.items():
        names[section] = {stored.id: stored.name for stored in kind.stored}
        for item in getattr(catalog, kind.repository):
            names[section][kind.ids[item.id]] = item.name
    return names


def _amount(value: Decimal) -> str:
    return canonical_decimal(value)


def _batches(value: Decimal) -> str:
    return f"{_amount(value)} batch" + ("" if value == 1 else "es")


def _field_changes(
    before: Item, after: Item, names: Mapping[str, Mapping[uuid.UUID, str]]
) -> tuple[FieldChange, ...]:
    """What differs between the stored item and the file's, for people."""

    def name(section: str) -> Callable[[uuid.UUID], str]:
        return lambda item_id: names[section].get(item_id, str(item_id))

    changes: list[FieldChange] = []
    if before.name != after.name:
        changes.append(FieldChange("name", repr(before.name), repr(after.name)))
    if isinstance(before, Recipe) and isinstance(after, Recipe):
        ingredient = name("ingredient")
        changes += aligned_changes(
            "line",
            before.lines,
            after.lines,
            key=lambda x: (x.ingredient_id, x.quantity, x.unit, x.note),
            label=lambda x: ingredient(x.ingredient_id),
            show=lambda x: f"{_amount(x.quantity)} {x.unit}" + (f" ({x.note})" if x.note else ""),
        )
        recipe = name("recipe")
        changes += aligned_changes(
            "sub-recipe",
            before.sub_recipes,
            after.sub_recipes,
            key=lambda s: (s.recipe_id, s.batches),
            label=lambda s: recipe(s.recipe_id),
            show=lambda s: _batches(s.batches),
        )
    elif isinstance(before, FinishedUnit) and isinstance(after, FinishedUnit):
        if before.items_per_batch != after.items_per_batch:
            changes.append(
                FieldChange(
                    "items per batch",
                    _amount(before.items_per_batch),
                    _amount(after.items_per_batch),
                )
            )
        if before.recipe_id != after.recipe_id:
            recipe = name("recipe")
            changes.append(
                FieldChange("recipe", repr(recipe(before.recipe_id)), repr(recipe(after.recipe_id)))
            )
    elif isinstance(before, FinishedGood) and isinstance(after, FinishedGood):

        def part(c: Component) -> str:
            return name(c.kind.value)(c.ref)

        changes += aligned_changes(
            "component",
            before.components,
            after.components,
            key=lambda c: (c.kind, c.ref, c.quantity),
            label=part,
            show=lambda c: _amount(c.quantity),
        )
    elif isinstance(before, Event) and isinstance(after, Event):
        if before.date != after.date:
            changes.append(FieldChange("date", _date(before.date), _date(after.date)))
        recipe = name("recipe")
        changes += aligned_changes(
            "production",
            before.production_targets,
            after.production_targets,
            key=lambda t: (t.recipe_id, t.batches),
            label=lambda t: recipe(t.recipe_id),
            show=lambda t: _batches(t.batches),
        )
        good = name("finished_good")
        changes += aligned_changes(
            "assembly",
            before.assembly_targets,
            after.assembly_targets,
            key=lambda t: (t.finished_good_id, t.quantity),
            label=lambda t: good(t.finished_good_id),
            show=lambda t: _amount(t.quantity),
        )
    return tuple(changes)


def _date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


# -- the command ------------------------------------------------------------------------------


def run_sync(args: argparse.Namespace, out: TextIO) -> int:
    """Make the database's catalog match a catalog file (all or nothing); print what changed."""
    catalog = read_catalog(args.catalog)
    print_warnings(catalog_warnings(catalog, source=args.catalog))
    url = database_url(args.db)
    with _store(url, dry_run=args.dry_run) as store:
        try:
            with store.unit_of_work() as uow:
                plan = plan_sync(uow, catalog, prune=args.prune)
                if not args.dry_run:
                    apply_sync(uow, plan)
                    uow.commit()
        except (SnapplanError, CommandError) as error:
            again = (
                " (the database changed while sync ran: run it again to compare with what is "
                "there now)"
                if isinstance(error, ConflictError)
                else ""
            )
            raise CommandError(f"nothing was synced from {args.catalog}: {error}{again}") from error
    where = f"{args.catalog} into {shown(url)}"
    if not plan.changes:
        print(
            f"{shown(url)} already matches {args.catalog}: nothing to do "
            f"({plan.unchanged} unchanged)",
            file=out,
        )
    elif args.dry_run:
        print(f"Would sync {where}: {plan.summary()} (dry run: nothing was written)", file=out)
    else:
        print(f"Synced {where}: {plan.summary()}", file=out)
    for change in plan.changes:
        for line in change.lines(new_ids=not args.dry_run):
            print(f"  {line}", file=out)
    _print_kept(plan, out)
    if plan.count("removed"):
        print(
            "  (plans and their snapshots are never removed: they keep what they captured)",
            file=out,
        )
    print_warnings(plan.warnings)
    if plan.planned and plan.definitions_changed and not args.dry_run:
        _print_next_steps(args, plan, out)
    return EXIT_OK


def _store(url: sa.URL, *, dry_run: bool) -> contextlib.AbstractContextManager[Store]:
    """The store to sync: created as by ``load``; for a dry run, never created (a database
    without snapplan's tables compares as an empty catalog)."""
    if not dry_run:
        return open_store(url, Access.CREATE)
    if has_catalog(url):
        return open_store(url, Access.EXISTING)
    from snapplan.adapters.memory import MemoryStore

    return contextlib.nullcontext(MemoryStore())


def _print_kept(plan: SyncPlan, out: TextIO) -> None:
    count = len(plan.kept)
    if not count:
        return
    shown_items = plan.kept if count <= MAX_KEPT_LINES else plan.kept[: MAX_KEPT_LINES - 1]
    for label, item in shown_items:
        print(f"  kept     {label} {item.name!r} ({item.id}): not in the file", file=out)
    if len(shown_items) < count:
        print(f"  kept     ... and {count - len(shown_items)} more not in the file", file=out)
    print("  (--prune removes what the file does not have)", file=out)


def _print_next_steps(args: argparse.Namespace, plan: SyncPlan, out: TextIO) -> None:
    """Planned events keep their snapshots: point at drift, and at planning again."""
    db, hidden = db_option(args)
    print(
        "\nPlans keep what they captured. To see what changed for them, and to plan again:",
        file=out,
    )
    for event, plan_id in plan.planned:
        print(f"  snapplan drift {plan_id}{db}   # {event.name!r}", file=out)
        print(f"  snapplan plan {event.id}{db} --force", file=out)
    if hidden:
        print(
            f"  (*** stands for the password: type it in, or set {DB_VARIABLE} to the URL "
            "and leave --db out)",
            file=out,
        )
