"""Repository protocols. Repositories are reached only through an entered unit of work.

Three small protocols compose every repository:

- :class:`Reader`: ``get``, ``get_many``, ``find_many``, ``count``, ``all``;
- :class:`Appender`: ``add``, ``add_many`` (snapshots and plans stop here: append only);
- :class:`CatalogRepository` adds ``update`` (optimistic on ``version``) and ``remove``.

Repositories store what they are given: values are validated by the domain types, but references
between definitions are not enforced (capture finds dangling ones and cycles).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from snapplan.domain.pantry_entries import PantryRecord
from snapplan.domain.plan import Plan
from snapplan.domain.plan_contents import PlanEntry
from snapplan.domain.prices import PriceQuote
from snapplan.domain.runs import Run
from snapplan.domain.snapshots import Snapshot


class Versioned(Protocol):
    """What a catalog repository keeps: an item with an ``id`` and an optimistic ``version``."""

    @property
    def id(self) -> uuid.UUID:
        """The item's identity."""
        ...

    @property
    def version(self) -> int:
        """Its optimistic version: the one read must be the one stored to update it."""
        ...


T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
T_contra = TypeVar("T_contra", contravariant=True)
V = TypeVar("V", bound=Versioned)


class Reader(Protocol[T_co]):
    """Reads by id, in bulk (one round trip per call, whatever the number of ids)."""

    def get(self, item_id: uuid.UUID) -> T_co:
        """The item, or the matching ``NotFoundError`` subclass."""
        ...

    def get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[T_co, ...]:
        """The items in the order asked; the first missing id raises."""
        ...

    def find_many(self, item_ids: Iterable[uuid.UUID]) -> Mapping[uuid.UUID, T_co]:
        """The items that exist among ``item_ids``, by id; missing ones are absent."""
        ...

    def count(self) -> int:
        """How many items this unit of work sees (committed plus its own changes)."""
        ...

    def all(self) -> tuple[T_co, ...]:
        """Every item, ordered by id."""
        ...


class Appender(Protocol[T_contra]):
    """Adds new items; a duplicate id is a ``ConflictError`` (now or at commit)."""

    def add(self, item: T_contra) -> None:
        """Stage a new item."""

    def add_many(self, items: Iterable[T_contra]) -> None:
        """Stage many new items in one write (one statement per table on SQL stores); if any
        of them is refused, none is staged."""


class CatalogRepository(Reader[V], Appender[V], Protocol[V]):
    """Ingredients, recipes, finished units, material units, finished goods and events."""

    def update(self, item: V) -> V:
        """Replace an item. ``item.version`` must equal the stored version, else ``ConflictError``.

        Returns the stored item, whose version is ``item.version + 1``.
        """
        ...

    def remove(self, item_id: uuid.UUID) -> None:
        """Remove an item; a missing id raises the matching ``NotFoundError`` subclass."""


class SnapshotRepository(Reader[Snapshot], Appender[Snapshot], Protocol):
    """Snapshots of any of the four kinds. Append only: no update, no remove."""


class PlanRepository(Reader[Plan], Appender[Plan], Protocol):
    """Plans. Append only: no update, no remove."""

    def for_event(self, event_id: uuid.UUID) -> tuple[Plan, ...]:
        """The event's plans, in the order they were recorded."""
        ...

    def latest(self, event_id: uuid.UUID) -> Plan | None:
        """The event's last recorded plan, or None."""
        ...

    def latest_id(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """The id of the event's last recorded plan, or None, without reading any plan's
        targets (one indexed lookup, whatever the size of the plans)."""
        ...

    def event_of(self, plan_id: uuid.UUID) -> uuid.UUID:
        """The event a plan is for (``PlanNotFound`` for an unknown plan), without reading its
        targets."""
        ...

    def add_contents(self, plan_id: uuid.UUID, entries: Iterable[PlanEntry]) -> None:
        """Stage a plan's contents: one :class:`~snapplan.domain.plan_contents.PlanEntry` per
        snapshot the plan reaches (:func:`~snapplan.domain.plan_contents.plan_entries`), written
        once, with the plan, in its transaction (a second call for the same plan is a
        ``ConflictError``; a snapshot listed twice is a ``ValidationError``). Append only."""

    def contents(
        self, plan_id: uuid.UUID, naming: Iterable[uuid.UUID] | None = None
    ) -> tuple[PlanEntry, ...] | None:
        """The entries of a plan's contents whose snapshot id, catalog id (``source_id``) or
        ``made_from`` is among ``naming``: one indexed lookup, whatever the size of the plan
        (``naming`` None: every entry, for :func:`snapplan.verify_plan`). None when the plan
        has no contents (recorded before they were kept, or with no snapshot at all): then
        what it holds is read from its snapshots."""
        ...


class RunRepository(Reader[Run], Appender[Run], Protocol):
    """The execution ledger: production, assembly and waste runs and voids. Append only."""

    def for_event(self, event_id: uuid.UUID) -> tuple[Run, ...]:
        """The event's ledger, in ``seq`` order."""
        ...

    def for_plan(self, plan_id: uuid.UUID) -> tuple[Run, ...]:
        """The entries recorded against one plan, in ``seq`` order."""
        ...


class PriceRepository(Reader[PriceQuote], Appender[PriceQuote], Protocol):
    """The price history: one quote per pack price, in ``seq`` order. Append only."""

    def last_seq(self) -> int:
        """The highest ``seq`` in the history (0 when it is empty), what this unit of work sees
        (its own additions included): one indexed lookup, whatever the history's length."""
        ...


class PantryRepository(Reader[PantryRecord], Appender[PantryRecord], Protocol):
    """The pantry ledger: receipts, counts, uses and voids, in ``seq`` order. Append only."""

    def last_seq(self) -> int:
        """The highest ``seq`` in the ledger (0 when it is empty), what this unit of work sees
        (its own additions included): one indexed lookup, whatever the ledger's length."""
        ...

    def with_key(self, key: str) -> PantryRecord | None:
        """The entry recorded under the idempotency key ``key``, or None: one indexed lookup."""
        ...
