"""A SQL unit of work's private helper: one connection and its transaction.

- Its own connection: :meth:`Session.begin` checks out a connection and begins a transaction
  (as a writer when :attr:`Session.writing` is set: the connection's
  :data:`~snapplan.adapters.sql.dialects.WRITING` option, which SQLite turns into ``BEGIN
  IMMEDIATE``); :meth:`Session.commit` commits it; :meth:`Session.end` rolls back whatever is
  left and returns the connection to the pool.
- A caller's connection: ``begin`` opens a savepoint in the caller's transaction (beginning that
  transaction if needed, as the caller's connection is set to), ``commit`` releases it, ``end``
  rolls back to it. snapplan never commits or rolls back the caller's transaction.

Every statement runs through :meth:`read` or inside :meth:`write`, with database errors
translated (:mod:`snapplan.adapters.sql.errors`). A write runs in a guard savepoint, so a write
that fails (a duplicate id) changes nothing and leaves the transaction usable (on PostgreSQL a
failed statement would otherwise abort the whole transaction), exactly like the memory store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from snapplan.adapters.sql.dialects import WRITING, Dialect, dialect_named
from snapplan.adapters.sql.errors import translate, translated_errors
from snapplan.errors import UnitOfWorkError


class Session:
    """One transaction on one connection (see the module docstring)."""

    def __init__(
        self,
        engine: sa.Engine,
        caller_connection: sa.Connection | None,
        *,
        writing: bool = False,
    ) -> None:
        self._engine = engine
        self._dialect = dialect_named(engine.dialect.name)
        self._caller_connection = caller_connection
        self._connection: sa.Connection | None = None
        self._transaction: sa.Transaction | None = None
        #: Whether the transactions it begins on its own connection will write (read at each
        #: :meth:`begin`; a caller's transaction is the caller's).
        self.writing = writing

    @property
    def dialect(self) -> Dialect:
        """The engine's dialect."""
        return self._dialect

    @property
    def connection(self) -> sa.Connection:
        """The connection of the current transaction."""
        if self._connection is None:
            raise UnitOfWorkError(
                "use repositories inside 'with uow:' (the unit of work is closed)"
            )
        return self._connection

    def begin(self) -> None:
        """Begin the transaction (or the savepoint in the caller's)."""
        with translated_errors(self._dialect):
            if self._caller_connection is not None:
                connection = self._caller_connection
                self._transaction = connection.begin_nested()
            else:
                connection = self._engine.connect()
                try:
                    if self.writing:
                        connection.execution_options(**{WRITING: True})
                    self._transaction = connection.begin()
                except BaseException:
                    connection.close()
                    raise
        self._connection = connection

    def commit(self) -> None:
        """Commit the transaction (release the savepoint); on failure nothing of it persists."""
        transaction = self._transaction
        assert transaction is not None
        try:
            with translated_errors(self._dialect):
                transaction.commit()
        except BaseException:
            _rollback_quietly(transaction)
            raise

    def end(self, *, failing: bool) -> None:
        """Roll back what was not committed and give the connection back."""
        connection, transaction = self._connection, self._transaction
        self._connection = self._transaction = None
        error: sa.exc.SQLAlchemyError | None = None
        try:
            if transaction is not None and transaction.is_active:
                transaction.rollback()
        except sa.exc.SQLAlchemyError as rollback_error:
            error = rollback_error
        if connection is not None and self._caller_connection is None:
            try:
                connection.close()
            except sa.exc.SQLAlchemyError as close_error:
                error = error or close_error
        # An exception already leaving the block matters more than a failed clean-up.
        if error is not None and not failing:
            raise translate(error, self._dialect) from error

    def read(self, statement: sa.Executable, parameters: Any = None) -> sa.CursorResult[Any]:
        """Run a read, with errors translated."""
        connection = self.connection
        with translated_errors(self._dialect):
            return connection.execute(statement, parameters)

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A guard savepoint for one write: if the block raises, its work is undone."""
        connection = self.connection
        with translated_errors(self._dialect):
            nested = connection.begin_nested()
        try:
            with translated_errors(self._dialect):
                yield connection
        except BaseException:
            _rollback_quietly(nested)
            raise
        if nested.is_active:
            try:
                with translated_errors(self._dialect):
                    nested.commit()
            except BaseException:
                _rollback_quietly(nested)
                raise

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: an exception inside undoes exactly its work and re-raises."""
        with self.write():
            yield


def _rollback_quietly(transaction: sa.Transaction) -> None:
    # Used while another exception is already propagating: that one is what the caller needs.
    try:
        if transaction.is_active:
            transaction.rollback()
    except sa.exc.SQLAlchemyError:
        pass
