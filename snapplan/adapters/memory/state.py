"""The committed state of a memory store and the atomic publication of a unit's changes."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final

from snapplan.domain.plan_contents import PlanEntry
from snapplan.errors import ConflictError
from snapplan.ports.unit_of_work import REPOSITORIES, REPOSITORY_NAMES

#: Marks an id removed in a unit of work's staged changes.
REMOVED: Final[Any] = object()

#: The table of plans' contents (not a repository: reached through ``uow.plans``), one
#: :class:`PlanContents` per plan id.
CONTENTS: Final = "plan_contents"

#: Every table of the memory store: one per repository, and the plans' contents.
TABLES: Final = (*REPOSITORY_NAMES, CONTENTS)

#: Columns of append-only tables that ``where`` looks up, kept as indexes in recording order
#: (each repository's ``RepositorySpec.indexed``).
INDEXED: Final[Mapping[str, tuple[str, ...]]] = {
    spec.name: spec.indexed for spec in REPOSITORIES if spec.indexed
}

#: Column groups of a table that no two records share (None in a group: not counted), as the
#: SQL store's unique indexes (each repository's ``RepositorySpec.unique``).
UNIQUE: Final[Mapping[str, tuple[tuple[str, ...], ...]]] = {
    spec.name: spec.unique for spec in REPOSITORIES if spec.unique
}


class PlanContents:
    """One plan's contents, each entry filed under every id that names it (its snapshot id,
    its catalog id and its ``made_from``), so a lookup costs the same in any plan."""

    def __init__(self, plan_id: uuid.UUID, entries: Sequence[PlanEntry]) -> None:
        self.id = plan_id
        self.entries = tuple(entries)
        self.named: dict[uuid.UUID, list[PlanEntry]] = {}
        for entry in entries:
            for name in dict.fromkeys((entry.snapshot_id, entry.source_id, entry.made_from)):
                if name is not None:
                    self.named.setdefault(name, []).append(entry)

    def find(self, naming: Sequence[uuid.UUID] | None) -> list[PlanEntry]:
        """The entries named by any of ``naming`` (None: all), each once."""
        if naming is None:
            return list(self.entries)
        found = (entry for name in naming for entry in self.named.get(name, ()))
        return list({entry.snapshot_id: entry for entry in found}.values())


def unique_key(item: Any, columns: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The values of ``columns`` in ``item``, or None when one of them is None."""
    key = tuple(getattr(item, column) for column in columns)
    return None if None in key else key


def stored_version(item: object) -> int | None:
    """The version a check compares: an item's ``version``, 0 for append-only records."""
    return getattr(item, "version", 0) if item is not None else None


class CommittedState:
    """Every committed record, by table and id, under one lock.

    Committed items are immutable attrs values, so they are kept as they are: publishing a
    change touches only the changed entries (its cost follows the change, not the store's size).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: dict[str, dict[uuid.UUID, Any]] = {name: {} for name in TABLES}
        # (table, column) -> value -> ids in recording order
        self.indexes: dict[tuple[str, str], dict[uuid.UUID, list[uuid.UUID]]] = {
            (table, column): {} for table, columns in INDEXED.items() for column in columns
        }
        # (table, columns) -> unique key -> id
        self.unique: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], uuid.UUID]] = {
            (table, columns): {} for table, groups in UNIQUE.items() for columns in groups
        }
        # the highest seq of each ledger numbered for the whole store (its ``seq`` is unique):
        # append only, so it only grows, and recording an entry reads it, not the ledger
        self.last_seq: dict[str, int] = {
            table: 0 for table, groups in UNIQUE.items() if ("seq",) in groups
        }

    def publish(
        self,
        changes: Mapping[str, Mapping[uuid.UUID, Any]],
        expected: Mapping[str, Mapping[uuid.UUID, int | None]],
    ) -> None:
        """Check every expectation, then apply every change; all or nothing.

        ``expected`` maps each table to the ids the unit of work touched there and the version
        it saw committed (None: absent). Any difference means another unit of work committed
        first.
        """
        with self.lock:
            for table, versions in expected.items():
                rows = self.tables[table]
                for item_id, version in versions.items():
                    if stored_version(rows.get(item_id)) != version:
                        if version is None:
                            raise ConflictError(f"{table}: id {item_id} already exists")
                        raise ConflictError(
                            f"{table}: {item_id} was changed or removed by another unit of work"
                        )
            self._check_unique(changes)
            for table, staged in changes.items():
                rows = self.tables[table]
                for item_id, item in staged.items():
                    if item is REMOVED:
                        rows.pop(item_id, None)
                        continue
                    rows[item_id] = item
                    for column in INDEXED.get(table, ()):
                        index = self.indexes[table, column]
                        index.setdefault(getattr(item, column), []).append(item_id)
                    for columns in UNIQUE.get(table, ()):
                        key = unique_key(item, columns)
                        if key is not None:
                            self.unique[table, columns][key] = item_id
                    if table in self.last_seq:
                        self.last_seq[table] = max(self.last_seq[table], item.seq)

    def _check_unique(self, changes: Mapping[str, Mapping[uuid.UUID, Any]]) -> None:
        """``ConflictError`` if a staged record takes a unique key another record holds (the
        tables with unique keys are append-only: staged records are new)."""
        for table, groups in UNIQUE.items():
            for columns in groups:
                taken = self.unique[table, columns]
                staged_keys: set[tuple[Any, ...]] = set()
                for item_id, item in changes.get(table, {}).items():
                    key = unique_key(item, columns)
                    if key is None:
                        continue
                    if key in staged_keys or taken.get(key, item_id) != item_id:
                        shown = ", ".join(f"{c}={v}" for c, v in zip(columns, key, strict=True))
                        raise ConflictError(f"{table}: {shown} is taken by another record")
                    staged_keys.add(key)
