"""Repositories of the SQL store: SQLAlchemy Core statements on the unit's connection.

Reads go straight to the database (committed data plus this unit's own writes, which are in
its transaction). Bulk reads are one ``IN``-list ``SELECT`` per :data:`IN_LIST_CHUNK` ids;
``add_many`` is one ``executemany`` per call. Every write runs in a guard savepoint of the
unit of work, so a write that fails (a duplicate id, a stale version) changes nothing and
leaves the transaction usable, exactly like the memory store.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import attrs
import sqlalchemy as sa

from snapplan.adapters.sql import schema
from snapplan.adapters.sql.rows import RowCodec, snapshot_from_row, snapshot_row
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
    from snapplan.adapters.sql.unit_of_work import SqlUnitOfWork

T = TypeVar("T")

#: The most ids one ``IN`` list carries; longer lists are read in chunks of this size.
IN_LIST_CHUNK: Final = 500


class _Reader(Generic[T]):
    """Reads by id shared by every repository: one decoder from a row to a value."""

    def __init__(
        self,
        uow: SqlUnitOfWork,
        table: sa.Table,
        columns: Iterable[sa.ColumnElement[Any]],
        decode: Callable[[sa.Row[Any]], T],
        not_found: type[NotFoundError],
    ) -> None:
        self._uow = uow
        self._table = table
        others = [column for column in columns if column is not table.c.id]
        self._columns = (table.c.id, *others)
        self._decode = decode
        self._not_found = not_found

    def _select(self) -> sa.Select[Any]:
        return sa.select(*self._columns)

    def _get(self, item_id: uuid.UUID) -> T:
        row = self._uow.execute(self._select().where(self._table.c.id == item_id)).first()
        if row is None:
            raise self._not_found(item_id)
        return self._decode(row)

    def _fetch(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, T]:
        unique = list(dict.fromkeys(item_ids))
        found: dict[uuid.UUID, T] = {}
        for start in range(0, len(unique), IN_LIST_CHUNK):
            chunk = unique[start : start + IN_LIST_CHUNK]
            rows = self._uow.execute(self._select().where(self._table.c.id.in_(chunk)))
            found.update((row.id, self._decode(row)) for row in rows)
        return found

    def _find_many(self, item_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, T]:
        wanted = list(item_ids)
        found = self._fetch(wanted)
        return {item_id: found[item_id] for item_id in wanted if item_id in found}

    def _get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[T, ...]:
        wanted = list(item_ids)
        found = self._fetch(wanted)
        for item_id in wanted:
            if item_id not in found:
                raise self._not_found(item_id)
        return tuple(found[item_id] for item_id in wanted)

    def count(self) -> int:
        """How many rows this unit of work sees."""
        total = self._uow.execute(sa.select(sa.func.count()).select_from(self._table)).scalar()
        return int(total or 0)

    def all(self) -> tuple[T, ...]:
        """Every value, ordered by id."""
        rows = self._uow.execute(self._select().order_by(self._table.c.id))
        return tuple(self._decode(row) for row in rows)


class SqlCatalogRepository(_Reader[T]):
    """Catalog definitions or events, with optimistic versions."""

    def __init__(
        self, uow: SqlUnitOfWork, codec: RowCodec[T], not_found: type[NotFoundError]
    ) -> None:
        super().__init__(uow, codec.table, codec.columns, codec.item, not_found)
        self._codec = codec

    def add(self, item: T) -> None:
        """Insert a new item; a duplicate id raises ``ConflictError``."""
        row = self._codec.row(item)
        with self._uow.writing() as connection:
            connection.execute(self._table.insert(), row)

    def add_many(self, items: Iterable[T]) -> None:
        """Insert many items in one ``executemany``; on a duplicate id nothing is inserted."""
        rows = [self._codec.row(item) for item in items]
        self._uow.insert_many(self._table, rows)

    def get(self, item_id: uuid.UUID) -> T:
        """The item, or the matching ``NotFoundError``."""
        return self._get(item_id)

    def get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[T, ...]:
        """The items in the order asked; the first missing id raises."""
        return self._get_many(item_ids)

    def find_many(self, item_ids: Iterable[uuid.UUID]) -> Mapping[uuid.UUID, T]:
        """The items that exist among ``item_ids``, in the order asked."""
        return self._find_many(item_ids)

    def update(self, item: T) -> T:
        """Replace an item whose ``version`` is current; the stored version becomes ``+1``.

        ``UPDATE ... WHERE id = :id AND version = :version``: a concurrent writer that got there
        first (or a stale copy) matches no row, which is a ``ConflictError``.
        """
        row = self._codec.row(item)
        item_id: uuid.UUID = row["id"]
        version: int = row["version"]
        changes = {name: value for name, value in row.items() if name not in ("id", "version")}
        table = self._table
        with self._uow.writing() as connection:
            changed = connection.execute(
                table.update()
                .where(table.c.id == item_id, table.c.version == version)
                .values({**changes, "version": version + 1})
            ).rowcount
            if changed != 1:
                stored = connection.execute(
                    sa.select(table.c.version).where(table.c.id == item_id)
                ).scalar()
                if stored is None:
                    raise self._not_found(item_id)
                raise ConflictError(
                    f"{table.name}: {item_id} is at version {stored}, not {version}"
                )
        stored_item: T = attrs.evolve(item, version=version + 1)  # type: ignore[misc]
        return stored_item

    def remove(self, item_id: uuid.UUID) -> None:
        """Delete an item; a missing id raises the matching ``NotFoundError``."""
        with self._uow.writing() as connection:
            deleted = connection.execute(
                self._table.delete().where(self._table.c.id == item_id)
            ).rowcount
            if deleted != 1:
                raise self._not_found(item_id)


def _snapshot(row: sa.Row[Any]) -> Snapshot:
    return snapshot_from_row(row.document)


class SqlSnapshotRepository(_Reader[Snapshot]):
    """Snapshots of the four kinds in one append-only table."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        table = schema.snapshots
        super().__init__(uow, table, (table.c.document,), _snapshot, SnapshotNotFound)

    def add(self, snapshot: Snapshot) -> None:
        """Insert one snapshot; a duplicate id raises ``ConflictError``."""
        self.add_many((snapshot,))

    def add_many(self, snapshots: Iterable[Snapshot]) -> None:
        """Insert many snapshots in one ``executemany``; on any error nothing is inserted."""
        rows = []
        for snapshot in snapshots:
            if not isinstance(snapshot, SNAPSHOT_TYPES):
                raise ValidationError(f"not a snapshot: {type(snapshot).__name__}")
            rows.append(snapshot_row(snapshot))
        self._uow.insert_many(self._table, rows)

    def get(self, snapshot_id: uuid.UUID) -> Snapshot:
        """The snapshot, or ``SnapshotNotFound``."""
        return self._get(snapshot_id)

    def get_many(self, snapshot_ids: Iterable[uuid.UUID]) -> tuple[Snapshot, ...]:
        """The snapshots in the order asked; the first missing id raises."""
        return self._get_many(snapshot_ids)


_PLAN_CODEC: Final = RowCodec(Plan, schema.plans)


class SqlPlanRepository(_Reader[Plan]):
    """Plans in one append-only table, ordered per event by their ``seq``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        codec = _PLAN_CODEC
        super().__init__(uow, codec.table, codec.columns, codec.item, PlanNotFound)

    def add(self, plan: Plan) -> None:
        """Record a plan; it becomes its event's latest."""
        if not isinstance(plan, Plan):
            raise ValidationError(f"not a plan: {type(plan).__name__}")
        row = _PLAN_CODEC.row(plan)
        with self._uow.writing() as connection:
            connection.execute(self._table.insert(), row)

    def get(self, plan_id: uuid.UUID) -> Plan:
        """The plan, or ``PlanNotFound``."""
        return self._get(plan_id)

    def for_event(self, event_id: uuid.UUID) -> tuple[Plan, ...]:
        """The event's plans in the order recorded."""
        table = self._table
        rows = self._uow.execute(
            self._select().where(table.c.event_id == event_id).order_by(table.c.seq)
        )
        return tuple(self._decode(row) for row in rows)

    def latest(self, event_id: uuid.UUID) -> Plan | None:
        """The event's last recorded plan, or None."""
        table = self._table
        row = self._uow.execute(
            self._select().where(table.c.event_id == event_id).order_by(table.c.seq.desc()).limit(1)
        ).first()
        return None if row is None else self._decode(row)
