"""One repository's rows as a SQL unit of work sees them: the :class:`Table` of the SQL store.

Reads go straight to the database (committed data plus this unit's own writes, which are in its
transaction). A bulk read is one ``SELECT`` whatever the number of ids (bound as one parameter,
as the engine's dialect says: :meth:`~snapplan.adapters.sql.dialects.Dialect.any_of`); inserts
are one ``executemany`` per call; every write runs in a guard savepoint of the session.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from snapplan.adapters.sql._decoding import Reading
from snapplan.adapters.sql.rows import Codec
from snapplan.adapters.sql.schema import plan_contents
from snapplan.adapters.sql.session import Session
from snapplan.adapters.sql.streaming import STREAM_FROM, insert_streamed
from snapplan.domain.plan_contents import PlanEntry
from snapplan.errors import PersistenceError


class SqlTable:
    """Statements on one table, on the session's connection."""

    def __init__(self, session: Session, codec: Codec[Any], reading: Reading) -> None:
        self._session = session
        self._codec = codec
        self._reading = reading  # the unit of work's: an id is parsed once per transaction
        self._table = codec.table
        # Append-only tables with a recording order sort by it; the others by id.
        self._order = self._table.c.seq if "seq" in self._table.c else self._table.c.id
        # (the runs' seq is per event; for_plan and for_event sort by it too)

    def _select(self) -> sa.Select[Any]:
        return sa.select(*self._codec.columns)

    def fetch(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """The rows among ``ids``, decoded, by id: one statement, whatever the number of ids
        (one id: ``= :id``; more: the ids as one parameter, the dialect's ``any_of``)."""
        if not ids:
            return {}
        column = self._table.c.id
        dialect = self._session.dialect
        condition = column == ids[0] if len(ids) == 1 else dialect.any_of(column, ids)
        statement = self._select().where(condition)
        if len(ids) >= STREAM_FROM and dialect.streams_large_reads:
            statement = statement.execution_options(stream_results=True, max_row_buffer=STREAM_FROM)
        reading = self._reading
        return {row.id: self._codec.item(row, reading) for row in self._session.read(statement)}

    def insert(self, items: Sequence[Any]) -> None:
        """One ``executemany``; on any error (a duplicate id) nothing is inserted. A large one
        (a plan's snapshots) is streamed: each row made as the driver takes it
        (:mod:`snapplan.adapters.sql.streaming`)."""
        with self._session.write() as connection:
            if len(items) >= STREAM_FROM:
                insert_streamed(connection, self._table, items, self._codec.row)
            else:
                connection.execute(self._table.insert(), [self._codec.row(i) for i in items])

    def replace(self, item: Any, expected_version: int) -> bool:
        """``UPDATE ... WHERE id = :id AND version = :expected``: a concurrent writer that got
        there first (or a stale copy) matches no row."""
        row = self._codec.row(item)
        changes = {name: value for name, value in row.items() if name != "id"}
        table = self._table
        with self._session.write() as connection:
            changed = connection.execute(
                table.update()
                .where(table.c.id == row["id"], table.c.version == expected_version)
                .values(changes)
            ).rowcount
        return bool(changed == 1)

    def delete(self, item_id: uuid.UUID) -> bool:
        """``DELETE ... WHERE id = :id``."""
        with self._session.write() as connection:
            deleted = connection.execute(
                self._table.delete().where(self._table.c.id == item_id)
            ).rowcount
        return bool(deleted == 1)

    def count(self) -> int:
        """``SELECT count(*)``."""
        total = self._session.read(sa.select(sa.func.count()).select_from(self._table)).scalar()
        return int(total or 0)

    def scan(self) -> list[Any]:
        """Every row, ordered by id."""
        return self._items(self._select().order_by(self._table.c.id))

    def where(self, column: str, value: uuid.UUID) -> list[Any]:
        """The rows with ``column == value``, in recording order."""
        return self._items(
            self._select().where(self._table.c[column] == value).order_by(self._order)
        )

    def last_seq(self) -> int:
        """``SELECT max(seq)``, 0 for none (the ledgers numbered for the whole store, whose
        ``seq`` is unique: an index lookup)."""
        last = self._session.read(sa.select(sa.func.max(self._table.c.seq))).scalar()
        if last is None:
            return 0
        if isinstance(last, bool) or not isinstance(last, int):
            raise PersistenceError(f"{self._table.name}: the last seq is not a number: {last!r}")
        return last

    def keyed(self, key: str) -> Any | None:
        """The row whose idempotency ``key`` is ``key`` (a unique index), decoded, or None."""
        found = self._items(self._select().where(self._table.c.key == key))
        # (compared again exactly: an engine's collation must not decide what a key matches)
        return next((item for item in found if item.key == key), None)

    def numbered(self, event_id: uuid.UUID, seq: int) -> list[Any]:
        """The event's rows numbered ``seq``, decoded (the runs' unique index on both)."""
        table = self._table
        return self._items(self._select().where(table.c.event_id == event_id, table.c.seq == seq))

    def _items(self, statement: sa.Select[Any]) -> list[Any]:
        """The rows ``statement`` reads, decoded (with the unit's reading: an id parsed once)."""
        reading = self._reading
        return [self._codec.item(row, reading) for row in self._session.read(statement)]


class SqlPlanTable(SqlTable):
    """The plans' table, with their contents (a :class:`~snapplan.adapters.base.PlanTable`)."""

    def event_of(self, plan_id: uuid.UUID) -> uuid.UUID | None:
        """``SELECT event_id ... WHERE id = :id`` (the targets are not read)."""
        table = self._table
        return self._uuid(
            self._session.read(sa.select(table.c.event_id).where(table.c.id == plan_id)).scalar()
        )

    def latest_id(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """The id of the event's plan with the highest ``seq`` (one indexed lookup)."""
        table = self._table
        statement = (
            sa.select(table.c.id)
            .where(table.c.event_id == event_id)
            .order_by(table.c.seq.desc())
            .limit(1)
        )
        return self._uuid(self._session.read(statement).scalar())

    def insert_contents(self, plan_id: uuid.UUID, entries: Sequence[PlanEntry]) -> None:
        """One ``executemany`` into ``snapplan_plan_contents`` (streamed when large, as
        :meth:`insert`)."""

        def row(entry: PlanEntry) -> dict[str, Any]:
            return {
                "plan_id": plan_id,
                "snapshot_id": entry.snapshot_id,
                "kind": entry.kind.value,
                "source_id": entry.source_id,
                "made_from": entry.made_from,
            }

        with self._session.write() as connection:
            if len(entries) >= STREAM_FROM:
                insert_streamed(connection, plan_contents, entries, row)
            else:
                connection.execute(plan_contents.insert(), [row(entry) for entry in entries])

    def find_contents(
        self, plan_id: uuid.UUID, naming: Sequence[uuid.UUID] | None
    ) -> list[PlanEntry] | None:
        """The plan's rows whose snapshot, source or ``made_from`` id is among ``naming`` (one
        statement, a ``UNION`` of a lookup on each column's index); when there is none, whether
        the plan has rows at all (one more)."""
        table = plan_contents
        found: list[PlanEntry] = []
        columns = (table.c.snapshot_id, table.c.kind, table.c.source_id, table.c.made_from)
        statement: sa.Select[Any] | sa.CompoundSelect[Any] | None = None
        if naming is None:
            statement = sa.select(*columns).where(table.c.plan_id == plan_id)
        elif naming:
            # one SELECT per column, each on its own index (an OR of the three would make
            # the engine scan every row of the plan); the ids bound as the dialect binds a
            # bulk read's (an expanding IN leaves a reference cycle per read)
            any_of = self._session.dialect.any_of
            statement = sa.union(
                *(
                    sa.select(*columns).where(
                        table.c.plan_id == plan_id,
                        by == naming[0] if len(naming) == 1 else any_of(by, naming),
                    )
                    for by in (table.c.snapshot_id, table.c.source_id, table.c.made_from)
                )
            )
        if statement is not None:
            try:
                found = [
                    PlanEntry(row.snapshot_id, row.kind, row.source_id, row.made_from)
                    for row in self._session.read(statement)
                ]
            except (ValueError, TypeError) as error:
                raise PersistenceError(
                    f"the stored contents of plan {plan_id} could not be read back: {error}"
                ) from error
        if found or naming is None:
            return found or None
        held = self._session.read(
            sa.select(sa.literal_column("1")).where(table.c.plan_id == plan_id).limit(1)
        ).scalar()
        return None if held is None else found

    @staticmethod
    def _uuid(value: Any) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        raise PersistenceError(f"a stored id could not be read back: {value!r:.60}")
