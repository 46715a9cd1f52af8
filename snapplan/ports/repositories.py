"""Repository protocols. Repositories are reached only through an entered unit of work.

Repositories store what they are given: values are validated by the domain types, but references
between definitions are not enforced (capture finds dangling ones and cycles).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot

T = TypeVar("T")


class CatalogRepository(Protocol[T]):
    """Ingredients, recipes, finished units, material units, finished goods and events.

    ``T`` has ``id`` and ``version`` attributes.
    """

    def add(self, item: T) -> None:
        """Stage a new item; a duplicate id is a ``ConflictError`` (now or at commit)."""

    def add_many(self, items: Iterable[T]) -> None:
        """Stage many new items in one write."""

    def get(self, item_id: uuid.UUID) -> T:
        """The item, or the matching ``NotFoundError`` subclass."""
        ...

    def get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[T, ...]:
        """The items in the order asked (one round trip); the first missing id raises."""
        ...

    def find_many(self, item_ids: Iterable[uuid.UUID]) -> Mapping[uuid.UUID, T]:
        """The items that exist among ``item_ids``, by id (one round trip); missing are absent."""
        ...

    def update(self, item: T) -> T:
        """Replace an item. ``item.version`` must equal the stored version, else ``ConflictError``.

        Returns the stored item, whose version is ``item.version + 1``.
        """
        ...

    def remove(self, item_id: uuid.UUID) -> None:
        """Remove an item; a missing id raises the matching ``NotFoundError`` subclass."""

    def count(self) -> int:
        """How many items there are (committed plus this unit of work's changes)."""
        ...

    def all(self) -> tuple[T, ...]:
        """Every item, ordered by id."""
        ...


class SnapshotRepository(Protocol):
    """Snapshots of any of the four kinds. Append only: no update, no remove."""

    def add(self, snapshot: Snapshot) -> None:
        """Stage one snapshot."""

    def add_many(self, snapshots: Iterable[Snapshot]) -> None:
        """Stage many snapshots in one write (one statement per table on SQL stores)."""

    def get(self, snapshot_id: uuid.UUID) -> Snapshot:
        """The snapshot, or ``SnapshotNotFound``."""
        ...

    def get_many(self, snapshot_ids: Iterable[uuid.UUID]) -> tuple[Snapshot, ...]:
        """The snapshots in the order asked; the first missing id raises ``SnapshotNotFound``."""
        ...

    def count(self) -> int:
        """How many snapshots there are."""
        ...

    def all(self) -> tuple[Snapshot, ...]:
        """Every snapshot, ordered by id."""
        ...


class PlanRepository(Protocol):
    """Plans. Append only: no update, no remove."""

    def add(self, plan: Plan) -> None:
        """Stage a plan; it becomes the latest plan of its event."""

    def get(self, plan_id: uuid.UUID) -> Plan:
        """The plan, or ``PlanNotFound``."""
        ...

    def for_event(self, event_id: uuid.UUID) -> tuple[Plan, ...]:
        """The event's plans, in the order they were recorded."""
        ...

    def latest(self, event_id: uuid.UUID) -> Plan | None:
        """The event's last recorded plan, or None."""
        ...

    def count(self) -> int:
        """How many plans there are."""
        ...

    def all(self) -> tuple[Plan, ...]:
        """Every plan, ordered by id."""
        ...
