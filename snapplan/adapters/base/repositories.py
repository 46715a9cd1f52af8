"""The repositories of every store, written once over an adapter's :class:`Table`.

- :class:`Records`: reads (``get``, ``get_many``, ``find_many``, ``count``, ``all``);
- :class:`AppendOnlyRecords`: adds ``add`` and ``add_many`` (snapshots and plans stop here);
- :class:`CatalogRecords`: adds the optimistic ``update`` and ``remove``;
- :class:`PlanRecords`: adds ``for_event``, ``latest`` and the lookups that read no plan's
  targets (``latest_id``, ``event_of``, a plan's ``contents``).

Every call checks its arguments first (an id is a ``uuid.UUID``: anything else is a
``TypeError`` naming the parameter, before any I/O), then the unit of work (entered, in its own
thread, writable for writes, through its :class:`~snapplan.adapters.base.guard.Guard`); every
value added is checked against the repository's types. The same way on every store.

:func:`records_for` gives the class that implements a repository's port
(``RepositorySpec.port``): a new repository of a kind that exists needs nothing here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar, cast

import attrs

from snapplan.adapters.base.guard import Guard
from snapplan.adapters.base.table import LedgerTable, PlanTable, RunTable, Table
from snapplan.domain.catalog import Definition, Ingredient, MaterialUnit
from snapplan.domain.ledger import check_new_links
from snapplan.domain.pantry_entries import PantryRecord
from snapplan.domain.plan import Plan
from snapplan.domain.plan_contents import PlanEntry
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
from snapplan.domain.runs import Run
from snapplan.domain.snapshots import Snapshot
from snapplan.domain.validators import key_problem
from snapplan.errors import ConflictError, ValidationError
from snapplan.ports.repositories import (
    CatalogRepository,
    PantryRepository,
    PlanRepository,
    PriceRepository,
    RunRepository,
    SnapshotRepository,
)
from snapplan.ports.unit_of_work import RepositorySpec


class Identified(Protocol):
    """Every stored value has an ``id``."""

    @property
    def id(self) -> uuid.UUID: ...


T = TypeVar("T", bound=Identified)
V = TypeVar("V", bound=Definition)


class Records(Generic[T]):
    """Reads of one repository."""

    def __init__(self, guard: Guard, spec: RepositorySpec, table: Table[T]) -> None:
        # The unit of work's guard, not the unit itself: the unit holds its repositories, and a
        # pointer back would make every unit of work a reference cycle (see guard.py).
        self._guard = guard
        self._spec = spec
        self._table = table

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._spec.name} ({self._guard.shown()})>"

    def get(self, item_id: uuid.UUID) -> T:
        """The item, or the repository's ``NotFoundError``."""
        _check_id(item_id, "item_id")
        self._guard.require_active()
        found = self._table.fetch([item_id])
        if item_id not in found:
            raise self._spec.not_found(item_id)
        return found[item_id]

    def get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[T, ...]:
        """The items in the order asked; the first missing id raises."""
        wanted = _ids(item_ids, "item_ids")
        self._guard.require_active()
        found = self._table.fetch(list(dict.fromkeys(wanted)))
        for item_id in wanted:
            if item_id not in found:
                raise self._spec.not_found(item_id)
        return tuple(found[item_id] for item_id in wanted)

    def find_many(self, item_ids: Iterable[uuid.UUID]) -> Mapping[uuid.UUID, T]:
        """The items that exist among ``item_ids``, by id, in the order asked."""
        wanted = list(dict.fromkeys(_ids(item_ids, "item_ids")))
        self._guard.require_active()
        found = self._table.fetch(wanted)
        return {item_id: found[item_id] for item_id in wanted if item_id in found}

    def count(self) -> int:
        """How many items this unit of work sees."""
        self._guard.require_active()
        return self._table.count()

    def all(self) -> tuple[T, ...]:
        """Every item, ordered by id."""
        self._guard.require_active()
        return tuple(self._table.scan())

    def _check_type(self, item: object) -> None:
        if not isinstance(item, self._spec.holds):
            names = " or ".join(kind.__name__ for kind in self._spec.holds)
            if len(self._spec.holds) > 1:
                names = "snapshots"
            raise ValidationError(f"{self._spec.name} stores {names}, not {type(item).__name__}")


class AppendOnlyRecords(Records[T]):
    """Reads, plus adding new items."""

    def add(self, item: T) -> None:
        """Stage a new item; a duplicate id raises ``ConflictError`` (now or at commit)."""
        self.add_many((item,))

    def add_many(self, items: Iterable[T]) -> None:
        """Stage many new items in one write; if any is refused, none is staged."""
        self._guard.require_writable()
        batch = list(items)
        for item in batch:
            self._check_type(item)
        self._before_adding(batch)
        if not batch:
            return
        try:
            self._table.insert(batch)
        except ConflictError as error:
            named = self._named_duplicate(batch)
            if named is None:
                raise
            try:
                # chained to what the store saw (the driver's error, for a SQL store)
                raise named from error.__cause__ or error
            finally:
                del named  # this frame, in its traceback, must not hold it: no cycle
        self._after_adding(batch)

    def _after_adding(self, items: list[T]) -> None:
        """What a repository notes once new items are staged (nothing here)."""

    def _named_duplicate(self, batch: list[T]) -> ConflictError | None:
        """The duplicate in ``batch`` (repeated, or already stored), named, if there is one.

        Stores report a duplicate id in their own words (a SQL constraint's name); this says
        which item it is. Asked only after an insert failed.
        """
        seen: set[uuid.UUID] = set()
        for item in batch:
            if item.id in seen:
                return ConflictError(f"{_label(item)} is given twice")
            seen.add(item.id)
        try:
            stored = self._table.fetch(list(seen))
        except ConflictError:
            return None
        for item in batch:
            if item.id in stored:
                return ConflictError(f"{_label(item)} already exists")
        return None

    def _before_adding(self, items: list[T]) -> None:
        """Checks a repository makes on new items (none here)."""


class CatalogRecords(AppendOnlyRecords[V]):
    """Catalog definitions or events, with optimistic versions.

    A product added or changed, or an ingredient or material unit changed or removed, is noted
    on the guard: the rules across an item's products are checked when the unit commits.
    """

    def _after_adding(self, items: list[V]) -> None:
        for item in items:
            touched = _stocked_item(item)
            if touched is not None:
                self._guard.stocked_items.add(touched)

    def update(self, item: V) -> V:
        """Replace an item whose ``version`` is current; the stored version becomes ``+1``."""
        self._guard.require_writable()
        self._check_type(item)
        stored = attrs.evolve(item, version=item.version + 1)
        if not self._table.replace(stored, item.version):
            current = self._table.fetch([item.id]).get(item.id)
            if current is None:
                raise self._spec.not_found(item.id)
            # A unit that reads from a snapshot (MariaDB's REPEATABLE READ) still sees the
            # version it read: the change was committed after its first read.
            moved = (
                f"it is at version {current.version}, not {item.version}"
                if current.version != item.version
                else "it changed after this unit of work first read it"
            )
            raise ConflictError(
                f"{_label(item)} was changed by someone else: {moved} (read it again and retry)"
            )
        touched = _stocked_item(item)
        if touched is not None:
            self._guard.stocked_items.add(touched)
        return stored

    def remove(self, item_id: uuid.UUID) -> None:
        """Remove an item; a missing id raises the repository's ``NotFoundError``."""
        _check_id(item_id, "item_id")
        self._guard.require_writable()
        if not self._table.delete(item_id):
            raise self._spec.not_found(item_id)
        if any(kind in _STOCKED for kind in self._spec.holds):
            self._guard.stocked_items.add(item_id)


class SnapshotRecords(AppendOnlyRecords[Snapshot]):
    """Snapshots: append only, each checked against its digest when it is added.

    A snapshot's children must be stored already or come in the same ``add_many`` (capture
    writes children first), so that its digest can be checked; and the plan it names must be
    stored or added before the unit of work commits (checked at commit).
    """

    def _before_adding(self, items: list[Snapshot]) -> None:
        digests = {snapshot.id: snapshot.digest for snapshot in items}
        wanted = list(dict.fromkeys(c for s in items for c in s.children() if c not in digests))
        if wanted:
            digests.update((i, s.digest) for i, s in self._table.fetch(wanted).items())
        for snapshot in items:
            children = snapshot.children()
            missing = [child for child in children if child not in digests]
            if missing:
                raise ValidationError(
                    f"{_label(snapshot)} points at snapshot {missing[0]}, which is not stored: "
                    "add children first, or in the same add_many"
                )
            if snapshot.expected_digest([digests[child] for child in children]) != snapshot.digest:
                raise ValidationError(
                    f"{_label(snapshot)}: its digest does not match its content and its "
                    "children's digests (a snapshot is made by capture, not by hand)"
                )

    def _after_adding(self, items: list[Snapshot]) -> None:
        # One note per plan named (with its first snapshot, for the message), not per snapshot:
        # a plan's thousands of snapshots name one plan.
        first: dict[uuid.UUID, uuid.UUID] = {}
        for snapshot in items:
            first.setdefault(snapshot.plan_id, snapshot.id)
        self._guard.expect_plans((snapshot_id, plan_id) for plan_id, snapshot_id in first.items())


class PlanRecords(AppendOnlyRecords[Plan]):
    """Plans: append only, in the order recorded per event."""

    def for_event(self, event_id: uuid.UUID) -> tuple[Plan, ...]:
        """The event's plans in the order recorded."""
        _check_id(event_id, "event_id")
        self._guard.require_active()
        return tuple(self._table.where("event_id", event_id))

    def latest(self, event_id: uuid.UUID) -> Plan | None:
        """The event's last recorded plan, or None."""
        latest = self.latest_id(event_id)
        return None if latest is None else self.get(latest)

    def latest_id(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """The id of the event's last recorded plan, or None (no plan's targets read)."""
        _check_id(event_id, "event_id")
        self._guard.require_active()
        plans = self._plans
        if plans is None:
            recorded = self._table.where("event_id", event_id)
            return recorded[-1].id if recorded else None
        return plans.latest_id(event_id)

    def event_of(self, plan_id: uuid.UUID) -> uuid.UUID:
        """The plan's event (``PlanNotFound``), without reading its targets."""
        _check_id(plan_id, "plan_id")
        self._guard.require_active()
        plans = self._plans
        if plans is None:
            plan = self._table.fetch([plan_id]).get(plan_id)
            event_id = None if plan is None else plan.event_id
        else:
            event_id = plans.event_of(plan_id)
        if event_id is None:
            raise self._spec.not_found(plan_id)
        return event_id

    def add_contents(self, plan_id: uuid.UUID, entries: Iterable[PlanEntry]) -> None:
        """Stage a plan's contents, once (see
        :meth:`snapplan.ports.PlanRepository.add_contents`)."""
        _check_id(plan_id, "plan_id")
        self._guard.require_writable()
        if isinstance(entries, (str, bytes)) or not isinstance(entries, Iterable):
            raise TypeError(
                f"entries must be an iterable of PlanEntry, not {type(entries).__name__}"
            )
        batch = list(entries)
        seen: set[uuid.UUID] = set()
        for entry in batch:
            if not isinstance(entry, PlanEntry):
                raise ValidationError(
                    f"a plan's contents are PlanEntry values, not {type(entry).__name__}"
                )
            if entry.snapshot_id in seen:
                raise ValidationError(
                    f"plan {plan_id}: snapshot {entry.snapshot_id} is listed twice in its contents"
                )
            seen.add(entry.snapshot_id)
        plans = self._plans
        if batch and plans is not None:
            plans.insert_contents(plan_id, batch)

    def contents(
        self, plan_id: uuid.UUID, naming: Iterable[uuid.UUID] | None = None
    ) -> tuple[PlanEntry, ...] | None:
        """The plan's entries named by ``naming`` (snapshot, catalog or ``made_from`` id; None:
        all), or None when the plan has no contents."""
        _check_id(plan_id, "plan_id")
        wanted = None if naming is None else list(dict.fromkeys(_ids(naming, "naming")))
        self._guard.require_active()
        plans = self._plans
        found = None if plans is None else plans.find_contents(plan_id, wanted)
        return None if found is None else tuple(found)

    @property
    def _plans(self) -> PlanTable | None:
        """The table as a :class:`PlanTable`, or None for a store's table that is only a
        :class:`Table` (a host's own store written before plans kept their contents: its plans
        have none, and are read whole)."""
        table = self._table
        return cast("PlanTable", table) if hasattr(table, "find_contents") else None


class RunRecords(AppendOnlyRecords[Run]):
    """The execution ledger: append only, in ``seq`` order per event.

    Each entry added must link onto its event's hash chain (the entry at ``seq`` - 1 stored or
    added with it, the digest chained to it), or it is refused: the ledger is append-only, so a
    wrong digest or a hole stored once would break every later read of the event for good.
    """

    def _before_adding(self, items: list[Run]) -> None:
        # What the new entries chain from: per event, the stored entries just before those
        # whose predecessor is not among them (usually one), not the whole ledger.
        batch = {(run.event_id, run.seq) for run in items}
        before: dict[uuid.UUID, list[int]] = {}
        for run in items:
            if run.seq > 1 and (run.event_id, run.seq - 1) not in batch:
                before.setdefault(run.event_id, []).append(run.seq - 1)
        check_new_links(items, lambda event_id: self._numbered(event_id, before[event_id]))

    def _numbered(self, event_id: uuid.UUID, seqs: list[int]) -> list[Run]:
        """The event's stored entries numbered ``seqs``: one lookup each where the table can
        (a :class:`~snapplan.adapters.base.RunTable`), else read from the event's ledger."""
        table = self._table
        if hasattr(table, "numbered"):
            runs = cast("RunTable", table)
            return [run for seq in dict.fromkeys(seqs) for run in runs.numbered(event_id, seq)]
        wanted = set(seqs)
        return [run for run in table.where("event_id", event_id) if run.seq in wanted]

    def for_event(self, event_id: uuid.UUID) -> tuple[Run, ...]:
        """The event's ledger in ``seq`` order."""
        _check_id(event_id, "event_id")
        self._guard.require_active()
        return tuple(sorted(self._table.where("event_id", event_id), key=lambda r: r.seq))

    def for_plan(self, plan_id: uuid.UUID) -> tuple[Run, ...]:
        """The entries recorded against one plan, in ``seq`` order."""
        _check_id(plan_id, "plan_id")
        self._guard.require_active()
        return tuple(sorted(self._table.where("plan_id", plan_id), key=lambda r: r.seq))


class LedgerRecords(AppendOnlyRecords[T]):
    """A ledger numbered by ``seq`` for the whole store (the price history, the pantry): append
    only, with its last ``seq`` and an entry by idempotency key found without reading it all.

    A store's table that is a :class:`~snapplan.adapters.base.LedgerTable` answers both with
    one lookup; a plain :class:`~snapplan.adapters.base.Table` (a host's own store) by reading
    every record, as before.
    """

    def last_seq(self) -> int:
        """The highest ``seq`` this unit sees (0: none)."""
        self._guard.require_active()
        ledger = self._ledger
        if ledger is None:
            records: list[Any] = self._table.scan()
            return max((record.seq for record in records), default=0)
        return ledger.last_seq()

    def with_key(self, key: str) -> T | None:
        """The entry recorded under idempotency key ``key``, or None (also for a text that
        cannot be a key: no entry has it, and no store is asked)."""
        if not isinstance(key, str):
            raise TypeError(f"key must be a str, not {type(key).__name__}")
        self._guard.require_active()
        if key_problem(key) is not None:
            return None
        ledger = self._ledger
        if ledger is None:
            return next((r for r in self._table.scan() if getattr(r, "key", None) == key), None)
        return ledger.keyed(key)

    @property
    def _ledger(self) -> LedgerTable[T] | None:
        """The table as a :class:`LedgerTable`, or None for a table that is only a
        :class:`Table`."""
        table = self._table
        fast = hasattr(table, "last_seq") and hasattr(table, "keyed")
        return cast("LedgerTable[T]", table) if fast else None


def _label(item: Any) -> str:
    """``Recipe 'Cake' (id ...)``: what a message calls a stored value."""
    name = getattr(item, "name", None)
    kind = type(item).__name__
    return f"{kind} {name!r} (id {item.id})" if name else f"{kind} {item.id}"


def _check_id(value: object, parameter: str) -> None:
    """``TypeError`` naming ``parameter`` unless ``value`` is a ``uuid.UUID`` (a string is not:
    services parse ids, repositories take them parsed)."""
    if not isinstance(value, uuid.UUID):
        raise TypeError(f"{parameter} must be a uuid.UUID, not {type(value).__name__}")


def _ids(values: Iterable[uuid.UUID], parameter: str) -> list[uuid.UUID]:
    """``values`` as a list, or ``TypeError`` naming ``parameter`` unless it is an iterable of
    ``uuid.UUID`` (a string is not one: it would be read character by character)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"{parameter} must be an iterable of uuid.UUID, not {type(values).__name__}"
        )
    listed = list(values)
    for value in listed:
        if not isinstance(value, uuid.UUID):
            raise TypeError(
                f"{parameter} must hold uuid.UUID values only, not {type(value).__name__}"
            )
    return listed


#: The class that implements each repository port (``RepositorySpec.port``).
#: What a product is of: ingredients and material units (their products are checked together).
_STOCKED: Final = (Ingredient, MaterialUnit)


def _stocked_item(item: object) -> uuid.UUID | None:
    """The ingredient or material unit whose products ``item`` concerns, if any."""
    if isinstance(item, Product):
        return item.item_id
    if isinstance(item, _STOCKED):
        return item.id
    return None


_RECORDS: Final[Mapping[type, type[Records[Any]]]] = {
    CatalogRepository: CatalogRecords,
    SnapshotRepository: SnapshotRecords,
    PlanRepository: PlanRecords,
    RunRepository: RunRecords,
    PriceRepository: LedgerRecords,
    PantryRepository: LedgerRecords,
}


def records_for(spec: RepositorySpec) -> type[Records[Any]]:
    """The repository class of ``spec`` (``TypeError`` for a port no class implements)."""
    records = _RECORDS.get(spec.port)
    if records is None:
        raise TypeError(f"{spec.name}: no repository class implements {spec.port.__name__}")
    return records


if TYPE_CHECKING:
    # mypy holds each class to the port it stands for in _RECORDS.
    def _catalog(records: CatalogRecords[V]) -> CatalogRepository[V]:
        return records

    def _snapshots(records: SnapshotRecords) -> SnapshotRepository:
        return records

    def _plans(records: PlanRecords) -> PlanRepository:
        return records

    def _runs(records: RunRecords) -> RunRepository:
        return records

    def _prices(records: LedgerRecords[PriceQuote]) -> PriceRepository:
        return records

    def _pantry(records: LedgerRecords[PantryRecord]) -> PantryRepository:
        return records
