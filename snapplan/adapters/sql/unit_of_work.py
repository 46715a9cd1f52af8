"""The SQL store's unit of work: one database transaction, or a savepoint in the caller's.

- Its own connection: entering the (outermost) block checks out a connection and begins a
  transaction; ``commit()`` commits it; leaving without a commit rolls it back; the connection
  goes back to the pool on exit.
- A caller's connection (``store.unit_of_work(connection=conn)``): entering begins a savepoint
  in the caller's transaction (beginning that transaction if needed), ``commit()`` releases the
  savepoint, leaving without a commit rolls back to it. snapplan never commits or rolls back
  the caller's transaction: the caller's own commit or rollback decides.

Entering an entered unit joins it (only the outermost ``commit()`` counts); after ``commit()``
reads are still allowed but writes and a second commit raise ``UnitOfWorkError``. Database
errors are translated by :mod:`snapplan.adapters.sql.errors`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

import sqlalchemy as sa

from snapplan.adapters.sql import schema
from snapplan.adapters.sql.errors import translate, translated_errors
from snapplan.adapters.sql.repositories import (
    SqlCatalogRepository,
    SqlPlanRepository,
    SqlSnapshotRepository,
)
from snapplan.adapters.sql.rows import RowCodec
from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.errors import (
    EventNotFound,
    FinishedGoodNotFound,
    FinishedUnitNotFound,
    IngredientNotFound,
    MaterialUnitNotFound,
    RecipeNotFound,
    UnitOfWorkError,
)

if TYPE_CHECKING:
    from snapplan.adapters.sql.store import SqlStore

_INGREDIENTS: Final = RowCodec(Ingredient, schema.ingredients)
_RECIPES: Final = RowCodec(Recipe, schema.recipes)
_FINISHED_UNITS: Final = RowCodec(FinishedUnit, schema.finished_units)
_MATERIAL_UNITS: Final = RowCodec(MaterialUnit, schema.material_units)
_FINISHED_GOODS: Final = RowCodec(FinishedGood, schema.finished_goods)
_EVENTS: Final = RowCodec(Event, schema.events)


class SqlUnitOfWork:
    """A transaction on a :class:`~snapplan.adapters.sql.SqlStore` (see the module docstring).

    >>> from snapplan.adapters.sql import SqlStore
    >>> store = SqlStore.from_url("sqlite://")
    >>> store.create_schema()
    >>> with store.unit_of_work() as uow:
    ...     uow.recipes.count()
    0
    >>> store.dispose()
    """

    def __init__(self, store: SqlStore, connection: sa.Connection | None = None) -> None:
        self.store = store
        self._caller_connection = connection
        self._connection: sa.Connection | None = None
        self._transaction: sa.Transaction | None = None
        self._depth = 0
        self._finished = False
        self._ingredients = SqlCatalogRepository(self, _INGREDIENTS, IngredientNotFound)
        self._recipes = SqlCatalogRepository(self, _RECIPES, RecipeNotFound)
        self._finished_units = SqlCatalogRepository(self, _FINISHED_UNITS, FinishedUnitNotFound)
        self._material_units = SqlCatalogRepository(self, _MATERIAL_UNITS, MaterialUnitNotFound)
        self._finished_goods = SqlCatalogRepository(self, _FINISHED_GOODS, FinishedGoodNotFound)
        self._events = SqlCatalogRepository(self, _EVENTS, EventNotFound)
        self._snapshots = SqlSnapshotRepository(self)
        self._plans = SqlPlanRepository(self)

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """True while entered."""
        return self._depth > 0

    @property
    def connection(self) -> sa.Connection:
        """The connection this unit works on (only while entered)."""
        self.check_active()
        assert self._connection is not None
        return self._connection

    def __enter__(self) -> Self:
        if self._depth == 0:
            self._begin()
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._end(failing=exc is not None)

    def commit(self) -> None:
        """Commit the outermost block's work (a no-op inside a joined block).

        With a caller's connection this releases snapplan's savepoint; the caller's transaction
        stays open. A failed commit leaves nothing of this unit persisted.
        """
        self.check_active()
        if self._depth > 1:
            return
        if self._finished:
            raise UnitOfWorkError("this unit of work already committed; enter it again")
        self._finished = True
        transaction = self._transaction
        assert transaction is not None
        try:
            with translated_errors():
                transaction.commit()
        except BaseException:
            _rollback_quietly(transaction)
            raise

    def rollback(self) -> None:
        """Undo this unit's uncommitted work now and go on in a fresh transaction."""
        self.check_active()
        if self._finished:
            return
        assert self._transaction is not None
        with translated_errors():
            self._transaction.rollback()
            self._transaction = self._new_transaction(self.connection)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: an exception inside undoes exactly its work and re-raises."""
        with self.writing():
            yield

    def _begin(self) -> None:
        with translated_errors():
            if self._caller_connection is not None:
                connection = self._caller_connection
                self._transaction = self._new_transaction(connection)
            else:
                connection = self.store.engine.connect()
                try:
                    self._transaction = self._new_transaction(connection)
                except BaseException:
                    connection.close()
                    raise
        self._connection = connection
        self._finished = False

    def _new_transaction(self, connection: sa.Connection) -> sa.Transaction:
        if self._caller_connection is not None:
            return connection.begin_nested()
        return connection.begin()

    def _end(self, *, failing: bool) -> None:
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
        # An exception already leaving the block matters more than a failed cleanup.
        if error is not None and not failing:
            raise translate(error) from error

    # -- used by the repositories ---------------------------------------------------------------

    def check_active(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered."""
        if self._depth == 0:
            raise UnitOfWorkError(
                "use repositories inside 'with uow:' (the unit of work is closed)"
            )

    def check_writable(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered and not yet committed."""
        self.check_active()
        if self._finished:
            raise UnitOfWorkError("this unit of work already committed; enter it again to write")

    def execute(self, statement: sa.Executable, parameters: Any = None) -> sa.CursorResult[Any]:
        """Run a read on this unit's connection, with errors translated."""
        connection = self.connection
        with translated_errors():
            return connection.execute(statement, parameters)

    def insert_many(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` with one ``executemany``, all or none of them."""
        self.check_writable()
        if not rows:
            return
        with self.writing() as connection:
            connection.execute(table.insert(), rows)

    @contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """A guard savepoint for one write: if the block raises, its work is undone.

        Errors inside are translated; the transaction stays usable afterwards (on PostgreSQL a
        failed statement would otherwise abort the whole transaction).
        """
        self.check_writable()
        connection = self.connection
        with translated_errors():
            nested = connection.begin_nested()
        try:
            with translated_errors():
                yield connection
        except BaseException:
            _rollback_quietly(nested)
            raise
        if nested.is_active:  # a commit() inside the block already ended it
            try:
                with translated_errors():
                    nested.commit()
            except BaseException:
                _rollback_quietly(nested)
                raise

    # -- repositories ---------------------------------------------------------------------------

    @property
    def ingredients(self) -> SqlCatalogRepository[Ingredient]:
        """Ingredients."""
        self.check_active()
        return self._ingredients

    @property
    def recipes(self) -> SqlCatalogRepository[Recipe]:
        """Recipes."""
        self.check_active()
        return self._recipes

    @property
    def finished_units(self) -> SqlCatalogRepository[FinishedUnit]:
        """Finished units."""
        self.check_active()
        return self._finished_units

    @property
    def material_units(self) -> SqlCatalogRepository[MaterialUnit]:
        """Material units (packaging)."""
        self.check_active()
        return self._material_units

    @property
    def finished_goods(self) -> SqlCatalogRepository[FinishedGood]:
        """Finished goods."""
        self.check_active()
        return self._finished_goods

    @property
    def events(self) -> SqlCatalogRepository[Event]:
        """Events."""
        self.check_active()
        return self._events

    @property
    def snapshots(self) -> SqlSnapshotRepository:
        """Snapshots (append only)."""
        self.check_active()
        return self._snapshots

    @property
    def plans(self) -> SqlPlanRepository:
        """Plans (append only)."""
        self.check_active()
        return self._plans


def _rollback_quietly(transaction: sa.Transaction) -> None:
    # Used while another exception is already propagating: that one is what the caller needs.
    try:
        if transaction.is_active:
            transaction.rollback()
    except sa.exc.SQLAlchemyError:
        pass
