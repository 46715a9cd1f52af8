"""Repositories of the memory store: views over committed state plus one unit's staged writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from snapplan.adapters.memory.store import REMOVED
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import SNAPSHOT_TYPES, Snapshot
from snapplan.errors import (
    ConflictError,
    NotFoundError,
    PlanNotFound,
    SnapshotNotFound,
    ValidationError,
)

if TYPE_CHECKING:
    from snapplan.adapters.memory.unit_of_work import MemoryUnitOfWork

T = TypeVar("T")


class _Table:
    """Reads shared by every memory repository."""

    def __init__(self, uow: MemoryUnitOfWork, table: str, not_found: type[NotFoundError]) -> None:
        self._uow = uow
        self._table = table
        self._not_found = not_found

    def _get(self, item_id: uuid.UUID) -> Any:
        self._uow.check_active()
        item = self._uow.current(self._table, item_id)
        if item is None:
            raise self._not_found(item_id)
        return item

    def _find_many(self, item_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
        self._uow.check_active()
        found = {}
        for item_id in item_ids:
            item = self._uow.current(self._table, item_id)
            if item is not None:
                found[item_id] = item
        return found

    def _get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[Any, ...]:
        wanted = list(item_ids)
        found = self._find_many(wanted)
        for item_id in wanted:
            if item_id not in found:
                raise self._not_found(item_id)
        return tuple(found[i] for i in wanted)

    def _merged(self) -> dict[uuid.UUID, Any]:
        self._uow.check_active()
        store = self._uow.store
        with store.lock:
            merged = dict(store.committed(self._table))
        for item_id, item in self._uow.staged(self._table).items():
            if item is REMOVED:
                merged.pop(item_id, None)
            else:
                merged[item_id] = item
        return merged

    def count(self) -> int:
        """How many items this unit of work sees."""
        self._uow.check_active()
        store = self._uow.store
        with store.lock:
            committed = store.committed(self._table)
            total = len(committed)
            for item_id, item in self._uow.staged(self._table).items():
                total += (item is not REMOVED) - (item_id in committed)
        return total

    def _add(self, item: Any) -> None:
        self._uow.check_writable()
        if self._uow.current(self._table, item.id) is not None:
            raise ConflictError(f"{self._table}: id {item.id} already exists")
        self._uow.stage(self._table, item.id, item)


class MemoryCatalogRepository(_Table, Generic[T]):
    """Catalog definitions or events, with optimistic versions."""

    def __init__(
        self, uow: MemoryUnitOfWork, table: str, not_found: type[NotFoundError], cls: type[T]
    ) -> None:
        super().__init__(uow, table, not_found)
        self._cls = cls

    def _check_type(self, item: object) -> None:
        # Same refusal as the SQL store's RowCodec.row: a table holds one type only.
        if not isinstance(item, self._cls):
            raise ValidationError(
                f"{self._table} stores {self._cls.__name__}, not {type(item).__name__}"
            )

    def add(self, item: T) -> None:
        """Stage a new item; a duplicate id raises ``ConflictError``."""
        self._check_type(item)
        self._add(item)

    def add_many(self, items: Iterable[T]) -> None:
        """Stage many new items; nothing is staged if any of them is a duplicate."""
        batch = list(items)
        with self._uow.savepoint():
            for item in batch:
                self.add(item)

    def get(self, item_id: uuid.UUID) -> T:
        """The item, or the matching ``NotFoundError``."""
        item: T = self._get(item_id)
        return item

    def get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[T, ...]:
        """The items in the order asked; the first missing id raises."""
        return self._get_many(item_ids)

    def find_many(self, item_ids: Iterable[uuid.UUID]) -> Mapping[uuid.UUID, T]:
        """The items that exist among ``item_ids``."""
        return self._find_many(item_ids)

    def update(self, item: T) -> T:
        """Replace an item whose ``version`` is current; the stored version becomes ``+1``."""
        self._uow.check_writable()
        self._check_type(item)
        item_id: uuid.UUID = getattr(item, "id")  # noqa: B009  (T is any versioned attrs class)
        version: int = getattr(item, "version")  # noqa: B009
        current = self._get(item_id)
        if current.version != version:
            raise ConflictError(
                f"{self._table}: {item_id} is at version {current.version}, not {version}"
            )
        stored: T = attrs.evolve(item, version=version + 1)  # type: ignore[misc]
        self._uow.stage(self._table, item_id, stored)
        return stored

    def remove(self, item_id: uuid.UUID) -> None:
        """Remove an item; a missing id raises the matching ``NotFoundError``."""
        self._uow.check_writable()
        self._get(item_id)
        self._uow.stage(self._table, item_id, REMOVED)

    def all(self) -> tuple[T, ...]:
        """Every item, ordered by id."""
        merged = self._merged()
        return tuple(merged[i] for i in sorted(merged))


class MemorySnapshotRepository(_Table):
    """Snapshots: append only."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        super().__init__(uow, "snapshots", SnapshotNotFound)

    def add(self, snapshot: Snapshot) -> None:
        """Stage one snapshot; a duplicate id raises ``ConflictError``."""
        if not isinstance(snapshot, SNAPSHOT_TYPES):
            raise ValidationError(f"not a snapshot: {type(snapshot).__name__}")
        self._add(snapshot)

    def add_many(self, snapshots: Iterable[Snapshot]) -> None:
        """Stage many snapshots; nothing is staged if any is invalid or a duplicate."""
        batch = list(snapshots)
        with self._uow.savepoint():
            for snapshot in batch:
                self.add(snapshot)

    def get(self, snapshot_id: uuid.UUID) -> Snapshot:
        """The snapshot, or ``SnapshotNotFound``."""
        snapshot: Snapshot = self._get(snapshot_id)
        return snapshot

    def get_many(self, snapshot_ids: Iterable[uuid.UUID]) -> tuple[Snapshot, ...]:
        """The snapshots in the order asked."""
        return self._get_many(snapshot_ids)

    def all(self) -> tuple[Snapshot, ...]:
        """Every snapshot, ordered by id."""
        merged = self._merged()
        return tuple(merged[i] for i in sorted(merged))


class MemoryPlanRepository(_Table):
    """Plans: append only, kept in the order recorded per event."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        super().__init__(uow, "plans", PlanNotFound)

    def add(self, plan: Plan) -> None:
        """Stage a plan; it becomes its event's latest."""
        if not isinstance(plan, Plan):
            raise ValidationError(f"not a plan: {type(plan).__name__}")
        self._add(plan)

    def get(self, plan_id: uuid.UUID) -> Plan:
        """The plan, or ``PlanNotFound``."""
        plan: Plan = self._get(plan_id)
        return plan

    def for_event(self, event_id: uuid.UUID) -> tuple[Plan, ...]:
        """The event's plans in the order recorded (committed first, then this unit's)."""
        self._uow.check_active()
        store = self._uow.store
        with store.lock:
            committed = store.committed("plans")
            plans = [committed[i] for i in store.committed_plan_ids(event_id)]
        plans += [p for p in self._uow.staged("plans").values() if p.event_id == event_id]
        return tuple(plans)

    def latest(self, event_id: uuid.UUID) -> Plan | None:
        """The event's last recorded plan, or None."""
        plans = self.for_event(event_id)
        return plans[-1] if plans else None

    def all(self) -> tuple[Plan, ...]:
        """Every plan, ordered by id."""
        merged = self._merged()
        return tuple(merged[i] for i in sorted(merged))
