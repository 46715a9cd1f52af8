"""The storage primitives an adapter gives the shared repositories: one kind of record, by id.

A :class:`Table` is the adapter's private helper (a staging area over the memory store's state,
a session on a SQL connection) seen through one repository. The shared repositories
(:mod:`snapplan.adapters.base.repositories`) build every public method from these primitives,
so an adapter never writes ``get_many`` or the optimistic ``update`` itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol, TypeVar

from snapplan.domain.plan import Plan
from snapplan.domain.plan_contents import PlanEntry
from snapplan.domain.runs import Run

T = TypeVar("T")


class Table(Protocol[T]):
    """Records of one repository, as this unit of work sees them."""

    def fetch(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, T]:
        """The records that exist among ``ids`` (no repeats), by id: one round trip."""
        ...

    def insert(self, items: Sequence[T]) -> None:
        """Add new records, all or none: a duplicate id (among them or already stored) is a
        ``ConflictError``, now or at commit, and nothing of the call stays staged."""

    def replace(self, item: T, expected_version: int) -> bool:
        """Store ``item`` over the record of its id if that record's version is
        ``expected_version``; False (nothing changed) if it is missing or at another version."""
        ...

    def delete(self, item_id: uuid.UUID) -> bool:
        """Remove a record; False if there was none."""
        ...

    def count(self) -> int:
        """How many records there are."""
        ...

    def scan(self) -> list[T]:
        """Every record, ordered by id."""
        ...

    def where(self, column: str, value: uuid.UUID) -> list[T]:
        """The records whose ``column`` equals ``value``, in the order they were recorded
        (append-only tables only)."""
        ...


class PlanTable(Table[Plan], Protocol):
    """The plans' table, with the lookups that spare reading a plan's targets and its
    contents (see :meth:`snapplan.ports.PlanRepository.contents`)."""

    def event_of(self, plan_id: uuid.UUID) -> uuid.UUID | None:
        """The plan's event id, or None for an unknown plan."""
        ...

    def latest_id(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """The id of the event's last recorded plan, or None."""
        ...

    def insert_contents(self, plan_id: uuid.UUID, entries: Sequence[PlanEntry]) -> None:
        """Add a plan's contents (``ConflictError`` if it has some already, now or at commit)."""

    def find_contents(
        self, plan_id: uuid.UUID, naming: Sequence[uuid.UUID] | None
    ) -> list[PlanEntry] | None:
        """The plan's entries whose snapshot, source or ``made_from`` id is among ``naming``
        (no repeats; None: every entry); None when the plan has no contents at all."""
        ...


class LedgerTable(Table[T], Protocol):
    """An append-only ledger's table numbered by ``seq`` for the whole store (the price
    history, the pantry), with the lookups that spare reading the whole ledger to record one
    entry."""

    def last_seq(self) -> int:
        """The highest ``seq`` among the records this unit sees; 0 when there is none."""
        ...

    def keyed(self, key: str) -> T | None:
        """The record this unit sees whose idempotency ``key`` is ``key``, or None."""
        ...


class RunTable(Table[Run], Protocol):
    """The execution ledger's table, with the lookup that spares reading an event's whole
    ledger to check that a new entry chains onto the one before it."""

    def numbered(self, event_id: uuid.UUID, seq: int) -> list[Run]:
        """The event's entries this unit sees numbered ``seq`` (one, or none)."""
        ...
