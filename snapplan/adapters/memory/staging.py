"""A memory unit of work's private helper: its staged changes over the committed state.

Writes are staged in an overlay (id → new item, or removed) and published at commit. For every
id it touches, the staging area remembers the version it saw committed; publication re-checks
those under the store's lock, so a concurrent writer that got there first makes the commit fail
with ``ConflictError`` and publish nothing. A journal of every staged change lets savepoints
undo exactly their own work.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from snapplan.adapters.memory.state import (
    CONTENTS,
    REMOVED,
    TABLES,
    CommittedState,
    PlanContents,
    stored_version,
    unique_key,
)
from snapplan.domain.plan_contents import PlanEntry
from snapplan.errors import ConflictError
from snapplan.ports.unit_of_work import RepositorySpec

_MISSING: Final[Any] = object()


class Staging:
    """Staged changes of one unit of work (see the module docstring)."""

    def __init__(self, state: CommittedState) -> None:
        self.state = state
        self._overlay: dict[str, dict[uuid.UUID, Any]] = {t: {} for t in TABLES}
        # table -> id -> the version seen committed (None: absent), for every id touched
        self._expected: dict[str, dict[uuid.UUID, int | None]] = {t: {} for t in TABLES}
        # Undo journal for savepoints, one entry per staging call (a batch of 30,000 snapshots
        # is one entry, not 30,000 tuples): (table, ids, their previous overlay entries,
        # whether each had an expectation already).
        self._journal: list[tuple[str, list[uuid.UUID], list[Any], list[bool]]] = []

    def reset(self) -> None:
        """Drop every staged change."""
        for changes in self._overlay.values():
            changes.clear()
        for versions in self._expected.values():
            versions.clear()
        self._journal.clear()

    def publish(self) -> None:
        """Publish every staged change atomically (or raise ``ConflictError``), then reset."""
        try:
            self.state.publish(self._overlay, self._expected)
        finally:
            self.reset()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo exactly the changes staged inside the block if an exception leaves it."""
        mark = len(self._journal)
        try:
            yield
        except BaseException:
            self._undo_to(mark)
            raise

    def _undo_to(self, mark: int) -> None:
        while len(self._journal) > mark:
            table, ids, previous, had_expectation = self._journal.pop()
            overlay, expected = self._overlay[table], self._expected[table]
            for item_id, entry, had in zip(
                reversed(ids), reversed(previous), reversed(had_expectation), strict=True
            ):
                if entry is _MISSING:
                    del overlay[item_id]
                else:
                    overlay[item_id] = entry
                if not had:
                    del expected[item_id]

    def current(self, table: str, item_id: uuid.UUID) -> Any:
        """The item as this unit sees it (staged over committed), or None."""
        staged = self._overlay[table].get(item_id, _MISSING)
        if staged is not _MISSING:
            return None if staged is REMOVED else staged
        with self.state.lock:
            return self.state.tables[table].get(item_id)

    def stage(self, table: str, ids: list[uuid.UUID], items: Sequence[Any]) -> None:
        """Stage ``items`` (or ``REMOVED``) for ``ids`` (no repeats), journaled for
        savepoints."""
        overlay, expected = self._overlay[table], self._expected[table]
        had = [item_id in expected for item_id in ids]
        if not all(had):
            with self.state.lock:
                committed = self.state.tables[table]
                for item_id, seen in zip(ids, had, strict=True):
                    if not seen:
                        expected[item_id] = stored_version(committed.get(item_id))
        self._journal.append((table, ids, [overlay.get(i, _MISSING) for i in ids], had))
        overlay.update(zip(ids, items, strict=True))

    def staged(self, table: str) -> dict[uuid.UUID, Any]:
        """This unit's staged entries of a table (read only, please)."""
        return self._overlay[table]


class MemoryTable:
    """One repository's records as a memory unit of work sees them (a :class:`Table`)."""

    def __init__(self, staging: Staging, spec: RepositorySpec) -> None:
        self._staging = staging
        self._name = spec.name
        self._unique = spec.unique
        self._indexed = spec.indexed

    def fetch(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """The records among ``ids`` this unit sees."""
        staged = self._staging.staged(self._name)
        found: dict[uuid.UUID, Any] = {}
        state = self._staging.state
        with state.lock:
            committed = state.tables[self._name]
            for item_id in ids:
                item = staged.get(item_id, _MISSING)
                if item is _MISSING:
                    item = committed.get(item_id)
                if item is not None and item is not REMOVED:
                    found[item_id] = item
        return found

    def insert(self, items: Sequence[Any]) -> None:
        """Stage new records after checking every id (and unique key) is new: nothing is staged
        on a duplicate."""
        seen: set[uuid.UUID] = set()
        existing = self.fetch([item.id for item in items])
        for item in items:
            if item.id in seen or item.id in existing:
                raise ConflictError(f"{self._name}: id {item.id} already exists")
            seen.add(item.id)
        self._check_unique(items)
        self._staging.stage(self._name, [item.id for item in items], items)

    def _check_unique(self, items: Sequence[Any]) -> None:
        groups = self._unique
        if not groups:
            return
        staged = [i for i in self._staging.staged(self._name).values() if i is not REMOVED]
        state = self._staging.state
        for columns in groups:
            # this unit's own keys, and the committed ones looked up one by one (a copy of
            # them all would make every addition cost the size of the table)
            taken = {k for k in (unique_key(i, columns) for i in staged) if k is not None}
            committed = state.unique[self._name, columns]
            for item in items:
                key = unique_key(item, columns)
                if key is None:
                    continue
                with state.lock:
                    held = key in committed
                if held or key in taken:
                    shown = ", ".join(f"{c}={v}" for c, v in zip(columns, key, strict=True))
                    raise ConflictError(f"{self._name}: {shown} is taken by another record")
                taken.add(key)

    def replace(self, item: Any, expected_version: int) -> bool:
        """Stage ``item`` over a current record at ``expected_version``."""
        current = self._staging.current(self._name, item.id)
        if current is None or current.version != expected_version:
            return False
        self._staging.stage(self._name, [item.id], [item])
        return True

    def delete(self, item_id: uuid.UUID) -> bool:
        """Stage the removal of a current record."""
        if self._staging.current(self._name, item_id) is None:
            return False
        self._staging.stage(self._name, [item_id], [REMOVED])
        return True

    def count(self) -> int:
        """Committed records plus this unit's additions, minus its removals."""
        state = self._staging.state
        with state.lock:
            committed = state.tables[self._name]
            total = len(committed)
            for item_id, item in self._staging.staged(self._name).items():
                total += (item is not REMOVED) - (item_id in committed)
        return total

    def scan(self) -> list[Any]:
        """Every record this unit sees, ordered by id."""
        state = self._staging.state
        with state.lock:
            merged = dict(state.tables[self._name])
        for item_id, item in self._staging.staged(self._name).items():
            if item is REMOVED:
                merged.pop(item_id, None)
            else:
                merged[item_id] = item
        return [merged[item_id] for item_id in sorted(merged)]

    def where(self, column: str, value: uuid.UUID) -> list[Any]:
        """Records with ``column == value``: committed ones in recording order, then staged."""
        if column not in self._indexed:
            raise AssertionError(f"{self._name}.{column} is not indexed in the memory store")
        state = self._staging.state
        with state.lock:
            committed = state.tables[self._name]
            ids = state.indexes[self._name, column].get(value, ())
            records = [committed[item_id] for item_id in ids]
        records += [
            item
            for item in self._staging.staged(self._name).values()
            if item is not REMOVED and getattr(item, column) == value
        ]
        return records

    def last_seq(self) -> int:
        """The highest ``seq`` among the records this unit sees (0: none); for the ledgers
        numbered for the whole store (a :class:`~snapplan.adapters.base.LedgerTable`)."""
        state = self._staging.state
        with state.lock:
            last = state.last_seq[self._name]
        staged = self._staging.staged(self._name).values()
        return max(last, max((i.seq for i in staged if i is not REMOVED), default=0))

    def keyed(self, key: str) -> Any | None:
        """The record whose idempotency ``key`` is ``key`` (the table's unique key), or None."""
        if ("key",) not in self._unique:
            raise AssertionError(f"{self._name}.key is not a unique key in the memory store")
        state = self._staging.state
        with state.lock:
            item_id = state.unique[self._name, ("key",)].get((key,))
            found = None if item_id is None else state.tables[self._name].get(item_id)
        if found is not None:
            return found
        staged = self._staging.staged(self._name).values()
        return next((i for i in staged if i is not REMOVED and i.key == key), None)

    def numbered(self, event_id: uuid.UUID, seq: int) -> list[Any]:
        """The event's records numbered ``seq`` (the runs' table, a
        :class:`~snapplan.adapters.base.RunTable`): found through the event's index, nothing
        decoded."""
        return [item for item in self.where("event_id", event_id) if item.seq == seq]


class MemoryPlanTable(MemoryTable):
    """The plans' records, with their contents (a :class:`~snapplan.adapters.base.PlanTable`)."""

    def event_of(self, plan_id: uuid.UUID) -> uuid.UUID | None:
        """The plan's event id, or None."""
        plan = self.fetch([plan_id]).get(plan_id)
        return None if plan is None else plan.event_id

    def latest_id(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """The id of the event's last recorded plan, or None."""
        plans = self.where("event_id", event_id)
        return plans[-1].id if plans else None

    def insert_contents(self, plan_id: uuid.UUID, entries: Sequence[PlanEntry]) -> None:
        """Stage the plan's contents (``ConflictError`` if it has some)."""
        if self._staging.current(CONTENTS, plan_id) is not None:
            raise ConflictError(f"plan {plan_id} has its contents already")
        self._staging.stage(CONTENTS, [plan_id], [PlanContents(plan_id, entries)])

    def find_contents(
        self, plan_id: uuid.UUID, naming: Sequence[uuid.UUID] | None
    ) -> list[PlanEntry] | None:
        """The plan's entries named by ``naming``; None when it has no contents."""
        contents = self._staging.current(CONTENTS, plan_id)
        return None if contents is None else contents.find(naming)
