"""The SQL store's unit of work: the shared life cycle over a private session.

See :mod:`snapplan.adapters.sql.session` for what a transaction is on its own connection and on
a caller's. Database errors are translated by :mod:`snapplan.adapters.sql.errors`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import sqlalchemy as sa

from snapplan.adapters.base.unit_of_work import BaseUnitOfWork
from snapplan.adapters.sql._decoding import Reading
from snapplan.adapters.sql.rows import CODECS
from snapplan.adapters.sql.session import Session
from snapplan.adapters.sql.tables import SqlPlanTable, SqlTable
from snapplan.errors import UnitOfWorkError
from snapplan.ports.unit_of_work import RepositorySpec

if TYPE_CHECKING:
    from snapplan.adapters.sql.store import SqlStore


class SqlUnitOfWork(BaseUnitOfWork):
    """A transaction on a :class:`~snapplan.adapters.sql.SqlStore`.

    >>> from snapplan.adapters.sql import SqlStore
    >>> store = SqlStore.from_url("sqlite://")
    >>> store.create_schema()
    >>> with store.unit_of_work() as uow:
    ...     uow.recipes.count()
    0
    >>> store.dispose()
    """

    def __init__(
        self, store: SqlStore, connection: sa.Connection | None = None, *, writing: bool = False
    ) -> None:
        self._store = store
        self._session = Session(store.engine, connection, writing=writing)
        self._joins_caller = connection is not None
        # One for all the unit's reads, so that an id read again (a plan's snapshots name each
        # other from one level to the next) is parsed into one UUID, not one per read: fewer
        # objects for the cyclic garbage collector to scan. Emptied when a transaction ends.
        self._reading = Reading()
        super().__init__()

    def will_write(self) -> None:
        """Say, before entering it, that this unit's transaction will write: it then begins as
        a writer (on SQLite ``BEGIN IMMEDIATE``, which waits for the write lock up to the busy
        timeout; see :meth:`SqlStore.unit_of_work`). The writing services call it on a unit
        they enter themselves. From the next transaction it begins on, every transaction of the
        unit begins so (as with ``store.unit_of_work(writing=True)``); a unit in the caller's
        transaction keeps the caller's.
        """
        self._session.writing = True

    @property
    def connection(self) -> sa.Connection:
        """The connection this unit works on (only while entered)."""
        self._require_active()
        return self._session.connection

    def _table(self, spec: RepositorySpec) -> SqlTable:
        made = SqlPlanTable if spec.name == "plans" else SqlTable
        return made(self._session, CODECS[spec.name], self._reading)

    def _begin(self) -> None:
        if self._store.disposed:
            raise UnitOfWorkError(f"{self._store!r} was disposed: make a new store")
        if not self._joins_caller:
            # Before the unit's transaction, on a connection of its own: a read first would
            # keep a SQLite writer from waiting for the write lock (see dialects/sqlite.py).
            self._store._require_current_schema(None)
        self._session.begin()
        if self._joins_caller:
            try:
                self._store._require_current_schema(self._session.connection)
            except BaseException:
                self._session.end(failing=True)
                raise

    def _publish(self) -> None:
        if self._store.disposed:
            raise UnitOfWorkError(f"{self._store!r} was disposed: nothing was committed")
        self._session.commit()

    def _rollback(self, *, failing: bool) -> None:
        self._reading.forget()  # the transaction ends: nothing it read is kept
        self._session.end(failing=failing)

    def _savepoint(self) -> AbstractContextManager[None]:
        return self._session.savepoint()

    def __repr__(self) -> str:
        joined = ", in the caller's transaction" if self._joins_caller else ""
        return f"{super().__repr__()[:-1]} on {self._store.shown_url}{joined}>"
